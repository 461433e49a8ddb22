"""Who may read and enter which metingen. Built on projects/permissions.py.

- Themalijnmanagers enter metingen of the project indicators of projects they may write;
  the coordinator enters all others (deal, actielijn, programme and context indicators).
- Only the coordinator approves a meting (concept -> goedgekeurd), like verslagen.
- Coordinator and themalijnmanagers see concept metingen; everyone else (stuurgroep, kassier,
  controller) sees approved metingen only; a penvoerder also sees the concepts of their own project.
"""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from monitoring.models import Indicator, Measurement
from projects.models import Deal
from projects.permissions import readable_deals, readable_projects, writable_projects
from projects.roles import COORDINATOR, THEME_MANAGER, deal_scope, has_role


def readable_indicators(user: User) -> QuerySet[Indicator]:
    """Indicators above project level for everyone who can read the deal; project ones as their project."""
    return Indicator.objects.filter(~Q(level=Indicator.Level.PROJECT) | Q(project__in=readable_projects(user))).filter(
        deal__in=readable_deals(user).values("pk")
    )


def readable_measurements(user: User) -> QuerySet[Measurement]:
    """Concepts for coordination and themalijnmanagers of the deal and a project's own
    penvoerder; approved metingen for every reader of the indicator."""
    every_state = deal_scope(user, COORDINATOR, THEME_MANAGER, field="indicator__deal")
    own_project = Q(indicator__project__in=writable_projects(user))
    approved = Q(status=Measurement.Status.APPROVED)
    return Measurement.objects.filter(every_state | own_project | approved)


def sees_concepts(user: User, deal: Deal) -> bool:
    return has_role(user, deal, COORDINATOR, THEME_MANAGER)


def can_enter_measurement(user: User, indicator: Indicator) -> bool:
    if has_role(user, indicator.deal_id, COORDINATOR):
        return True
    if indicator.level != Indicator.Level.PROJECT or not has_role(user, indicator.deal_id, THEME_MANAGER):
        return False
    return writable_projects(user).filter(pk=indicator.project_id).exists()


def can_edit_measurement(user: User, measurement: Measurement) -> bool:
    """A concept may be changed by whoever may enter it; an approved meting is frozen."""
    return measurement.status == Measurement.Status.DRAFT and can_enter_measurement(user, measurement.indicator)


def can_approve_measurement(user: User, measurement: Measurement) -> bool:
    return measurement.status == Measurement.Status.DRAFT and has_role(user, measurement.indicator.deal_id, COORDINATOR)


def can_import_measurements(user: User, deal: Deal) -> bool:
    return has_role(user, deal, COORDINATOR)


def get_indicator_for_user(user: User, deal: Deal, pk: int, *, write: bool = False) -> Indicator:
    indicator = get_object_or_404(
        readable_indicators(user).select_related("project__programme", "programme", "action_line", "deal"),
        deal=deal,
        pk=pk,
    )
    if write and not can_enter_measurement(user, indicator):
        raise PermissionDenied("U mag deze indicator lezen, maar er geen metingen bij invoeren.")
    return indicator


def get_measurement_for_user(user: User, deal: Deal, pk: int) -> Measurement:
    return get_object_or_404(
        readable_measurements(user)
        .filter(indicator__in=readable_indicators(user))
        .select_related("indicator__project", "entered_by", "approved_by"),
        indicator__deal=deal,
        pk=pk,
    )
