"""finance.services: bookings, corrections, the tranche workflow with four eyes and the budget guard."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from finance.models import Booking, ConditionType, ProjectCondition, Tranche
from finance.selectors import deal_figures, project_funder_figures
from finance.services import (
    booking_correct,
    booking_create,
    expenditure_record,
    tranche_approve,
    tranche_register,
    tranche_reject,
)
from finance.services_conditions import EvidenceInput
from projects.models import Deal, Project
from projects.services_roles import assign_without_review

PDF = b"%PDF-1.4 test"
# 1310 x Rijk in the demo (fixtures/cleantech.json): programme 1300's Rijk begroot 575.000 (Tabel 5) and
# uitgekeerd 409.377 (Tabel 6) split over its 4 projects give 1310 begroot 143.751 and one tranche of
# 102.345, so 143.751 - 102.345 = 41.406 is still to be paid out.
UITGEKEERD_1310_RIJK = Decimal("102345.00")
NOG_1310_RIJK = Decimal("41406.00")


@pytest.fixture
def project(deal):
    return Project.objects.get(deal=deal, code="1310")


@pytest.fixture
def rijk(deal):
    return deal.funders.get(name="Rijk")


def register(project, funder, kassier, amount="1000.00", **kwargs):
    return tranche_register(
        project=project,
        funder=funder,
        amount=Decimal(amount),
        date=date(2023, 5, 1),
        user=kassier,
        **kwargs,
    )


def test_budget_booking_needs_a_decision(deal, project, rijk, coordinator):
    with pytest.raises(ValidationError) as e:
        booking_create(
            deal=deal, project=project, funder=rijk, kind="begroting", amount=Decimal("5.00"), date=date(2023, 1, 1),
            user=coordinator,
        )  # fmt: skip
    assert "besluitenregister" in e.value.message_dict["decision"][0]


def test_expenditure_booking_needs_a_period(deal, project, rijk, coordinator):
    with pytest.raises(ValidationError) as e:
        booking_create(
            deal=deal, project=project, funder=rijk, kind="besteding", amount=Decimal("5.00"), date=date(2023, 1, 1),
            user=coordinator,
        )  # fmt: skip
    assert "period_start" in e.value.message_dict


def test_booking_create_keeps_who_in_history(deal, project, rijk, coordinator):
    booking = booking_create(
        deal=deal, project=project, funder=rijk, kind="toekenning", amount=Decimal("5.00"), date=date(2023, 1, 1),
        user=coordinator, decision=deal.decisions.first(),
    )  # fmt: skip
    assert booking.created_by == coordinator
    assert booking.history.get().history_user == coordinator


def test_correction_is_a_counter_entry_never_more_than_remains(deal, project, rijk, coordinator):
    original = Booking.objects.filter(project=project, funder=rijk, kind="begroting").first()
    first = booking_correct(
        booking=original, amount=Decimal("100.00"), reason="Begroting verlaagd", user=coordinator,
        decision=deal.decisions.first(),
    )  # fmt: skip
    assert first.correction_of == original and first.signed_amount == Decimal("-100.00")
    assert Booking.objects.filter(pk=original.pk, amount=original.amount).exists()  # original untouched
    with pytest.raises(ValidationError) as e:
        booking_correct(
            booking=original, amount=original.amount, reason="Te veel", user=coordinator,
            decision=deal.decisions.first(),
        )  # fmt: skip
    assert "groter dan wat van de boeking over is" in e.value.messages[0]


def test_correction_needs_a_reason(deal, project, rijk, coordinator):
    original = Booking.objects.filter(project=project, funder=rijk, kind="begroting").first()
    with pytest.raises(ValidationError):
        booking_correct(booking=original, amount=Decimal("1.00"), reason=" ", user=coordinator)


def test_only_a_kassier_registers_a_tranche(project, rijk, controller):
    with pytest.raises(PermissionDenied):
        register(project, rijk, controller)


@pytest.fixture
def sok(deal, project):
    """The demo's document condition (1330's SOK), here on every tranche of 1310 too."""
    kind = ConditionType.objects.get(deal=deal, name="Samenwerkingsovereenkomst getekend", kind="document")
    return ProjectCondition.objects.create(project=project, condition_type=kind)


def register_with_evidence(project, funder, kassier, **proof):
    sok = ConditionType.objects.get(deal=project.deal, name="Samenwerkingsovereenkomst getekend")
    return tranche_register(
        project=project, funder=funder, amount=Decimal("10.00"), date=date(2023, 1, 1), user=kassier,
        evidence=[EvidenceInput(sok, **proof)],
    )  # fmt: skip


def test_registration_evidence_for_a_document_condition_needs_a_document(project, rijk, kassier, sok):
    with pytest.raises(ValidationError) as e:
        register_with_evidence(project, rijk, kassier, reference="SOK-1")
    assert "Voor 'Samenwerkingsovereenkomst getekend' is een document nodig." in e.value.messages[0]
    assert not Tranche.objects.filter(project=project, status=Tranche.Status.PENDING).exists()


def test_registration_evidence_document_must_be_an_allowed_type(project, rijk, kassier, sok):
    with pytest.raises(ValidationError) as e:
        register_with_evidence(project, rijk, kassier, document=SimpleUploadedFile("voorwaarde.exe", b"MZ..."))
    assert "niet toegestaan type" in e.value.messages[0]
    assert not Tranche.objects.filter(project=project, status=Tranche.Status.PENDING).exists()


def test_registration_evidence_document_may_not_exceed_the_upload_limit(project, rijk, kassier, sok, settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as e:
        register_with_evidence(project, rijk, kassier, document=SimpleUploadedFile("plan.pdf", PDF + b"x" * 20))
    assert "groter dan" in e.value.messages[0]


def test_registered_tranche_does_not_count_until_approved(deal, project, rijk, kassier, controller):
    assert project_funder_figures(project=project, funder=rijk).uitgekeerd == UITGEKEERD_1310_RIJK
    tranche = register(project, rijk, kassier)
    assert tranche.number == 2  # the demo paid tranche 1
    assert project_funder_figures(project=project, funder=rijk).uitgekeerd == UITGEKEERD_1310_RIJK
    tranche_approve(tranche=tranche, user=controller)
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.APPROVED and tranche.booking.kind == "uitkering"
    after = Decimal("103345.00")  # 102.345 + 1.000
    assert project_funder_figures(project=project, funder=rijk).uitgekeerd == after
    assert deal_figures(deal=deal, as_of=date(2023, 5, 1)).cell(project.pk, rijk.pk).uitgekeerd == after


def test_controller_cannot_approve_own_tranche(project, rijk, kassier, controller):
    # Segregation of duties forbids this through the role page; a legacy double role
    # (assigned without review) must still not let one person approve their own tranche.
    assign_without_review(deal=Deal.objects.get(code="cleantech"), user=kassier, role="controller")
    tranche = register(project, rijk, kassier)
    with pytest.raises(PermissionDenied):
        tranche_approve(tranche=tranche, user=kassier)


def test_kassier_cannot_approve_a_tranche(project, rijk, kassier):
    tranche = register(project, rijk, kassier)
    with pytest.raises(PermissionDenied):
        tranche_approve(tranche=tranche, user=kassier)


def test_approving_over_budget_is_refused_with_the_excess(project, rijk, kassier, controller):
    assert project_funder_figures(project=project, funder=rijk).nog_uit_te_keren == NOG_1310_RIJK
    tranche = register(project, rijk, kassier, amount="53751.00")  # 41.406 + 12.345
    with pytest.raises(ValidationError) as e:
        tranche_approve(tranche=tranche, user=controller)
    assert "overschrijdt de begroting met €\u00a012.345,00" in e.value.messages[0]
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.PENDING and tranche.booking is None


def test_approving_over_budget_with_a_reason_is_allowed_and_kept(project, rijk, kassier, controller):
    tranche = register(project, rijk, kassier, amount="41407.00")  # 41.406 still to pay, plus 1
    tranche_approve(
        tranche=tranche, user=controller, override_reason="Besluit stuurgroep 12-5: extra tranche",
        override_decision=project.deal.decisions.first(),
    )  # fmt: skip
    tranche.refresh_from_db()
    assert tranche.override_reason == "Besluit stuurgroep 12-5: extra tranche"


def test_approving_exactly_the_budget_is_allowed(project, rijk, kassier, controller):
    tranche = register(project, rijk, kassier, amount=str(NOG_1310_RIJK))
    tranche_approve(tranche=tranche, user=controller)
    f = project_funder_figures(project=project, funder=rijk)
    assert (f.begroot, f.uitgekeerd, f.nog_uit_te_keren) == (Decimal("143751.00"), Decimal("143751.00"), 0)


def test_reject_needs_a_reason_and_does_not_count(project, rijk, kassier, controller):
    tranche = register(project, rijk, kassier)
    with pytest.raises(ValidationError):
        tranche_reject(tranche=tranche, user=controller, reason="")
    tranche_reject(tranche=tranche, user=controller, reason="Plan van aanpak niet getekend")
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.REJECTED and tranche.decided_by == controller
    with pytest.raises(ValidationError):
        tranche_approve(tranche=tranche, user=controller)


def test_tranche_decision_is_in_its_history(project, rijk, kassier, controller):
    tranche = register(project, rijk, kassier)
    tranche_approve(tranche=tranche, user=controller)
    assert [h.history_user for h in tranche.history.order_by("history_date")] == [kassier, controller]


def test_theme_manager_records_expenditure_for_own_project(project, rijk, theme_manager):
    booking = expenditure_record(
        project=project, funder=rijk, amount=Decimal("50.00"), period_start=date(2023, 1, 1),
        period_end=date(2023, 7, 1), user=theme_manager,
    )  # fmt: skip
    assert booking.kind == "besteding" and booking.created_by == theme_manager


def test_theme_manager_cannot_record_expenditure_for_another_programme(deal, rijk, other_theme_manager):
    project = Project.objects.get(deal=deal, code="1310")
    with pytest.raises(PermissionDenied):
        expenditure_record(
            project=project, funder=rijk, amount=Decimal("50.00"), period_start=date(2023, 1, 1),
            period_end=date(2023, 7, 1), user=other_theme_manager,
        )  # fmt: skip


def test_expenditure_period_end_must_follow_start(project, rijk, coordinator):
    with pytest.raises(ValidationError):
        expenditure_record(
            project=project, funder=rijk, amount=Decimal("50.00"), period_start=date(2023, 7, 1),
            period_end=date(2023, 1, 1), user=coordinator,
        )  # fmt: skip
