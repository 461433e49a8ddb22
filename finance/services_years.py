"""Writes for money per year: a year's budget and prognose, and rolling unspent money over.

Only the coordinator writes here (finance.permissions.can_change_budget): the year plans
spread a begroot the coordinator books under decisions, and DOMAIN.md gives no one else the
budget. The prognose is set with the year's budget, by the same person, for the same reason.

A rollover moves what a closed calendar year left unspent to the next year, under a decision
of the deal (the stuurgroep's, recorded in the register). It is never edited or deleted, and
there is no rollover back: a year that gets money too much gets it back by another decision's
rollover forward or by a lower year plan of the receiving year, both on record.

Both take the funder lock first (finance.services.lock_funder), as budget changes and payouts
do, so two writes at once cannot together pass a check that each passes alone.
"""

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from finance.models import Funder
from finance.models_years import Rollover, YearPlan
from finance.permissions import can_change_budget
from finance.saving import save_with_history
from finance.selectors import ZERO, project_funder_figures
from finance.selectors_years import deal_year_range, year_left_unspent
from finance.services import decision_error, lock_funder
from projects.models import Decision, Project
from projects.templatetags.money import format_euro

NOT_ALLOWED = "Alleen de coördinator stelt de begroting per jaar vast en schuift geld door."


def _check_common(user: User, project: Project, funder: Funder) -> None:
    if not can_change_budget(user, project.deal):
        raise PermissionDenied(NOT_ALLOWED)
    if funder.deal_id != project.deal_id:
        raise ValidationError({"funder": "De financier hoort bij een andere deal dan het project."})


def year_error(project: Project, year: int | None, field: str = "year") -> dict[str, str]:
    years = deal_year_range(project.deal)
    if year is None or year not in years:
        return {field: f"Kies een jaar van de deal: {years.start} t/m {years.stop - 1}."}
    return {}


def plan_errors(project: Project, funder: Funder, year: int, budget: Decimal) -> dict[str, str]:
    """The year budgets together stay within the ledger's begroot. (A year that rolled money over is
    closed, so its plan no longer changes at all: closed_year_error.)"""
    ledger = project_funder_figures(project=project, funder=funder).begroot
    others = (
        YearPlan.objects.filter(project=project, funder=funder).exclude(year=year).aggregate(s=Sum("budget"))["s"]
        or ZERO
    )
    if others + budget > ledger:
        return {
            "budget": f"De jaarbegrotingen van project {project.code} voor {funder} komen samen op "
            f"{format_euro(others + budget)}, meer dan de begroting in de boekhouding ({format_euro(ledger)}). "
            f"Voor {year} is nog {format_euro(max(ledger - others, ZERO))} beschikbaar; "
            "verhoog eerst de begroting (Begroting wijzigen) als er meer nodig is."
        }
    return {}


def year_plan_set(
    *,
    project: Project,
    funder: Funder,
    year: int,
    budget: Decimal,
    forecast: Decimal | None,
    user: User,
) -> YearPlan:
    """Set (create or replace) the budget and prognose of one project x funder x calendar year."""
    with transaction.atomic():
        _check_common(user, project, funder)
        lock_funder(funder.pk)
        errors = year_error(project, year)
        if budget is None or budget < 0:
            errors["budget"] = "De begroting van een jaar is nul of meer."
        if forecast is not None and forecast < 0:
            errors["forecast"] = "De prognose is nul of meer (leeg: nog geen prognose)."
        plan = YearPlan.objects.filter(project=project, funder=funder, year=year).first() or YearPlan(
            project=project, funder=funder, year=year
        )
        if not errors:
            errors = closed_year_error(plan, budget, forecast) or plan_errors(project, funder, year, budget)
        if errors:
            raise ValidationError(errors)
        plan.budget = budget
        plan.forecast = forecast
        plan.updated_by = user
        save_with_history(plan, user)
        return plan


def closed_year_error(plan: YearPlan, budget: Decimal, forecast: Decimal | None) -> dict[str, str]:
    """A closed year's plan, once set, stays: otherwise lowering it and raising the next year would
    move money between years without the stuurgroep decision a rollover needs. Its first entry (a
    deal taken over mid-way) is allowed."""
    this_year = timezone.localdate().year
    if plan.pk is None or plan.year >= this_year or (plan.budget, plan.forecast) == (budget, forecast):
        return {}
    return {
        "year": f"{plan.year} is afgesloten: de jaarbegroting ligt vast. Onbesteed geld van een afgesloten jaar "
        "gaat alleen met een besluit naar het volgende jaar (doorschuiven)."
    }


def rollover_errors(project: Project, funder: Funder, from_year: int, amount: Decimal) -> dict[str, str]:
    this_year = timezone.localdate().year
    if errors := year_error(project, from_year, "from_year"):
        return errors
    if from_year >= this_year:
        return {
            "from_year": f"{from_year} is nog niet afgesloten: alleen wat een afgesloten jaar (vóór {this_year}) "
            "niet besteedde, kan worden doorgeschoven."
        }
    if from_year + 1 not in deal_year_range(project.deal):
        return {"from_year": f"Na {from_year} loopt de deal niet meer: er is geen jaar om naar door te schuiven."}
    if amount is None or amount <= 0:
        return {"amount": "Het bedrag moet groter dan nul zijn."}
    left = year_left_unspent(project=project, funder=funder, year=from_year).begroot_min_besteed
    if amount > left:
        return {
            "amount": f"In {from_year} bleef van {funder} op project {project.code} "
            f"{format_euro(max(left, ZERO))} onbesteed; {format_euro(amount)} is meer dan dat."
        }
    return {}


def rollover_create(
    *,
    project: Project,
    funder: Funder,
    from_year: int,
    amount: Decimal,
    decision: Decision | None,
    user: User,
    note: str = "",
) -> Rollover:
    """Move unspent money of a closed year to the next year, under a decision of the deal."""
    with transaction.atomic():
        _check_common(user, project, funder)
        lock_funder(funder.pk)
        errors = rollover_errors(project, funder, from_year, amount)
        if problem := decision_error(decision, project.deal_id, "Doorschuiven naar een volgend jaar"):
            errors["decision"] = problem
        if errors:
            raise ValidationError(errors)
        rollover = Rollover(
            project=project,
            funder=funder,
            from_year=from_year,
            to_year=from_year + 1,
            amount=amount,
            decision=decision,
            note=note.strip(),
            created_by=user,
        )
        save_with_history(rollover, user)
        return rollover
