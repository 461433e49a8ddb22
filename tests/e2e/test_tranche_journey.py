"""Journey 2: the kassier registers a tranche, the controller approves it, and both the
kassier's table and the report show the new uitgekeerd."""

import re

from finance.models import Tranche

AS_OF = "2022-07-01"


def money_cells(row) -> list[str]:
    """Begroot, gecommitteerd, uitgekeerd, nog uit te keren of a row of the kassier's table, as shown."""
    return [text.replace("\u00a0", " ").strip() for text in row.locator("td").all_inner_texts()[3:7]]


def test_kassier_registers_and_controller_approves_a_tranche(page, login):
    login("kassier")
    page.goto("/financien/cleantech/tranches/nieuw/")
    project_option = page.locator("#id_project option", has_text=re.compile(r"^1310 ")).get_attribute("value")
    page.get_by_label("Project").select_option(project_option)
    page.get_by_label("Financier").select_option(label="Provincie Overijssel")
    page.get_by_label("Bedrag (€)").fill("50000")
    page.get_by_label("Uitkeringsdatum").fill("2022-06-20")
    page.get_by_role("button", name="Registreren").click()
    page.wait_for_load_state()
    tranche = Tranche.objects.get(project__code="1310", funder__name="Provincie Overijssel")
    assert tranche.status == Tranche.Status.PENDING
    # 1310 has no conditions in the demo (1220 and 1330 do: tests/finance/test_conditions.py),
    # so nothing blocks the controller here.

    # Not yet counted: only approved tranches are uitgekeerd.
    page.goto(f"/financien/cleantech/?tot={AS_OF}&financier={tranche.funder_id}")
    row = page.locator("tr", has=page.get_by_role("link", name="1310", exact=True))
    # 1310 x Provincie Overijssel in the demo: begroot and toegekend 120.571 (fixtures/cleantech.json), nothing paid.
    assert money_cells(row) == ["€ 120.571,00", "€ 120.571,00", "€ 0,00", "€ 120.571,00"]

    login("controller")
    page.goto(f"/financien/cleantech/tranches/{tranche.pk}/")
    page.get_by_role("button", name="Goedkeuren").click()
    page.wait_for_load_state()
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.APPROVED

    login("kassier")
    page.goto(f"/financien/cleantech/?tot={AS_OF}&financier={tranche.funder_id}")
    row = page.locator("tr", has=page.get_by_role("link", name="1310", exact=True))
    assert money_cells(row) == ["€ 120.571,00", "€ 120.571,00", "€ 50.000,00", "€ 70.571,00"]  # 120.571 - 50.000

    # Tabel 6, programme 1300: rijk 409.377 and overig 30.750 as in the seed; publiek 528.283 + 50.000 = 578.283;
    # together 409.377 + 578.283 + 30.750 = 1.018.410.
    page.goto(f"/rapportage/cleantech/?ijkdatum={AS_OF}")
    programme = page.locator("#tabel6 tbody tr", has_text="1300 Matching en mobiliteit")
    shown = [text.replace("\u00a0", " ") for text in programme.locator("td").all_inner_texts()[:4]]
    assert shown == ["€ 409.377", "€ 578.283", "€ 30.750", "€ 1.018.410"]
