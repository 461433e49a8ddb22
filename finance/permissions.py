"""Who may see and change which money, on top of projects.permissions.

Every rule takes the deal: roles belong to a deal. Kassier, controller, coordinator,
stuurgroep and the ministry read all finance of a deal; a themalijnmanager only the projects
in their own programmes; a penvoerder or a user without a role reads none. Only a kassier
registers tranches; only a controller who did not register a tranche approves or rejects it.
Besteed is entered by the coordinator or by the themalijnmanager of the project.
"""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from finance.models import ConditionEvidence, ProjectCondition, Tranche, TrancheCondition
from projects.models import Deal, Decision, Project
from projects.permissions import finance_readable_projects, get_deal_for_user, get_project_for_user
from projects.roles import (
    CONTROLLER,
    COORDINATOR,
    KASSIER,
    LEAD,
    MINISTRY,
    STEERING,
    THEME_MANAGER,
    deal_scope,
    has_role,
)

ALL_FINANCE_ROLES = (COORDINATOR, KASSIER, CONTROLLER, STEERING, MINISTRY)
FINANCE_ROLES = (*ALL_FINANCE_ROLES, THEME_MANAGER)
TRANCHE_READERS = (COORDINATOR, KASSIER, CONTROLLER, STEERING, MINISTRY)
FINDINGS_READERS = (COORDINATOR, KASSIER, CONTROLLER, MINISTRY)
DECISION_READERS = ALL_FINANCE_ROLES


def deals_where(user: User, *roles: str) -> QuerySet[Deal]:
    """The deals in which the user holds one of these roles (for pages that list deals)."""
    return Deal.objects.filter(deal_scope(user, *roles, field="pk"))


def can_read_finance(user: User, deal: Deal) -> bool:
    """May open a deal's finance overview (a themalijnmanager sees only their own projects there)."""
    return has_role(user, deal, *FINANCE_ROLES)


def can_read_all_finance(user: User, deal: Deal) -> bool:
    """Reads every project's money and the deal-level line."""
    return has_role(user, deal, *ALL_FINANCE_ROLES)


def finance_projects(user: User, deal: Deal) -> QuerySet[Project]:
    return finance_readable_projects(user).filter(deal=deal)


def can_read_project_finance(user: User, project: Project) -> bool:
    return finance_readable_projects(user).filter(pk=project.pk).exists()


def can_view_history(user: User, deal: Deal) -> bool:
    return has_role(user, deal, COORDINATOR)


def can_correct_bookings(user: User, deal: Deal) -> bool:
    return has_role(user, deal, COORDINATOR)


def can_read_decisions(user: User, deal: Deal) -> bool:
    """The decision register shows what every decision changed in every project: all-finance readers."""
    return has_role(user, deal, *DECISION_READERS)


def can_record_decision(user: User, deal: Deal) -> bool:
    return has_role(user, deal, COORDINATOR)


def can_change_budget(user: User, deal: Deal) -> bool:
    """Raise or lower a project's begroot under a decision of the deal."""
    return has_role(user, deal, COORDINATOR)


def can_view_findings(user: User, deal: Deal) -> bool:
    return has_role(user, deal, *FINDINGS_READERS)


def can_view_tranches(user: User, deal: Deal) -> bool:
    """The list of tranches of a deal (awaiting approval and decided)."""
    return has_role(user, deal, *TRANCHE_READERS)


def can_register_tranche(user: User, deal: Deal) -> bool:
    return has_role(user, deal, KASSIER)


def can_decide_tranche(user: User, tranche: Tranche) -> bool:
    """Four eyes: a controller of the tranche's deal, not the person who registered it, while it waits."""
    return (
        has_role(user, tranche.project.deal_id, CONTROLLER)
        and tranche.registered_by_id != user.pk
        and tranche.status == Tranche.Status.PENDING
    )


def can_import_workbook(user: User, deal: Deal) -> bool:
    """The deal workbook creates and changes structure and bookings: the coordinator only."""
    return has_role(user, deal, COORDINATOR)


def can_export_workbook(user: User, deal: Deal) -> bool:
    """The workbook holds every project's money, so only those who read all finance."""
    return can_read_all_finance(user, deal)


def can_record_expenditure(user: User, project: Project) -> bool:
    if has_role(user, project.deal_id, COORDINATOR):
        return True
    return has_role(user, project.deal_id, THEME_MANAGER) and can_read_project_finance(user, project)


def expenditure_projects(user: User, deal: Deal) -> QuerySet[Project]:
    if has_role(user, deal, COORDINATOR):
        return Project.objects.filter(deal=deal)
    if has_role(user, deal, THEME_MANAGER):
        return finance_projects(user, deal)
    return Project.objects.none()


def get_finance_deal_for_user(user: User, code: str) -> Deal:
    """404 for a deal the user cannot see at all, 403 for one whose money they may not read."""
    deal = get_deal_for_user(user, code)
    if not can_read_finance(user, deal):
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


