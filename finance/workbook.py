"""The Excel workbook of a whole deal: template, export and all-or-nothing import.

One format for three uses: the template (one example row per sheet), the export of a deal
and the import. Sheets: deal, actielijnen, programma's, projecten, financiers, begroting,
toekenningen, uitkeringen, bestedingen, plus "Toelichting" that explains every column.

Import rules:
- structure is identified by codes (financiers by name) and updated in place;
- a booking is identified by its kenmerk within its sheet; bookings are never changed, so a
  known kenmerk with other values is an error (a correction is a new row with "correctie op");
- uitkeringen are historic payouts: each becomes an approved tranche with its booking,
  registered and approved by the importing user;
- nothing is saved unless the whole workbook is valid; importing it again changes nothing.

Rows are parsed by django-import-export (finance/resources.py) against dictionaries loaded
once, and bookings are written with bulk inserts (history included), so an import costs a
fixed number of queries per sheet plus one insert per thousand bookings.
"""

import datetime
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import tablib
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from simple_history.utils import bulk_create_with_history

from finance.models import Booking, Funder, Tranche
from finance.resources import (
    AmountWidget,
    CellWidget,
    ChoiceWidget,
    DateWidget,
    LookupWidget,
    OrganisationWidget,
    PositiveIntegerWidget,
    SheetResource,
    TextWidget,
    escape_cell,
    format_amount,
)
from projects.models import ActionLine, Deal, Organisation, Programme, Project

EXPLANATION_SHEET = "Toelichting"
DATE_FORMAT = "DD-MM-YYYY"
AMOUNT_FORMAT = "#,##0.00"
BATCH_SIZE = 1000
IMPORT_NOTE = "Historische uitkering, geïmporteerd uit een werkmap."


# --------------------------------------------------------------------------- sheet definitions


@dataclass(frozen=True)
class Column:
    header: str
    attribute: str
    widget: Callable[["ImportContext"], CellWidget]
    explanation: str
    example: Any = ""
    export: Callable[[Any], Any] | None = None  # default: the attribute's value

    def value(self, obj) -> Any:
        if self.export is not None:
            return self.export(obj)
        return getattr(obj, self.attribute)


@dataclass(frozen=True)
class Sheet:
    name: str
    model: type[models.Model]
    key: str  # attribute that identifies a row
    what: str  # "project", "boeking": used in messages
    columns: tuple[Column, ...]
    kind: str = ""  # booking kind for the booking sheets

    def column(self, attribute: str) -> Column:
        return next(c for c in self.columns if c.attribute == attribute)

    @property
    def is_booking(self) -> bool:
        return self.model is Booking


def _text(required=False, max_length=None):
    return lambda ctx: TextWidget(required=required, max_length=max_length)


def _date(required=False):
    return lambda ctx: DateWidget(required=required)


def _amount():
    return lambda ctx: AmountWidget(required=True)


def _project(required=False):
    return lambda ctx: LookupWidget(ctx.projects, what="projectcode", where="tabblad 'projecten'", required=required)


def _funder():
    return lambda ctx: LookupWidget(ctx.funders, what="financier", where="tabblad 'financiers'", required=True)


def _organisation():
    return lambda ctx: OrganisationWidget(ctx.organisations, new_organisation=ctx.new_organisation)


def _code_of(attribute):
    return lambda obj: getattr(getattr(obj, attribute), "code", "")


def _name_of(attribute):
    return lambda obj: getattr(getattr(obj, attribute), "name", "") if getattr(obj, attribute) else ""


KENMERK_EXPLANATION = (
    "Uniek kenmerk van de boeking binnen dit tabblad. Wie dezelfde werkmap opnieuw importeert, "
    "verandert niets: een bekend kenmerk wordt overgeslagen."
)


def _booking_columns(kind: str, example: dict) -> tuple[Column, ...]:
    project_required = kind == Booking.Kind.PAYOUT
    columns = [
        Column("kenmerk", "reference", _text(True, 100), KENMERK_EXPLANATION, example["kenmerk"], lambda b: b.kenmerk),
        Column(
            "project",
            "project",
            _project(required=project_required),
            "Projectcode uit 'projecten' of de deal."
            + ("" if project_required else " Leeg: geld op dealniveau dat bij geen project hoort."),
            "1110",
            _code_of("project"),
        ),
        Column(
            "financier", "funder", _funder(), "Naam van een financier uit 'financiers'.", "Rijk", _name_of("funder")
        ),
    ]
    if kind == Booking.Kind.PAYOUT:
        columns.append(
            Column(
                "tranchenummer",
                "tranche_number",
                lambda ctx: PositiveIntegerWidget(),
                "Nummer van de tranche per project en financier. Leeg: het volgende vrije nummer.",
                1,
                lambda b: b.tranche_number,
            )
        )
    columns += [
        Column("bedrag", "amount", _amount(), "Bedrag in euro, nooit negatief.", example["bedrag"]),
        Column(
            "uitkeringsdatum" if kind == Booking.Kind.PAYOUT else "boekdatum",
            "date",
            _date(True),
            "Datum van de boeking; ligt tussen de start van de deal en de datum 'financieel afgerond uiterlijk'.",
            example["datum"],
        ),
    ]
    if kind in (Booking.Kind.BUDGET, Booking.Kind.COMMITMENT):
        columns += [
            Column("datum besluit", "decision_date", _date(True), "Datum van het stuurgroepbesluit.", example["datum"]),
            Column("besluit", "decision_text", _text(True, 300), "Het besluit in een zin.", example["besluit"]),
        ]
    if kind == Booking.Kind.EXPENDITURE:
        columns += [
            Column(
                "periode vanaf",
                "period_start",
                _date(True),
                "Eerste dag van de verantwoorde periode.",
                example["vanaf"],
            ),
            Column(
                "periode tot",
                "period_end",
                _date(True),
                "Dag na de laatste dag van de periode (niet inbegrepen).",
                example["tot"],
            ),
        ]
    columns += [
        Column("toelichting", "note", _text(), "Vrije toelichting.", example.get("toelichting", "")),
        Column(
            "correctie op",
            "correction_reference",
            _text(max_length=100),
            "Alleen bij een correctie: het kenmerk van de boeking in dit tabblad die deze boeking vermindert. "
            "Het bedrag van een correctie telt negatief mee.",
            "",
            lambda b: b.correction_kenmerk,
        ),
        Column(
            "reden correctie",
            "correction_reason",
            _text(max_length=300),
            "Verplicht bij een correctie.",
            "",
        ),
    ]
    return tuple(columns)


