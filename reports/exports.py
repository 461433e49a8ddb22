"""One function per output format of the report; all take the same ReportData."""

import io
import json

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

from regiodeal.spreadsheets import escape_row
from reports.jsonformat import report_json
from reports.pdf import render_pdf

FORMATS = ("html", "pdf", "xlsx", "json")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def json_bytes(data) -> bytes:
    return json.dumps(report_json(data), ensure_ascii=False, indent=1).encode("utf-8")


def print_context(data, **extra) -> dict:
    return {"report": data, "print": True, **extra}


def html_bytes(data) -> bytes:
    return render_to_string("reports/report_print.html", print_context(data)).encode("utf-8")


def pdf_bytes(data) -> bytes:
    return render_pdf("reports/report_print.html", print_context(data))


EURO_FORMAT = '"€" #,##0.00'
PCT_FORMAT = '0.0" %"'


def xlsx_bytes(data) -> bytes:
    """One sheet per table; amounts as numbers (Decimal), formatted as euros.

    Every row goes through escape_row: names and findings are typed by users, and a text
    starting with '=' would otherwise open as a live formula.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "Tabel 1 financiers"
    header = [
        "Financier",
        "Categorie",
        "Begroot",
        "Uitgekeerd",
        "Uitgekeerd % van begroot",
        "Besteed",
        "Besteed % van uitgekeerd",
        "Besteed % van begroot",
    ]
    sheet.append(header)
    for row in data.funder_rows:
        f = row.figures
        figures = [f.begroot, f.uitgekeerd, f.pct_uitgekeerd_van_begroot, f.besteed]
        sheet.append(
            escape_row([row.name, row.category, *figures, f.pct_besteed_van_uitgekeerd, f.pct_besteed_van_begroot])
        )
    _style(sheet, money_columns=(3, 4, 6), pct_columns=(5, 7, 8))
    for table in data.tables:
        sheet = book.create_sheet(f"Tabel {table.number} {table.level} {table.measure}"[:31])
        sheet.append(escape_row(["Code", table.level.capitalize(), *table.columns, *table.percentage_labels]))
        for row in table.rows:
            sheet.append(escape_row([row.code, row.name, *row.amounts, *[p.value for p in row.percentages]]))
        first_pct = 3 + len(table.columns)
        _style(
            sheet,
            money_columns=tuple(range(3, first_pct)),
            pct_columns=tuple(range(first_pct, first_pct + len(table.percentage_labels))),
        )
    sheet = book.create_sheet("Bevindingen")
    sheet.append(["Soort", "Omschrijving", "Project", "Financier", "Bedrag"])
    for f in data.findings:
        sheet.append(
            escape_row(
                [f.soort_label, f.omschrijving, f.project.code if f.project else "", str(f.funder or ""), f.amount]
            )
        )
    _style(sheet, money_columns=(5,))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _style(sheet, money_columns=(), pct_columns=()):
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.column in money_columns:
                cell.number_format = EURO_FORMAT
            elif cell.column in pct_columns:
                cell.number_format = PCT_FORMAT
        if row[0].value == "Totaal" or (len(row) > 1 and row[1].value == "Totaal"):
            for cell in row:
                cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 36
    sheet.freeze_panes = "A2"


def render(data, fmt: str) -> bytes:
    return {"html": html_bytes, "pdf": pdf_bytes, "xlsx": xlsx_bytes, "json": json_bytes}[fmt](data)
