"""Money per year: a page per project (years per funder, forms for the coordinator) and one per deal.

The forms post to small views that call finance.services_years and, on an error, show the
same page again with status 400 and what was typed. Every figure comes from
finance.selectors_years.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from finance.forms import add_service_errors
from finance.forms_years import RolloverForm, YearPlanForm, closed_years
from finance.permissions import (
    can_change_budget,
    can_read_all_finance,
    can_read_decisions,
    finance_projects,
    get_finance_deal_for_user,
    get_project_finance_for_user,
)
from finance.selectors_years import deal_years, project_years
from finance.services_years import NOT_ALLOWED, rollover_create, year_plan_set
from projects.models import Deal, Project
from projects.templatetags.money import format_euro


def _project_for(request, deal_code: str, project_code: str) -> tuple[Deal, Project]:
    deal = get_finance_deal_for_user(request.user, deal_code)
    return deal, get_project_finance_for_user(request.user, deal, project_code)


def _page(request, deal: Deal, project: Project, *, status: int = 200, plan_form=None, rollover_form=None):
    may_change = can_change_budget(request.user, deal)
    context = {
        "deal": deal,
        "project": project,
        "table": project_years(project=project),
        "may_change": may_change,
        "can_read_decisions": can_read_decisions(request.user, deal),
    }
    if may_change:
        context |= {
            "plan_form": plan_form or YearPlanForm(deal=deal),
            "rollover_form": rollover_form or RolloverForm(deal=deal),
            "has_decisions": deal.decisions.exists(),
            "has_closed_years": bool(closed_years(deal)),
        }
    return render(request, "finance/years_project.html", context, status=status)


@login_required
@require_safe
def years_project(request, deal_code, project_code):
    deal, project = _project_for(request, deal_code, project_code)
    return _page(request, deal, project)


def _writable(request, deal_code, project_code) -> tuple[Deal, Project]:
    deal, project = _project_for(request, deal_code, project_code)
    if not can_change_budget(request.user, deal):
        raise PermissionDenied(NOT_ALLOWED)
    return deal, project


@login_required
@require_POST
def year_plan_set_view(request, deal_code, project_code):
    deal, project = _writable(request, deal_code, project_code)
    form = YearPlanForm(request.POST, deal=deal)
    if form.is_valid():
        try:
            plan = year_plan_set(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                f"Begroting {plan.year} van {plan.funder} is {format_euro(plan.budget)}"
                + (f", prognose {format_euro(plan.forecast)}." if plan.forecast is not None else ", zonder prognose."),
            )
            return redirect("finance:years-project", deal.code, project.code)
    return _page(request, deal, project, status=400, plan_form=form)


@login_required
@require_POST
def rollover_create_view(request, deal_code, project_code):
    deal, project = _writable(request, deal_code, project_code)
    form = RolloverForm(request.POST, deal=deal)
    if form.is_valid():
        try:
            rollover = rollover_create(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                f"{format_euro(rollover.amount)} van {rollover.funder} is doorgeschoven van {rollover.from_year} "
                f"naar {rollover.to_year} (besluit {rollover.decision.number}).",
            )
            return redirect("finance:years-project", deal.code, project.code)
    return _page(request, deal, project, status=400, rollover_form=form)


@login_required
@require_safe
def years_deal(request, deal_code):
    """Budget per year over the deal's projects (Twente's "Budget projecten 2018 t/m 2019")."""
    deal = get_finance_deal_for_user(request.user, deal_code)
    # A themalijnmanager reads only the projects of their own programmes, as on the overview.
    restricted = not can_read_all_finance(request.user, deal)
    project_ids = list(finance_projects(request.user, deal).values_list("pk", flat=True)) if restricted else None
    return render(
        request,
        "finance/years_deal.html",
        {"deal": deal, "table": deal_years(deal=deal, project_ids=project_ids), "restricted": restricted},
    )
