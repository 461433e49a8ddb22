"""The decision register: who reads and records decisions, money that needs one, what a decision changed."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from finance.findings import deal_findings
from finance.models import Booking, Tranche
from finance.selectors import project_funder_figures
from finance.services import booking_correct, booking_create, tranche_approve, tranche_register
from finance.services_conditions import condition_type_create, condition_waive, project_condition_add
from finance.services_decisions import budget_lower, budget_raise, decision_record
from projects import roles
from projects.models import Deal, Decision, Project
from projects.services_roles import assign_without_review
from tests.builders import build_synthetic_deal
from tests.conftest import make_user

PDF = b"%PDF-1.4 besluitenlijst"
# 1310 x Rijk in the demo (fixtures/cleantech.json): begroot 143.751 (programme 1300's 575.000 of Tabel 5
# over 4 projects) and one tranche of 102.345 (its 409.377 of Tabel 6 over 4), so 41.406 is still to pay.
BEGROOT_1310_RIJK = Decimal("143751.00")
OVER_BY_500 = "41906.00"  # 41.406 + 500


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
def decision(deal, coordinator) -> Decision:
    return Decision.objects.create(
        deal=deal, number="SG-2023-07", date=date(2023, 3, 1), text="Extra middelen voor 1310", created_by=coordinator
    )


@pytest.fixture
def second_deal(db) -> Deal:
    return Deal.objects.exclude(code="cleantech").get(role_assignments__user__username="coordinator_b")


@pytest.fixture
def other_decision(second_deal) -> Decision:
    return Decision.objects.create(deal=second_deal, number="B-1", date=date(2023, 1, 1), text="Besluit van deal B")


@pytest.fixture
def ministry(db) -> User:
    # The demo may bring its own ministry user; the role is what counts.
    user = User.objects.filter(username="ministerie").first() or make_user("ministerie")
    if not user.role_assignments.filter(role=roles.MINISTRY, status="actief").exists():
        assign_without_review(deal=None, user=user, role=roles.MINISTRY)
    return user


def register(project, funder, kassier, amount) -> Tranche:
    return tranche_register(project=project, funder=funder, amount=Decimal(amount), date=date(2023, 5, 1), user=kassier)


def paid_cell(deal):
    """1110 x Provincie Gelderland, a project x funder of the demo with payouts, and its figures."""
    project = Project.objects.get(deal=deal, code="1110")
    funder = deal.funders.get(name="Provincie Gelderland")
    return project, funder, project_funder_figures(project=project, funder=funder)


# ----------------------------------------------------------------------------- the register: who reads it


@pytest.mark.parametrize("persona", ["coordinator", "kassier", "controller", "steering", "ministry"])
def test_every_finance_reader_of_the_deal_reads_the_register_and_each_decision(
    request, client_for, deal, decision, persona
):
    client = client_for(request.getfixturevalue(persona))
    listing = client.get(f"/financien/{deal.code}/besluiten/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "SG-2023-07" in html and "SG-2020-01" in html  # the demo's vaststelling of the begroting
    assert client.get(f"/financien/{deal.code}/besluiten/{decision.pk}/").status_code == 200


@pytest.mark.parametrize("persona", ["theme_manager", "lead"])
def test_themalijnmanager_and_penvoerder_may_not_read_the_register(request, client_for, deal, decision, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/financien/{deal.code}/besluiten/").status_code == 403
    assert client.get(f"/financien/{deal.code}/besluiten/{decision.pk}/").status_code == 403


@pytest.mark.parametrize("username", ["buitenstaander", "coordinator_b", "kassier_b", "stuurgroep_b"])
def test_outsider_and_the_other_deals_team_get_404(client_for, deal, decision, outsider, username):
    client = client_for(User.objects.get(username=username))
    for url in (
        f"/financien/{deal.code}/besluiten/",
        f"/financien/{deal.code}/besluiten/nieuw/",
        f"/financien/{deal.code}/besluiten/{decision.pk}/",
        f"/financien/{deal.code}/besluiten/{decision.pk}/document/",
        f"/financien/{deal.code}/projecten/1310/begroting/",
    ):
        assert client.get(url).status_code == 404, url


def test_a_decision_of_another_deal_is_404_under_this_deals_address(client_for, deal, coordinator, other_decision):
    client = client_for(coordinator)
    assert client.get(f"/financien/{deal.code}/besluiten/{other_decision.pk}/").status_code == 404
    assert client.get(f"/financien/{deal.code}/besluiten/{other_decision.pk}/document/").status_code == 404


def test_register_list_query_count_is_fixed(client_for, coordinator, deal, django_assert_max_num_queries):
    for i in range(5):
        Decision.objects.create(deal=deal, number=f"X-{i}", date=date(2022, 1, 1), text="Besluit")
    client = client_for(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(f"/financien/{deal.code}/besluiten/")
    assert response.status_code == 200


# ----------------------------------------------------------------------------- recording a decision


def decision_post(client, deal, **overrides):
    data = {
        "number": "SG-2023-09",
        "date": "2023-06-15",
        "body": "stuurgroep",
        "text": "De stuurgroep verhoogt de begroting van 1310.",
        "document": SimpleUploadedFile("besluitenlijst.pdf", PDF),
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"/financien/{deal.code}/besluiten/nieuw/", data)


def test_coordinator_records_a_decision_with_its_document(client_for, deal, coordinator):
    client = client_for(coordinator)
    response = decision_post(client, deal)
    recorded = Decision.objects.get(deal=deal, number="SG-2023-09")
    assert response.status_code == 302 and response["Location"].endswith(f"/besluiten/{recorded.pk}/")
    assert recorded.created_by == coordinator and recorded.date == date(2023, 6, 15)
    assert recorded.history.get().history_user == coordinator
    download = client.get(f"/financien/{deal.code}/besluiten/{recorded.pk}/document/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "no-store" in download["Cache-Control"]
    assert "document downloaden" in client.get(f"/financien/{deal.code}/besluiten/{recorded.pk}/").content.decode()


def test_stuurgroep_reads_a_decisions_document_but_penvoerder_does_not(client_for, deal, coordinator, steering, lead):
    decision_post(client_for(coordinator), deal)
    recorded = Decision.objects.get(deal=deal, number="SG-2023-09")
    url = f"/financien/{deal.code}/besluiten/{recorded.pk}/document/"
    assert client_for(steering).get(url).status_code == 200
    assert client_for(lead).get(url).status_code == 403


def test_decision_form_refuses_a_disguised_document_and_keeps_what_was_typed(client_for, deal, coordinator):
    response = decision_post(
        client_for(coordinator), deal, document=SimpleUploadedFile("besluit.pdf", b"MZ\x90\x00 geen pdf")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "is geen geldig pdf-bestand" in html
    assert 'value="SG-2023-09"' in html and "De stuurgroep verhoogt de begroting van 1310." in html
    assert not Decision.objects.filter(number="SG-2023-09").exists()


def test_decision_form_refuses_a_document_above_the_limit(client_for, deal, coordinator, settings):
    settings.UPLOAD_MAX_BYTES = 10
    response = decision_post(client_for(coordinator), deal)
    assert response.status_code == 200
    assert "groter dan" in response.content.decode()
    assert not Decision.objects.filter(number="SG-2023-09").exists()


def test_decision_number_is_unique_per_deal_only(client_for, deal, coordinator, decision, other_decision):
    response = decision_post(client_for(coordinator), deal, number="SG-2023-07")
    assert response.status_code == 200
    assert "Deze deal heeft al een besluit met nummer SG-2023-07." in response.content.decode()
    # The service itself refuses too (a forged or concurrent request skips the form).
    with pytest.raises(ValidationError):
        decision_record(deal=deal, number="SG-2023-07", date=date(2023, 1, 1), body="stuurgroep", text="x",
                        user=coordinator)  # fmt: skip
    # Another deal may use the same number.
    decision_post(client_for(coordinator), deal, number="B-1")
    assert Decision.objects.filter(number="B-1").count() == 2


def test_decision_dated_in_the_future_and_without_text_is_refused(client_for, deal, coordinator):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = decision_post(client_for(coordinator), deal, date=tomorrow.isoformat(), text="   ")
    assert response.status_code == 200
    html = response.content.decode()
    assert "ligt in de toekomst" in html
    assert not Decision.objects.filter(number="SG-2023-09").exists()


def test_decision_without_document_is_fine_and_its_document_url_is_404(client_for, deal, coordinator):
    client = client_for(coordinator)
    decision_post(client, deal, document=None)
    recorded = Decision.objects.get(deal=deal, number="SG-2023-09")
    assert not recorded.document
    assert client.get(f"/financien/{deal.code}/besluiten/{recorded.pk}/document/").status_code == 404


@pytest.mark.parametrize("persona", ["kassier", "controller", "steering", "ministry"])
def test_only_the_coordinator_records_decisions(request, client_for, deal, persona):
    user = request.getfixturevalue(persona)
    assert decision_post(client_for(user), deal).status_code == 403
    assert not Decision.objects.filter(number="SG-2023-09").exists()
    with pytest.raises(PermissionDenied):
        decision_record(deal=deal, number="X", date=date(2023, 1, 1), body="stuurgroep", text="x", user=user)


def test_coordinator_of_another_deal_cannot_record_here(deal):
    with pytest.raises(PermissionDenied):
        decision_record(
            deal=deal, number="X", date=date(2023, 1, 1), body="stuurgroep", text="x",
            user=User.objects.get(username="coordinator_b"),
        )  # fmt: skip


# ----------------------------------------------------------------------------- money that needs a decision


@pytest.mark.parametrize("kind", ["begroting", "toekenning"])
def test_budget_and_commitment_need_a_decision_of_the_same_deal(deal, project, rijk, coordinator, decision,
                                                                other_decision, kind):  # fmt: skip
    common = {"deal": deal, "project": project, "funder": rijk, "kind": kind, "amount": Decimal("10.00"),
              "date": date(2023, 3, 1), "user": coordinator}  # fmt: skip
    with pytest.raises(ValidationError) as e:
        booking_create(**common)
    assert "hoort bij een besluit" in e.value.message_dict["decision"][0]
    with pytest.raises(ValidationError) as e:
        booking_create(**common, decision=other_decision)
    assert e.value.message_dict["decision"] == ["Besluit B-1 hoort bij een andere deal."]
    booking = booking_create(**common, decision=decision)
    assert booking.decision == decision


def test_expenditure_needs_no_decision(deal, project, rijk, coordinator):
    booking = booking_create(
        deal=deal, project=project, funder=rijk, kind="besteding", amount=Decimal("5.00"), date=date(2023, 1, 1),
        user=coordinator, period_start=date(2022, 7, 1), period_end=date(2023, 1, 1),
    )  # fmt: skip
    assert booking.decision is None


@pytest.mark.parametrize("kind", ["begroting", "toekenning"])
def test_a_budget_change_by_correction_needs_a_decision(deal, project, rijk, coordinator, decision, kind):
    original = Booking.objects.filter(project=project, funder=rijk, kind=kind).first()
    with pytest.raises(ValidationError) as e:
        booking_correct(booking=original, amount=Decimal("1.00"), reason="Lager", user=coordinator)
    assert "decision" in e.value.message_dict
    assert not original.corrections.exists()
    correction = booking_correct(
        booking=original, amount=Decimal("1.00"), reason="Lager", user=coordinator, decision=decision
    )
    assert correction.decision == decision and correction.signed_amount == Decimal("-1.00")


def test_correcting_a_budget_in_the_browser_asks_for_the_decision(client_for, deal, project, rijk, coordinator,
                                                                  decision):  # fmt: skip
    original = Booking.objects.filter(project=project, funder=rijk, kind="begroting").first()
    client = client_for(coordinator)
    url = f"/financien/{deal.code}/boekingen/{original.pk}/corrigeren/"
    assert 'name="decision"' in client.get(url).content.decode()
    response = client.post(url, {"amount": "1.00", "reason": "Lager"})
    assert response.status_code == 200 and not original.corrections.exists()
    response = client.post(url, {"amount": "1.00", "reason": "Lager", "decision": decision.pk})
    assert response.status_code == 302 and original.corrections.get().decision == decision


def test_override_of_the_budget_guard_needs_a_decision_besides_the_reason(deal, project, rijk, kassier, controller,
                                                                          decision, other_decision):  # fmt: skip
    tranche = register(project, rijk, kassier, OVER_BY_500)
    with pytest.raises(ValidationError) as e:
        tranche_approve(tranche=tranche, user=controller, override_reason="Extra tranche")
    assert "Geef het besluit dat dit toestaat" in e.value.messages[0]
    with pytest.raises(ValidationError) as e:
        tranche_approve(tranche=tranche, user=controller, override_decision=decision)
    assert "Geef een reden als u bewust" in e.value.messages[0]
    with pytest.raises(ValidationError) as e:
        tranche_approve(tranche=tranche, user=controller, override_reason="Extra", override_decision=other_decision)
    assert e.value.messages == ["Besluit B-1 hoort bij een andere deal."]
    assert Tranche.objects.get(pk=tranche.pk).status == Tranche.Status.PENDING

    tranche_approve(tranche=tranche, user=controller, override_reason="Extra tranche", override_decision=decision)
    tranche.refresh_from_db()
    assert tranche.status == Tranche.Status.APPROVED
    assert (tranche.override_reason, tranche.override_decision) == ("Extra tranche", decision)
    found = [f for f in deal_findings(deal=deal, as_of=date(2023, 6, 1), today=date(2023, 6, 1))
             if f.soort == "tranche_overschrijding"]  # fmt: skip
    assert any("bij besluit SG-2023-07 (01-03-2023)" in f.omschrijving and "Extra tranche" in f.omschrijving
               for f in found)  # fmt: skip


def test_a_decision_given_for_a_tranche_within_budget_is_not_kept(project, rijk, kassier, controller, decision):
    tranche = register(project, rijk, kassier, "1.00")
    tranche_approve(tranche=tranche, user=controller, override_reason="niet nodig", override_decision=decision)
    tranche.refresh_from_db()
    assert tranche.override_decision is None and tranche.override_reason == ""


def test_override_in_the_browser_needs_the_decision(client_for, deal, project, rijk, kassier, controller, decision):
    tranche = register(project, rijk, kassier, OVER_BY_500)
    client = client_for(controller)
    url = f"/financien/{deal.code}/tranches/{tranche.pk}/goedkeuren/"
    response = client.post(url, {"override_reason": "Extra tranche"})
    assert response.status_code == 400
    assert "Kies het besluit dat deze overschrijding toestaat." in response.content.decode()
    assert "Extra tranche</textarea>" in response.content.decode()  # the form keeps what was typed
    response = client.post(url, {"override_reason": "Extra tranche", "override_decision": decision.pk})
    assert response.status_code == 302
    page = client.get(f"/financien/{deal.code}/tranches/{tranche.pk}/").content.decode()
    assert "Besluit SG-2023-07" in page


def test_a_forged_decision_of_another_deal_is_refused_in_the_browser(client_for, deal, project, rijk, kassier,
                                                                     controller, other_decision):  # fmt: skip
    tranche = register(project, rijk, kassier, OVER_BY_500)
    response = client_for(controller).post(
        f"/financien/{deal.code}/tranches/{tranche.pk}/goedkeuren/",
        {"override_reason": "Extra", "override_decision": other_decision.pk},
    )
    assert response.status_code == 400
    assert Tranche.objects.get(pk=tranche.pk).status == Tranche.Status.PENDING


# ----------------------------------------------------------------------------- what a decision changed


def test_decision_page_lists_everything_it_changed_with_links(client_for, deal, project, rijk, coordinator,
                                                              kassier, controller, decision,
                                                              django_assert_max_num_queries):  # fmt: skip
    raised = budget_raise(project=project, funder=rijk, amount=Decimal("1000.00"), decision=decision, user=coordinator)
    lowered = budget_lower(project=project, funder=rijk, amount=Decimal("250.00"), decision=decision,
                           reason="Herverdeling", user=coordinator)  # fmt: skip
    # Still to pay on 1310 x Rijk: 143.751 + 1.000 - 250 - 102.345 = 42.156; a tranche 10 above it.
    assert project_funder_figures(project=project, funder=rijk).nog_uit_te_keren == Decimal("42156.00")
    tranche = register(project, rijk, kassier, "42166.00")
    tranche_approve(tranche=tranche, user=controller, override_reason="Versnelling", override_decision=decision)

    client = client_for(coordinator)
    with django_assert_max_num_queries(13):  # one query per kind of change (selectors_decisions.CHANGE_SOURCES)
        response = client.get(f"/financien/{deal.code}/besluiten/{decision.pk}/")
    html = response.content.decode()
    changes = response.context["changes"]
    assert {c.kind for c in changes} == {"Begroting", "Correctie begroting", "Tranche boven begroting"}
    assert raised.amount == Decimal("1000.00")
    assert [c.amount for c in changes if c.kind == "Begroting"] == [Decimal("1000.00")]
    # The newest begroting (the 1.000 just raised) covers the whole 250: one counter-entry.
    assert [c.amount for c in changes if c.kind == "Correctie begroting"] == [Decimal("-250.00")]
    assert [b.signed_amount for b in lowered] == [Decimal("-250.00")]
    assert [c.amount for c in changes if c.kind == "Tranche boven begroting"] == [Decimal("42166.00")]
    assert f'href="/financien/{deal.code}/projecten/1310/"' in html
    assert f'href="/financien/{deal.code}/tranches/{tranche.pk}/"' in html
    assert "Herverdeling" in html and "Versnelling" in html


def test_decision_page_lists_the_conditions_it_waived(client_for, deal, project, rijk, coordinator, kassier,
                                                      decision):  # fmt: skip
    kind = condition_type_create(deal=deal, name="Begroting getekend", kind="kenmerk", user=coordinator)
    condition = project_condition_add(project=project, condition_type=kind, user=coordinator)
    tranche = register(project, rijk, kassier, "1.00")
    condition_waive(condition=condition, decision=decision, user=coordinator, tranche=tranche, note="Spoed")
    condition_waive(condition=condition, decision=decision, user=coordinator)
    response = client_for(coordinator).get(f"/financien/{deal.code}/besluiten/{decision.pk}/")
    waived = [c for c in response.context["changes"] if c.kind == "Voorwaarde vrijgesteld"]
    assert [c.url for c in waived] == [
        f"/financien/{deal.code}/tranches/{tranche.pk}/",
        f"/financien/{deal.code}/projecten/1310/",
    ]
    assert "Begroting getekend" in waived[0].description and "Spoed" in waived[0].description


def test_the_register_counts_what_each_decision_changed(client_for, deal, project, rijk, coordinator, decision):
    budget_raise(project=project, funder=rijk, amount=Decimal("1.00"), decision=decision, user=coordinator)
    budget_raise(project=project, funder=rijk, amount=Decimal("2.00"), decision=decision, user=coordinator)
    response = client_for(coordinator).get(f"/financien/{deal.code}/besluiten/")
    counted = {d.number: d.booking_count for d in response.context["decisions"]}
    assert counted["SG-2023-07"] == 2
    # The demo's vaststelling covers all its 172 begrotingen and 171 toekenningen (fixtures/cleantech.json).
    assert counted["SG-2020-01"] == 343


def test_project_finance_shows_the_decision_number_with_a_link(client_for, deal, coordinator, theme_manager):
    demo = deal.decisions.get(number="SG-2020-01")
    html = client_for(coordinator).get(f"/financien/{deal.code}/projecten/1310/").content.decode()
    assert f'href="/financien/{deal.code}/besluiten/{demo.pk}/">Besluit SG-2020-01</a>' in html
    # The themalijnmanager reads the project's money but not the register: the number, no link.
    html = client_for(theme_manager).get(f"/financien/{deal.code}/projecten/1310/").content.decode()
    assert "Besluit SG-2020-01" in html and f"/besluiten/{demo.pk}/" not in html


def test_booking_list_shows_the_decision_number(client_for, deal, kassier):
    html = client_for(kassier).get(f"/financien/{deal.code}/boekingen/?soort=begroting").content.decode()
    assert "Besluit SG-2020-01 (01-12-2020)" in html


# ----------------------------------------------------------------------------- budget change in the browser


def budget_post(client, deal, funder, chosen, project_code="1310", **overrides):
    data = {"funder": funder.pk, "direction": "verhogen", "amount": "5000.00", "decision": chosen.pk,
            "date": "2023-06-01", "reason": "Extra inzet"}  # fmt: skip
    data.update(overrides)
    return client.post(f"/financien/{deal.code}/projecten/{project_code}/begroting/", data)


def test_coordinator_raises_a_budget_in_the_browser(client_for, deal, project, rijk, coordinator, decision):
    assert project_funder_figures(project=project, funder=rijk).begroot == BEGROOT_1310_RIJK
    client = client_for(coordinator)
    assert "Begroting wijzigen" in client.get(f"/financien/{deal.code}/projecten/1310/").content.decode()
    response = budget_post(client, deal, rijk, decision)
    assert response.status_code == 302 and response["Location"] == f"/financien/{deal.code}/projecten/1310/"
    assert project_funder_figures(project=project, funder=rijk).begroot == Decimal("148751.00")  # 143.751 + 5.000
    booking = Booking.objects.filter(project=project, funder=rijk, kind="begroting").latest("pk")
    assert booking.decision == decision and booking.created_by == coordinator and booking.date == date(2023, 6, 1)


def test_coordinator_lowers_a_budget_across_its_bookings(client_for, deal, project, rijk, coordinator, decision):
    budget_raise(project=project, funder=rijk, amount=Decimal("100.00"), decision=decision, user=coordinator)
    before = project_funder_figures(project=project, funder=rijk)
    # 143.751 + 100 = 143.851 begroot; 143.851 - 102.345 uitgekeerd = 41.506 still to pay, room for 150 less.
    assert (before.begroot, before.nog_uit_te_keren) == (Decimal("143851.00"), Decimal("41506.00"))
    response = budget_post(client_for(coordinator), deal, rijk, decision, direction="verlagen", amount="150.00",
                           reason="Herverdeling")  # fmt: skip
    assert response.status_code == 302
    assert project_funder_figures(project=project, funder=rijk).begroot == Decimal("143701.00")  # 143.851 - 150
    corrections = Booking.objects.filter(project=project, funder=rijk, kind="begroting", correction_of__isnull=False)
    assert corrections.count() == 2  # the 100 booked just now, then 50 of the older begroting
    assert {c.decision for c in corrections} == {decision}
    assert {c.correction_reason for c in corrections} == {"Herverdeling"}


def test_lowering_below_what_was_paid_out_is_refused(client_for, deal, coordinator, decision):
    project, funder, figures = paid_cell(deal)
    # Programme 1100's publiek (all Gelderland) over its 5 projects: begroot 1.650.000 / 5 = 330.000 (Tabel 5),
    # uitgekeerd 310.000 / 5 = 62.000 (Tabel 6); lowering by 330.000 - 62.000 + 1 = 268.001 goes below it.
    assert (figures.begroot, figures.uitgekeerd) == (Decimal("330000.00"), Decimal("62000.00"))
    response = budget_post(client_for(coordinator), deal, funder, decision, project_code=project.code,
                           direction="verlagen", amount="268001.00", reason="Te ruim")  # fmt: skip
    assert response.status_code == 200
    assert "minder dan er al is uitgekeerd" in response.content.decode()
    assert not Booking.objects.filter(project=project, funder=funder, correction_of__isnull=False,
                                      kind="begroting").exists()  # fmt: skip


def test_lowering_more_than_the_budget_is_refused(deal, project, rijk, coordinator, decision):
    assert project_funder_figures(project=project, funder=rijk).begroot == BEGROOT_1310_RIJK
    with pytest.raises(ValidationError) as e:
        budget_lower(project=project, funder=rijk, amount=Decimal("143752.00"), decision=decision, reason="x",
                     user=coordinator)  # fmt: skip
    assert "groter dan de begroting van project 1310" in e.value.messages[0]


def test_budget_change_form_keeps_what_was_typed_on_errors(client_for, deal, rijk, coordinator, decision):
    client = client_for(coordinator)
    response = budget_post(client, deal, rijk, decision, decision="", amount="1234.56")
    assert response.status_code == 200
    assert "decision" in response.context["form"].errors and 'value="1234.56"' in response.content.decode()
    response = budget_post(client, deal, rijk, decision, direction="verlagen", reason="")
    assert response.context["form"].errors["reason"] == ["Geef de reden van de verlaging."]
    assert not Booking.objects.filter(decision=decision).exists()


def test_budget_change_refuses_a_forged_decision_of_another_deal(client_for, deal, project, rijk, coordinator,
                                                                 other_decision):  # fmt: skip
    response = budget_post(client_for(coordinator), deal, rijk, other_decision)
    assert response.status_code == 200 and "decision" in response.context["form"].errors
    with pytest.raises(ValidationError):
        budget_raise(project=project, funder=rijk, amount=Decimal("1.00"), decision=other_decision, user=coordinator)
    assert not other_decision.bookings.exists()


@pytest.mark.parametrize("persona", ["kassier", "controller", "steering", "theme_manager"])
def test_only_the_coordinator_changes_budgets(request, client_for, deal, project, rijk, decision, persona):
    user = request.getfixturevalue(persona)
    assert budget_post(client_for(user), deal, rijk, decision).status_code == 403
    with pytest.raises(PermissionDenied):
        budget_raise(project=project, funder=rijk, amount=Decimal("1.00"), decision=decision, user=user)
    assert not decision.bookings.exists()


def test_budget_page_says_to_record_a_decision_first_when_there_is_none(client_for, coordinator):
    empty = build_synthetic_deal(
        code="zonder-besluiten", programmes=1, projects_per_programme=1, funders=1, bookings=False
    )
    assign_without_review(deal=empty, user=coordinator, role=roles.COORDINATOR)
    code = empty.projects.get().code
    html = client_for(coordinator).get(f"/financien/{empty.code}/projecten/{code}/begroting/").content.decode()
    assert "Leg eerst het besluit vast" in html and 'name="amount"' not in html


# ----------------------------------------------------------------------------- demo data


def test_every_demo_budget_and_commitment_points_to_a_decision_of_its_deal(deal, second_deal):
    # fixtures/cleantech.json: 172 begrotingen (the 225.000 on the deal itself included) and 171 toekenningen.
    assert Booking.objects.filter(deal=deal, kind__in=["begroting", "toekenning"]).count() == 343
    for each in (deal, second_deal):
        decided = Booking.objects.filter(deal=each, kind__in=["begroting", "toekenning"])
        assert decided.exists()
        assert not decided.filter(decision__isnull=True).exists()
        assert not decided.exclude(decision__deal=each).exists()
    adopted = deal.decisions.get(number="SG-2020-01")
    assert adopted.date == date(2020, 12, 1) and "projectbegrotingen" in adopted.text


def test_finance_pages_link_to_the_register_for_its_readers_only(client_for, deal, steering, theme_manager):
    link = f'href="/financien/{deal.code}/besluiten/"'
    assert link in client_for(steering).get(f"/financien/{deal.code}/").content.decode()
    assert link not in client_for(theme_manager).get(f"/financien/{deal.code}/").content.decode()
