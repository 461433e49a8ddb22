"""Kills the mutants of finance/workbook.py that the suite let live (docs/mutation-testing.md)."""

import datetime
import io
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from finance.import_batches import batch_confirm
from finance.models import Booking, ImportBatch, PendingAmount, Tranche
from finance.resources import SheetResource
from finance.services import booking_create
from finance.workbook import SHEETS, SheetReader, workbook_export, workbook_import, workbook_template
from projects.models import Deal, Decision, Project, ReportingPeriod
from tests.finance.test_workbook import example_row, new_deal_roles, workbook_with

pytestmark = pytest.mark.django_db


def located(report, sheet: str | None = None) -> list[tuple]:
    return [(e.sheet, e.row, e.column, e.message) for e in report.errors if sheet is None or e.sheet == sheet]


def first_row_changed(sheet: str, **changes) -> bytes:
    """The template with the example row of ``sheet`` changed by header (underscores for spaces)."""
    wb = load_workbook(io.BytesIO(workbook_template()))
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    for header, value in changes.items():
        ws.cell(row=2, column=headers.index(header.replace("_", " ")) + 1).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_booking_of_nothing_is_refused_at_its_amount(coordinator):
    data = workbook_with({"begroting": [example_row("begroting", kenmerk="B-2", bedrag=0)]})

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert located(report) == [("begroting", 3, "bedrag", "Het bedrag moet groter dan nul zijn.")]
    assert not report.saved and not Deal.objects.filter(code="voorbeeld").exists()
    assert Booking.objects.filter(reference="B-2").count() == 0


def test_a_booking_date_outside_the_deal_names_the_deals_first_and_last_day(coordinator):
    # The template's deal runs from 01-01-2021 and closes financially on 30-06-2025; both days belong to it.
    rows = [
        example_row("bestedingen", kenmerk="S-2", boekdatum=datetime.date(2020, 12, 31)),
        example_row("bestedingen", kenmerk="S-3", boekdatum=datetime.date(2021, 1, 1)),
        example_row("bestedingen", kenmerk="S-4", boekdatum=datetime.date(2025, 6, 30)),
        example_row("bestedingen", kenmerk="S-5", boekdatum=datetime.date(2025, 7, 1)),
    ]
    report = workbook_import(data=workbook_with({"bestedingen": rows}), user=coordinator, commit=False)

    assert located(report) == [
        ("bestedingen", 3, "boekdatum", "Datum 31-12-2020 ligt buiten de deal (01-01-2021 tot en met 30-06-2025)."),
        ("bestedingen", 6, "boekdatum", "Datum 01-07-2025 ligt buiten de deal (01-01-2021 tot en met 30-06-2025)."),
    ]


def test_a_period_of_a_booking_that_ends_before_it_begins_is_located(coordinator):
    # 'periode t/m' is the last day: a period of one day (t/m = vanaf) is fine, one that ends the day before not.
    rows = [
        example_row("bestedingen", kenmerk="S-2", periode_vanaf=datetime.date(2022, 1, 1), periode_tm=None),
        example_row("bestedingen", kenmerk="S-3"),
    ]
    rows[0]["periode t/m"] = datetime.date(2022, 1, 1)
    rows[1].update({"periode vanaf": datetime.date(2022, 1, 1), "periode t/m": datetime.date(2021, 12, 31)})

    report = workbook_import(data=workbook_with({"bestedingen": rows}), user=coordinator, commit=False)

    assert located(report) == [
        ("bestedingen", 4, "periode t/m", "De laatste dag van de periode ligt vóór het begin."),
    ]


def test_a_correction_needs_a_reason_and_a_reason_needs_a_correction(coordinator):
    no_reason = example_row("begroting", kenmerk="B-2", bedrag=10, correctie_op="B-0001")
    no_correction = example_row("begroting", kenmerk="B-3", bedrag=10)
    no_correction["reden correctie"] = "Verlaagd"
    payout = example_row("uitkeringen", kenmerk="U-2", bedrag=10, tranchenummer=2, correctie_op="U-0001")
    payout["reden correctie"] = "Te veel"
    data = workbook_with({"begroting": [no_reason, no_correction], "uitkeringen": [payout]})

    report = workbook_import(data=data, user=coordinator, commit=False)

    assert located(report) == [
        ("begroting", 3, "reden correctie", "Een correctie heeft een reden nodig."),
        ("begroting", 4, "correctie op", "Er staat een reden correctie, maar geen kenmerk bij 'correctie op'."),
        ("uitkeringen", 3, "tranchenummer", "Een correctie op een uitkering heeft geen tranchenummer."),
    ]


def test_the_dates_of_the_deal_are_in_order_and_located(coordinator):
    data = first_row_changed(
        "deal", einde=datetime.date(2020, 12, 31), financieel_afgerond_uiterlijk=datetime.date(2020, 12, 30)
    )

    report = workbook_import(data=data, user=coordinator, commit=False)

    assert located(report, "deal") == [
        ("deal", 2, "einde", "De einddatum ligt vóór de start."),
        ("deal", 2, "financieel afgerond uiterlijk", "Deze datum ligt vóór het einde van de deal."),
    ]


def test_a_deal_may_end_on_its_first_day_and_close_on_its_last(coordinator):
    data = first_row_changed(
        "deal",
        start=datetime.date(2021, 1, 1),
        einde=datetime.date(2021, 1, 1),
        financieel_afgerond_uiterlijk=datetime.date(2021, 1, 1),
    )

    report = workbook_import(data=data, user=coordinator, commit=False)

    assert located(report, "deal") == []


