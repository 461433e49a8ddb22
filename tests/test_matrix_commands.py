"""Every management command that writes, run as every persona, against a state where it can succeed.

A command that acts on someone's word takes that user (--user / --gebruiker); each cell runs it
with one persona's username and asserts the database: only the role the rules name succeeds
(the state changed), everyone else gets a Dutch CommandError and the state is as before.
Commands without a user are for whoever runs the server; one test each documents what they do.
"""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command, get_commands, load_command_class

from finance.models import Booking, ImportBatch, Tranche
from finance.workbook import workbook_export, workbook_import
from monitoring.models import Measurement
from projects import roles
from projects.models import Deal, Project, ReminderLog, RoleAssignment
from projects.services_roles import assign_without_review
from tests.conftest import PERSONAS

# Who may run each command that takes a user, on the cleantech deal (README "Roles" and "Commands"):
MAY_RUN = {
    # "the importer must be coordinator of that deal, on the command line too"
    "import_workbook": {"coordinator"},
    # "a controller of the deal who did not import it ... confirms" (the coordinator imported the batch)
    "confirm_import": {"controller"},
    # metingen of deal-level indicators: the coordinator's, not of any project's themalijnmanager or penvoerder
    "import_metingen": {"coordinator"},
}
# Every command of the project's apps, by who answers for what it writes.
COMMANDS = {
    **dict.fromkeys(MAY_RUN, "takes a user"),
    **dict.fromkeys(["assign_role", "send_reminders", "load_demo", "generate_synthetic"], "server owner"),
    **dict.fromkeys(["report", "export_workbook"], "writes a file only"),
}
PROJECT_APPS = {"projects", "finance", "monitoring", "reports"}
NOBODY = "anoniem"  # the anonymous persona has no account: its "username" exists nowhere
DUTCH = re.compile(r"\b(niet|geen|alleen|fout|bestaat)\b", re.IGNORECASE)


def username(personas, persona: str) -> str:
    return personas[persona].username if personas[persona] else NOBODY


def run(command: str, *args) -> str | None:
    """Runs the command; the CommandError's message, or None when it succeeded."""
    try:
        call_command(command, *args, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError as error:
        return str(error)
    return None


def assert_outcome(command: str, persona: str, error: str | None, changed: bool) -> None:
    if persona in MAY_RUN[command]:
        assert error is None and changed, f"{command} door {persona}: {error}"
    else:
        assert error is not None and DUTCH.search(error), f"{command} door {persona} is niet geweigerd"
        assert not changed, f"{command} door {persona} is geweigerd maar heeft toch geschreven"


def options_of(app: str, name: str) -> set[str]:
    parser = load_command_class(app, name).create_parser("manage.py", name)
    return {option for action in parser._actions for option in action.option_strings}


def test_every_command_has_a_rule_and_only_the_user_commands_take_a_user():
    ours = {name: app for name, app in get_commands().items() if app in PROJECT_APPS}
    assert set(ours) == set(COMMANDS), f"Command zonder regel: {sorted(set(ours) - set(COMMANDS))}"
    for name, app in ours.items():
        takes_user = bool(options_of(app, name) & {"--user", "--gebruiker"})
        assert takes_user == (COMMANDS[name] == "takes a user"), name


# --------------------------------------------------------------------------- import_workbook


def changed_workbook(deal, tmp_path, sheet: str, column: str, row_key: str, value, *, extra_rows=()) -> str:
    """The deal's own export with one cell changed (the row whose first column is ``row_key``)."""
    book = openpyxl.load_workbook(io.BytesIO(workbook_export(deal=deal)))
    ws = book[sheet]
    headers = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if str(r[0].value) == row_key) if row_key else None
    if row is not None:
        row[headers.index(column)].value = value
    for extra in extra_rows:
        ws.append([extra.get(h) for h in headers])
    path = tmp_path / "werkmap.xlsx"
    book.save(path)
    return str(path)


@pytest.mark.parametrize("persona", PERSONAS)
def test_import_workbook(persona, personas, deal, tmp_path):
    path = changed_workbook(deal, tmp_path, "projecten", "naam", "1310", "Matrix hernoemd")
    error = run("import_workbook", path, "--user", username(personas, persona))
    renamed = Project.objects.get(deal=deal, code="1310").name == "Matrix hernoemd"
    assert_outcome("import_workbook", persona, error, renamed)


def test_import_workbook_without_user_only_checks(deal, tmp_path):
    path = changed_workbook(deal, tmp_path, "projecten", "naam", "1310", "Matrix hernoemd")
    assert run("import_workbook", path) is None
    assert Project.objects.get(deal=deal, code="1310").name != "Matrix hernoemd"


# --------------------------------------------------------------------------- confirm_import


@pytest.fixture
def waiting_batch(deal, tmp_path, coordinator) -> ImportBatch:
    """A historic payout of 1310 x Rijk, imported by the coordinator, waiting for a controller."""
    payout = {"kenmerk": "MX-1", "project": "1310", "financier": "Rijk", "bedrag": Decimal("1000.00")}
    payout["uitkeringsdatum"] = datetime.date(2023, 5, 1)
    path = changed_workbook(deal, tmp_path, "uitkeringen", "", "", None, extra_rows=[payout])
    with open(path, "rb") as file:
        report = workbook_import(data=file.read(), user=coordinator, commit=True, file_name="werkmap.xlsx")
    assert report.saved and report.batch.status == ImportBatch.Status.WAITING, report.errors
    return report.batch


