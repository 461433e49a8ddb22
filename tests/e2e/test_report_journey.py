"""Journey 3: a stuurgroep member opens the report, follows a figure to the bookings behind
it and downloads the PDF, whose text the test reads."""

import io

from pypdf import PdfReader


def test_stuurgroep_reads_report_follows_figure_and_downloads_pdf(page, login):
    login("stuurgroep")
    page.goto("/rapportage/cleantech/?ijkdatum=2022-07-01")
    assert page.get_by_role("table", name="Tabel 1", exact=False).first.is_visible()
    # Tabel 5, programme 1300: the Rijk budget (seed: 575.000) links to its bookings.
    link = page.get_by_role("link", name="€\u00a0575.000").first
    link.click()
    page.wait_for_load_state()
    assert "/financien/cleantech/boekingen/" in page.url
    assert "Boekingen" in page.content()

    page.go_back()
    with page.expect_download(timeout=120000) as download_info:
        page.get_by_role("link", name="PDF", exact=True).first.click()
    pdf = download_info.value
    reader = PdfReader(io.BytesIO(open(pdf.path(), "rb").read()))  # noqa: SIM115
    text = "\n".join(p.extract_text() for p in reader.pages[:12])
    assert len(reader.pages) > 26  # cover, chapters and a fact sheet per project
    assert "Voortgangsrapportage" in text
    assert "Inhoud" in text
    pages = len(reader.pages)
    assert f"pagina 3 van {pages}" in reader.pages[2].extract_text()
    assert "Tabel 5" in "\n".join(p.extract_text() for p in reader.pages)
