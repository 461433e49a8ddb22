"""Who may see and change which project.

Every view fetches its objects through these functions, so a forgotten check fails
closed: an object outside the user's scope is a 404, a read-only object a 403.
"""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from projects.models import Deal, ProgressReport, Project
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
    has_role_anywhere,
)

# Roles that read every project of their deal (themalijnmanagers write only their own).
DEAL_READERS = (COORDINATOR, KASSIER, CONTROLLER, STEERING, THEME_MANAGER, MINISTRY)


def _managed_projects_q(user: User) -> Q:
    return Q(programme__theme_managers=user) | Q(programme__action_line__theme_managers=user)


def _own_lead_projects_q(user: User) -> Q:
    """Projects the user leads, in deals where they hold the penvoerder role."""
    return Q(lead_users=user) & deal_scope(user, LEAD)


def readable_deals(user: User) -> QuerySet[Deal]:
    """Deals where the user holds any role (the ministry: all deals)."""
    every_role = deal_scope(user, *DEAL_READERS, LEAD, field="pk")
    return Deal.objects.filter(every_role)


def readable_projects(user: User) -> QuerySet[Project]:
    """Projects whose page the user may open.

    Within their deals, themalijnmanagers read every project (they write only their own);
    a penvoerder reads only the projects assigned to them.
    """
    return Project.objects.filter(deal_scope(user, *DEAL_READERS) | _own_lead_projects_q(user)).distinct()


def writable_projects(user: User) -> QuerySet[Project]:
    """Projects whose progress, results and measurements the user may enter."""
    scope = deal_scope(user, COORDINATOR)
    scope |= _managed_projects_q(user) & deal_scope(user, THEME_MANAGER)
    scope |= _own_lead_projects_q(user)
    return Project.objects.filter(scope).distinct()


def finance_readable_projects(user: User) -> QuerySet[Project]:
    """Projects whose money the user may see: themalijnmanagers only their own."""
    scope = deal_scope(user, COORDINATOR, KASSIER, CONTROLLER, STEERING, MINISTRY)
    scope |= _managed_projects_q(user) & deal_scope(user, THEME_MANAGER)
    return Project.objects.filter(scope).distinct()


def can_edit_project(user: User, project: Project) -> bool:
    return writable_projects(user).filter(pk=project.pk).exists()


def get_deal_for_user(user: User, code: str) -> Deal:
    return get_object_or_404(readable_deals(user), code=code)


def get_project_for_user(user: User, deal: Deal, code: str, *, write: bool = False) -> Project:
    project = get_object_or_404(
        readable_projects(user).select_related("programme__action_line", "lead_organisation", "deal"),
        deal=deal,
        code=code,
    )
    if write and not can_edit_project(user, project):
        raise PermissionDenied("U mag dit project lezen maar niet wijzigen.")
    return project


# Voortgangsverslagen. Who writes a project writes its verslagen while they are open;
# only the coordinator decides on a submitted one; the stuurgroep reads approved ones only.


def readable_reports(user: User) -> QuerySet[ProgressReport]:
    """Writers and coordination read every state; the others approved verslagen only."""
    every_state = deal_scope(user, COORDINATOR, THEME_MANAGER, field="project__deal")
    every_state |= Q(project__in=Project.objects.filter(_own_lead_projects_q(user)))
    approved = Q(state=ProgressReport.State.APPROVED) & deal_scope(
        user, KASSIER, CONTROLLER, STEERING, MINISTRY, field="project__deal"
    )
    return ProgressReport.objects.filter(every_state | approved)


def can_write_reports_of(user: User, project: Project) -> bool:
    """May start, edit, submit and correct verslagen of this project."""
    return can_edit_project(user, project)


def can_edit_report(user: User, report: ProgressReport) -> bool:
    return report.is_editable and can_write_reports_of(user, report.project)


def can_submit_report(user: User, report: ProgressReport) -> bool:
    return can_edit_report(user, report)


def can_approve_report(user: User, report: ProgressReport) -> bool:
    return report.state == ProgressReport.State.SUBMITTED and has_role(user, report.project.deal_id, COORDINATOR)


def can_return_report(user: User, report: ProgressReport) -> bool:
    return can_approve_report(user, report)


def can_correct_report(user: User, report: ProgressReport) -> bool:
    """An approved verslag is frozen; a writer may open a new version of the newest one."""
    return (
        report.state == ProgressReport.State.APPROVED
        and not ProgressReport.objects.filter(
            project=report.project_id, period=report.period_id, revision__gt=report.revision
        ).exists()
        and can_write_reports_of(user, report.project)
    )


def can_read_report_history(user: User, report: ProgressReport) -> bool:
    """The drafts behind a verslag are for its writers and the coordination, not for the stuurgroep."""
    deal = report.project.deal_id
    return has_role(user, deal, COORDINATOR, THEME_MANAGER) or can_write_reports_of(user, report.project)


def can_view_period_overview(user: User, deal: Deal | None = None) -> bool:
    """The overview of a period; without a deal: in some deal (for the list of periods)."""
    if deal is None:
        return has_role_anywhere(user, COORDINATOR, THEME_MANAGER)
    return has_role(user, deal, COORDINATOR, THEME_MANAGER)


def get_report_for_user(user: User, deal: Deal, pk: int, *, write: bool = False) -> ProgressReport:
    report = get_object_or_404(
        readable_reports(user).select_related("project__programme__action_line", "project__deal", "period"),
        project__deal=deal,
        pk=pk,
    )
    if write and not can_write_reports_of(user, report.project):
        raise PermissionDenied("U mag dit verslag lezen maar niet wijzigen.")
    return report
