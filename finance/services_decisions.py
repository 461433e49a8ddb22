"""Writes around the decision register: recording a decision, and changing a budget by one.

A budget change is never an edit: raising books a new begroting, lowering books corrections
on the existing begroting bookings, newest first. Both point to the decision that allows
them. The check that a budget never drops below what is already uitgekeerd lives in
``finance.services.booking_correct`` (under the funder lock the approvals take), so lowering
goes through it booking by booking and the whole change rolls back when one step is refused.
"""

from datetime import date as Date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from finance.models import Booking, Funder
from finance.permissions import can_change_budget, can_record_decision
from finance.saving import save_with_history
from finance.selectors import ZERO
from finance.services import booking_correct, booking_create, correction_remaining, decision_error
from finance.validators import validate_document
from projects.models import Deal, Decision, Project
from projects.templatetags.money import format_euro


def decision_record(
    *,
    deal: Deal,
    number: str,
    date: Date,
    body: str,
    text: str,
    user: User,
    document: UploadedFile | None = None,
) -> Decision:
    """The coordinator puts a decision of the stuurgroep (or another body) on record."""
    with transaction.atomic():
        if not can_record_decision(user, deal):
            raise PermissionDenied("Alleen de coördinator legt besluiten vast.")
        errors: dict[str, str] = {}
        if not number.strip():
            errors["number"] = "Geef het besluitnummer, bijvoorbeeld SG-2022-03."
        if not text.strip():
            errors["text"] = "Geef de tekst van het besluit."
        if date and date > timezone.localdate():
            errors["date"] = f"De datum van het besluit ({date:%d-%m-%Y}) ligt in de toekomst."
        if document:
            try:
                validate_document(document)
            except ValidationError as e:
                errors["document"] = e.messages[0]
        if errors:
            raise ValidationError(errors)
        decision = Decision(
            deal=deal,
            number=number.strip(),
            date=date,
            body=body,
            text=text.strip(),
            document=document or "",
            created_by=user,
        )
        save_with_history(decision, user)
        return decision


def _check_budget_change(user: User, project: Project, funder: Funder, decision: Decision | None) -> None:
    if not can_change_budget(user, project.deal):
        raise PermissionDenied("Alleen de coördinator wijzigt begrotingen.")
    errors = {}
    if funder.deal_id != project.deal_id:
        errors["funder"] = "De financier hoort bij een andere deal dan het project."
    if problem := decision_error(decision, project.deal_id, "Een wijziging van de begroting"):
        errors["decision"] = problem
    if errors:
        raise ValidationError(errors)


def budget_raise(
    *,
    project: Project,
    funder: Funder,
    amount: Decimal,
    decision: Decision,
    user: User,
    date: Date | None = None,
    note: str = "",
) -> Booking:
    """Raise a project's begroot for a funder: a new begroting booking under the decision."""
    with transaction.atomic():
        _check_budget_change(user, project, funder, decision)
        return booking_create(
            deal=project.deal,
            project=project,
            funder=funder,
            kind=Booking.Kind.BUDGET,
            amount=amount,
            date=date or timezone.localdate(),
            user=user,
            reference=f"Besluit {decision.number}",
            note=note.strip(),
            decision=decision,
        )


def budget_lower(
    *,
    project: Project,
    funder: Funder,
    amount: Decimal,
    decision: Decision,
    reason: str,
    user: User,
    date: Date | None = None,
) -> list[Booking]:
    """Lower a project's begroot for a funder: corrections on its begroting bookings, newest first."""
    with transaction.atomic():
        _check_budget_change(user, project, funder, decision)
        if not reason.strip():
            raise ValidationError({"reason": "Geef de reden van de verlaging."})
        if amount is None or amount <= 0:
            raise ValidationError({"amount": "Het bedrag van de verlaging moet groter dan nul zijn."})
        budgets = list(
            Booking.objects.filter(project=project, funder=funder, kind=Booking.Kind.BUDGET, correction_of__isnull=True)
            .prefetch_related("corrections")
            .order_by("-date", "-pk")
        )
        remaining = {b.pk: correction_remaining(b) for b in budgets}
        available = sum(remaining.values(), ZERO)
        if amount > available:
            raise ValidationError(
                {
                    "amount": f"De verlaging ({format_euro(amount)}) is groter dan de begroting van project "
                    f"{project.code} voor {funder} ({format_euro(available)})."
                }
            )
        corrections = []
        left = amount
        for budget in budgets:
            part = min(left, remaining[budget.pk])
            if part <= 0:
                continue
            corrections.append(
                booking_correct(
                    booking=budget, amount=part, reason=reason.strip(), user=user, date=date, decision=decision
                )
            )
            left -= part
            if left == 0:
                break
        return corrections
