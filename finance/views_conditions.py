"""Conditions that gate the money: the deal's condition types and a page per project.

The project page shows which conditions apply, the evidence and who checked it, waivers and
the state of every pending tranche; its forms post to small views that call
finance.services_conditions and, on an error, show the same page again with status 400.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from finance.forms import add_service_errors
from finance.forms_conditions import (
    ConditionTypeForm,
    EvidenceCheckForm,
    EvidenceForm,
    ProjectConditionForm,
    WaiverForm,
)
from finance.models import ConditionEvidence, ConditionType
from finance.permissions import (
    can_check_evidence,
    can_manage_conditions,
    can_supply_evidence,
    can_waive_condition,
    get_conditions_project_for_user,
    get_evidence_for_user,
    get_finance_deal_for_user,
)
from finance.selectors_conditions import project_conditions
from finance.services_conditions import (
    condition_type_create,
    condition_waive,
    evidence_check,
    evidence_supply,
    project_condition_add,
)
from projects.models import Deal, Project
from projects.permissions import get_deal_for_user


@login_required
def condition_types(request, deal_code):
    """The deal's list of condition types; the coordinator adds to it."""
    deal = get_finance_deal_for_user(request.user, deal_code)
    may_manage = can_manage_conditions(request.user, deal)
    form = ConditionTypeForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied("Alleen de coördinator beheert de voorwaarden van de deal.")
        if form.is_valid():
            try:
                condition_type = condition_type_create(deal=deal, user=request.user, **form.cleaned_data)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, f"Voorwaarde '{condition_type}' is toegevoegd.")
                return redirect("finance:condition-types", deal.code)
    types = ConditionType.objects.filter(deal=deal).order_by("name")
    status = 400 if request.method == "POST" else 200
    return render(request, "finance/condition_types.html", {"deal": deal, "types": types, "form": form}, status=status)


def _project_page(request, deal: Deal, project: Project, *, status: int = 200, **forms):
    user = request.user
    data = project_conditions(project)
    checkable = {e.pk for c in data.conditions for e in c.evidence.all() if can_check_evidence(user, e)}
    may_manage = can_manage_conditions(user, deal)
    may_supply = can_supply_evidence(user, project)
    may_waive = can_waive_condition(user, deal)
    context = {
        "deal": deal,
        "project": project,
        "conditions": data.conditions,
        "pending": data.pending,
        "checkable": checkable,
        "add_form": forms.get("add_form") or (ProjectConditionForm(deal=deal) if may_manage else None),
        "evidence_form": forms.get("evidence_form") or (EvidenceForm(project=project) if may_supply else None),
        "waive_form": forms.get("waive_form") or (WaiverForm(project=project) if may_waive else None),
        "check_form": EvidenceCheckForm(),
        "check_errors": forms.get("check_errors"),
    }
    return render(request, "finance/project_conditions.html", context, status=status)


def _project_for(request, deal_code, project_code) -> tuple[Deal, Project]:
    # Not get_finance_deal_for_user: the penvoerder reads their project's conditions, not its money.
    deal = get_deal_for_user(request.user, deal_code)
    return deal, get_conditions_project_for_user(request.user, deal, project_code)


@login_required
@require_safe
def project_conditions_view(request, deal_code, project_code):
    deal, project = _project_for(request, deal_code, project_code)
    return _project_page(request, deal, project)


def _back(deal: Deal, project: Project):
    return redirect("finance:project-conditions", deal.code, project.code)


@login_required
@require_POST
def project_condition_add_view(request, deal_code, project_code):
    deal, project = _project_for(request, deal_code, project_code)
    if not can_manage_conditions(request.user, deal):
        raise PermissionDenied("Alleen de coördinator bepaalt welke voorwaarden voor een project gelden.")
    form = ProjectConditionForm(request.POST, deal=deal)
    if form.is_valid():
        try:
            condition = project_condition_add(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"Voorwaarde '{condition.condition_type}' geldt nu voor {condition.scope_label}.")
            return _back(deal, project)
    return _project_page(request, deal, project, status=400, add_form=form)


@login_required
@require_POST
def evidence_supply_view(request, deal_code, project_code):
    deal, project = _project_for(request, deal_code, project_code)
    if not can_supply_evidence(request.user, project):
        raise PermissionDenied("Alleen de kassier, de coördinator of de penvoerder van het project levert bewijs aan.")
    form = EvidenceForm(request.POST, request.FILES, project=project)
    if form.is_valid():
        data = form.cleaned_data
        try:
            evidence_supply(
                condition=data["condition"],
                user=request.user,
                reference=data["reference"],
                document=data["document"],
                note=data["note"],
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                f"Bewijs voor '{data['condition'].condition_type}' is aangeleverd; een controller controleert het.",
            )
            return _back(deal, project)
    return _project_page(request, deal, project, status=400, evidence_form=form)


@login_required
@require_POST
def condition_waive_view(request, deal_code, project_code):
    deal, project = _project_for(request, deal_code, project_code)
    if not can_waive_condition(request.user, deal):
        raise PermissionDenied("Alleen de coördinator legt een vrijstelling vast.")
    form = WaiverForm(request.POST, project=project)
    if form.is_valid():
        data = form.cleaned_data
        try:
            waiver = condition_waive(
                condition=data["condition"],
                decision=data["decision"],
                tranche=data["tranche"],
                note=data["note"],
                user=request.user,
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request,
                f"Voorwaarde '{waiver.condition.condition_type}' is vrijgesteld bij besluit {waiver.decision.number}.",
            )
            return _back(deal, project)
    return _project_page(request, deal, project, status=400, waive_form=form)


@login_required
@require_POST
def evidence_check_view(request, deal_code, pk):
    deal = get_deal_for_user(request.user, deal_code)
    evidence = get_evidence_for_user(request.user, deal, pk)
    project = evidence.condition.project
    if not can_check_evidence(request.user, evidence):
        if evidence.supplied_by_id == request.user.pk:
            raise PermissionDenied(
                "U heeft dit bewijs zelf aangeleverd; een controller die dat niet deed, controleert het."
            )
        raise PermissionDenied("Alleen een controller van deze deal controleert bewijs dat op controle wacht.")
    form = EvidenceCheckForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["verdict"] == EvidenceCheckForm.APPROVE
        try:
            evidence_check(evidence=evidence, user=request.user, approve=approve, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            verdict = "goedgekeurd" if approve else "afgekeurd"
            messages.success(request, f"Het bewijs voor '{evidence.condition.condition_type}' is {verdict}.")
            return _back(deal, project)
    errors = [m for messages_ in form.errors.values() for m in messages_]
    return _project_page(request, deal, project, status=400, check_errors={"pk": evidence.pk, "messages": errors})


@login_required
@require_safe
def evidence_document(request, deal_code, pk):
    """Evidence documents only for who may see the project's conditions; never a public media URL."""
    deal = get_deal_for_user(request.user, deal_code)
    evidence: ConditionEvidence = get_evidence_for_user(request.user, deal, pk)
    if not evidence.document:
        raise Http404("Dit bewijs heeft geen document.")
    try:
        handle = evidence.document.open("rb")
    except FileNotFoundError as e:
        raise Http404("Het document is niet gevonden.") from e
    response = FileResponse(handle, as_attachment=True, filename=evidence.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
