"""The decision register of a deal and budget changes under a decision.

Every begroting, toekenning, budget change and override of the budget guard points to a
decision; a decision's page lists all of them. Documents are served only through a view
that checks the reader's role, never from a public media URL.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from finance.forms import BudgetChangeForm, DecisionForm, add_service_errors
from finance.permissions import (
    can_change_budget,
    can_record_decision,
    get_decision_for_user,
    get_decisions_deal_for_user,
    get_finance_deal_for_user,
    get_project_finance_for_user,
)
from finance.selectors import project_figures
from finance.selectors_decisions import decision_changes
from finance.services_decisions import budget_lower, budget_raise, decision_record
from projects.templatetags.money import format_euro


@login_required
@require_safe
def decision_list(request, deal_code):
    deal = get_decisions_deal_for_user(request.user, deal_code)
    decisions = (
        deal.decisions.annotate(
            booking_count=Count("bookings", distinct=True),
            override_count=Count("override_tranches", distinct=True),
        )
        .select_related("created_by")
        .order_by("-date", "-number")
    )
    return render(
        request,
        "finance/decision_list.html",
        {"deal": deal, "decisions": decisions, "can_record": can_record_decision(request.user, deal)},
    )


@login_required
def decision_create(request, deal_code):
    deal = get_decisions_deal_for_user(request.user, deal_code)
    if not can_record_decision(request.user, deal):
        raise PermissionDenied("Alleen de coördinator legt besluiten vast.")
    form = DecisionForm(request.POST or None, request.FILES or None, deal=deal)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = decision_record(
                deal=deal,
                number=data["number"],
                date=data["date"],
                body=data["body"],
                text=data["text"],
                document=data["document"],
                user=request.user,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"Besluit {decision.number} is vastgelegd.")
            return redirect("finance:decision-detail", deal.code, decision.pk)
    return render(request, "finance/decision_form.html", {"deal": deal, "form": form})


@login_required
@require_safe
def decision_detail(request, deal_code, pk):
    deal = get_decisions_deal_for_user(request.user, deal_code)
    decision = get_decision_for_user(request.user, deal, pk)
    return render(
        request,
        "finance/decision_detail.html",
        {"deal": deal, "decision": decision, "changes": decision_changes(decision)},
    )


@login_required
@require_safe
def decision_document(request, deal_code, pk):
    """The decision's document, only for who may read the register; never a public media URL."""
    deal = get_decisions_deal_for_user(request.user, deal_code)
    decision = get_decision_for_user(request.user, deal, pk)
    if not decision.document:
        raise Http404("Dit besluit heeft geen document.")
    try:
        handle = decision.document.open("rb")
    except FileNotFoundError as e:
        raise Http404("Het document is niet gevonden.") from e
    name = decision.document.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _apply_budget_change(form: BudgetChangeForm, project, user) -> str:
    """Book the change the form describes; returns the message for the user."""
    data = form.cleaned_data
    common = {
        "project": project,
        "funder": data["funder"],
        "amount": data["amount"],
        "decision": data["decision"],
        "user": user,
        "date": data["date"],
    }
    what = f"De begroting van project {project.code} voor {data['funder']}"
    if data["direction"] == BudgetChangeForm.RAISE:
        budget_raise(**common, note=data["reason"])
        return f"{what} is verhoogd met {format_euro(data['amount'])} (besluit {data['decision'].number})."
    budget_lower(**common, reason=data["reason"])
    return f"{what} is verlaagd met {format_euro(data['amount'])} (besluit {data['decision'].number})."


@login_required
def budget_change(request, deal_code, project_code):
    """The coordinator raises or lowers a project's begroot per funder, under a decision of the deal."""
    deal = get_finance_deal_for_user(request.user, deal_code)
    project = get_project_finance_for_user(request.user, deal, project_code)
    if not can_change_budget(request.user, deal):
        raise PermissionDenied("Alleen de coördinator wijzigt begrotingen.")
    initial = {"date": timezone.localdate()}
    if funder_pk := request.GET.get("financier", "").strip():
        initial["funder"] = deal.funders.filter(pk=funder_pk).first() if funder_pk.isdigit() else None
    form = BudgetChangeForm(request.POST or None, deal=deal, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            message = _apply_budget_change(form, project, request.user)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, message)
            return redirect("finance:project-finance", deal.code, project.code)
    # Every booking, dated later ones too: the guard against lowering below uitgekeerd counts them all.
    figures = project_figures(project=project, as_of=date.max)
    return render(
        request,
        "finance/budget_change.html",
        {
            "deal": deal,
            "project": project,
            "form": form,
            "figures": figures,
            "has_decisions": deal.decisions.exists(),
        },
    )
