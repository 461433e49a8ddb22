import pytest
from django.urls import reverse

from projects.demo import DEMO_PASSWORD, DEMO_USERS


@pytest.mark.parametrize("username", list(DEMO_USERS))
def test_each_demo_role_can_log_in_and_sees_its_start_page(client, deal, username):
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.context["user"].username == username
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Welkom" in response.content.decode()


def test_start_page_differs_per_role(client_for, coordinator, kassier, steering, theme_manager):
    def titles(user):
        response = client_for(user).get(reverse("home"))
        return [section.title for section in response.context["sections"]]

    assert titles(coordinator) == ["Coördinatie"]
    assert titles(kassier) == ["Kas"]
    assert titles(steering) == ["Stuurgroep"]
    assert titles(theme_manager) == ["Mijn projecten"]


def test_theme_manager_start_page_lists_own_projects_only(client_for, theme_manager):
    response = client_for(theme_manager).get(reverse("home"))
    links = [label for label, _ in response.context["sections"][0].links]
    assert any(label.startswith("1110") for label in links)
    assert not any(label.startswith("2110") for label in links)


def test_wrong_password_gives_dutch_message(client, deal):
    response = client.post(reverse("login"), {"username": "kassier", "password": "fout"})
    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord klopt niet" in response.content.decode()


def test_anonymous_user_is_sent_to_login(client, deal):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_role_is_told_so(client_for, outsider):
    response = client_for(outsider).get(reverse("home"))
    assert "Uw account heeft nog geen rol" in response.content.decode()


def test_password_change_page_is_dutch(client_for, kassier):
    response = client_for(kassier).get(reverse("password_change"))
    assert response.status_code == 200
    assert "Wachtwoord wijzigen" in response.content.decode()


def test_coordinator_can_open_beheer_and_add_a_project(client_for, coordinator):
    client = client_for(coordinator)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:projects_project_add")).status_code == 200
    assert client.get(reverse("admin:finance_booking_changelist")).status_code == 200


def test_nobody_can_delete_a_booking_in_beheer(client_for, coordinator, deal):
    booking = deal.bookings.first()
    response = client_for(coordinator).get(reverse("admin:finance_booking_delete", args=[booking.pk]))
    assert response.status_code == 403


def test_kassier_cannot_open_beheer(client_for, kassier):
    response = client_for(kassier).get(reverse("admin:index"))
    assert response.status_code == 302
