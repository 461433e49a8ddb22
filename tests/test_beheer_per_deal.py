"""Beheer is scoped per deal: a coordinator sees and edits the records and people of their
own deals only, and cannot point a record at another deal with a forged id (issue 10, item 5)."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from finance.models import Funder
from projects.models import ActionLine, Deal, Programme, Project


@pytest.fixture
def second_deal(db) -> Deal:
    return Deal.objects.exclude(code="cleantech").get(role_assignments__user__username="coordinator_b")


@pytest.fixture
def beheer(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.mark.parametrize(
    "model,changelist",
    [
        (Project, "admin:projects_project_changelist"),
        (Programme, "admin:projects_programme_changelist"),
        (Funder, "admin:finance_funder_changelist"),
    ],
)
def test_lists_show_only_the_coordinators_deal(beheer, deal, second_deal, model, changelist):
    response = beheer.get(reverse(changelist))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].queryset}
    assert shown == set(model.objects.filter(deal=deal).values_list("pk", flat=True))


def test_another_deals_project_cannot_be_opened(beheer, second_deal):
    project = second_deal.projects.first()
    response = beheer.get(reverse("admin:projects_project_change", args=[project.pk]))
    assert response.status_code == 302  # Django's "does not exist" redirect to the index
    assert beheer.get(response["Location"], follow=True).status_code == 200


def test_another_deals_project_cannot_be_changed_by_post(beheer, second_deal):
    project = second_deal.projects.first()
    beheer.post(reverse("admin:projects_project_change", args=[project.pk]), {"name": "Gekaapt"})
    project.refresh_from_db()
    assert project.name != "Gekaapt"


def test_a_forged_deal_id_in_a_new_record_is_an_invalid_choice(beheer, deal, second_deal):
    response = beheer.post(
        reverse("admin:projects_actionline_add"), {"deal": second_deal.pk, "code": "9", "name": "Ingeschoven"}
    )
    assert response.status_code == 200
    assert "deal" in response.context["adminform"].form.errors
    assert not ActionLine.objects.filter(name="Ingeschoven").exists()


def test_only_the_superuser_adds_a_deal(beheer):
    assert beheer.get(reverse("admin:projects_deal_add")).status_code == 403


def test_users_of_other_deals_are_not_listed(beheer):
    response = beheer.get(reverse("admin:auth_user_changelist"))
    names = {u.username for u in response.context["cl"].queryset}
    assert "kassier" in names and "kassier_b" not in names


def test_another_deals_user_cannot_be_opened(beheer):
    other = User.objects.get(username="kassier_b")
    assert beheer.get(reverse("admin:auth_user_change", args=[other.pk])).status_code == 302


def test_theme_manager_choices_are_the_deals_people(beheer, deal):
    programme = deal.programmes.first()
    response = beheer.get(reverse("admin:projects_programme_change", args=[programme.pk]))
    choices = {u.username for u in response.context["adminform"].form.fields["theme_managers"].queryset}
    assert "themalijnmanager" in choices and "themalijnmanager_b" not in choices
