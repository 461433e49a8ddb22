"""Kills the mutants of projects/roles.py that the suite let live (docs/mutation-testing.md)."""

from django.contrib.auth.models import Group, User

from projects import roles
from projects.models import RoleAssignment

Status = RoleAssignment.Status


def test_the_role_map_is_read_once_per_user_object_until_forgotten(deal, kassier, django_assert_num_queries):
    user = User.objects.get(pk=kassier.pk)  # a fresh object: nothing cached on it yet
    with django_assert_num_queries(1):
        assert roles.has_role(user, deal, roles.KASSIER)
        assert roles.has_role(user, deal.pk, roles.KASSIER)
        assert not roles.has_role(user, deal, roles.CONTROLLER)
        assert roles.user_roles(user) == {roles.KASSIER}
    roles.forget_roles(user)
    with django_assert_num_queries(1):
        assert roles.user_roles(user, deal) == {roles.KASSIER}


def test_beheer_gets_the_app_models_and_users_but_never_groups_nor_deletes_of_money(db):
    group = Group.objects.get(name=roles.BEHEER_GROUP)
    group.permissions.clear()
    roles.grant_coordinator_admin_permissions()
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert {app for app, _ in granted} == {"auth", "projects", "finance", "monitoring", "reports"}
    assert {code for app, code in granted if app == "auth"} == {"add_user", "change_user", "view_user"}
    assert {("finance", "add_booking"), ("finance", "view_tranche"), ("projects", "change_project")} <= granted
    assert not {code for _, code in granted} & roles.NEVER_DELETED


def test_a_role_anywhere_is_one_of_the_roles_asked_for(theme_manager, lead, outsider):
    assert roles.has_role_anywhere(theme_manager, roles.COORDINATOR, roles.THEME_MANAGER)
    assert not roles.has_role_anywhere(lead, roles.COORDINATOR, roles.THEME_MANAGER)
    assert not roles.has_role_anywhere(outsider, roles.COORDINATOR)


def test_only_an_active_assignment_gives_a_role(deal, outsider):
    for role, status in [
        (roles.KASSIER, Status.PENDING),
        (roles.CONTROLLER, Status.REFUSED),
        (roles.COORDINATOR, Status.ENDED),
    ]:
        RoleAssignment.objects.create(user=outsider, deal=deal, role=role, status=status)
    roles.forget_roles(outsider)
    assert roles.user_roles(outsider, deal) == frozenset()
    assert not roles.has_role(outsider, deal, roles.KASSIER, roles.CONTROLLER, roles.COORDINATOR)
