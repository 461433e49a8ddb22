"""The workbook refers to decisions by number (sheet 'besluiten'), never by text typed on each row."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from finance.models import Booking, ImportBatch
from finance.selectors import project_funder_figures
from finance.services import booking_create
from finance.workbook import workbook_export, workbook_import, workbook_template
from projects.models import Deal, Decision

pytestmark = pytest.mark.django_db


def rows_of(data: bytes, sheet: str) -> list[dict]:
    ws = load_workbook(io.BytesIO(data))[sheet]
    headers = [c.value for c in ws[1]]
    return [dict(zip(headers, values, strict=False)) for values in ws.iter_rows(min_row=2, values_only=True)]


def edited(data: bytes, sheet: str, *, change: dict | None = None, append: list[dict] | None = None) -> bytes:
    """``data`` with ``change`` ({header: value}) applied to the first row of ``sheet`` and ``append`` rows added."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    for header, value in (change or {}).items():
        ws.cell(row=2, column=headers.index(header) + 1, value=value)
    for row in append or []:
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_template_has_a_decisions_sheet_and_bookings_refer_to_it_by_number():
    data = workbook_template()
    decisions = rows_of(data, "besluiten")
    assert [d["nummer"] for d in decisions] == ["SG-2021-01"]
    for sheet in ("begroting", "toekenningen"):
        rows = rows_of(data, sheet)
        assert rows[0]["besluit"] == "SG-2021-01"
        assert "datum besluit" not in rows[0]  # no text or date repeated on every row


def test_importing_the_template_records_the_decision_and_links_every_budget_to_it(coordinator):
    report = workbook_import(data=workbook_template(), user=coordinator, commit=True)

    assert report.saved, [str(e) for e in report.errors]
    decision = Decision.objects.get(deal__code="voorbeeld", number="SG-2021-01")
    assert decision.created_by == coordinator and decision.body == Decision.Body.STEERING
    decided = Booking.objects.filter(deal__code="voorbeeld", kind__in=["begroting", "toekenning"])
    assert decided.count() == 2 and set(decided.values_list("decision", flat=True)) == {decision.pk}


def test_the_export_lists_every_decision_of_the_deal_and_each_budget_row_its_number(deal):
    data = workbook_export(deal=deal)

    exported = {d["nummer"]: d for d in rows_of(data, "besluiten")}
    assert set(exported) == set(deal.decisions.values_list("number", flat=True))
    first = deal.decisions.order_by("date", "number").first()
    assert (exported[first.number]["besluit"], exported[first.number]["orgaan"]) == (first.text, first.body)
    budget_rows = rows_of(data, "begroting")
    budgets = deal.bookings.filter(kind="begroting").select_related("decision")
    numbers = {b.reference: b.decision.number for b in budgets}
    assert budget_rows and all(row["besluit"] == numbers[row["kenmerk"]] for row in budget_rows)


def test_an_unknown_decision_number_on_a_budget_row_is_located_and_nothing_is_saved(coordinator):
    data = edited(workbook_template(), "begroting", change={"besluit": "SG-1999-99"})

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert not report.saved and not Deal.objects.filter(code="voorbeeld").exists()
    error = next(e for e in report.errors if e.sheet == "begroting")
    assert (error.row, error.column) == (2, "besluit") and "SG-1999-99" in error.message


def test_a_decision_on_record_is_not_changed_by_a_reimport(deal, coordinator):
    decision = deal.decisions.order_by("date", "number").first()
    data = workbook_export(deal=deal)
    wb_rows = rows_of(data, "besluiten")
    row = next(i for i, r in enumerate(wb_rows, start=2) if r["nummer"] == decision.number)
    wb = load_workbook(io.BytesIO(data))
    wb["besluiten"].cell(row=row, column=4, value="Een andere tekst")
    out = io.BytesIO()
    wb.save(out)

    report = workbook_import(data=out.getvalue(), user=coordinator, commit=True)

    assert not report.saved
    error = next(e for e in report.errors if e.sheet == "besluiten")
    assert (error.row, error.column) == (row, "nummer") and "besluit" in error.message
    assert Decision.objects.get(pk=decision.pk).text == decision.text


def test_a_decision_dated_in_the_future_is_refused(coordinator):
    future = timezone.localdate() + datetime.timedelta(days=30)
    data = edited(workbook_template(), "besluiten", change={"datum": future})

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert not report.saved
    error = next(e for e in report.errors if e.sheet == "besluiten")
    assert (error.row, error.column) == (2, "datum") and "toekomst" in error.message


