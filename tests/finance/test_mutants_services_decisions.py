"""Kills the mutants of finance/services_decisions.py that the suite let live (docs/mutation-testing.md)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from finance.models import Booking
from finance.services_decisions import budget_lower, budget_raise, decision_record
from projects import roles
from projects.models import Deal, Decision, Project

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 besluitenlijst"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def cell(deal):
    """1310 x Rijk: in the demo one begroting of 143.751 (booked 01-12-2020 under SG-2020-01)."""
    return Project.objects.get(deal=deal, code="1310"), deal.funders.get(name="Rijk"), deal.decisions.get()


def test_a_lowering_needs_a_reason_and_an_amount_above_zero_and_says_so(deal, coordinator, cell):
    project, rijk, decision = cell

    def lower(amount, reason="Herverdeling"):
        return budget_lower(
            project=project, funder=rijk, amount=amount, decision=decision, reason=reason, user=coordinator
        )

    with pytest.raises(ValidationError) as caught:
        lower(Decimal("10.00"), reason="  ")
    assert caught.value.message_dict == {"reason": ["Geef de reden van de verlaging."]}
    for amount in (None, Decimal("0.00"), Decimal("-5.00")):
        with pytest.raises(ValidationError) as caught:
            lower(amount)
        assert caught.value.message_dict == {"amount": ["Het bedrag van de verlaging moet groter dan nul zijn."]}
    # One cent is above zero.
    [correction] = lower(Decimal("0.01"))
    assert (correction.correction_of.amount, correction.amount) == (Decimal("143751.00"), Decimal("0.01"))


def test_a_lowering_corrects_the_begrotingen_newest_date_first_and_the_latest_booked_first_on_a_day(
    deal, coordinator, cell
):
    project, rijk, decision = cell
    demo_budget = Booking.objects.get(project=project, funder=rijk, kind="begroting")

    def raise_by(amount, date):
        return budget_raise(
            project=project, funder=rijk, amount=Decimal(amount), decision=decision, user=coordinator, date=date
        )

    def lower_by(amount, date):
        return budget_lower(
            project=project,
            funder=rijk,
            amount=Decimal(amount),
            decision=decision,
            reason=" Herverdeling ",
            user=coordinator,
            date=date,
        )

    a_year_later = deal.start.replace(year=deal.start.year + 1)
    newest = raise_by("100.00", a_year_later)
    first_on_start = raise_by("10.00", deal.start)
    second_on_start = raise_by("20.00", deal.start)
    # 121 = all 100 of the newest date, then on deal.start the 20 booked last (1 left to go), then 1 of the 10
    # booked before it; the demo's own begroting (also on deal.start, booked first of all) is left alone.
    corrections = lower_by("121.00", a_year_later)
    assert [(c.correction_of, c.amount) for c in corrections] == [
        (newest, Decimal("100.00")),
        (second_on_start, Decimal("20.00")),
        (first_on_start, Decimal("1.00")),
    ]
    assert {(c.decision, c.correction_reason, c.date, c.created_by) for c in corrections} == {
        (decision, "Herverdeling", a_year_later, coordinator)
    }
    assert {c.history.get().history_user for c in corrections} == {coordinator}
    # The two fully corrected begrotingen are passed over: 12 = the 9 left of the 10, then 3 of the demo's.
    corrections = lower_by("12.00", deal.start)
    assert [(c.correction_of, c.amount, c.date) for c in corrections] == [
        (first_on_start, Decimal("9.00"), deal.start),
        (demo_budget, Decimal("3.00"), deal.start),
    ]


def test_what_a_begroting_can_still_be_lowered_by_leaves_out_its_corrections_in_two_queries(
    deal, coordinator, cell, django_assert_num_queries
):
    project, rijk, decision = cell
    for amount in ("1000.00", "500.00"):
        budget_raise(project=project, funder=rijk, amount=Decimal(amount), decision=decision, user=coordinator)
    budget_lower(
        project=project, funder=rijk, amount=Decimal("100.00"), decision=decision, reason="Eerste", user=coordinator
    )
    assert roles.has_role(coordinator, deal, roles.COORDINATOR)  # the role map is read (and cached) first
    # 143.751 + 1.000 + 500 begroot, 100 of it lowered: 145.151 is left, so 145.152 is one euro too much.
    # Savepoint, the begrotingen, their corrections (one prefetch for all three), rollback, release.
    with django_assert_num_queries(5), pytest.raises(ValidationError) as caught:
        budget_lower(
            project=project,
            funder=rijk,
            amount=Decimal("145152.00"),
            decision=decision,
            reason="Tweede",
            user=coordinator,
        )
    assert caught.value.message_dict == {
        "amount": [
            "De verlaging (€\u00a0145.152,00) is groter dan de begroting van project 1310 voor Rijk "
            "(€\u00a0145.151,00)."
        ]
    }


def test_only_the_coordinator_records_a_decision_and_the_others_hear_why(deal, kassier):
    with pytest.raises(PermissionDenied) as caught:
        decision_record(deal=deal, number="SG-9", date=deal.start, body="stuurgroep", text="Besluit", user=kassier)
    assert str(caught.value) == "Alleen de coördinator legt besluiten vast."


def test_a_decision_without_number_or_text_dated_in_the_future_or_with_a_bad_document_hears_every_reason(
    deal, coordinator
):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        decision_record(
            deal=deal,
            number="  ",
            date=tomorrow,
            body="stuurgroep",
            text=" ",
            user=coordinator,
            document=SimpleUploadedFile("besluit.exe", PDF),
        )
    assert caught.value.message_dict == {
        "number": ["Geef het besluitnummer, bijvoorbeeld SG-2022-03."],
        "text": ["Geef de tekst van het besluit."],
        "date": [f"De datum van het besluit ({tomorrow:%d-%m-%Y}) ligt in de toekomst."],
        "document": ["Bestand 'besluit.exe' heeft een niet toegestaan type; kies een pdf, docx, xlsx, jpg of png."],
    }
    with pytest.raises(ValidationError) as caught:
        decision_record(
            deal=deal,
            number="SG-9",
            date=deal.start,
            body="stuurgroep",
            text="Besluit",
            user=coordinator,
            document=SimpleUploadedFile("besluit.pdf", b"geen pdf"),
        )
    assert caught.value.message_dict == {"document": ["Bestand 'besluit.pdf' is geen geldig pdf-bestand."]}
    assert not deal.decisions.filter(number="SG-9").exists()


def test_a_decision_of_today_is_recorded_trimmed_with_its_document_and_author(deal, coordinator):
    today = timezone.localdate()
    decision = decision_record(
        deal=deal,
        number=" SG-9 ",
        date=today,
        body="werkgroep",
        text=" Extra middelen voor 1310 ",
        user=coordinator,
        document=SimpleUploadedFile("besluit.pdf", PDF),
    )
    decision.refresh_from_db()
    assert (decision.deal, decision.number, decision.date, decision.body, decision.text) == (
        deal,
        "SG-9",
        today,
        "werkgroep",
        "Extra middelen voor 1310",
    )
    assert decision.document.name == f"besluiten/{today:%Y}/besluit.pdf" and decision.document.read() == PDF
    assert decision.created_by == coordinator and decision.history.get().history_user == coordinator
    without = decision_record(
        deal=deal, number="SG-10", date=today, body="stuurgroep", text="Zonder document", user=coordinator
    )
    assert without.document.name == ""


def test_only_the_coordinator_of_the_projects_deal_changes_its_budget_and_the_others_hear_why(deal, kassier, cell):
    project, rijk, decision = cell
    for user in (kassier, User.objects.get(username="coordinator_b")):
        with pytest.raises(PermissionDenied) as caught:
            budget_raise(project=project, funder=rijk, amount=Decimal("1.00"), decision=decision, user=user)
        assert str(caught.value) == "Alleen de coördinator wijzigt begrotingen."


def test_a_budget_change_with_a_funder_or_decision_of_another_deal_or_no_decision_hears_every_reason(
    deal, coordinator, cell
):
    project, rijk, _decision = cell
    other_deal = Deal.objects.exclude(pk=deal.pk).get(role_assignments__user__username="coordinator_b")
    other_rijk = other_deal.funders.get(name="Rijk")
    other_decision = Decision.objects.create(deal=other_deal, number="B-1", date=other_deal.start, text="Deal B")
    bookings_before = project.bookings.count()
    with pytest.raises(ValidationError) as caught:
        budget_raise(
            project=project, funder=other_rijk, amount=Decimal("1.00"), decision=other_decision, user=coordinator
        )
    assert caught.value.message_dict == {
        "funder": ["De financier hoort bij een andere deal dan het project."],
        "decision": ["Besluit B-1 hoort bij een andere deal."],
    }
    with pytest.raises(ValidationError) as caught:
        budget_lower(
            project=project, funder=rijk, amount=Decimal("1.00"), decision=None, reason="Herverdeling", user=coordinator
        )
    assert caught.value.message_dict == {
        "decision": [
            "Een wijziging van de begroting hoort bij een besluit: kies het besluit uit het besluitenregister van "
            "de deal."
        ]
    }
    assert project.bookings.count() == bookings_before


def test_a_raise_is_a_begroting_booking_under_the_decision_dated_as_given_or_today(deal, coordinator, cell):
    project, rijk, decision = cell
    given = deal.start.replace(year=deal.start.year + 2)
    booking = budget_raise(
        project=project,
        funder=rijk,
        amount=Decimal("250.00"),
        decision=decision,
        user=coordinator,
        date=given,
        note=" Extra inzet ",
    )
    booking.refresh_from_db()
    assert (booking.deal, booking.project, booking.funder, booking.kind, booking.amount, booking.date) == (
        deal,
        project,
        rijk,
        "begroting",
        Decimal("250.00"),
        given,
    )
    assert (booking.reference, booking.note, booking.decision) == ("Besluit SG-2020-01", "Extra inzet", decision)
    assert booking.created_by == coordinator and booking.history.get().history_user == coordinator
    plain = budget_raise(project=project, funder=rijk, amount=Decimal("1.00"), decision=decision, user=coordinator)
    assert (plain.date, plain.note) == (timezone.localdate(), "")