def booking_kenmerken(bookings: Iterable[tuple[int, str, str]]) -> dict[int, str]:
    """The kenmerk of each booking (pk, kind, reference) in a workbook.

    Its reference when that is unique within its kind in the deal; otherwise (no reference,
    or one shared with a correction or another tranche) the reference with the booking's id,
    so that export and re-import recognise every booking.
    """
    bookings = list(bookings)
    counts = Counter((kind, reference.strip().casefold()) for _pk, kind, reference in bookings)
    kenmerken = {}
    for pk, kind, reference in bookings:
        reference = reference.strip()
        if reference and counts[(kind, reference.casefold())] == 1:
            kenmerken[pk] = reference
        else:
            kenmerken[pk] = f"{reference} #{pk}" if reference else f"BOEKING-{pk}"
    return kenmerken


SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "deal",
        Deal,
        "code",
        "deal",
        (
            Column(
                "code",
                "code",
                _text(True, 40),
                "Korte code van de deal, zonder spaties (wordt deel van de URL).",
                "voorbeeld",
            ),
            Column("naam", "name", _text(True, 200), "Naam van de Regio Deal.", "Regio Deal Voorbeeld"),
            Column("regio", "region", _text(True, 200), "De regio.", "Voorbeeldregio"),
            Column("start", "start", _date(True), "Startdatum van de deal.", datetime.date(2021, 1, 1)),
            Column("einde", "end", _date(True), "Einddatum van de deal.", datetime.date(2024, 12, 31)),
            Column(
                "financieel afgerond uiterlijk",
                "financial_closing_date",
                _date(True),
                "Na deze datum zijn geen boekingen meer mogelijk.",
                datetime.date(2025, 6, 30),
            ),
            Column(
                "standaard ijkdatum",
                "default_reference_date",
                _date(True),
                "Peildatum van de financiële overzichten als niets anders gekozen is.",
                datetime.date(2022, 7, 1),
            ),
            Column(
                "kassier",
                "kassier_organisation",
                _organisation(),
                "Organisatie die de rijksbijdrage ontvangt en uitkeert.",
                "Gemeente Voorbeeld",
                _name_of("kassier_organisation"),
            ),
            Column("doel", "goal", _text(), "Doel van de deal.", "Groene en inclusieve groei in de regio."),
            Column("opgave", "challenge", _text(), "De opgave van de regio.", ""),
        ),
    ),
    Sheet(
        "actielijnen",
        ActionLine,
        "code",
        "actielijn",
        (
            Column("code", "code", _text(True, 20), "Code van de actielijn, uniek in de deal.", "1"),
            Column("naam", "name", _text(True, 200), "Naam van de actielijn.", "Werk en talent"),
            Column("hoofddoel", "main_goal", _text(), "Hoofddoel.", "Meer technisch vaardige mensen in de regio."),
            Column("omschrijving", "description", _text(), "Omschrijving.", ""),
        ),
    ),
    Sheet(
        "programma's",
        Programme,
        "code",
        "programma",
        (
            Column("code", "code", _text(True, 20), "Code van het programma, uniek in de deal.", "1100"),
            Column(
                "actielijn",
                "action_line",
                lambda ctx: LookupWidget(
                    ctx.action_lines, what="actielijn", where="tabblad 'actielijnen'", required=True
                ),
                "Code van de actielijn uit 'actielijnen'.",
                "1",
                _code_of("action_line"),
            ),
            Column("naam", "name", _text(True, 200), "Naam van het programma.", "Leren en werken"),
            Column("doel", "goal", _text(), "Programmadoel.", ""),
            Column("beschrijving", "description", _text(), "Beschrijving.", ""),
        ),
    ),
    Sheet(
        "projecten",
        Project,
        "code",
        "project",
        (
            Column("code", "code", _text(True, 20), "Projectcode, uniek in de deal.", "1110"),
            Column(
                "programma",
                "programme",
                lambda ctx: LookupWidget(
                    ctx.programmes, what="programma", where="tabblad 'programma's'", required=True
                ),
                "Code van het programma uit 'programma's'.",
                "1100",
                _code_of("programme"),
            ),
            Column("naam", "name", _text(True, 250), "Naam van het project.", "Techniekhub"),
            Column(
                "penvoerder",
                "lead_organisation",
                _organisation(),
                "Organisatie die het project trekt.",
                "Stichting Techniekhub",
                _name_of("lead_organisation"),
            ),
            Column("start", "start", _date(), "Geplande start.", datetime.date(2021, 3, 1)),
            Column("afronding", "end", _date(), "Geplande afronding.", datetime.date(2023, 12, 31)),
            Column("planning zoals vermeld", "planning_text", _text(max_length=200), "Planning in woorden.", ""),
            Column(
                "status",
                "status",
                lambda ctx: ChoiceWidget(Project.Status, default=Project.Status.RUNNING),
                "Status; leeg is lopend.",
                Project.Status.RUNNING.value,
            ),
            Column("doelen", "goals", _text(), "Doelen, één per regel.", "Meer leerlingen kiezen techniek"),
            Column("omschrijving", "description", _text(), "Omschrijving.", ""),
            Column("cofinanciering", "co_financed_by", _text(max_length=200), "Wie cofinanciert, in woorden.", ""),
        ),
    ),
    Sheet(
        "financiers",
        Funder,
        "name",
        "financier",
        (
            Column("naam", "name", _text(True, 200), "Naam van de financier, uniek in de deal.", "Rijk"),
            Column(
                "categorie",
                "category",
                lambda ctx: ChoiceWidget(Funder.Category, required=True),
                "rijk, publiek (publieke cofinanciering) of overig (overige financiering).",
                Funder.Category.RIJK.value,
            ),
            Column(
                "soort",
                "kind",
                lambda ctx: ChoiceWidget(Funder.Kind, required=True),
                "Soort financier.",
                Funder.Kind.RIJK.value,
            ),
            Column("volgorde", "order", lambda ctx: PositiveIntegerWidget(), "Volgorde in de tabellen.", 1),
            Column(
                "organisatie",
                "organisation",
                _organisation(),
                "Organisatie achter de financier (mag leeg).",
                "",
                _name_of("organisation"),
            ),
        ),
    ),
    Sheet(
        "begroting",
        Booking,
        "reference",
        "boeking",
        _booking_columns(
            Booking.Kind.BUDGET,
            {
                "kenmerk": "B-0001",
                "bedrag": Decimal("100000.00"),
                "datum": datetime.date(2021, 1, 15),
                "besluit": "Stuurgroep stelt de projectbegrotingen vast",
            },
        ),
        Booking.Kind.BUDGET,
    ),
    Sheet(
        "toekenningen",
        Booking,
        "reference",
        "boeking",
        _booking_columns(
            Booking.Kind.COMMITMENT,
            {
                "kenmerk": "T-0001",
                "bedrag": Decimal("100000.00"),
                "datum": datetime.date(2021, 1, 15),
                "besluit": "Stuurgroep kent het project toe",
            },
        ),
        Booking.Kind.COMMITMENT,
    ),
    Sheet(
        "uitkeringen",
        Booking,
        "reference",
        "boeking",
        _booking_columns(
            Booking.Kind.PAYOUT,
            {"kenmerk": "U-0001", "bedrag": Decimal("40000.00"), "datum": datetime.date(2021, 4, 1)},
        ),
        Booking.Kind.PAYOUT,
    ),
    Sheet(
        "bestedingen",
        Booking,
        "reference",
        "boeking",
        _booking_columns(
            Booking.Kind.EXPENDITURE,
            {
                "kenmerk": "S-0001",
                "bedrag": Decimal("25000.00"),
                "datum": datetime.date(2022, 7, 1),
                "vanaf": datetime.date(2021, 3, 1),
                "tot": datetime.date(2022, 7, 1),
                "toelichting": "Verantwoording tot de ijkdatum",
            },
        ),
        Booking.Kind.EXPENDITURE,
    ),
)
SHEETS_BY_NAME = {s.name: s for s in SHEETS}