def test_a_project_ending_before_its_start_is_located_and_one_of_a_day_is_fine(coordinator):
    day = datetime.date(2021, 3, 1)
    rows = [
        example_row("projecten", code="1120", start=day, afronding=day),
        example_row("projecten", code="1130", start=day, afronding=day - datetime.timedelta(days=1)),
    ]

    report = workbook_import(data=workbook_with({"projecten": rows}), user=coordinator, commit=False)

    assert located(report) == [("projecten", 4, "afronding", "De afronding ligt vóór de start.")]


def test_a_reporting_period_needs_at_least_one_day(coordinator):
    start = datetime.date(2021, 7, 1)
    deadline = datetime.date(2021, 8, 1)
    one_day = {"naam": "2021-2", "start": start, "t/m": start, "ijkdatum": start, "inleverdatum": deadline}
    none = {"naam": "2021-3", "start": start, "t/m": start - datetime.timedelta(days=1)}
    none.update({"ijkdatum": start, "inleverdatum": deadline})

    report = workbook_import(data=workbook_with({"periodes": [one_day, none]}), user=coordinator, commit=False)

    assert located(report) == [("periodes", 4, "t/m", "De laatste dag van de periode ligt vóór de start.")]


def test_a_new_decision_may_be_dated_today_but_not_tomorrow(coordinator):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    rows = [
        {"nummer": "SG-2", "datum": today, "orgaan": "stuurgroep", "besluit": "Vandaag"},
        {"nummer": "SG-3", "datum": tomorrow, "orgaan": "stuurgroep", "besluit": "Morgen"},
    ]

    report = workbook_import(data=workbook_with({"besluiten": rows}), user=coordinator, commit=False)

    assert located(report) == [
        ("besluiten", 4, "datum", f"De datum van het besluit ({tomorrow:%d-%m-%Y}) ligt in de toekomst.")
    ]


def test_a_decision_on_record_changed_in_the_workbook_names_what_differs(coordinator):
    assert workbook_import(data=workbook_template(), user=coordinator, commit=True).saved
    new_deal_roles(coordinator)
    data = first_row_changed("besluiten", datum=datetime.date(2021, 1, 16), besluit="Een andere tekst")

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert located(report) == [
        (
            "besluiten",
            2,
            "nummer",
            "Besluit 'SG-2021-01' staat al in het besluitenregister met andere gegevens (datum, besluit). Een "
            "besluit wordt niet gewijzigd: neem het over zoals het in het register staat, of leg een nieuw besluit "
            "vast met een eigen nummer.",
        )
    ]
    assert (
        Decision.objects.get(deal__code="voorbeeld").text
        == "Stuurgroep stelt de projectbegrotingen vast en kent ze toe"
    )


def test_a_booking_on_record_changed_in_the_workbook_names_what_differs(coordinator):
    assert workbook_import(data=workbook_template(), user=coordinator, commit=True).saved
    new_deal_roles(coordinator)
    data = first_row_changed("begroting", bedrag=99, toelichting="Anders")

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert located(report) == [
        (
            "begroting",
            2,
            "kenmerk",
            "Kenmerk 'B-0001' bestaat al met andere gegevens (bedrag, toelichting). Een boeking wordt nooit "
            "gewijzigd: boek een correctie met een nieuw kenmerk.",
        )
    ]
    assert Booking.objects.get(deal__code="voorbeeld", reference="B-0001").amount == Decimal("100000.00")


def test_an_uitkering_on_record_keeps_its_tranche_number(coordinator, controller):
    first = workbook_import(data=workbook_template(), user=coordinator, commit=True)
    new_deal_roles(coordinator, controller)
    batch_confirm(batch=first.batch, user=controller)
    assert Tranche.objects.get(project__deal__code="voorbeeld").number == 1

    unchanged = workbook_import(data=workbook_template(), user=coordinator, commit=False)
    renumbered = workbook_import(data=first_row_changed("uitkeringen", tranchenummer=2), user=coordinator, commit=False)
    other_amount = workbook_import(data=first_row_changed("uitkeringen", bedrag=1), user=coordinator, commit=False)

    assert located(unchanged) == []
    assert {c.sheet: (c.new, c.changed, c.unchanged) for c in unchanged.counts}["uitkeringen"] == (0, 0, 1)
    assert located(renumbered) == [
        (
            "uitkeringen",
            2,
            "kenmerk",
            "Kenmerk 'U-0001' bestaat al met andere gegevens (tranchenummer). Een boeking wordt nooit "
            "gewijzigd: boek een correctie met een nieuw kenmerk.",
        )
    ]
    assert located(other_amount) == [
        (
            "uitkeringen",
            2,
            "kenmerk",
            "Kenmerk 'U-0001' bestaat al met andere gegevens (bedrag). Een boeking wordt nooit "
            "gewijzigd: boek een correctie met een nieuw kenmerk.",
        )
    ]


