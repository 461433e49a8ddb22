"""Users reset their own password by e-mail, in Dutch, without the page revealing whether an
address has an account (issue 10, item 7)."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from projects.demo import DEMO_PASSWORD

NEW_PASSWORD = "Een-nieuw-wachtwoord-2024"


def ask_reset(email: str):
    client = Client()
    return client.post(reverse("password_reset"), {"email": email})


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/wachtwoord/nieuw/\S+/)", message.body).group(1)


def test_login_page_links_to_password_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") == "/wachtwoord/vergeten/"
    assert 'href="/wachtwoord/vergeten/"' in page and "Wachtwoord vergeten?" in page


def test_reset_page_is_dutch(client):
    page = client.get(reverse("password_reset")).content.decode()
    assert "Wachtwoord vergeten" in page and "Stuur de link" in page


def test_known_and_unknown_addresses_get_the_same_answer(kassier):
    known = ask_reset(kassier.email)
    unknown = ask_reset("niemand@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    done = Client().get(known["Location"]).content.decode()
    assert "Hoort het adres bij een account" in done
    # Only the account holder gets mail.
    assert [m.to for m in mail.outbox] == [[kassier.email]]


def test_mail_is_dutch_and_the_link_sets_a_new_password(kassier):
    ask_reset(kassier.email)
    message = mail.outbox[0]
    assert "wachtwoord" in message.subject and "Beste" in message.body
    client = Client()
    # Django swaps the token for a session key and redirects to .../set-password/.
    form_page = client.get(link_in(message), follow=True)
    assert form_page.status_code == 200 and "Nieuw wachtwoord" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("password_reset_complete")
    kassier.refresh_from_db()
    assert kassier.check_password(NEW_PASSWORD) and not kassier.check_password(DEMO_PASSWORD)


def test_a_used_link_is_refused_in_dutch(kassier):
    ask_reset(kassier.email)
    link = link_in(mail.outbox[0])
    client = Client()
    target = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(target, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(link, follow=True).content.decode()
    assert "niet (meer) geldig" in again


def test_inactive_account_gets_no_mail(kassier):
    kassier.is_active = False
    kassier.save(update_fields=["is_active"])
    response = ask_reset(kassier.email)
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["", "geen-adres"])
def test_a_malformed_address_is_a_form_error_not_a_crash(email):
    response = ask_reset(email)
    assert response.status_code == 200
    assert mail.outbox == []


def test_an_account_without_password_can_set_its_first_one(db):
    # Accounts a coordinator creates in Beheer have no password until their owner sets one.
    user = User.objects.create_user("nieuweling", "nieuweling@example.org")
    assert not user.has_usable_password()
    ask_reset(user.email)
    assert [m.to for m in mail.outbox] == [[user.email]]
