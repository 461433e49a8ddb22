"""Loads the demo deal's funders and bookings from fixtures/cleantech.json (idempotent).

Payouts are loaded as tranches registered by the demo kassier and approved by the demo
controller, so that the demo ledger looks like one the portal itself produced.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Max
from django.utils import timezone

from finance.models import (
    Booking,
    ConditionEvidence,
    ConditionType,
    Funder,
    ProjectCondition,
    Tranche,
    TrancheCondition,
)
from projects.models import Deal, Decision, Project

DECIDED_KINDS = ("begroting", "toekenning")


def load_ledger(deal: Deal, data: dict, users: dict[str, User]) -> None:
    """Funders and bookings, then the conditions that gate the next payouts."""
    _load_bookings(deal, data, users)
    load_conditions(deal, users)


def _load_bookings(deal: Deal, data: dict, users: dict[str, User]) -> None:
    funders = {}
    for f in data["funders"]:
        funders[f["name"]], _ = Funder.objects.update_or_create(
            deal=deal, name=f["name"], defaults={"category": f["category"], "kind": f["kind"], "order": f["order"]}
        )
    if deal.bookings.exists():
        return  # loaded before: bookings are never changed or deleted, so nothing to do
    projects = {p.code: p for p in Project.objects.filter(deal=deal)}
    decisions = load_decisions(deal, data, users)
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
            decision=decisions[_decision_key(deal, b)] if b["kind"] in DECIDED_KINDS else None,
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


def _decision_key(deal: Deal, booking: dict) -> tuple[str, str]:
    """The fixture types the decision on every row; rows with the same date and text share one."""
    return (
        booking.get("decision_date") or deal.start.isoformat(),
        booking.get("decision_text") or "Stuurgroep stelt de begroting van de deal vast",
    )


def load_decisions(deal: Deal, data: dict, users: dict[str, User]) -> dict[tuple[str, str], Decision]:
    """One Decision per distinct decision in the fixture's begrotingen and toekenningen, numbered SG-<year>-<n>."""
    keys = sorted({_decision_key(deal, b) for b in data["bookings"] if b["kind"] in DECIDED_KINDS})
    decisions = {}
    per_year: dict[str, int] = {}
    for day, text in keys:
        year = str(day)[:4]
        per_year[year] = per_year.get(year, 0) + 1
        decisions[(day, text)], _ = Decision.objects.get_or_create(
            deal=deal,
            number=f"SG-{year}-{per_year[year]:02d}",
            defaults={
                "date": date.fromisoformat(day),
                "text": text,
                "body": Decision.Body.STEERING,
                "created_by": users["coordinator"],
            },
        )
    return decisions


# Conditions that gate the money. The seed report (seeds/000, lessons learned) names two:
# "Het Fieldlab Energietransitie [1220] kreeg de middelen niet eerder uitgekeerd dan nadat het
# plan van aanpak echt door de partijen gezamenlijk was opgesteld. Het programma Vindwerk
# [1330] kreeg de middelen pas nadat de Samenwerkingsovereenkomst was getekend." From their
# second tranche on, both also need an approved verslag over the previous period.
PLAN = "Plan van aanpak goedgekeurd"
SOK = "Samenwerkingsovereenkomst getekend"
PREVIOUS_REPORT = "Verslag over de vorige periode goedgekeurd"
DEMO_CONDITION_TYPES = [
    # name, kind, what counts as evidence
    (PLAN, ConditionType.Kind.REFERENCE, "Kenmerk van het besluit dat het plan van aanpak goedkeurde."),
    (SOK, ConditionType.Kind.DOCUMENT, "De samenwerkingsovereenkomst, getekend door alle partners."),
    (PREVIOUS_REPORT, ConditionType.Kind.REPORT, ""),
]
DEMO_PROJECT_CONDITIONS = [
    # project, condition, from tranche
    ("1220", PLAN, 1),
    ("1330", SOK, 1),
    ("1220", PREVIOUS_REPORT, 2),
    ("1330", PREVIOUS_REPORT, 2),
]
# Tranche 1 of 1220 and 1330 was paid after the condition was met (the seed says so); their
# evidence is recorded as checked, so the approved demo tranches stay consistent with the gate.
DEMO_EVIDENCE = {
    ("1220", PLAN): "PVA-1220: plan van aanpak, door de stuurgroep goedgekeurd vóór de eerste uitkering",
    ("1330", SOK): "SOK-1330: samenwerkingsovereenkomst getekend vóór de eerste uitkering",
}


def load_conditions(deal: Deal, users: dict[str, User]) -> None:
    """The demo's condition types, those of 1220 and 1330, and checked evidence for tranche 1 (idempotent)."""
    types = {}
    for name, kind, description in DEMO_CONDITION_TYPES:
        types[name], _ = ConditionType.objects.get_or_create(
            deal=deal,
            name=name,
            defaults={"kind": kind, "description": description, "created_by": users["coordinator"]},
        )
    codes = {code for code, _, _ in DEMO_PROJECT_CONDITIONS}
    projects = {p.code: p for p in Project.objects.filter(deal=deal, code__in=codes)}
    for code, name, from_number in DEMO_PROJECT_CONDITIONS:
        condition, _ = ProjectCondition.objects.get_or_create(
            project=projects[code],
            condition_type=types[name],
            funder=None,
            defaults={"from_number": from_number, "created_by": users["coordinator"]},
        )
        reference = DEMO_EVIDENCE.get((code, name))
        if reference and not condition.evidence.exists():
            approved = Tranche.objects.filter(project=condition.project, status=Tranche.Status.APPROVED)
            tranche = approved.order_by("date", "pk").first()
            evidence = ConditionEvidence.objects.create(
                condition=condition,
                tranche=tranche,
                reference=reference,
                note="Vastgelegd bij het laden van de demo, voor de uitkering van tranche 1.",
                supplied_by=users["kassier"],
            )
            # Checked in a second step, as in the portal: the history shows who supplied and who checked.
            evidence.state = ConditionEvidence.State.CHECKED
            evidence.checked_by = users["controller"]
            evidence.checked_at = timezone.now()
            evidence._history_user = users["controller"]
            evidence.save()
