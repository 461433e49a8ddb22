"""From an uploaded file to one dataset per sheet of the deal workbook, losing no word on the way.

Before a row is read (finance/workbook.py) this module checks the layout and reports,
at sheet, row and column, whatever would otherwise be skipped or read as empty: an empty
sheet, rows above the header, merged cells, a column the import does not know, a value
without a column header, a column twice. Formulas are marked here (regiodeal.spreadsheets)
and refused by the widget of their column. Any of these makes the workbook invalid, so
nothing is saved; the rows are still read, so that the other messages are real ones.
The WorkbookReport collects those messages and the counts per sheet for the page and the CLI.
"""

from dataclasses import dataclass, field

import tablib
from django.conf import settings
from openpyxl.utils.cell import range_boundaries

from finance.models import ImportBatch
from finance.workbook_format import BlankContext, Sheet
from regiodeal.spreadsheets import Formula, RawSheet, SpreadsheetError, column_letter, read_xlsx

HEADER_SEARCH_ROWS = 10  # how far down a header pushed down by title rows is looked for
WORKBOOK_LEVEL = ""  # WorkbookError.sheet of a message about the file as a whole


@dataclass(frozen=True)
class WorkbookError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"Tabblad '{self.sheet}'" if self.sheet else "Werkmap"
        if self.row:
            where += f", rij {self.row}"
        if self.column:
            where += f", kolom '{self.column}'"
        return f"{where}: {self.message}"


@dataclass
class SheetCount:
    sheet: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    present: bool = True


@dataclass
class WorkbookReport:
    deal_code: str = ""
    deal_name: str = ""
    deal_is_new: bool = False
    counts: list[SheetCount] = field(default_factory=list)
    errors: list[WorkbookError] = field(default_factory=list)
    saved: bool = False
    batch: ImportBatch | None = None  # the new uitkeringen, waiting for a controller

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def total_new(self) -> int:
        return sum(c.new for c in self.counts)

    @property
    def total_changed(self) -> int:
        return sum(c.changed for c in self.counts)


@dataclass
class PreparedSheet:
    dataset: tablib.Dataset  # known columns only, under their canonical header
    excel_rows: list[int]  # the spreadsheet row of each dataset row


def read_sheets(data: bytes) -> dict[str, RawSheet]:
    """Every sheet of the file by title; raises SpreadsheetError for a file that is no workbook or too big."""
    return {raw.title: raw for raw in read_xlsx(data, max_rows=settings.WORKBOOK_MAX_ROWS)}


def file_error(error: SpreadsheetError) -> WorkbookError:
    return WorkbookError(WORKBOOK_LEVEL, None, None, str(error))


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _header_text(value) -> str:
    """A header cell as the import compares it: trimmed, without a trailing '*', case-folded."""
    if value is None or isinstance(value, Formula):
        return ""
    return str(value).strip().rstrip("*").strip().casefold()


def _shown(values) -> str:
    texts = [str(v).strip() for v in values if _filled(v)]
    text = " | ".join(texts)
    return f"'{text[:80]}'" if texts else "niets"


def _find_header(sheet: Sheet, rows: list[list]) -> int | None:
    """The index of the first row that holds at least two of the sheet's headers (or its key)."""
    known = {c.header.casefold() for c in sheet.columns}
    key = sheet.column(sheet.key).header.casefold()
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = {_header_text(v) for v in row} & known
        if len(found) >= 2 or key in found:
            return index
    return None


