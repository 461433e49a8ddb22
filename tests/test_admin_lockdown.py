"""Beheer (the Django admin) never writes money, and a coordinator keeps the address book,
not the keys (issue 10, items 1 and 7).

Every attempt is a direct POST, as an attacker would send it, and every test asserts the
database afterwards, not only the status code.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core import mail
from django.urls import reverse

from finance.models import Booking, Funder, Tranche, TrancheCondition
from projects.demo import DEMO_PASSWORD
from projects.models import Project

LEDGER = [Booking, Tranche, TrancheCondition]


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", "root@example.org", DEMO_PASSWORD)


@pytest.fixture(params=["coordinator", "superuser"])
def admin_client(request, client):
    user = request.getfixturevalue(request.param)
    assert user.is_staff
    client.force_login(user)
    return client


@pytest.fixture
def project(deal) -> Project:
    return Project.objects.get(deal=deal, code="1310")


@pytest.fixture
def rijk(deal) -> Funder:
    return Funder.objects.get(deal=deal, name="Rijk")


def booking_form(deal, project, funder, **changes) -> dict:
    data = {
        "deal": deal.pk,
        "project": project.pk,
        "funder": funder.pk,
        "kind": "uitkering",
        "amount": "99999999.00",
        "date": "2022-06-01",
        "reference": "BEHEER",
        "note": "",
        "decision": "",
        "period_start": "",
        "period_end": "",
        "correction_of": "",
        "correction_reason": "",
    }
    return {**data, **changes}


def tranche_form(tranche: Tranche, **changes) -> dict:
    data = {
        "project": tranche.project_id,
        "funder": tranche.funder_id,
        "number": tranche.number,
        "amount": "99999999.00",
        "date": "2022-06-01",
        "note": "",
        "status": "ter_goedkeuring",
        "rejection_reason": "",
        "override_reason": "",
        "conditions-TOTAL_FORMS": "0",
        "conditions-INITIAL_FORMS": "0",
        "conditions-MIN_NUM_FORMS": "0",
        "conditions-MAX_NUM_FORMS": "1000",
    }
    return {**data, **changes}


def snapshot(model) -> list[tuple]:
    fields = [f.attname for f in model._meta.concrete_fields]
    return list(model.objects.order_by("pk").values_list(*fields))


@pytest.fixture
def ledger_before(deal):
    return {model: snapshot(model) for model in LEDGER}


def assert_ledger_unchanged(before):
    for model in LEDGER:
        assert snapshot(model) == before[model], f"{model.__name__} is veranderd via Beheer"


def ledger_admins():
    """The admin of every ledger model, inlines included (TrancheCondition lives on the tranche page)."""
    found = [admin.site._registry[model] for model in (Booking, Tranche)]
    for model_admin in list(found):
        found += [inline(model_admin.model, admin.site) for inline in model_admin.inlines]
    return found


@pytest.mark.parametrize("persona", ["coordinator", "superuser"])
def test_ledger_admin_is_view_only_for_everyone(rf, request, persona):
    web_request = rf.get("/")
    web_request.user = request.getfixturevalue(persona)
    admins = ledger_admins()
    assert {a.model for a in admins} == set(LEDGER)
    for model_admin in admins:
        assert model_admin.has_view_permission(web_request)
        add_args = (web_request, None) if isinstance(model_admin, admin.options.InlineModelAdmin) else (web_request,)
        assert not model_admin.has_add_permission(*add_args)
        assert not model_admin.has_change_permission(web_request)
        assert not model_admin.has_delete_permission(web_request)


def test_history_models_are_not_in_beheer():
    for model in LEDGER:
        assert model.history.model not in admin.site._registry


def test_adding_a_payout_in_beheer_is_refused(admin_client, deal, project, rijk, ledger_before):
    response = admin_client.post(reverse("admin:finance_booking_add"), booking_form(deal, project, rijk))
    assert response.status_code == 403
    assert_ledger_unchanged(ledger_before)


def test_changing_a_booking_in_beheer_is_refused(admin_client, deal, project, rijk, ledger_before):
    booking = Booking.objects.filter(deal=deal, kind="begroting").order_by("pk").first()
    url = reverse("admin:finance_booking_change", args=[booking.pk])
    response = admin_client.post(url, booking_form(deal, project, rijk, kind="begroting", note="Stil aangepast"))
    assert response.status_code == 403
    assert_ledger_unchanged(ledger_before)


def test_a_forged_booking_id_changes_nothing(admin_client, deal, project, rijk, ledger_before):
    forged = (Booking.objects.order_by("-pk").first().pk or 0) + 1000
    for name in ("admin:finance_booking_change", "admin:finance_booking_delete"):
        response = admin_client.post(reverse(name, args=[forged]), booking_form(deal, project, rijk, post="yes"))
        assert response.status_code in (302, 403, 404)
    assert_ledger_unchanged(ledger_before)


def test_deleting_bookings_in_beheer_is_refused(admin_client, deal, ledger_before):
    booking = Booking.objects.filter(deal=deal).order_by("pk").first()
    response = admin_client.post(reverse("admin:finance_booking_delete", args=[booking.pk]), {"post": "yes"})
    assert response.status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [booking.pk], "post": "yes"}
    admin_client.post(reverse("admin:finance_booking_changelist"), bulk)
    assert_ledger_unchanged(ledger_before)


def test_adding_changing_or_deleting_a_tranche_in_beheer_is_refused(admin_client, deal, ledger_before):
    tranche = Tranche.objects.filter(project__deal=deal, status="goedgekeurd").order_by("pk").first()
    add = admin_client.post(reverse("admin:finance_tranche_add"), tranche_form(tranche, number=tranche.number + 50))
    change = admin_client.post(reverse("admin:finance_tranche_change", args=[tranche.pk]), tranche_form(tranche))
    delete = admin_client.post(reverse("admin:finance_tranche_delete", args=[tranche.pk]), {"post": "yes"})
    forged = admin_client.post(
        reverse("admin:finance_tranche_change", args=[tranche.pk + 10_000]), tranche_form(tranche)
    )
    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert forged.status_code in (302, 403, 404)
    assert_ledger_unchanged(ledger_before)


def test_a_tranche_condition_cannot_be_added_through_the_tranche_page(admin_client, deal, ledger_before):
    tranche = Tranche.objects.filter(project__deal=deal).order_by("pk").first()
    data = tranche_form(
        tranche,
        amount=str(tranche.amount),
        date=tranche.date.isoformat(),
        status=tranche.status,
        **{
            "conditions-TOTAL_FORMS": "1",
            "conditions-0-description": "Achteraf toegevoegd",
            "conditions-0-reference": "X",
        },
    )
    response = admin_client.post(reverse("admin:finance_tranche_change", args=[tranche.pk]), data)
    assert response.status_code == 403
    assert_ledger_unchanged(ledger_before)


def test_an_approved_tranche_cannot_be_reverted_to_pending_through_its_history(
    client, coordinator, deal, project, rijk, kassier, controller
):
    # simple_history's "revert" page saved a POST after checking only the right to view.
    tranche = Tranche.objects.create(
        project=project, funder=rijk, number=90, amount=Decimal("10.00"), date=date(2022, 6, 1), registered_by=kassier
    )
    pending_version = tranche.history.latest().history_id
    tranche.status, tranche.decided_by = Tranche.Status.APPROVED, controller
    tranche.save()
    client.force_login(coordinator)
    url = reverse("admin:finance_tranche_simple_history", args=[tranche.pk, pending_version])
    response = client.post(url, tranche_form(tranche, status="ter_goedkeuring", amount="10.00"))
    assert response.status_code == 403
    assert Tranche.objects.get(pk=tranche.pk).status == Tranche.Status.APPROVED


def test_revert_is_still_offered_to_who_may_change_the_object(client, superuser, deal):
    project = Project.objects.get(deal=deal, code="1310")
    version = project.history.latest().history_id
    client.force_login(superuser)
    url = reverse("admin:projects_project_simple_history", args=[project.pk, version])
    assert client.get(url).status_code == 200
    # An empty form comes back with its errors: the POST is taken, not refused.
    assert client.post(url, {}).status_code == 200


# Users: the coordinator edits name, e-mail (own) and active flag of ordinary users only.


def user_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "12:00:00",
        "last_login_0": "",
        "last_login_1": "",
        "groups": [],
        "user_permissions": [],
    }
    return {**data, **changes}


def test_coordinator_cannot_make_himself_superuser_or_staff_or_grant_himself_groups(client, coordinator):
    groups_before = set(coordinator.groups.values_list("pk", flat=True))
    everything = list(Group.objects.values_list("pk", flat=True))
    client.force_login(coordinator)
    data = user_form(coordinator, is_superuser="on", is_staff="on", groups=everything, first_name="Coco")
    response = client.post(reverse("admin:auth_user_change", args=[coordinator.pk]), data)
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.first_name == "Coco"  # what he may change, changed
    assert not coordinator.is_superuser
    assert set(coordinator.groups.values_list("pk", flat=True)) == groups_before
    assert not coordinator.user_permissions.exists()


def test_coordinator_cannot_put_a_second_account_in_a_group(client, coordinator):
    second = User.objects.create_user("tweede", "tweede@example.org", DEMO_PASSWORD)
    client.force_login(coordinator)
    data = user_form(second, is_staff="on", groups=list(Group.objects.values_list("pk", flat=True)))
    client.post(reverse("admin:auth_user_change", args=[second.pk]), data)
    second.refresh_from_db()
    assert not second.groups.exists()
    assert not second.is_staff and not second.is_superuser


def test_coordinator_cannot_create_a_superuser_nor_choose_its_password(client, coordinator):
    client.force_login(coordinator)
    data = {
        "username": "stroman",
        "email": "stroman@example.org",
        "first_name": "Stro",
        "last_name": "Man",
        "usable_password": "true",
        "password1": "Geheim-wachtwoord-123",
        "password2": "Geheim-wachtwoord-123",
        "is_superuser": "on",
        "is_staff": "on",
    }
    response = client.post(reverse("admin:auth_user_add"), data)
    assert response.status_code == 302
    created = User.objects.get(username="stroman")
    assert not created.is_superuser and not created.is_staff
    # Nobody but the owner knows the password: the account has none until the mailed link sets it.
    assert not created.has_usable_password()
    assert [m.to for m in mail.outbox] == [["stroman@example.org"]]
    assert "/wachtwoord/nieuw/" in mail.outbox[0].body


def test_coordinator_cannot_set_the_controllers_password(client, coordinator, controller):
    client.force_login(coordinator)
    url = reverse("admin:auth_user_password_change", args=[controller.pk])
    new = "Overgenomen-wachtwoord-123"
    response = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 403
    controller.refresh_from_db()
    assert controller.check_password(DEMO_PASSWORD) and not controller.check_password(new)


def test_coordinator_cannot_change_another_users_email(client, coordinator, kassier):
    # Whoever sets the address can reset the password through "wachtwoord vergeten".
    client.force_login(coordinator)
    data = user_form(kassier, email="aanvaller@example.org", last_name="Nieuw")
    client.post(reverse("admin:auth_user_change", args=[kassier.pk]), data)
    kassier.refresh_from_db()
    assert kassier.email == "kassier@example.org"
    assert kassier.last_name == "Nieuw"


def test_coordinator_cannot_edit_or_deactivate_a_superuser(client, coordinator, superuser):
    client.force_login(coordinator)
    data = user_form(superuser, is_active="", first_name="Gekaapt")
    response = client.post(reverse("admin:auth_user_change", args=[superuser.pk]), data)
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.first_name == ""


def test_coordinator_cannot_delete_users(client, coordinator, kassier):
    client.force_login(coordinator)
    response = client.post(reverse("admin:auth_user_delete", args=[kassier.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=kassier.pk).exists()


def test_coordinator_has_no_say_over_groups(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    before = Group.objects.count()
    client.post(reverse("admin:auth_group_add"), {"name": "eigen groep", "permissions": []})
    assert Group.objects.count() == before
    assert not coordinator.has_perm("auth.change_group") and not coordinator.has_perm("auth.add_group")


def test_superuser_still_manages_users_fully(client, superuser, kassier):
    client.force_login(superuser)
    data = user_form(kassier, is_staff="on", email="nieuw@example.org")
    response = client.post(reverse("admin:auth_user_change", args=[kassier.pk]), data)
    assert response.status_code == 302
    kassier.refresh_from_db()
    assert kassier.is_staff and kassier.email == "nieuw@example.org"
