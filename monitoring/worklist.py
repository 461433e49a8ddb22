"""The start page's work from metingen: concepts of the themalijnmanager's indicators, and the
concepts the coordinator approves. Registered in MonitoringConfig.ready(); see projects/worklist.py."""

from django.db.models import Count, Min, Q
from django.urls import reverse

from monitoring.models import Indicator, Measurement
from projects.permissions import writable_projects
from projects.roles import COORDINATOR, THEME_MANAGER
from projects.worklist import WorkContext, WorkItem

DRAFT = Measurement.Status.DRAFT


def _indicators_url(context: WorkContext, deal_code: str | None) -> str:
    if deal_code:
        return reverse("monitoring:deal-indicators", args=[deal_code])
    return reverse("monitoring:index")


def monitoring_work(context: WorkContext) -> list[WorkItem]:
    """Both counts in one query: concept metingen in the coordinator's deals, and those of the
    project indicators the themalijnmanager enters (the rule of monitoring.permissions.can_enter_measurement)."""
    coordinated = context.deals_where(COORDINATOR)
    managed = context.deals_where(THEME_MANAGER)
    if not coordinated and not managed:
        return []
    own = Q(
        indicator__deal_id__in=managed,
        indicator__level=Indicator.Level.PROJECT,
        indicator__project__in=writable_projects(context.user),
    )
    to_approve = Q(indicator__deal_id__in=coordinated)
    found = Measurement.objects.filter(status=DRAFT).aggregate(
        own=Count("pk", filter=own),
        own_deal=Min("indicator__deal__code", filter=own),
        to_approve=Count("pk", filter=to_approve),
        approve_deal=Min("indicator__deal__code", filter=to_approve),
    )
    items = []
    if managed:
        items.append(
            WorkItem(
                "Metingen in concept",
                found["own"],
                _indicators_url(context, found["own_deal"] or context.codes[managed[0]]),
                "Ingevoerd bij de indicatoren van uw projecten; u kunt ze wijzigen tot de coördinator ze goedkeurt.",
                THEME_MANAGER,
            )
        )
    if coordinated:
        items.append(
            WorkItem(
                "Metingen te beoordelen",
                found["to_approve"],
                _indicators_url(context, found["approve_deal"] or context.codes[coordinated[0]]),
                "Concept-metingen die wachten op uw goedkeuring.",
                COORDINATOR,
            )
        )
    return items
