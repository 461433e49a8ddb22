"""Programme lines across actielijnen (issue [2/6] item 1): each line counts its money up to its own
peildatum inside one report, has its own funders and window, and a deal without lines is unchanged.

The deal here is Twente-shaped and small enough to add up by hand: RDT counts up to 30 April 2020,
AvT up to 31 December 2019, the report's ijkdatum is 31 May 2020.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance.admin import FunderForm
from finance.filters import BookingFilter
from finance.models import Booking, Funder
from finance.selectors import deal_figures
from finance.selectors_lines import programme_line_figures
from projects import roles
from projects.models import (
    ActionLine,
    Deal,
    Decision,
    Programme,
    ProgrammeLine,
    ProgrammeLinePeriod,
    Project,
    ReportingPeriod,
)
from reports.jsonformat import report_json
from reports.selectors import report_data
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

AS_OF = date(2020, 5, 31)


def _deal(code: str = "twente-klein") -> Deal:
    return Deal.objects.create(
        code=code,
        name="Twente (klein)",
        region="Twente",
        start=date(2019, 1, 1),
        end=date(2024, 12, 31),
        financial_closing_date=date(2025, 6, 30),
        default_reference_date=AS_OF,
    )


def _book(deal, project, funder, kind, amount, day):
    decision = None
    if kind == "begroting":  # a budget rests on a stuurgroep decision (a database constraint)
        decision, _ = Decision.objects.get_or_create(
            deal=deal, number="SG-1", defaults={"date": date(2019, 1, 1), "text": "Begroting vastgesteld"}
        )
    Booking.objects.create(
        deal=deal, project=project, funder=funder, kind=kind, amount=Decimal(amount), date=day, decision=decision
    )


@pytest.fixture
def twente():
    deal = _deal()
    techniek = ActionLine.objects.create(deal=deal, code="T", name="Techniek als motor")
    talent = ActionLine.objects.create(deal=deal, code="A", name="Arbeidsmarkt & talent")
    prog_t = Programme.objects.create(deal=deal, action_line=techniek, code="T1", name="Techniek")
    prog_a = Programme.objects.create(deal=deal, action_line=talent, code="A1", name="Talent")
    rdt = ProgrammeLine.objects.create(deal=deal, code="RDT", name="Regio Deal Twente")
    avt = ProgrammeLine.objects.create(deal=deal, code="AvT", name="Agenda voor Twente")
    rijk = Funder.objects.create(deal=deal, name="Rijk", category="rijk", kind="rijk", order=1)
    gemeenten = Funder.objects.create(
        deal=deal, name="Twentse gemeenten", category="publiek", kind="gemeenten", order=2
    )
    rijk.programme_lines.add(rdt)
    gemeenten.programme_lines.add(rdt, avt)
    amp = Project.objects.create(
        deal=deal, programme=prog_t, programme_line=rdt, code="AMP", name="Advanced Manufacturing"
    )
    digi = Project.objects.create(
        deal=deal, programme=prog_t, programme_line=avt, code="DW", name="Digitale Werkplaats"
    )
    talent_pact = Project.objects.create(deal=deal, programme=prog_a, code="TP", name="Talentpact")
    _book(deal, amp, rijk, "begroting", "100000.00", date(2019, 6, 1))
    _book(deal, amp, rijk, "besteding", "30000.00", date(2020, 3, 15))
    _book(deal, amp, rijk, "besteding", "20000.00", date(2020, 5, 10))  # after RDT's peildatum
    _book(deal, digi, gemeenten, "begroting", "50000.00", date(2019, 1, 10))
    _book(deal, digi, gemeenten, "besteding", "10000.00", date(2019, 11, 1))
    _book(deal, digi, gemeenten, "besteding", "5000.00", date(2020, 2, 1))  # after AvT's peildatum
    _book(deal, talent_pact, gemeenten, "begroting", "8000.00", date(2019, 1, 1))
    _book(deal, talent_pact, gemeenten, "besteding", "1000.00", date(2020, 5, 20))
    period = ReportingPeriod.objects.create(
        deal=deal, name="2019-2020", start=date(2019, 5, 1), end=date(2020, 6, 1), reference_date=AS_OF,
        deadline=date(2020, 6, 30),
    )  # fmt: skip
    ProgrammeLinePeriod.objects.create(
        programme_line=rdt,
        period=period,
        start=date(2019, 5, 1),
        end=date(2020, 5, 1),
        reference_date=date(2020, 4, 30),
    )
    ProgrammeLinePeriod.objects.create(
        programme_line=avt,
        period=period,
        start=date(2019, 10, 1),
        end=date(2020, 1, 1),
        reference_date=date(2019, 12, 31),
    )
    return deal


def _by_code(lines):
    return {(line.line.code if line.line else None): line for line in lines}


def test_each_programme_line_counts_its_money_up_to_its_own_peildatum(twente):
    period = ReportingPeriod.objects.get(deal=twente)
    lines = _by_code(programme_line_figures(deal=twente, as_of=AS_OF, period=period))

    assert list(lines) == ["AvT", "RDT", None]
    rdt, avt, rest = lines["RDT"], lines["AvT"], lines[None]
    assert (rdt.as_of, rdt.start, rdt.last_day) == (date(2020, 4, 30), date(2019, 5, 1), date(2020, 4, 30))
    assert (avt.as_of, avt.start, avt.last_day) == (date(2019, 12, 31), date(2019, 10, 1), date(2019, 12, 31))
    assert rdt.total.total.besteed == Decimal("30000.00")  # the 20 000 of 10 May 2020 is after 30 April
    assert rdt.total.total.begroot == Decimal("100000.00")
    assert avt.total.total.besteed == Decimal("10000.00")  # the 5 000 of 1 February 2020 is after 2019
    assert avt.total.total.begroot == Decimal("50000.00")
    # The project outside every line counts up to the report's ijkdatum.
    assert (rest.as_of, rest.total.total.besteed, rest.total.total.begroot) == (
        AS_OF,
        Decimal("1000.00"),
        Decimal("8000.00"),
    )


def test_a_programme_line_lists_its_own_funders_projects_and_actielijnen(twente):
    period = ReportingPeriod.objects.get(deal=twente)
    lines = _by_code(programme_line_figures(deal=twente, as_of=AS_OF, period=period))

    assert [f.name for f in lines["RDT"].funders] == ["Rijk", "Twentse gemeenten"]
    assert [f.name for f in lines["AvT"].funders] == ["Twentse gemeenten"]
    assert [row.code for row in lines["RDT"].per_project] == ["AMP"]
    assert [row.code for row in lines["AvT"].per_project] == ["DW"]
    assert [row.code for row in lines[None].per_project] == ["TP"]
    assert [(row.name, row.total.besteed) for row in lines["AvT"].per_action_line] == [
        ("Techniek als motor", Decimal("10000.00"))
    ]
    assert lines["RDT"].total.url.endswith("programmalijn=RDT&tot=2020-04-30")


def test_the_reports_own_tables_still_count_every_project_up_to_the_ijkdatum(twente):
    figures = deal_figures(deal=twente, as_of=AS_OF)

    assert figures.total.total.besteed == Decimal("66000.00")  # 30 000 + 20 000 + 10 000 + 5 000 + 1 000


def test_without_its_own_dates_a_line_follows_the_reporting_period(twente):
    ProgrammeLinePeriod.objects.filter(programme_line__code="AvT").delete()
    period = ReportingPeriod.objects.get(deal=twente)
    avt = _by_code(programme_line_figures(deal=twente, as_of=AS_OF, period=period))["AvT"]

    assert (avt.start, avt.last_day, avt.as_of) == (date(2019, 5, 1), date(2020, 5, 31), AS_OF)
    assert avt.total.total.besteed == Decimal("15000.00")


def test_deal_level_money_is_its_own_row_outside_the_lines(twente):
    gemeenten = Funder.objects.get(deal=twente, name="Twentse gemeenten")
    _book(twente, None, gemeenten, "besteding", "700.00", date(2020, 1, 15))
    rest = _by_code(programme_line_figures(deal=twente, as_of=AS_OF))[None]

    assert [(row.name, row.total.besteed) for row in rest.per_project] == [
        ("Talentpact", Decimal("1000.00")),
        ("Buiten programma's", Decimal("700.00")),
    ]
    assert rest.total.total.besteed == Decimal("1700.00")


def test_a_deal_without_programme_lines_has_none_in_its_report(deal):
    data = report_data(deal=deal, as_of=date(2022, 7, 1))

    assert data.programme_lines == []
    assert report_json(data)["programmalijnen"] == []


def test_the_report_shows_and_exports_each_line_with_its_peildatum(twente, client_for):
    data = report_data(deal=twente, as_of=AS_OF)
    lines = {line["code"]: line for line in report_json(data)["programmalijnen"]}

    assert lines["RDT"]["peildatum"] == "2020-04-30"
    assert lines["RDT"]["periode_van"] == "2019-05-01"
    assert lines["RDT"]["periode_tot_en_met"] == "2020-04-30"
    assert lines["RDT"]["totaal"]["totaal"]["besteed"] == "30000.00"
    assert lines["AvT"]["financiers"] == ["Twentse gemeenten"]
    assert lines[None]["naam"] == "Zonder programmalijn"

    coordinator = make_user("coordinator_twente", roles.COORDINATOR, deal=twente)
    page = client_for(coordinator).get(
        reverse("reports:report-detail", args=[twente.code]), {"ijkdatum": AS_OF.isoformat()}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "2.5 Middelen per programmalijn" in html
    assert "RDT Regio Deal Twente: periode 1 mei 2019 t/m 30 april 2020, bedragen tot en met 30 april 2020" in html


def test_the_lines_cost_a_fixed_number_of_queries_whatever_the_number_of_projects(twente):
    period = ReportingPeriod.objects.get(deal=twente)
    with CaptureQueriesContext(connection) as small:
        programme_line_figures(deal=twente, as_of=AS_OF, period=period)
    rdt = ProgrammeLine.objects.get(deal=twente, code="RDT")
    programme = Programme.objects.get(deal=twente, code="T1")
    rijk = Funder.objects.get(deal=twente, name="Rijk")
    for n in range(10):
        project = Project.objects.create(
            deal=twente, programme=programme, programme_line=rdt, code=f"X{n}", name=f"X{n}"
        )
        _book(twente, project, rijk, "besteding", "1.00", date(2020, 1, 1))
    with CaptureQueriesContext(connection) as large:
        lines = _by_code(programme_line_figures(deal=twente, as_of=AS_OF, period=period))

    assert len(large) == len(small)
    assert lines["RDT"].total.total.besteed == Decimal("30010.00")


def test_a_project_cannot_take_a_programme_line_of_another_deal(twente):
    other = _deal("elders")
    line = ProgrammeLine.objects.create(deal=other, code="X", name="Elders")
    project = Project.objects.get(deal=twente, code="AMP")
    project.programme_line = line

    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert error.value.message_dict["programme_line"] == ["De programmalijn hoort bij een andere deal."]


def test_a_lines_period_belongs_to_its_deal_and_its_peildatum_to_its_window(twente):
    other_period = ReportingPeriod.objects.create(
        deal=_deal("elders"), name="2020", start=date(2020, 1, 1), end=date(2021, 1, 1),
        reference_date=date(2020, 12, 31), deadline=date(2021, 2, 1),
    )  # fmt: skip
    rdt = ProgrammeLine.objects.get(deal=twente, code="RDT")
    wrong_deal = ProgrammeLinePeriod(
        programme_line=rdt,
        period=other_period,
        start=date(2020, 1, 1),
        end=date(2021, 1, 1),
        reference_date=date(2020, 6, 30),
    )
    with pytest.raises(ValidationError) as error:
        wrong_deal.full_clean()
    assert error.value.message_dict["period"] == [
        "De rapportageperiode hoort bij een andere deal dan de programmalijn."
    ]

    period = ReportingPeriod.objects.get(deal=twente)
    ProgrammeLinePeriod.objects.filter(programme_line=rdt).delete()
    too_early = ProgrammeLinePeriod(
        programme_line=rdt, period=period, start=date(2019, 5, 1), end=date(2020, 5, 1), reference_date=date(2019, 4, 1)
    )
    with pytest.raises(ValidationError) as error:
        too_early.full_clean()
    assert error.value.message_dict["reference_date"] == ["De financiële peildatum ligt vóór de start van de periode."]


def test_a_funder_finances_only_programme_lines_of_its_own_deal(twente):
    other_line = ProgrammeLine.objects.create(deal=_deal("elders"), code="X", name="Elders")
    rijk = Funder.objects.get(deal=twente, name="Rijk")
    data = {
        "deal": twente.pk, "name": "Rijk", "category": "rijk", "kind": "rijk", "order": 1,
        "programme_lines": [other_line.pk],
    }  # fmt: skip
    form = FunderForm(data, instance=rijk)

    assert not form.is_valid()
    assert form.errors["programme_lines"] == ["Kies alleen programmalijnen van de deal van deze financier."]
    assert list(rijk.programme_lines.values_list("code", flat=True)) == ["RDT"]


def test_the_booking_list_filters_by_programme_line_only_where_a_deal_has_lines(twente, deal):
    bookings = Booking.objects.filter(deal=twente)
    rdt_only = BookingFilter({"programmalijn": "RDT"}, queryset=bookings, deal=twente).qs

    assert sorted(rdt_only.values_list("amount", flat=True)) == [
        Decimal("20000.00"), Decimal("30000.00"), Decimal("100000.00"),
    ]  # fmt: skip
    assert "programmalijn" not in BookingFilter({}, queryset=Booking.objects.none(), deal=deal).form.fields


def test_the_finance_overview_shows_and_filters_by_programme_line_where_a_deal_has_lines(twente, deal, client_for):
    client = client_for(make_user("coordinator_twente", roles.COORDINATOR, deal=twente))
    url = reverse("finance:deal-overview", args=[twente.code])

    everything = client.get(url, {"tot": AS_OF.isoformat()})
    assert [row["programme_line"] for row in everything.context["table"].data] == ["RDT", "AvT", ""]
    avt_only = client.get(url, {"programmalijn": "AvT", "tot": AS_OF.isoformat()})
    assert [row["code"] for row in avt_only.context["table"].data] == ["DW"]
    assert "sort=programme_line" in avt_only.content.decode()  # the column, sortable

    cleantech = client_for(make_user("coordinator_ct", roles.COORDINATOR, deal=deal)).get(
        reverse("finance:deal-overview", args=[deal.code])
    )
    assert "Programmalijn" not in cleantech.content.decode()
