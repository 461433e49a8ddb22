"""Journey 3: a stuurgroep member opens the report, follows a figure to the bookings behind
it and downloads the PDF, whose text the test reads."""

import io
import re

from pypdf import PdfReader

# The demo's 26 projects, each with a fact sheet in the bijlage (seed 000, "Bijlage").
PROJECTS = {
    "1110": "Technicampus Experience Centre",
    "1120": "NewtechPark Apeldoorn",
    "1130": "Techniek Fabriek Zutphen",
    "1140": "Regionaal kennisontwikkelingsprogramma Plek voor Techniek",
    "1150": "Stadscampus Deventer",
    "1210": "Kenniscentrum Digitale Transformatie",
    "1220": "Fieldlab Energietransitie",
    "1310": "Pilot Wijkgericht werken aan talentontwikkeling",
    "1320": "Scholingsfonds",
    "1330": "Platform Werk Stad als werkgever (Vindwerk.nl)",
    "1340": "Stageportal (Nu: Vindt stage)",
    "2110": "Biogashub Oxe",
    "2120": "CTR H2 programma Hydrogen Connect 2020-2030",
    "2130": "Gld H2 (historische panden)",
    "2140": "Overslag H2 trucks/Tankvoorziening A1+ CTD",
    "2150": "Waterstofproeftuin S/Park (Naam is aangepast: GROHW)",
    "2160": "Aquathermie Deventer, verduurzaming bestaande woningbouw",
    "2170": "Open innovatielab voor DC Project",
    "2180": "Eerbeek Loenen 2030 A Electrificatie/Restwarmte",
    "2210": "Eerbeek Loenen 2030 B Logistiek centrum/ E-Hub",
    "2220": "Toekomstbestendige Bedrijventerreinen",
    "2310": "Cirkelstad Deventer (Circulair ondernemen)",
    "2320": "De Innovatie Coöperatie",
    "2330": "Circulaire fabrieken",
    "2340": "Fieldlab CIM Circulaire Innovatie in Maakindustrie, Overijssel-Gelderland",
    "2350": "Trade office Stedendriehoek",
}


def plain(text: str) -> str:
    """Non-breaking spaces and line breaks as plain spaces, runs of spaces as one."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def cells(row) -> list[str]:
    return [plain(text) for text in row.locator("td").all_inner_texts()]


def test_stuurgroep_reads_report_follows_figure_and_downloads_pdf(page, login):
    login("stuurgroep")
    page.goto("/rapportage/cleantech/?ijkdatum=2022-07-01")
    tabel_1 = page.locator("#tabel1-caption").locator("xpath=ancestor::table[1]")
    assert tabel_1.is_visible()
    # Tabel 1, Rijk (category Rijk): begroot 7.500.000, uitgekeerd 2.816.127 (37,5 % -> 38 %), besteed
    # 700.852 (24,9 % of uitgekeerd -> 25 %): the seed's row.
    rijk = tabel_1.locator("tbody tr", has=page.get_by_role("rowheader", name="Rijk", exact=True))
    assert cells(rijk)[:6] == ["Rijk", "€ 7.500.000", "€ 2.816.127", "38 %", "€ 700.852", "25 %"]
    # Tabel 5, programme 1300 (seed): rijk 575.000, publiek 1.557.000, overig 660.000; 2.792.000 together.
    programme = page.locator("#tabel5 tbody tr", has_text="1300 Matching en mobiliteit")
    assert cells(programme)[:4] == ["€ 575.000", "€ 1.557.000", "€ 660.000", "€ 2.792.000"]
    # The Rijk budget links to exactly the bookings it sums: 1300's begrotingen of Rijk financiers.
    link = programme.get_by_role("link", name="€\u00a0575.000")
    link.click()
    page.wait_for_load_state()
    assert "/financien/cleantech/boekingen/" in page.url
    assert page.get_by_role("heading", name="Boekingen", exact=True).is_visible()
    # Their sums (begroot, gecommitteerd, uitgekeerd, nog uit te keren, besteed): only begroting,
    # 575.000 (Tabel 5, 1300, Rijk); nothing of another kind is in this list.
    sums = page.locator("table", has=page.get_by_role("columnheader", name="Gecommitteerd")).first
    assert cells(sums.locator("tbody tr").first) == [
        "€ 575.000,00",
        "€ 0,00",
        "€ 0,00",
        "€ 575.000,00",
        "€ 0,00",
    ]

    page.go_back()
    with page.expect_download(timeout=120000) as download_info:
        page.get_by_role("link", name="PDF", exact=True).first.click()
    pdf = download_info.value
    reader = PdfReader(io.BytesIO(open(pdf.path(), "rb").read()))  # noqa: SIM115
    text = "\n".join(p.extract_text() for p in reader.pages[:12])
    assert "Voortgangsrapportage" in text
    assert "Inhoud" in text
    pages = len(reader.pages)
    assert f"pagina 3 van {pages}" in reader.pages[2].extract_text()
    everything = plain("\n".join(p.extract_text() for p in reader.pages))
    assert "Tabel 5" in everything
    # A fact sheet per project (cover and chapters come first).
    missing = [code for code, name in PROJECTS.items() if f"{code} {name}" not in everything]
    assert missing == []
