"""Ledger rules of finance.services and the Booking model, each with its exact Dutch message:
corrections, funders of another deal, and four eyes on a tranche."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from finance.models import Booking, Funder, Tranche
from finance.services import booking_correct, booking_create, expenditure_record, tranche_approve, tranche_register
from projects import roles
from projects.models import Project
from tests.builders import build_synthetic_deal
from tests.conftest import make_user

NOT_A_CORRECTION = "Corrigeer de oorspronkelijke boeking, niet een correctie."
SAME_AS_ORIGINAL = "Een correctie heeft dezelfde soort, project en financier als het origineel."
POSITIVE = "Het bedrag van een correctie moet groter dan nul zijn."
OTHER_DEAL = "De financier hoort bij een andere deal dan het project."
ONLY_A_CONTROLLER = "Alleen een controller keurt tranches goed of af."
NOT_YOUR_OWN = "U heeft deze tranche zelf geregistreerd; een controller die dat niet deed, keurt haar goed of af."


@pytest.fixture
def project(deal) -> Project:
    return Project.objects.get(deal=deal, code="1310")


@pytest.fixture
def rijk(deal) -> Funder:
    return deal.funders.get(name="Rijk")


@pytest.fixture
def foreign_funder(db) -> Funder:
    # A funder of another deal: its id is valid, it just belongs elsewhere.
    other = build_synthetic_deal(code="andere-deal", programmes=1, projects_per_programme=1, bookings=False)
    return other.funders.get(name="Financier 1")


@pytest.fixture
def spent(deal, project, rijk, coordinator) -> Booking:
    return booking_create(
        deal=deal,
        project=project,
        funder=rijk,
        kind=Booking.Kind.EXPENDITURE,
        amount=Decimal("1000.00"),
        date=date(2022, 9, 1),
        user=coordinator,
        period_start=date(2022, 7, 1),
        period_end=date(2022, 9, 1),
    )


def _messages(refused: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return refused.value.message_dict


# Corrections ---------------------------------------------------------------------------------


def test_correcting_a_correction_is_refused(spent, coordinator):
    correction = booking_correct(booking=spent, amount=Decimal("100.00"), reason="Te veel geboekt", user=coordinator)

    with pytest.raises(ValidationError) as refused:
        booking_correct(booking=correction, amount=Decimal("10.00"), reason="Nog eens", user=coordinator)

    assert _messages(refused) == {"correction_of": [NOT_A_CORRECTION]}
    assert list(spent.corrections.values_list("amount", flat=True)) == [Decimal("100.00")]
    assert not correction.corrections.exists()


def test_a_correction_pointing_at_a_correction_is_invalid_in_the_model(spent, coordinator):
    correction = booking_correct(booking=spent, amount=Decimal("100.00"), reason="Te veel geboekt", user=coordinator)
    counter = Booking(
        deal=spent.deal,
        project=spent.project,
        funder=spent.funder,
        kind=spent.kind,
        amount=Decimal("10.00"),
        date=date(2022, 10, 1),
        correction_of=correction,
        correction_reason="Nog eens",
    )

    with pytest.raises(ValidationError) as refused:
        counter.full_clean()

    assert _messages(refused) == {"correction_of": [NOT_A_CORRECTION]}


def test_a_correction_takes_kind_project_and_funder_of_its_original(spent, coordinator):
    correction = booking_correct(booking=spent, amount=Decimal("250.00"), reason="Dubbel geboekt", user=coordinator)

    assert (correction.kind, correction.project_id, correction.funder_id) == (
        Booking.Kind.EXPENDITURE,
        spent.project_id,
        spent.funder_id,
    )
    assert correction.signed_amount == Decimal("-250.00")


@pytest.mark.parametrize(
    "change",
    [
        {"kind": Booking.Kind.PAYOUT},
        {"project_code": "1320"},
        {"funder_name": "Provincie Gelderland"},
    ],
    ids=["andere soort", "ander project", "andere financier"],
)
def test_a_correction_with_another_kind_project_or_funder_is_invalid(deal, spent, change):
    counter = Booking(
        deal=deal,
        project=Project.objects.get(deal=deal, code=change.get("project_code", "1310")),
        funder=deal.funders.get(name=change.get("funder_name", "Rijk")),
        kind=change.get("kind", Booking.Kind.EXPENDITURE),
        amount=Decimal("10.00"),
        date=date(2022, 10, 1),
        correction_of=spent,
        correction_reason="Verkeerd geboekt",
    )

    with pytest.raises(ValidationError) as refused:
        counter.full_clean()

    assert _messages(refused) == {"correction_of": [SAME_AS_ORIGINAL]}


@pytest.mark.parametrize("amount", ["0.00", "-5.00"])
def test_a_correction_amount_must_be_positive(spent, coordinator, amount):
    with pytest.raises(ValidationError) as refused:
        booking_correct(booking=spent, amount=Decimal(amount), reason="Niets", user=coordinator)

    assert _messages(refused) == {"amount": [POSITIVE]}
    assert not spent.corrections.exists()


# A funder of another deal ----------------------------------------------------------------------


def test_a_tranche_with_a_funder_of_another_deal_is_refused(project, foreign_funder, kassier):
    with pytest.raises(ValidationError) as refused:
        tranche_register(
            project=project, funder=foreign_funder, amount=Decimal("1000.00"), date=date(2023, 5, 1), user=kassier
        )

    assert _messages(refused) == {"funder": [OTHER_DEAL]}
    assert not Tranche.objects.filter(funder=foreign_funder).exists()


def test_an_expenditure_with_a_funder_of_another_deal_is_refused(project, foreign_funder, coordinator):
    with pytest.raises(ValidationError) as refused:
        expenditure_record(
            project=project,
            funder=foreign_funder,
            amount=Decimal("1000.00"),
            period_start=date(2022, 7, 1),
            period_end=date(2022, 9, 1),
            user=coordinator,
        )

    assert _messages(refused) == {"funder": [OTHER_DEAL]}
    assert not Booking.objects.filter(funder=foreign_funder).exists()


def test_a_booking_with_a_funder_of_another_deal_is_refused(deal, project, foreign_funder, coordinator):
    with pytest.raises(ValidationError) as refused:
        booking_create(
            deal=deal,
            project=project,
            funder=foreign_funder,
            kind=Booking.Kind.EXPENDITURE,
            amount=Decimal("1000.00"),
            date=date(2022, 9, 1),
            user=coordinator,
            period_start=date(2022, 7, 1),
            period_end=date(2022, 9, 1),
        )

    assert _messages(refused) == {"funder": ["De financier hoort bij een andere deal."]}
    assert not Booking.objects.filter(funder=foreign_funder).exists()


# Four eyes on a tranche ------------------------------------------------------------------------


@pytest.fixture
def pending(project, rijk, kassier) -> Tranche:
    return tranche_register(
        project=project, funder=rijk, amount=Decimal("1000.00"), date=date(2023, 5, 1), user=kassier
    )


def test_another_kassier_cannot_approve_a_tranche(pending):
    # Four eyes means a *controller* who did not register it, not just any second person.
    second_kassier = make_user("kassier_twee", roles.KASSIER)

    with pytest.raises(PermissionDenied) as refused:
        tranche_approve(tranche=pending, user=second_kassier)

    assert str(refused.value) == ONLY_A_CONTROLLER
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.booking) == (Tranche.Status.PENDING, None, None)


def test_the_registering_kassier_cannot_approve_own_tranche(pending, kassier):
    with pytest.raises(PermissionDenied) as refused:
        tranche_approve(tranche=pending, user=kassier)

    assert str(refused.value) == NOT_YOUR_OWN
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.booking) == (Tranche.Status.PENDING, None, None)
