"""Kills the mutants of finance/services_conditions.py that the suite let live (docs/mutation-testing.md)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from finance.models import ConditionEvidence, ConditionType, ProjectCondition, Tranche
from finance.services import tranche_approve, tranche_register, tranche_reject
from finance.services_conditions import (
    EvidenceInput,
    check_conditions_met,
    condition_type_create,
    condition_waive,
    evidence_check,
    evidence_supply,
    project_condition_add,
)
from projects import roles
from projects.models import Decision, Project
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 getekend"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def project(deal) -> Project:
    return Project.objects.get(deal=deal, code="1310")


@pytest.fixture
def rijk(deal):
    return deal.funders.get(name="Rijk")


@pytest.fixture
def decision(deal) -> Decision:
    return Decision.objects.create(deal=deal, number="SG-MUT-01", date=deal.start, text="Vrijstelling")


def kind_on(project, coordinator, name, kind, **extra) -> ProjectCondition:
    condition_type = ConditionType.objects.create(deal=project.deal, name=name, kind=kind)
    return project_condition_add(project=project, condition_type=condition_type, user=coordinator, **extra)


def register(project, funder, kassier, **extra) -> Tranche:
    day = project.deal.start + datetime.timedelta(days=400)
    return tranche_register(project=project, funder=funder, amount=Decimal("10.00"), date=day, user=kassier, **extra)


def refusal(call, **kwargs) -> str:
    with pytest.raises(PermissionDenied) as caught:
        call(**kwargs)
    return str(caught.value)


def invalid(call, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value


# ------------------------------------------------------------------ condition types and project conditions


def test_only_the_coordinator_of_the_deal_keeps_its_condition_types_and_hears_why(deal, coordinator):
    coordinator_b = User.objects.get(username="coordinator_b")
    assert refusal(condition_type_create, deal=deal, name="Vreemd", kind="kenmerk", user=coordinator_b) == (
        "Alleen de coördinator beheert de voorwaarden van de deal."
    )
    plain = condition_type_create(deal=deal, name="  Subsidiebeschikking  ", kind="kenmerk", user=coordinator)
    described = condition_type_create(
        deal=deal, name="Brief", kind="document", description="  Getekend door beide partijen  ", user=coordinator
    )
    plain.refresh_from_db()
    described.refresh_from_db()
    assert (plain.name, plain.kind, plain.description) == ("Subsidiebeschikking", "kenmerk", "")
    assert (described.name, described.description) == ("Brief", "Getekend door beide partijen")
    assert plain.created_by == coordinator and plain.history.get().history_user == coordinator


def test_only_the_coordinator_of_the_deal_sets_a_projects_conditions_and_hears_why(deal, project, rijk, coordinator):
    condition_type = ConditionType.objects.create(deal=deal, name="Plan (mut)", kind="kenmerk")
    coordinator_b = User.objects.get(username="coordinator_b")
    assert refusal(project_condition_add, project=project, condition_type=condition_type, user=coordinator_b) == (
        "Alleen de coördinator bepaalt welke voorwaarden voor een project gelden."
    )
    every = project_condition_add(project=project, condition_type=condition_type, user=coordinator)
    every.refresh_from_db()
    assert (every.from_number, every.funder, every.note) == (1, None, "")
    assert every.created_by == coordinator and every.history.get().history_user == coordinator
    later = project_condition_add(
        project=project, condition_type=condition_type, user=coordinator, from_number=3, funder=rijk, note="  SG  "
    )
    later.refresh_from_db()
    assert (later.project, later.condition_type, later.from_number, later.funder, later.note) == (
        project,
        condition_type,
        3,
        rijk,
        "SG",
    )


# ------------------------------------------------------------------ supplying evidence


def test_evidence_must_fit_its_condition_and_the_refusal_names_the_condition(project, coordinator, kassier):
    document = kind_on(project, coordinator, "SOK (mut)", ConditionType.Kind.DOCUMENT)
    reference = kind_on(project, coordinator, "Beschikking (mut)", ConditionType.Kind.REFERENCE)
    report = kind_on(project, coordinator, "Verslag (mut)", ConditionType.Kind.REPORT)
    cases = [
        (
            dict(condition=report, reference="VR-1"),
            "Voor 'Verslag (mut)' levert niemand bewijs aan: het portaal kijkt zelf of het verslag over de vorige "
            "periode is goedgekeurd.",
        ),
        (dict(condition=document, reference="SOK-1"), "Voor 'SOK (mut)' is een document nodig."),
        (dict(condition=reference, reference="   "), "Voor 'Beschikking (mut)' is een kenmerk of vindplaats nodig."),
        (
            dict(condition=reference, reference="B-1", document=SimpleUploadedFile("b.exe", PDF)),
            "'Beschikking (mut)': Bestand 'b.exe' heeft een niet toegestaan type; kies een pdf, docx, xlsx, jpg "
            "of png.",
        ),
        (
            dict(condition=document, document=SimpleUploadedFile("sok.pdf", b"MZ not a pdf")),
            "'SOK (mut)': Bestand 'sok.pdf' is geen geldig pdf-bestand.",
        ),
    ]
    for kwargs, message in cases:
        assert invalid(evidence_supply, user=kassier, **kwargs).messages == [message]
    assert not ConditionEvidence.objects.filter(condition__project=project).exists()


def test_supplied_evidence_keeps_what_was_given_and_who_gave_it(project, coordinator, kassier, lead):
    reference = kind_on(project, coordinator, "Beschikking (mut)", ConditionType.Kind.REFERENCE)
    document = kind_on(project, coordinator, "SOK (mut)", ConditionType.Kind.DOCUMENT)
    by_reference = evidence_supply(condition=reference, user=kassier, reference="  B-2023-7  ", note="  map 3  ")
    by_document = evidence_supply(condition=document, user=lead, document=SimpleUploadedFile("sok.pdf", PDF))
    by_reference.refresh_from_db()
    by_document.refresh_from_db()
    assert (by_reference.reference, by_reference.document.name, by_reference.note) == ("B-2023-7", "", "map 3")
    assert (by_reference.condition, by_reference.tranche, by_reference.state) == (reference, None, "aangeleverd")
    assert by_reference.supplied_by == kassier and by_reference.history.get().history_user == kassier
    assert (by_document.reference, by_document.note, by_document.file_name) == ("", "", "sok.pdf")
    assert by_document.supplied_by == lead
    assert by_document.document.read() == PDF


def test_who_may_not_supply_evidence_hears_who_may(project, coordinator, controller):
    condition = kind_on(project, coordinator, "Beschikking (mut)", ConditionType.Kind.REFERENCE)
    for user in (controller, User.objects.get(username="kassier_b")):
        assert refusal(evidence_supply, condition=condition, user=user, reference="X") == (
            "Alleen de kassier, de coördinator of de penvoerder van het project levert bewijs aan."
        )


def test_evidence_at_registration_names_the_item_that_is_wrong(deal, project, rijk, coordinator, kassier):
    document = kind_on(project, coordinator, "SOK (mut)", ConditionType.Kind.DOCUMENT)
    reference = kind_on(project, coordinator, "Beschikking (mut)", ConditionType.Kind.REFERENCE)
    elsewhere = ConditionType.objects.get(deal=deal, name="Samenwerkingsovereenkomst getekend")  # 1330's, not 1310's
    good = EvidenceInput(document.condition_type, document=SimpleUploadedFile("sok.pdf", PDF))
    before = Tranche.objects.count()
    assert invalid(
        register, project=project, funder=rijk, kassier=kassier, evidence=[good, EvidenceInput(elsewhere)]
    ).messages == ["Bewijs 2: voorwaarde 'Samenwerkingsovereenkomst getekend' geldt niet voor project 1310 en Rijk."]
    assert invalid(
        register,
        project=project,
        funder=rijk,
        kassier=kassier,
        evidence=[good, EvidenceInput(reference.condition_type, reference="  ")],
    ).messages == ["Bewijs 2: Voor 'Beschikking (mut)' is een kenmerk of vindplaats nodig."]
    assert Tranche.objects.count() == before

    tranche = register(
        project, rijk, kassier, evidence=[good, EvidenceInput(reference.condition_type, reference="  B-7  ")]
    )
    saved = ConditionEvidence.objects.get(condition=reference)
    assert (saved.tranche, saved.reference, saved.note, saved.supplied_by) == (tranche, "B-7", "", kassier)
    assert saved.history.get().history_user == kassier
    assert ConditionEvidence.objects.get(condition=document).tranche == tranche


# ------------------------------------------------------------------ checking evidence


def test_a_controller_checks_evidence_once_and_who_may_not_hears_why(project, coordinator, kassier, controller):
    condition = kind_on(project, coordinator, "Beschikking (mut)", ConditionType.Kind.REFERENCE)
    both = make_user("coordinator_controller_mut", roles.COORDINATOR, roles.CONTROLLER)
    own = evidence_supply(condition=condition, user=both, reference="B-1")
    assert refusal(evidence_check, evidence=own, user=both, approve=True) == (
        "U heeft dit bewijs zelf aangeleverd; een controller die dat niet deed, controleert het."
    )
    assert refusal(evidence_check, evidence=own, user=User.objects.get(username="controller_b"), approve=True) == (
        "Alleen een controller van deze deal controleert bewijs."
    )
    for no_reason in ({}, {"reason": "  "}):
        assert invalid(evidence_check, evidence=own, user=controller, approve=False, **no_reason).message_dict == {
            "reason": ["Geef de reden waarom het bewijs wordt afgekeurd."]
        }

    before = timezone.now()
    checked = evidence_check(evidence=own, user=controller, approve=True, reason="  prima  ")
    checked.refresh_from_db()
    assert (checked.state, checked.checked_by, checked.rejection_reason) == ("gecontroleerd", controller, "")
    assert before <= checked.checked_at <= timezone.now()
    assert checked.history.latest().history_user == controller
    assert invalid(evidence_check, evidence=own, user=controller, approve=True).messages == [
        "Dit bewijs is al gecontroleerd."
    ]

    other = evidence_supply(condition=condition, user=kassier, reference="B-2")
    rejected = evidence_check(evidence=other, user=controller, approve=False, reason="  Niet getekend  ")
    rejected.refresh_from_db()
    assert (rejected.state, rejected.checked_by, rejected.rejection_reason) == (
        "afgekeurd",
        controller,
        "Niet getekend",
    )
    assert rejected.history.latest().history_user == controller
    assert invalid(evidence_check, evidence=other, user=controller, approve=False, reason="x").messages == [
        "Dit bewijs is al afgekeurd."
    ]


def test_checked_evidence_is_read_with_its_condition_project_and_type_in_one_query(
    project, coordinator, kassier, controller, django_assert_num_queries
):
    condition = kind_on(project, coordinator, "Beschikking (mut)", ConditionType.Kind.REFERENCE)
    evidence = evidence_supply(condition=condition, user=kassier, reference="B-1")
    assert roles.has_role(controller, project.deal, roles.CONTROLLER)  # the role map is read (and cached) first
    # savepoint, the locked evidence with condition, project and type, full_clean (3 foreign keys, 4 constraints
    # of 3 queries each), update, history, release: 1 + 1 + 3 + 12 + 1 + 1 + 1.
    with django_assert_num_queries(20):
        checked = evidence_check(evidence=evidence, user=controller, approve=True)
        assert (checked.condition.project.code, checked.condition.condition_type.name) == ("1310", "Beschikking (mut)")


# ------------------------------------------------------------------ waivers


def test_who_may_not_waive_hears_why(project, coordinator, kassier, decision):
    condition = kind_on(project, coordinator, "SOK (mut)", ConditionType.Kind.DOCUMENT)
    for user in (kassier, User.objects.get(username="coordinator_b")):
        assert refusal(condition_waive, condition=condition, decision=decision, user=user) == (
            "Alleen de coördinator legt een vrijstelling vast."
        )


def test_a_waiver_needs_a_decision_of_the_deal_and_a_pending_tranche_it_applies_to(
    deal, project, rijk, coordinator, kassier, controller, decision
):
    condition = kind_on(project, coordinator, "SOK (mut)", ConditionType.Kind.DOCUMENT)
    second_deal = User.objects.get(username="coordinator_b").role_assignments.get().deal
    foreign = Decision.objects.create(deal=second_deal, number="B-MUT-1", date=second_deal.start, text="Ander")
    other_project = Project.objects.get(deal=deal, code="2110")
    elsewhere = register(other_project, rijk, kassier)
    approved = register(project, rijk, kassier)
    condition_waive(condition=condition, decision=decision, user=coordinator, tranche=approved)
    approved = tranche_approve(tranche=approved, user=controller)
    rejected = tranche_reject(tranche=register(project, rijk, kassier), user=controller, reason="Dubbel")
    later = kind_on(project, coordinator, "Later (mut)", ConditionType.Kind.REFERENCE, from_number=rejected.number + 1)

    cases = [
        (
            dict(condition=condition, decision=None),
            {"decision": ["Een vrijstelling hoort bij een besluit: kies het besluit."]},
        ),
        (dict(condition=condition, decision=foreign), {"decision": ["Besluit B-MUT-1 hoort bij een andere deal."]}),
        (
            dict(condition=condition, decision=decision, tranche=elsewhere),
            {"tranche": ["Voorwaarde 'SOK (mut)' geldt niet voor deze tranche."]},
        ),
        (
            dict(condition=later, decision=decision, tranche=rejected),
            {"tranche": ["Voorwaarde 'Later (mut)' geldt niet voor deze tranche."]},
        ),
        (
            dict(condition=condition, decision=decision, tranche=approved),
            {"tranche": [f"Tranche {approved.number} is al goedgekeurd."]},
        ),
        (
            dict(condition=condition, decision=decision, tranche=rejected),
            {"tranche": [f"Tranche {rejected.number} is al afgewezen."]},
        ),
    ]
    for kwargs, errors in cases:
        assert invalid(condition_waive, user=coordinator, **kwargs).message_dict == errors
    assert condition.waivers.count() == 1


def test_a_waiver_for_the_whole_project_leaves_nothing_to_waive_per_tranche(
    project, rijk, coordinator, kassier, decision
):
    condition = kind_on(project, coordinator, "SOK (mut)", ConditionType.Kind.DOCUMENT)
    first = register(project, rijk, kassier)
    second = register(project, rijk, kassier)
    for_first = condition_waive(condition=condition, decision=decision, user=coordinator, tranche=first, note="  a ")
    for_first.refresh_from_db()
    assert (for_first.condition, for_first.tranche, for_first.decision, for_first.note) == (
        condition,
        first,
        decision,
        "a",
    )
    assert for_first.waived_by == coordinator and for_first.history.get().history_user == coordinator
    assert invalid(
        condition_waive, condition=condition, decision=decision, user=coordinator, tranche=first
    ).messages == ["Voorwaarde 'SOK (mut)' is hiervoor al vrijgesteld."]
    # A waiver for one tranche does not stand in the way of one for another tranche or for every tranche.
    condition_waive(condition=condition, decision=decision, user=coordinator, tranche=second)
    whole = condition_waive(condition=condition, decision=decision, user=coordinator)
    assert (whole.tranche, whole.note) == (None, "")
    third = register(project, rijk, kassier)
    for tranche in (third, None):
        assert invalid(
            condition_waive, condition=condition, decision=decision, user=coordinator, tranche=tranche
        ).messages == ["Voorwaarde 'SOK (mut)' is hiervoor al vrijgesteld."]
    assert condition.waivers.count() == 3


# ------------------------------------------------------------------ the gate


def test_the_gate_names_each_condition_that_blocks_the_tranche(project, rijk, coordinator, kassier, controller):
    tranche = register(project, rijk, kassier)
    assert check_conditions_met(tranche) is None
    condition = kind_on(project, coordinator, "SOK (mut)", ConditionType.Kind.DOCUMENT)
    message = (
        f"Tranche {tranche.number} van project 1310 voor Rijk kan nog niet worden goedgekeurd: "
        "voorwaarde 'SOK (mut)' ontbreekt (nog geen bewijs aangeleverd)."
    )
    assert invalid(check_conditions_met, tranche=tranche).messages == [message]
    evidence_check(
        evidence=evidence_supply(condition=condition, user=kassier, document=SimpleUploadedFile("s.pdf", PDF)),
        user=controller,
        approve=True,
    )
    assert check_conditions_met(tranche) is None
