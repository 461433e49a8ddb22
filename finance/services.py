"""Every write to the ledger. Keyword-only, atomic, validated; history is kept by simple_history.

Bookings are never changed or deleted: a correction is a counter-entry. A tranche counts as
uitgekeerd only once a controller who did not register it approves it; approving creates
its ``uitkering`` booking. The budget guard runs under a row lock on the funder, so two
approvals at the same moment cannot together exceed the budget.
"""

from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from finance.models import Booking, Funder, Tranche, TrancheCondition
from finance.permissions import can_decide_tranche, can_record_expenditure, can_register_tranche
from finance.selectors import ZERO, project_funder_figures
from finance.validators import validate_document
from projects.models import Deal, Project
from projects.templatetags.money import format_euro


def _save(instance, user: User | None) -> None:
    instance.full_clean()
    # simple_history takes the author from here when there is no request (services, commands).
    instance._history_user = user
    instance.save()


def booking_create(
    *,
    deal: Deal,
    project: Project | None,
    funder: Funder,
    kind: str,
    amount: Decimal,
    date: Date,
    user: User | None,
    reference: str = "",
    note: str = "",
    decision_date: Date | None = None,
    decision_text: str = "",
    period_start: Date | None = None,
    period_end: Date | None = None,
) -> Booking:
    """Book money on a project x funder (project None: on the deal itself)."""
    errors: dict[str, str] = {}
    if amount is None or amount <= 0:
        errors["amount"] = "Het bedrag moet groter dan nul zijn; een vermindering boekt u als correctie."
    if kind in (Booking.Kind.BUDGET, Booking.Kind.COMMITMENT):
        if not decision_date:
            errors["decision_date"] = (
                "Een begroting of toekenning hoort bij een besluit: geef de datum van het besluit."
            )
        if not decision_text.strip():
            errors["decision_text"] = "Een begroting of toekenning hoort bij een besluit: geef het besluit."
    if kind == Booking.Kind.EXPENDITURE:
        if not period_start:
            errors["period_start"] = "Een besteding hoort bij een periode: geef het begin."
        if not period_end:
            errors["period_end"] = "Een besteding hoort bij een periode: geef het einde."
    if errors:
        raise ValidationError(errors)
    booking = Booking(
        deal=deal,
        project=project,
        funder=funder,
        kind=kind,
        amount=amount,
        date=date,
        reference=reference,
        note=note,
        decision_date=decision_date,
        decision_text=decision_text,
        period_start=period_start,
        period_end=period_end,
        created_by=user,
    )
    with transaction.atomic():
        _save(booking, user)
    return booking


def correction_remaining(booking: Booking) -> Decimal:
    """What is left of a booking after its corrections."""
    corrected = sum((c.amount for c in booking.corrections.all()), ZERO)
    return booking.amount - corrected


@transaction.atomic
def booking_correct(
    *, booking: Booking, amount: Decimal, reason: str, user: User | None, date: Date | None = None
) -> Booking:
    """A counter-entry that reduces ``booking`` by ``amount`` (at most what remains of it)."""
    # Lock the original so that two corrections at once cannot together exceed it.
    original = Booking.objects.select_for_update().get(pk=booking.pk)
    if original.correction_of_id:
        raise ValidationError({"correction_of": "Corrigeer de oorspronkelijke boeking, niet een correctie."})
    if not reason.strip():
        raise ValidationError({"correction_reason": "Geef de reden van de correctie."})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "Het bedrag van een correctie moet groter dan nul zijn."})
    remaining = correction_remaining(original)
    if amount > remaining:
        raise ValidationError(
            {
                "amount": f"De correctie ({format_euro(amount)}) is groter dan wat van de boeking over is "
                f"({format_euro(remaining)})."
            }
        )
    correction = Booking(
        deal_id=original.deal_id,
        project_id=original.project_id,
        funder_id=original.funder_id,
        kind=original.kind,
        amount=amount,
        date=date or timezone.localdate(),
        reference=original.reference,
        note=f"Correctie: {reason}",
        decision_date=original.decision_date,
        decision_text=original.decision_text,
        period_start=original.period_start,
        period_end=original.period_end,
        correction_of=original,
        correction_reason=reason,
        created_by=user,
    )
    _save(correction, user)
    return correction


@dataclass
class ConditionInput:
    """One condition of a tranche, proven by a document, a reference or both."""

    description: str
    reference: str = ""
    document: UploadedFile | None = None


