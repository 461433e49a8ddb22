"""The start page's work from money: tranches for kassier and controller, findings for the coordinator.

Registered in FinanceConfig.ready(); see projects/worklist.py.
"""

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from finance.findings import deal_findings
from finance.models import Tranche
from finance.permissions import can_view_findings, deals_where
from projects.models import Deal
from projects.roles import CONTROLLER, COORDINATOR, KASSIER, STEERING
from projects.worklist import WorkContext, WorkItem, day

Status = Tranche.Status


def _tranche_url(deal_code: str, pk: int) -> str:
    return reverse("finance:tranche-detail", args=[deal_code, pk])


def _list_url(context: WorkContext, deal_ids: list[int], query: str = "") -> str:
    """The deal's tranche list; with several deals the page where the user picks one."""
    if len(deal_ids) == 1:
        return reverse("finance:tranche-list", args=[context.codes[deal_ids[0]]]) + query
    return reverse("finance:tranche-index")


def kassier_items(context: WorkContext) -> list[WorkItem]:
    """Rejected tranches nobody registered again yet, and the kassier's own tranches still waiting (one query)."""
    user, deal_ids = context.user, context.deals_where(KASSIER)
    if not deal_ids:
        return []
    # A rejected tranche is put right by registering the payout again: a later tranche of the same project and funder.
    registered_again = Tranche.objects.filter(
        project=OuterRef("project"), funder=OuterRef("funder"), registered_at__gt=OuterRef("registered_at")
    )
    rejected = Q(status=Status.REJECTED) & ~Q(Exists(registered_again))
    waiting = Q(status=Status.PENDING, registered_by=user)
    found = Tranche.objects.filter(project__deal__in=deals_where(user, KASSIER)).aggregate(
        rejected=Count("pk", filter=rejected),
        rejected_pk=Min("pk", filter=rejected),
        rejected_deal=Min("project__deal__code", filter=rejected),
        waiting=Count("pk", filter=waiting),
        waiting_since=Min("registered_at", filter=waiting),
    )
    if found["rejected"] == 1:
        rejected_url = _tranche_url(found["rejected_deal"], found["rejected_pk"])
    else:
        rejected_url = _list_url(context, deal_ids, "?status=afgewezen")
    since = found["waiting_since"]
    return [
        WorkItem(
            "Afgewezen tranches om te herstellen",
            found["rejected"],
            rejected_url,
            "De controller wees ze af; de reden staat bij de tranche. Registreer de uitkering opnieuw.",
            KASSIER,
        ),
        WorkItem(
            "Door u geregistreerde tranches wachten op goedkeuring",
            found["waiting"],
            _list_url(context, deal_ids),
            f"Bij de controller sinds {day(timezone.localdate(since))}." if since else "",
            KASSIER,
        ),
    ]


def controller_items(context: WorkContext) -> list[WorkItem]:
    """Tranches this controller may decide: waiting, in their deals, registered by someone else (one query).

    The same rule as finance.permissions.can_decide_tranche, as a filter over the list.
    """
    user, deal_ids = context.user, context.deals_where(CONTROLLER)
    if not deal_ids:
        return []
    found = (
        Tranche.objects.filter(project__deal__in=deals_where(user, CONTROLLER), status=Status.PENDING)
        .exclude(registered_by=user)
        .aggregate(n=Count("pk"), oldest=Min("registered_at"), pk=Min("pk"), deal=Min("project__deal__code"))
    )
    detail = ""
    if found["oldest"]:
        since = timezone.localdate(found["oldest"])
        days = (context.today - since).days
        detail = f"De oudste wacht {days} {'dag' if days == 1 else 'dagen'}, sinds {day(since)}."
    if found["n"] == 1:
        url = _tranche_url(found["deal"], found["pk"])
    else:
        url = _list_url(context, deal_ids, "?wacht-sort=registered_at")  # oldest first
    return [WorkItem("Tranches wachten op uw besluit", found["n"], url, detail, CONTROLLER)]


def findings_items(context: WorkContext) -> list[WorkItem]:
    """Open findings per deal: deal_findings costs nine queries a deal, whatever the deal's size.

    Asked for the coordinator and the stuurgroep; can_view_findings decides (today it leaves the
    stuurgroep out: its warnings come with the dashboard).
    """
    user = context.user
    deal_ids = [pk for pk in context.deals_where(COORDINATOR, STEERING) if can_view_findings(user, Deal(pk=pk))]
    if not deal_ids:
        return []
    deals = Deal.objects.filter(pk__in=deal_ids).order_by("name")
    items = []
    for deal in deals:
        # The figures as of the deal's work date; the link asks the findings page for the same date.
        as_of = context.work_date(deal.pk)
        count = len(deal_findings(deal=deal, as_of=as_of, today=context.today))
        url = reverse("finance:findings", args=[deal.code]) + f"?tot={as_of.isoformat()}"
        detail = f"In de cijfers per {day(as_of)}: wat niet klopt of uitleg vraagt."
        if len(deals) > 1:
            detail = f"{deal.name}. {detail}"
        items.append(WorkItem("Bevindingen in de financiën", count, url, detail, COORDINATOR))
    return items


def finance_work(context: WorkContext) -> list[WorkItem]:
    return [*kassier_items(context), *controller_items(context), *findings_items(context)]
