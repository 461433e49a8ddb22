"""Historic payouts by import, still with four eyes: held in a batch until a second person confirms."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from finance.findings import deal_findings
from finance.import_batches import batch_confirm, batch_reject
from finance.models import Booking, ImportBatch, Tranche
from finance.selectors import deal_figures, project_funder_figures
from finance.workbook import workbook_export, workbook_import
from projects.models import Decision, Project
from projects.roles import CONTROLLER
from projects.services_roles import assign_without_review

pytestmark = pytest.mark.django_db
PAID = datetime.date(2023, 5, 1)
# Everything the demo deal ever paid out: Tabel 3/6's 2.816.127 + 4.411.722 + 818.560 = 8.046.409 by the
# ijkdatum, then the first tranches of 2180, 2210 and 2110 (100.000 each) and 2220 (200.000): 8.546.409.
DEMO_UITGEKEERD = Decimal("8546409.00")
# 1310 x Rijk (fixtures/cleantech.json): begroot 143.751, uitgekeerd 102.345: 41.406 still to pay.
ROOM_1310_RIJK = Decimal("41406.00")


@pytest.fixture
def cell(deal):
    """Project 1310 x Rijk and its figures before any import."""
    project = Project.objects.get(deal=deal, code="1310")
    funder = deal.funders.get(name="Rijk")
    figures = project_funder_figures(project=project, funder=funder)
    assert (figures.begroot, figures.uitgekeerd) == (Decimal("143751.00"), Decimal("102345.00"))
    return project, funder, figures


@pytest.fixture
def decision(deal, coordinator) -> Decision:
    return Decision.objects.create(
        deal=deal, number="SG-2023-09", date=datetime.date(2023, 3, 1), text="Extra voor 1310", created_by=coordinator
    )


def payout_row(kenmerk: str, amount, *, reason: str = "", decision: str = "") -> dict:
    return {
        "kenmerk": kenmerk,
        "project": "1310",
        "financier": "Rijk",
        "bedrag": Decimal(amount),
        "uitkeringsdatum": PAID,
        "reden overschrijding": reason,
        "besluit overschrijding": decision,
    }


def deal_workbook(deal, *rows: dict) -> bytes:
    """The deal's own export with these uitkeringen added (everything else is unchanged)."""
    wb = load_workbook(io.BytesIO(workbook_export(deal=deal)))
    ws = wb["uitkeringen"]
    headers = [c.value for c in ws[1]]
    for row in rows:
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def imported(deal, user, *rows) -> ImportBatch:
    report = workbook_import(data=deal_workbook(deal, *rows), user=user, commit=True, file_name="historie.xlsx")
    assert report.saved, [str(e) for e in report.errors]
    return report.batch


def uitgekeerd(deal) -> Decimal:
    return deal_figures(deal=deal, as_of=datetime.date.max).total.total.uitgekeerd


def test_payouts_count_nowhere_until_a_controller_confirms_and_then_count_once(deal, coordinator, controller, cell):
    assert uitgekeerd(deal) == DEMO_UITGEKEERD
    bookings, tranches = Booking.objects.count(), Tranche.objects.count()

    batch = imported(deal, coordinator, payout_row("H-1", "1000.00"), payout_row("H-2", "500.00"))

    assert (batch.status, batch.payout_count, batch.payout_total) == ("wacht", 2, Decimal("1500.00"))
    assert batch.uploaded_by == coordinator and len(batch.sha256) == 64 and batch.file_name == "historie.xlsx"
    assert uitgekeerd(deal) == DEMO_UITGEKEERD
    assert (Booking.objects.count(), Tranche.objects.count()) == (bookings, tranches)

    batch_confirm(batch=batch, user=controller)

    assert uitgekeerd(deal) == Decimal("8547909.00")  # 8.546.409 + 1.000 + 500
    tranche = Tranche.objects.get(booking__reference="H-1", project=cell[0])
    assert (tranche.status, tranche.registered_by, tranche.decided_by) == ("goedgekeurd", coordinator, controller)
    batch.refresh_from_db()
    assert (batch.status, batch.decided_by) == ("bevestigd", controller)
    # Importing the same workbook again recognises the confirmed payouts by their kenmerk.
    again = workbook_import(data=deal_workbook(deal), user=coordinator, commit=True)
    assert again.errors == [] and again.batch is None and again.total_new == 0