def confirmed(batch: ImportBatch) -> bool:
    batch.refresh_from_db()
    booked = Booking.objects.filter(deal=batch.deal, kind="uitkering", reference="MX-1").exists()
    assert booked == (batch.status == ImportBatch.Status.CONFIRMED)  # all or nothing
    return booked


@pytest.mark.parametrize("which", ["batch", "--all"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_confirm_import(persona, which, personas, waiting_batch):
    target = str(waiting_batch.pk) if which == "batch" else "--all"
    error = run("confirm_import", target, "--user", username(personas, persona))
    assert_outcome("confirm_import", persona, error, confirmed(waiting_batch))


def test_confirm_import_by_who_imported_is_refused_even_as_controller(deal, coordinator, waiting_batch):
    assign_without_review(deal=deal, user=coordinator, role=roles.CONTROLLER)
    tranches = Tranche.objects.count()
    error = run("confirm_import", str(waiting_batch.pk), "--user", "coordinator")
    assert error and "zelf geïmporteerd" in error
    assert not confirmed(waiting_batch) and Tranche.objects.count() == tranches


# --------------------------------------------------------------------------- import_metingen

METING = ["CTX-INW", "01-01-2023", "", "480000", "", "CBS"]  # a deal-level context indicator


def metingen_file(tmp_path) -> str:
    path = tmp_path / "metingen.csv"
    path.write_text("indicator;datum;periode_vanaf;waarde;tekst;bron\n" + ";".join(METING) + "\n", encoding="utf-8")
    return str(path)


def imported_meting(deal):
    day = datetime.date(2023, 1, 1)
    return Measurement.objects.filter(indicator__deal=deal, indicator__code="CTX-INW", date=day).first()


@pytest.mark.parametrize("persona", PERSONAS)
def test_import_metingen(persona, personas, deal, tmp_path):
    name = username(personas, persona)
    error = run("import_metingen", "cleantech", metingen_file(tmp_path), "--gebruiker", name, "--opslaan")
    meting = imported_meting(deal)
    assert_outcome("import_metingen", persona, error, meting is not None)
    if meting is not None:  # as a concept on the importer's name: the coordinator still approves it
        assert (meting.status, meting.entered_by.username, meting.value) == ("concept", name, Decimal(480000))


def test_import_metingen_without_opslaan_only_checks(deal, tmp_path):
    assert run("import_metingen", "cleantech", metingen_file(tmp_path), "--gebruiker", "coordinator") is None
    assert imported_meting(deal) is None


# --------------------------------------------------------------------------- for whoever runs the server


def test_assign_role_gives_only_the_bootstrap_roles_and_takes_no_user(deal):
    """No --user: whoever can run manage.py owns the server. It grants the first coordinator of a
    deal or the ministry's read-only role, active at once; kassier and controller need the page Rollen."""
    newcomer = User.objects.create_user("nieuwe_coordinator", email="nieuw@example.org")
    assert run("assign_role", "nieuwe_coordinator", "coordinator", "--deal", "cleantech") is None
    newcomer.refresh_from_db()
    assert newcomer.is_staff and newcomer.groups.filter(name=roles.BEHEER_GROUP).exists()
    assert RoleAssignment.objects.get(user=newcomer, deal=deal).status == RoleAssignment.Status.ACTIVE
    for role in (roles.KASSIER, roles.CONTROLLER):
        assert run("assign_role", "nieuwe_coordinator", role, "--deal", "cleantech") is not None
    assert run("assign_role", "nieuwe_coordinator", "ministerie", "--deal", "cleantech") is not None
    assert set(RoleAssignment.objects.filter(user=newcomer).values_list("role", flat=True)) == {roles.COORDINATOR}


def test_send_reminders_writes_its_log_once(deal, mailoutbox, settings):
    settings.REMINDER_DAYS_BEFORE = 7
    today = "2023-02-22"  # seven days before the deadline of demo period 2022-2
    assert run("send_reminders", "--today", today) is None
    sent = ReminderLog.objects.count()
    assert sent > 0 and len(mailoutbox) == sent
    assert run("send_reminders", "--today", today) is None
    assert ReminderLog.objects.count() == sent and len(mailoutbox) == sent


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Deal, Project, Booking, Tranche, Measurement, User, RoleAssignment))


def test_load_demo_again_changes_nothing(deal):
    before = counts()
    assert run("load_demo") is None
    assert counts() == before


def test_generate_synthetic_adds_its_deals_and_no_users(deal):
    before = counts()
    assert run("generate_synthetic", "--deals", "1", "--projects-per-deal", "2", "--bookings-per-project", "4",
               "--seed", "77") is None  # fmt: skip
    assert Deal.objects.filter(code="synth-77-1").exists()
    assert counts()[0] == before[0] + 1 and counts()[5:] == before[5:]


def test_report_and_export_write_a_file_and_nothing_in_the_database(deal, tmp_path):
    before = counts()
    assert run("report", "cleantech", "--format", "json", "--output", str(tmp_path / "r.json")) is None
    assert run("export_workbook", "cleantech", "--output", str(tmp_path / "w.xlsx")) is None
    assert counts() == before
    assert (tmp_path / "r.json").stat().st_size > 0 and (tmp_path / "w.xlsx").stat().st_size > 0
