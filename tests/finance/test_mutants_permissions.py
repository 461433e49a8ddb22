"""Kills the mutants of finance/permissions*.py that the suite let live (docs/mutation-testing.md).

The 403 page shows the PermissionDenied message, so each refusal is asserted word for word.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from finance import permissions as fp
from finance import permissions_cofinancing as fpc
from finance import permissions_vouchers as fpv
from finance.models import ConditionEvidence, ProjectCondition, Tranche, TrancheCondition
from finance.models_import import ImportBatch
from finance.services import tranche_register
from finance.services_cofinancing import cofinancing_pledge
from finance.services_vouchers import voucher_create
from projects import roles
from projects.models import Decision, Project
from projects.services_roles import assign_without_review
from tests.conftest import make_user


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(PermissionDenied) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_a_penvoerder_reads_the_deal_but_not_its_money(lead):
    assert refusal(fp.get_finance_deal_for_user, lead, "cleantech") == "U mag de financiën van deze deal niet inzien."


def test_a_themalijnmanager_of_another_programme_reads_the_project_but_not_its_money(deal, other_theme_manager):
    assert (
        refusal(fp.get_project_finance_for_user, other_theme_manager, deal, "1310")
        == "U mag de financiën van dit project niet inzien."
    )
    assert (
        refusal(fp.get_conditions_project_for_user, other_theme_manager, deal, "1310")
        == "U mag de voorwaarden van dit project niet inzien."
    )
    assert (
        refusal(fpc.get_cofinancing_project_for_user, other_theme_manager, deal, "1310")
        == "U mag de cofinanciering van dit project niet inzien."
    )
    assert (
        refusal(fpv.get_voucher_project_for_user, other_theme_manager, deal, "1310")
        == "U mag de vouchers van dit project niet inzien."
    )


def test_a_themalijnmanager_does_not_read_the_decision_register_nor_the_import_batches(deal, theme_manager):
    message = "U mag het besluitenregister van deze deal niet inzien."
    assert refusal(fp.get_decisions_deal_for_user, theme_manager, "cleantech") == message
    decision = Decision.objects.filter(deal=deal).first()
    assert refusal(fp.get_decision_for_user, theme_manager, deal, decision.pk) == message
    assert (
        refusal(fp.get_import_batch_for_user, theme_manager, deal, 1)
        == "U mag de importbatches van deze deal niet inzien."
    )


def test_the_kassier_reads_vouchers_but_does_not_enter_them(deal, kassier):
    project = fpv.get_voucher_project_for_user(kassier, deal, "1310")
    assert project.code == "1310"
    assert (
        refusal(fpv.get_voucher_project_for_user, kassier, deal, "1310", write=True)
        == "Alleen de coördinator of de penvoerder van het project legt vouchers vast."
    )


def test_a_cofinancing_item_is_found_by_its_own_id_with_funder_and_deal(deal, lead, django_assert_num_queries):
    project = Project.objects.get(deal=deal, code="1310")
    municipality = deal.funders.exclude(category="rijk").order_by("order").first()
    items = [
        cofinancing_pledge(
            project=project,
            funder=municipality,
            user=lead,
            amount=Decimal(amount),
            pledged_on=deal.start + datetime.timedelta(days=40),
        )
        for amount in ("25000.00", "1000.00")
    ]
    for item in items:
        with django_assert_num_queries(1):
            found = fpc.get_cofinancing_for_user(lead, project, item.pk)
            assert (found.amount, found.funder.name, found.project.deal.code) == (
                item.amount,
                municipality.name,
                "cleantech",
            )


def test_entering_cofinancing_and_vouchers_is_for_the_coordinator_of_the_projects_own_deal(deal, coordinator):
    project = Project.objects.get(deal=deal, code="1310")
    coordinator_b = User.objects.get(username="coordinator_b")
    assert fpc.can_enter_cofinancing(coordinator, project) and fpv.can_manage_vouchers(coordinator, project)
    assert not fpc.can_enter_cofinancing(coordinator_b, project)
    assert not fpv.can_manage_vouchers(coordinator_b, project)


def test_a_voucher_is_found_by_its_own_id_with_its_project_and_deal(deal, lead, django_assert_num_queries):
    Project.objects.filter(deal=deal, code="1310").update(is_voucher_scheme=True)
    scheme = Project.objects.get(deal=deal, code="1310")
    day = deal.start + datetime.timedelta(days=30)
    vouchers = [
        voucher_create(project=scheme, recipient=recipient, date=day, amount=Decimal("1000.00"), user=lead)
        for recipient in ("Startup BV", "Scale-up BV")
    ]
    for voucher in vouchers:
        with django_assert_num_queries(1):
            found = fpv.get_voucher_for_user(lead, scheme, voucher.pk)
            assert (found.recipient, found.project.deal.code) == (voucher.recipient, "cleantech")


def test_leading_a_project_counts_only_with_the_penvoerder_role_in_its_deal(deal):
    project = Project.objects.get(deal=deal, code="1310")
    second_deal = User.objects.get(username="coordinator_b").role_assignments.get().deal
    lead_elsewhere = make_user("penvoerder_elders", roles.LEAD, deal=second_deal)
    project.lead_users.add(lead_elsewhere)
    assert not fpv.leads_voucher_project(lead_elsewhere, project)
    assert not fp.leads_project(lead_elsewhere, project)


# Each rule asks for a role in the deal at hand: the holder of that role in the second demo deal
# (username ending in _b) has it only there.
DEAL_RULES = [
    (fp.can_read_finance, "kassier"),
    (fp.can_read_all_finance, "kassier"),
    (fp.can_view_history, "coordinator"),
    (fp.can_correct_bookings, "coordinator"),
    (fp.can_read_decisions, "stuurgroep"),
    (fp.can_record_decision, "coordinator"),
    (fp.can_change_budget, "coordinator"),
    (fp.can_view_findings, "controller"),
    (fp.can_view_tranches, "stuurgroep"),
    (fp.can_register_tranche, "kassier"),
    (fp.can_import_workbook, "coordinator"),
    (fp.can_export_workbook, "stuurgroep"),
    (fp.can_manage_conditions, "coordinator"),
    (fp.can_waive_condition, "coordinator"),
    (fp.can_view_import_batches, "controller"),
]


@pytest.mark.parametrize(("rule", "username"), DEAL_RULES, ids=[rule.__name__ for rule, _ in DEAL_RULES])
def test_a_finance_right_is_a_role_in_the_deal_at_hand(deal, rule, username):
    assert rule(User.objects.get(username=username), deal)
    assert not rule(User.objects.get(username=f"{username}_b"), deal)


def test_project_finance_rights_are_roles_in_the_projects_own_deal(deal, coordinator, kassier, controller):
    project = Project.objects.get(deal=deal, code="1310")
    coordinator_b, kassier_b, controller_b = (
        User.objects.get(username=name) for name in ("coordinator_b", "kassier_b", "controller_b")
    )
    assert fp.can_record_expenditure(coordinator, project) and not fp.can_record_expenditure(coordinator_b, project)
    assert fp.expenditure_projects(coordinator, deal).count() == 26
    assert not fp.expenditure_projects(coordinator_b, deal).exists()
    assert fp.can_supply_evidence(kassier, project) and not fp.can_supply_evidence(kassier_b, project)
    rijk = deal.funders.get(name="Rijk")
    tranche = tranche_register(
        project=project, funder=rijk, amount=Decimal("10.00"), date=datetime.date(2023, 5, 1), user=kassier
    )
    assert fp.can_decide_tranche(controller, tranche) and not fp.can_decide_tranche(controller_b, tranche)


def test_a_tranche_condition_is_found_only_among_the_users_finance_projects(
    deal, theme_manager, other_theme_manager, django_assert_num_queries
):
    condition = TrancheCondition.objects.filter(tranche__project__deal=deal, tranche__project__code="1310").first()
    assert roles.has_role(theme_manager, deal, roles.THEME_MANAGER)  # the role map is read (and cached) first
    with django_assert_num_queries(1):
        found = fp.get_condition_for_user(theme_manager, deal, condition.pk)
        assert found.tranche.project.code == "1310"
    with pytest.raises(Http404):
        fp.get_condition_for_user(other_theme_manager, deal, condition.pk)  # finance of programme 2100 only


def test_a_project_condition_is_found_for_finance_readers_and_the_projects_own_penvoerder(
    deal, coordinator, lead, django_assert_num_queries
):
    condition = ProjectCondition.objects.filter(project__deal=deal).first()
    ProjectCondition.objects.filter(pk=condition.pk).update(funder=deal.funders.get(name="Rijk"))
    assert roles.has_role(coordinator, deal, roles.COORDINATOR)
    with django_assert_num_queries(1):
        found = fp.get_project_condition_for_user(coordinator, deal, condition.pk)
        assert (found.project.deal.code, found.funder.name) == ("cleantech", "Rijk")
        assert found.condition_type.name
    project_lead = make_user("penvoerder_met_voorwaarde", roles.LEAD, deal=deal)
    condition.project.lead_users.add(project_lead)
    assert fp.get_project_condition_for_user(project_lead, deal, condition.pk) == condition
    for outsider in (lead, User.objects.get(username="coordinator_b")):  # another project's penvoerder, another deal
        with pytest.raises(Http404):
            fp.get_project_condition_for_user(outsider, deal, condition.pk)


def test_condition_projects_are_the_finance_projects_plus_the_ones_the_user_leads_in_this_deal(deal, theme_manager):
    second_deal = User.objects.get(username="coordinator_b").role_assignments.get().deal
    led = Project.objects.get(deal=deal, code="2110")  # outside the themalijnmanager's programmes
    assign_without_review(deal=deal, user=theme_manager, role=roles.LEAD)
    led.lead_users.add(theme_manager)
    roles.forget_roles(theme_manager)
    codes = set(fp.condition_projects(theme_manager, deal).values_list("code", flat=True))
    assert {"1310", "2110"} <= codes and "2120" not in codes
    # Penvoerder only in the other deal: being on a project's list here shows nothing here.
    lead_elsewhere = make_user("penvoerder_elders_2", roles.LEAD, deal=second_deal)
    led.lead_users.add(lead_elsewhere)
    assert not fp.condition_projects(lead_elsewhere, deal).exists()


def test_a_tranche_and_its_evidence_come_with_what_their_page_shows_in_one_query(
    deal, kassier, coordinator, django_assert_num_queries
):
    tranche = Tranche.objects.filter(project__deal=deal, project__code="1310", status="goedgekeurd").first()
    assert roles.has_role(kassier, deal, roles.KASSIER)  # the role map is read (and cached) first
    with django_assert_num_queries(1):
        found = fp.get_tranche_for_user(kassier, deal, tranche.pk)
        shown = (found.project.programme.code, found.funder.name, found.registered_by.username)
        shown += (found.decided_by.username, found.booking.amount)
    assert shown[0] == "1300" and shown[-1] == tranche.amount
    evidence = ConditionEvidence.objects.filter(condition__project__deal=deal, checked_by__isnull=False).first()
    assert roles.has_role(coordinator, deal, roles.COORDINATOR)
    with django_assert_num_queries(1):
        found = fp.get_evidence_for_user(coordinator, deal, evidence.pk)
        shown = (found.condition.project.deal.code, found.condition.condition_type.name)
        shown += (found.supplied_by.username, found.checked_by.username)
    assert shown[0] == "cleantech"


def test_reading_decisions_and_import_batches_is_a_role_in_the_deal_at_hand(deal, coordinator):
    second_deal = User.objects.get(username="coordinator_b").role_assignments.get().deal
    # Themalijnmanager here (no register, no batches), stuurgroep and controller in the other deal.
    user = make_user("tlm_hier_controller_elders", roles.THEME_MANAGER, deal=deal)
    assign_without_review(deal=second_deal, user=user, role=roles.STEERING)
    assign_without_review(deal=second_deal, user=user, role=roles.CONTROLLER)
    roles.forget_roles(user)
    decision = Decision.objects.filter(deal=deal).first()
    for call, args in [
        (fp.get_decisions_deal_for_user, ("cleantech",)),
        (fp.get_decision_for_user, (deal, decision.pk)),
        (fp.get_import_batch_for_user, (deal, 1)),
    ]:
        with pytest.raises(PermissionDenied):
            call(user, *args)
    batch = ImportBatch(deal=deal, uploaded_by=coordinator, status=ImportBatch.Status.WAITING)
    assert fp.can_decide_import_batch(User.objects.get(username="controller"), batch)
    assert not fp.can_decide_import_batch(User.objects.get(username="controller_b"), batch)


def test_an_import_batch_is_found_by_its_own_id_in_its_own_deal_in_one_query(deal, django_assert_num_queries):
    ministry = User.objects.get(username="ministerie")  # reads the batches of every deal
    coordinator_b, controller_b = (User.objects.get(username=name) for name in ("coordinator_b", "controller_b"))
    second_deal = coordinator_b.role_assignments.get().deal
    batches = [
        ImportBatch.objects.create(deal=second_deal, sha256=digit * 64, uploaded_by=coordinator_b, decided_by=by)
        for digit, by in (("0", controller_b), ("1", None))
    ]
    assert roles.has_role(ministry, second_deal, roles.MINISTRY)  # the role map is read (and cached) first
    with django_assert_num_queries(1):
        found = fp.get_import_batch_for_user(ministry, second_deal, batches[0].pk)
        shown = (found.sha256, found.deal.code, found.uploaded_by.username, found.decided_by.username)
    assert shown == ("0" * 64, second_deal.code, "coordinator_b", "controller_b")
    assert fp.get_import_batch_for_user(ministry, second_deal, batches[1].pk) == batches[1]
    with pytest.raises(Http404):
        fp.get_import_batch_for_user(ministry, deal, batches[0].pk)


def test_roles_held_in_the_other_deal_open_nothing_here(deal):
    second_deal = User.objects.get(username="coordinator_b").role_assignments.get().deal
    project = Project.objects.get(deal=deal, code="1310")
    # Kassier here (reads all money), themalijnmanager there: enters no besteding here.
    kassier_here = make_user("kassier_hier_tlm_elders", roles.KASSIER, deal=deal)
    assign_without_review(deal=second_deal, user=kassier_here, role=roles.THEME_MANAGER)
    roles.forget_roles(kassier_here)
    assert fp.can_read_project_finance(kassier_here, project)
    assert not fp.can_record_expenditure(kassier_here, project)
    assert not fp.expenditure_projects(kassier_here, deal).exists()
    # Penvoerder here (sees the deal), kassier there: no finance of this deal.
    lead_here = make_user("penvoerder_hier_kassier_elders", roles.LEAD, deal=deal)
    assign_without_review(deal=second_deal, user=lead_here, role=roles.KASSIER)
    roles.forget_roles(lead_here)
    assert refusal(fp.get_finance_deal_for_user, lead_here, "cleantech") == (
        "U mag de financiën van deze deal niet inzien."
    )
