"""Co-financing paid to projects directly shows in the voortgangsrapportage, outside the kassier's figures."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finance.findings import deal_findings
from finance.models import Funder
from finance.selectors_cofinancing import deal_cofinancing_as_of
from finance.services_cofinancing import cofinancing_pledge, cofinancing_realise
from projects.models import Project
from projects.templatetags.money import format_euro
from reports.jsonformat import report_json
from reports.selectors import report_data
from reports.services import data_version

pytestmark = pytest.mark.django_db
KEY = "cofinanciering_buiten_kassier"


@pytest.fixture
def project(deal) -> Project:
    return Project.objects.get(deal=deal, code="1310")


@pytest.fixture
def municipality(deal) -> Funder:
    return deal.funders.filter(category=Funder.Category.PUBLIC).order_by("order").first()


@pytest.fixture
def private(deal) -> Funder:
    return deal.funders.filter(category=Funder.Category.OTHER).order_by("order").first()


def day(deal, days: int) -> datetime.date:
    """A date relative to the deal's start (never today: the tests must not depend on when they run)."""
    return deal.start + datetime.timedelta(days=days)


def pledge(project, funder, user, *, amount: str, pledged_on, **more):
    return cofinancing_pledge(
        project=project, funder=funder, user=user, amount=Decimal(amount), pledged_on=pledged_on, **more
    )


def entry(document, code: str):
    return next((e for e in document[KEY] if e["code"] == code), None)


@pytest.fixture
def three_items(deal, project, municipality, private, lead):
    """Pledged at +40 and realised at +200; pledged at +300; an investment from before the deal."""
    first = pledge(project, municipality, lead, amount="25000.00", pledged_on=day(deal, 40))
    cofinancing_realise(item=first, realised_on=day(deal, 200), user=lead, evidence_reference="Bankafschrift 1")
    pledge(project, municipality, lead, amount="10000.00", pledged_on=day(deal, 300))
    pledge(
        project,
        private,
        lead,
        amount="15000.00",
        pledged_on=day(deal, -90),
        realised_on=day(deal, -30),
        before_deal_start=True,
        evidence_reference="Factuur machinepark",
    )


# ----------------------------------------------------------------------------- as of the ijkdatum


def test_a_pledge_after_the_ijkdatum_is_not_shown(deal, project, municipality, lead):
    pledge(project, municipality, lead, amount="10000.00", pledged_on=day(deal, 300))

    assert entry(report_json(report_data(deal=deal, as_of=day(deal, 299))), "1310") is None
    later = entry(report_json(report_data(deal=deal, as_of=day(deal, 300))), "1310")
    assert (later["toegezegd"], later["gerealiseerd"]) == ("10000.00", "0.00")


def test_realised_after_the_ijkdatum_is_shown_as_pledged(deal, project, three_items):
    before = deal_cofinancing_as_of(deal=deal, as_of=day(deal, 199))[project.pk].total
    after = deal_cofinancing_as_of(deal=deal, as_of=day(deal, 200))[project.pk].total

    assert (before.pledged, before.realised, before.before_deal) == (
        Decimal("25000.00"),
        Decimal("15000.00"),
        Decimal("15000.00"),
    )
    assert (after.pledged, after.realised, after.before_deal) == (
        Decimal("0.00"),
        Decimal("40000.00"),
        Decimal("15000.00"),
    )


def test_before_the_deal_started_only_the_old_investment_counts(deal, project, three_items):
    total = deal_cofinancing_as_of(deal=deal, as_of=day(deal, -1))[project.pk].total
    assert (total.pledged, total.realised, total.before_deal, total.count) == (
        Decimal("0.00"),
        Decimal("15000.00"),
        Decimal("15000.00"),
        1,
    )


# ----------------------------------------------------------------------------- JSON


def test_the_json_lists_it_per_project_and_per_financier(deal, project, municipality, private, three_items):
    document = report_json(report_data(deal=deal, as_of=day(deal, 250)))

    assert document[KEY] == [
        {
            "code": "1310",
            "naam": project.name,
            "toegezegd": "0.00",
            "gerealiseerd": "40000.00",
            "waarvan_voor_de_deal": "15000.00",
            "per_financier": [
                {
                    "naam": municipality.name,
                    "categorie": "publiek",
                    "toegezegd": "0.00",
                    "gerealiseerd": "25000.00",
                    "waarvan_voor_de_deal": "0.00",
                },
                {
                    "naam": private.name,
                    "categorie": "overig",
                    "toegezegd": "0.00",
                    "gerealiseerd": "15000.00",
                    "waarvan_voor_de_deal": "15000.00",
                },
            ],
        }
    ]


