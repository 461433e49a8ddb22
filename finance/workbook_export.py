"""Writing the deal workbook: the template (one example row per sheet) and the export of a deal.

Both are written from the sheet definitions in finance/workbook_format.py, so an export
imports again without a change and the sheet "Toelichting" explains every column.
"""

import datetime
import io
from collections.abc import Iterable
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from finance.models import Tranche
from finance.workbook_extras import EXTRA_SHEETS, extra_export_rows
from finance.workbook_format import (
    AMOUNT_FORMAT,
    DATE_FORMAT,
    EXPLANATION_SHEET,
    SHEETS,
    SHEETS_BY_NAME,
    BlankContext,
    Sheet,
    booking_kenmerken,
)
from projects.models import Deal
from regiodeal.spreadsheets import escape_cell

# --------------------------------------------------------------------------- writing


def _cell(ws, value, *, bold=False):
    if not bold and not isinstance(value, datetime.date | Decimal):
        return escape_cell(value)  # a plain value: no cell object needed (fast for large deals)
    cell = WriteOnlyCell(ws, value=escape_cell(value))
    if isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal):
        cell.number_format = AMOUNT_FORMAT
    if bold:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6EE")
    return cell


def _write_workbook(rows: dict[str, Iterable[list]]) -> bytes:
    """All sheets plus the explanation. write_only keeps memory flat for large deals."""
    wb = Workbook(write_only=True)
    for sheet in (*SHEETS, *EXTRA_SHEETS):  # the extra sheets of the template have a header only
        ws = wb.create_sheet(sheet.name)
        ws.freeze_panes = "A2"
        for i, column in enumerate(sheet.columns):
            ws.column_dimensions[get_column_letter(i + 1)].width = max(12, min(40, len(column.header) + 4))
        ws.append([_cell(ws, c.header, bold=True) for c in sheet.columns])
        for values in rows.get(sheet.name, ()):
            ws.append([_cell(ws, v) for v in values])
    _write_explanation(wb.create_sheet(EXPLANATION_SHEET))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


EXPLANATION_INTRO = [
    "Werkmap van één Regio Deal. Elk tabblad heeft één kopregel; elke volgende regel is één actielijn, "
    "programma, project, financier of boeking. Laat lege regels gerust staan.",
    "Structuur (actielijnen, programma's, projecten) herkent de import aan de code, financiers aan de naam: "
    "een bekende code wordt bijgewerkt, een nieuwe toegevoegd. Er wordt nooit iets verwijderd.",
    "Boekingen herkent de import aan het kenmerk. Boekingen worden nooit gewijzigd: wie een bedrag wil "
    "verminderen, voegt een correctie toe (nieuwe regel, eigen kenmerk, kolom 'correctie op' en 'reden correctie').",
    "Uitkeringen zijn uitgekeerde tranches. De import houdt ze vast in een importbatch: ze tellen pas mee "
    "als een controller van de deal (niet wie importeert) de batch bevestigt; elke uitkering gaat dan door "
    "dezelfde begrotingscontrole als een tranche. Boven de begroting alleen met 'reden overschrijding' en "
    "'besluit overschrijding'.",
    "Er wordt pas iets opgeslagen als de hele werkmap foutloos is; eerst ziet u altijd een voorbeeld met de "
    "aantallen en de fouten per tabblad, rij en kolom. Dezelfde werkmap nogmaals importeren verandert niets.",
    "Bedragen: getal in euro met hoogstens twee decimalen, nooit negatief. Datums: datumcel of dd-mm-jjjj.",
    "Alleen ingevulde waarden worden gelezen: een formule, samengevoegde cellen, een kolom zonder bekende kop of "
    "regels boven de kopregel geven een fout met tabblad, rij en kolom (vervang een formule door haar uitkomst "
    "met Plakken speciaal > Waarden).",
    "Tekst die met =, +, - of @ begint, staat in een export met een ' ervoor, zodat een rekenblad er geen "
    "formule van maakt; de import haalt dat teken weer weg.",
    "Jaarbegrotingen, doorschuivingen, cofinanciering buiten de kassier en nog te bepalen bedragen mogen ontbreken "
    "of leeg zijn: dan is er niets van die soort. Ze gaan door dezelfde regels als in het portaal; een doorschuiving "
    "heeft een besluit en komt uit een afgesloten jaar. Bewijsstukken van cofinanciering (documenten) gaan niet mee "
    "in de werkmap.",
]