def test_a_correction_on_record_keeps_what_it_corrects(coordinator):
    correction = example_row("begroting", kenmerk="B-0001-C", bedrag=1000, correctie_op="B-0001")
    correction["reden correctie"] = "Verlaagd"
    other = example_row("begroting", kenmerk="B-0002")
    saved = workbook_import(data=workbook_with({"begroting": [other, correction]}), user=coordinator, commit=True)
    assert saved.saved
    new_deal_roles(coordinator)
    same = workbook_import(data=workbook_with({"begroting": [other, correction]}), user=coordinator, commit=False)
    assert located(same) == []
    assert {c.sheet: (c.new, c.changed, c.unchanged) for c in same.counts}["begroting"] == (0, 0, 3)
    correction["correctie op"] = "B-0002"

    again = workbook_import(data=workbook_with({"begroting": [other, correction]}), user=coordinator, commit=False)

    assert located(again) == [
        (
            "begroting",
            4,
            "kenmerk",
            "Kenmerk 'B-0001-C' bestaat al met andere gegevens (correctie op). Een boeking wordt nooit "
            "gewijzigd: boek een correctie met een nieuw kenmerk.",
        )
    ]


def test_a_kenmerk_shared_by_two_bookings_of_the_deal_must_be_taken_with_its_number(deal, coordinator, kassier):
    rijk = deal.funders.get(name="Rijk")
    for code in ("1310", "1320"):
        booking_create(
            deal=deal, project=deal.projects.get(code=code), funder=rijk, kind="besteding", amount=Decimal("7"),
            date=datetime.date(2022, 9, 1), user=kassier, reference="GEDEELD",
            period_start=datetime.date(2022, 7, 1), period_end=datetime.date(2022, 9, 1),
        )  # fmt: skip
    row = example_row("bestedingen", kenmerk="gedeeld", project="1310", financier="Rijk")
    data = workbook_with({"bestedingen": [row]}, base=workbook_export(deal=deal))
    last = load_workbook(io.BytesIO(data))["bestedingen"].max_row

    report = workbook_import(data=data, user=coordinator, commit=False)

    assert located(report) == [
        (
            "bestedingen",
            last,
            "kenmerk",
            "Kenmerk 'gedeeld' hoort in de deal bij meer dan één boeking; gebruik het kenmerk uit een export van de "
            "deal (met #nummer).",
        )
    ]


def correction_row(sheet: str, kenmerk: str, of: str, amount, **changes) -> dict:
    row = example_row(sheet, kenmerk=kenmerk, bedrag=amount, correctie_op=of, **changes)
    row["reden correctie"] = "Herzien"
    if sheet == "uitkeringen":
        row["tranchenummer"] = None
    return row


def test_what_a_correction_row_may_point_at_is_located_at_its_correctie_op(coordinator):
    rows = {
        "projecten": [example_row("projecten", code="1120")],
        "financiers": [example_row("financiers", naam="Provincie", categorie="publiek", soort="provincie", volgorde=2)],
        "begroting": [
            correction_row("begroting", "B-2", "B-404", 1),
            correction_row("begroting", "B-3", "B-3", 1),
            correction_row("begroting", "B-4", "B-0001", 1),
            correction_row("begroting", "B-5", "b-4", 1),
            correction_row("begroting", "B-6", "B-0001", 1, project="1120"),
            correction_row("begroting", "B-7", "B-0001", 1, financier="Provincie"),
            example_row("begroting", kenmerk="B-8", project=None),  # on deal level
            correction_row("begroting", "B-9", "B-8", 1),
            correction_row("begroting", "B-10", "B-0001", 1, project=None),
        ],
    }

    report = workbook_import(data=workbook_with(rows), user=coordinator, commit=False)

    assert located(report) == [
        ("begroting", 3, "correctie op", "Onbekend kenmerk 'B-404': geen boeking in dit tabblad of in de deal."),
        ("begroting", 4, "correctie op", "Een boeking kan zichzelf niet corrigeren."),
        ("begroting", 6, "correctie op", "Boeking 'b-4' is zelf een correctie; corrigeer de oorspronkelijke boeking."),
        ("begroting", 7, "correctie op", "Boeking 'B-0001' hoort bij een ander project of een andere financier."),
        ("begroting", 8, "correctie op", "Boeking 'B-0001' hoort bij een ander project of een andere financier."),
        ("begroting", 10, "correctie op", "Boeking 'B-8' hoort bij een ander project of een andere financier."),
        ("begroting", 11, "correctie op", "Boeking 'B-0001' hoort bij een ander project of een andere financier."),
    ]


def test_a_correction_of_a_booking_on_record_stays_with_its_project_and_funder(deal, coordinator):
    # DEMO-0128 is the begroting of 1310 x Rijk (fixtures/cleantech.json).
    assert Booking.objects.filter(deal=deal, reference="DEMO-0128", project__code="1310", funder__name="Rijk").exists()
    decision = deal.bookings.get(reference="DEMO-0128").decision.number
    rows = [
        correction_row("begroting", "K-1", "DEMO-0128", 1, project="1320", financier="Rijk", besluit=decision),
        correction_row("begroting", "K-2", "DEMO-0128", 1, project="1310", financier="Onderwijs", besluit=decision),
        correction_row("begroting", "K-3", "DEMO-0128", 1, project="1310", financier="Rijk", besluit=decision),
        correction_row("begroting", "K-4", "DEMO-0128", 1, project=None, financier="Rijk", besluit=decision),
    ]
    data = workbook_with({"begroting": rows}, base=workbook_export(deal=deal))
    first = load_workbook(io.BytesIO(data))["begroting"].max_row - 3

    report = workbook_import(data=data, user=coordinator, commit=False)

    assert located(report) == [
        (
            "begroting",
            first,
            "correctie op",
            "Boeking 'DEMO-0128' hoort bij een ander project of een andere financier.",
        ),
        (
            "begroting",
            first + 1,
            "correctie op",
            "Boeking 'DEMO-0128' hoort bij een ander project of een andere financier.",
        ),
        (
            "begroting",
            first + 3,
            "correctie op",
            "Boeking 'DEMO-0128' hoort bij een ander project of een andere financier.",
        ),
    ]


