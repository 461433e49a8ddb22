"""Conditions that gate the money: the gate in the service and the view, evidence checked by
another person, the verslag condition read from the progress workflow, waivers by decision of
the same deal, and the other deal's team kept out."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance.models import ConditionEvidence, ConditionType, ConditionWaiver, ProjectCondition, Tranche
from finance.selectors_conditions import tranche_condition_states
from finance.services import tranche_approve, tranche_register
from finance.services_conditions import (
    EvidenceInput,
    condition_waive,
    evidence_check,
    evidence_supply,
    project_condition_add,
)
from projects import roles
from projects.models import Deal, Decision, ProgressReport, Project, ReportingPeriod
from projects.services import report_approve, report_start, report_submit
from tests.conftest import make_user

PDF = b"%PDF-1.4 getekende samenwerkingsovereenkomst"
BASE = "/financien/cleantech"


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
def sok_type(deal) -> ConditionType:
    return ConditionType.objects.create(deal=deal, name="SOK getekend (test)", kind=ConditionType.Kind.DOCUMENT)


@pytest.fixture
def sok(project, sok_type, coordinator) -> ProjectCondition:
    """A document condition on every tranche of 1310."""
    return project_condition_add(project=project, condition_type=sok_type, user=coordinator)


@pytest.fixture
def decision(deal) -> Decision:
    return Decision.objects.create(deal=deal, number="SG-TEST-01", date=date(2023, 4, 1), text="Vrijstelling SOK")


@pytest.fixture
def second_deal() -> Deal:
    return Deal.objects.get(code="synth-2-1")


def register(project, funder, kassier, *, day=date(2023, 5, 1), **kwargs) -> Tranche:
    return tranche_register(
        project=project, funder=funder, amount=Decimal("10.00"), date=day, user=kassier, **kwargs
    )  # fmt: skip


def supply(condition, user, name="sok.pdf") -> ConditionEvidence:
    return evidence_supply(condition=condition, user=user, document=SimpleUploadedFile(name, PDF))


def states(tranche) -> dict[str, str]:
    return {s.name: s.label for s in tranche_condition_states(tranche)}


# ------------------------------------------------------------------ the gate in the service


def test_gate_blocks_approval_in_the_service_and_names_the_condition(project, rijk, kassier, controller, sok):
    tranche = register(project, rijk, kassier)
    with pytest.raises(ValidationError) as e:
        tranche_approve(tranche=tranche, user=controller)
    assert "voorwaarde 'SOK getekend (test)' ontbreekt" in e.value.messages[0]
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.PENDING and tranche.booking is None


def test_supplied_evidence_blocks_until_a_controller_checks_it(project, rijk, kassier, controller, sok):
    tranche = register(project, rijk, kassier)
    evidence = supply(sok, kassier)
    with pytest.raises(ValidationError) as e:
        tranche_approve(tranche=tranche, user=controller)
    assert "'SOK getekend (test)' bewijs aangeleverd" in e.value.messages[0]
    evidence_check(evidence=evidence, user=controller, approve=True)
    evidence.refresh_from_db()
    assert evidence.checked_by == controller and evidence.checked_at is not None
    assert states(tranche) == {"SOK getekend (test)": "gecontroleerd"}
    tranche_approve(tranche=tranche, user=controller)
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.APPROVED


def test_condition_for_a_later_tranche_or_another_funder_does_not_block(
    deal, project, rijk, kassier, controller, sok_type, coordinator
):
    province = deal.funders.get(name="Provincie Overijssel")
    project_condition_add(project=project, condition_type=sok_type, user=coordinator, funder=province)
    tranche = register(project, rijk, kassier)
    later = ConditionType.objects.create(deal=deal, name="Later", kind=ConditionType.Kind.REFERENCE)
    project_condition_add(project=project, condition_type=later, user=coordinator, from_number=tranche.number + 1)
    assert tranche_condition_states(tranche) == []
    tranche_approve(tranche=tranche, user=controller)


def test_whoever_supplied_evidence_cannot_check_it(deal, project, rijk, kassier, sok):
    # A coordinator may also be controller; four eyes still holds for the evidence they supplied.
    both = make_user("coordinator_en_controller", roles.COORDINATOR, roles.CONTROLLER)
    evidence = supply(sok, both)
    with pytest.raises(PermissionDenied, match="zelf aangeleverd"):
        evidence_check(evidence=evidence, user=both, approve=True)
    evidence.refresh_from_db()
    assert evidence.state == ConditionEvidence.State.SUPPLIED


def test_only_a_controller_checks_evidence(project, kassier, coordinator, sok):
    evidence = supply(sok, kassier)
    for user in (kassier, coordinator):
        with pytest.raises(PermissionDenied):
            evidence_check(evidence=evidence, user=user, approve=True)


def test_rejected_evidence_needs_a_reason_and_keeps_blocking(project, rijk, kassier, controller, sok):
    tranche = register(project, rijk, kassier)
    evidence = supply(sok, kassier)
    with pytest.raises(ValidationError):
        evidence_check(evidence=evidence, user=controller, approve=False, reason=" ")
    evidence_check(evidence=evidence, user=controller, approve=False, reason="Niet getekend door de provincie")
    assert states(tranche) == {"SOK getekend (test)": "ontbreekt"}
    with pytest.raises(ValidationError, match="bewijs afgekeurd: Niet getekend door de provincie"):
        tranche_approve(tranche=tranche, user=controller)
    with pytest.raises(ValidationError, match="al afgekeurd"):
        evidence_check(evidence=evidence, user=controller, approve=True)


def test_evidence_must_fit_the_kind_of_condition(deal, project, kassier, sok, coordinator):
    with pytest.raises(ValidationError, match="is een document nodig"):
        evidence_supply(condition=sok, user=kassier, reference="SOK-1")
    report_type = ConditionType.objects.create(deal=deal, name="Verslag (test)", kind=ConditionType.Kind.REPORT)
    report = project_condition_add(project=project, condition_type=report_type, user=coordinator)
    with pytest.raises(ValidationError, match="levert niemand bewijs aan"):
        evidence_supply(condition=report, user=kassier, reference="VR-1")
    assert not ConditionEvidence.objects.filter(condition__project=project).exists()


def test_only_coordinator_sets_conditions(project, sok_type, kassier, controller, lead):
    for user in (kassier, controller, lead):
        with pytest.raises(PermissionDenied):
            project_condition_add(project=project, condition_type=sok_type, user=user)


def test_condition_type_of_another_deal_is_refused(project, second_deal, coordinator):
    foreign = ConditionType.objects.create(deal=second_deal, name="Vreemd", kind=ConditionType.Kind.REFERENCE)
    with pytest.raises(ValidationError, match="hoort bij een andere deal"):
        project_condition_add(project=project, condition_type=foreign, user=coordinator)


def test_registration_evidence_is_linked_to_the_tranche_and_waits_for_a_controller(project, rijk, kassier, sok):
    tranche = register(
        project, rijk, kassier, evidence=[EvidenceInput(sok.condition_type, document=SimpleUploadedFile("s.pdf", PDF))]
    )
    evidence = ConditionEvidence.objects.get(condition=sok)
    assert evidence.tranche == tranche and evidence.supplied_by == kassier
    assert evidence.state == ConditionEvidence.State.SUPPLIED
    assert states(tranche) == {"SOK getekend (test)": "bewijs aangeleverd"}


def test_registration_evidence_for_a_condition_the_project_does_not_have_saves_nothing(deal, project, rijk, kassier):
    sok_1330 = ConditionType.objects.get(deal=deal, name="Samenwerkingsovereenkomst getekend")
    before = Tranche.objects.count()
    with pytest.raises(ValidationError, match="geldt niet voor project 1310"):
        register(project, rijk, kassier, evidence=[EvidenceInput(sok_1330, document=SimpleUploadedFile("s.pdf", PDF))])
    assert Tranche.objects.count() == before


# ------------------------------------------------------------------ verslag over de vorige periode


@pytest.fixture
def fieldlab(deal) -> Project:
    """1220 in the demo: plan van aanpak (checked) on every tranche, verslag vorige periode from tranche 2."""
    return Project.objects.get(deal=deal, code="1220")


def test_verslag_condition_reads_the_progress_workflow(deal, fieldlab, rijk, kassier, controller, coordinator):
    # 2022-1 (ends 1 July 2022) is approved in the demo; 2022-2 (ends 1 January 2023) is open.
    after_first = register(fieldlab, rijk, kassier, day=date(2022, 10, 1))
    assert after_first.number == 2
    assert states(after_first)["Verslag over de vorige periode goedgekeurd"] == "verslag goedgekeurd"

    after_second = register(fieldlab, rijk, kassier, day=date(2023, 5, 1))
    with pytest.raises(ValidationError) as e:
        tranche_approve(tranche=after_second, user=controller)
    assert "'Verslag over de vorige periode goedgekeurd' ontbreekt" in e.value.messages[0]
    assert "het verslag over 2022-2 is nog niet goedgekeurd" in e.value.messages[0]

    period = ReportingPeriod.objects.get(deal=deal, name="2022-2")
    report = report_start(project=fieldlab, period=period, user=coordinator)
    report = report_submit(report=report, user=coordinator)
    assert report.state == ProgressReport.State.SUBMITTED
    with pytest.raises(ValidationError):  # submitted is not approved
        tranche_approve(tranche=after_second, user=controller)
    report_approve(report=report, user=coordinator)
    tranche_approve(tranche=after_second, user=controller)
    assert Tranche.objects.get(pk=after_second.pk).status == Tranche.Status.APPROVED


def test_verslag_condition_before_any_period_ended_does_not_block(fieldlab, rijk, kassier):
    tranche = register(fieldlab, rijk, kassier, day=date(2021, 12, 1))
    (status,) = [s for s in tranche_condition_states(tranche) if s.name.startswith("Verslag")]
    assert status.label == "nog geen periode" and not status.blocks


# ------------------------------------------------------------------ waivers


def test_waiver_needs_a_decision_of_the_same_deal(project, rijk, kassier, controller, coordinator, sok, second_deal):
    tranche = register(project, rijk, kassier)
    with pytest.raises(ValidationError, match="hoort bij een besluit"):
        condition_waive(condition=sok, decision=None, user=coordinator)
    foreign = Decision.objects.create(deal=second_deal, number="B-1", date=date(2023, 1, 1), text="Ander besluit")
    with pytest.raises(ValidationError, match="hoort bij een andere deal"):
        condition_waive(condition=sok, decision=foreign, user=coordinator)
    assert not ConditionWaiver.objects.exists()

    own = Decision.objects.create(deal=project.deal, number="SG-2023-09", date=date(2023, 4, 1), text="Vrijstelling")
    waiver = condition_waive(condition=sok, decision=own, user=coordinator, note="SOK volgt")
    assert waiver.waived_by == coordinator and waiver.waived_at is not None
    assert list(own.waived_conditions.all()) == [waiver]
    assert states(tranche) == {"SOK getekend (test)": "vrijgesteld bij besluit SG-2023-09"}
    tranche_approve(tranche=tranche, user=controller)


def test_waiver_for_one_tranche_does_not_free_the_next(project, rijk, kassier, controller, coordinator, sok, decision):
    first = register(project, rijk, kassier)
    second = register(project, rijk, kassier)
    condition_waive(condition=sok, decision=decision, user=coordinator, tranche=first)
    with pytest.raises(ValidationError, match="al vrijgesteld"):
        condition_waive(condition=sok, decision=decision, user=coordinator, tranche=first)
    tranche_approve(tranche=first, user=controller)
    with pytest.raises(ValidationError, match="ontbreekt"):
        tranche_approve(tranche=second, user=controller)


def test_only_the_coordinator_records_a_waiver(project, kassier, controller, sok, decision):
    for user in (kassier, controller):
        with pytest.raises(PermissionDenied):
            condition_waive(condition=sok, decision=decision, user=user)


# ------------------------------------------------------------------ in the browser


def test_forged_approve_post_is_refused_while_a_condition_is_missing(
    client_for, project, rijk, kassier, controller, sok
):
    tranche = register(project, rijk, kassier)
    response = client_for(controller).post(f"{BASE}/tranches/{tranche.pk}/goedkeuren/", {"override_reason": ""})
    assert response.status_code == 400
    assert "voorwaarde &#x27;SOK getekend (test)&#x27; ontbreekt" in response.content.decode()
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.PENDING and tranche.booking is None


def test_tranche_page_shows_each_state_and_why_approve_is_blocked(
    client_for, deal, project, rijk, kassier, controller, coordinator, sok, decision
):
    def condition(name, kind):
        kind_obj = ConditionType.objects.create(deal=deal, name=name, kind=kind)
        return project_condition_add(project=project, condition_type=kind_obj, user=coordinator)

    supplied = condition("B aangeleverd", ConditionType.Kind.REFERENCE)
    checked = condition("C gecontroleerd", ConditionType.Kind.REFERENCE)
    waived = condition("D vrijgesteld", ConditionType.Kind.REFERENCE)
    condition("E verslag", ConditionType.Kind.REPORT)
    evidence_supply(condition=supplied, user=kassier, reference="B-1")
    evidence_check(
        evidence=evidence_supply(condition=checked, user=kassier, reference="C-1"), user=controller, approve=True
    )
    condition_waive(condition=waived, decision=decision, user=coordinator)
    tranche = register(project, rijk, kassier, day=date(2022, 9, 1))  # 2022-1 of 1310 is approved in the demo

    page = client_for(controller).get(f"{BASE}/tranches/{tranche.pk}/")
    labels = {s.name: s.label for s in page.context["condition_states"]}
    assert labels == {
        "SOK getekend (test)": "ontbreekt",
        "B aangeleverd": "bewijs aangeleverd",
        "C gecontroleerd": "gecontroleerd",
        "D vrijgesteld": "vrijgesteld bij besluit SG-TEST-01",
        "E verslag": "verslag goedgekeurd",
    }
    html = page.content.decode()
    for label in labels.values():
        assert label in html
    assert "kan nog niet worden goedgekeurd" in html and "disabled" in html
    assert "SOK getekend (test)" in page.context["blocked_by"] and "B aangeleverd" in page.context["blocked_by"]
    assert "C gecontroleerd" not in page.context["blocked_by"]


def test_coordinator_sets_a_condition_on_the_project_page(client_for, deal, project, sok_type, coordinator):
    client = client_for(coordinator)
    url = f"{BASE}/projecten/1310/voorwaarden/nieuw/"
    data = {"condition_type": sok_type.pk, "from_number": "2", "funder": "", "note": "Besluit SG"}
    assert client.post(url, data).status_code == 302
    condition = ProjectCondition.objects.get(project=project, condition_type=sok_type)
    assert condition.from_number == 2 and condition.created_by == coordinator
    again = client.post(url, data)
    assert again.status_code == 400 and "Deze voorwaarde geldt al voor dit project." in again.content.decode()
    page = client.get(f"{BASE}/projecten/1310/voorwaarden/").content.decode()
    assert "SOK getekend (test)" in page and "vanaf tranche 2" in page


def test_coordinator_adds_a_condition_type_and_a_duplicate_is_a_message(client_for, deal, coordinator, kassier):
    client = client_for(coordinator)
    data = {"name": "Subsidiebeschikking", "kind": "kenmerk", "description": ""}
    assert client.post(f"{BASE}/voorwaarden/", data).status_code == 302
    assert ConditionType.objects.get(deal=deal, name="Subsidiebeschikking").created_by == coordinator
    again = client.post(f"{BASE}/voorwaarden/", data)
    assert again.status_code == 400 and "Deze deal heeft al een voorwaarde met deze naam." in again.content.decode()
    assert client_for(kassier).post(f"{BASE}/voorwaarden/", {**data, "name": "X"}).status_code == 403


def test_kassier_attaches_evidence_at_registration_and_another_controller_checks_it(
    client_for, deal, project, rijk, kassier, controller, sok
):
    data = {
        "project": project.pk, "funder": rijk.pk, "amount": "500.00", "date": "2023-05-01", "number": "", "note": "",
        "bewijs-TOTAL_FORMS": "2", "bewijs-INITIAL_FORMS": "0",
        "bewijs-MIN_NUM_FORMS": "0", "bewijs-MAX_NUM_FORMS": "10",
        "bewijs-0-condition_type": sok.condition_type_id, "bewijs-0-reference": "",
        "bewijs-0-document": SimpleUploadedFile("sok.pdf", PDF),
    }  # fmt: skip
    assert client_for(kassier).post(f"{BASE}/tranches/nieuw/", data).status_code == 302
    tranche = Tranche.objects.get(project=project, status=Tranche.Status.PENDING)
    evidence = ConditionEvidence.objects.get(condition=sok, tranche=tranche)

    client = client_for(controller)
    assert client.post(f"{BASE}/tranches/{tranche.pk}/goedkeuren/", {}).status_code == 400
    check_url = f"{BASE}/bewijs/{evidence.pk}/controleren/"
    assert client.post(check_url, {"verdict": "afkeuren", "reason": ""}).status_code == 400
    assert client.post(check_url, {"verdict": "akkoord"}).status_code == 302
    evidence.refresh_from_db()
    assert evidence.state == ConditionEvidence.State.CHECKED and evidence.checked_by == controller
    assert client.post(f"{BASE}/tranches/{tranche.pk}/goedkeuren/", {}).status_code == 302


def test_checker_who_supplied_the_evidence_gets_403_in_the_browser(client_for, project, sok):
    both = make_user("coordinator_en_controller", roles.COORDINATOR, roles.CONTROLLER)
    client = client_for(both)
    response = client.post(
        f"{BASE}/projecten/1310/voorwaarden/bewijs/",
        {"condition": sok.pk, "reference": "", "note": "", "document": SimpleUploadedFile("sok.pdf", PDF)},
    )
    assert response.status_code == 302
    evidence = ConditionEvidence.objects.get(condition=sok)
    assert client.post(f"{BASE}/bewijs/{evidence.pk}/controleren/", {"verdict": "akkoord"}).status_code == 403
    evidence.refresh_from_db()
    assert evidence.state == ConditionEvidence.State.SUPPLIED


def test_penvoerder_supplies_and_downloads_evidence_of_own_project_only(
    client_for, deal, lead, other_lead, outsider, sok
):
    client = client_for(lead)
    page = client.get(f"{BASE}/projecten/1310/voorwaarden/")
    assert page.status_code == 200 and page.context["evidence_form"] is not None
    assert page.context["waive_form"] is None and page.context["add_form"] is None
    response = client.post(
        f"{BASE}/projecten/1310/voorwaarden/bewijs/",
        {"condition": sok.pk, "reference": "SOK-1310", "note": "", "document": SimpleUploadedFile("sok.pdf", PDF)},
    )
    assert response.status_code == 302
    evidence = ConditionEvidence.objects.get(condition=sok)
    url = f"{BASE}/bewijs/{evidence.pk}/document/"
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "no-store" in download["Cache-Control"]
    assert client_for(other_lead).get(url).status_code == 404
    assert client_for(other_lead).get(f"{BASE}/projecten/1310/voorwaarden/").status_code == 404
    assert client_for(outsider).get(url).status_code == 404
    assert client.get(f"/media/{evidence.document.name}").status_code == 404


def test_evidence_form_refuses_a_condition_of_another_project(client_for, deal, kassier, sok_type, coordinator):
    other = project_condition_add(
        project=Project.objects.get(deal=deal, code="2110"), condition_type=sok_type, user=coordinator
    )
    response = client_for(kassier).post(
        f"{BASE}/projecten/1310/voorwaarden/bewijs/", {"condition": other.pk, "reference": "X", "note": ""}
    )
    assert response.status_code == 400
    assert not ConditionEvidence.objects.filter(condition=other).exists()


def test_forged_waiver_with_a_decision_of_another_deal_is_refused(client_for, coordinator, sok, second_deal):
    foreign = Decision.objects.create(deal=second_deal, number="B-9", date=date(2023, 1, 1), text="Ander besluit")
    response = client_for(coordinator).post(
        f"{BASE}/projecten/1310/voorwaarden/vrijstellen/",
        {"condition": sok.pk, "decision": foreign.pk, "tranche": "", "note": ""},
    )
    assert response.status_code == 400
    assert not ConditionWaiver.objects.exists()


def test_waiver_in_the_browser_frees_the_tranche(
    client_for, project, rijk, kassier, controller, coordinator, sok, decision
):
    tranche = register(project, rijk, kassier)
    response = client_for(coordinator).post(
        f"{BASE}/projecten/1310/voorwaarden/vrijstellen/",
        {"condition": sok.pk, "decision": decision.pk, "tranche": tranche.pk, "note": "SOK volgt"},
    )
    assert response.status_code == 302
    waiver = ConditionWaiver.objects.get(condition=sok)
    assert waiver.tranche == tranche and waiver.decision == decision and waiver.waived_by == coordinator
    assert client_for(controller).post(f"{BASE}/tranches/{tranche.pk}/goedkeuren/", {}).status_code == 302


# ------------------------------------------------------------------ the other deal's team


def test_other_deals_team_cannot_see_or_touch_conditions(client_for, project, rijk, kassier, sok, decision):
    evidence = supply(sok, kassier)
    team_b = {name: User.objects.get(username=f"{name}_b") for name in ("coordinator", "kassier", "controller")}
    for user in team_b.values():
        client = client_for(user)
        assert client.get(f"{BASE}/voorwaarden/").status_code == 404
        assert client.get(f"{BASE}/projecten/1310/voorwaarden/").status_code == 404
        assert client.get(f"{BASE}/bewijs/{evidence.pk}/document/").status_code == 404
        assert client.post(f"{BASE}/bewijs/{evidence.pk}/controleren/", {"verdict": "akkoord"}).status_code == 404
        assert client.post(f"{BASE}/projecten/1310/voorwaarden/bewijs/", {"condition": sok.pk}).status_code == 404
        assert client.post(f"{BASE}/projecten/1310/voorwaarden/nieuw/", {}).status_code == 404
        assert client.post(f"{BASE}/projecten/1310/voorwaarden/vrijstellen/", {}).status_code == 404
    with pytest.raises(PermissionDenied):
        evidence_check(evidence=evidence, user=team_b["controller"], approve=True)
    with pytest.raises(PermissionDenied):
        evidence_supply(condition=sok, user=team_b["kassier"], reference="X")
    with pytest.raises(PermissionDenied):
        project_condition_add(
            project=project, condition_type=sok.condition_type, user=team_b["coordinator"], from_number=2
        )
    with pytest.raises(PermissionDenied):
        condition_waive(condition=sok, decision=decision, user=team_b["coordinator"])
    evidence.refresh_from_db()
    assert evidence.state == ConditionEvidence.State.SUPPLIED and not ConditionWaiver.objects.exists()


# ------------------------------------------------------------------ queries and demo


def test_project_conditions_page_queries_do_not_grow_with_conditions(
    client_for, deal, project, rijk, kassier, coordinator, sok
):
    register(project, rijk, kassier)
    supply(sok, kassier)
    client = client_for(coordinator)
    url = f"{BASE}/projecten/1310/voorwaarden/"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    count()  # the first request also loads the session and the user's roles
    few = count()
    for i in range(3):
        kind = ConditionType.objects.create(deal=deal, name=f"Extra {i}", kind=ConditionType.Kind.REFERENCE)
        supply_for = project_condition_add(project=project, condition_type=kind, user=coordinator)
        evidence_supply(condition=supply_for, user=kassier, reference=f"X-{i}")
    register(project, rijk, kassier)
    assert count() == few


def test_demo_conditions_follow_the_seed_and_keep_approved_tranches_consistent(deal):
    conditions = {
        (c.project.code, c.condition_type.name, c.from_number)
        for c in ProjectCondition.objects.filter(project__deal=deal).select_related("project", "condition_type")
    }
    assert conditions == {
        ("1220", "Plan van aanpak goedgekeurd", 1),
        ("1330", "Samenwerkingsovereenkomst getekend", 1),
        ("1220", "Verslag over de vorige periode goedgekeurd", 2),
        ("1330", "Verslag over de vorige periode goedgekeurd", 2),
    }
    for tranche in Tranche.objects.filter(project__code__in=["1220", "1330"], project__deal=deal):
        assert tranche.status == Tranche.Status.APPROVED
        assert [s.label for s in tranche_condition_states(tranche)] == ["gecontroleerd"]


# ------------------------------------------------------------------ found from the project page


def test_the_penvoerder_finds_the_conditions_of_their_project_on_the_project_page(client_for, project, sok, lead):
    url = f"/deals/{project.deal.code}/projecten/{project.code}/"
    conditions = f"/financien/{project.deal.code}/projecten/{project.code}/voorwaarden/"

    html = client_for(lead).get(url).content.decode()

    assert "Voorwaarden voor uitkering" in html and "geldt 1 voorwaarde" in html
    assert f'href="{conditions}"' in html and "bewijs aanleveren" in html
    assert client_for(lead).get(conditions).status_code == 200
