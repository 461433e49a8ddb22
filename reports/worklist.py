"""The start page's work from reports: versions the stuurgroep has not seen yet.
Registered in ReportsConfig.ready(); see projects/worklist.py."""

from datetime import timedelta

from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils import timezone

from projects.models import Deal
from projects.roles import STEERING
from projects.worklist import WorkContext, WorkItem, day
from reports.models import PublishedReport
from reports.permissions import can_read_reports

NEW_DAYS = 30


def reports_work(context: WorkContext) -> list[WorkItem]:
    """Report versions published in the last NEW_DAYS days in the stuurgroep's deals (one query)."""
    deal_ids = [
        deal_id for deal_id in context.deals_where(STEERING) if can_read_reports(context.user, Deal(pk=deal_id))
    ]
    if not deal_ids:
        return []
    since = timezone.now() - timedelta(days=NEW_DAYS)
    found = PublishedReport.objects.filter(deal_id__in=deal_ids, published_at__gte=since).aggregate(
        n=Count("pk"), deal=Min("deal__code"), last=Max("published_at")
    )
    code = found["deal"] or context.codes[deal_ids[0]]
    detail = f"Laatst gepubliceerd op {day(timezone.localdate(found['last']))}." if found["last"] else ""
    return [
        WorkItem(
            f"Nieuwe versies van de voortgangsrapportage (laatste {NEW_DAYS} dagen)",
            found["n"],
            reverse("reports:published-list", args=[code]),
            detail,
            STEERING,
        )
    ]
