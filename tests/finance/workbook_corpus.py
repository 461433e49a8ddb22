"""A corpus of malformed deal workbooks, made in memory from a valid export by systematic mutations.

``base_book`` turns an export of the demo deal into a small valid workbook (a new deal
"corpus", the bookings of one project); ``CASES`` lists every mutation with the message it
must give and where: each sheet emptied, pushed down by title rows, merged, doubled,
widened, renamed; each column given a formula (with and without a stored value), a value
of the wrong type, a negative or huge number, an unknown reference, a blank or no column.
Nothing here touches the database; tests/finance/test_workbook_corpus.py runs the cases.
"""

import copy
import datetime
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from finance.resources import (
    AmountWidget,
    ChoiceWidget,
    DateWidget,
    LookupWidget,
    OrganisationWidget,
    PositiveIntegerWidget,
    TextWidget,
    YesNoWidget,
)
from finance.workbook_format import EXPLANATION_SHEET, SHEETS, BlankContext, Column, Sheet

CORPUS_DEAL = "corpus"
BOOKING_SHEETS = [s.name for s in SHEETS if s.is_booking]


@dataclass
class Book:
    """A workbook as rows of values per sheet, plus what a value cannot say: merges and stored formula results."""

    sheets: dict[str, list[list]]
    merges: dict[str, list[str]] = field(default_factory=dict)
    cached: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, "B2") -> stored result

    def copy(self) -> "Book":
        return copy.deepcopy(self)

    def set(self, sheet: str, row: int, column: int, value) -> None:
        """Sets a cell by 1-based row and 0-based column, widening the row when needed."""
        cells = self.sheets[sheet][row - 1]
        cells.extend([None] * (column + 1 - len(cells)))
        cells[column] = value

    def to_bytes(self) -> bytes:
        return write_xlsx(self.sheets, merges=self.merges, cached=self.cached)


