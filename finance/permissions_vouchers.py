"""Who may see and enter the vouchers of a voucher scheme, on top of finance.permissions.

Vouchers say to whom a scheme's money went, so whoever reads the project's money reads
them, and so does the project's penvoerder (who hands the vouchers out). Only the
coordinator of the deal and the project's penvoerder enter vouchers and change their status.
"""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from finance.models_vouchers import Voucher
from finance.permissions import can_read_project_finance
from projects.models import Deal, Project
from projects.permissions import get_project_for_user
from projects.roles import COORDINATOR, LEAD, has_role


def leads_voucher_project(user: User, project: Project) -> bool:
    return has_role(user, project.deal_id, LEAD) and project.lead_users.filter(pk=user.pk).exists()


def can_view_vouchers(user: User, project: Project) -> bool:
    return can_read_project_finance(user, project) or leads_voucher_project(user, project)


def can_manage_vouchers(user: User, project: Project) -> bool:
    """Enter vouchers, import them and move them on in their status."""
    return has_role(user, project.deal_id, COORDINATOR) or leads_voucher_project(user, project)


def get_voucher_project_for_user(user: User, deal: Deal, code: str, *, write: bool = False) -> Project:
    """404 for a project the user cannot see at all, 403 for one whose vouchers they may not read (or write)."""
    project = get_project_for_user(user, deal, code)
    if not can_view_vouchers(user, project):
        raise PermissionDenied("U mag de vouchers van dit project niet inzien.")
    if write and not can_manage_vouchers(user, project):
        raise PermissionDenied("Alleen de coördinator of de penvoerder van het project legt vouchers vast.")
    return project


def get_voucher_for_user(user: User, project: Project, pk: int) -> Voucher:
    """A voucher of this project only: a voucher number of another project or deal is a 404."""
    return get_object_or_404(Voucher.objects.select_related("project__deal"), project=project, pk=pk)