def test_a_correction_on_record_is_not_corrected_again(coordinator):
    first = workbook_with({"begroting": [correction_row("begroting", "B-0001-C", "B-0001", 1000)]})
    assert workbook_import(data=first, user=coordinator, commit=True).saved
    new_deal_roles(coordinator)
    # B-0001-C is not on the sheet this time: that it is a correction is known from the ledger only.
    data = workbook_with({"begroting": [correction_row("begroting", "B-2", "B-0001-C", 1)]})

    report = workbook_import(data=data, user=coordinator, commit=False)

    assert located(report) == [
        (
            "begroting",
            3,
            "correctie op",
            "Boeking 'B-0001-C' is zelf een correctie; corrigeer de oorspronkelijke boeking.",
        )
    ]


def test_the_corrections_of_a_booking_together_never_exceed_it(coordinator):
    # B-0001 is 100.000,00. On record: 30.000; in the workbook 50.000 and 20.000 bring it to exactly 0,
    # 0,01 more is too much; the message counts what is on record and the rows above.
    first = workbook_with({"begroting": [correction_row("begroting", "B-C1", "B-0001", 30000)]})
    assert workbook_import(data=first, user=coordinator, commit=True).saved
    new_deal_roles(coordinator)
    rows = [
        correction_row("begroting", "B-C2", "B-0001", 50000),
        correction_row("begroting", "B-C3", "B-0001", 20000),
    ]
    exact = workbook_with({"begroting": rows})
    too_much = workbook_with({"begroting": [*rows, correction_row("begroting", "B-C4", "B-0001", "0,01")]})

    assert located(workbook_import(data=exact, user=coordinator, commit=False)) == []
    report = workbook_import(data=too_much, user=coordinator, commit=False)
    assert located(report) == [
        (
            "begroting",
            5,
            "bedrag",
            "De correcties op 'B-0001' (100.000,01) zijn samen groter dan de boeking zelf (100.000,00).",
        )
    ]


def test_corrections_of_another_sheet_count_apart(coordinator):
    # toekenning T-0001 (100.000) corrected by 60.000 and begroting B-0001 by 60.000: each within its booking.
    rows = {
        "begroting": [correction_row("begroting", "B-C", "B-0001", 60000)],
        "toekenningen": [correction_row("toekenningen", "T-C", "T-0001", 60000)],
    }
    report = workbook_import(data=workbook_with(rows), user=coordinator, commit=True)

    assert located(report) == [] and report.saved
    corrected = Booking.objects.filter(deal__code="voorbeeld", correction_of__isnull=False)
    assert sorted(corrected.values_list("reference", "correction_of__reference")) == [
        ("B-C", "B-0001"),
        ("T-C", "T-0001"),
    ]


def test_a_tranche_number_is_one_per_project_and_funder_and_a_missing_one_is_the_next(coordinator, controller):
    provincie = example_row("financiers", naam="Provincie", categorie="publiek", soort="provincie", volgorde=2)
    rows = [
        example_row("uitkeringen", kenmerk="U-2", tranchenummer=1),  # the template's U-0001 is tranche 1
        example_row("uitkeringen", kenmerk="U-3", tranchenummer=None),
        example_row("uitkeringen", kenmerk="U-4", tranchenummer=5),
        example_row("uitkeringen", kenmerk="U-5", tranchenummer=None, financier="Provincie"),
        example_row("uitkeringen", kenmerk="U-6", tranchenummer=None),
    ]
    clash = workbook_import(
        data=workbook_with({"financiers": [provincie], "uitkeringen": rows}), user=coordinator, commit=False
    )
    assert located(clash) == [("uitkeringen", 3, "tranchenummer", "Project 1110 heeft al een tranche 1 van Rijk.")]

    data = workbook_with({"financiers": [provincie], "uitkeringen": rows[1:]})
    report = workbook_import(data=data, user=coordinator, commit=True)

    assert located(report) == [] and report.saved and report.batch.file_name == ""
    # U-0001 is 1 and U-4 is 5; U-3 and U-6 have none and get the highest plus one in turn;
    # U-5 is the first of Provincie.
    assert sorted(report.batch.payouts.values_list("reference", "number")) == [
        ("U-0001", 1),
        ("U-3", 6),
        ("U-4", 5),
        ("U-5", 1),
        ("U-6", 7),
    ]
    # Imported again while the batch waits: the same payouts are on their way, their numbers no clash.
    again = workbook_import(data=data, user=None, commit=False)
    assert located(again) == []


