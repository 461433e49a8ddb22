"""Kills the mutants of finance/services.py that the suite let live (docs/mutation-testing.md)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from finance.models import Booking
from finance.selectors import project_funder_figures
from finance.services import _lock_pending, booking_correct, tranche_approve, tranche_register
from projects import roles
from projects.models import Decision, Project


def test_lowering_a_begroting_below_the_payouts_names_the_amounts(deal, coordinator):
    budget = Booking.objects.get(
        project__deal=deal, project__code="1310", funder__name="Rijk", kind="begroting", correction_of=None
    )
    figures = project_funder_figures(project=budget.project, funder=budget.funder)
    # 1310 x Rijk in the demo: begroot 143.751, uitgekeerd 102.345; 41.407 less leaves 102.344.
    assert (budget.amount, figures.begroot, figures.uitgekeerd) == (
        Decimal("143751.00"),
        Decimal("143751.00"),
        Decimal("102345.00"),
    )
    with pytest.raises(ValidationError) as caught:
        booking_correct(
            booking=budget,
            amount=Decimal("41407.00"),
            reason="Herverdeling",
            user=coordinator,
            decision=Decision.objects.filter(deal=deal).first(),
        )
    assert caught.value.message_dict["amount"] == [
        "Na deze correctie is de begroting van project 1310 voor Rijk €\u00a0102.344,00, minder dan er al is "
        "uitgekeerd (€\u00a0102.345,00). Verlaag de begroting met hoogstens €\u00a041.406,00."
    ]


def test_a_payout_above_the_budget_names_the_excess_and_what_is_missing(deal, kassier, controller):
    project = Project.objects.get(deal=deal, code="1310")
    rijk = deal.funders.get(name="Rijk")
    # begroot 143.751 - uitgekeerd 102.345 leaves 41.406: a tranche of 41.407 goes 1 euro over.
    tranche = tranche_register(
        project=project, funder=rijk, amount=Decimal("41407.00"), date=datetime.date(2023, 5, 1), user=kassier
    )
    with pytest.raises(ValidationError) as caught:
        tranche_approve(tranche=tranche, user=controller)
    assert caught.value.messages == [
        f"Tranche {tranche.number} van project 1310 voor Rijk overschrijdt de begroting met €\u00a01,00 "
        "(begroot €\u00a0143.751,00, al uitgekeerd €\u00a0102.345,00, deze tranche €\u00a041.407,00). "
        "Geef een reden en het besluit dat dit toestaat als u bewust boven de begroting uitkeert."
    ]


def test_the_payout_booking_of_an_approved_tranche(deal, kassier, controller, django_assert_num_queries):
    project = Project.objects.get(deal=deal, code="1310")
    rijk = deal.funders.get(name="Rijk")
    tranche = tranche_register(
        project=project,
        funder=rijk,
        amount=Decimal("1000.00"),
        date=datetime.date(2023, 5, 1),
        user=kassier,
        note="Eerste voorschot",
    )
    assert roles.has_role(controller, deal, roles.CONTROLLER)  # the role map is read (and cached) first
    with django_assert_num_queries(2):  # the funder lock, then the tranche with its project, deal and funder
        locked = _lock_pending(tranche, controller)
        assert (locked.project.deal.code, locked.funder.name) == ("cleantech", "Rijk")
    booking = tranche_approve(tranche=tranche, user=controller).booking
    assert (booking.kind, booking.amount, booking.date) == ("uitkering", Decimal("1000.00"), datetime.date(2023, 5, 1))
    assert (booking.reference, booking.note) == (f"Tranche {tranche.number}", "Eerste voorschot")
    assert booking.created_by == controller and booking.history.get().history_user == controller
    with pytest.raises(ValidationError) as caught:
        tranche_approve(tranche=tranche, user=controller)
    assert caught.value.messages == [f"Tranche {tranche.number} is al goedgekeurd."]


def test_who_may_not_decide_a_tranche_hears_why(deal, kassier, outsider):
    tranche = tranche_register(
        project=Project.objects.get(deal=deal, code="1310"),
        funder=deal.funders.get(name="Rijk"),
        amount=Decimal("1000.00"),
        date=datetime.date(2023, 5, 1),
        user=kassier,
    )
    for user, message in [
        (
            kassier,
            "U heeft deze tranche zelf geregistreerd; een controller die dat niet deed, keurt haar goed of af.",
        ),
        (outsider, "Alleen een controller keurt tranches goed of af."),
    ]:
        with pytest.raises(PermissionDenied) as caught:
            tranche_approve(tranche=tranche, user=user)
        assert str(caught.value) == message
