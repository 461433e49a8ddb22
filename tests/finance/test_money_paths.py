"""Money moves only through the services: no direct uitkering, no edit of a saved booking,
no budget below what was paid out (issue 10, items 1 and 8)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from finance import services
from finance.models import Booking, Funder
from finance.selectors import project_funder_figures
from finance.services import booking_correct, booking_create
from projects.models import Decision, Project


@pytest.fixture
def project(deal) -> Project:
    return Project.objects.get(deal=deal, code="1310")


@pytest.fixture
def funder(deal) -> Funder:
    """A funder of its own, so the figures of the test are exactly what it books."""
    return Funder.objects.create(deal=deal, name="Testfonds", category="overig", kind="overig", order=99)


@pytest.fixture
def decision(deal, coordinator) -> Decision:
    return Decision.objects.create(
        deal=deal, number="SG-TEST-1", date=date(2022, 1, 10), text="Begroting Testfonds", created_by=coordinator
    )


@pytest.fixture
def budget(deal, project, funder, coordinator, decision) -> Booking:
    """Begroot 1.000,00 and, through an approved tranche's booking, 800,00 uitgekeerd."""
    booked = booking_create(
        deal=deal,
        project=project,
        funder=funder,
        kind=Booking.Kind.BUDGET,
        amount=Decimal("1000.00"),
        date=date(2022, 1, 10),
        user=coordinator,
        decision=decision,
    )
    # Test data only: the ledger's payout row, as tranche approval would leave it.
    Booking.objects.create(
        deal=deal, project=project, funder=funder, kind="uitkering", amount=Decimal("800.00"), date=date(2022, 3, 1)
    )
    return booked


def test_booking_create_refuses_an_uitkering(deal, project, funder, coordinator):
    before = Booking.objects.count()
    with pytest.raises(ValidationError) as refused:
        booking_create(
            deal=deal,
            project=project,
            funder=funder,
            kind=Booking.Kind.PAYOUT,
            amount=Decimal("50000.00"),
            date=date(2022, 6, 1),
            user=coordinator,
        )
    assert "tranche" in refused.value.message_dict["kind"][0]
    assert Booking.objects.count() == before


FIELD_CHANGES = {
    "amount": Decimal("1.00"),
    "date": date(2022, 2, 2),
    "period_start": date(2022, 1, 1),
    "period_end": date(2022, 7, 1),
    "note": "Stilletjes aangepast",
    "reference": "ANDERS",
    "decision_id": None,  # a decision taken away or swapped is a change too
    "kind": Booking.Kind.COMMITMENT,
}


@pytest.mark.parametrize("field", sorted(FIELD_CHANGES))
def test_a_saved_booking_never_changes(budget, field):
    original = getattr(Booking.objects.get(pk=budget.pk), field)
    setattr(budget, field, FIELD_CHANGES[field])
    with pytest.raises(ValidationError) as refused:
        budget.save()
    assert "correctie" in refused.value.messages[0]
    assert getattr(Booking.objects.get(pk=budget.pk), field) == original


def test_bookings_are_not_changed_in_bulk_either(budget):
    with pytest.raises(ValidationError):
        Booking.objects.filter(pk=budget.pk).update(amount=Decimal("1.00"))
    budget.amount = Decimal("2.00")
    with pytest.raises(ValidationError), transaction.atomic():
        Booking.objects.bulk_update([budget], ["amount"])
    assert Booking.objects.get(pk=budget.pk).amount == Decimal("1000.00")


def test_bookings_are_never_deleted(budget):
    with pytest.raises(ValidationError):
        budget.delete()
    with pytest.raises(ValidationError):
        Booking.objects.filter(pk=budget.pk).delete()
    assert Booking.objects.filter(pk=budget.pk).exists()


def test_a_new_booking_and_a_correction_are_still_written(budget, coordinator, decision):
    correction = booking_correct(
        booking=budget, amount=Decimal("50.00"), reason="Minder nodig", user=coordinator, decision=decision
    )
    assert correction.pk and correction.correction_of_id == budget.pk


def test_budget_correction_below_uitgekeerd_is_refused(budget, project, funder, coordinator, decision):
    before = Booking.objects.count()
    with pytest.raises(ValidationError) as refused:
        booking_correct(
            booking=budget, amount=Decimal("200.01"), reason="Bezuiniging", user=coordinator, decision=decision
        )
    message = refused.value.message_dict["amount"][0].replace("\xa0", " ")
    assert "al is uitgekeerd (€ 800,00)" in message and "hoogstens € 200,00" in message
    assert Booking.objects.count() == before
    figures = project_funder_figures(project=project, funder=funder)
    assert (figures.begroot, figures.uitgekeerd) == (Decimal("1000.00"), Decimal("800.00"))


def test_budget_correction_down_to_uitgekeerd_is_allowed(budget, project, funder, coordinator, decision):
    booking_correct(booking=budget, amount=Decimal("200.00"), reason="Bezuiniging", user=coordinator, decision=decision)
    assert project_funder_figures(project=project, funder=funder).begroot == Decimal("800.00")


def test_budget_correction_takes_the_funder_lock_before_reading_the_figures(
    budget, funder, coordinator, decision, monkeypatch
):
    # The same lock as tranche approval (services.lock_funder), taken before the figures are
    # read: a correction and an approval at the same moment cannot both pass their checks.
    events = []
    real_lock, real_figures = services.lock_funder, services.project_funder_figures

    def lock(funder_id):
        events.append(("lock", funder_id))
        real_lock(funder_id)

    def figures(**kwargs):
        events.append(("read", kwargs["funder"].pk))
        return real_figures(**kwargs)

    monkeypatch.setattr(services, "lock_funder", lock)
    monkeypatch.setattr(services, "project_funder_figures", figures)
    booking_correct(booking=budget, amount=Decimal("10.00"), reason="Bezuiniging", user=coordinator, decision=decision)
    assert events[:2] == [("lock", funder.pk), ("read", funder.pk)]


def test_expenditure_correction_has_no_budget_check(deal, project, funder, coordinator):
    spent = Booking.objects.create(
        deal=deal,
        project=project,
        funder=funder,
        kind="besteding",
        amount=Decimal("100.00"),
        date=date(2022, 7, 1),
        period_start=date(2022, 1, 1),
        period_end=date(2022, 7, 1),
    )
    correction = booking_correct(booking=spent, amount=Decimal("100.00"), reason="Dubbel", user=coordinator)
    assert correction.amount == Decimal("100.00")
