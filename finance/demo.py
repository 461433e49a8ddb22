"""Loads the demo deal's funders and bookings from fixtures/cleantech.json (idempotent).

Payouts are loaded as tranches registered by the demo kassier and approved by the demo
controller, so that the demo ledger looks like one the portal itself produced.
"""

from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Max
from django.utils import timezone

from finance.models import Booking, Funder, Tranche, TrancheCondition
from projects.models import Deal, Project


def load_ledger(deal: Deal, data: dict, users: dict[str, User]) -> None:
    funders = {}
    for f in data["funders"]:
        funders[f["name"]], _ = Funder.objects.update_or_create(
            deal=deal, name=f["name"], defaults={"category": f["category"], "kind": f["kind"], "order": f["order"]}
        )
    if deal.bookings.exists():
        return  # loaded before: bookings are never changed or deleted, so nothing to do
    projects = {p.code: p for p in Project.objects.filter(deal=deal)}
    next_tranche: dict[tuple[int, int], int] = {}
    for i, b in enumerate(data["bookings"], start=1):
        project = projects[b["project"]] if b["project"] else None
        booking = Booking(
            deal=deal,
            project=project,
            funder=funders[b["funder"]],
            kind=b["kind"],
            amount=Decimal(b["amount"]),
            date=b["date"],
            reference=f"DEMO-{i:04d}",
            decision_date=b.get("decision_date"),
            decision_text=b.get("decision_text", ""),
            period_start=b.get("period_start"),
            period_end=b.get("period_end"),
            note="" if project else "Organiserend vermogen van de deal (buiten de programma's).",
            created_by=users["kassier"] if b["kind"] == "uitkering" else users["coordinator"],
        )
        booking.full_clean()
        booking.save()
        if b["kind"] == "uitkering":
            key = (project.pk, booking.funder_id)
            number = next_tranche.get(key) or (
                (Tranche.objects.filter(project=project, funder=booking.funder).aggregate(n=Max("number"))["n"] or 0)
                + 1
            )
            next_tranche[key] = number + 1
            tranche = Tranche.objects.create(
                project=project,
                funder=booking.funder,
                number=number,
                amount=booking.amount,
                date=booking.date,
                status=Tranche.Status.APPROVED,
                registered_by=users["kassier"],
                decided_by=users["controller"],
                decided_at=timezone.now(),
                booking=booking,
            )
            TrancheCondition.objects.create(
                tranche=tranche, description="Getekende samenwerkingsovereenkomst", reference=f"SOK-{project.code}"
            )