def test_a_payout_waits_in_one_batch_only(deal, coordinator):
    first = imported(deal, coordinator, payout_row("H-1", "1000.00"))
    again = workbook_import(data=deal_workbook(deal, payout_row("H-1", "1000.00")), user=coordinator, commit=True)
    assert again.saved and again.batch is None
    other = workbook_import(data=deal_workbook(deal, payout_row("H-1", "999.00")), user=coordinator, commit=True)
    assert not other.saved and ImportBatch.objects.get() == first
    assert "wacht met andere gegevens al op bevestiging in importbatch" in other.errors[0].message


def test_the_uploader_cannot_confirm_even_when_controller_of_the_deal(deal, coordinator, client_for):
    assign_without_review(deal=deal, user=coordinator, role=CONTROLLER)
    batch = imported(deal, coordinator, payout_row("H-1", "1000.00"))

    with pytest.raises(PermissionDenied, match="zelf geïmporteerd"):
        batch_confirm(batch=batch, user=coordinator)
    client = client_for(coordinator)
    url = reverse("finance:import-batch-confirm", args=[deal.code, batch.pk])
    assert client.post(url, {"sha256": batch.sha256}).status_code == 403
    batch.refresh_from_db()
    assert batch.status == "wacht"


def test_a_kassier_is_no_controller(deal, coordinator, kassier):
    batch = imported(deal, coordinator, payout_row("H-1", "1000.00"))
    with pytest.raises(PermissionDenied, match="Alleen een controller"):
        batch_confirm(batch=batch, user=kassier)


def test_the_controller_of_another_deal_gets_404(deal, coordinator, client_for):
    batch = imported(deal, coordinator, payout_row("H-1", "1000.00"))
    client = client_for(User.objects.get(username="controller_b"))
    detail = reverse("finance:import-batch-detail", args=[deal.code, batch.pk])
    assert client.get(detail).status_code == 404
    for name in ("import-batch-confirm", "import-batch-reject"):
        url = reverse(f"finance:{name}", args=[deal.code, batch.pk])
        assert client.post(url, {"sha256": batch.sha256, "reason": "x"}).status_code == 404
    batch.refresh_from_db()
    assert batch.status == "wacht"


def test_over_budget_without_reason_and_decision_refuses_confirmation_with_the_row(
    deal, coordinator, controller, cell, client_for
):
    # 100 + the 41.406 still to pay: 100 over the budget.
    batch = imported(deal, coordinator, payout_row("H-1", "100.00"), payout_row("H-2", ROOM_1310_RIJK))
    before = Booking.objects.count()

    with pytest.raises(ValidationError) as refused:
        batch_confirm(batch=batch, user=controller)

    assert len(refused.value.messages) == 1
    message = refused.value.messages[0]
    assert message.startswith("Rij ") and "overschrijdt de begroting met €\xa0100,00" in message
    assert "een reden en het besluit dat dit toestaat" in message
    assert Booking.objects.count() == before
    page = client_for(controller).post(
        reverse("finance:import-batch-confirm", args=[deal.code, batch.pk]), {"sha256": batch.sha256}
    )
    assert page.status_code == 400 and "overschrijdt de begroting" in page.content.decode()
    batch.refresh_from_db()
    assert batch.status == "wacht" and Booking.objects.count() == before


def test_over_budget_with_reason_and_decision_confirms_and_shows_as_an_override(
    deal, coordinator, controller, cell, decision
):
    project, _funder, _figures = cell
    excess_amount = Decimal("41656.00")  # the 41.406 still to pay + 250
    batch = imported(deal, coordinator, payout_row("H-1", excess_amount, reason="Extra fase", decision=decision.number))

    batch_confirm(batch=batch, user=controller)

    tranche = Tranche.objects.get(booking__reference="H-1", project=project)
    assert (tranche.override_reason, tranche.override_decision) == ("Extra fase", decision)
    findings = deal_findings(deal=deal, as_of=datetime.date.max, today=datetime.date.today())
    overrides = [(f.project.code, f.funder.name, f.amount) for f in findings if f.soort == "tranche_overschrijding"]
    assert overrides == [("1310", "Rijk", excess_amount)]  # the demo itself approved nothing over budget


def test_an_unknown_decision_number_is_a_located_error(deal, coordinator):
    report = workbook_import(
        data=deal_workbook(deal, payout_row("H-1", "1", reason="x", decision="SG-404")), user=coordinator, commit=True
    )
    assert not report.saved and not ImportBatch.objects.exists()
    error = report.errors[0]
    assert (error.sheet, error.column) == ("uitkeringen", "besluit overschrijding") and error.row
    assert "SG-404" in error.message