def test_an_override_may_cite_a_decision_recorded_in_the_same_workbook(deal, coordinator):
    # 1310 x Rijk in the demo: begroot 143.751, uitgekeerd 102.345 (fixtures/cleantech.json), so
    # 143.751 - 102.345 = 41.406 is still to pay; 42.406 is 1.000 over the budget.
    excess = Decimal("42406.00")
    data = edited(
        edited(
            workbook_export(deal=deal),
            "besluiten",
            append=[{"nummer": "SG-2023-07", "datum": datetime.date(2023, 3, 1), "besluit": "Extra fase 1310"}],
        ),
        "uitkeringen",
        append=[
            {
                "kenmerk": "H-OVER",
                "project": "1310",
                "financier": "Rijk",
                "bedrag": excess,
                "uitkeringsdatum": datetime.date(2023, 5, 1),
                "reden overschrijding": "Extra fase",
                "besluit overschrijding": "SG-2023-07",
            }
        ],
    )

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert report.saved, [str(e) for e in report.errors]
    payout = ImportBatch.objects.get().payouts.get()
    assert payout.override_decision == Decision.objects.get(deal=deal, number="SG-2023-07")


def test_a_budget_correction_in_the_workbook_below_what_was_paid_out_is_refused(deal, coordinator):
    project, rijk = deal.projects.get(code="1310"), deal.funders.get(name="Rijk")
    figures = project_funder_figures(project=project, funder=rijk)
    # The demo (fixtures/cleantech.json): 1300's Rijk 575.000 (Tabel 5) and 409.377 (Tabel 6) over 4 projects.
    assert (figures.begroot, figures.uitgekeerd) == (Decimal("143751.00"), Decimal("102345.00"))
    budget = deal.bookings.filter(kind="begroting", project=project, funder=rijk, correction_of=None).first()
    kenmerk = next(r["kenmerk"] for r in rows_of(workbook_export(deal=deal), "begroting") if r["project"] == "1310"
                   and r["financier"] == "Rijk" and not r["correctie op"])  # fmt: skip
    too_much = Decimal("41406.01")  # 143.751 - 102.345 = 41.406 may go, one cent more may not
    assert budget.amount == Decimal("143751.00")  # the correction itself is within the booking: only payouts stop it
    correction = {
        "kenmerk": "B-LAGER", "project": "1310", "financier": "Rijk", "bedrag": too_much,
        "boekdatum": datetime.date(2023, 1, 10), "besluit": budget.decision.number, "correctie op": kenmerk,
        "reden correctie": "Bezuiniging",
    }  # fmt: skip
    before = Booking.objects.count()

    report = workbook_import(data=edited(workbook_export(deal=deal), "begroting", append=[correction]),
                             user=coordinator, commit=True)  # fmt: skip

    assert not report.saved and Booking.objects.count() == before
    error = next(e for e in report.errors if e.sheet == "begroting")
    assert error.column == "bedrag" and error.row and "minder dan er al is uitgekeerd" in error.message

    correction["bedrag"] = too_much - Decimal("0.01")  # down to exactly what was paid out: allowed
    report = workbook_import(data=edited(workbook_export(deal=deal), "begroting", append=[correction]),
                             user=coordinator, commit=True)  # fmt: skip
    assert report.saved, [str(e) for e in report.errors]
    after = project_funder_figures(project=project, funder=rijk)
    assert (after.begroot, after.uitgekeerd) == (Decimal("102345.00"), Decimal("102345.00"))


def test_the_database_refuses_a_budget_without_a_decision(deal):
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            deal=deal, project=deal.projects.get(code="1310"), funder=deal.funders.get(name="Rijk"),
            kind="begroting", amount=Decimal("10.00"), date=datetime.date(2022, 1, 1),
        )  # fmt: skip


def test_the_service_still_books_a_budget_with_its_decision(deal, coordinator):
    decision = deal.decisions.first()
    booking = booking_create(
        deal=deal, project=deal.projects.get(code="1310"), funder=deal.funders.get(name="Rijk"), kind="begroting",
        amount=Decimal("10.00"), date=datetime.date(2022, 1, 1), user=coordinator, decision=decision,
    )  # fmt: skip
    assert Booking.objects.get(pk=booking.pk).decision == decision


def test_a_period_is_typed_and_exported_with_its_last_day(coordinator, deal):
    """'periode t/m' holds the last day, as people write it; the ledger keeps the day after (STYLE.md)."""
    report = workbook_import(data=workbook_template(), user=coordinator, commit=True)
    assert report.saved, [str(e) for e in report.errors]
    spent = Booking.objects.get(deal__code="voorbeeld", kind="besteding")
    typed = rows_of(workbook_template(), "bestedingen")[0]["periode t/m"]
    assert spent.period_end == typed.date() + datetime.timedelta(days=1)

    exported = rows_of(workbook_export(deal=deal), "bestedingen")
    first = deal.bookings.filter(kind="besteding").order_by("date", "id").first()
    assert exported[0]["periode t/m"].date() == first.period_end - datetime.timedelta(days=1)


def test_a_period_whose_last_day_is_before_its_start_is_located(coordinator):
    data = edited(workbook_template(), "bestedingen", change={"periode t/m": datetime.date(2021, 2, 1)})
    report = workbook_import(data=data, user=coordinator, commit=True)
    error = next(e for e in report.errors if e.sheet == "bestedingen")
    assert (error.row, error.column) == (2, "periode t/m") and "vóór het begin" in error.message
