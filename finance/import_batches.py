"""Historic payouts by import, still with four eyes.

A workbook's structure, begrotingen, toekenningen and bestedingen are saved at once by
finance.workbook; its new uitkeringen are not. They are held in an ``ImportBatch`` that a
controller of the deal who did not upload it confirms or rejects after seeing, per project
and funder, what the budget guard will say of each payout. Confirming registers each payout
as a tranche on the uploader's name and approves it through ``finance.services.tranche_approve``:
the same funder lock, conditions gate and budget guard as any approval, all or nothing.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from finance.models import Booking, Funder, ImportBatch, ImportedPayout, Tranche
from finance.permissions import can_import_workbook, deals_where
from finance.saving import save_with_history
from finance.selectors import ZERO, Figures, _figures_from_row, grouped_bookings
from finance.services import _check_override, tranche_approve
from projects.models import Deal, Decision, Project
from projects.roles import CONTROLLER, COORDINATOR, has_role, has_role_anywhere
from projects.templatetags.money import format_euro

REASON_HEADER = "reden overschrijding"


# --------------------------------------------------------------------------- who


def importer_error(user: User, deal: Deal) -> str | None:
    """Why ``user`` may not save this workbook, or None. The browser and the command ask the same."""
    if deal.pk is None:
        if has_role_anywhere(user, COORDINATOR):
            return None
        return f"Alleen een coördinator maakt een nieuwe deal aan; {user.username} is nergens coördinator."
    if can_import_workbook(user, deal):
        return None
    return f"{user.username} is geen coördinator van deal '{deal.code}'; alleen de coördinator importeert haar werkmap."


def decide_refusal(user: User, batch: ImportBatch) -> str | None:
    """The Dutch reason ``user`` may not confirm or reject ``batch``, or None."""
    if batch.uploaded_by_id == user.pk:
        return (
            "U heeft deze werkmap zelf geïmporteerd; "
            "een controller van de deal die dat niet deed, bevestigt of wijst af."
        )
    if not has_role(user, batch.deal_id, CONTROLLER):
        return "Alleen een controller van de deal bevestigt of wijst een importbatch af."
    if batch.status != ImportBatch.Status.WAITING:
        return f"Importbatch {batch.pk} is al {batch.get_status_display().lower()}."
    return None


# --------------------------------------------------------------------------- from the workbook


@dataclass(frozen=True)
class HeldPayout:
    """A new payout row of the workbook, as finance.workbook hands it over."""

    row: int
    booking: Booking  # unsaved; project, funder, amount, date, reference, note, tranche_number set
    override_reason: str = ""
    override_decision: Decision | None = None


def _override_decision(booking: Booking) -> Decision | None:
    # Read from 'besluit overschrijding' (sheet 'besluiten' or the register; an unknown number is a cell error).
    return getattr(booking, "override_decision", None)


def check_held_payouts(
    *, deal: Deal, payouts: list[tuple[int, Booking]], corrections: list[tuple[int, Booking]]
) -> tuple[list[HeldPayout], list[tuple[int, str | None, str]]]:
    """The payouts to hold and the problems as (row, column, message); one query.

    A kenmerk already waiting in a batch is held once (the same values) or refused (other
    values); a correction cannot reduce a payout that is only held.
    """
    problems: list[tuple[int, str | None, str]] = []
    waiting = {}
    if deal.pk is not None:
        waiting = {
            ref.casefold(): (batch_id, (project_id, funder_id, amount, day))
            for ref, batch_id, project_id, funder_id, amount, day in ImportedPayout.objects.filter(
                batch__deal=deal, batch__status=ImportBatch.Status.WAITING
            ).values_list("reference", "batch_id", "project_id", "funder_id", "amount", "date")
        }
    held = []
    for row, booking in payouts:
        decision = _override_decision(booking)
        if booking.reference.casefold() in waiting:
            batch_id, values = waiting[booking.reference.casefold()]
            if values == (booking.project.pk, booking.funder.pk, booking.amount, booking.date):
                continue  # the same payout is already on its way: a re-import holds it once
            problems.append(
                (
                    row,
                    "kenmerk",
                    f"Uitkering '{booking.reference}' wacht met andere gegevens al op bevestiging in importbatch "
                    f"{batch_id}; laat een controller die eerst afwijzen, of geef deze uitkering een nieuw kenmerk.",
                )
            )
        reason = (getattr(booking, "override_reason", "") or "").strip()
        held.append(HeldPayout(row, booking, reason, decision))
    held_ids = {id(h.booking) for h in held}
    for row, correction in corrections:
        if id(correction.correction_of) in held_ids:
            problems.append(
                (
                    row,
                    "correctie op",
                    f"Uitkering '{correction.correction_of.reference}' staat in deze werkmap en wacht na de import op "
                    "bevestiging door een controller; boek de correctie daarna.",
                )
            )
    return held, problems


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def batch_create(
    *, deal: Deal, payouts: list[HeldPayout], user: User, data: bytes, file_name: str = "", other_rows: int = 0
) -> ImportBatch:
    """Holds the payouts of a saved workbook; runs inside the import's transaction."""
    batch = ImportBatch(
        deal=deal,
        file_name=file_name[:255],
        sha256=file_sha256(data),
        uploaded_by=user,
        payout_count=len(payouts),
        payout_total=sum((p.booking.amount for p in payouts), ZERO),
        other_rows=other_rows,
    )
    save_with_history(batch, user)
    ImportedPayout.objects.bulk_create(
        ImportedPayout(
            batch=batch,
            row=p.row,
            reference=p.booking.reference,
            project=p.booking.project,
            funder=p.booking.funder,
            number=p.booking.tranche_number,
            amount=p.booking.amount,
            date=p.booking.date,
            note=p.booking.note,  # as in the row: the booking must compare equal on a re-import
            override_reason=p.override_reason,
            override_decision=p.override_decision,
        )
        for p in payouts
    )
    return batch


