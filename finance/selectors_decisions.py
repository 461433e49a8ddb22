"""What a decision changed: the rows that point to it, each with a link to where it shows.

Every kind of change is one function in CHANGE_SOURCES (one query each). Adding what a
decision can change later is adding a function there and nothing else.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from finance.models import Booking
from projects.models import Decision


@dataclass(frozen=True)
class Change:
    kind: str
    date: date
    description: str
    amount: Decimal | None
    url: str


def _booking_url(deal_code: str, booking: Booking) -> str:
    if booking.project_id:
        return reverse("finance:project-finance", args=[deal_code, booking.project.code])
    return reverse("finance:booking-list", args=[deal_code]) + f"?dealniveau=on&financier={booking.funder_id}"


def _bookings(decision: Decision) -> list[Change]:
    """Begrotingen, toekenningen and their corrections (budget changes) booked under the decision."""
    changes = []
    for b in decision.bookings.select_related("project", "funder").order_by("date", "pk"):
        where = f"project {b.project.code}" if b.project_id else "dealniveau"
        kind = f"Correctie {b.get_kind_display().lower()}" if b.correction_of_id else b.get_kind_display()
        description = f"{where} / {b.funder}"
        if b.correction_reason:
            description += f" — {b.correction_reason}"
        changes.append(Change(kind, b.date, description, b.signed_amount, _booking_url(decision.deal.code, b)))
    return changes


def _override_tranches(decision: Decision) -> list[Change]:
    """Tranches approved above the budget because this decision allowed it."""
    tranches = decision.override_tranches.select_related("project", "funder").order_by("date", "pk")
    return [
        Change(
            "Tranche boven begroting",
            t.date,
            f"Tranche {t.number} van project {t.project.code} / {t.funder} — {t.override_reason}",
            t.amount,
            reverse("finance:tranche-detail", args=[decision.deal.code, t.pk]),
        )
        for t in tranches
    ]


def _waived_conditions(decision: Decision) -> list[Change]:
    """Conditions of a tranche or of a whole project waived by this decision (finance.ConditionWaiver)."""
    waivers = decision.waived_conditions.select_related(
        "condition__project", "condition__condition_type", "tranche"
    ).order_by("waived_at", "pk")
    changes = []
    for waiver in waivers:
        project = waiver.condition.project
        if waiver.tranche_id:
            url = reverse("finance:tranche-detail", args=[decision.deal.code, waiver.tranche_id])
        else:
            url = reverse("finance:project-finance", args=[decision.deal.code, project.code])
        description = str(waiver) + (f" — {waiver.note}" if waiver.note else "")
        changes.append(Change("Voorwaarde vrijgesteld", timezone.localdate(waiver.waived_at), description, None, url))
    return changes


def _rollovers(decision: Decision) -> list[Change]:
    """Unspent money of a closed year moved to a later year by this decision (finance.Rollover)."""
    rollovers = decision.rollovers.select_related("project", "funder", "created_by").order_by("created_at", "pk")
    return [
        Change(
            "Doorgeschoven naar volgend jaar",
            timezone.localdate(r.created_at),
            f"project {r.project.code} / {r.funder}: {r.from_year} → {r.to_year}, vastgelegd door {r.created_by}"
            + (f" — {r.note}" if r.note else ""),
            r.amount,
            reverse("finance:years-project", args=[decision.deal.code, r.project.code]),
        )
        for r in rollovers
    ]


CHANGE_SOURCES: list[Callable[[Decision], list[Change]]] = [
    _bookings,
    _override_tranches,
    _waived_conditions,
    _rollovers,
]


def decision_changes(decision: Decision) -> list[Change]:
    """Everything that points to the decision, in date order (one query per kind of change)."""
    changes = [change for source in CHANGE_SOURCES for change in source(decision)]
    return sorted(changes, key=lambda c: c.date)