def _sheet_key(name: str) -> str:
    return str(name or "").strip().replace("\u2019", "'").casefold()


# --------------------------------------------------------------------------- writing


def _cell(ws, value, *, bold=False):
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
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        ws.freeze_panes = "A2"
        for i, column in enumerate(sheet.columns):
            ws.column_dimensions[_column_letter(i)].width = max(12, min(40, len(column.header) + 4))
        ws.append([_cell(ws, c.header, bold=True) for c in sheet.columns])
        for values in rows.get(sheet.name, ()):
            ws.append([_cell(ws, v) for v in values])
    _write_explanation(wb.create_sheet(EXPLANATION_SHEET))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


EXPLANATION_INTRO = [
    "Werkmap van één Regio Deal. Elk tabblad heeft één kopregel; elke volgende regel is één actielijn, "
    "programma, project, financier of boeking. Laat lege regels gerust staan.",
    "Structuur (actielijnen, programma's, projecten) herkent de import aan de code, financiers aan de naam: "
    "een bekende code wordt bijgewerkt, een nieuwe toegevoegd. Er wordt nooit iets verwijderd.",
    "Boekingen herkent de import aan het kenmerk. Boekingen worden nooit gewijzigd: wie een bedrag wil "
    "verminderen, voegt een correctie toe (nieuwe regel, eigen kenmerk, kolom 'correctie op' en 'reden correctie').",
    "Uitkeringen zijn uitgekeerde tranches: de import legt ze vast als goedgekeurde tranches "
    "op naam van wie importeert.",
    "Er wordt pas iets opgeslagen als de hele werkmap foutloos is; eerst ziet u altijd een voorbeeld met de "
    "aantallen en de fouten per tabblad, rij en kolom. Dezelfde werkmap nogmaals importeren verandert niets.",
    "Bedragen: getal in euro met hoogstens twee decimalen, nooit negatief. Datums: datumcel of dd-mm-jjjj.",
    "Tekst die met =, +, - of @ begint, staat in een export met een ' ervoor, zodat een rekenblad er geen "
    "formule van maakt; de import haalt dat teken weer weg.",
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
    ctx = ImportContext.blank()
    for sheet in SHEETS:
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
        "projecten": _rows(
            "projecten", deal.projects.select_related("programme", "lead_organisation").order_by("code")
        ),
        "financiers": _rows("financiers", deal.funders.select_related("organisation").order_by("order", "name")),
    }
    tranche_numbers = dict(Tranche.objects.filter(booking__deal=deal).values_list("booking_id", "number"))
    kenmerken = booking_kenmerken(deal.bookings.values_list("pk", "kind", "reference"))
    for sheet in SHEETS:
        if sheet.is_booking:
            bookings = deal.bookings.filter(kind=sheet.kind).select_related("project", "funder").order_by("date", "id")
            rows[sheet.name] = _booking_rows(sheet, bookings, tranche_numbers, kenmerken)
    return _write_workbook(rows)