def get_decisions_deal_for_user(user: User, code: str) -> Deal:
    """404 for a deal the user cannot see, 403 for one whose decision register they may not read."""
    deal = get_deal_for_user(user, code)
    if not can_read_decisions(user, deal):
        raise PermissionDenied("U mag het besluitenregister van deze deal niet inzien.")
    return deal


def get_decision_for_user(user: User, deal: Deal, pk: int) -> Decision:
    """A decision of a deal whose register the user reads (see get_decisions_deal_for_user)."""
    if not can_read_decisions(user, deal):
        raise PermissionDenied("U mag het besluitenregister van deze deal niet inzien.")
    return get_object_or_404(Decision.objects.select_related("deal", "created_by"), deal=deal, pk=pk)


def get_condition_for_user(user: User, deal: Deal, pk: int) -> TrancheCondition:
    return get_object_or_404(
        TrancheCondition.objects.select_related("tranche__project"),
        tranche__project__in=finance_projects(user, deal),
        pk=pk,
    )


# Conditions that gate the money. The coordinator decides which conditions apply and records
# waivers; the kassier, the coordinator or the project's penvoerder supplies evidence; a
# controller who did not supply it checks it. The penvoerder reads the conditions of their
# own project (they deliver the evidence) but none of its money.


def can_manage_conditions(user: User, deal: Deal) -> bool:
    """The deal's condition types and which of them apply to which project."""
    return has_role(user, deal, COORDINATOR)


def can_waive_condition(user: User, deal: Deal) -> bool:
    """Records that a decision of the deal waived a condition."""
    return has_role(user, deal, COORDINATOR)


def leads_project(user: User, project: Project) -> bool:
    return has_role(user, project.deal_id, LEAD) and project.lead_users.filter(pk=user.pk).exists()


def can_view_conditions(user: User, project: Project) -> bool:
    return can_read_project_finance(user, project) or leads_project(user, project)


def can_supply_evidence(user: User, project: Project) -> bool:
    return has_role(user, project.deal_id, KASSIER, COORDINATOR) or leads_project(user, project)


def can_check_evidence(user: User, evidence: ConditionEvidence) -> bool:
    """Four eyes: a controller of the evidence's deal, not the person who supplied it, while it waits."""
    return (
        has_role(user, evidence.condition.project.deal_id, CONTROLLER)
        and evidence.supplied_by_id != user.pk
        and evidence.state == ConditionEvidence.State.SUPPLIED
    )


def condition_projects(user: User, deal: Deal) -> QuerySet[Project]:
    """The deal's projects whose conditions the user may see."""
    readable = Q(pk__in=finance_projects(user, deal).values("pk"))
    if has_role(user, deal, LEAD):
        readable |= Q(pk__in=Project.objects.filter(deal=deal, lead_users=user).values("pk"))
    return Project.objects.filter(readable, deal=deal)


def get_conditions_project_for_user(user: User, deal: Deal, code: str) -> Project:
    """404 for a project the user cannot see at all, 403 for one whose conditions they may not read."""
    project = get_project_for_user(user, deal, code)
    if not can_view_conditions(user, project):
        raise PermissionDenied("U mag de voorwaarden van dit project niet inzien.")
    return project


def get_project_condition_for_user(user: User, deal: Deal, pk: int) -> ProjectCondition:
    return get_object_or_404(
        ProjectCondition.objects.select_related("project__deal", "condition_type", "funder"),
        project__in=condition_projects(user, deal),
        pk=pk,
    )


def get_evidence_for_user(user: User, deal: Deal, pk: int) -> ConditionEvidence:
    return get_object_or_404(
        ConditionEvidence.objects.select_related(
            "condition__project__deal", "condition__condition_type", "supplied_by", "checked_by"
        ),
        condition__project__in=condition_projects(user, deal),
        pk=pk,
    )


# Import batches: the payouts of a workbook wait for a controller who did not import it.


def can_view_import_batches(user: User, deal: Deal) -> bool:
    """Who imports, who pays, who checks (and the ministry, read-only)."""
    return has_role(user, deal, *FINDINGS_READERS)


def can_decide_import_batch(user: User, batch) -> bool:
    """Four eyes: a controller of the batch's deal who did not upload it, while it waits."""
    return (
        has_role(user, batch.deal_id, CONTROLLER)
        and batch.uploaded_by_id != user.pk
        and batch.status == batch.Status.WAITING
    )


def get_import_batch_for_user(user: User, deal: Deal, pk: int):
    """A batch of a deal the user reads (get_deal_for_user gave 404 for others); 403 without the role."""
    from finance.models import ImportBatch

    if not can_view_import_batches(user, deal):
        raise PermissionDenied("U mag de importbatches van deze deal niet inzien.")
    return get_object_or_404(ImportBatch.objects.select_related("deal", "uploaded_by", "decided_by"), deal=deal, pk=pk)
