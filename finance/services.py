"""Every write to the ledger. Keyword-only, atomic, validated; history is kept by simple_history.

Bookings are never changed or deleted: a correction is a counter-entry. A tranche counts as
uitgekeerd only once a controller who did not register it approves it; approving creates
its ``uitkering`` booking. The budget guard runs under a row lock on the funder, so two
approvals at the same moment cannot together exceed the budget.
"""

from datetime import date as Date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from finance.models import Booking, Funder, Tranche
from finance.permissions import can_decide_tranche, can_record_expenditure, can_register_tranche
from finance.saving import save_with_history
from finance.selectors import ZERO, project_funder_figures
from finance.services_conditions import EvidenceInput, check_conditions_met, evidence_at_registration
from projects.models import Deal, Decision, Project
from projects.templatetags.money import format_euro

# Money that a body decides on: every such booking and every change of it points to a Decision.
DECIDED_KINDS = (Booking.Kind.BUDGET, Booking.Kind.COMMITMENT)


def decision_error(decision: Decision | None, deal_id: int, what: str) -> str | None:
    """Why ``decision`` cannot back ``what`` in this deal, or None when it can."""
    if decision is None:
        return f"{what} hoort bij een besluit: kies het besluit uit het besluitenregister van de deal."
    if decision.deal_id != deal_id:
        return f"Besluit {decision.number} hoort bij een andere deal."
    return None


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
    decision: Decision | None = None,
    period_start: Date | None = None,
    period_end: Date | None = None,
) -> Booking:
    """Book money on a project x funder (project None: on the deal itself).

    A begroting or toekenning needs a decision of the same deal from the register. An
    uitkering is never booked here: it exists only as a tranche a second person approved.
    """
    if kind == Booking.Kind.PAYOUT:
        raise ValidationError(
            {
                "kind": "Een uitkering boekt u niet rechtstreeks: registreer een tranche; die telt als uitgekeerd "
                "zodra een controller haar goedkeurt."
            }
        )
    errors: dict[str, str] = {}
    if amount is None or amount <= 0:
        errors["amount"] = "Het bedrag moet groter dan nul zijn; een vermindering boekt u als correctie."
    if kind in DECIDED_KINDS or decision is not None:
        if problem := decision_error(decision, deal.pk, "Een begroting of toekenning"):
            errors["decision"] = problem
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
        decision=decision,
        period_start=period_start,
        period_end=period_end,
        created_by=user,
    )
    with transaction.atomic():
        save_with_history(booking, user)
    return booking


def _payout_booking(tranche: Tranche, user: User, reference: str = "") -> Booking:
    """The uitkering booking of an approved tranche: the only place an uitkering is booked."""
    booking = Booking(
        deal_id=tranche.project.deal_id,
        project=tranche.project,
        funder=tranche.funder,
        kind=Booking.Kind.PAYOUT,
        amount=tranche.amount,
        date=tranche.date,
        reference=reference or f"Tranche {tranche.number}",
        note=tranche.note,
        created_by=user,
    )
    save_with_history(booking, user)
    return booking


def lock_funder(funder_id: int) -> None:
    """The row lock every payout and every budget change of a funder takes first.

    Approvals and budget corrections serialize on it and read the figures only after they
    hold it, so neither can slip past the other's budget check.
    """
    Funder.objects.select_for_update().get(pk=funder_id)


def correction_remaining(booking: Booking) -> Decimal:
    """What is left of a booking after its corrections."""
    corrected = sum((c.amount for c in booking.corrections.all()), ZERO)
    return booking.amount - corrected


def _check_budget_covers_payouts(budget: Booking, lowered_by: Decimal) -> None:
    """A begroting never goes below what was already paid out on its project x funder."""
    figures = project_funder_figures(project=budget.project, funder=budget.funder)
    left = figures.begroot - lowered_by
    if left < figures.uitgekeerd:
        room = max(figures.begroot - figures.uitgekeerd, ZERO)
        raise ValidationError(
            {
                "amount": f"Na deze correctie is de begroting van project {budget.project.code} voor {budget.funder} "
                f"{format_euro(left)}, minder dan er al is uitgekeerd ({format_euro(figures.uitgekeerd)}). "
                f"Verlaag de begroting met hoogstens {format_euro(room)}."
            }
        )