# --------------------------------------------------------------------------- what the guard will say


@dataclass
class PayoutReview:
    payout: ImportedPayout
    begroot: Decimal
    uitgekeerd_before: Decimal  # booked, plus the earlier payouts of this batch on the same project x funder
    excess: Decimal
    problem: str = ""  # why confirmation would be refused; empty when it passes

    @property
    def is_override(self) -> bool:
        return self.excess > 0 and not self.problem

    @property
    def outcome(self) -> str:
        if self.problem:
            return "Geweigerd"
        return "Boven de begroting, met reden en besluit" if self.is_override else "Binnen de begroting"


@dataclass
class GroupReview:
    project: Project
    funder: Funder
    payouts: list[PayoutReview] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((p.payout.amount for p in self.payouts), ZERO)


@dataclass
class BatchReview:
    groups: list[GroupReview]
    findings: list[str]

    @property
    def problems(self) -> list[PayoutReview]:
        return [p for g in self.groups for p in g.payouts if p.problem]

    @property
    def overrides(self) -> list[PayoutReview]:
        return [p for g in self.groups for p in g.payouts if p.is_override]


def _figures(deal_id: int, project_ids: Iterable[int]) -> dict[tuple[int, int], Figures]:
    rows = grouped_bookings(deal=Deal(pk=deal_id), as_of=date.max, project_ids=project_ids)
    return {(r["project_id"], r["funder_id"]): _figures_from_row(r) for r in rows}


def _number_problem(payout: ImportedPayout, taken: set[tuple[int, int, int]]) -> str:
    if (payout.project_id, payout.funder_id, payout.number) in taken:
        return (
            f"Project {payout.project.code} heeft inmiddels al een tranche {payout.number} van {payout.funder}; "
            "wijs de batch af en importeer de uitkering met een ander tranchenummer."
        )
    return ""


def batch_review(batch: ImportBatch) -> BatchReview:
    """Per project x funder each payout with the budget guard's verdict, in the order confirming books them.

    The verdict comes from the guard itself (finance.services._check_override); three queries.
    """
    payouts = list(batch.payouts.select_related("project", "funder", "override_decision", "tranche"))
    figures = _figures(batch.deal_id, {p.project_id for p in payouts})
    taken = set(
        Tranche.objects.filter(project_id__in={p.project_id for p in payouts}).values_list(
            "project_id", "funder_id", "number"
        )
    )
    running: dict[tuple[int, int], Decimal] = {}
    groups: dict[tuple[int, int], GroupReview] = {}
    waiting = batch.status == ImportBatch.Status.WAITING
    for payout in payouts:
        key = (payout.project_id, payout.funder_id)
        cell = figures.get(key, Figures.zero())
        before = running.get(key, cell.uitgekeerd)
        excess = before + payout.amount - cell.begroot if waiting else ZERO
        review = PayoutReview(payout, cell.begroot, before, excess)
        if waiting:
            review.problem = _number_problem(payout, taken) or _guard_problem(payout, cell, before, excess)
        running[key] = before + payout.amount
        groups.setdefault(key, GroupReview(payout.project, payout.funder)).payouts.append(review)
    ordered = sorted(groups.values(), key=lambda g: (g.project.code, g.funder.order, g.funder.name))
    return BatchReview(ordered, _findings(ordered))


