"""The fourth demo deal: Investeren in Twente (seeds 003/004), two programme lines through four actielijnen,
each line with its own window and financial peildatum, vouchers and co-financing status (illustrative amounts).

Expected figures are worked out by hand from the seed and the illustrative plan in reports/demo_twente.py:
RDT is € 150 mln (of which Rijk 20 % = € 30 mln; Mineral Valley's € 20 mln is begroot but not yet committed,
so € 26 mln of the Rijk is committed, as the seed says), AvT is € 17,65 mln of the municipalities.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from projects.models import Deal
from reports.jsonformat import report_json
from reports.selectors import report_data

AS_OF = date(2020, 5, 31)


@pytest.fixture
def twente(db) -> Deal:
    return Deal.objects.get(code="twente")


@pytest.fixture
def document(twente) -> dict:
    return report_json(report_data(deal=twente, as_of=AS_OF))


def _line(document, code):
    return next(line for line in document["programmalijnen"] if line["code"] == code)


def test_the_deal_has_two_programme_lines_through_four_actielijnen_and_the_basisinfrastructuur(twente):
    assert twente.illustrative_amounts is True
    assert list(twente.programme_lines.values_list("code", flat=True)) == ["AvT", "RDT"]
    assert list(twente.action_lines.values_list("name", flat=True)) == [
        "Arbeidsmarkt & talent", "Bereikbaarheid & vestigingsklimaat", "Basisinfrastructuur (Agenda voor Twente)",
        "Circulaire economie & duurzaamheid", "Techniek als motor",
    ]  # fmt: skip
    # The infographic's 16 projects, the voucher scheme and the 8 components of the basisinfrastructuur.
    assert twente.projects.count() == 16 + 1 + 8
    assert twente.projects.filter(programme_line__code="RDT").count() == 12
    assert twente.projects.filter(programme__action_line__code="BI", programme_line__code="AvT").count() == 8


def test_each_line_reports_over_its_own_window_up_to_its_own_peildatum(document):
    rdt, avt = _line(document, "RDT"), _line(document, "AvT")

    assert (rdt["periode_van"], rdt["periode_tot_en_met"], rdt["peildatum"]) == (
        "2019-05-01",
        "2020-05-31",
        "2020-03-31",
    )
    assert (avt["periode_van"], avt["periode_tot_en_met"], avt["peildatum"]) == (
        "2019-10-01",
        "2019-12-31",
        "2019-12-31",
    )
    assert [line["code"] for line in document["programmalijnen"]] == ["AvT", "RDT"]  # nothing outside the lines


def test_the_rdt_is_150_mln_with_26_of_the_rijks_30_mln_committed(document):
    rdt = _line(document, "RDT")

    assert rdt["totaal"]["totaal"]["begroot"] == "150000000.00"
    assert rdt["totaal"]["rijk"]["begroot"] == "30000000.00"
    assert rdt["totaal"]["rijk"] == {"begroot": "30000000.00", "uitgekeerd": "10400000.00", "besteed": "5200000.00"}
    figures = report_data(deal=Deal.objects.get(code="twente"), as_of=AS_OF).programme_lines
    rdt_figures = next(line for line in figures if line.line and line.line.code == "RDT")
    assert rdt_figures.total.by_category["rijk"].gecommitteerd == Decimal("26000000.00")


def test_spending_after_a_lines_peildatum_counts_in_the_report_but_not_in_the_line(document):
    # RDT: 40 % of the Rijk's 20 % share paid (€ 10,4 mln over the 11 committed projects at 20 % of 130 mln:
    # 0,4 x 26 mln); half of it spent in March 2020 (before 31 March) and a fifth in May 2020 (after it).
    rdt, avt = _line(document, "RDT"), _line(document, "AvT")
    assert rdt["totaal"]["totaal"]["uitgekeerd"] == "10400000.00"
    assert rdt["totaal"]["totaal"]["besteed"] == "5200000.00"
    # AvT: 40 % of € 17,65 mln paid in March 2019, half spent in December 2019, a fifth in May 2020.
    assert avt["totaal"]["totaal"]["besteed"] == "3530000.00"
    # At the ijkdatum (31 May 2020) both fifths count as well: 0,7 x (10,4 + 7,06) mln.
    assert document["totaal"]["totaal"]["besteed"] == "12222000.00"


def test_the_avt_vouchers_and_the_cofinancing_outside_the_kassier_are_in_the_report(document):
    vouchers = document["vouchers"][0]
    assert (vouchers["project"], vouchers["aantal_toegekend_of_uitbetaald"]) == ("V01", 5)
    assert vouchers["bedrag_toegekend_of_uitbetaald"] == "90500.00"  # 15.000 + 20.000 + 12.500 + 25.000 + 18.000
    cofinancing = {
        row["code"]: (row["toegezegd"], row["gerealiseerd"]) for row in document["cofinanciering_buiten_kassier"]
    }
    assert cofinancing == {"B01": ("0.00", "750000.00"), "C01": ("400000.00", "0.00")}


def test_the_coordinator_sees_both_lines_in_the_report_and_filters_bookings_by_line(client, twente):
    client.force_login(User.objects.get(username="coordinator_t"))
    html = client.get(reverse("reports:report-detail", args=[twente.code])).content.decode()

    assert "<strong>Illustratieve bedragen.</strong>" in html
    # The cover names each line's own peildatum next to the report's ijkdatum.
    assert "<dt>Peildatum RDT</dt><dd>31 maart 2020 (paragraaf 2.5)</dd>" in html
    assert "<dt>Peildatum AvT</dt><dd>31 december 2019 (paragraaf 2.5)</dd>" in html
    assert "RDT Regio Deal Twente: periode 1 mei 2019 t/m 31 mei 2020, bedragen tot en met 31 maart 2020" in html
    assert (
        "AvT Agenda voor Twente: periode 1 oktober 2019 t/m 31 december 2019, bedragen tot en met 31 december 2019"
        in html
    )
    bookings = client.get(
        reverse("finance:booking-list", args=[twente.code]), {"programmalijn": "AvT", "soort": "besteding"}
    )
    assert bookings.status_code == 200
    assert "Alle programmalijnen" in bookings.content.decode()


def test_each_begroting_is_spread_over_its_lines_years(document):
    years = {row["jaar"]: row for row in document["per_jaar"]["jaren"]}
    # RDT 150 mln over 2019-2024 = 25 mln a year; AvT 17,65 mln over 2019-2022 = 4,4125 mln a year.
    assert years[2023]["begroot"] == "25000000.00"
    assert years[2019]["begroot"] == "29412500.00"
    # 2020 has a forecast of 70 % of its plan, and 2019's besteding is the AvT's of December 2019.
    assert (years[2020]["prognose"], years[2020]["prognose_opgegeven"]) == ("20588750.00", True)
    assert years[2019]["besteed"] == "3530000.00"
    assert document["per_jaar"]["niet_over_jaren_verdeeld"] == "0.00"
