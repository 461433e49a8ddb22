"""The format of the deal workbook: its sheets and columns, the template and the export.

One format for three uses: the template (one example row per sheet, importable as deal
"voorbeeld"), the export of a deal, and the import (finance/workbook.py). Every column
says how it is read (a widget from finance/resources.py), what it means and an example;
the sheet "Toelichting" is written from the same definitions.
"""

import datetime
import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from finance.models import Booking, Funder, Tranche
from finance.resources import (
    AmountWidget,
    CellWidget,
    ChoiceWidget,
    DateWidget,
    LookupWidget,
    OrganisationWidget,
    PositiveIntegerWidget,
    TextWidget,
)
from projects.models import ActionLine, Deal, Decision, Organisation, Programme, Project
from regiodeal.spreadsheets import escape_cell

EXPLANATION_SHEET = "Toelichting"
EXAMPLE_DECISION = "SG-2021-01"
DATE_FORMAT = "DD-MM-YYYY"
AMOUNT_FORMAT = "#,##0.00"


class BlankContext:
    """What a column's widget needs to exist when no import runs (template, header checks)."""

    def __init__(self):
        self.organisations, self.action_lines, self.programmes, self.projects, self.funders = {}, {}, {}, {}, {}
        self.decisions = {}

    def new_organisation(self, name: str) -> Organisation:
        return Organisation(name=name)


# --------------------------------------------------------------------------- sheet definitions


@dataclass(frozen=True)
class Column:
    header: str
    attribute: str
    widget: Callable[[Any], CellWidget]  # context -> widget
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


def _decision(required: bool):
    return lambda ctx: LookupWidget(
        ctx.decisions, what="besluitnummer", where="tabblad 'besluiten'", required=required
    )


def _number_of(attribute):
    return lambda obj: getattr(getattr(obj, attribute), "number", "") if getattr(obj, attribute) else ""


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
    if kind == Booking.Kind.PAYOUT:
        # Held in an import batch until a controller confirms (finance/import_batches.py).
        columns += [
            Column(
                "reden overschrijding",
                "override_reason",
                _text(max_length=1000),
                "Alleen als deze uitkering bewust boven de begroting uitkomt: waarom. Samen met "
                "'besluit overschrijding'; zonder die twee weigert de bevestiging een uitkering boven de begroting.",
                "",
                lambda b: getattr(b, "override_reason", ""),
            ),
            Column(
                "besluit overschrijding",
                "override_decision",
                _decision(required=False),
                "Nummer van het besluit (tabblad 'besluiten' of het besluitenregister van de deal) dat de "
                "overschrijding toestaat.",
                "",
                lambda b: getattr(b, "override_decision_number", ""),
            ),
        ]
    if kind in (Booking.Kind.BUDGET, Booking.Kind.COMMITMENT):
        columns += [
            Column(
                "besluit",
                "decision",
                _decision(required=True),
                "Nummer van het besluit waarop deze boeking (of correctie) berust: uit tabblad 'besluiten' of "
                "uit het besluitenregister van de deal.",
                example["besluit"],
                _number_of("decision"),
            ),
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
            Column("volgorde", "order", lambda ctx: PositiveIntegerWidget(minimum=0), "Volgorde in de tabellen.", 1),
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
        "besluiten",
        Decision,
        "number",
        "besluit",
        (
            Column(
                "nummer",
                "number",
                _text(True, 40),
                "Nummer van het besluit, uniek in de deal. Begroting, toekenningen en uitkeringen verwijzen "
                "ernaar. Een besluit dat al in het register staat, hoeft hier niet opnieuw; staat het er wel, "
                "dan met dezelfde gegevens (een besluit wordt niet gewijzigd). Het document voegt de "
                "coördinator in het portaal toe.",
                EXAMPLE_DECISION,
            ),
            Column(
                "datum", "date", _date(True), "Datum van het besluit; niet in de toekomst.", datetime.date(2021, 1, 15)
            ),
            Column(
                "orgaan",
                "body",
                lambda ctx: ChoiceWidget(Decision.Body, default=Decision.Body.STEERING),
                "Wie besloot: stuurgroep, werkgroep, coordinatie of rijk. Leeg: stuurgroep.",
                Decision.Body.STEERING.value,
            ),
            Column(
                "besluit",
                "text",
                _text(True),
                "De tekst van het besluit.",
                "Stuurgroep stelt de projectbegrotingen vast en kent ze toe",
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
                "besluit": EXAMPLE_DECISION,
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
                "besluit": EXAMPLE_DECISION,
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


def sheet_key(name: str) -> str:
    return str(name or "").strip().replace("\u2019", "'").casefold()


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
    for sheet in SHEETS:
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
        "besluiten": _rows("besluiten", deal.decisions.order_by("date", "number")),
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