def prepare_sheet(sheet: Sheet, raw: RawSheet, errors: list[WorkbookError]) -> PreparedSheet | None:
    """The sheet's dataset, with every layout problem appended to ``errors``; None when no header is found."""
    expected = ", ".join(c.header for c in sheet.columns)
    if not any(_filled(v) for row in raw.rows for v in row):
        errors.append(
            WorkbookError(
                sheet.name,
                1,
                None,
                f"Het tabblad is leeg: de kopregel ontbreekt (verwacht: {expected}). "
                "Verwijder het tabblad als er niets te importeren is.",
            )
        )
        return None
    header_index = _find_header(sheet, raw.rows)
    first_row = raw.rows[0] if raw.rows else []
    if header_index is None:
        errors.append(
            WorkbookError(
                sheet.name,
                1,
                None,
                f"Hier wordt de kopregel verwacht ({expected}), maar rij 1 bevat {_shown(first_row)}; "
                f"ook in de eerste {HEADER_SEARCH_ROWS} rijen staat geen kopregel.",
            )
        )
        return None
    header_row = header_index + 1
    if header_index > 0:
        errors.append(
            WorkbookError(
                sheet.name,
                1,
                None,
                f"Hier hoort de kopregel, maar die staat op rij {header_row} (rij 1 bevat {_shown(first_row)}). "
                f"Verwijder {'de rij' if header_index == 1 else f'de {header_index} rijen'} boven de kopregel.",
            )
        )
    headers = raw.rows[header_index]
    positions = _header_positions(sheet, headers, header_row, errors)
    _report_merged(sheet, raw.merged, headers, errors)
    dataset = tablib.Dataset(headers=list(positions))
    excel_rows: list[int] = []
    stray: dict[int, int] = {}  # position of a column the import does not read -> first row with a value
    read = set(positions.values())
    for index, values in enumerate(raw.rows[header_index + 1 :], start=header_row + 1):
        for position, value in enumerate(values):
            if position not in read and position not in stray and _filled(value):
                stray[position] = index
        row = [values[i] if i < len(values) else None for i in positions.values()]
        if any(_filled(v) for v in row):
            dataset.append(row)
            excel_rows.append(index)
    _report_stray(sheet, headers, header_row, stray, errors)
    return PreparedSheet(dataset, excel_rows)


def _header_positions(sheet: Sheet, headers: list, header_row: int, errors: list[WorkbookError]) -> dict[str, int]:
    """{canonical header: position} of the known columns; reports formulas, doubles and missing columns."""
    by_text = {c.header.casefold(): c for c in sheet.columns}
    positions: dict[str, int] = {}
    for position, value in enumerate(headers):
        letter = column_letter(position)
        if isinstance(value, Formula):
            errors.append(WorkbookError(sheet.name, header_row, letter, f"In de kopregel: {value.message}"))
            continue
        column = by_text.get(_header_text(value))
        if column is None:
            continue
        if column.header in positions:
            first = column_letter(positions[column.header])
            errors.append(
                WorkbookError(
                    sheet.name,
                    header_row,
                    column.header,
                    f"Deze kolom staat twee keer in de kopregel (kolom {first} en kolom {letter}); laat er één over.",
                )
            )
            continue
        positions[column.header] = position
    blank = BlankContext()
    for column in sheet.columns:
        if column.header not in positions and column.widget(blank).required:
            errors.append(
                WorkbookError(sheet.name, header_row, column.header, "Verplichte kolom ontbreekt in de kopregel.")
            )
    return positions


def _report_stray(
    sheet: Sheet, headers: list, header_row: int, stray: dict[int, int], errors: list[WorkbookError]
) -> None:
    """Values in a column without a known header would be skipped: each such column is an error."""
    known = ", ".join(c.header for c in sheet.columns)
    for position, row in sorted(stray.items()):
        letter = column_letter(position)
        header = headers[position] if position < len(headers) else None
        if not _filled(header) or isinstance(header, Formula):
            errors.append(
                WorkbookError(
                    sheet.name,
                    row,
                    letter,
                    f"Waarde in een kolom zonder kop (kolom {letter} is leeg in de kopregel, rij {header_row}); "
                    "die zou niet geïmporteerd worden. Geef de kolom een kop of verwijder de waarde.",
                )
            )
        elif _header_text(header) not in {c.header.casefold() for c in sheet.columns}:
            errors.append(
                WorkbookError(
                    sheet.name,
                    header_row,
                    str(header).strip(),
                    f"Onbekende kolom (kolom {letter}) met waarden, de eerste op rij {row}; die zouden niet "
                    f"geïmporteerd worden. Deze kolommen kent de import: {known}.",
                )
            )
        # A known column that appears twice is reported once, in _header_positions.


def _report_merged(sheet: Sheet, merged: list[str], headers: list, errors: list[WorkbookError]) -> None:
    for ref in merged:
        min_col, min_row, _max_col, _max_row = range_boundaries(ref)
        header = headers[min_col - 1] if min_col - 1 < len(headers) else None
        column = next((c.header for c in sheet.columns if c.header.casefold() == _header_text(header)), None)
        errors.append(
            WorkbookError(
                sheet.name,
                min_row,
                column or column_letter(min_col - 1),
                f"Samengevoegde cellen ({ref}) zijn niet toegestaan: alleen de eerste cel heeft een waarde, de "
                "andere zouden leeg ingelezen worden. Maak het samenvoegen ongedaan en vul elke cel.",
            )
        )