def test_a_correction_of_an_uitkering_takes_no_tranche_number_and_is_booked_at_once(coordinator, controller):
    first = workbook_import(data=workbook_template(), user=coordinator, commit=True)
    new_deal_roles(coordinator, controller)
    batch_confirm(batch=first.batch, user=controller)
    rows = [
        correction_row("uitkeringen", "U-0001-C", "U-0001", 1000),
        example_row("uitkeringen", kenmerk="U-2", tranchenummer=None),
        correction_row("uitkeringen", "U-0001-D", "U-0001", 500),
    ]

    report = workbook_import(data=workbook_with({"uitkeringen": rows}), user=coordinator, commit=True)

    assert located(report) == [] and report.saved
    # The corrections are booked at once; the new uitkering waits, as tranche 2 (U-0001 is 1).
    corrections = Booking.objects.filter(deal__code="voorbeeld", correction_of__reference="U-0001")
    assert sorted(corrections.values_list("reference", "amount")) == [
        ("U-0001-C", Decimal("1000.00")),
        ("U-0001-D", Decimal("500.00")),
    ]
    assert list(report.batch.payouts.values_list("reference", "number")) == [("U-2", 2)]
    assert Tranche.objects.filter(project__deal__code="voorbeeld").count() == 1


def template_with(change) -> bytes:
    wb = load_workbook(io.BytesIO(workbook_template()))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_workbook_without_its_deal_sheet_is_refused_as_a_whole(coordinator):
    report = workbook_import(data=template_with(lambda wb: wb.remove(wb["deal"])), user=coordinator, commit=True)

    assert located(report) == [("deal", None, None, "Het tabblad 'deal' ontbreekt.")]
    assert (report.counts, report.saved, report.deal_code) == ([], False, "")


def test_the_deal_sheet_has_exactly_one_row_and_the_message_names_the_first_two(coordinator):
    def two(wb):
        wb["deal"].append(["tweede", "Tweede deal"])
        wb["deal"].append(["derde", "Derde deal"])

    def none(wb):
        wb["deal"].delete_rows(2)

    report = workbook_import(data=template_with(two), user=coordinator, commit=True)
    assert located(report) == [
        (
            "deal",
            3,
            None,
            "Het tabblad 'deal' heeft meer dan één rij (rij 2 en 3); een werkmap hoort bij één deal.",
        )
    ]
    assert report.counts == []

    report = workbook_import(data=template_with(none), user=coordinator, commit=True)
    assert located(report) == [
        ("deal", 2, None, "Onder de kopregel staat geen deal; het tabblad 'deal' moet precies één rij hebben.")
    ]
    assert report.counts == []


def test_a_sheet_that_is_not_there_is_counted_as_absent_and_the_rest_is_saved(coordinator):
    def without(wb):
        for name in ("periodes", "toekenningen", "uitkeringen"):
            wb.remove(wb[name])

    report = workbook_import(data=template_with(without), user=coordinator, commit=True)

    assert located(report) == [] and report.saved and report.batch is None
    counts = {c.sheet: (c.present, c.new, c.changed, c.unchanged) for c in report.counts}
    assert counts["periodes"] == counts["toekenningen"] == counts["uitkeringen"] == (False, 0, 0, 0)
    assert counts["besluiten"] == (True, 1, 0, 0)
    assert counts["begroting"] == (True, 1, 0, 0)
    assert (report.deal_code, report.deal_name, report.deal_is_new) == ("voorbeeld", "Regio Deal Voorbeeld", True)
    assert Deal.objects.get(code="voorbeeld").bookings.count() == 2  # begroting and besteding
    assert Decision.objects.get(deal__code="voorbeeld").number == "SG-2021-01"  # the sheet after the absent one


def test_the_explanation_sheet_is_passed_over_wherever_it_stands(coordinator):
    report = workbook_import(
        data=template_with(lambda wb: wb.move_sheet("Toelichting", offset=-len(wb.sheetnames) + 1)),
        user=coordinator,
        commit=False,
    )

    assert located(report) == []
    assert [c.sheet for c in report.counts if c.new == 1] == [s.name for s in SHEETS]


def test_an_unknown_sheet_names_the_sheets_expected_and_a_sheet_twice_names_the_other(coordinator):
    def extra(wb):
        wb.create_sheet("begrotingen 2023")
        wb.copy_worksheet(wb["begroting"]).title = " Begroting"

    report = workbook_import(data=template_with(extra), user=coordinator, commit=True)

    assert located(report) == [
        (
            "begrotingen 2023",
            None,
            None,
            "Onbekend tabblad; verwacht worden: deal, actielijnen, programma's, programmalijnen, projecten, "
            "financiers, periodes, besluiten, voorwaarden, begroting, toekenningen, uitkeringen, bestedingen, "
            "jaarbegrotingen, doorschuivingen, cofinanciering, nog te bepalen, programmalijnperiodes, "
            "financiers per programmalijn, vouchers, governance.",
        ),
        (
            " Begroting",
            None,
            None,
            "Dit tabblad staat twee keer in de werkmap (ook als 'begroting'); laat er één over.",
        ),
    ]
    assert not report.saved


def test_an_import_into_another_deal_code_takes_the_code_given(coordinator):
    report = workbook_import(data=workbook_template(), user=coordinator, commit=True, deal_code="kopie")

    assert report.saved and (report.deal_code, report.deal_is_new) == ("kopie", True)
    assert Deal.objects.get(code="kopie").name == "Regio Deal Voorbeeld"
    assert not Deal.objects.filter(code="voorbeeld").exists()


