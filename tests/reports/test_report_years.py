"""Section 2.4 of the report: begroot, prognose and besteed per calendar year, as of the ijkdatum."""

import datetime
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string

from finance.services import expenditure_record
from finance.services_years import rollover_create, year_plan_set
from projects.models import Decision
from reports.jsonformat import report_json
from reports.selectors import report_data
from reports.services import data_version

BEFORE_ROLLOVER = datetime.date(2022, 7, 1)
AFTER_ROLLOVER = datetime.date(2023, 6, 30)
# Every demo besteding is dated 30-06-2022: Tabel 4/7's 700.852 + 1.843.338 + 829.540 = 3.373.730.
DEMO_SPENT_2022 = "3373730.00"


@pytest.fixture
def planned(deal, coordinator):
    """1310 spread over 2021-2023 (Rijk and Onderwijs), € 1.000 spent in March 2023, and € 20.000 of
    Rijk rolled from 2022 to 2023 by a decision of 1 February 2023."""
    project = deal.projects.get(code="1310")
    rijk, onderwijs = deal.funders.get(name="Rijk"), deal.funders.get(name="Onderwijs")
    for funder, year, budget, forecast in [
        (rijk, 2021, "40000", "30000"),
        (rijk, 2022, "60000", None),
        (rijk, 2023, "43751", "50000"),
        (onderwijs, 2022, "37613", "37613"),
    ]:
        year_plan_set(
            project=project, funder=funder, year=year, budget=D(budget),
            forecast=None if forecast is None else D(forecast), user=coordinator,
        )  # fmt: skip
    expenditure_record(
        project=project, funder=rijk, amount=D("1000.00"), period_start=datetime.date(2023, 3, 1),
        period_end=datetime.date(2023, 3, 2), date=datetime.date(2023, 3, 1), user=coordinator,
    )  # fmt: skip
    decision = Decision.objects.create(
        deal=deal, number="SG-2023-01", date=datetime.date(2023, 2, 1), text="Doorschuiven 1310", created_by=coordinator
    )
    rollover_create(
        project=project, funder=rijk, from_year=2022, amount=D("20000.00"), decision=decision, user=coordinator
    )
    return project


def years_of(deal, as_of) -> dict[int, dict]:
    document = report_json(report_data(deal=deal, as_of=as_of))
    return {row["jaar"]: row for row in document["per_jaar"]["jaren"]}


def test_after_the_rollover_each_year_shows_its_plan_forecast_and_spending(deal, planned):
    years = years_of(deal, AFTER_ROLLOVER)
    assert years[2021] == {
        "jaar": 2021, "begroot": "40000.00", "prognose": "30000.00", "prognose_opgegeven": True,
        "besteed": "0.00", "begroot_min_besteed": "40000.00",
    }  # fmt: skip
    # 2022: 60.000 + 37.613 − 20.000 rolled out = 77.613; Rijk gave no forecast, so its begroot
    # (60.000 − 20.000) counts: 40.000 + 37.613 = 77.613, marked as not given.
    assert years[2022] == {
        "jaar": 2022, "begroot": "77613.00", "prognose": "77613.00", "prognose_opgegeven": False,
        "besteed": DEMO_SPENT_2022, "begroot_min_besteed": "-3296117.00",
    }  # fmt: skip
    # 2023: 43.751 + 20.000 rolled in = 63.751; the € 1.000 of March 2023.
    assert years[2023] == {
        "jaar": 2023, "begroot": "63751.00", "prognose": "50000.00", "prognose_opgegeven": True,
        "besteed": "1000.00", "begroot_min_besteed": "62751.00",
    }  # fmt: skip


def test_before_the_rollover_and_the_spending_the_report_shows_neither(deal, planned):
    years = years_of(deal, BEFORE_ROLLOVER)
    assert (years[2022]["begroot"], years[2023]["begroot"]) == ("97613.00", "43751.00")
    assert (years[2022]["besteed"], years[2023]["besteed"]) == (DEMO_SPENT_2022, "0.00")


def test_the_seed_deal_without_year_plans_reports_its_spending_per_year_and_says_so(deal):
    data = report_data(deal=deal, as_of=BEFORE_ROLLOVER)
    document = report_json(data)
    assert {row["jaar"]: row["besteed"] for row in document["per_jaar"]["jaren"]} == {
        2020: "0.00",
        2021: "0.00",
        2022: DEMO_SPENT_2022,
        2023: "0.00",
        2024: "0.00",
        2025: "0.00",
    }
    html = render_to_string("reports/report_detail.html", {"report": data, "deal": deal})
    assert "2.4 Begroot, prognose en besteed per jaar" in html
    assert "Voor deze deal zijn nog geen jaarbegrotingen vastgelegd" in html
    assert "Besteed per kalenderjaar tot de ijkdatum: 2022 €\xa03.373.730." in html


def test_with_year_plans_the_report_has_the_year_table(deal, planned):
    data = report_data(deal=deal, as_of=AFTER_ROLLOVER)
    html = render_to_string("reports/partials/years_table.html", {"report": data, "table": data.years})
    assert "Projectmiddelen per kalenderjaar" in html
    assert "63.751" in html and "77.613" in html


def test_a_new_year_plan_makes_the_stored_pdf_stale(deal, coordinator):
    before = data_version(deal=deal, as_of=AFTER_ROLLOVER, period=None)
    year_plan_set(
        project=deal.projects.get(code="1310"), funder=deal.funders.get(name="Rijk"), year=2023,
        budget=D("1000"), forecast=None, user=coordinator,
    )  # fmt: skip
    assert data_version(deal=deal, as_of=AFTER_ROLLOVER, period=None) != before
