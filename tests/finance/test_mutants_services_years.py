"""Kills the mutants of finance/services_years.py that the suite let live (docs/mutation-testing.md)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from finance.models_years import YearPlan
from finance.services import booking_create
from finance.services_years import rollover_create, year_plan_set
from projects import roles
from projects.models import Deal, Decision, Project
from tests.builders import build_synthetic_deal
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
D = Decimal
NOT_ALLOWED = "Alleen de coördinator stelt de begroting per jaar vast en schuift geld door."


@pytest.fixture
def live(db):
    """A deal of three calendar years ending this year (two closed, this one running): two projects,
    a funder with € 1.000 begroot on each project and one without money, one decision."""
    year = timezone.localdate().year
    deal = build_synthetic_deal(code="jaren", programmes=1, projects_per_programme=2, funders=2, bookings=False)
    Deal.objects.filter(pk=deal.pk).update(
        start=datetime.date(year - 2, 1, 1),
        end=datetime.date(year, 12, 31),
        financial_closing_date=datetime.date(year, 12, 31),
    )
    deal.refresh_from_db()
    coordinator = make_user("coord_jaren", roles.COORDINATOR, deal=deal)
    decision = Decision.objects.create(deal=deal, number="SG-1", date=deal.start, text="Begroting")
    funder, other_funder = deal.funders.order_by("order")
    first, second = deal.projects.order_by("code")
    for project in (first, second):
        booking_create(
            deal=deal, project=project, funder=funder, kind="begroting", amount=D("1000.00"), date=deal.start,
            user=coordinator, decision=decision,
        )  # fmt: skip
    return {
        "year": year,
        "project": first,
        "other_project": second,
        "funder": funder,
        "other_funder": other_funder,
        "coordinator": coordinator,
        "decision": decision,
    }


def plan(live, year, budget, forecast=None, project=None, funder=None):
    return year_plan_set(
        project=project or live["project"],
        funder=funder or live["funder"],
        year=year,
        budget=D(budget),
        forecast=None if forecast is None else D(forecast),
        user=live["coordinator"],
    )


def roll(live, from_year, amount, **changes):
    values = {
        "project": live["project"],
        "funder": live["funder"],
        "from_year": from_year,
        "amount": D(amount),
        "decision": live["decision"],
        "user": live["coordinator"],
    }
    return rollover_create(**{**values, **changes})


def refused(call, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.message_dict


def test_only_the_coordinator_of_the_projects_own_deal_plans_and_rolls_over_and_hears_why(deal):
    coordinator_b = User.objects.get(username="coordinator_b")  # coordinator of the second demo deal
    project = Project.objects.get(deal=deal, code="1310")
    rijk = deal.funders.get(name="Rijk")
    decision = deal.decisions.order_by("pk").first()
    with pytest.raises(PermissionDenied) as caught:
        year_plan_set(project=project, funder=rijk, year=2022, budget=D("10"), forecast=None, user=coordinator_b)
    assert str(caught.value) == NOT_ALLOWED
    with pytest.raises(PermissionDenied) as caught:
        rollover_create(
            project=project, funder=rijk, from_year=2022, amount=D("1"), decision=decision, user=coordinator_b
        )
    assert str(caught.value) == NOT_ALLOWED
    assert not YearPlan.objects.filter(project=project).exists()


def test_a_funder_of_another_deal_is_refused_in_so_many_words(live, deal):
    rijk = deal.funders.get(name="Rijk")
    message = {"funder": ["De financier hoort bij een andere deal dan het project."]}
    assert refused(plan, {**live, "funder": rijk}, live["year"], "10") == message
    assert refused(roll, live, live["year"] - 1, "1", funder=rijk) == message


def test_a_year_plan_names_the_years_of_the_deal_and_refuses_negative_amounts(live):
    year = live["year"]
    assert refused(plan, live, year + 1, "10") == {"year": [f"Kies een jaar van de deal: {year - 2} t/m {year}."]}
    assert refused(plan, live, year, "-0.01", "-0.01") == {
        "budget": ["De begroting van een jaar is nul of meer."],
        "forecast": ["De prognose is nul of meer (leeg: nog geen prognose)."],
    }
    assert not YearPlan.objects.filter(project=live["project"]).exists()


def test_a_year_plan_of_nothing_is_allowed_and_its_author_recorded(live):
    saved = plan(live, live["year"], "0", "0")
    assert (saved.budget, saved.forecast, saved.updated_by) == (D("0"), D("0"), live["coordinator"])
    assert saved.history.get().history_user == live["coordinator"]


def test_year_budgets_above_the_ledger_hear_the_total_the_ledger_and_what_is_left(live):
    year = live["year"]
    plan(live, year - 2, "700")  # a closed year's first entry (a deal taken over mid-way)
    # 700 + 400 = 1.100 against the € 1.000 begroot in the ledger; 1.000 - 700 leaves 300 for this year.
    assert refused(plan, live, year, "400") == {
        "budget": [
            "De jaarbegrotingen van project 100-1 voor Financier 1 komen samen op €\u00a01.100,00, meer dan de "
            f"begroting in de boekhouding (€\u00a01.000,00). Voor {year} is nog €\u00a0300,00 beschikbaar; "
            "verhoog eerst de begroting (Begroting wijzigen) als er meer nodig is."
        ]
    }


def test_the_year_plans_of_another_project_or_funder_neither_count_nor_change(live):
    year, other = live["year"], live["other_project"]
    plan(live, year - 2, "100", project=other)
    plan(live, year - 1, "200", project=other)
    plan(live, year - 1, "0", funder=live["other_funder"])  # no money of its own in the ledger
    # The project's own ledger is € 1.000: all of it in one year is fine, whatever the other project planned.
    saved = plan(live, year - 1, "1000")
    assert (saved.project, saved.year, saved.budget) == (live["project"], year - 1, D("1000"))
    assert list(YearPlan.objects.filter(project=other).order_by("year").values_list("year", "budget")) == [
        (year - 2, D("100.00")),
        (year - 1, D("200.00")),
    ]
    assert YearPlan.objects.get(funder=live["other_funder"]).budget == D("0.00")


def test_a_rollover_is_refused_with_the_exact_reason(live):
    year = live["year"]
    plan(live, year - 1, "400")
    assert refused(roll, live, year - 3, "1") == {"from_year": [f"Kies een jaar van de deal: {year - 2} t/m {year}."]}
    assert refused(roll, live, year, "1") == {
        "from_year": [
            f"{year} is nog niet afgesloten: alleen wat een afgesloten jaar (vóór {year}) niet besteedde, "
            "kan worden doorgeschoven."
        ]
    }
    assert refused(roll, live, year - 1, "0") == {"amount": ["Het bedrag moet groter dan nul zijn."]}
    # Nothing was spent in that year: the € 400 planned is what is left.
    assert refused(roll, live, year - 1, "400.01") == {
        "amount": [
            f"In {year - 1} bleef van Financier 1 op project 100-1 €\u00a0400,00 onbesteed; "
            "€\u00a0400,01 is meer dan dat."
        ]
    }
    assert refused(roll, live, year - 1, "1", decision=None) == {
        "decision": [
            "Doorschuiven naar een volgend jaar hoort bij een besluit: kies het besluit uit het besluitenregister "
            "van de deal."
        ]
    }


def test_a_rollover_goes_to_the_next_year_with_its_decision_note_and_author(live):
    year, coordinator = live["year"], live["coordinator"]
    plan(live, year - 1, "400")
    first = roll(live, year - 1, "1.00")
    assert (first.from_year, first.to_year, first.amount, first.decision, first.note, first.created_by) == (
        year - 1,
        year,
        D("1.00"),
        live["decision"],
        "",
        coordinator,
    )
    assert first.history.get().history_user == coordinator
    second = roll(live, year - 1, "2.00", note="  Vertraging  ")
    assert second.note == "Vertraging"


def test_the_deals_first_year_rolls_over_all_it_left_unspent(live):
    year = live["year"]
    plan(live, year - 2, "300")
    rollover = roll(live, year - 2, "300.00")  # nothing spent: all € 300 planned is left, and may go
    assert (rollover.from_year, rollover.to_year, rollover.amount) == (year - 2, year - 1, D("300.00"))