def _write_explanation(ws) -> None:
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 40
    ws.column_dimensions["E"].width = 22
    ws.column_dimensions["F"].width = 90
    title = WriteOnlyCell(ws, value="Toelichting bij de werkmap")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    for line in EXPLANATION_INTRO:
        ws.append([WriteOnlyCell(ws, value=line)])
    ws.append([])
    ws.append([_cell(ws, h, bold=True) for h in ("tabblad", "kolom", "verplicht", "formaat", "voorbeeld", "uitleg")])
    ctx = BlankContext()
    for sheet in (*SHEETS, *EXTRA_SHEETS):
        for column in sheet.columns:
            widget = column.widget(ctx)
            explanation = WriteOnlyCell(ws, value=escape_cell(column.explanation))
            explanation.alignment = Alignment(wrap_text=True, vertical="top")
            ws.append(
                [
                    _cell(ws, sheet.name),
                    _cell(ws, column.header),
                    _cell(ws, "ja" if widget.required else "nee"),
                    _cell(ws, widget.format_text),
                    _cell(ws, column.example),
                    explanation,
                ]
            )


def workbook_template() -> bytes:
    """An empty workbook with one example row per sheet; as it stands it imports as deal 'voorbeeld'."""
    return _write_workbook({s.name: [[c.example for c in s.columns]] for s in SHEETS})


def workbook_export(*, deal: Deal) -> bytes:
    """The whole deal in the import format: exporting and importing into an empty database gives the same figures."""
    deal = Deal.objects.select_related("kassier_organisation").get(pk=deal.pk)
    rows: dict[str, Iterable[list]] = {
        "deal": [[c.value(deal) for c in SHEETS_BY_NAME["deal"].columns]],
        "actielijnen": _rows("actielijnen", deal.action_lines.order_by("code")),
        "programma's": _rows("programma's", deal.programmes.select_related("action_line").order_by("code")),
        "programmalijnen": _rows("programmalijnen", deal.programme_lines.order_by("code")),
        "projecten": _rows(
            "projecten",
            deal.projects.select_related("programme", "programme_line", "lead_organisation").order_by("code"),
        ),
        "financiers": _rows("financiers", deal.funders.select_related("organisation").order_by("order", "name")),
        "periodes": _rows("periodes", deal.reporting_periods.order_by("start")),
        "besluiten": _rows("besluiten", deal.decisions.order_by("date", "number")),
        "voorwaarden": _rows("voorwaarden", deal.condition_types.order_by("name")),
        **extra_export_rows(deal),
    }
    tranche_numbers, overrides = {}, {}
    for booking_id, number, reason, decision_number in Tranche.objects.filter(booking__deal=deal).values_list(
        "booking_id", "number", "override_reason", "override_decision__number"
    ):
        tranche_numbers[booking_id] = number
        overrides[booking_id] = (reason, decision_number or "")
    kenmerken = booking_kenmerken(deal.bookings.values_list("pk", "kind", "reference"))
    for sheet in SHEETS:
        if sheet.is_booking:
            bookings = (
                deal.bookings.filter(kind=sheet.kind)
                .select_related("project", "funder", "decision")
                .order_by("date", "id")
            )
            rows[sheet.name] = _booking_rows(sheet, bookings, tranche_numbers, kenmerken, overrides)
    return _write_workbook(rows)


def _rows(sheet_name: str, queryset) -> list[list]:
    columns = SHEETS_BY_NAME[sheet_name].columns
    return [[c.value(obj) for c in columns] for obj in queryset]


def _booking_rows(sheet: Sheet, bookings, tranche_numbers: dict[int, int], kenmerken: dict[int, str], overrides):
    for booking in bookings.iterator(chunk_size=2000):
        booking.tranche_number = tranche_numbers.get(booking.pk)
        booking.override_reason, booking.override_decision_number = overrides.get(booking.pk, ("", ""))
        booking.kenmerk = kenmerken[booking.pk]
        booking.correction_kenmerk = kenmerken.get(booking.correction_of_id, "")
        yield [c.value(booking) for c in sheet.columns]