def test_the_demo_deal_has_none_so_its_json_only_gains_an_empty_list(deal):
    document = report_json(report_data(deal=deal, as_of=datetime.date(2022, 7, 1)))
    assert document[KEY] == []


def test_it_changes_no_figure_and_raises_no_spent_above_paid_finding(deal, project, municipality, coordinator):
    as_of = day(deal, 400)

    def spent_above_paid() -> list[str]:
        findings = deal_findings(deal=deal, as_of=as_of, today=as_of)
        return [f.omschrijving for f in findings if f.soort == "besteed_boven_uitgekeerd"]

    before, findings_before = report_json(report_data(deal=deal, as_of=as_of)), spent_above_paid()
    # Far more than anything paid out to 1310: were it booked as spending, besteed would pass uitgekeerd.
    pledge(
        project,
        municipality,
        coordinator,
        amount="9999999.00",
        pledged_on=day(deal, 10),
        realised_on=day(deal, 20),
        evidence_reference="Bankafschrift",
    )
    after = report_json(report_data(deal=deal, as_of=as_of))

    assert entry(after, "1310")["gerealiseerd"] == "9999999.00"
    assert {k: v for k, v in after.items() if k != KEY} == {k: v for k, v in before.items() if k != KEY}
    assert spent_above_paid() == findings_before


# ----------------------------------------------------------------------------- fact sheet


def _fact_sheet_html(deal, as_of, code: str) -> str:
    data = report_data(deal=deal, as_of=as_of)
    sheet = next(s for s in data.fact_sheets if s.project.code == code)
    return render_to_string("reports/partials/fact_sheet.html", {"sheet": sheet, "report": data, "print": True})


def test_the_fact_sheet_says_pledged_realised_and_the_part_from_before_the_deal(deal, three_items):
    html = _fact_sheet_html(deal, day(deal, 199), "1310")
    assert (
        "<strong>Cofinanciering buiten de kassier:</strong> "
        f"toegezegd {format_euro(Decimal('25000'))}, gerealiseerd {format_euro(Decimal('15000'))} "
        f"(waarvan {format_euro(Decimal('15000'))} investeringen van vóór de deal)."
    ) in html


def test_the_fact_sheet_leaves_out_the_part_from_before_the_deal_when_there_is_none(deal, project, municipality, lead):
    pledge(project, municipality, lead, amount="10000.00", pledged_on=day(deal, 40))
    html = _fact_sheet_html(deal, day(deal, 100), "1310")
    assert f"toegezegd {format_euro(Decimal('10000'))}, gerealiseerd {format_euro(Decimal('0'))}." in html
    assert "waarvan" not in html.split("Cofinanciering buiten de kassier")[1].split("</p>")[0]


def test_a_project_without_any_has_no_cofinancing_line(deal, three_items):
    assert "Cofinanciering buiten de kassier" not in _fact_sheet_html(deal, day(deal, 250), "1320")
    assert "Cofinanciering buiten de kassier" not in _fact_sheet_html(deal, day(deal, -91), "1310")


def test_the_report_page_shows_the_line(deal, steering, client_for, three_items):
    url = reverse("reports:report-detail", args=[deal.code]) + f"?ijkdatum={day(deal, 250).isoformat()}"
    html = client_for(steering).get(url).content.decode()
    assert "Cofinanciering buiten de kassier:</strong> toegezegd" in html


# ----------------------------------------------------------------------------- stale PDF, queries


def test_pledging_and_realising_change_the_data_version(deal, project, municipality, lead):
    as_of = datetime.date(2022, 7, 1)

    def version() -> str:
        return data_version(deal=deal, as_of=as_of, period=None)

    first = version()
    item = pledge(project, municipality, lead, amount="10000.00", pledged_on=day(deal, 40))
    pledged = version()
    cofinancing_realise(item=item, realised_on=day(deal, 60), user=lead, evidence_reference="Bankafschrift")
    realised = version()

    assert len({first, pledged, realised}) == 3


def _report_queries(deal, as_of) -> int:
    with CaptureQueriesContext(connection) as captured:
        report_json(report_data(deal=deal, as_of=as_of))
    return len(captured.captured_queries)


def test_the_report_needs_as_many_queries_with_none_as_with_several(deal, municipality, private, coordinator):
    as_of = day(deal, 400)
    without = _report_queries(deal, as_of)
    for code, funder in (("1310", municipality), ("1320", private), ("2110", municipality), ("2110", private)):
        project = Project.objects.get(deal=deal, code=code)
        pledge(project, funder, coordinator, amount="5000.00", pledged_on=day(deal, 30))
    with_several = _report_queries(deal, as_of)

    assert len(report_json(report_data(deal=deal, as_of=as_of))[KEY]) == 3
    assert with_several == without