def booking_correct(
    *,
    booking: Booking,
    amount: Decimal,
    reason: str,
    user: User | None,
    date: Date | None = None,
    decision: Decision | None = None,
) -> Booking:
    """A counter-entry that reduces ``booking`` by ``amount`` (at most what remains of it).

    Lowering a begroting or toekenning is a budget change: it needs a decision of the deal.
    """
    with transaction.atomic():
        if booking.kind == Booking.Kind.BUDGET and booking.project_id:
            # Lowering a budget races with payouts: take the funder lock first, as approvals do.
            lock_funder(booking.funder_id)
        # Lock the original so that two corrections at once cannot together exceed it.
        original = Booking.objects.select_for_update().get(pk=booking.pk)
        if original.correction_of_id:
            raise ValidationError({"correction_of": "Corrigeer de oorspronkelijke boeking, niet een correctie."})
        if not reason.strip():
            raise ValidationError({"correction_reason": "Geef de reden van de correctie."})
        if amount is None or amount <= 0:
            raise ValidationError({"amount": "Het bedrag van een correctie moet groter dan nul zijn."})
        if original.kind in DECIDED_KINDS or decision is not None:
            what = f"Een wijziging van een {original.get_kind_display().lower()}"
            if problem := decision_error(decision, original.deal_id, what):
                raise ValidationError({"decision": problem})
        remaining = correction_remaining(original)
        if amount > remaining:
            raise ValidationError(
                {
                    "amount": f"De correctie ({format_euro(amount)}) is groter dan wat van de boeking over is "
                    f"({format_euro(remaining)})."
                }
            )
        if original.kind == Booking.Kind.BUDGET and original.project_id:
            _check_budget_covers_payouts(original, amount)
        correction = Booking(
            deal_id=original.deal_id,
            project_id=original.project_id,
            funder_id=original.funder_id,
            kind=original.kind,
            amount=amount,
            date=date or timezone.localdate(),
            reference=original.reference,
            note=f"Correctie: {reason}",
            decision=decision,
            period_start=original.period_start,
            period_end=original.period_end,
            correction_of=original,
            correction_reason=reason,
            created_by=user,
        )
        save_with_history(correction, user)
        return correction


def tranche_register(
    *,
    project: Project,
    funder: Funder,
    amount: Decimal,
    date: Date,
    user: User,
    number: int | None = None,
    note: str = "",
    evidence: list[EvidenceInput] | None = None,
) -> Tranche:
    """The kassier registers a payout; it counts only once a controller approves it.

    Which conditions the payout must meet follows from the project's conditions (see
    finance.services_conditions); ``evidence`` is proof the kassier attaches for them now.
    """
    with transaction.atomic():
        if not can_register_tranche(user, project.deal_id):
            raise PermissionDenied("Alleen de kassier registreert tranches.")
        errors: dict[str, str] = {}
        if funder.deal_id != project.deal_id:
            errors["funder"] = "De financier hoort bij een andere deal dan het project."
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
        save_with_history(tranche, user)
        evidence_at_registration(tranche=tranche, items=evidence or [], user=user)
        return tranche


def _lock_pending(tranche: Tranche, user: User) -> Tranche:
    # The funder row is the lock for every payout of that funder: approvals serialize on it,
    # and the budget is read only after the lock is held, so it includes every committed payout.
    lock_funder(tranche.funder_id)
    locked = (
        Tranche.objects.select_for_update(of=("self",)).select_related("project__deal", "funder").get(pk=tranche.pk)
    )
    if locked.status != Tranche.Status.PENDING:
        raise ValidationError(f"Tranche {locked.number} is al {locked.get_status_display().lower()}.")
    if not can_decide_tranche(user, locked):
        if locked.registered_by_id == user.pk:
            raise PermissionDenied(
                "U heeft deze tranche zelf geregistreerd; een controller die dat niet deed, keurt haar goed of af."
            )
        raise PermissionDenied("Alleen een controller keurt tranches goed of af.")
    return locked


def _check_override(tranche: Tranche, figures, excess: Decimal, reason: str, decision: Decision | None) -> None:
    """Above the budget: the controller gives a reason, and a decision of the deal allows it."""
    needed = (("een reden", reason), ("het besluit dat dit toestaat", decision))
    missing = [label for label, given in needed if not given]
    if missing:
        raise ValidationError(
            f"Tranche {tranche.number} van project {tranche.project.code} voor {tranche.funder} overschrijdt de "
            f"begroting met {format_euro(excess)} (begroot {format_euro(figures.begroot)}, al uitgekeerd "
            f"{format_euro(figures.uitgekeerd)}, deze tranche {format_euro(tranche.amount)}). Geef "
            f"{' en '.join(missing)} als u bewust boven de begroting uitkeert."
        )
    if problem := decision_error(decision, tranche.project.deal_id, "Een uitkering boven de begroting"):
        raise ValidationError(problem)


def tranche_approve(
    *,
    tranche: Tranche,
    user: User,
    override_reason: str = "",
    override_decision: Decision | None = None,
    booking_reference: str = "",
) -> Tranche:
    """Approve a tranche: it then counts as uitgekeerd, through its own uitkering booking.

    Above the budget only with a reason and a decision of the deal that allows it.
    ``booking_reference``: the kenmerk of an imported payout, so a re-import recognises it.
    """
    with transaction.atomic():
        locked = _lock_pending(tranche, user)
        check_conditions_met(locked)
        figures = project_funder_figures(project=locked.project, funder=locked.funder)
        excess = figures.uitgekeerd + locked.amount - figures.begroot
        override_reason = override_reason.strip()
        if excess > 0:
            _check_override(locked, figures, excess, override_reason, override_decision)
        booking = _payout_booking(locked, user, booking_reference)
        locked.status = Tranche.Status.APPROVED
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.booking = booking
        locked.override_reason = override_reason if excess > 0 else ""
        locked.override_decision = override_decision if excess > 0 else None
        save_with_history(locked, user)
        return locked


def tranche_reject(*, tranche: Tranche, user: User, reason: str) -> Tranche:
    with transaction.atomic():
        if not reason.strip():
            raise ValidationError({"rejection_reason": "Geef de reden van de afwijzing."})
        locked = _lock_pending(tranche, user)
        locked.status = Tranche.Status.REJECTED
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.rejection_reason = reason.strip()
        save_with_history(locked, user)
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
