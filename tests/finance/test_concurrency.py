"""Two controllers approving at the same moment never push uitgekeerd past begroot (PostgreSQL only).

SQLite serialises every write, so the race cannot happen there and the test is skipped; run it with
DATABASE_URL=postgres://... . Being transactional, it flushes the database afterwards: the module
fixture loads the demo deal before and again after.
"""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections

from finance import services
from finance.selectors import project_funder_figures
from finance.services import tranche_approve, tranche_register
from projects.models import Project
from tests.conftest import make_user

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writes, so concurrent approvals cannot race there",
)


@pytest.fixture(scope="module")
def restore_demo(django_db_setup, django_db_blocker):
    # django_db_setup first: without it, run alone, this fixture would write the demo deal and
    # its users into the database DATABASE_URL names instead of the test database.
    # Transactional tests (this one, the browser tests) empty the database when they end,
    # and they run in any order among themselves: make sure the demo is there before and after.
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    yield
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_never_exceed_the_budget(restore_demo, monkeypatch):
    from django.contrib.auth.models import User

    # Widen the race window: every approval pauses between reading the figures and booking.
    # Without the lock all four would read the same uitgekeerd and all four would pass.
    read_figures = services.project_funder_figures

    def slow_read(**kwargs):
        figures = read_figures(**kwargs)
        time.sleep(0.3)
        return figures

    monkeypatch.setattr(services, "project_funder_figures", slow_read)

    deal_project = Project.objects.select_related("deal").get(deal__code="cleantech", code="1310")
    rijk = deal_project.deal.funders.get(name="Rijk")
    kassier = User.objects.get(username="kassier")
    controllers = [make_user(f"controller_race_{i}", "controller") for i in range(4)]
    remaining = project_funder_figures(project=deal_project, funder=rijk).nog_uit_te_keren
    assert remaining > 0
    # Each tranche is half of what remains: two fit, four together would double the budget.
    half = (remaining / 2).quantize(Decimal("0.01"))
    tranches = [
        tranche_register(
            project=deal_project,
            funder=rijk,
            amount=half,
            date=date(2023, 5, 1),
            user=kassier,
        )
        for _ in range(4)
    ]
    barrier = threading.Barrier(len(tranches))
    outcomes: list[str] = []

    def approve(tranche, controller):
        try:
            barrier.wait()
            tranche_approve(tranche=tranche, user=controller)
            outcomes.append("goedgekeurd")
        except ValidationError:
            outcomes.append("geweigerd")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=pair) for pair in zip(tranches, controllers, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    after = project_funder_figures(project=deal_project, funder=rijk)
    assert sorted(outcomes) == ["geweigerd", "geweigerd", "goedgekeurd", "goedgekeurd"]
    assert after.uitgekeerd <= after.begroot