def _guard_problem(payout: ImportedPayout, cell: Figures, before: Decimal, excess: Decimal) -> str:
    if excess <= 0:
        return ""
    tranche = Tranche(project=payout.project, funder=payout.funder, number=payout.number, amount=payout.amount)
    try:
        _check_override(
            tranche,
            Figures(begroot=cell.begroot, uitgekeerd=before),
            excess,
            payout.override_reason,
            payout.override_decision,
        )
    except ValidationError as e:
        return f"Rij {payout.row}: {' '.join(e.messages)}"
    return ""


def _findings(groups: list[GroupReview]) -> list[str]:
    findings = []
    for group in groups:
        for review in group.payouts:
            p = review.payout
            if review.is_override:
                findings.append(
                    f"Rij {p.row}: tranche {p.number} van project {p.project.code} voor {p.funder} komt "
                    f"{format_euro(review.excess)} boven de begroting, bij besluit {p.override_decision.number}. "
                    f"Reden: {p.override_reason}"
                )
            if review.begroot <= 0:
                findings.append(f"Rij {p.row}: {p.funder} heeft geen begroting op project {p.project.code}.")
            if p.override_reason and review.excess <= 0 and not review.problem:
                findings.append(
                    f"Rij {p.row}: er staat een reden overschrijding, maar de uitkering blijft binnen de begroting; "
                    "die reden wordt niet vastgelegd."
                )
    return findings


# --------------------------------------------------------------------------- decide


def _lock_waiting(batch: ImportBatch, user: User) -> ImportBatch:
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if refusal := decide_refusal(user, locked):
        if locked.status != ImportBatch.Status.WAITING:
            raise ValidationError(refusal)
        raise PermissionDenied(refusal)
    return locked


@transaction.atomic
def batch_confirm(*, batch: ImportBatch, user: User) -> ImportBatch:
    """Books every payout of the batch as an approved tranche, or none of them.

    Each payout goes through ``tranche_approve`` (funder lock, conditions, budget guard) in
    row order; the first refusal rolls everything back, but first every row the guard will
    refuse is named, so one attempt shows them all.
    """
    locked = _lock_waiting(batch, user)
    review = batch_review(locked)
    if review.problems:
        raise ValidationError([p.problem for p in review.problems])
    payouts = locked.payouts.select_related("project__deal", "funder", "override_decision").order_by("row")
    for payout in payouts:
        tranche = Tranche(
            project=payout.project,
            funder=payout.funder,
            number=payout.number,
            amount=payout.amount,
            date=payout.date,
            note=payout.note,
            registered_by_id=locked.uploaded_by_id,
        )
        try:
            save_with_history(tranche, locked.uploaded_by)
            tranche_approve(
                tranche=tranche,
                user=user,
                override_reason=payout.override_reason,
                override_decision=payout.override_decision,
                booking_reference=payout.reference,
            )
        except ValidationError as e:
            raise ValidationError(f"Rij {payout.row} (kenmerk {payout.reference}): {' '.join(e.messages)}") from e
        payout.tranche = tranche
        payout.save(update_fields=["tranche"])
    locked.status = ImportBatch.Status.CONFIRMED
    locked.decided_by = user
    locked.decided_at = timezone.now()
    save_with_history(locked, user)
    return locked


@transaction.atomic
def batch_reject(*, batch: ImportBatch, user: User, reason: str) -> ImportBatch:
    """Nothing of the batch is booked; its payouts stay on record with the reason."""
    if not reason.strip():
        raise ValidationError({"rejection_reason": "Geef de reden van de afwijzing."})
    locked = _lock_waiting(batch, user)
    locked.status = ImportBatch.Status.REJECTED
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.rejection_reason = reason.strip()
    save_with_history(locked, user)
    return locked


def batches_to_confirm(user: User) -> list[ImportBatch]:
    """Every waiting batch in the deals where ``user`` is controller and did not upload (for --all)."""
    return list(
        ImportBatch.objects.waiting()
        .filter(deal__in=deals_where(user, CONTROLLER))
        .exclude(uploaded_by=user)
        .order_by("created_at", "pk")
    )
