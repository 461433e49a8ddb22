"""Two deals, two teams: no persona of one deal reads or writes anything of the other.

Every URL pattern that takes a deal is asked, GET and POST, for deal A's objects (cleantech)
by each persona of deal B (the second demo deal's team, usernames ending in _b), and for
deal B's objects by each persona of deal A; each answer must refuse (403/404, or 405 for a
page that takes no POST) and no table may change. The ministry's role reads every deal and
writes nothing.
"""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.urls import reverse

from finance.models import Booking, TrancheCondition
from finance.services import expenditure_record, tranche_register
from projects.models import Deal, ReportingPeriod
from tests.url_samples import project_url_names, sample_kwargs

TEAM_A = ["coordinator", "themalijnmanager", "kassier", "controller", "stuurgroep", "penvoerder"]
TEAM_B = ["coordinator_b", "themalijnmanager_b", "kassier_b", "controller_b", "stuurgroep_b", "penvoerder_b"]
REFUSED = {403, 404, 405}
DEAL_URLS = [(name, kwargs) for name, kwargs in project_url_names() if "deal_code" in kwargs]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("projects", "finance", "monitoring", "reports")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.fixture
def second_deal(db) -> Deal:
    return Deal.objects.exclude(code="cleantech").get(role_assignments__user__username="coordinator_b")


@pytest.fixture
def second_deal_with_samples(second_deal) -> Deal:
    """Deal B with what tests/url_samples.py samples and the generated deal lacks.

    Its one period already has an approved verslag for every project, and its projects have
    no tranches or bestedingen; so: an open next half year, and on the project of
    penvoerder_b a tranche waiting for approval (with a condition) and a besteding.
    """
    closed = second_deal.reporting_periods.get()
    start = closed.end
    end = start.replace(year=start.year + 1, month=1)
    ReportingPeriod.objects.create(
        deal=second_deal, name=f"{start.year}-2", start=start, end=end, reference_date=end,
        deadline=end.replace(month=3),
    )  # fmt: skip
    project = second_deal.projects.get(lead_users__username="penvoerder_b")
    funder = Booking.objects.filter(project=project, kind="begroting").order_by("pk").first().funder
    tranche = tranche_register(
        project=project, funder=funder, amount=Decimal("100.00"), date=start,
        user=User.objects.get(username="kassier_b"),
    )  # fmt: skip
    TrancheCondition.objects.create(tranche=tranche, description="Getekende overeenkomst", reference="B-SOK-1")
    expenditure_record(
        project=project, funder=funder, amount=Decimal("50.00"), period_start=closed.start, period_end=closed.end,
        date=closed.end, user=User.objects.get(username="coordinator_b"),
    )  # fmt: skip
    return second_deal


def test_the_demo_has_two_deals_with_separate_teams(deal, second_deal):
    team_a = set(deal.role_assignments.values_list("user__username", flat=True))
    team_b = set(second_deal.role_assignments.values_list("user__username", flat=True))
    assert set(TEAM_A) <= team_a
    assert set(TEAM_B) <= team_b
    assert not team_a & team_b


def assert_team_reaches_nothing(client, team: list[str], deal: Deal, name: str, kwarg_names: list[str]) -> None:
    """Every persona of ``team`` is refused, GET and POST, at this URL for ``deal``'s sample objects."""
    url = reverse(name, kwargs=sample_kwargs(name, kwarg_names, deal))
    before = row_counts()
    answers = {}
    for username in team:
        client.force_login(User.objects.get(username=username))
        answers[username] = (client.get(url).status_code, client.post(url, {}).status_code)
    leaked = {u: a for u, a in answers.items() if not set(a) <= REFUSED}
    assert leaked == {}, f"{url}: {leaked}"
    assert row_counts() == before


@pytest.mark.parametrize("name,kwarg_names", DEAL_URLS, ids=[n for n, _ in DEAL_URLS])
def test_team_of_deal_b_reaches_nothing_of_deal_a(client, deal, second_deal, name, kwarg_names):
    assert_team_reaches_nothing(client, TEAM_B, deal, name, kwarg_names)


@pytest.mark.parametrize("name,kwarg_names", DEAL_URLS, ids=[n for n, _ in DEAL_URLS])
def test_team_of_deal_a_reaches_nothing_of_deal_b(client, second_deal_with_samples, name, kwarg_names):
    assert_team_reaches_nothing(client, TEAM_A, second_deal_with_samples, name, kwarg_names)


@pytest.fixture
def ministry(db) -> User:
    """The demo's ministry reader: one assignment for every deal."""
    user = User.objects.get(username="ministerie")
    assert user.role_assignments.get().deal is None
    return user


@pytest.mark.parametrize(
    "name", ["projects:deal-detail", "finance:deal-overview", "finance:tranche-list", "reports:report-detail"]
)
def test_the_ministry_reads_every_deal(client, ministry, deal, second_deal, name):
    client.force_login(ministry)
    for each in (deal, second_deal):
        assert client.get(reverse(name, args=[each.code])).status_code == 200


@pytest.mark.parametrize("name,kwarg_names", DEAL_URLS, ids=[n for n, _ in DEAL_URLS])
def test_the_ministry_writes_nothing(client, ministry, deal, name, kwarg_names):
    url = reverse(name, kwargs=sample_kwargs(name, kwarg_names, deal))
    client.force_login(ministry)
    before = row_counts()
    status = client.post(url, {}).status_code
    assert status in REFUSED, f"{url}: POST gaf {status}"
    assert row_counts() == before
