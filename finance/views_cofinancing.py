"""Co-financing outside the kassier, per project: the list, a pledge form and 'gerealiseerd melden'.

The forms post to small views that call finance.services_cofinancing and, on an error, show
the same page again with status 400 and what was typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from finance.forms import add_service_errors
from finance.forms_cofinancing import PledgeForm, RealiseForm
from finance.models_cofinancing import DirectCoFinancing
from finance.permissions_cofinancing import (
    NOT_ALLOWED,
    can_enter_cofinancing,
    get_cofinancing_for_user,
    get_cofinancing_project_for_user,
)
from finance.selectors_cofinancing import project_cofinancing, project_cofinancing_total
from finance.services_cofinancing import cofinancing_pledge, cofinancing_realise
from projects.models import Deal, Project
from projects.permissions import get_deal_for_user


def _project_for(request, deal_code, project_code) -> tuple[Deal, Project]:
    # Not get_finance_deal_for_user: the penvoerder enters their project's co-financing, not its ledger.
    deal = get_deal_for_user(request.user, deal_code)
    return deal, get_cofinancing_project_for_user(request.user, deal, project_code)


def _page(request, deal: Deal, project: Project, *, status: int = 200, pledge_form=None, realise_forms=None):
    may_enter = can_enter_cofinancing(request.user, project)
    items = list(project.direct_cofinancing.select_related("funder", "created_by", "realised_by"))
    realise_forms = realise_forms or {}
    for item in items:
        pending = item.status == DirectCoFinancing.Status.PLEDGED
        item.realise_form = realise_forms.get(item.pk) or (
            RealiseForm(prefix=f"r{item.pk}") if may_enter and pending else None
        )
    per_funder = project_cofinancing(project)
    context = {
        "deal": deal,
        "project": project,
        "items": items,
        "per_funder": per_funder.items(),
        "total": project_cofinancing_total(per_funder),
        "pledge_form": pledge_form or (PledgeForm(project=project) if may_enter else None),
    }
    return render(request, "finance/cofinancing.html", context, status=status)


@login_required
@require_safe
def cofinancing_view(request, deal_code, project_code):
    deal, project = _project_for(request, deal_code, project_code)
    return _page(request, deal, project)


@login_required
@require_POST
def cofinancing_pledge_view(request, deal_code, project_code):
    deal, project = _project_for(request, deal_code, project_code)
    if not can_enter_cofinancing(request.user, project):
        raise PermissionDenied(NOT_ALLOWED)
    form = PledgeForm(request.POST, request.FILES, project=project)
    if form.is_valid():
        try:
            item = cofinancing_pledge(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"{item} is vastgelegd.")
            return redirect("finance:cofinancing", deal.code, project.code)
    return _page(request, deal, project, status=400, pledge_form=form)


@login_required
@require_POST
def cofinancing_realise_view(request, deal_code, project_code, pk):
    deal, project = _project_for(request, deal_code, project_code)
    item = get_cofinancing_for_user(request.user, project, pk)
    if not can_enter_cofinancing(request.user, project):
        raise PermissionDenied(NOT_ALLOWED)
    form = RealiseForm(request.POST, request.FILES, prefix=f"r{item.pk}")
    if form.is_valid():
        try:
            cofinancing_realise(item=item, user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, f"Cofinanciering van {item.funder} is gerealiseerd gemeld.")
            return redirect("finance:cofinancing", deal.code, project.code)
    return _page(request, deal, project, status=400, realise_forms={item.pk: form})


@login_required
@require_safe
def cofinancing_document(request, deal_code, project_code, pk):
    """Evidence only for who may read the project's co-financing; never a public media URL."""
    _deal, project = _project_for(request, deal_code, project_code)
    item = get_cofinancing_for_user(request.user, project, pk)
    if not item.evidence_document:
        raise Http404("Deze cofinanciering heeft geen bewijsstuk.")
    try:
        handle = item.evidence_document.open("rb")
    except FileNotFoundError as e:
        raise Http404("Het bewijsstuk is niet gevonden.") from e
    response = FileResponse(handle, as_attachment=True, filename=item.evidence_document.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
