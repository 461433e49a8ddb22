"""Malformed query parameters never make a page fail (issue 10, item 8: ``?periode=abc`` gave 500).

Every URL pattern of the project (the resolver walk of tests/test_permissions.py) is opened
once, as the first persona that may open it, while every query parameter the view reads is
recorded; then each of those parameters gets a handful of bad values, one at a time. On top
of that every parameter name found in the code is sent to every page at once, so a parameter
read only when another one is valid is not missed either. The answer must be a page (with a
message), a redirect, 400 or 404: never 500.
"""

import re
from pathlib import Path

import pytest
from django.core.handlers import wsgi
from django.http import QueryDict
from django.urls import reverse

from tests.url_samples import project_url_names, sample_kwargs

ROOT = Path(__file__).resolve().parent.parent
APPS = ["projects", "finance", "monitoring", "reports", "regiodeal"]
PERSONAS = ["coordinator", "kassier", "controller", "theme_manager", "steering", "lead"]

BAD_VALUES = ["abc", "-1", "99999999999999999999", "2022-13-45", "1e309", "' OR 1=1 --" + "x" * 300]
ALLOWED = {200, 302, 400, 403, 404, 405}

# django-tables2 reads these for every table it configures (sort, page, per_page).
TABLE_PARAMETERS = {"sort", "page", "per_page"}


def parameters_in_code() -> set[str]:
    """Every name read from request.GET in the apps, and every filter of their FilterSets."""
    names = set(TABLE_PARAMETERS)
    read = re.compile(r"request\.GET(?:\.get|\.getlist)?\(?\[?\s*[\"']([\w-]+)[\"']")
    for app in APPS:
        for source in (ROOT / app).rglob("*.py"):
            names |= set(read.findall(source.read_text(encoding="utf-8")))
    from finance import filters

    for value in vars(filters).values():
        if isinstance(value, type) and hasattr(value, "base_filters"):
            names |= set(value.base_filters)
    return names


class RecordingQueryDict(QueryDict):
    """request.GET that notes which keys a view looks at."""

    seen: set[str] = set()

    def __getitem__(self, key):
        self.seen.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.seen.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.seen.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.seen.add(key)
        return super().__contains__(key)


def url_cases():
    return project_url_names()


@pytest.fixture
def recording(monkeypatch):
    # WSGIRequest builds request.GET from the QueryDict name in its own module; POST is untouched.
    monkeypatch.setattr(wsgi, "QueryDict", RecordingQueryDict)
    RecordingQueryDict.seen = set()
    return RecordingQueryDict


def first_persona_that_opens(client, request, url) -> str | None:
    for persona in PERSONAS:
        client.force_login(request.getfixturevalue(persona))
        if client.get(url).status_code < 400:
            return persona
    return None


def test_the_code_reads_the_parameters_the_attack_run_tried():
    assert {"periode", "ijkdatum", "tot", "page", "sort", "project"} <= parameters_in_code()


@pytest.mark.parametrize("name,kwarg_names", url_cases(), ids=[n for n, _ in url_cases()])
def test_malformed_query_parameters_never_give_500(client, request, deal, recording, name, kwarg_names):
    client.raise_request_exception = False
    url = reverse(name, kwargs=sample_kwargs(name, kwarg_names, deal))
    if first_persona_that_opens(client, request, url) is None:
        pytest.skip(f"{url}: geen persona opent deze pagina met GET")
    recording.seen = set()
    # A harmless parameter, so that views that only bind their filters to a non-empty GET do so.
    client.get(url, {"_": "1"})
    read = recording.seen - {"_"}
    failures = []
    for parameter in sorted(read):
        for value in BAD_VALUES:
            status = client.get(url, {parameter: value}).status_code
            if status not in ALLOWED:
                failures.append((parameter, value[:20], status))
    everything = parameters_in_code() | read
    for value in BAD_VALUES:
        status = client.get(url, dict.fromkeys(everything, value)).status_code
        if status not in ALLOWED:
            failures.append(("<alle>", value[:20], status))
    assert failures == [], f"{url} (leest {sorted(read)}): {failures}"
