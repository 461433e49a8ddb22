"""Shared fixtures: the demo deal (loaded once per test session) and one persona per role.

Personas follow the house style: a themalijnmanager of programme A (the demo one, on
actielijn Cleantech Werkt) and one of programme B (Groene Groei), a penvoerder of a project
and one of another project, and an outsider without a role.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.backends.signals import connection_created

from projects import roles
from projects.demo import DEMO_PASSWORD
from projects.models import Deal, Project
from projects.services_roles import assign_without_review

AXE_CORE = Path(__file__).resolve().parent / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
SEED_CHECKER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "check_report_json.py"


def _ci_requirements_missing() -> list[str]:
    """What a CI run needs and this machine lacks: there a missing piece fails, never skips."""
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL=postgres://...)")
    if not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        missing.append("Debian's chromium (apt-get install chromium)")
    if not AXE_CORE.exists():
        missing.append("axe-core (npm install --prefix tests/e2e)")
    if not SEED_CHECKER.exists():
        missing.append(f"the shared seed checker ({SEED_CHECKER})")
    return missing


def pytest_configure(config):
    from django.conf import settings

    # Hashing a password the production way costs a third of a second; the suite creates
    # hundreds of users. Logging in is tested all the same, only with a cheap hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_sessionstart(session):
    if os.environ.get("CI") == "true" and (missing := _ci_requirements_missing()):
        pytest.exit(f"CI=true maar dit ontbreekt: {', '.join(missing)}", returncode=3)


def _is_test_database(settings_dict: dict) -> bool:
    name = str(settings_dict.get("NAME") or "")
    in_memory = "memorydb" in name or ":memory:" in name or "mode=memory" in name
    # Without a name (or "postgres") Django reaches the server's maintenance database to create the test one.
    return in_memory or Path(name).name.startswith("test_") or name in ("", "None", "postgres")


def _refuse_non_test_database(sender, connection, **kwargs):
    if not _is_test_database(connection.settings_dict):
        raise RuntimeError(
            f"Een test opende database {connection.settings_dict.get('NAME')!r}: tests raken alleen de "
            "testdatabase (een fixture die de database gebruikt moet van django_db_setup afhangen)."
        )


# Whatever order or subset of tests runs, none may write into the database DATABASE_URL names
# (it could be production): every connection must be to the test database.
connection_created.connect(_refuse_non_test_database, dispatch_uid="tests-only-test-database")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # pytest-django orders tests by whether they use the database, judged from their
    # fixtures; a test that reaches a persona through request.getfixturevalue() looks
    # database-free and would run after the transactional tests have emptied the database.
    # Marking every non-transactional test as a database test keeps the order right.
    for item in items:
        fixtures = getattr(item, "fixturenames", [])
        if item.get_closest_marker("django_db") or "transactional_db" in fixtures or "live_server" in fixtures:
            continue
        item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The demo deal is the richest data set we have; load it once, tests roll back on top.
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def deal(db) -> Deal:
    return Deal.objects.get(code="cleantech")


def make_user(username: str, *role_names: str, deal: Deal | None = None) -> User:
    """A user with these roles in ``deal`` (the demo deal when not given)."""
    user = User.objects.create_user(username=username, password=DEMO_PASSWORD, email=f"{username}@example.org")
    if role_names:
        deal = deal or Deal.objects.get(code="cleantech")
        for name in role_names:
            assign_without_review(deal=deal, user=user, role=name)
    return user


@pytest.fixture
def coordinator(db) -> User:
    return User.objects.get(username="coordinator")


@pytest.fixture
def theme_manager(db) -> User:
    """The demo themalijnmanager: writes for actielijn Cleantech Werkt (1100–1300)."""
    return User.objects.get(username="themalijnmanager")


@pytest.fixture
def other_theme_manager(deal) -> User:
    """A themalijnmanager of programme 2100 (Groene Groei) only."""
    user = make_user("tlm_groene_groei", roles.THEME_MANAGER)
    deal.programmes.get(code="2100").theme_managers.add(user)
    return user


@pytest.fixture
def kassier(db) -> User:
    return User.objects.get(username="kassier")


@pytest.fixture
def controller(db) -> User:
    return User.objects.get(username="controller")


@pytest.fixture
def second_controller(db) -> User:
    return make_user("controller2", roles.CONTROLLER)


@pytest.fixture
def steering(db) -> User:
    return User.objects.get(username="stuurgroep")


@pytest.fixture
def lead(db) -> User:
    """The demo penvoerder of project 1310."""
    return User.objects.get(username="penvoerder")


@pytest.fixture
def other_lead(deal) -> User:
    user = make_user("penvoerder_2110", roles.LEAD)
    Project.objects.get(deal=deal, code="2110").lead_users.add(user)
    return user


@pytest.fixture
def outsider(db) -> User:
    return make_user("buitenstaander")


@pytest.fixture
def client_for(client):
    """client_for(user) logs the test client in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


# The nine personas of the permission matrices, keyed as in their rule tables. The object
# under test always belongs to project 1310 (programme 1300): "own" personas manage or lead it.
PERSONAS = [
    "anonymous",
    "coordinator",
    "tlm_own",
    "tlm_other",
    "kassier",
    "controller",
    "stuurgroep",
    "lead_own",
    "lead_other",
]


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