def test_a_workbook_with_uitkeringen_is_saved_only_in_the_name_of_someone(db):
    data = workbook_with({"uitkeringen": [example_row("uitkeringen", kenmerk="U-2", tranchenummer=2)]})

    checked = workbook_import(data=data, user=None, commit=False)
    report = workbook_import(data=data, user=None, commit=True)

    assert located(checked) == [] and not checked.saved
    assert located(report) == [
        (
            "uitkeringen",
            2,
            None,
            "Uitkeringen wachten na de import in een importbatch op naam van wie importeert: geef een gebruiker op.",
        )
    ]
    assert not Deal.objects.filter(code="voorbeeld").exists()


def test_a_workbook_without_uitkeringen_is_saved_without_a_user(db):
    data = template_with(lambda wb: wb["uitkeringen"].delete_rows(2))

    report = workbook_import(data=data, user=None, commit=True)

    assert located(report) == [] and report.saved and report.batch is None
    assert Deal.objects.get(code="voorbeeld").bookings.count() == 3


def test_an_unforeseen_failure_while_reading_is_one_message_logged_for_the_beheerder(coordinator, caplog):
    with mock.patch("finance.workbook.read_workbook", side_effect=RuntimeError("stuk")):
        report = workbook_import(data=workbook_template(), user=coordinator, commit=True)

    assert located(report) == [
        (
            "",
            None,
            None,
            "De werkmap kon door een onverwachte fout niet gelezen worden; er is niets opgeslagen. "
            "Meld dit aan de beheerder, met de werkmap.",
        )
    ]
    assert (report.saved, report.counts) == (False, [])
    [record] = [r for r in caplog.records if r.name == "finance.workbook"]
    assert (record.levelname, record.getMessage(), str(record.exc_info[1])) == (
        "ERROR",
        "Werkmap-import: onverwachte fout bij het lezen",
        "stuk",
    )


def test_a_check_saves_nothing_and_a_valid_import_saves_everything_in_the_importers_name(coordinator):
    checked = workbook_import(data=workbook_template(), user=coordinator, commit=False)
    assert located(checked) == [] and not checked.saved and checked.batch is None
    assert not Deal.objects.filter(code="voorbeeld").exists()

    report = workbook_import(data=workbook_template(), user=coordinator, commit=True, file_name="sjabloon.xlsx")

    assert report.saved
    deal = Deal.objects.get(code="voorbeeld")
    decision = Decision.objects.get(deal=deal)
    assert decision.created_by == coordinator and decision.history.get().history_user == coordinator
    project = Project.objects.get(deal=deal)
    assert project.history.get().history_user == coordinator
    assert ReportingPeriod.objects.get(deal=deal).history.get().history_user == coordinator
    bookings = deal.bookings.order_by("kind")
    assert [(b.kind, b.reference, b.created_by) for b in bookings] == [
        ("begroting", "B-0001", coordinator),
        ("besteding", "S-0001", coordinator),
        ("toekenning", "T-0001", coordinator),
    ]
    assert {(h.history_user, h.history_change_reason) for h in Booking.history.filter(deal_id=deal.pk)} == {
        (coordinator, "Import werkmap")
    }
    # Four eyes: the uitkering waits for a controller; the other twelve new rows (the template's example
    # programme line and condition type among them) are counted beside it.
    batch = report.batch
    assert (batch.status, batch.uploaded_by, batch.file_name) == (
        ImportBatch.Status.WAITING,
        coordinator,
        "sjabloon.xlsx",
    )
    assert (batch.payout_count, batch.payout_total, batch.other_rows) == (1, Decimal("40000.00"), 12)


def test_a_booking_sheet_without_a_required_column_is_reported_on_the_header_only(coordinator):
    assert workbook_import(data=workbook_template(), user=coordinator, commit=True).saved  # U-0001 waits in a batch
    rows = {
        "begroting": [
            example_row("begroting", kenmerk="B-2", boekdatum="geen datum"),
            correction_row("begroting", "B-3", "B-404", None),
        ],
        "uitkeringen": [
            example_row("uitkeringen", kenmerk="U-2", tranchenummer=1),
            correction_row("uitkeringen", "U-3", "U-0001", 1),
        ],
    }

    def without(wb):
        for name, header in (("begroting", "bedrag"), ("uitkeringen", "project")):
            headers = [c.value for c in wb[name][1]]
            wb[name].delete_cols(headers.index(header) + 1)

    data = workbook_with(rows, base=template_with(without))

    report = workbook_import(data=data, user=None, commit=False)

    # Without these columns the rows cannot be checked: no correction, tranche, batch or budget message follows;
    # the other cells of such a row are still checked.
    assert located(report) == [
        ("begroting", 1, "bedrag", "Verplichte kolom ontbreekt in de kopregel."),
        ("begroting", 3, "boekdatum", "'geen datum' is geen datum; gebruik een datumcel of dd-mm-jjjj."),
        ("uitkeringen", 1, "project", "Verplichte kolom ontbreekt in de kopregel."),
    ]


