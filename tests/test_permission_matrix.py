"""The URL matrix that can fail: every URL pattern (named or not, every file format) x every
persona x GET and POST, each cell in its own transaction, against an object in the state
where the action is possible, with a valid POST, asserting what changed.

Who may do what comes from the rules per role in tests/matrix/rules.py (written from the
README and shared/DOMAIN.md); how to reach each URL comes from tests/matrix/scenarios_*.py.
A URL without a scenario fails test_every_url_pattern_has_a_scenario.
"""

from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS
from tests.matrix import scenarios_finance, scenarios_pages, scenarios_work  # noqa: F401 - they register
from tests.matrix.registry import LOGGED_IN, PUBLIC, SCENARIOS, Scenario
from tests.matrix.rules import may

LOGIN_PATH = "/inloggen/"
REFUSED = (403, 404)


def iter_patterns(resolver=None, namespace="", prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_patterns(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            yield (f"{namespace}{entry.name}" if entry.name else route), route


def portal_patterns() -> dict[str, str]:
    """name (or, without a name, the route) -> route, for every pattern outside Beheer."""
    return {name: route for name, route in iter_patterns() if not route.startswith("beheer/")}


def test_every_url_pattern_has_a_scenario():
    covered = {entry.name for entry in SCENARIOS.values()}
    missing = sorted(set(portal_patterns()) - covered)
    stale = sorted(covered - set(portal_patterns()))
    assert missing == [], f"URL's zonder scenario in tests/matrix: {missing}"
    assert stale == [], f"Scenario's zonder URL: {stale}"


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def allowed(persona: str, ability: str, entry: Scenario, *, on_sample: bool) -> bool:
    if ability == PUBLIC:
        return True
    if ability == LOGGED_IN:
        return persona != "anonymous"
    return may(persona, ability, on_sample=on_sample)


def to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PATH)


def check_get(client, url: str, persona: str, entry: Scenario) -> None:
    response = client.get(url)
    if entry.get is None:
        assert to_login(response) if persona == "anonymous" else response.status_code == 405
    elif allowed(persona, entry.get, entry, on_sample=not entry.form_chooses_object):
        assert response.status_code in entry.get_ok, f"{persona} mag openen, kreeg {response.status_code}"
    elif persona == "anonymous":
        assert to_login(response), f"anoniem niet naar inloggen: {response.status_code}"
    else:
        assert response.status_code in REFUSED, f"{persona} mag niet openen, kreeg {response.status_code}"


def upload_files(cell) -> dict:
    return {name: SimpleUploadedFile(filename, content) for name, (filename, content) in cell.files.items()}


def check_post(client, url: str, persona: str, entry: Scenario, cell) -> None:
    if cell.before_post is not None:
        cell.before_post(client)
    before = cell.observe()
    response = client.post(url, {**cell.payload, **upload_files(cell)})
    after = cell.observe()
    if entry.post is not None and allowed(persona, entry.post, entry, on_sample=True):
        assert response.status_code in entry.post_ok, f"{persona} mag posten, kreeg {response.status_code}"
        if entry.post_changes:
            assert after != before, f"{persona} mag het, maar er veranderde niets"
        return
    assert after == before, f"{persona} mag het niet, maar het veranderde: {before!r} -> {after!r}"
    if persona == "anonymous" and entry.post != PUBLIC:
        assert to_login(response)
    elif entry.post is None:
        assert response.status_code == 405
    elif entry.form_chooses_object and may(persona, entry.post, on_sample=False):
        # The form is theirs, the object is not: the form comes back with the reason.
        assert response.status_code in (200, 400), response.status_code
    else:
        assert response.status_code in REFUSED, f"{persona} mag niet posten, kreeg {response.status_code}"


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    # Documents and pending uploads of the cells go to a temporary folder, not the project's media/.
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def cheap_pdf(monkeypatch):
    # The matrix tests who may reach a PDF, not WeasyPrint: a stub keeps 9 personas x formats fast.
    monkeypatch.setattr("reports.pdf.html_to_pdf", lambda html: b"%PDF-1.4 matrix")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("key", sorted(SCENARIOS))
def test_cell(client, deal, personas, key, persona):
    entry = SCENARIOS[key]
    cell = entry.prepare(deal, personas)
    url = reverse(entry.name, kwargs=cell.kwargs) + (f"?{cell.query}" if cell.query else "")
    if personas[persona] is not None:
        client.force_login(personas[persona])
    if entry.fixed is not None:
        expected = entry.fixed["anonymous" if persona == "anonymous" else "logged_in"]
        assert (client.get(url).status_code, client.post(url, {}).status_code) == expected
        return
    with rolled_back():
        check_get(client, url, persona, entry)
    with rolled_back():
        check_post(client, url, persona, entry, cell)


TEAM_OF_ANOTHER_DEAL = ["coordinator_b", "themalijnmanager_b", "kassier_b", "controller_b", "stuurgroep_b"]


# Pages of one deal (its code in the URL); the start pages only ever list the user's own deals.
DEAL_PAGES = sorted(key for key, entry in SCENARIOS.items() if "deal_code" in portal_patterns().get(entry.name, ""))


@pytest.mark.parametrize("key", DEAL_PAGES)
def test_the_team_of_another_deal_is_refused_with_a_valid_post(client, deal, personas, key):
    # Each cell prepared as for this deal's own team, so the POST would work for them.
    from django.contrib.auth.models import User

    entry = SCENARIOS[key]
    cell = entry.prepare(deal, personas)
    url = reverse(entry.name, kwargs=cell.kwargs) + (f"?{cell.query}" if cell.query else "")
    for username in TEAM_OF_ANOTHER_DEAL:
        client.force_login(User.objects.get(username=username))
        if entry.get not in (PUBLIC, LOGGED_IN) and entry.get is not None:
            with rolled_back():
                assert client.get(url).status_code in REFUSED, f"{username} opende {url}"
        with rolled_back():
            if cell.before_post is not None:
                cell.before_post(client)
            before = cell.observe()
            response = client.post(url, {**cell.payload, **upload_files(cell)})
            assert cell.observe() == before, f"{username} veranderde iets via {url}"
            if entry.post not in (PUBLIC, LOGGED_IN):
                assert response.status_code in (*REFUSED, 405), f"{username} POST {url}: {response.status_code}"
