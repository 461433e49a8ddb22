"""What the attack run found, closed with a regression test each (issue 10, item 8).

The malformed query parameters have their own walk over every page: tests/test_query_fuzz.py.
"""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from finance.forms import TrancheForm
from finance.models import Funder, Tranche
from projects.demo import DEMO_PASSWORD
from projects.models import Organisation, Project, ReportingPeriod
from reports import exports
from reports.models import PublishedReport
from reports.services import data_version, report_publish

# A tranchenummer out of range is a form error, not a DataError.


def tranche_form(deal, **changes) -> TrancheForm:
    data = {
        "project": Project.objects.get(deal=deal, code="1310").pk,
        "funder": Funder.objects.get(deal=deal, name="Rijk").pk,
        "amount": "100.00",
        "date": "2023-05-01",
        "number": "99999999",
        **changes,
    }
    return TrancheForm(data, projects=Project.objects.filter(deal=deal), funders=Funder.objects.filter(deal=deal))


def test_tranche_number_out_of_range_is_a_form_error(deal):
    form = tranche_form(deal)
    assert not form.is_valid()
    assert form.errors["number"] == ["Een tranchenummer is hoogstens 32767."]
    assert tranche_form(deal, number="32767").is_valid()


def test_tranche_number_out_of_range_in_the_browser_writes_nothing(client_for, kassier, deal):
    before = Tranche.objects.count()
    url = reverse("finance:tranche-register", args=[deal.code])
    data = {**tranche_form(deal).data, "bewijs-TOTAL_FORMS": "0", "bewijs-INITIAL_FORMS": "0"}
    data.update({"voorwaarde-TOTAL_FORMS": "0", "voorwaarde-INITIAL_FORMS": "0"})
    response = client_for(kassier).post(url, data)
    assert response.status_code == 200
    assert "Een tranchenummer is hoogstens 32767." in response.content.decode()
    assert Tranche.objects.count() == before


# Login is throttled per address across user names too.


def fail_login(client, username):
    return client.post(reverse("login"), {"username": username, "password": "fout"})


@pytest.fixture
def throttle(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 20
    return settings


def test_many_user_names_from_one_address_are_locked_out(throttle, deal):
    # The attack run: 4 tries per name (under the per-name limit of 5) over many names.
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    answers = [fail_login(attacker, f"gebruiker{n}").status_code for n in range(5) for _ in range(4)]
    assert answers[:19] == [200] * 19
    assert answers[19] == 429
    # Locked: even a right password for another account is refused from this address.
    right = attacker.post(reverse("login"), {"username": "kassier", "password": DEMO_PASSWORD})
    assert right.status_code == 429
    # Another address is not affected.
    other = Client(REMOTE_ADDR="198.51.100.1")
    assert other.post(reverse("login"), {"username": "kassier", "password": DEMO_PASSWORD}).status_code == 302


def test_a_successful_login_does_not_reset_the_address_count(throttle, deal):
    attacker = Client(REMOTE_ADDR="203.0.113.8")
    for n in range(19):
        assert fail_login(attacker, f"naam{n}").status_code == 200
    # The attacker's own valid account logs in: that clears its own failures, not the address's.
    assert attacker.post(reverse("login"), {"username": "kassier", "password": DEMO_PASSWORD}).status_code == 302
    attacker.logout()
    assert fail_login(attacker, "naam-laatste").status_code == 429


def test_one_user_name_is_still_locked_after_five_failures(throttle, deal):
    client = Client(REMOTE_ADDR="203.0.113.9")
    answers = [fail_login(client, "controller").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]


def test_behind_a_proxy_the_client_address_counts(settings, rf):
    from regiodeal.login_throttle import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50", REMOTE_ADDR="10.0.0.1")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
    # One proxy: the address it appended, not what the client itself put in front.
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.50"


# Cache-Control: no-store for authenticated responses; Permissions-Policy everywhere.


def test_authenticated_pages_and_downloads_are_not_stored(client_for, coordinator, deal):
    client = client_for(coordinator)
    for url in (
        reverse("home"),
        reverse("finance:deal-overview", args=[deal.code]),
        reverse("reports:report-export", args=[deal.code, "json"]),
        reverse("finance:workbook-export", args=[deal.code]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_anonymous_pages_carry_a_permissions_policy(client):
    response = client.get(reverse("login"))
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_every_response_has_a_permissions_policy(client_for, coordinator, deal):
    client = client_for(coordinator)
    for url in (reverse("home"), "/bestaat-niet/", reverse("reports:report-export", args=[deal.code, "json"])):
        assert "camera=()" in client.get(url)["Permissions-Policy"], url


# A published file whose bytes no longer match its SHA-256 is not served.


@pytest.fixture
def published(deal, coordinator, monkeypatch) -> PublishedReport:
    monkeypatch.setattr(exports, "pdf_bytes", lambda data: b"%PDF-1.7 gepubliceerd")
    period = ReportingPeriod.objects.get(deal=deal, name="2022-1")
    return report_publish(deal=deal, as_of=date(2022, 7, 1), period=period, user=coordinator)


def download(client, published, fmt):
    url = reverse("reports:published-download", args=[published.deal.code, published.version, fmt])
    return client.get(url)


def test_an_intact_published_file_is_served_with_its_sha256(client_for, coordinator, published):
    response = download(client_for(coordinator), published, "pdf")
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 gepubliceerd"
    assert response["X-Content-SHA256"] == published.pdf_sha256


def test_a_published_file_that_changed_is_refused(client_for, coordinator, published):
    # PublishedReport.save refuses changes; a restore or a hand in the database does not ask.
    PublishedReport.objects.filter(pk=published.pk).update(pdf=b"%PDF-1.7 vervalst")
    client = client_for(coordinator)
    response = download(client, published, "pdf")
    assert response.status_code == 409
    page = response.content.decode()
    assert "SHA-256" in page and "niet meer hetzelfde" in page
    assert b"vervalst" not in response.content
    assert "attachment" not in response.get("Content-Disposition", "")
    # The JSON of the same version is intact and still served.
    assert download(client, published, "json").status_code == 200


# The live PDF's fingerprint includes organisations.


def test_live_pdf_fingerprint_changes_when_an_organisation_is_renamed(deal):
    def version():
        return data_version(deal=deal, as_of=date(2022, 7, 1), period=None)

    before = version()
    lead = Project.objects.filter(deal=deal, lead_organisation__isnull=False).first().lead_organisation
    Organisation.objects.filter(pk=lead.pk).update(name=f"{lead.name} (nieuwe naam)")
    after_lead = version()
    assert after_lead != before
    Organisation.objects.filter(pk=deal.kassier_organisation_id).update(name="Andere kassier")
    assert version() != after_lead


def test_live_pdf_fingerprint_ignores_organisations_of_other_deals(deal):
    before = data_version(deal=deal, as_of=date(2022, 7, 1), period=None)
    Organisation.objects.create(name="Los van deze deal")
    assert data_version(deal=deal, as_of=date(2022, 7, 1), period=None) == before