def _rows(sheet_name: str, queryset) -> list[list]:
    columns = SHEETS_BY_NAME[sheet_name].columns
    return [[c.value(obj) for c in columns] for obj in queryset]


def _booking_rows(sheet: Sheet, bookings, tranche_numbers: dict[int, int], kenmerken: dict[int, str]):
    for booking in bookings.iterator(chunk_size=2000):
        booking.tranche_number = tranche_numbers.get(booking.pk)
        booking.kenmerk = kenmerken[booking.pk]
        booking.correction_kenmerk = kenmerken.get(booking.correction_of_id, "")
        yield [c.value(booking) for c in sheet.columns]


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class WorkbookError:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"Tabblad '{self.sheet}'"
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

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def total_new(self) -> int:
        return sum(c.new for c in self.counts)

    @property
    def total_changed(self) -> int:
        return sum(c.changed for c in self.counts)


class WorkbookInvalid(Exception):
    def __init__(self, report: WorkbookReport):
        super().__init__(f"De werkmap bevat {len(report.errors)} fout(en).")
        self.report = report


class ImportContext:
    """Everything the rows are checked against, loaded with a fixed number of queries."""

    def __init__(self, *, user: User | None):
        self.user = user
        self.deal: Deal | None = None
        self.organisations: dict[str, Organisation] = {}
        self.action_lines: dict[str, ActionLine] = {}
        self.programmes: dict[str, Programme] = {}
        self.projects: dict[str, Project] = {}
        self.funders: dict[str, Funder] = {}
        self.bookings: dict[str, dict[str, Booking]] = defaultdict(dict)  # kind -> kenmerk -> booking
        self.kenmerken: dict[int, str] = {}  # booking id -> kenmerk (see booking_kenmerken)
        self.ambiguous: dict[str, set[str]] = defaultdict(set)  # kind -> references used by several bookings
        self.tranche_numbers: dict[int, int] = {}  # booking id -> tranche number
        self.used_tranche_numbers: dict[tuple[str, str], set[int]] = defaultdict(set)  # (project, funder) -> numbers

    @classmethod
    def blank(cls) -> "ImportContext":
        return cls(user=None)

    def new_organisation(self, name: str) -> Organisation:
        return Organisation(name=name)

    def load_organisations(self) -> None:
        self.organisations = {o.name.casefold(): o for o in Organisation.objects.all()}

    def load_deal(self, deal: Deal) -> None:
        """The existing structure and bookings of the deal (nothing to load for a new deal)."""
        self.deal = deal
        if deal.pk is None:
            return
        self.action_lines = {a.code.casefold(): a for a in ActionLine.objects.filter(deal=deal)}
        self.programmes = {p.code.casefold(): p for p in Programme.objects.filter(deal=deal)}
        self.projects = {p.code.casefold(): p for p in Project.objects.filter(deal=deal)}
        self.funders = {f.name.casefold(): f for f in Funder.objects.filter(deal=deal)}
        # Bookings get their related objects from the dictionaries above: no query per row.
        projects_by_id = {p.pk: p for p in self.projects.values()}
        funders_by_id = {f.pk: f for f in self.funders.values()}
        bookings = list(Booking.objects.filter(deal=deal))
        for booking in bookings:
            booking.project = projects_by_id.get(booking.project_id)
            booking.funder = funders_by_id[booking.funder_id]
            booking.deal = deal
        self.kenmerken = booking_kenmerken((b.pk, b.kind, b.reference) for b in bookings)
        by_id = {b.pk: b for b in bookings}
        for booking in bookings:
            if booking.correction_of_id in by_id:
                original = by_id[booking.correction_of_id]
                original.corrected_amount = getattr(original, "corrected_amount", Decimal("0.00")) + booking.amount
        for booking in bookings:
            kenmerk = self.kenmerken[booking.pk]
            self.bookings[booking.kind][kenmerk.casefold()] = booking
            if kenmerk != booking.reference.strip() and booking.reference.strip():
                self.ambiguous[booking.kind].add(booking.reference.strip().casefold())
        for project_code, funder_name, number, booking_id in Tranche.objects.filter(project__deal=deal).values_list(
            "project__code", "funder__name", "number", "booking_id"
        ):
            self.used_tranche_numbers[(project_code.casefold(), funder_name.casefold())].add(number)
            if booking_id:
                self.tranche_numbers[booking_id] = number

    def registry(self, sheet: Sheet) -> dict:
        if sheet.is_booking:
            return self.bookings[sheet.kind]
        return {
            ActionLine: self.action_lines,
            Programme: self.programmes,
            Project: self.projects,
            Funder: self.funders,
        }[sheet.model]