def test_reject_needs_a_reason_and_leaves_nothing_counted(deal, coordinator, controller):
    batch = imported(deal, coordinator, payout_row("H-1", "1000.00"))
    with pytest.raises(ValidationError, match="reden"):
        batch_reject(batch=batch, user=controller, reason=" ")

    batch_reject(batch=batch, user=controller, reason="Verkeerde datum")

    batch.refresh_from_db()
    assert (batch.status, batch.rejection_reason, batch.decided_by) == ("afgewezen", "Verkeerde datum", controller)
    assert uitgekeerd(deal) == DEMO_UITGEKEERD and not Tranche.objects.filter(booking__reference="H-1").exists()
    with pytest.raises(ValidationError, match="al afgewezen"):
        batch_confirm(batch=batch, user=controller)
    # A corrected workbook may be imported again: the rejected kenmerk waits nowhere.
    assert imported(deal, coordinator, payout_row("H-1", "900.00")).payout_total == Decimal("900.00")


def test_browser_page_shows_the_guard_per_payout_and_confirm_needs_the_page(deal, coordinator, controller, client_for):
    batch = imported(deal, coordinator, payout_row("H-1", "1000.00"))
    client = client_for(controller)
    page = client.get(reverse("finance:import-batch-detail", args=[deal.code, batch.pk])).content.decode()
    assert "H-1" in page and "Binnen de begroting" in page and "Batch bevestigen" in page
    url = reverse("finance:import-batch-confirm", args=[deal.code, batch.pk])

    assert client.post(url, {}).status_code == 400  # not from the batch's own page
    assert client.post(url, {"sha256": batch.sha256}).status_code == 302

    batch.refresh_from_db()
    assert batch.status == "bevestigd"
    assert client_for(coordinator).get(reverse("finance:import-batch-list", args=[deal.code])).status_code == 200


# ----------------------------------------------------------------------------- command line


def test_confirm_import_command_refuses_the_uploader_and_non_controllers_then_confirms(
    deal, coordinator, controller, capsys
):
    batch = imported(deal, coordinator, payout_row("H-1", "1000.00"))
    assign_without_review(deal=deal, user=coordinator, role=CONTROLLER)
    with pytest.raises(CommandError, match="zelf geïmporteerd"):
        call_command("confirm_import", str(batch.pk), "--user", "coordinator")
    with pytest.raises(CommandError, match="Alleen een controller"):
        call_command("confirm_import", str(batch.pk), "--user", "kassier")
    with pytest.raises(CommandError, match="Alleen een controller"):
        call_command("confirm_import", str(batch.pk), "--user", "controller_b")

    call_command("confirm_import", str(batch.pk), "--user", "controller")

    batch.refresh_from_db()
    assert batch.status == "bevestigd" and "bevestigd" in capsys.readouterr().out


def test_confirm_import_all_confirms_every_waiting_batch_of_the_controllers_deals(deal, coordinator, controller):
    first = imported(deal, coordinator, payout_row("H-1", "10.00"))
    second = imported(deal, coordinator, payout_row("H-2", "20.00"))
    with pytest.raises(CommandError, match="in geen enkele deal controller"):
        call_command("confirm_import", "--all", "--user", "kassier")

    call_command("confirm_import", "--all", "--user", "controller")

    assert set(ImportBatch.objects.values_list("pk", "status")) == {(first.pk, "bevestigd"), (second.pk, "bevestigd")}


def test_import_command_user_must_be_coordinator_of_that_deal(deal, tmp_path, capsys):
    path = tmp_path / "historie.xlsx"
    path.write_bytes(deal_workbook(deal, payout_row("H-1", "1000.00")))
    for username in ("kassier", "coordinator_b"):
        with pytest.raises(CommandError, match="fout"):
            call_command("import_workbook", str(path), "--user", username)
        assert "geen coördinator van deal 'cleantech'" in capsys.readouterr().err
    assert not ImportBatch.objects.exists()

    call_command("import_workbook", str(path))  # no --user: a dry run, which needs nobody
    assert "niets opgeslagen" in capsys.readouterr().out and not ImportBatch.objects.exists()

    call_command("import_workbook", str(path), "--user", "coordinator")
    assert ImportBatch.objects.get().payout_count == 1
