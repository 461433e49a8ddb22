"""Who reads and enters co-financing that bypasses the kassier (one mechanism: projects.roles.has_role)."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from finance.models_cofinancing import DirectCoFinancing
from finance.permissions import can_read_project_finance, leads_project
from projects.models import Deal, Project
from projects.permissions import get_project_for_user
from projects.roles import COORDINATOR, has_role

NOT_ALLOWED = "Alleen de coördinator of de penvoerder van het project legt cofinanciering buiten de kassier vast."


def can_view_cofinancing(user: User, project: Project) -> bool:
    return can_read_project_finance(user, project) or leads_project(user, project)


def can_enter_cofinancing(user: User, project: Project) -> bool:
    """The coordinator of the deal, or the penvoerder of this project: they hear from the partner first."""
    return has_role(user, project.deal_id, COORDINATOR) or leads_project(user, project)


def get_cofinancing_project_for_user(user: User, deal: Deal, code: str) -> Project:
    """404 for a project the user cannot see at all, 403 for one whose co-financing they may not read."""
    project = get_project_for_user(user, deal, code)
    if not can_view_cofinancing(user, project):
        raise PermissionDenied("U mag de cofinanciering van dit project niet inzien.")
    return project


def get_cofinancing_for_user(user: User, project: Project, pk: int) -> DirectCoFinancing:
    """Only an item of this project (a forged id of another project or deal is 404)."""
    return get_object_or_404(
        DirectCoFinancing.objects.select_related("funder", "project__deal"), pk=pk, project=project
    )