@transaction.atomic
def tranche_register(
    *,
    project: Project,
    funder: Funder,
    amount: Decimal,
    date: Date,
    conditions: list[ConditionInput],
    user: User,
    number: int | None = None,
    note: str = "",
) -> Tranche:
    """The kassier registers a payout; it counts only once a controller approves it."""
    if not can_register_tranche(user):
        raise PermissionDenied("Alleen de kassier registreert tranches.")
    errors: dict[str, str] = {}
    if funder.deal_id != project.deal_id:
        errors["funder"] = "De financier hoort bij een andere deal dan het project."
    if not conditions:
        errors["conditions"] = "Geef ten minste één voorwaarde met een document of een kenmerk."
    for i, condition in enumerate(conditions, start=1):
        if not condition.description.strip():
            errors["conditions"] = f"Voorwaarde {i} heeft geen omschrijving."
        elif not condition.reference.strip() and not condition.document:
            errors["conditions"] = f"Voorwaarde {i} ('{condition.description}') heeft geen document of kenmerk."
        elif condition.document:
            try:
                validate_document(condition.document)
            except ValidationError as e:
                errors["conditions"] = f"Voorwaarde {i}: {e.messages[0]}"
    if errors:
        raise ValidationError(errors)
    if number is None:
        # Lock the funder so two registrations at once do not pick the same number.
        Funder.objects.select_for_update().get(pk=funder.pk)
        last = Tranche.objects.filter(project=project, funder=funder).aggregate(n=Max("number"))["n"]
        number = (last or 0) + 1
    tranche = Tranche(
        project=project, funder=funder, number=number, amount=amount, date=date, note=note, registered_by=user
    )
    _save(tranche, user)
    for condition in conditions:
        item = TrancheCondition(
            tranche=tranche,
            description=condition.description.strip(),
            reference=condition.reference.strip(),
            document=condition.document or "",
        )
        _save(item, user)
    return tranche


def _lock_pending(tranche: Tranche, user: User) -> Tranche:
    # The funder row is the lock for every payout of that funder: approvals serialize on it,
    # and the budget is read only after the lock is held, so it includes every committed payout.
    Funder.objects.select_for_update().get(pk=tranche.funder_id)
    locked = (
        Tranche.objects.select_for_update(of=("self",)).select_related("project__deal", "funder").get(pk=tranche.pk)
    )
    if locked.status != Tranche.Status.PENDING:
        raise ValidationError(f"Tranche {locked.number} is al {locked.get_status_display().lower()}.")
    if not can_decide_tranche(user, locked):
        if locked.registered_by_id == user.pk:
            raise PermissionDenied("U heeft deze tranche zelf geregistreerd; een andere controller keurt haar goed.")
        raise PermissionDenied("Alleen een controller keurt tranches goed of af.")
    return locked


@transaction.atomic
def tranche_approve(*, tranche: Tranche, user: User, override_reason: str = "") -> Tranche:
    """Approve a tranche: it then counts as uitgekeerd, through its own uitkering booking."""
    locked = _lock_pending(tranche, user)
    figures = project_funder_figures(project=locked.project, funder=locked.funder)
    excess = figures.uitgekeerd + locked.amount - figures.begroot
    override_reason = override_reason.strip()
    if excess > 0 and not override_reason:
        raise ValidationError(
            f"Tranche {locked.number} van project {locked.project.code} voor {locked.funder} overschrijdt de "
            f"begroting met {format_euro(excess)} (begroot {format_euro(figures.begroot)}, al uitgekeerd "
            f"{format_euro(figures.uitgekeerd)}, deze tranche {format_euro(locked.amount)}). Geef een reden "
            "als u bewust boven de begroting uitkeert."
        )
    booking = booking_create(
        deal=locked.project.deal,
        project=locked.project,
        funder=locked.funder,
        kind=Booking.Kind.PAYOUT,
        amount=locked.amount,
        date=locked.date,
        user=user,
        reference=f"Tranche {locked.number}",
        note=locked.note,
    )
    locked.status = Tranche.Status.APPROVED
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.booking = booking
    locked.override_reason = override_reason if excess > 0 else ""
    _save(locked, user)
    return locked


@transaction.atomic
def tranche_reject(*, tranche: Tranche, user: User, reason: str) -> Tranche:
    if not reason.strip():
        raise ValidationError({"rejection_reason": "Geef de reden van de afwijzing."})
    locked = _lock_pending(tranche, user)
    locked.status = Tranche.Status.REJECTED
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.rejection_reason = reason.strip()
    _save(locked, user)
    return locked


def expenditure_record(
    *,
    project: Project,
    funder: Funder,
    amount: Decimal,
    period_start: Date,
    period_end: Date,
    user: User,
    date: Date | None = None,
    reference: str = "",
    note: str = "",
) -> Booking:
    """Besteed for a project x funder x period (period_end exclusive), by its themalijnmanager or the coordinator."""
    if not can_record_expenditure(user, project):
        raise PermissionDenied("U mag voor dit project geen bestedingen invoeren.")
    if funder.deal_id != project.deal_id:
        raise ValidationError({"funder": "De financier hoort bij een andere deal dan het project."})
    return booking_create(
        deal=project.deal,
        project=project,
        funder=funder,
        kind=Booking.Kind.EXPENDITURE,
        amount=amount,
        date=date or timezone.localdate(),
        user=user,
        reference=reference,
        note=note,
        period_start=period_start,
        period_end=period_end,
    )
