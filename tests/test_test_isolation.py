"""The suite can neither harm a real database nor hide a missing piece of CI."""

import pytest
from django.db import connection

from tests import conftest


@pytest.mark.parametrize("name", ["regiodeal", "/srv/regiodeal/db.sqlite3", "productie"])
def test_a_connection_to_a_non_test_database_is_refused(name):
    fake = type("FakeConnection", (), {"settings_dict": {"NAME": name}})()
    with pytest.raises(RuntimeError, match="tests raken alleen de testdatabase"):
        conftest._refuse_non_test_database(sender=None, connection=fake)


@pytest.mark.parametrize(
    "name", ["test_regiodeal_ci", "/tmp/x/test_db.sqlite3", "file:memorydb_default?mode=memory&cache=shared", None]
)
def test_the_test_database_and_the_maintenance_database_are_allowed(name):
    fake = type("FakeConnection", (), {"settings_dict": {"NAME": name}})()
    conftest._refuse_non_test_database(sender=None, connection=fake)  # does not raise


def test_this_session_runs_on_a_test_database():
    assert conftest._is_test_database(connection.settings_dict) is True


def test_under_ci_a_missing_browser_fails_the_run_instead_of_skipping(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(conftest, "_ci_requirements_missing", lambda: ["Debian's chromium (apt-get install chromium)"])
    with pytest.raises(pytest.exit.Exception, match="CI=true maar dit ontbreekt: Debian's chromium"):
        conftest.pytest_sessionstart(session=None)


def test_outside_ci_the_session_starts_whatever_is_missing(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(conftest, "_ci_requirements_missing", lambda: ["axe-core"])
    conftest.pytest_sessionstart(session=None)  # does not exit
