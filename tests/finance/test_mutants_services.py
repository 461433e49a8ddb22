"""Kills the mutants of finance/services.py that the suite let live (docs/mutation-testing.md)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finance.models import Booking
from finance.selectors import project_funder_figures
from finance.services import (
    _lock_pending,
    booking_correct,
    booking_create,
    expenditure_record,
    tranche_approve,
    tranche_register,
    tranche_reject,
)
from projects import roles
from projects.models import Deal, Decision, Project

pytestmark = pytest.mark.django_db


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


# ----------------------------------------------------------------------------- helpers of the tests below


@pytest.fixture
def project(deal) -> Project:
    return Project.objects.get(deal=deal, code="1310")


@pytest.fixture
def rijk(deal):
    return deal.funders.get(name="Rijk")


@pytest.fixture
def decision(deal) -> Decision:
    return deal.decisions.get(number="SG-2020-01")


@pytest.fixture
def other_deal(deal) -> Deal:
    return Deal.objects.exclude(pk=deal.pk).get(role_assignments__user__username="coordinator_b")


def locked_tables(queries) -> list[str]:
    return [q["sql"].split(" FROM ")[1].split()[0].strip('"') for q in queries if "FOR UPDATE" in q["sql"]]


# ----------------------------------------------------------------------------- booking_create


def test_an_uitkering_is_never_booked_directly_and_the_message_says_how_instead(deal, project, rijk, kassier):
    with pytest.raises(ValidationError) as caught:
        booking_create(
            deal=deal,
            project=project,
            funder=rijk,
            kind="uitkering",
            amount=Decimal("10.00"),
            date=deal.start,
            user=kassier,
        )
    assert caught.value.message_dict == {
        "kind": [
            "Een uitkering boekt u niet rechtstreeks: registreer een tranche; die telt als uitgekeerd zodra een "
            "controller haar goedkeurt."
        ]
    }


def test_a_booking_without_positive_amount_period_or_decision_of_the_deal_hears_every_reason(
    deal, other_deal, project, rijk, coordinator
):
    other_decision = Decision.objects.create(deal=other_deal, number="B-1", date=other_deal.start, text="Deal B")
    amount_error = "Het bedrag moet groter dan nul zijn; een vermindering boekt u als correctie."
    # A besteding needs no decision, but one that is given must be of the deal.
    for amount in (Decimal("0.00"), Decimal("-1.00")):
        with pytest.raises(ValidationError) as caught:
            booking_create(
                deal=deal,
                project=project,
                funder=rijk,
                kind="besteding",
                amount=amount,
                date=deal.start,
                user=coordinator,
                decision=other_decision,
            )
        assert caught.value.message_dict == {
            "amount": [amount_error],
            "decision": ["Besluit B-1 hoort bij een andere deal."],
            "period_start": ["Een besteding hoort bij een periode: geef het begin."],
            "period_end": ["Een besteding hoort bij een periode: geef het einde."],
        }
    for kind in ("begroting", "toekenning"):
        with pytest.raises(ValidationError) as caught:
            booking_create(
                deal=deal, project=project, funder=rijk, kind=kind, amount=None, date=deal.start, user=coordinator
            )
        assert caught.value.message_dict == {
            "amount": [amount_error],
            "decision": [
                "Een begroting of toekenning hoort bij een besluit: kies het besluit uit het besluitenregister van de "
                "deal."
            ],
        }


def test_a_booking_keeps_what_was_given_and_who_booked_it(deal, project, rijk, coordinator, decision):
    period_end = deal.start.replace(year=deal.start.year + 1)
    spent = booking_create(
        deal=deal,
        project=project,
        funder=rijk,
        kind="besteding",
        amount=Decimal("0.01"),
        date=period_end,
        user=coordinator,
        reference="F-17",
        note="Zaalhuur",
        period_start=deal.start,
        period_end=period_end,
    )
    spent.refresh_from_db()
    assert (spent.deal, spent.project, spent.funder, spent.kind, spent.amount, spent.date) == (
        deal,
        project,
        rijk,
        "besteding",
        Decimal("0.01"),
        period_end,
    )
    assert (spent.reference, spent.note, spent.decision, spent.period_start, spent.period_end) == (
        "F-17",
        "Zaalhuur",
        None,
        deal.start,
        period_end,
    )
    assert spent.created_by == coordinator and spent.history.get().history_user == coordinator
    budget = booking_create(
        deal=deal,
        project=project,
        funder=rijk,
        kind="begroting",
        amount=Decimal("5.00"),
        date=deal.start,
        user=coordinator,
        decision=decision,
    )
    budget.refresh_from_db()
    assert (budget.kind, budget.decision, budget.reference, budget.note) == ("begroting", decision, "", "")


# ----------------------------------------------------------------------------- booking_correct


def test_a_correction_of_a_project_begroting_takes_the_funder_lock_first_and_one_of_a_besteding_does_not(
    deal, project, rijk, coordinator, decision
):
    budget = Booking.objects.get(project=project, funder=rijk, kind="begroting")
    spent = Booking.objects.get(project=project, funder=rijk, kind="besteding")
    with CaptureQueriesContext(connection) as queries:
        booking_correct(
            booking=budget, amount=Decimal("1.00"), reason="Herverdeling", user=coordinator, decision=decision
        )
    assert locked_tables(queries) == ["finance_funder", "finance_booking"]
    with CaptureQueriesContext(connection) as queries:
        booking_correct(booking=spent, amount=Decimal("1.00"), reason="Dubbel geboekt", user=coordinator)
    assert locked_tables(queries) == ["finance_booking"]


def test_a_correction_that_is_refused_says_why(deal, project, rijk, coordinator, decision):
    budget = Booking.objects.get(project=project, funder=rijk, kind="begroting")
    commitment = Booking.objects.get(project=project, funder=rijk, kind="toekenning")
    spent = Booking.objects.get(project=project, funder=rijk, kind="besteding")
    assert spent.amount == Decimal("12500.00")

    def refused(booking, amount=Decimal("1.00"), reason="Herverdeling", decision=decision):
        with pytest.raises(ValidationError) as caught:
            booking_correct(booking=booking, amount=amount, reason=reason, user=coordinator, decision=decision)
        return caught.value.message_dict

    correction = booking_correct(booking=spent, amount=Decimal("500.00"), reason="Dubbel", user=coordinator)
    assert refused(correction) == {"correction_of": ["Corrigeer de oorspronkelijke boeking, niet een correctie."]}
    assert refused(spent, reason="  ") == {"correction_reason": ["Geef de reden van de correctie."]}
    for amount in (None, Decimal("0.00"), Decimal("-1.00")):
        assert refused(spent, amount=amount) == {"amount": ["Het bedrag van een correctie moet groter dan nul zijn."]}
    choose = "hoort bij een besluit: kies het besluit uit het besluitenregister van de deal."
    assert refused(budget, decision=None) == {"decision": [f"Een wijziging van een begroting {choose}"]}
    assert refused(commitment, decision=None) == {
        "decision": [f"Een wijziging van een toekenning (gecommitteerd) {choose}"]
    }
    # 12.500 - 500 leaves 12.000.
    assert refused(spent, amount=Decimal("12000.01"), decision=None) == {
        "amount": ["De correctie (€\u00a012.000,01) is groter dan wat van de boeking over is (€\u00a012.000,00)."]
    }


def test_a_correction_copies_its_booking_and_keeps_reason_date_and_author(deal, project, rijk, coordinator):
    period_end = deal.start.replace(year=deal.start.year + 1)
    spent = booking_create(
        deal=deal,
        project=project,
        funder=rijk,
        kind="besteding",
        amount=Decimal("50000.00"),
        date=period_end,
        user=coordinator,
        reference="F-18",
        period_start=deal.start,
        period_end=period_end,
    )
    # Correcting a besteding is no budget change: it may go below what was paid out (begroot 143.751 - 45.000 is
    # less than the 102.345 uitgekeerd; only lowering a begroting is held to that).
    first = booking_correct(booking=spent, amount=Decimal("45000.00"), reason=" Te hoog ", user=coordinator)
    # Exactly what is left (5.000) may be corrected too.
    rest = booking_correct(booking=spent, amount=Decimal("5000.00"), reason="Rest", user=coordinator, date=period_end)
    for correction in (first, rest):
        correction.refresh_from_db()
        assert (correction.deal, correction.project, correction.funder, correction.kind) == (
            deal,
            project,
            rijk,
            "besteding",
        )
        assert (correction.reference, correction.period_start, correction.period_end, correction.correction_of) == (
            "F-18",
            deal.start,
            period_end,
            spent,
        )
        assert correction.created_by == coordinator and correction.history.get().history_user == coordinator
    assert (first.amount, first.date, first.note, first.correction_reason, first.decision) == (
        Decimal("45000.00"),
        timezone.localdate(),
        "Correctie:  Te hoog ",
        " Te hoog ",
        None,
    )
    assert (rest.amount, rest.date, rest.note, rest.correction_reason) == (
        Decimal("5000.00"),
        period_end,
        "Correctie: Rest",
        "Rest",
    )


# ----------------------------------------------------------------------------- tranches


def test_only_the_kassier_of_the_projects_deal_registers_a_tranche_and_the_others_hear_why(
    deal, project, rijk, controller
):
    for user in (controller, User.objects.get(username="kassier_b")):
        with pytest.raises(PermissionDenied) as caught:
            tranche_register(project=project, funder=rijk, amount=Decimal("1.00"), date=deal.start, user=user)
        assert str(caught.value) == "Alleen de kassier registreert tranches."


def test_a_tranche_with_a_funder_of_another_deal_is_refused(deal, other_deal, project, kassier):
    with pytest.raises(ValidationError) as caught:
        tranche_register(
            project=project,
            funder=other_deal.funders.get(name="Rijk"),
            amount=Decimal("1.00"),
            date=deal.start,
            user=kassier,
        )
    assert caught.value.message_dict == {"funder": ["De financier hoort bij een andere deal dan het project."]}


def test_tranches_are_numbered_per_project_and_funder(deal, project, rijk, kassier):
    def register(funder, number=None):
        return tranche_register(
            project=project, funder=funder, amount=Decimal("1.00"), date=deal.start, user=kassier, number=number
        ).number

    onderwijs = deal.funders.get(name="Onderwijs")
    privaat = deal.funders.get(name="Privaat + eigen middelen")
    # In the demo 1310 has tranche 1 of Rijk and of Onderwijs, none of Privaat; Rijk's highest number anywhere is
    # 2 (project 2210). A number given is kept; the next one counts on from the highest of this project x funder.
    assert register(onderwijs, number=5) == 5
    assert [register(rijk), register(rijk), register(onderwijs), register(privaat)] == [2, 3, 6, 1]


def test_a_registered_tranche_keeps_its_note_and_who_registered_it(deal, project, rijk, kassier):
    noted = tranche_register(
        project=project, funder=rijk, amount=Decimal("7.00"), date=deal.start, user=kassier, note="Voorschot"
    )
    plain = tranche_register(project=project, funder=rijk, amount=Decimal("8.00"), date=deal.start, user=kassier)
    for tranche, note in ((noted, "Voorschot"), (plain, "")):
        tranche.refresh_from_db()
        assert (tranche.note, tranche.status, tranche.registered_by) == (note, "ter_goedkeuring", kassier)
        assert tranche.history.get().history_user == kassier


def test_a_payout_up_to_exactly_the_budget_needs_no_override_and_keeps_none(
    deal, project, rijk, coordinator, kassier, controller, decision
):
    # begroot 143.751 - uitgekeerd 102.345 leaves 41.406: a tranche of exactly that stays within the budget, so
    # a reason and decision given anyway are not kept.
    tranche = tranche_register(project=project, funder=rijk, amount=Decimal("41406.00"), date=deal.start, user=kassier)
    approved = tranche_approve(
        tranche=tranche, user=controller, override_reason="Voor de zekerheid", override_decision=decision
    )
    approved.refresh_from_db()
    assert (approved.status, approved.override_reason, approved.override_decision) == ("goedgekeurd", "", None)
    # 5 more begroot, then a tranche of exactly 5 needs neither reason nor decision.
    booking_create(
        deal=deal,
        project=project,
        funder=rijk,
        kind="begroting",
        amount=Decimal("5.00"),
        date=deal.start,
        user=coordinator,
        decision=decision,
    )
    tranche = tranche_register(project=project, funder=rijk, amount=Decimal("5.00"), date=deal.start, user=kassier)
    assert tranche_approve(tranche=tranche, user=controller).status == "goedgekeurd"


def test_an_approval_above_the_budget_keeps_its_reason_decision_booking_and_decider(
    deal, project, rijk, kassier, controller, decision
):
    # 41.407 goes exactly 1 euro over the 41.406 left of the budget.
    tranche = tranche_register(project=project, funder=rijk, amount=Decimal("41407.00"), date=deal.start, user=kassier)
    before = timezone.now()
    approved = tranche_approve(
        tranche=tranche,
        user=controller,
        override_reason=" Versnelling ",
        override_decision=decision,
        booking_reference="UIT-2023-01",
    )
    approved.refresh_from_db()
    assert (approved.status, approved.decided_by, approved.override_reason, approved.override_decision) == (
        "goedgekeurd",
        controller,
        "Versnelling",
        decision,
    )
    assert before <= approved.decided_at <= timezone.now()
    assert approved.booking == Booking.objects.get(project=project, funder=rijk, kind="uitkering", amount="41407.00")
    assert approved.booking.reference == "UIT-2023-01"
    assert approved.history.latest().history_user == controller


def test_a_rejection_needs_a_reason_and_keeps_it_trimmed(deal, project, rijk, kassier, controller):
    tranche = tranche_register(project=project, funder=rijk, amount=Decimal("1.00"), date=deal.start, user=kassier)
    with pytest.raises(ValidationError) as caught:
        tranche_reject(tranche=tranche, user=controller, reason="  ")
    assert caught.value.message_dict == {"rejection_reason": ["Geef de reden van de afwijzing."]}
    before = timezone.now()
    rejected = tranche_reject(tranche=tranche, user=controller, reason=" Geen factuur ")
    rejected.refresh_from_db()
    assert (rejected.status, rejected.decided_by, rejected.rejection_reason, rejected.booking) == (
        "afgewezen",
        controller,
        "Geen factuur",
        None,
    )
    assert before <= rejected.decided_at <= timezone.now()
    assert rejected.history.latest().history_user == controller


# ----------------------------------------------------------------------------- expenditure_record


def test_who_may_not_record_expenditure_hears_why_and_a_funder_of_another_deal_is_refused(
    deal, other_deal, project, rijk, kassier, coordinator
):
    for user in (kassier, User.objects.get(username="coordinator_b")):
        with pytest.raises(PermissionDenied) as caught:
            expenditure_record(
                project=project,
                funder=rijk,
                amount=Decimal("1.00"),
                period_start=deal.start,
                period_end=deal.end,
                user=user,
            )
        assert str(caught.value) == "U mag voor dit project geen bestedingen invoeren."
    with pytest.raises(ValidationError) as caught:
        expenditure_record(
            project=project,
            funder=other_deal.funders.get(name="Rijk"),
            amount=Decimal("1.00"),
            period_start=deal.start,
            period_end=deal.end,
            user=coordinator,
        )
    assert caught.value.message_dict == {"funder": ["De financier hoort bij een andere deal dan het project."]}


def test_recorded_expenditure_is_a_besteding_over_its_period_dated_as_given_or_today(deal, project, rijk, coordinator):
    period_end = deal.start.replace(year=deal.start.year + 1)
    given = expenditure_record(
        project=project,
        funder=rijk,
        amount=Decimal("300.00"),
        period_start=deal.start,
        period_end=period_end,
        user=coordinator,
        date=period_end,
        reference="F-19",
        note="Catering",
    )
    plain = expenditure_record(
        project=project,
        funder=rijk,
        amount=Decimal("0.50"),
        period_start=deal.start,
        period_end=period_end,
        user=coordinator,
    )
    for booking in (given, plain):
        booking.refresh_from_db()
        assert (
            booking.deal,
            booking.project,
            booking.funder,
            booking.kind,
            booking.period_start,
            booking.period_end,
        ) == (
            deal,
            project,
            rijk,
            "besteding",
            deal.start,
            period_end,
        )
        assert booking.created_by == coordinator and booking.history.get().history_user == coordinator
    assert (given.amount, given.date, given.reference, given.note) == (
        Decimal("300.00"),
        period_end,
        "F-19",
        "Catering",
    )
    assert (plain.amount, plain.date, plain.reference, plain.note) == (Decimal("0.50"), timezone.localdate(), "", "")
