"""Rollen per deal: who holds which role, grants, the second coordinator's confirmation, and the history.

Every write goes through projects.services_roles, which checks the rules again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from projects import services_roles
from projects.forms_roles import RoleGrantForm
from projects.models import Deal, RoleAssignment
from projects.permissions import get_deal_for_user
from projects.roles import COORDINATOR, LEAD, THEME_MANAGER, deal_scope


def _managed_deal(user: User, deal_code: str) -> Deal:
    deal = get_deal_for_user(user, deal_code)
    if not services_roles.can_manage_roles(user, deal):
        raise PermissionDenied("Alleen de coördinator van deze deal beheert de rollen.")
    return deal


@login_required
@require_safe
def role_index(request):
    deals = list(Deal.objects.filter(deal_scope(request.user, COORDINATOR, field="pk")).order_by("name"))
    if not deals:
        raise PermissionDenied("Alleen een coördinator beheert rollen.")
    if len(deals) == 1:
        return redirect("projects:role-list", deals[0].code)
    return render(
        request, "finance/deal_choice.html", {"deals": deals, "url_name": "projects:role-list", "title": "Rollen"}
    )


def _scopes(deal: Deal) -> dict[tuple[int, str], list[str]]:
    """(user id, role) -> the actielijnen/programma's or projects they hold it for; three queries."""
    found: dict[tuple[int, str], list[str]] = {}
    pairs = [
        (deal.action_lines.values_list("theme_managers", "name"), THEME_MANAGER),
        (deal.programmes.values_list("theme_managers", "code"), THEME_MANAGER),
        (deal.projects.values_list("lead_users", "code"), LEAD),
    ]
    for rows, role in pairs:
        for user_id, label in rows:
            if user_id is not None:
                found.setdefault((user_id, role), []).append(label)
    return found


def _history(deal: Deal) -> list:
    return list(
        RoleAssignment.history.filter(deal_id=deal.pk)
        .select_related("history_user", "user")
        .order_by("-history_date")[:200]
    )


@login_required
def role_list(request, deal_code):
    deal = _managed_deal(request.user, deal_code)
    form = RoleGrantForm(request.POST or None, deal=deal)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services_roles.role_grant(
                deal=deal,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                by=request.user,
                note=form.cleaned_data["note"],
                scope=form.scope(),
            )
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            waits = assignment.status == RoleAssignment.Status.PENDING
            messages.success(
                request,
                f"{assignment} {'wacht op bevestiging door een tweede coördinator' if waits else 'is toegekend'}.",
            )
            return redirect("projects:role-list", deal.code)
    assignments = list(
        deal.role_assignments.select_related("user", "granted_by", "confirmed_by").order_by(
            "status", "role", "user__username"
        )
    )
    scopes = _scopes(deal)
    for assignment in assignments:
        assignment.scope_labels = scopes.get((assignment.user_id, assignment.role), [])
    return render(
        request,
        "projects/role_list.html",
        {
            "deal": deal,
            "form": form,
            "open": [
                a for a in assignments if a.status in (RoleAssignment.Status.PENDING, RoleAssignment.Status.ACTIVE)
            ],
            "closed": [
                a for a in assignments if a.status not in (RoleAssignment.Status.PENDING, RoleAssignment.Status.ACTIVE)
            ],
            "history": _history(deal),
        },
        status=400 if form.errors else 200,
    )


def _act(request, deal_code, pk, action, done: str):
    deal = _managed_deal(request.user, deal_code)
    assignment = get_object_or_404(RoleAssignment, deal=deal, pk=pk)
    try:
        action(assignment=assignment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{assignment}: {done}.")
    return redirect("projects:role-list", deal.code)


@login_required
@require_POST
def role_confirm(request, deal_code, pk):
    return _act(request, deal_code, pk, services_roles.role_confirm, "bevestigd")


@login_required
@require_POST
def role_refuse(request, deal_code, pk):
    return _act(request, deal_code, pk, services_roles.role_refuse, "geweigerd")


@login_required
@require_POST
def role_end(request, deal_code, pk):
    return _act(request, deal_code, pk, services_roles.role_end, "beëindigd")