# A minimal xlsx writer: the corpus writes hundreds of workbooks, and openpyxl's writer costs
# more than the import under test. It writes what Excel writes for these cells: inline
# strings, numbers, dates as serial numbers with a date style, formulas with or without
# a stored result, merged ranges.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_EPOCH = datetime.date(1899, 12, 30)
_STYLES = (
    f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def _cell(ref: str, value, cached: str | None) -> str:
    if isinstance(value, str) and value.startswith("="):
        if cached is None:
            return f'<c r="{ref}"><f>{escape(value[1:])}</f></c>'
        return f'<c r="{ref}" t="str"><f>{escape(value[1:])}</f><v>{escape(cached)}</v></c>'
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="1"><v>{(value - _EPOCH).days}</v></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def _sheet_xml(title: str, rows: list[list], merges: list[str], cached: dict) -> str:
    parts = [f'<worksheet xmlns="{_MAIN}"><sheetData>']
    for number, row in enumerate(rows, start=1):
        cells = [
            _cell(f"{get_column_letter(i + 1)}{number}", v, cached.get((title, f"{get_column_letter(i + 1)}{number}")))
            for i, v in enumerate(row)
            if v is not None
        ]
        if cells:
            parts.append(f'<row r="{number}">{"".join(cells)}</row>')
    parts.append("</sheetData>")
    if merges:
        parts.append(f'<mergeCells count="{len(merges)}">')
        parts += [f'<mergeCell ref="{ref}"/>' for ref in merges]
        parts.append("</mergeCells>")
    parts.append("</worksheet>")
    return "".join(parts)


def write_xlsx(sheets: dict[str, list[list]], *, merges=None, cached=None) -> bytes:
    merges, cached = merges or {}, cached or {}
    titles = list(sheets)
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    main_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{sheet_type}"/>'
        for i in range(1, len(titles) + 1)
    )
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{_PKG}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{main_type}"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            + "".join(
                f'<sheet name={quoteattr(t)} sheetId="{i}" r:id="rId{i}"/>' for i, t in enumerate(titles, start=1)
            )
            + "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PKG}/relationships">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(titles) + 1)
            )
            + f'<Relationship Id="rId{len(titles) + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": _STYLES,
    }
    for i, title in enumerate(titles, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = _sheet_xml(title, sheets[title], merges.get(title, []), cached)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    return out.getvalue()


def base_book(export: bytes) -> Book:
    """A valid workbook of a new deal from the export: all structure, the bookings of one project."""
    wb = load_workbook(io.BytesIO(export), read_only=True)
    sheets = {
        ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
        for ws in wb.worksheets
        if ws.title != EXPLANATION_SHEET
    }
    wb.close()
    sheets["deal"][1][0] = CORPUS_DEAL
    # All bookings of the project of the first payout: a consistent set (budget, payouts, corrections).
    project = sheets["uitkeringen"][1][1]
    funders = set()
    for name in BOOKING_SHEETS:
        header, *rows = sheets[name]
        sheets[name] = [header] + [r for r in rows if r[1] == project]
        funders |= {r[2] for r in sheets[name][1:]}
        assert len(sheets[name]) > 1, f"the demo deal has no {name} of project {project}"
    # Fewer rows, a faster corpus: of projects and funders, the first and those the bookings use.
    for name, kept in (("projecten", {project}), ("financiers", funders)):
        header, first, *rows = sheets[name]
        sheets[name] = [header, first] + [r for r in rows if r[0] in kept]
    # The demo has no programme lines; one line gives the corpus a row of that sheet to break.
    sheets["programmalijnen"].append(["CORP", "Corpuslijn", "Een programmalijn van het corpus."])
    return Book(sheets)


# ----------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[Book], None]
    sheet: str  # where the message must be
    row: int | None
    column: str | None
    fragment: str  # part of the message


def _kind(column: Column) -> str:
    widget = column.widget(BlankContext())
    for kind, cls in (
        ("amount", AmountWidget),
        ("date", DateWidget),
        ("integer", PositiveIntegerWidget),
        ("choice", ChoiceWidget),
        ("lookup", LookupWidget),
        ("organisation", OrganisationWidget),
        ("text", TextWidget),
        ("yesno", YesNoWidget),
    ):
        if isinstance(widget, cls):
            return kind
    raise AssertionError(f"no corpus kind for {column.header}")


WRONG_TYPE = {  # kind -> (value, fragment of the message)
    "amount": (datetime.date(2022, 1, 1), "geen bedrag"),
    "date": ("gisteren", "geen datum"),
    "integer": (datetime.date(2022, 1, 1), "geen geheel getal"),
    "choice": ("iets anders", "geen geldige waarde"),
    "lookup": (datetime.date(2022, 1, 1), "Verwacht tekst"),
    "organisation": (datetime.date(2022, 1, 1), "Verwacht tekst"),
    "text": (datetime.date(2022, 1, 1), "Verwacht tekst"),
    "yesno": ("misschien", "geen ja of nee"),
}
NUMBERS = {  # kind -> [(value, fragment)]: negative and huge numbers
    "amount": [(-100, "Negatief bedrag"), (1e20, "te groot"), ("12,345", "meer dan twee decimalen")],
    "integer": [(-1, "geen geheel getal"), (10**12, "te groot"), (2.5, "geen geheel getal")],
    "date": [(-1, "geen datum"), (10**12, "geen datum")],
}


def _sheet_cases(sheet: Sheet, headers: list[str], last_row: int) -> list[Case]:
    name, first = sheet.name, headers[0]
    key = sheet.column(sheet.key).header

    def empty(b):
        b.sheets[name] = []

    def title_row(b):
        b.sheets[name].insert(0, [f"Overzicht {name} per 1 juli"])

    def two_title_rows(b):
        b.sheets[name][:0] = [["Regio Deal"], []]

    def merged_header(b):
        b.merges[name] = ["A1:B1"]

    def merged_cells(b):
        b.merges[name] = ["B2:C2"]

    def doubled(b):
        b.sheets[name].append(list(b.sheets[name][1]))

    def extra_column(b):
        b.set(name, 1, len(headers), "opmerking")
        b.set(name, 2, len(headers), "nagaan bij de penvoerder")

    def no_header(b):
        b.set(name, 2, len(headers) + 1, "los woord")

    def header_twice(b):
        b.set(name, 1, len(headers), first)
        b.set(name, 2, len(headers), "waarde")

    def header_formula(b):
        b.set(name, 1, 0, f'="{first}"')

    def renamed(b):
        b.sheets = {(f"{t} 2023" if t == name else t): rows for t, rows in b.sheets.items()}

    def twice(b):
        b.sheets[f"{name} "] = copy.deepcopy(b.sheets[name])

    double = (
        Case(f"{name}-rij-dubbel", doubled, name, last_row + 1, None, "meer dan één rij")
        if name == "deal"
        else Case(f"{name}-rij-dubbel", doubled, name, last_row + 1, key, "staat ook op rij 2")
    )
    return [
        Case(f"{name}-leeg", empty, name, 1, None, "Het tabblad is leeg"),
        Case(f"{name}-titelregel", title_row, name, 1, None, "die staat op rij 2"),
        Case(f"{name}-twee-titelregels", two_title_rows, name, 1, None, "die staat op rij 3"),
        Case(f"{name}-kop-samengevoegd", merged_header, name, 1, first, "Samengevoegde cellen (A1:B1)"),
        Case(f"{name}-cellen-samengevoegd", merged_cells, name, 2, headers[1], "Samengevoegde cellen (B2:C2)"),
        double,
        Case(f"{name}-extra-kolom", extra_column, name, 1, "opmerking", "Onbekende kolom"),
        Case(f"{name}-waarde-zonder-kop", no_header, name, 2, get_column_letter(len(headers) + 2), "zonder kop"),
        Case(f"{name}-kolom-twee-keer", header_twice, name, 1, first, "twee keer in de kopregel"),
        Case(f"{name}-kop-formule", header_formula, name, 1, "A", "Formule niet toegestaan"),
        Case(f"{name}-andere-naam", renamed, f"{name} 2023", None, None, "Onbekend tabblad"),
        Case(f"{name}-twee-keer", twice, f"{name} ", None, None, "twee keer in de werkmap"),
    ]


def _cell_setter(sheet: str, position: int, value, cached: str | None = None):
    def mutate(b: Book):
        b.set(sheet, 2, position, value)
        if cached is not None:
            b.cached[(sheet, f"{get_column_letter(position + 1)}2")] = cached

    return mutate


def _without_column(sheet: str, position: int):
    def mutate(b: Book):
        for row in b.sheets[sheet]:
            if position < len(row):
                del row[position]

    return mutate


def _column_cases(sheet: Sheet, column: Column, position: int) -> list[Case]:
    name, header, kind = sheet.name, column.header, _kind(column)
    widget = column.widget(BlankContext())
    at = f"{name}-{header}".replace(" ", "_")

    def case(suffix, mutate, fragment, row=2, column_name=header):
        return Case(f"{at}-{suffix}", mutate, name, row, column_name, fragment)

    cases = [
        case("formule", _cell_setter(name, position, "=1+1"), "Formule niet toegestaan"),
        case("formule-met-waarde", _cell_setter(name, position, "=1+1", cached="2"), "Formule niet toegestaan"),
        case("verkeerd-type", _cell_setter(name, position, WRONG_TYPE[kind][0]), WRONG_TYPE[kind][1]),
    ]
    for i, (value, fragment) in enumerate(NUMBERS.get(kind, [])):
        cases.append(case(f"getal-{i}", _cell_setter(name, position, value), fragment))
    if kind == "lookup":
        cases.append(case("onbekend", _cell_setter(name, position, "ONBEKEND-999"), "Onbekende"))
    if kind == "text" and widget.max_length:
        cases.append(case("te-lang", _cell_setter(name, position, "x" * (widget.max_length + 1)), "Te lang"))
    if widget.required:
        cases.append(case("leeg", _cell_setter(name, position, None), "Verplichte waarde ontbreekt"))
        cases.append(case("kolom-weg", _without_column(name, position), "Verplichte kolom ontbreekt", row=1))
    return cases


def build_cases(base: Book) -> list[Case]:
    cases = []
    for sheet in SHEETS:
        rows = base.sheets[sheet.name]
        headers = rows[0]
        assert headers == [c.header for c in sheet.columns], f"{sheet.name}: the export's columns changed"
        cases += _sheet_cases(sheet, headers, len(rows))
        for position, column in enumerate(sheet.columns):
            cases += _column_cases(sheet, column, position)
    return cases


def case_ids() -> list[str]:
    """The ids without an export: the shape of every sheet is known from its definition."""
    rows = {s.name: [[c.header for c in s.columns], [None] * len(s.columns)] for s in SHEETS}
    return [c.id for c in build_cases(Book(rows))]
