"""Roles belong to a deal; granting them follows the four-eyes rule (issue 10, items 5 and 7)."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from finance.permissions import can_register_tranche
from finance.services import tranche_register
from projects import roles
from projects.models import Deal, Project, RoleAssignment
from projects.services_roles import role_confirm, role_end, role_grant, role_refuse
from tests.conftest import make_user

Status = RoleAssignment.Status


@pytest.fixture
def second_deal(db) -> Deal:
    return Deal.objects.exclude(code="cleantech").get(role_assignments__user__username="coordinator_b")


@pytest.fixture
def second_coordinator(deal) -> User:
    return make_user("coordinator2", roles.COORDINATOR, deal=deal)


@pytest.fixture
def newcomer(db) -> User:
    return make_user("nieuw")


def test_a_role_holds_in_its_own_deal_only(deal, second_deal, kassier):
    assert roles.has_role(kassier, deal, roles.KASSIER)
    assert not roles.has_role(kassier, second_deal, roles.KASSIER)
    assert can_register_tranche(kassier, deal) and not can_register_tranche(kassier, second_deal)


def test_one_user_may_hold_different_roles_in_different_deals(deal, second_deal, newcomer):
    make_user("dual")
    dual = User.objects.get(username="dual")
    from projects.services_roles import assign_without_review

    assign_without_review(deal=deal, user=dual, role=roles.KASSIER)
    assign_without_review(deal=second_deal, user=dual, role=roles.STEERING)
    assert roles.user_roles(dual, deal) == {roles.KASSIER}
    assert roles.user_roles(dual, second_deal) == {roles.STEERING}


def test_kassier_of_one_deal_cannot_register_a_tranche_in_the_other(deal, second_deal, kassier):
    project = second_deal.projects.first()
    with pytest.raises(PermissionDenied):
        tranche_register(
            project=project,
            funder=second_deal.funders.first(),
            amount=1000,
            date=second_deal.start,
            user=kassier,
        )


def test_nobody_grants_themselves_a_role(deal, coordinator):
    with pytest.raises(ValidationError, match="uzelf"):
        role_grant(deal=deal, user=coordinator, role=roles.CONTROLLER, by=coordinator)


def test_only_a_coordinator_of_the_deal_grants(deal, second_deal, coordinator, kassier, newcomer):
    with pytest.raises(PermissionDenied):
        role_grant(deal=deal, user=newcomer, role=roles.STEERING, by=kassier)
    with pytest.raises(PermissionDenied):
        role_grant(deal=second_deal, user=newcomer, role=roles.STEERING, by=coordinator)


def test_a_reading_role_is_active_at_once(deal, coordinator, newcomer):
    assignment = role_grant(deal=deal, user=newcomer, role=roles.STEERING, by=coordinator)
    assert assignment.status == Status.ACTIVE
    assert roles.has_role(newcomer, deal, roles.STEERING)


def test_kassier_and_controller_wait_for_a_second_coordinator(deal, coordinator, second_coordinator, newcomer):
    assignment = role_grant(deal=deal, user=newcomer, role=roles.CONTROLLER, by=coordinator)
    assert assignment.status == Status.PENDING
    assert not roles.has_role(newcomer, deal, roles.CONTROLLER)
    with pytest.raises(ValidationError, match="tweede coördinator"):
        role_confirm(assignment=assignment, by=coordinator)
    role_confirm(assignment=assignment, by=second_coordinator)
    roles.forget_roles(newcomer)
    assert roles.has_role(newcomer, deal, roles.CONTROLLER)


def test_the_grantee_cannot_confirm_their_own_grant(deal, coordinator, second_coordinator):
    third = make_user("coordinator3", roles.COORDINATOR, deal=deal)
    assignment = role_grant(deal=deal, user=third, role=roles.KASSIER, by=coordinator)
    with pytest.raises(ValidationError):
        role_confirm(assignment=assignment, by=third)


def test_a_refused_grant_gives_no_role(deal, coordinator, second_coordinator, newcomer):
    assignment = role_refuse(
        assignment=role_grant(deal=deal, user=newcomer, role=roles.KASSIER, by=coordinator), by=second_coordinator
    )
    assert assignment.status == Status.REFUSED and not roles.has_role(newcomer, deal, roles.KASSIER)


def test_nobody_is_kassier_and_controller_in_one_deal(deal, coordinator, kassier):
    with pytest.raises(ValidationError, match="functiescheiding"):
        role_grant(deal=deal, user=kassier, role=roles.CONTROLLER, by=coordinator)


def test_kassier_in_one_deal_may_be_controller_in_another(deal, second_deal, kassier):
    assignment = role_grant(
        deal=second_deal, user=kassier, role=roles.CONTROLLER, by=User.objects.get(username="coordinator_b")
    )
    assert assignment.status == Status.PENDING


def test_every_role_change_is_in_the_history(deal, coordinator, second_coordinator, newcomer):
    assignment = role_grant(deal=deal, user=newcomer, role=roles.KASSIER, by=coordinator)
    role_confirm(assignment=assignment, by=second_coordinator)
    role_end(assignment=assignment, by=coordinator)
    history = list(assignment.history.order_by("history_date").values_list("status", "history_user__username"))
    assert history == [("wacht", "coordinator"), ("actief", "coordinator2"), ("beeindigd", "coordinator")]


def test_beheer_access_follows_the_coordinator_role(deal, coordinator, newcomer):
    assignment = role_grant(deal=deal, user=newcomer, role=roles.COORDINATOR, by=coordinator)
    newcomer.refresh_from_db()
    assert newcomer.is_staff and newcomer.groups.filter(name=roles.BEHEER_GROUP).exists()
    role_end(assignment=assignment, by=coordinator)
    newcomer.refresh_from_db()
    assert not newcomer.is_staff


def test_role_page_grants_and_shows_the_pending_grant(client_for, deal, coordinator, newcomer):
    client = client_for(coordinator)
    url = reverse("projects:role-list", args=[deal.code])
    response = client.post(url, {"user": newcomer.pk, "role": roles.KASSIER, "note": "nieuwe kassier"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Wacht op bevestiging" in page and "nieuw" in page


def test_role_page_keeps_the_form_and_says_why_on_self_grant(client_for, deal, coordinator):
    response = client_for(coordinator).post(
        reverse("projects:role-list", args=[deal.code]), {"user": coordinator.pk, "role": roles.KASSIER}
    )
    assert response.status_code == 400
    assert "uzelf" in response.content.decode()


def test_a_forged_confirm_of_another_deals_grant_is_a_404(client_for, deal, second_deal, coordinator, newcomer):
    coordinator_b = User.objects.get(username="coordinator_b")
    assignment = role_grant(deal=second_deal, user=newcomer, role=roles.KASSIER, by=coordinator_b)
    response = client_for(coordinator).post(reverse("projects:role-confirm", args=[deal.code, assignment.pk]))
    assert response.status_code == 404
    assignment.refresh_from_db()
    assert assignment.status == Status.PENDING


def test_start_page_lists_the_users_deals_with_roles(client_for, deal, kassier):
    page = client_for(kassier).get("/").content.decode()
    assert deal.name in page and "Kassier" in page


def test_header_shows_the_current_deal(client_for, deal, kassier):
    project = Project.objects.filter(deal=deal).first()
    page = client_for(kassier).get(reverse("projects:project-detail", args=[deal.code, project.code])).content.decode()
    assert "deal-switcher" in page and deal.name in page


def test_assign_role_command_bootstraps_a_coordinator_and_the_ministry(deal, newcomer):
    from django.core.management import call_command

    call_command("assign_role", "nieuw", roles.COORDINATOR, "--deal", deal.code, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("assign_role", "nieuw", roles.MINISTRY, stdout=open("/dev/null", "w"))  # noqa: SIM115
    roles.forget_roles(newcomer)
    assert roles.has_role(newcomer, deal, roles.COORDINATOR)
    assert roles.user_roles(newcomer, Deal.objects.exclude(pk=deal.pk).first()) == {roles.MINISTRY}


def test_assign_role_command_refuses_kassier_and_controller(deal, newcomer):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("assign_role", "nieuw", roles.KASSIER, "--deal", deal.code)
    assert not roles.has_role(newcomer, deal, roles.KASSIER)


def test_role_form_offers_own_team_and_new_accounts_not_other_deals(deal, newcomer):
    from projects.forms_roles import RoleGrantForm

    offered = set(RoleGrantForm(deal=deal).fields["user"].queryset.values_list("username", flat=True))
    assert {"kassier", "nieuw"} <= offered
    assert "kassier_b" not in offered


def test_a_themalijnmanager_is_granted_for_chosen_programmes(deal, coordinator, newcomer):
    from projects.services_roles import RoleScope

    programme = deal.programmes.get(code="2100")
    with pytest.raises(ValidationError, match="actielijn of programma"):
        role_grant(deal=deal, user=newcomer, role=roles.THEME_MANAGER, by=coordinator)
    assignment = role_grant(
        deal=deal, user=newcomer, role=roles.THEME_MANAGER, by=coordinator, scope=RoleScope(programmes=[programme])
    )
    from projects.permissions import writable_projects

    assert set(writable_projects(newcomer).values_list("programme__code", flat=True)) == {"2100"}
    role_end(assignment=assignment, by=coordinator)
    roles.forget_roles(newcomer)
    assert not programme.theme_managers.filter(pk=newcomer.pk).exists()
    assert not writable_projects(newcomer).exists()


def test_a_penvoerder_needs_a_project_of_the_same_deal(deal, second_deal, coordinator, newcomer):
    from projects.services_roles import RoleScope

    with pytest.raises(ValidationError, match="deze deal"):
        role_grant(
            deal=deal,
            user=newcomer,
            role=roles.LEAD,
            by=coordinator,
            scope=RoleScope(projects=[second_deal.projects.first()]),
        )
    assert not RoleAssignment.objects.filter(user=newcomer).exists()
