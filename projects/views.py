from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from projects.permissions import can_edit_project, get_deal_for_user, get_project_for_user, readable_deals
from projects.roles import (
    CONTROLLER,
    COORDINATOR,
    KASSIER,
    LEAD,
    MINISTRY,
    ROLE_LABELS,
    STEERING,
    THEME_MANAGER,
    user_roles,
)
from projects.selectors import deal_structure, home_sections_for_user, project_progress
from projects.worklist import work_for, work_total

# "U bent kassier en lid van de stuurgroep.": the roles as a person would say them.
ROLE_IN_A_SENTENCE = {
    COORDINATOR: "coördinator",
    THEME_MANAGER: "themalijnmanager",
    KASSIER: "kassier",
    CONTROLLER: "controller",
    STEERING: "lid van de stuurgroep",
    LEAD: "penvoerder",
    MINISTRY: "lezer namens het ministerie",
}


@login_required
@require_safe
def home(request):
    """The start page: what waits for this user first, then the links of their roles."""
    work = work_for(request.user)
    return render(
        request,
        "projects/home.html",
        {
            "work": work,
            # The menu badge is computed here only: on every page it would cost the worklist's queries
            # (findings alone nine per deal) on every request, so base.html shows it on the start page.
            "work_total": work_total(work),
            "sections": home_sections_for_user(request.user),
            "roles": [ROLE_IN_A_SENTENCE[r] for r in ROLE_LABELS if r in user_roles(request.user)],
            "deal_rows": [
                (deal, [ROLE_LABELS[r] for r in ROLE_LABELS if r in user_roles(request.user, deal)])
                for deal in readable_deals(request.user).order_by("name")
            ],
        },
    )


@login_required
@require_safe
def deal_detail(request, deal_code):
    deal = get_deal_for_user(request.user, deal_code)
    return render(
        request,
        "projects/deal_detail.html",
        {"deal": deal, "action_lines": deal_structure(user=request.user, deal=deal)},
    )


@login_required
@require_safe
def project_detail(request, deal_code, project_code):
    deal = get_deal_for_user(request.user, deal_code)
    project = get_project_for_user(request.user, deal, project_code)
    return render(
        request,
        "projects/project_detail.html",
        {
            "deal": deal,
            "project": project,
            "can_edit": can_edit_project(request.user, project),
            "progress": project_progress(project=project, user=request.user),
        },
    )
