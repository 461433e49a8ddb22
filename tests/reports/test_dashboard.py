"""The stuurgroep's dashboard: the demo deal's figures at the seed's ijkdatum, hefboom and Rijk-match
worked out by hand, traffic lights with their reasons, who may open it and a fixed query count."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from projects import roles
from projects.models import ProgressReport, Project, ReportingPeriod
from reports.dashboard import GREEN, ORANGE, RED, deal_dashboard, project_light
from tests.builders import build_synthetic_deal
from tests.conftest import make_user

AS_OF = date(2022, 7, 1)
TODAY = date(2026, 12, 2)

# The seed report's Tabel 5/6/7 totals per category (tests/reports/test_report_figures.py, TOTALS).
SEED = {
    "rijk": {"begroot": 7500000, "uitgekeerd": 2816127, "besteed": 700852},
    "publiek": {"begroot": 15487000, "uitgekeerd": 4411722, "besteed": 1843338},
    "overig": {"begroot": 78226155, "uitgekeerd": 818560, "besteed": 829540},
}
# Shares of the totals 101.213.155 / 8.046.409 / 3.373.730, to two decimals:
# begroot    7.500.000 / 101.213.155 = 7,41 %;  15.487.000 → 15,30 %;  78.226.155 → 77,29 %
# uitgekeerd 2.816.127 / 8.046.409   = 35,00 %; 4.411.722  → 54,83 %;  818.560    → 10,17 %
# besteed    700.852 / 3.373.730     = 20,77 %; 1.843.338  → 54,64 %;  829.540    → 24,59 %
SHARES = {
    "rijk": {"begroot": "7.41", "uitgekeerd": "35.00", "besteed": "20.77"},
    "publiek": {"begroot": "15.30", "uitgekeerd": "54.83", "besteed": "54.64"},
    "overig": {"begroot": "77.29", "uitgekeerd": "10.17", "besteed": "24.59"},
}


@pytest.fixture
def dashboard(deal):
    return deal_dashboard(deal=deal, as_of=AS_OF, today=TODAY)


def euros(value: int) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def test_key_figures_are_the_seed_totals_with_the_share_per_category(dashboard):
    assert dashboard.total.begroot == euros(101213155)
    assert dashboard.total.uitgekeerd == euros(8046409)
    assert dashboard.total.besteed == euros(3373730)
    for share in dashboard.categories:
        for measure in ("begroot", "uitgekeerd", "besteed"):
            assert getattr(share.figures, measure) == euros(SEED[share.key][measure]), (share.key, measure)
            assert share.shares[measure] == Decimal(SHARES[share.key][measure]), (share.key, measure)


def test_hefboom_begroot_and_realised(dashboard):
    # Begroot: (publiek 15.487.000 + overig 78.226.155) / Rijk 7.500.000 = 93.713.155 / 7.500.000 = 12,495… → 12,50.
    # Besteed: (1.843.338 + 829.540) / 700.852 = 2.672.878 / 700.852 = 3,8137… → 3,81.
    # The demo has no public co-financing outside the kassier by 1 July 2022, so nothing is added.
    assert dashboard.begroot.publiek_outside == 0 and dashboard.besteed.publiek_outside == 0
    assert dashboard.begroot.regional == euros(93713155)
    assert dashboard.begroot.hefboom == Decimal("12.50")
    assert dashboard.besteed.regional == euros(2672878)
    assert dashboard.besteed.hefboom == Decimal("3.81")


def test_rijk_match_is_met_begroot_and_realised(dashboard):
    # Begroot: publiek 15.487.000 ≥ Rijk 7.500.000: 7.987.000 more, 206,49 % of the Rijk.
    # Besteed: publiek 1.843.338 ≥ Rijk 700.852: 1.142.486 more, 263,01 % of the Rijk.
    assert dashboard.begroot.match_met and dashboard.besteed.match_met
    assert dashboard.begroot.match_difference == euros(7987000)
    assert dashboard.begroot.match_pct == Decimal("206.49")
    assert dashboard.besteed.match_difference == euros(1142486)
    assert dashboard.besteed.match_pct == Decimal("263.01")


def _lights(dashboard) -> dict:
    return {p.project.code: p for programme in dashboard.programmes for p in programme.projects}


def test_traffic_lights_follow_the_verslag_and_the_findings(dashboard):
    lights = _lights(dashboard)
    # 1120: verslag 2022-1 op schema, no findings.
    assert lights["1120"].light.colour == GREEN
    assert lights["1120"].light.reasons == ["Verslag 2022-1: op schema."]
    # 1210: verslag 2022-1 says kleine vertraging, no findings.
    assert lights["1210"].light.colour == ORANGE
    assert lights["1210"].light.reasons == ["Verslag 2022-1: kleine vertraging."]
    # 2110: afgerond, but past its end date with budget not paid out (einddatum_voorbij).
    assert lights["2110"].light.colour == ORANGE
    assert [f.soort for f in lights["2110"].findings] == ["einddatum_voorbij"]
    # 2310: op schema, but five funders spent more than was paid out: red from three findings on.
    assert lights["2310"].light.colour == RED
    assert lights["2310"].light.reasons == ["Verslag 2022-1: op schema.", "5 bevindingen."]


def test_a_programme_has_the_light_of_its_worst_project(dashboard):
    programmes = {p.row.code: p for p in dashboard.programmes}
    assert programmes["2300"].light.colour == RED
    assert programmes["1100"].light.colour == ORANGE
    assert programmes["1100"].light.reasons == ["1 project oranje, 4 projecten groen."]
    assert dashboard.light_counts[GREEN] + dashboard.light_counts[ORANGE] + dashboard.light_counts[RED] == 26


@pytest.mark.parametrize(
    ("status", "findings", "colour"),
    [
        (ProgressReport.ProjectStatus.DELAYED, 0, RED),
        (ProgressReport.ProjectStatus.STOPPED, 0, RED),
        (ProgressReport.ProjectStatus.FINISHED, 0, GREEN),
        (ProgressReport.ProjectStatus.ON_SCHEDULE, 2, ORANGE),
        (ProgressReport.ProjectStatus.ON_SCHEDULE, 3, RED),
        (ProgressReport.ProjectStatus.SMALL_DELAY, 3, RED),
    ],
)
def test_project_light_rules(status, findings, colour):
    report = ProgressReport(status=status, period=ReportingPeriod(name="2022-1"))
    assert project_light(report, findings).colour == colour


def test_a_project_without_approved_verslag_is_orange():
    light = project_light(None, 0)
    assert light.colour == ORANGE and light.reasons == ["Nog geen goedgekeurd verslag."]


@pytest.mark.parametrize("persona", ["steering", "coordinator", "kassier", "controller", "theme_manager"])
def test_readers_of_the_report_open_the_dashboard(persona, request, deal, client_for):
    client = client_for(request.getfixturevalue(persona))
    response = client.get(reverse("reports:dashboard", args=[deal.code]), {"ijkdatum": "2022-07-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "101.213.155" in html and "12,50" in html and "Voldaan" in html


def test_the_dashboard_is_linked_from_the_report_page(steering, deal, client_for):
    response = client_for(steering).get(reverse("reports:report-detail", args=[deal.code]))
    assert reverse("reports:dashboard", args=[deal.code]) in response.content.decode()


def test_a_penvoerder_may_not_open_the_dashboard(lead, deal, client_for):
    assert client_for(lead).get(reverse("reports:dashboard", args=[deal.code])).status_code == 403


def test_the_stuurgroep_of_another_deal_does_not_see_this_one(deal, client_for):
    other = build_synthetic_deal(code="andere", programmes=1, projects_per_programme=1)
    user = make_user("stuurgroep_andere", roles.STEERING, deal=other)
    client = client_for(user)
    assert client.get(reverse("reports:dashboard", args=[deal.code])).status_code == 404
    assert client.get(reverse("reports:dashboard", args=[other.code])).status_code == 200


def test_a_malformed_ijkdatum_is_not_found(steering, deal, client_for):
    response = client_for(steering).get(reverse("reports:dashboard", args=[deal.code]), {"ijkdatum": "1-7-2022"})
    assert response.status_code == 404


def _deal_with_verslagen(code: str, programmes: int, per_programme: int):
    """A synthetic deal whose every project has an approved verslag, and a stuurgroep member."""
    deal = build_synthetic_deal(code=code, programmes=programmes, projects_per_programme=per_programme)
    period = ReportingPeriod.objects.create(
        deal=deal, name="2022-1", start=date(2022, 1, 1), end=AS_OF, reference_date=AS_OF, deadline=date(2022, 7, 15)
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(project=project, period=period, state=ProgressReport.State.APPROVED)
        for project in Project.objects.filter(deal=deal)
    )
    return deal, make_user(f"stuurgroep_{code}", roles.STEERING, deal=deal)


def _page_queries(client, deal, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(40) as captured:
        assert client.get(reverse("reports:dashboard", args=[deal.code])).status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_number_of_projects(db, client_for, django_assert_max_num_queries):
    small, small_user = _deal_with_verslagen("klein", 1, 2)
    large, large_user = _deal_with_verslagen("groot", 5, 8)
    small_count = _page_queries(client_for(small_user), small, django_assert_max_num_queries)
    large_count = _page_queries(client_for(large_user), large, django_assert_max_num_queries)
    assert small_count == large_count


def test_the_demo_dashboard_takes_a_fixed_number_of_queries(deal, django_assert_num_queries):
    # deal_figures 5; deal_findings 3 more (it takes the dashboard's figures: late bookings,
    # co-financing, tranches); the public co-financing outside the kassier 1 + 1 (toegezegd and
    # gerealiseerd); the latest approved verslagen with their periods 1.
    with django_assert_num_queries(11):
        deal_dashboard(deal=deal, as_of=AS_OF, today=TODAY)


def test_findings_about_the_deal_as_a_whole_are_listed_apart(dashboard):
    # Tabel 1 per funder: six funders spent more over the deal than was paid out to them.
    assert [f.soort for f in dashboard.deal_level_findings] == ["besteed_boven_uitgekeerd"] * 6
    assert len(dashboard.findings) == 47
