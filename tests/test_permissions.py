"""The URL x role matrix: every URL pattern of the project, for every persona, GET and POST.

The patterns come from the URL resolver, so a new view cannot be forgotten: a pattern that
is missing from EXPECTED fails the test. The object in each URL belongs to project 1310
(programme 1300, actielijn Cleantech Werkt): the demo themalijnmanager manages it, the demo
penvoerder leads it; the "other" personas manage/lead something else.

To see what the portal answers now (when adding a view), run
    PERMISSION_MATRIX_PRINT=1 pytest tests/test_permissions.py -s
and review every cell before copying it into tests/permission_table.py.
"""

import os

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permission_table import EXPECTED, PERSONAS, sample_kwargs

ADMIN_NAMESPACE = "admin"


def iter_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def project_url_names() -> list[tuple[str, list[str]]]:
    """(url name, its keyword arguments) for every named pattern outside the admin."""
    seen = {}
    for name, pattern in iter_patterns():
        if name.startswith(f"{ADMIN_NAMESPACE}:"):
            continue
        seen.setdefault(name, sorted(pattern.pattern.regex.groupindex))
    return sorted(seen.items())


def test_every_url_pattern_is_in_the_table():
    missing = [name for name, _ in project_url_names() if name not in EXPECTED]
    stale = [name for name in EXPECTED if name not in dict(project_url_names())]
    assert missing == [], f"Nieuwe URL's zonder verwachte rechten in tests/permission_table.py: {missing}"
    assert stale == [], f"Verouderde regels in tests/permission_table.py: {stale}"


@pytest.fixture
def personas(deal, coordinator, theme_manager, other_theme_manager, kassier, controller, steering, lead, other_lead):
    return {
        "anonymous": None,
        "coordinator": coordinator,
        "tlm_own": theme_manager,
        "tlm_other": other_theme_manager,
        "kassier": kassier,
        "controller": controller,
        "stuurgroep": steering,
        "lead_own": lead,
        "lead_other": other_lead,
    }


def answers(client, personas, name, kwarg_names, deal):
    url = reverse(name, kwargs=sample_kwargs(name, kwarg_names, deal))
    result = {}
    for persona in PERSONAS:
        client.logout()
        if personas[persona] is not None:
            client.force_login(personas[persona])
        get = client.get(url).status_code
        post = client.post(url, {}).status_code
        result[persona] = (get, post)
    return url, result


@pytest.mark.parametrize("name,kwarg_names", project_url_names(), ids=[n for n, _ in project_url_names()])
def test_url_answers_each_persona_as_expected(client, personas, deal, name, kwarg_names):
    url, got = answers(client, personas, name, kwarg_names, deal)
    if os.environ.get("PERMISSION_MATRIX_PRINT"):
        print(f"    {name!r}: {{{', '.join(f'{p!r}: {got[p]}' for p in PERSONAS)}}},")
    expected = EXPECTED.get(name)
    assert expected is not None, f"{name} ontbreekt in tests/permission_table.py"
    wrong = {p: {"verwacht": expected[p], "kreeg": got[p]} for p in PERSONAS if expected[p] != got[p]}
    assert wrong == {}, f"{url}: {wrong}"


@pytest.mark.parametrize("persona", ["kassier", "controller", "stuurgroep", "tlm_own", "lead_own"])
@pytest.mark.parametrize(
    "name", ["admin:index", "admin:projects_project_changelist", "admin:finance_booking_changelist"]
)
def test_beheer_is_closed_to_everyone_but_the_coordinator(client, personas, persona, name):
    # Beheer (the Django admin) has its own staff check; only the coordinator is staff.
    client.force_login(personas[persona])
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/beheer/login/" in response["Location"]
