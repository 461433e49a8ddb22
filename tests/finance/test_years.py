"""Money per year: year budgets and prognoses, besteed per year, rollovers by decision (issue 11, item 5)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.sites import AdminSite
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from finance.admin_years import RolloverAdmin, YearPlanAdmin
from finance.models import Funder
from finance.models_years import Rollover, YearPlan
from finance.selectors_years import deal_years, project_years
from finance.services import booking_correct, booking_create, expenditure_record
from finance.services_years import rollover_create, year_plan_set
from projects import roles
from projects.models import Deal, Decision, Project
from tests.builders import build_synthetic_deal
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def project(deal) -> Project:
    return Project.objects.get(deal=deal, code="1310")


@pytest.fixture
def rijk(deal) -> Funder:
    return Funder.objects.get(deal=deal, name="Rijk")  # 1310: begroot € 143.751, besteed € 12.500 on 30-06-2022


@pytest.fixture
def onderwijs(deal) -> Funder:
    return Funder.objects.get(deal=deal, name="Onderwijs")  # 1310: begroot and besteed € 37.613 on 30-06-2022


@pytest.fixture
def decision(deal) -> Decision:
    return deal.decisions.order_by("pk").first()


@pytest.fixture
def other_deal(db) -> Deal:
    return Deal.objects.get(code="synth-2-1")


@pytest.fixture
def live(db):
    """A deal that runs from two years ago to next year (relative to today), with a coordinator,
    one project, one funder with € 1.000 begroot, and no decision yet in its register."""
    year = timezone.localdate().year
    deal = build_synthetic_deal(code="live", programmes=1, projects_per_programme=1, funders=1, bookings=False)
    Deal.objects.filter(pk=deal.pk).update(
        start=datetime.date(year - 2, 1, 1),
        end=datetime.date(year + 1, 12, 31),
        financial_closing_date=datetime.date(year + 2, 6, 30),
    )
    deal.refresh_from_db()
    coordinator = make_user("coord_live", roles.COORDINATOR, deal=deal)
    project, funder = deal.projects.get(), deal.funders.get()
    adopted = Decision.objects.create(deal=deal, number="SG-1", date=deal.start, text="Begroting")
    booking_create(
        deal=deal,
        project=project,
        funder=funder,
        kind="begroting",
        amount=D("1000.00"),
        date=deal.start,
        user=coordinator,
        decision=adopted,
    )
    return {"deal": deal, "coordinator": coordinator, "project": project, "funder": funder, "decision": adopted}


def plan(project, funder, year, budget, forecast=None, *, user):
    return year_plan_set(
        project=project,
        funder=funder,
        year=year,
        budget=D(budget),
        forecast=None if forecast is None else D(forecast),
        user=user,
    )


def spend(project, funder, amount, day, user):
    return expenditure_record(
        project=project,
        funder=funder,
        amount=D(amount),
        period_start=day.replace(day=1),
        period_end=day + datetime.timedelta(days=1),
        date=day,
        user=user,
    )


@pytest.fixture
def planned(project, rijk, onderwijs, coordinator, decision):
    """1310 spread over years; a besteding in 2023 corrected in 2024; € 20.000 rolled from 2022 to 2023."""
    plan(project, rijk, 2021, "40000", "30000", user=coordinator)
    plan(project, rijk, 2022, "60000", user=coordinator)
    plan(project, rijk, 2023, "43751", "50000", user=coordinator)
    plan(project, onderwijs, 2022, "37613", "37613", user=coordinator)
    spent = spend(project, rijk, "1000.00", datetime.date(2023, 3, 1), coordinator)
    booking_correct(
        booking=spent, amount=D("250.00"), reason="Te hoog", user=coordinator, date=datetime.date(2024, 1, 10)
    )
    rollover_create(
        project=project,
        funder=rijk,
        from_year=2022,
        amount=D("20000.00"),
        decision=decision,
        user=coordinator,
        note="Vertraging",
    )
    return project


# ------------------------------------------------------------------ selector


def test_project_years_match_the_hand_computed_figures(planned, rijk, onderwijs):
    table = project_years(project=planned)
    row = next(f for f in table.per_funder if f.funder == rijk)
    y2021, y2022, y2023, y2024 = (row.years[y] for y in (2021, 2022, 2023, 2024))
    assert (y2021.begroot, y2021.prognose, y2021.besteed) == (D("40000.00"), D("30000.00"), D("0.00"))
    assert y2021.prognose_min_begroot == D("-10000.00")
    # 60.000 planned, 20.000 rolled out; no forecast, so the begroot counts as prognose (and is marked).
    assert (y2022.begroot, y2022.prognose, y2022.forecast_given) == (D("40000.00"), D("40000.00"), False)
    assert (y2022.besteed, y2022.begroot_min_besteed) == (D("12500.00"), D("27500.00"))
    assert (y2023.begroot, y2023.rolled_in, y2023.besteed) == (D("63751.00"), D("20000.00"), D("1000.00"))
    # The correction counts in the year of its own booking date.
    assert (y2024.begroot, y2024.besteed, y2024.begroot_min_besteed) == (D("0.00"), D("-250.00"), D("250.00"))
    assert (row.total.begroot, row.total.besteed, row.ledger_begroot, row.unplanned) == (
        D("143751.00"),
        D("13250.00"),
        D("143751.00"),
        D("0.00"),
    )
    assert table.per_year[2022].begroot == D("77613.00")
    assert table.per_year[2022].besteed == D("50113.00")
    # Provincies and privaat are in the ledger but not yet spread over years: shown, not hidden.
    assert table.ledger_begroot == D("698003.00")
    assert table.unplanned == D("698003.00") - D("181364.00")
    assert [r.amount for r in table.rollovers] == [D("20000.00")]


def test_deal_years_add_up_the_projects_and_leave_out_the_deal_level(deal, planned):
    table = deal_years(deal=deal)
    # Every demo besteding is dated 30-06-2022 (fixtures/cleantech.json), all on projects: Tabel 4/7's
    # 700.852 + 1.843.338 + 829.540 = 3.373.730; the planned fixture's besteding falls in 2023.
    assert table.per_year[2022].besteed == D("3373730.00")
    assert table.total.planned == D("181364.00")
    check = next(p for p in table.projects if p.project == planned)
    assert (check.ledger_begroot, check.total.planned) == (D("698003.00"), D("181364.00"))
    # The programmes' begroot, Tabel 5: 7.275.000 + 15.487.000 + 78.226.155 = 100.988.155, without the
    # 225.000 Rijk on the deal itself.
    assert table.ledger_begroot == D("100988155.00")
    assert sum((p.ledger_begroot for p in table.projects), D("0.00")) == D("100988155.00")
    assert table.years[0] == 2020  # the deal starts in December 2020


def _fill_years(deal: Deal) -> None:
    """A year plan for every project x funder x two years, and a rollover each."""
    decision = deal.decisions.get()
    user = make_user(f"c_{deal.code}", roles.COORDINATOR, deal=deal)
    projects, funders = list(deal.projects.all()), list(deal.funders.all())
    YearPlan.objects.bulk_create(
        YearPlan(project=p, funder=f, year=y, budget=D("400.00"), forecast=D("300.00"))
        for p in projects
        for f in funders
        for y in (2021, 2022)
    )
    for p in projects:
        for f in funders:
            Rollover(
                project=p, funder=f, from_year=2021, to_year=2022, amount=D("10.00"), decision=decision, created_by=user
            ).save()


def _queries(func) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured)


def test_query_count_does_not_grow_with_the_deal():
    small = build_synthetic_deal(code="klein", programmes=2, projects_per_programme=3)
    large = build_synthetic_deal(code="groot", programmes=2, projects_per_programme=30)
    _fill_years(small)
    _fill_years(large)
    # funders, projects, year plans, rollovers, besteed per year, ledger begroot
    counts = {d.code: _queries(lambda d=d: deal_years(deal=d)) for d in (small, large)}
    assert counts == {"klein": 6, "groot": 6}
    # the same without projects, plus the project's rollovers with their decisions
    first = {d.code: d.projects.select_related("deal").order_by("pk").first() for d in (small, large)}
    project_counts = {code: _queries(lambda p=p: project_years(project=p)) for code, p in first.items()}
    assert project_counts == {"klein": 6, "groot": 6}
    assert deal_years(deal=large).per_year[2022].planned == D("400.00") * 60 * 3


# ------------------------------------------------------------------ year_plan_set


def test_coordinator_sets_and_replaces_the_plan_of_a_running_year(live):
    this_year = timezone.localdate().year
    project, funder, coordinator = live["project"], live["funder"], live["coordinator"]
    plan(project, funder, this_year, "500", user=coordinator)
    changed = plan(project, funder, this_year, "600", "550", user=coordinator)
    assert YearPlan.objects.filter(project=project, funder=funder).count() == 1
    assert (changed.budget, changed.forecast, changed.updated_by) == (D("600"), D("550"), coordinator)
    assert changed.history.count() == 2


def test_a_closed_year_is_planned_once_and_then_stays(live):
    # Lowering a closed year and raising the next would move money without the decision a rollover needs.
    last_year = timezone.localdate().year - 1
    project, funder, coordinator = live["project"], live["funder"], live["coordinator"]
    first = plan(project, funder, last_year, "400", "300", user=coordinator)  # taking over a running deal
    plan(project, funder, last_year, "400", "300", user=coordinator)  # the same again changes nothing
    with pytest.raises(ValidationError) as refused:
        plan(project, funder, last_year, "100", "300", user=coordinator)
    assert refused.value.message_dict == {
        "year": [
            f"{last_year} is afgesloten: de jaarbegroting ligt vast. Onbesteed geld van een afgesloten jaar "
            "gaat alleen met een besluit naar het volgende jaar (doorschuiven)."
        ]
    }
    first.refresh_from_db()
    assert (first.budget, first.forecast) == (D("400.00"), D("300.00"))


@pytest.mark.parametrize("persona", ["kassier", "controller", "theme_manager", "steering", "lead"])
def test_only_the_coordinator_sets_year_plans(request, project, rijk, persona):
    # The prognose too: DOMAIN.md gives nobody but the coordinator the budget or its spread.
    with pytest.raises(PermissionDenied):
        plan(project, rijk, 2022, "1000", "1000", user=request.getfixturevalue(persona))
    assert not YearPlan.objects.filter(project__deal__code="cleantech").exists()


@pytest.mark.parametrize(
    "year,budget,forecast,field",
    [
        (2019, "10", None, "year"),
        (2026, "10", None, "year"),
        (2022, "-1", None, "budget"),
        (2022, "10", "-1", "forecast"),
    ],
)
def test_year_plan_refuses_years_outside_the_deal_and_negative_amounts(
    project, rijk, coordinator, year, budget, forecast, field
):
    # Cleantech runs 2020-12-01 to 2024-12-31 and closes financially on 2025-07-01: 2020-2025.
    with pytest.raises(ValidationError) as refused:
        plan(project, rijk, year, budget, forecast, user=coordinator)
    assert field in refused.value.message_dict


def test_year_budgets_never_exceed_the_ledger_begroot(project, rijk, coordinator):
    plan(project, rijk, 2021, "100000", user=coordinator)
    with pytest.raises(ValidationError) as refused:
        plan(project, rijk, 2022, "43751.01", user=coordinator)
    message = refused.value.message_dict["budget"][0]
    assert "€\u00a0143.751,01" in message and "€\u00a0143.751,00" in message and "€\u00a043.751,00" in message
    plan(project, rijk, 2022, "43751", user=coordinator)  # exactly the ledger: fine


def test_year_plan_refuses_a_funder_of_another_deal(project, other_deal, coordinator):
    with pytest.raises(ValidationError) as refused:
        plan(project, other_deal.funders.first(), 2022, "10", user=coordinator)
    assert "funder" in refused.value.message_dict


def test_a_year_that_rolled_money_over_keeps_its_plan(planned, rijk, coordinator):
    with pytest.raises(ValidationError) as refused:
        plan(planned, rijk, 2022, "19999.99", user=coordinator)
    assert refused.value.message_dict["year"][0].startswith("2022 is afgesloten: de jaarbegroting ligt vast.")
    assert YearPlan.objects.get(project=planned, funder=rijk, year=2022).budget == D("60000.00")


# ------------------------------------------------------------------ rollover_create


def roll(live, from_year, amount, **changes):
    values = {
        "project": live["project"],
        "funder": live["funder"],
        "from_year": from_year,
        "amount": D(amount),
        "decision": live["decision"],
        "user": live["coordinator"],
        "note": "",
    }
    return rollover_create(**{**values, **changes})


def test_rollover_only_from_a_closed_year(live):
    this_year = timezone.localdate().year
    plan(live["project"], live["funder"], this_year - 1, "400", user=live["coordinator"])
    plan(live["project"], live["funder"], this_year, "400", user=live["coordinator"])
    with pytest.raises(ValidationError) as refused:
        roll(live, this_year, "100")
    assert "niet afgesloten" in refused.value.message_dict["from_year"][0]
    rollover = roll(live, this_year - 1, "100")
    assert (rollover.to_year, rollover.created_by, rollover.decision) == (
        this_year,
        live["coordinator"],
        live["decision"],
    )
    assert project_years(project=live["project"]).per_funder[0].years[this_year].begroot == D("500.00")


def test_rollover_takes_at_most_what_the_year_left_unspent(live):
    year = timezone.localdate().year - 2
    plan(live["project"], live["funder"], year, "400", user=live["coordinator"])
    spend(live["project"], live["funder"], "150.00", datetime.date(year, 6, 1), live["coordinator"])
    with pytest.raises(ValidationError) as refused:
        roll(live, year, "250.01")
    assert "€\u00a0250,00" in refused.value.message_dict["amount"][0]
    roll(live, year, "200")
    with pytest.raises(ValidationError):
        roll(live, year, "50.01")  # only € 50 is left of that year now
    roll(live, year, "50")


def test_rollover_needs_a_decision_of_the_same_deal(live, other_deal):
    year = timezone.localdate().year - 1
    plan(live["project"], live["funder"], year, "400", user=live["coordinator"])
    for wrong in (None, other_deal.decisions.first()):
        with pytest.raises(ValidationError) as refused:
            roll(live, year, "100", decision=wrong)
        assert "decision" in refused.value.message_dict
    assert not Rollover.objects.filter(project__deal__code="cleantech").exists()


def test_rollover_refuses_non_coordinators_and_years_without_a_next_year(
    deal, project, rijk, kassier, coordinator, decision
):
    with pytest.raises(PermissionDenied):
        rollover_create(project=project, funder=rijk, from_year=2022, amount=D("1"), decision=decision, user=kassier)
    with pytest.raises(ValidationError) as refused:  # 2025 is the deal's last year
        rollover_create(
            project=project, funder=rijk, from_year=2025, amount=D("1"), decision=decision, user=coordinator
        )
    assert "from_year" in refused.value.message_dict


def test_a_rollover_is_never_changed_or_deleted(planned):
    rollover = Rollover.objects.get()
    rollover.amount = D("1.00")
    for attempt in (
        rollover.save,
        rollover.delete,
        lambda: Rollover.objects.update(amount=D("1")),
        lambda: Rollover.objects.all().delete(),
    ):
        with pytest.raises(ValidationError):
            attempt()
    assert Rollover.objects.get().amount == D("20000.00")


# ------------------------------------------------------------------ pages


def years_url(deal, project, name="finance:years-project"):
    return reverse(name, args=[deal.code, project.code])


def test_project_page_shows_years_and_forms_for_the_coordinator_only(client_for, deal, planned, coordinator, kassier):
    page = client_for(coordinator).get(years_url(deal, planned))
    assert page.status_code == 200
    assert "63.751,00" in page.text and "Vertraging" in page.text
    assert reverse("finance:year-plan-set", args=[deal.code, planned.code]) in page.text
    page = client_for(kassier).get(years_url(deal, planned))
    assert page.status_code == 200 and "63.751,00" in page.text
    assert reverse("finance:year-plan-set", args=[deal.code, planned.code]) not in page.text


def test_a_posted_year_plan_is_saved_and_errors_keep_what_was_typed(client_for, deal, project, rijk, coordinator):
    client = client_for(coordinator)
    url = years_url(deal, project, "finance:year-plan-set")
    response = client.post(url, {"jaar-funder": rijk.pk, "jaar-year": 2022, "jaar-budget": "50000"})
    assert response.status_code == 302
    assert YearPlan.objects.get(project=project, funder=rijk, year=2022).forecast is None
    response = client.post(
        url, {"jaar-funder": rijk.pk, "jaar-year": 2023, "jaar-budget": "999999", "jaar-forecast": "12345"}
    )
    assert response.status_code == 400
    assert 'value="999999"' in response.text and 'value="12345"' in response.text
    assert "meer dan de begroting in de boekhouding" in response.text


def test_forged_posts_with_objects_of_the_other_deal_are_refused(
    client_for, deal, project, rijk, coordinator, other_deal
):
    client = client_for(coordinator)
    response = client.post(
        years_url(deal, project, "finance:year-plan-set"),
        {"jaar-funder": other_deal.funders.first().pk, "jaar-year": 2022, "jaar-budget": "10"},
    )
    assert response.status_code == 400
    plan(project, rijk, 2023, "1000", user=coordinator)  # nothing spent in 2023: only the decision is wrong
    response = client.post(
        years_url(deal, project, "finance:rollover-create"),
        {
            "door-funder": rijk.pk,
            "door-from_year": 2023,
            "door-amount": "10",
            "door-decision": other_deal.decisions.first().pk,
        },
    )
    assert response.status_code == 400
    assert not Rollover.objects.filter(project__deal__code="cleantech").exists()
    assert set(YearPlan.objects.filter(project__deal__code="cleantech").values_list("funder_id", flat=True)) == {
        rijk.pk
    }


def test_a_posted_rollover_is_recorded(client_for, deal, project, rijk, coordinator, decision):
    plan(project, rijk, 2023, "1000", user=coordinator)  # nothing spent in 2023
    response = client_for(coordinator).post(
        years_url(deal, project, "finance:rollover-create"),
        {"door-funder": rijk.pk, "door-from_year": 2023, "door-amount": "300", "door-decision": decision.pk},
    )
    assert response.status_code == 302
    assert Rollover.objects.get().created_by == coordinator


def test_without_decisions_the_page_says_to_record_one_first(client_for):
    deal = build_synthetic_deal(code="leeg", programmes=1, projects_per_programme=1, funders=1, bookings=False)
    user = make_user("coord_leeg", roles.COORDINATOR, deal=deal)
    page = client_for(user).get(years_url(deal, deal.projects.get()))
    assert "Leg eerst het besluit vast" in page.text
    assert reverse("finance:decision-create", args=[deal.code]) in page.text


def test_decision_page_lists_its_rollovers(client_for, deal, planned, decision, coordinator):
    page = client_for(coordinator).get(reverse("finance:decision-detail", args=[deal.code, decision.pk]))
    assert "Doorgeschoven naar volgend jaar" in page.text
    assert "2022 → 2023" in page.text and "Vertraging" in page.text
    assert years_url(deal, planned) in page.text


def test_deal_page_shows_a_themalijnmanager_only_their_projects(client_for, deal, planned, theme_manager, coordinator):
    assert "2110" in client_for(coordinator).get(reverse("finance:years-deal", args=[deal.code])).text
    page = client_for(theme_manager).get(reverse("finance:years-deal", args=[deal.code]))
    assert page.status_code == 200
    assert "1310" in page.text and "2110" not in page.text
    assert "Budget projecten 2020 t/m 2025" in page.text


def test_finance_pages_link_to_the_years_pages(client_for, deal, project, coordinator):
    client = client_for(coordinator)
    assert (
        years_url(deal, project) in client.get(reverse("finance:project-finance", args=[deal.code, project.code])).text
    )
    assert (
        reverse("finance:years-deal", args=[deal.code])
        in client.get(reverse("finance:deal-overview", args=[deal.code])).text
    )


# ------------------------------------------------------------------ Beheer


@pytest.mark.parametrize("admin_class,model", [(YearPlanAdmin, YearPlan), (RolloverAdmin, Rollover)])
def test_beheer_shows_year_money_read_only_and_per_deal(planned, coordinator, admin_class, model):
    request = RequestFactory().get("/")
    request.user = coordinator
    model_admin = admin_class(model, AdminSite())
    assert not any(
        p(request)
        for p in (model_admin.has_add_permission, model_admin.has_change_permission, model_admin.has_delete_permission)
    )
    assert model_admin.get_queryset(request).count() == model.objects.filter(project__deal__code="cleantech").count()
    outsider = make_user("coord_elders", roles.COORDINATOR, deal=build_synthetic_deal(code="elders", bookings=False))
    request.user = outsider
    assert model_admin.get_queryset(request).count() == 0