def test_the_extra_sheets_are_checked_on_the_ledger_but_a_check_keeps_nothing(coordinator):
    pending = {"nog te bepalen": [{"project": "1110", "financier": "Rijk", "toelichting": "Bijdrage volgt"}]}
    data = workbook_with(pending)

    checked = workbook_import(data=data, user=coordinator, commit=False)

    assert located(checked) == [] and (checked.saved, checked.batch) == (False, None)
    assert {c.sheet: c.new for c in checked.counts}["nog te bepalen"] == 1
    assert not Deal.objects.filter(code="voorbeeld").exists()

    with CaptureQueriesContext(connection) as queries:
        report = workbook_import(data=data, user=coordinator, commit=True)

    assert located(report) == [] and report.saved
    saved = PendingAmount.objects.get(deal__code="voorbeeld")
    # Saved under the lock the services take on the funder (finance.services.lock_funder).
    lock = f'FROM "finance_funder" WHERE "finance_funder"."id" = {saved.funder.pk} LIMIT 21 FOR UPDATE'
    assert len([q for q in queries.captured_queries if q["sql"].endswith(lock)]) == 1
    assert (saved.project.code, saved.funder.name, saved.note) == ("1110", "Rijk", "Bijdrage volgt")
    assert saved.history.get().history_user == coordinator


def test_an_invalid_row_keeps_the_whole_workbook_unsaved_even_when_rows_lean_on_it(coordinator):
    # The programme row is refused (its name is too long); the project row that names it is fine on its own.
    data = first_row_changed("programma's", naam="x" * 201)

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert located(report) == [("programma's", 2, "naam", "Te lang: hoogstens 200 tekens, dit zijn er 201.")]
    assert not report.saved and not Deal.objects.filter(code="voorbeeld").exists()


def test_the_batch_counts_the_other_rows_of_the_workbook_new_and_changed(coordinator, controller):
    first = workbook_import(data=workbook_template(), user=coordinator, commit=True)
    new_deal_roles(coordinator, controller)
    batch_confirm(batch=first.batch, user=controller)
    renamed = first_row_changed("projecten", naam="Techniekhub Zuid")
    data = workbook_with({"uitkeringen": [example_row("uitkeringen", kenmerk="U-2", tranchenummer=None)]}, base=renamed)

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert located(report) == [] and report.saved
    assert (report.total_new, report.total_changed) == (1, 1)
    # U-2 waits in the batch; besides it one project was changed.
    assert (report.batch.payout_count, report.batch.other_rows) == (1, 1)
    assert Project.objects.get(deal__code="voorbeeld").name == "Techniekhub Zuid"


def test_an_unforeseen_failure_in_a_row_or_a_sheet_is_still_located(coordinator):
    def collect(reader, instance, is_create):
        if isinstance(instance, Decision) and instance.number == "SG-2":
            raise RuntimeError("kapot in de rij")
        reader.collected.append((reader.excel_row, instance, is_create))

    decision = {"nummer": "SG-2", "datum": datetime.date(2021, 2, 1), "orgaan": "stuurgroep", "besluit": "Tweede"}
    data = workbook_with({"besluiten": [decision]})

    def after_import(resource, dataset, result, **kwargs):
        if resource.sheet.name == "periodes":
            raise RuntimeError("kapot in het tabblad")

    with (
        mock.patch.object(SheetReader, "collect", autospec=True, side_effect=collect),
        mock.patch.object(SheetResource, "after_import", autospec=True, side_effect=after_import),
    ):
        report = workbook_import(data=data, user=coordinator, commit=True)

    assert located(report) == [
        ("periodes", None, None, "Onverwachte fout: kapot in het tabblad"),
        ("besluiten", 3, None, "Onverwachte fout: kapot in de rij"),
    ]
    assert not report.saved and not Deal.objects.filter(code="voorbeeld").exists()


def test_a_reimport_reads_the_deal_with_its_kassier_in_one_query(deal, coordinator):
    data = workbook_export(deal=deal)

    with CaptureQueriesContext(connection) as queries:
        report = workbook_import(data=data, user=coordinator, commit=False)

    assert located(report) == [] and (report.total_new, report.total_changed) == (0, 0)
    deal_queries = [q["sql"] for q in queries.captured_queries if 'FROM "projects_deal"' in q["sql"]]
    assert len(deal_queries) == 1 and 'JOIN "projects_organisation"' in deal_queries[0]
    kassier = f'WHERE "projects_organisation"."id" = {deal.kassier_organisation_id} LIMIT 21'
    assert [q["sql"] for q in queries.captured_queries if kassier in q["sql"]] == []


def test_a_deal_without_a_closing_date_is_one_message_not_one_per_booking(coordinator):
    report = workbook_import(
        data=first_row_changed("deal", financieel_afgerond_uiterlijk=None), user=coordinator, commit=False
    )

    assert located(report) == [("deal", 2, "financieel afgerond uiterlijk", "Verplichte waarde ontbreekt.")]


def test_a_period_day_that_is_no_date_is_reported_as_such_and_only_once(coordinator):
    rows = [
        example_row("bestedingen", kenmerk="S-2", periode_vanaf="geen datum"),
        example_row("bestedingen", kenmerk="S-3"),
        example_row("bestedingen", kenmerk="S-4", boekdatum="geen datum"),
    ]
    rows[1]["periode t/m"] = "geen datum"

    report = workbook_import(data=workbook_with({"bestedingen": rows}), user=coordinator, commit=False)

    message = "'geen datum' is geen datum; gebruik een datumcel of dd-mm-jjjj."
    assert located(report) == [
        ("bestedingen", 3, "periode vanaf", message),
        ("bestedingen", 4, "periode t/m", message),
        ("bestedingen", 5, "boekdatum", message),
    ]


