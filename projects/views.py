from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from projects.permissions import can_edit_project, get_deal_for_user, get_project_for_user, readable_deals
from projects.roles import ROLE_LABELS, user_roles
from projects.selectors import deal_structure, home_sections_for_user, project_progress


@login_required
@require_safe
def home(request):
    """The start page: what this user's roles need first."""
    return render(
        request,
        "projects/home.html",
        {
            "sections": home_sections_for_user(request.user),
            "roles": [ROLE_LABELS[r] for r in ROLE_LABELS if r in user_roles(request.user)],
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