class SheetReader:
    """Per sheet: finds or creates the instance of each row and checks it (used by SheetResource)."""

    def __init__(self, sheet: Sheet, ctx: ImportContext, excel_rows: list[int]):
        self.sheet, self.ctx, self.excel_rows = sheet, ctx, excel_rows
        self.row_number = 0
        self.seen: dict[str, int] = {}  # key -> Excel row of first occurrence
        self.snapshots: dict[int, tuple] = {}
        self.collected: list[tuple[int, models.Model, bool]] = []  # (Excel row, instance, new)
        self.compared = [
            c.attribute for c in sheet.columns if c.attribute not in ("correction_reference", "tranche_number")
        ]
        self.key_widget = TextWidget()
        self.deal: Deal | None = None  # the deal sheet's one instance, changed or not

    @property
    def excel_row(self) -> int:
        return self.excel_rows[self.row_number - 1]

    def _key(self, row) -> str:
        try:
            return self.key_widget.clean(row.get(self.sheet.column(self.sheet.key).header))
        except ValueError:
            return ""

    def existing(self, row):
        key = self._key(row)
        if not key or key.casefold() in self.seen:
            return None
        if self.sheet.model is Deal:
            instance = Deal.objects.filter(code=key).select_related("kassier_organisation").first()
            self.deal = instance
        else:
            instance = self.ctx.registry(self.sheet).get(key.casefold())
        if instance is not None:
            if self.sheet.is_booking:
                instance.reference = self.ctx.kenmerken[instance.pk]  # in memory only, for the comparison
                instance.correction_reference = self.ctx.kenmerken.get(instance.correction_of_id, "")
                instance.tranche_number = self.ctx.tranche_numbers.get(instance.pk)
            self.snapshots[id(instance)] = self._values(instance)
        return instance

    def new(self, row):
        if self.sheet.model is Deal:
            self.deal = Deal()
            return self.deal
        if self.sheet.is_booking:
            return Booking(deal=self.ctx.deal, kind=self.sheet.kind, created_by=self.ctx.user)
        return self.sheet.model(deal=self.ctx.deal)

    def _values(self, instance) -> tuple:
        values = []
        for attribute in self.compared:
            value = getattr(instance, attribute)
            if isinstance(value, models.Model):
                value = ("pk", value.pk) if value.pk is not None else ("new", id(value))
            elif isinstance(value, str):
                value = value.strip()
            values.append(value)
        if self.sheet.is_booking:
            values.append((getattr(instance, "correction_reference", "") or "").casefold())
        return tuple(values)

    def differences(self, instance) -> list[str]:
        now, before = self._values(instance), self.snapshots.get(id(instance), ())
        headers = [self.sheet.column(a).header for a in self.compared]
        if self.sheet.is_booking:
            headers.append(self.sheet.column("correction_reference").header)
        changed = [h for h, a, b in zip(headers, now, before, strict=False) if a != b]
        number = getattr(instance, "tranche_number", None)
        if self.sheet.is_booking and number is not None and number != self.ctx.tranche_numbers.get(instance.pk):
            changed.append("tranchenummer")
        return changed

    def changed(self, instance) -> bool:
        if self._values(instance) != self.snapshots.get(id(instance)):
            return True
        number = getattr(instance, "tranche_number", None)
        return self.sheet.is_booking and number is not None and number != self.ctx.tranche_numbers.get(instance.pk)

    def validate(self, instance, errors: dict) -> None:
        sheet = self.sheet
        key_column = sheet.column(sheet.key)
        key = getattr(instance, sheet.key)
        if key:
            folded = key.casefold()
            if folded in self.seen and sheet.key not in errors:
                errors[sheet.key] = [
                    f"Dubbel: {key_column.header} '{key}' staat ook op rij {self.seen[folded]} van dit tabblad."
                ]
            else:
                self.seen.setdefault(folded, self.excel_row)
                if sheet.model is not Deal:
                    self.ctx.registry(sheet).setdefault(folded, instance)
        if sheet.is_booking:
            self._validate_booking(instance, errors)
        elif sheet.model is Deal:
            self._check_order(instance, "start", "end", errors, "De einddatum ligt vóór de start.")
            self._check_order(
                instance, "end", "financial_closing_date", errors, "Deze datum ligt vóór het einde van de deal."
            )
        elif sheet.model is Project:
            self._check_order(instance, "start", "end", errors, "De afronding ligt vóór de start.")
        # Model rules that need no query: lengths, choices, digits, and clean() on in-memory relations.
        relations = [f.name for f in sheet.model._meta.concrete_fields if f.is_relation]
        try:
            instance.clean_fields(exclude=[*relations, *errors])
            if not sheet.is_booking and not errors:
                instance.clean()
        except ValidationError as e:
            for name, messages in e.message_dict.items():
                errors.setdefault(name, []).extend(messages)

    @staticmethod
    def _check_order(instance, first: str, second: str, errors: dict, message: str) -> None:
        a, b = getattr(instance, first), getattr(instance, second)
        if a and b and b < a and second not in errors:
            errors[second] = [message]

    def _validate_booking(self, booking: Booking, errors: dict) -> None:
        deal = self.ctx.deal
        if booking.pk is not None:
            if self.changed(booking):
                errors.setdefault(self.sheet.key, []).append(
                    f"Kenmerk '{booking.reference}' bestaat al met andere gegevens "
                    f"({', '.join(self.differences(booking))}). "
                    "Een boeking wordt nooit gewijzigd: boek een correctie met een nieuw kenmerk."
                )
            return
        if booking.reference and booking.reference.casefold() in self.ctx.ambiguous[booking.kind]:
            errors.setdefault(self.sheet.key, []).append(
                f"Kenmerk '{booking.reference}' hoort in de deal bij meer dan één boeking; "
                "gebruik het kenmerk uit een export van de deal (met #nummer)."
            )
        if booking.amount is not None and booking.amount == 0 and "amount" not in errors:
            errors["amount"] = ["Het bedrag moet groter dan nul zijn."]
        if booking.date and deal and deal.start and deal.financial_closing_date and "date" not in errors:
            if not deal.start <= booking.date <= deal.financial_closing_date:
                errors["date"] = [
                    f"Datum {booking.date:%d-%m-%Y} ligt buiten de deal "
                    f"({deal.start:%d-%m-%Y} tot en met {deal.financial_closing_date:%d-%m-%Y})."
                ]
        self._check_order(
            booking, "period_start", "period_end", errors, "Het einde van de periode ligt vóór het begin."
        )
        if booking.period_start and booking.period_end == booking.period_start and "period_end" not in errors:
            errors["period_end"] = ["Het einde van de periode is gelijk aan het begin (het einde telt niet mee)."]
        correction = getattr(booking, "correction_reference", "")
        if correction and not booking.correction_reason and "correction_reason" not in errors:
            errors["correction_reason"] = ["Een correctie heeft een reden nodig."]
        if not correction and booking.correction_reason and "correction_reference" not in errors:
            errors["correction_reference"] = ["Er staat een reden correctie, maar geen kenmerk bij 'correctie op'."]
        if booking.kind == Booking.Kind.PAYOUT:
            if correction and getattr(booking, "tranche_number", None):
                errors.setdefault("tranche_number", []).append(
                    "Een correctie op een uitkering heeft geen tranchenummer."
                )

    def collect(self, instance, is_create: bool) -> None:
        self.collected.append((self.excel_row, instance, is_create))


