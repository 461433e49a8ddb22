"""Forms that cannot mislead, in Chromium: money is read as a Dutch user means it, also in an English browser;
the tranche form shows what is still free and warns before submitting; report tables sort by the number itself;
choosing a period in the report form brings its ijkdatum."""

import re
from decimal import Decimal

import pytest

from finance.models import Tranche
from projects.models import ReportingPeriod
from tests.e2e.conftest import _login_on

# 1310 x Rijk in the demo (fixtures/cleantech.json): begroot 143.751, uitgekeerd 102.345, nothing waiting,
# so 143.751 - 102.345 = 41.406 is still free.


@pytest.fixture
def english_page(browser, demo_live_server):
    # An English browser: a type=number field would turn "25000,50" into 2500050 before the server saw it.
    context = browser.new_context(base_url=demo_live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def choose_1310_rijk(page):
    page.goto("/financien/cleantech/tranches/nieuw/")
    option = page.locator("#id_project option", has_text=re.compile(r"^1310 ")).get_attribute("value")
    page.get_by_label("Project").select_option(option)
    page.get_by_label("Financier").select_option(label="Rijk")
    page.get_by_label("Uitkeringsdatum").fill("2022-06-20")


def panel_text(page) -> str:
    return page.locator("#tranche-headroom").inner_text().replace("\u00a0", " ")


def test_an_english_browser_keeps_25000_comma_50_as_twenty_five_thousand(english_page):
    _login_on(english_page)("kassier")
    choose_1310_rijk(english_page)
    english_page.get_by_label("Bedrag (€)").fill("25000,50")
    shown = panel_text(english_page)
    assert "Begroot: € 143.751,00" in shown and "Nog beschikbaar: € 41.406,00" in shown
    assert "meer dan er nog beschikbaar is" not in shown
    english_page.get_by_role("button", name="Registreren").click()
    english_page.wait_for_load_state()
    tranche = Tranche.objects.get(project__code="1310", funder__name="Rijk", status=Tranche.Status.PENDING)
    assert tranche.amount == Decimal("25000.50")


def test_the_form_warns_before_submitting_and_still_lets_the_kassier_register(page, login):
    login("kassier")
    choose_1310_rijk(page)
    page.get_by_label("Bedrag (€)").fill("53.751")
    # 53.751 - 41.406 = 12.345 above what is free.
    assert "Dit bedrag is € 12.345,00 meer dan er nog beschikbaar is." in panel_text(page)
    page.get_by_role("button", name="Registreren").click()
    page.wait_for_load_state()
    tranche = Tranche.objects.get(project__code="1310", funder__name="Rijk", status=Tranche.Status.PENDING)
    assert tranche.amount == Decimal("53751.00")
    warning = page.locator(".message-warning").first.inner_text().replace("\u00a0", " ")
    assert warning.startswith("Let op: met deze tranche komt project 1310 voor Rijk € 12.345,00 boven de begroting")


def test_an_english_amount_is_refused_with_what_was_understood_and_kept(page, login):
    login("kassier")
    choose_1310_rijk(page)
    page.get_by_label("Bedrag (€)").fill("25,000.50")
    page.get_by_role("button", name="Registreren").click()
    page.wait_for_load_state()
    error = page.locator(".field.has-error .error").first.inner_text().replace("\u00a0", " ")
    assert error.startswith("'25,000.50' kan op meer manieren gelezen worden: bedoelt u € 25.000,50?")
    assert page.get_by_label("Bedrag (€)").input_value() == "25,000.50"
    assert not Tranche.objects.filter(project__code="1310", status=Tranche.Status.PENDING).exists()


def euros(text: str) -> Decimal:
    return Decimal(text.replace("€", "").replace("\u00a0", "").replace(" ", "").replace(".", "").replace(",", "."))


def test_report_tables_sort_by_the_number_not_the_text(page, login):
    login("stuurgroep")
    page.goto("/rapportage/cleantech/?ijkdatum=2022-07-01")
    table = page.locator("#tabel1 table.funder-table")
    table.locator("thead th").nth(2).get_by_role("button").click()  # Begroot, ascending
    shown = [cell.strip() for cell in table.locator("tbody tr td:nth-child(3)").all_inner_texts()]
    assert len(shown) == 15  # Tabel 1: the 15 financiers
    shown = [text for text in shown if text]  # a financier without a begroting shows nothing, sorted first
    amounts = [euros(text) for text in shown]
    assert amounts == sorted(amounts)
    # Sorted as text, "€ 7.247.500" would come after "€ 10.000" and "€ 1.200.000" after "€ 0": not this order.
    assert sorted(shown) != shown


def test_choosing_a_period_in_the_report_form_brings_its_ijkdatum(page, login):
    login("stuurgroep")
    page.goto("/rapportage/cleantech/?ijkdatum=2022-07-01")
    second = ReportingPeriod.objects.get(deal__code="cleantech", name="2022-2")
    page.get_by_label("Periode").select_option(str(second.pk))
    assert page.get_by_label("IJkdatum").input_value() == second.reference_date.isoformat()
    page.get_by_role("button", name="Toon").click()
    page.wait_for_load_state()
    assert f"ijkdatum={second.reference_date.isoformat()}" in page.url