def test_a_correction_of_a_booking_on_record_that_is_not_on_the_sheet(coordinator):
    assert workbook_import(data=workbook_template(), user=coordinator, commit=True).saved
    new_deal_roles(coordinator)
    data = workbook_with(
        {"begroting": [correction_row("begroting", "B-0001-C", "B-0001", 100000)]},
        base=template_with(lambda wb: wb["begroting"].delete_rows(2)),
    )

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert located(report) == [] and report.saved
    correction = Booking.objects.get(deal__code="voorbeeld", reference="B-0001-C")
    assert (correction.correction_of.reference, correction.amount) == ("B-0001", Decimal("100000.00"))


def test_a_sheet_without_a_header_is_counted_and_the_sheets_after_it_are_read(coordinator):
    report = workbook_import(
        data=template_with(lambda wb: wb["financiers"].delete_rows(1, 2)), user=coordinator, commit=False
    )

    assert located(report)[0][:2] == ("financiers", 1)
    counts = {c.sheet: (c.present, c.new, c.changed, c.unchanged) for c in report.counts}
    assert counts["financiers"] == (True, 0, 0, 0)
    assert counts["periodes"] == counts["besluiten"] == (True, 1, 0, 0)


def test_a_booking_on_record_moved_to_another_project_is_refused(deal, coordinator):
    wb = load_workbook(io.BytesIO(workbook_export(deal=deal)))
    ws = wb["begroting"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "DEMO-0128")
    ws.cell(row=row, column=headers.index("project") + 1).value = "1320"
    out = io.BytesIO()
    wb.save(out)

    report = workbook_import(data=out.getvalue(), user=coordinator, commit=False)

    assert located(report) == [
        (
            "begroting",
            row,
            "kenmerk",
            "Kenmerk 'DEMO-0128' bestaat al met andere gegevens (project). Een boeking wordt nooit "
            "gewijzigd: boek een correctie met een nieuw kenmerk.",
        )
    ]


def test_a_correction_cell_that_is_too_long_is_reported_as_such_not_as_missing(coordinator):
    long_reason = correction_row("begroting", "B-2", "B-0001", 1)
    long_reason["reden correctie"] = "r" * 301
    long_reference = example_row("begroting", kenmerk="B-3", bedrag=1, correctie_op="B" * 101)
    long_reference["reden correctie"] = "Verlaagd"
    data = workbook_with({"begroting": [long_reason, long_reference]})

    report = workbook_import(data=data, user=coordinator, commit=False)

    assert located(report) == [
        ("begroting", 3, "reden correctie", "Te lang: hoogstens 300 tekens, dit zijn er 301."),
        ("begroting", 4, "correctie op", "Te lang: hoogstens 100 tekens, dit zijn er 101."),
    ]


def test_a_kenmerk_cell_that_holds_a_date_is_never_taken_for_a_booking_on_record(coordinator):
    # An unreadable kenmerk is no kenmerk: it must not find a booking on record, whatever that is called.
    data = workbook_with({"begroting": [example_row("begroting", kenmerk="XXXX")]})
    assert workbook_import(data=data, user=coordinator, commit=True).saved
    new_deal_roles(coordinator)
    dated_row = example_row("begroting", kenmerk=datetime.date(2021, 1, 1), bedrag=5)
    dated = workbook_with({"begroting": [dated_row]})  # the booking XXXX is on record, not on the sheet

    report = workbook_import(data=dated, user=coordinator, commit=False)

    assert located(report) == [("begroting", 3, "kenmerk", "Verwacht tekst, maar de cel bevat een datum (01-01-2021).")]


def test_the_model_rules_of_a_row_wait_until_its_cells_are_readable(deal, coordinator):
    # A period with verslagen keeps its dates (ReportingPeriod.clean); that rule is only asked once every cell
    # of the row could be read, so the row gets one message at a time.
    reported = ReportingPeriod.objects.filter(deal=deal, reports__isnull=False).distinct().order_by("start").first()
    wb = load_workbook(io.BytesIO(workbook_export(deal=deal)))
    ws = wb["periodes"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == reported.name)
    ws.cell(row=row, column=headers.index("ijkdatum") + 1).value = datetime.date(2030, 1, 1)
    ws.cell(row=row, column=headers.index("inleverdatum") + 1).value = "geen datum"
    out = io.BytesIO()
    wb.save(out)

    report = workbook_import(data=out.getvalue(), user=coordinator, commit=False)

    assert located(report) == [
        ("periodes", row, "inleverdatum", "'geen datum' is geen datum; gebruik een datumcel of dd-mm-jjjj.")
    ]


def test_a_correction_of_an_uitkering_needs_no_tranche_column(coordinator, controller):
    first = workbook_import(data=workbook_template(), user=coordinator, commit=True)
    new_deal_roles(coordinator, controller)
    batch_confirm(batch=first.batch, user=controller)

    def without_numbers(wb):
        ws = wb["uitkeringen"]
        ws.delete_cols([c.value for c in ws[1]].index("tranchenummer") + 1)

    data = workbook_with(
        {"uitkeringen": [correction_row("uitkeringen", "U-0001-C", "U-0001", 1000)]},
        base=template_with(without_numbers),
    )

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert located(report) == [] and report.saved
    correction = Booking.objects.get(deal__code="voorbeeld", reference="U-0001-C")
    assert (correction.correction_of.reference, correction.amount) == ("U-0001", Decimal("1000.00"))
