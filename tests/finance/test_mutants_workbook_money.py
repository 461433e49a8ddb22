"""Kills the mutants of finance/workbook_money.py that the suite let live (docs/mutation-testing.md)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from finance.models import Booking
from finance.selectors import project_funder_figures
from finance.workbook import workbook_export, workbook_import, workbook_template
from tests.finance.test_workbook import example_row, workbook_with

pytestmark = pytest.mark.django_db


def located(report) -> list[tuple]:
    return [(e.sheet, e.row, e.column, e.message) for e in report.errors]


def budget_row(deal, kenmerk: str, project: str, funder: str, amount, *, of: str = "") -> dict:
    decision = deal.bookings.filter(kind="begroting", project__code="1310").first().decision.number
    row = {
        "kenmerk": kenmerk,
        "project": project,
        "financier": funder,
        "bedrag": amount,
        "boekdatum": datetime.date(2023, 1, 10),
        "besluit": decision,
    }
    if of:
        row.update({"correctie op": of, "reden correctie": "Bezuiniging"})
    return row


def new_project_and_funder() -> dict:
    return {
        "projecten": [example_row("projecten", code="1399", programma="1300", naam="Nieuw", penvoerder="Nieuw BV")],
        "financiers": [example_row("financiers", naam="Nieuwe financier", categorie="publiek", volgorde=99)],
    }


def unsaved_rows(deal) -> list[dict]:
    # New structure first: its bookings have nothing paid out and are passed over, never the end of the check.
    return [
        budget_row(deal, "N-1", "1399", "Rijk", 1000),
        budget_row(deal, "N-1-C", "1399", "Rijk", 400, of="N-1"),
        budget_row(deal, "N-2", "1310", "Nieuwe financier", 1000),
        budget_row(deal, "N-2-C", "1310", "Nieuwe financier", 400, of="N-2"),
    ]


def funder_locks(queries) -> list[int]:
    """The funders locked (finance.services.lock_funder), in order."""
    locked = re.compile(r'FROM "finance_funder" WHERE "finance_funder"."id" = (\d+) LIMIT 21 FOR UPDATE$')
    return [int(m.group(1)) for q in queries if (m := locked.search(q["sql"]))]


def test_budget_corrections_may_not_drop_below_the_payouts_of_each_project_and_funder(deal, coordinator):
    # The demo (fixtures/cleantech.json), begroot / uitgekeerd: 1310 x Rijk 143.751 / 102.345 (pk 8, funder 1),
    # 1310 x Onderwijs 37.613 / 7.688 (funder 14), 1320 x Rijk 143.750 / 102.344 (pk 9), 1110 x Rijk 245.000 / 84.000.
    figures = {
        (p, f): project_funder_figures(project=deal.projects.get(code=p), funder=deal.funders.get(name=f))
        for p, f in [("1310", "Rijk"), ("1310", "Onderwijs"), ("1320", "Rijk"), ("1110", "Rijk")]
    }
    assert {k: (v.begroot, v.uitgekeerd) for k, v in figures.items()} == {
        ("1310", "Rijk"): (Decimal("143751.00"), Decimal("102345.00")),
        ("1310", "Onderwijs"): (Decimal("37613.00"), Decimal("7688.00")),
        ("1320", "Rijk"): (Decimal("143750.00"), Decimal("102344.00")),
        ("1110", "Rijk"): (Decimal("245000.00"), Decimal("84000.00")),
    }
    base = workbook_export(deal=deal)
    first = load_workbook(io.BytesIO(base))["begroting"].max_row + 1 + 4  # below the four rows of new structure
    rows = [
        *unsaved_rows(deal),
        budget_row(deal, "K-1", "1320", "Rijk", 20000, of="DEMO-0130"),
        budget_row(deal, "K-2", "1310", "Rijk", 1000),  # a raise in the same workbook counts too
        budget_row(deal, "K-3", "1320", "Rijk", Decimal("21406.01"), of="DEMO-0130"),
        budget_row(deal, "K-4", "1310", "Rijk", Decimal("42406.01"), of="DEMO-0128"),
        budget_row(deal, "K-5", "1310", "Onderwijs", 37613, of="DEMO-0084"),
        budget_row(deal, "K-6", "1110", "Rijk", 161000, of="DEMO-0036"),  # down to exactly what was paid: allowed
    ]
    data = workbook_with({**new_project_and_funder(), "begroting": rows}, base=base)
    before = Booking.objects.count()

    with CaptureQueriesContext(connection) as queries:
        report = workbook_import(data=data, user=coordinator, commit=True)

    # Per pair in the order of (project, funder), at the row of its last correction:
    # 1310 x Rijk 143.751 + 1.000 - 42.406,01 = 102.344,99; 1310 x Onderwijs 37.613 - 37.613 = 0;
    # 1320 x Rijk 143.750 - 20.000 - 21.406,01 = 102.343,99.
    assert located(report) == [
        (
            "begroting",
            first + 3,
            "bedrag",
            "Na de correcties is de begroting van project 1310 voor Rijk 102.344,99, minder dan er al is uitgekeerd "
            "(102.345,00).",
        ),
        (
            "begroting",
            first + 4,
            "bedrag",
            "Na de correcties is de begroting van project 1310 voor Onderwijs 0,00, minder dan er al is uitgekeerd "
            "(7.688,00).",
        ),
        (
            "begroting",
            first + 2,
            "bedrag",
            "Na de correcties is de begroting van project 1320 voor Rijk 102.343,99, minder dan er al is uitgekeerd "
            "(102.344,00).",
        ),
    ]
    assert not report.saved and Booking.objects.count() == before
    # Nothing was wrong before this check, so it ran under the funder locks, in (project, funder) order:
    # 1110 x Rijk, 1310 x Rijk, 1310 x Onderwijs, 1320 x Rijk.
    rijk, onderwijs = deal.funders.get(name="Rijk").pk, deal.funders.get(name="Onderwijs").pk
    assert funder_locks(queries.captured_queries) == [rijk, rijk, onderwijs, rijk]


def test_an_import_that_saves_budget_corrections_locks_their_funders_first(deal, coordinator):
    rows = [
        *unsaved_rows(deal),
        budget_row(deal, "K-1", "1320", "Provincie Gelderland", 100, of="DEMO-0110"),
        budget_row(deal, "K-2", "1310", "Rijk", Decimal("41406.00"), of="DEMO-0128"),  # exactly what may go
    ]
    data = workbook_with({**new_project_and_funder(), "begroting": rows}, base=workbook_export(deal=deal))

    with CaptureQueriesContext(connection) as checked:
        check = workbook_import(data=data, user=coordinator, commit=False)
    with CaptureQueriesContext(connection) as saved:
        report = workbook_import(data=data, user=coordinator, commit=True)

    bad = workbook_with({"bestedingen": [example_row("bestedingen", kenmerk="S-X", project="9999")]}, base=data)
    with CaptureQueriesContext(connection) as refused:
        workbook_import(data=bad, user=coordinator, commit=True)
    assert located(check) == [] and located(report) == [] and report.saved
    assert funder_locks(refused.captured_queries) == []  # already invalid: it will not be saved, so no lock
    assert funder_locks(checked.captured_queries) == []
    # One lock per project x funder with an existing booking corrected, in (project, funder) order:
    # 1310 x Rijk (funder 1) before 1320 x Provincie Gelderland (funder 2).
    rijk, gelderland = deal.funders.get(name="Rijk").pk, deal.funders.get(name="Provincie Gelderland").pk
    assert funder_locks(saved.captured_queries) == [rijk, gelderland]
    figures = project_funder_figures(project=deal.projects.get(code="1310"), funder=deal.funders.get(name="Rijk"))
    assert (figures.begroot, figures.uitgekeerd) == (Decimal("102345.00"), Decimal("102345.00"))
    new = Booking.objects.get(deal=deal, reference="N-1-C")
    assert (new.project.code, new.correction_of.reference, new.amount) == ("1399", "N-1", Decimal("400.00"))


def test_who_imports_is_the_coordinator_of_the_deal_or_of_some_deal_for_a_new_one(deal, coordinator, kassier):
    existing = workbook_import(data=workbook_export(deal=deal), user=kassier, commit=True)
    new = workbook_import(data=workbook_template(), user=kassier, commit=True)

    assert located(existing) == [
        (
            "deal",
            None,
            "code",
            "kassier is geen coördinator van deal 'cleantech'; alleen de coördinator importeert haar werkmap.",
        )
    ]
    assert located(new) == [
        ("deal", None, "code", "Alleen een coördinator maakt een nieuwe deal aan; kassier is nergens coördinator.")
    ]
    assert not (existing.saved or new.saved)


def test_an_uitkering_waiting_in_a_batch_is_held_once_and_not_changed_nor_corrected(coordinator):
    first = workbook_import(data=workbook_template(), user=coordinator, commit=True)
    batch = first.batch
    assert [(p.reference, p.amount) for p in batch.payouts.all()] == [("U-0001", Decimal("40000.00"))]

    same = workbook_import(data=workbook_template(), user=None, commit=False)
    assert located(same) == []

    wb = load_workbook(io.BytesIO(workbook_template()))
    wb["uitkeringen"]["E2"] = 40001  # bedrag
    out = io.BytesIO()
    wb.save(out)
    correction = example_row("uitkeringen", kenmerk="U-0001-C", tranchenummer=None, bedrag=1, correctie_op="U-0001")
    correction["reden correctie"] = "Te veel"
    data = workbook_with({"uitkeringen": [correction]}, base=out.getvalue())

    report = workbook_import(data=data, user=None, commit=False)

    assert located(report) == [
        (
            "uitkeringen",
            2,
            "kenmerk",
            f"Uitkering 'U-0001' wacht met andere gegevens al op bevestiging in importbatch {batch.pk}; laat een "
            "controller die eerst afwijzen, of geef deze uitkering een nieuw kenmerk.",
        ),
        (
            "uitkeringen",
            3,
            "correctie op",
            "Uitkering 'U-0001' staat in deze werkmap en wacht na de import op bevestiging door een controller; "
            "boek de correctie daarna.",
        ),
    ]


def test_a_correction_row_is_never_held_as_an_uitkering_even_when_its_original_is_unknown(coordinator):
    assert workbook_import(data=workbook_template(), user=coordinator, commit=True).saved  # U-0001 waits
    # U-0001 again, now as a correction of a kenmerk nobody knows (and so with other values than the one waiting).
    wb = load_workbook(io.BytesIO(workbook_template()))
    ws = wb["uitkeringen"]
    headers = [c.value for c in ws[1]]
    changes = {"tranchenummer": None, "bedrag": 1, "correctie op": "U-404", "reden correctie": "Te veel"}
    for header, value in changes.items():
        ws.cell(row=2, column=headers.index(header) + 1).value = value
    out = io.BytesIO()
    wb.save(out)

    report = workbook_import(data=out.getvalue(), user=None, commit=False)

    assert located(report) == [
        ("uitkeringen", 2, "correctie op", "Onbekend kenmerk 'U-404': geen boeking in dit tabblad of in de deal.")
    ]


def test_uitkeringen_without_the_optional_columns_are_held_and_numbered_as_usual(coordinator):
    wb = load_workbook(io.BytesIO(workbook_template()))
    ws = wb["uitkeringen"]
    for header in ("reden correctie", "correctie op", "tranchenummer"):
        ws.delete_cols([c.value for c in ws[1]].index(header) + 1)
    out = io.BytesIO()
    wb.save(out)

    report = workbook_import(data=out.getvalue(), user=coordinator, commit=True)

    assert located(report) == [] and report.saved
    assert list(report.batch.payouts.values_list("reference", "number", "amount")) == [
        ("U-0001", 1, Decimal("40000.00"))
    ]
