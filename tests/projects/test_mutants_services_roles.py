"""Kills the mutants of projects/services_roles.py that the suite let live (docs/mutation-testing.md)."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects import roles
from projects.models import Deal, Project, RoleAssignment
from projects.services_roles import (
    RoleScope,
    assign_without_review,
    role_confirm,
    role_end,
    role_grant,
    role_refuse,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

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


def test_ending_a_themalijnmanager_takes_only_him_off_his_action_lines_and_programmes(
    deal, coordinator, theme_manager, newcomer
):
    line = deal.action_lines.get(theme_managers=theme_manager)
    programme = deal.programmes.get(code="2100")
    assignment = role_grant(
        deal=deal,
        user=newcomer,
        role=roles.THEME_MANAGER,
        by=coordinator,
        scope=RoleScope(action_lines=[line], programmes=[programme]),
    )
    assert set(line.theme_managers.values_list("username", flat=True)) == {"themalijnmanager", "nieuw"}
    assert set(programme.theme_managers.values_list("username", flat=True)) == {"nieuw"}
    role_end(assignment=assignment, by=coordinator)
    assert set(line.theme_managers.values_list("username", flat=True)) == {"themalijnmanager"}
    assert set(programme.theme_managers.values_list("username", flat=True)) == set()


def test_ending_a_penvoerder_takes_only_him_off_his_projects(deal, coordinator, lead, newcomer):
    project = Project.objects.get(deal=deal, code="1310")
    assignment = role_grant(
        deal=deal, user=newcomer, role=roles.LEAD, by=coordinator, scope=RoleScope(projects=[project])
    )
    assert set(project.lead_users.values_list("username", flat=True)) == {"penvoerder", "nieuw"}
    role_end(assignment=assignment, by=coordinator)
    assert set(project.lead_users.values_list("username", flat=True)) == {"penvoerder"}


def test_a_second_coordinator_confirms_or_refuses_and_is_recorded_with_the_moment(
    deal, coordinator, second_coordinator, newcomer
):
    for decide, status in [(role_confirm, Status.ACTIVE), (role_refuse, Status.REFUSED)]:
        grantee = make_user(f"nieuw_{status}")
        assignment = role_grant(deal=deal, user=grantee, role=roles.KASSIER, by=coordinator)
        before = timezone.now()
        decide(assignment=assignment, by=second_coordinator)
        after = timezone.now()
        assignment.refresh_from_db()
        assert (assignment.status, assignment.confirmed_by, assignment.granted_by) == (
            status,
            second_coordinator,
            coordinator,
        )
        assert before <= assignment.decided_at <= after
        assert assignment.history.latest("history_date").history_user == second_coordinator
        for again in (role_confirm, role_refuse):
            with pytest.raises(ValidationError) as caught:
                again(assignment=assignment, by=second_coordinator)
            assert caught.value.messages == ["Deze roltoewijzing wacht niet (meer) op bevestiging."]


def test_neither_the_granting_coordinator_nor_the_grantee_confirms_and_they_hear_why(
    deal, coordinator, second_coordinator
):
    grantee = make_user("coordinator3", roles.COORDINATOR, deal=deal)
    assignment = role_grant(deal=deal, user=grantee, role=roles.KASSIER, by=coordinator)
    for by in (coordinator, grantee):
        for decide in (role_confirm, role_refuse):
            with pytest.raises(ValidationError) as caught:
                decide(assignment=assignment, by=by)
            assert caught.value.messages == [
                "Een tweede coördinator bevestigt: niet wie de rol toekende en niet wie hem krijgt."
            ]
    assignment.refresh_from_db()
    assert (assignment.status, assignment.confirmed_by, assignment.decided_at) == (Status.PENDING, None, None)


def test_a_kassier_who_meanwhile_became_controller_here_is_not_confirmed(
    deal, coordinator, second_coordinator, newcomer
):
    pending = role_grant(deal=deal, user=newcomer, role=roles.KASSIER, by=coordinator)
    # A setup command (assign_without_review) checks nothing: the confirmation is the last guard.
    assign_without_review(deal=deal, user=newcomer, role=roles.CONTROLLER)
    with pytest.raises(ValidationError) as caught:
        role_confirm(assignment=pending, by=second_coordinator)
    assert caught.value.messages == ["Functiescheiding: deze persoon heeft de andere kasrol al in deze deal."]
    pending.refresh_from_db()
    assert pending.status == Status.PENDING


def test_only_an_active_other_kasrol_in_the_same_deal_blocks_a_confirmation(
    deal, second_deal, coordinator, second_coordinator, newcomer
):
    assign_without_review(deal=deal, user=newcomer, role=roles.STEERING)
    assign_without_review(deal=second_deal, user=newcomer, role=roles.CONTROLLER)
    RoleAssignment.objects.create(user=newcomer, deal=deal, role=roles.CONTROLLER, status=Status.REFUSED)
    RoleAssignment.objects.create(user=newcomer, deal=deal, role=roles.CONTROLLER, status=Status.ENDED)
    pending = role_grant(deal=deal, user=newcomer, role=roles.KASSIER, by=coordinator)
    assert role_confirm(assignment=pending, by=second_coordinator).status == Status.ACTIVE
    roles.forget_roles(newcomer)
    assert roles.user_roles(newcomer, deal) == {roles.STEERING, roles.KASSIER}


def test_ending_a_role_records_who_and_when_and_an_ended_or_refused_role_does_not_end_again(
    deal, coordinator, second_coordinator, newcomer
):
    assignment = role_grant(deal=deal, user=newcomer, role=roles.STEERING, by=coordinator)
    before = timezone.now()
    role_end(assignment=assignment, by=second_coordinator)
    after = timezone.now()
    assignment.refresh_from_db()
    assert (assignment.status, assignment.ended_by) == (Status.ENDED, second_coordinator)
    assert before <= assignment.ended_at <= after
    assert assignment.history.latest("history_date").history_user == second_coordinator
    refused = role_refuse(
        assignment=role_grant(deal=deal, user=newcomer, role=roles.CONTROLLER, by=coordinator), by=second_coordinator
    )
    for closed in (assignment, refused):
        with pytest.raises(ValidationError) as caught:
            role_end(assignment=closed, by=coordinator)
        assert caught.value.messages == ["Deze rol is al beëindigd of geweigerd."]


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("beheerder", email="beheerder@example.org", password="x")


def test_who_does_not_coordinate_the_deal_manages_no_roles_and_hears_why(
    deal, second_deal, coordinator, kassier, newcomer
):
    pending = role_grant(deal=deal, user=newcomer, role=roles.KASSIER, by=coordinator)
    coordinator_b = User.objects.get(username="coordinator_b")
    attempts = [
        lambda: role_grant(deal=deal, user=newcomer, role=roles.STEERING, by=kassier),
        lambda: role_grant(deal=deal, user=newcomer, role=roles.STEERING, by=coordinator_b),
        # The ministry's role spans all deals: no coordinator of one deal grants it, only the superuser.
        lambda: role_grant(deal=None, user=newcomer, role=roles.MINISTRY, by=coordinator),
        lambda: role_confirm(assignment=pending, by=coordinator_b),
        lambda: role_refuse(assignment=pending, by=kassier),
        lambda: role_end(assignment=pending, by=coordinator_b),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied) as caught:
            attempt()
        assert str(caught.value) == "Alleen de coördinator van deze deal beheert de rollen."
    assert list(RoleAssignment.objects.filter(user=newcomer).values_list("role", "status")) == [
        (roles.KASSIER, Status.PENDING)
    ]


def test_the_superuser_grants_the_ministry_role_and_roles_in_any_deal_and_stays_staff(
    deal, superuser, coordinator, newcomer
):
    ministry = role_grant(deal=None, user=newcomer, role=roles.MINISTRY, by=superuser)
    assert (ministry.deal, ministry.role, ministry.status, ministry.granted_by) == (
        None,
        roles.MINISTRY,
        Status.ACTIVE,
        superuser,
    )
    steering = role_grant(deal=deal, user=newcomer, role=roles.STEERING, by=superuser)
    assert (steering.deal, steering.status) == (deal, Status.ACTIVE)
    role_grant(deal=deal, user=superuser, role=roles.STEERING, by=coordinator)
    superuser.refresh_from_db()
    assert (superuser.is_superuser, superuser.is_staff) == (True, True)


GRANT_REFUSALS = [
    ("onbekende rol", "penningmeester", "deal", None, "Onbekende rol."),
    (
        "ministerie in een deal",
        roles.MINISTRY,
        "deal",
        None,
        "De leesrol van het ministerie geldt voor alle deals; andere rollen voor één deal.",
    ),
    (
        "andere rol zonder deal",
        roles.STEERING,
        None,
        None,
        "De leesrol van het ministerie geldt voor alle deals; andere rollen voor één deal.",
    ),
    (
        "programma van de andere deal",
        roles.THEME_MANAGER,
        "deal",
        "other_programme",
        "Kies actielijnen, programma's en projecten van deze deal.",
    ),
    # Without a deal (the ministry) nothing of a deal can be chosen either.
    (
        "ministerie met project",
        roles.MINISTRY,
        None,
        "project",
        "Kies actielijnen, programma's en projecten van deze deal.",
    ),
    (
        "themalijnmanager zonder lijn",
        roles.THEME_MANAGER,
        "deal",
        None,
        "Kies voor een themalijnmanager ten minste één actielijn of programma.",
    ),
    ("penvoerder zonder project", roles.LEAD, "deal", None, "Kies voor een penvoerder ten minste één project."),
    (
        "stuurgroep met project",
        roles.STEERING,
        "deal",
        "project",
        "Alleen themalijnmanagers en penvoerders krijgen actielijnen, programma's of projecten.",
    ),
]


@pytest.mark.parametrize(
    ("role", "in_deal", "scope", "message"), [case[1:] for case in GRANT_REFUSALS], ids=[c[0] for c in GRANT_REFUSALS]
)
def test_a_grant_that_breaks_a_rule_is_refused_with_the_reason(
    deal, second_deal, superuser, newcomer, role, in_deal, scope, message
):
    scopes = {
        None: None,
        "other_programme": RoleScope(programmes=[second_deal.programmes.first()]),
        "project": RoleScope(projects=[Project.objects.get(deal=deal, code="1310")]),
    }
    with pytest.raises(ValidationError) as caught:
        role_grant(deal=deal if in_deal else None, user=newcomer, role=role, by=superuser, scope=scopes[scope])
    assert caught.value.messages == [message]
    assert not RoleAssignment.objects.filter(user=newcomer).exists()


def test_nobody_grants_himself_a_role_nor_one_he_has_or_waits_for_and_hears_why(deal, coordinator, newcomer):
    with pytest.raises(ValidationError) as caught:
        role_grant(deal=deal, user=coordinator, role=roles.STEERING, by=coordinator)
    assert caught.value.messages == ["U kunt uzelf geen rol geven; vraag een andere coördinator."]
    role_grant(deal=deal, user=newcomer, role=roles.STEERING, by=coordinator)
    role_grant(deal=deal, user=newcomer, role=roles.KASSIER, by=coordinator)
    for role in (roles.STEERING, roles.KASSIER):
        with pytest.raises(ValidationError) as caught:
            role_grant(deal=deal, user=newcomer, role=role, by=coordinator)
        assert caught.value.messages == ["Deze gebruiker heeft deze rol in deze deal al (of die wacht op bevestiging)."]


def test_functiescheiding_names_the_person_and_both_roles_either_way(
    deal, coordinator, second_coordinator, kassier, controller, newcomer
):
    # Without a full name the username stands in; a pending grant counts as much as an active role.
    role_grant(deal=deal, user=newcomer, role=roles.KASSIER, by=coordinator)
    for user, role, message in [
        (
            kassier,
            roles.CONTROLLER,
            "Kees Kassier is al kassier in deze deal; "
            "dezelfde persoon kan niet ook controller zijn (functiescheiding).",
        ),
        (
            controller,
            roles.KASSIER,
            "Connie Controller is al controller in deze deal; "
            "dezelfde persoon kan niet ook kassier zijn (functiescheiding).",
        ),
        (
            newcomer,
            roles.CONTROLLER,
            "nieuw is al kassier in deze deal; dezelfde persoon kan niet ook controller zijn (functiescheiding).",
        ),
    ]:
        with pytest.raises(ValidationError) as caught:
            role_grant(deal=deal, user=user, role=role, by=second_coordinator)
        assert caught.value.messages == [message]


def test_roles_held_elsewhere_or_closed_do_not_block_a_grant(
    deal, second_deal, coordinator, second_coordinator, newcomer
):
    assign_without_review(deal=second_deal, user=newcomer, role=roles.STEERING)
    assign_without_review(deal=second_deal, user=newcomer, role=roles.KASSIER)
    RoleAssignment.objects.create(user=newcomer, deal=deal, role=roles.KASSIER, status=Status.ENDED)
    steering = role_grant(deal=deal, user=newcomer, role=roles.STEERING, by=coordinator)
    controller = role_grant(deal=deal, user=newcomer, role=roles.CONTROLLER, by=coordinator)
    assert (steering.status, controller.status) == (Status.ACTIVE, Status.PENDING)


def test_a_grant_records_who_granted_it_and_the_note(deal, coordinator, newcomer):
    plain = role_grant(deal=deal, user=newcomer, role=roles.STEERING, by=coordinator)
    noted = role_grant(deal=deal, user=newcomer, role=roles.KASSIER, by=coordinator, note="Vervangt Kees")
    for assignment in (plain, noted):
        assignment.refresh_from_db()
    assert [(a.granted_by, a.note) for a in (plain, noted)] == [(coordinator, ""), (coordinator, "Vervangt Kees")]


def test_beheer_is_for_active_coordinators_only(deal, coordinator, newcomer):
    beheer = Group.objects.get(name=roles.BEHEER_GROUP)
    role_grant(deal=deal, user=newcomer, role=roles.STEERING, by=coordinator)
    newcomer.refresh_from_db()
    assert (newcomer.is_staff, list(newcomer.groups.all())) == (False, [])
    coordinating = role_grant(deal=deal, user=newcomer, role=roles.COORDINATOR, by=coordinator)
    newcomer.refresh_from_db()
    assert (newcomer.is_staff, list(newcomer.groups.all())) == (True, [beheer])
    role_end(assignment=coordinating, by=coordinator)
    newcomer.refresh_from_db()
    assert (newcomer.is_staff, list(newcomer.groups.all())) == (False, [])


def test_granting_a_role_changes_only_the_staff_flag_of_the_account(deal, coordinator, newcomer):
    # The account was changed elsewhere (Beheer) after this object was read: that change stays.
    User.objects.filter(pk=newcomer.pk).update(email="nieuw@elders.example.org")
    role_grant(deal=deal, user=newcomer, role=roles.COORDINATOR, by=coordinator)
    newcomer.refresh_from_db()
    assert (newcomer.is_staff, newcomer.email) == (True, "nieuw@elders.example.org")


def test_a_new_role_counts_at_once_for_the_same_user_object(deal, coordinator, newcomer):
    assert roles.user_roles(newcomer, deal) == frozenset()  # read and cached on the object
    role_grant(deal=deal, user=newcomer, role=roles.STEERING, by=coordinator)
    assert roles.user_roles(newcomer, deal) == {roles.STEERING}


def test_a_setup_command_gives_an_ended_role_back_as_a_new_active_one(deal, newcomer):
    ended = RoleAssignment.objects.create(user=newcomer, deal=deal, role=roles.COORDINATOR, status=Status.ENDED)
    again = assign_without_review(deal=deal, user=newcomer, role=roles.COORDINATOR)
    assert again.pk != ended.pk
    assert list(RoleAssignment.objects.filter(user=newcomer).order_by("pk").values_list("status", flat=True)) == [
        Status.ENDED,
        Status.ACTIVE,
    ]
    newcomer.refresh_from_db()
    assert newcomer.is_staff is True