def _read_book(data: bytes) -> dict[str, tablib.Dataset]:
    """One tablib Dataset per sheet, read by openpyxl.

    Not tablib's own xlsx loader: it refuses a sheet whose rows are wider than its header
    (a stray cell to the right), which would make a whole workbook unreadable.
    """
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # a corrupt or non-xlsx file: openpyxl raises many kinds
        raise ValueError(f"Dit bestand is geen leesbare Excel-werkmap (.xlsx) ({e.__class__.__name__}).") from None
    sheets = {}
    try:
        for ws in book.worksheets:
            rows = ws.iter_rows(values_only=True)
            headers = list(next(rows, ()))
            while headers and headers[-1] in (None, ""):
                headers.pop()
            dataset = tablib.Dataset(headers=headers, title=ws.title)
            width = len(headers)
            for values in rows:
                values = list(values[:width]) + [None] * (width - len(values))
                dataset.append(values)
            sheets[ws.title] = dataset
    finally:
        book.close()
    return sheets


def _prepare_dataset(sheet: Sheet, raw: tablib.Dataset, report: WorkbookReport) -> tuple[tablib.Dataset, list[int]]:
    """Known columns only, under their canonical header; empty rows dropped, Excel row numbers kept."""
    headers = [str(h).strip().rstrip("*").strip().casefold() if h is not None else "" for h in (raw.headers or [])]
    positions = {}
    for column in sheet.columns:
        if column.header.casefold() in headers:
            positions[column.header] = headers.index(column.header.casefold())
        elif column.widget(ImportContext.blank()).required:
            report.errors.append(
                WorkbookError(sheet.name, 1, column.header, "Verplichte kolom ontbreekt in de kopregel.")
            )
    dataset = tablib.Dataset(headers=list(positions))
    excel_rows = []
    for index, values in enumerate(raw, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        dataset.append([values[i] for i in positions.values()])
        excel_rows.append(index)
    return dataset, excel_rows


def _read_sheet(
    sheet: Sheet, dataset: tablib.Dataset, excel_rows: list[int], ctx: ImportContext, report: WorkbookReport
) -> SheetReader:
    reader = SheetReader(sheet, ctx, excel_rows)
    resource = SheetResource(sheet=sheet, reader=reader, widgets={c.attribute: c.widget(ctx) for c in sheet.columns})
    result = resource.import_data(dataset, dry_run=False, use_transactions=False, raise_errors=False)
    missing = {c.header for c in sheet.columns if c.header not in dataset.headers}
    headers = {c.attribute: c.header for c in sheet.columns}
    for invalid in result.invalid_rows:
        row = excel_rows[invalid.number - 1]
        for attribute, messages in invalid.error_dict.items():
            column = headers.get(attribute)
            if column in missing:
                continue  # reported once, on the header row
            for message in messages:
                report.errors.append(WorkbookError(sheet.name, row, column, message))
    for error_row in result.error_rows:
        for error in error_row.errors:
            report.errors.append(
                WorkbookError(sheet.name, excel_rows[error_row.number - 1], None, f"Onverwachte fout: {error.error}")
            )
    for error in result.base_errors:
        report.errors.append(WorkbookError(sheet.name, None, None, f"Onverwachte fout: {error.error}"))
    count = SheetCount(sheet.name)
    count.new = result.totals["new"]
    count.changed = result.totals["update"]
    count.unchanged = result.totals["skip"]
    report.counts.append(count)
    return reader


def _resolve_bookings(readers: dict[str, SheetReader], ctx: ImportContext, report: WorkbookReport) -> None:
    """What spans rows: corrections point at a booking of their sheet; tranche numbers are unique."""
    for sheet in SHEETS:
        reader = readers.get(sheet.name)
        if reader is None or not sheet.is_booking:
            continue
        registry = ctx.bookings[sheet.kind]
        column = sheet.column("correction_reference").header
        corrected: dict[int, Decimal] = {}  # id(original) -> corrections so far, database included
        for row, booking, new in reader.collected:
            if not new:
                continue
            reference = getattr(booking, "correction_reference", "")
            if not reference:
                continue
            original = registry.get(reference.casefold())
            if original is None:
                message = f"Onbekend kenmerk '{reference}': geen boeking in dit tabblad of in de deal."
            elif original is booking:
                message = "Een boeking kan zichzelf niet corrigeren."
            elif original.correction_of_id is not None or getattr(original, "correction_reference", ""):
                message = f"Boeking '{reference}' is zelf een correctie; corrigeer de oorspronkelijke boeking."
            elif not (_same(original.project, booking.project) and _same(original.funder, booking.funder)):
                message = f"Boeking '{reference}' hoort bij een ander project of een andere financier."
            else:
                booking.correction_of = original
                corrected[id(original)] = corrected.get(id(original), _corrected_in_db(original)) + booking.amount
                if corrected[id(original)] > original.amount:
                    report.errors.append(
                        WorkbookError(
                            sheet.name,
                            row,
                            sheet.column("amount").header,
                            f"De correcties op '{reference}' ({format_amount(corrected[id(original)])}) zijn samen "
                            f"groter dan de boeking zelf ({format_amount(original.amount)}).",
                        )
                    )
                continue
            report.errors.append(WorkbookError(sheet.name, row, column, message))
        if sheet.kind == Booking.Kind.PAYOUT:
            _number_tranches(sheet, reader, ctx, report)


def _corrected_in_db(original: Booking) -> Decimal:
    return getattr(original, "corrected_amount", None) or Decimal("0.00")


def _same(a, b) -> bool:
    return a is b or (a is not None and b is not None and a.pk is not None and a.pk == b.pk)


def _pair(booking: Booking) -> tuple[str, str]:
    return (booking.project.code.casefold(), booking.funder.name.casefold())


def _number_tranches(sheet: Sheet, reader: SheetReader, ctx: ImportContext, report: WorkbookReport) -> None:
    payouts = [
        (row, b)
        for row, b, new in reader.collected
        if new and not getattr(b, "correction_reference", "") and b.project is not None
    ]
    used = ctx.used_tranche_numbers
    column = sheet.column("tranche_number").header
    for row, booking in payouts:
        number = getattr(booking, "tranche_number", None)
        if number is None:
            continue
        if number in used[_pair(booking)]:
            report.errors.append(
                WorkbookError(
                    sheet.name,
                    row,
                    column,
                    f"Project {booking.project.code} heeft al een tranche {number} van {booking.funder.name}.",
                )
            )
        used[_pair(booking)].add(number)
    for _row, booking in payouts:
        if getattr(booking, "tranche_number", None) is None:
            booking.tranche_number = max(used[_pair(booking)], default=0) + 1
            used[_pair(booking)].add(booking.tranche_number)


def read_workbook(data: bytes, *, user: User | None, deal_code: str | None = None):
    """Parses and checks the workbook; returns (report, context, readers) without writing anything."""
    report = WorkbookReport()
    ctx = ImportContext(user=user)
    try:
        book = _read_book(data)
    except ValueError as e:
        report.errors.append(WorkbookError("(werkmap)", None, None, str(e)))
        return report, ctx, {}
    raw_sheets = {}
    for title, dataset in book.items():
        key = _sheet_key(title)
        if key == _sheet_key(EXPLANATION_SHEET):
            continue
        sheet = next((s for s in SHEETS if _sheet_key(s.name) == key), None)
        if sheet is None:
            expected = ", ".join(s.name for s in SHEETS)
            report.errors.append(WorkbookError(title, None, None, f"Onbekend tabblad; verwacht worden: {expected}."))
        else:
            raw_sheets[sheet.name] = dataset
    if "deal" not in raw_sheets:
        report.errors.append(WorkbookError("deal", None, None, "Het tabblad 'deal' ontbreekt."))
        return report, ctx, {}

    ctx.load_organisations()
    readers: dict[str, SheetReader] = {}
    for sheet in SHEETS:
        if sheet.name not in raw_sheets:
            report.counts.append(SheetCount(sheet.name, present=False))
            continue
        dataset, excel_rows = _prepare_dataset(sheet, raw_sheets[sheet.name], report)
        if sheet.model is Deal and len(dataset) != 1:
            report.errors.append(WorkbookError("deal", None, None, "Het tabblad 'deal' moet precies één rij hebben."))
            return report, ctx, {}
        if sheet.model is Deal and deal_code and "code" in dataset.headers:
            row = list(dataset[0])
            row[dataset.headers.index("code")] = deal_code
            dataset = tablib.Dataset(row, headers=dataset.headers)
        readers[sheet.name] = _read_sheet(sheet, dataset, excel_rows, ctx, report)
        if sheet.model is Deal:
            deal = readers["deal"].deal or Deal()  # Deal(): no usable code; the report says why
            ctx.load_deal(deal)
            report.deal_code, report.deal_name, report.deal_is_new = deal.code, deal.name, deal.pk is None
    _resolve_bookings(readers, ctx, report)
    return report, ctx, readers


@transaction.atomic
def workbook_import(*, data: bytes, user: User | None, commit: bool, deal_code: str | None = None) -> WorkbookReport:
    """Checks the whole workbook and, if ``commit`` and it is valid, saves it at once.

    Raises nothing for a bad workbook: the report lists every error by sheet, row and
    column, and nothing is written.
    """
    report, ctx, readers = read_workbook(data, user=user, deal_code=deal_code)
    if user is None and _has_new_payouts(readers):
        report.errors.append(
            WorkbookError(
                "uitkeringen",
                None,
                None,
                "Uitkeringen worden goedgekeurde tranches op naam van wie importeert: geef een gebruiker op.",
            )
        )
    if report.errors or not commit:
        return report
    _save(ctx, readers, user)
    report.saved = True
    return report


def _has_new_payouts(readers: dict[str, SheetReader]) -> bool:
    reader = readers.get("uitkeringen")
    return bool(reader and any(new for _row, _b, new in reader.collected))


def _save(ctx: ImportContext, readers: dict[str, SheetReader], user: User | None) -> None:
    new_organisations = [o for o in ctx.organisations.values() if o.pk is None]
    for organisation in new_organisations:
        organisation.full_clean(validate_unique=False)
    Organisation.objects.bulk_create(new_organisations)
    deal = ctx.deal
    for sheet in SHEETS:
        reader = readers.get(sheet.name)
        if reader is None or sheet.is_booking:
            continue
        for _row, instance, _new in reader.collected:
            if sheet.model is not Deal:
                instance.deal = deal
            _refresh_relations(instance)
            instance._history_user = user
            instance.full_clean()
            instance.save()
    _save_bookings(ctx, readers, user)


def _refresh_relations(instance: models.Model) -> None:
    """Copies the id of a related object saved after it was assigned (a new programme of a new project)."""
    for f in instance._meta.concrete_fields:
        if f.is_relation and f.is_cached(instance):
            related = getattr(instance, f.name)
            if related is not None and getattr(instance, f.attname) is None:
                setattr(instance, f.attname, related.pk)


def _save_bookings(ctx: ImportContext, readers: dict[str, SheetReader], user: User | None) -> None:
    originals, corrections = [], []
    for sheet in SHEETS:
        reader = readers.get(sheet.name)
        if reader is None or not sheet.is_booking:
            continue
        for _row, booking, new in reader.collected:
            if not new:
                continue  # never reached: a changed booking is an error
            booking.deal = ctx.deal
            booking.created_by = user
            (corrections if booking.correction_of is not None else originals).append(booking)
    history = {"default_user": user, "default_change_reason": "Import werkmap", "batch_size": BATCH_SIZE}
    for objs in (originals, corrections):
        if objs:
            bulk_create_with_history(objs, Booking, **history)
    now = timezone.now()
    tranches = [
        Tranche(
            project=b.project,
            funder=b.funder,
            number=b.tranche_number,
            amount=b.amount,
            date=b.date,
            note=(b.note or IMPORT_NOTE),
            status=Tranche.Status.APPROVED,
            registered_by=user,
            decided_by=user,
            decided_at=now,
            booking=b,
        )
        for b in originals
        if b.kind == Booking.Kind.PAYOUT
    ]
    if tranches:
        bulk_create_with_history(tranches, Tranche, **history)
