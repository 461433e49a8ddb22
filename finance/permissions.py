"""Who may see and change which money, on top of projects.permissions.

Kassier, controller, coordinator and stuurgroep read all finance of a deal; a
themalijnmanager only the projects in their own programmes; a penvoerder or a user
without a role reads none. Only a kassier registers tranches; only a controller who did
not register a tranche approves or rejects it. Besteed is entered by the coordinator or by
the themalijnmanager of the project.
"""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from finance.models import Tranche, TrancheCondition
from projects.models import Deal, Project
from projects.permissions import finance_readable_projects, get_deal_for_user, get_project_for_user
from projects.roles import CONTROLLER, COORDINATOR, KASSIER, STEERING, THEME_MANAGER, has_role

ALL_FINANCE_ROLES = (COORDINATOR, KASSIER, CONTROLLER, STEERING)


def can_read_finance(user: User) -> bool:
    """May open a deal's finance overview (a themalijnmanager sees only their own projects there)."""
    return has_role(user, *ALL_FINANCE_ROLES, THEME_MANAGER)


def can_read_all_finance(user: User) -> bool:
    """Reads every project's money and the deal-level line."""
    return has_role(user, *ALL_FINANCE_ROLES)


def finance_projects(user: User, deal: Deal) -> QuerySet[Project]:
    return finance_readable_projects(user).filter(deal=deal)


def can_read_project_finance(user: User, project: Project) -> bool:
    return finance_readable_projects(user).filter(pk=project.pk).exists()


def can_view_history(user: User) -> bool:
    return has_role(user, COORDINATOR)


def can_view_findings(user: User) -> bool:
    return has_role(user, COORDINATOR, KASSIER, CONTROLLER)


def can_view_tranches(user: User) -> bool:
    """The list of tranches of a deal (awaiting approval and decided)."""
    return has_role(user, COORDINATOR, KASSIER, CONTROLLER, STEERING)


def can_register_tranche(user: User) -> bool:
    return has_role(user, KASSIER)


def can_decide_tranche(user: User, tranche: Tranche) -> bool:
    """Four eyes: a controller, not the person who registered it, while it awaits approval."""
    return (
        has_role(user, CONTROLLER) and tranche.registered_by_id != user.pk and tranche.status == Tranche.Status.PENDING
    )


def can_import_workbook(user: User) -> bool:
    """The deal workbook creates and changes structure and bookings: the coordinator only."""
    return has_role(user, COORDINATOR)


def can_export_workbook(user: User) -> bool:
    """The workbook holds every project's money, so only those who read all finance."""
    return can_read_all_finance(user)


def can_record_expenditure(user: User, project: Project) -> bool:
    if has_role(user, COORDINATOR):
        return True
    return has_role(user, THEME_MANAGER) and can_read_project_finance(user, project)


def expenditure_projects(user: User, deal: Deal) -> QuerySet[Project]:
    if has_role(user, COORDINATOR):
        return Project.objects.filter(deal=deal)
    if has_role(user, THEME_MANAGER):
        return finance_projects(user, deal)
    return Project.objects.none()


def get_finance_deal_for_user(user: User, code: str) -> Deal:
    """404 for a deal the user cannot see at all, 403 for one whose money they may not read."""
    deal = get_deal_for_user(user, code)
    if not can_read_finance(user):
        raise PermissionDenied("U mag de financiën van deze deal niet inzien.")
    return deal


def get_project_finance_for_user(user: User, deal: Deal, code: str) -> Project:
    project = get_project_for_user(user, deal, code)
    if not can_read_project_finance(user, project):
        raise PermissionDenied("U mag de financiën van dit project niet inzien.")
    return project


def get_tranche_for_user(user: User, deal: Deal, pk: int) -> Tranche:
    return get_object_or_404(
        Tranche.objects.select_related("project__programme", "funder", "registered_by", "decided_by", "booking"),
        project__in=finance_projects(user, deal),
        pk=pk,
    )


def get_condition_for_user(user: User, deal: Deal, pk: int) -> TrancheCondition:
    return get_object_or_404(
        TrancheCondition.objects.select_related("tranche__project"),
        tranche__project__in=finance_projects(user, deal),
        pk=pk,
    )
