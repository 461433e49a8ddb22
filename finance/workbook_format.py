"""The format of the deal workbook: its sheets and columns.

One format for three uses: the template (one example row per sheet, importable as deal
"voorbeeld") and the export of a deal (finance/workbook_export.py), and the import
(finance/workbook.py). Every column says how it is read (a widget from
finance/resources.py), what it means and an example; the sheet "Toelichting" is written
from the same definitions.
"""

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models

from finance.models import Booking, ConditionType, Funder
from finance.resources import (
    AmountWidget,
    CellWidget,
    ChoiceWidget,
    DateWidget,
    LastDayWidget,
    LookupWidget,
    OrganisationWidget,
    PositiveIntegerWidget,
    TextWidget,
    YesNoWidget,
)
from projects.models import (
    ActionLine,
    Deal,
    Decision,
    Organisation,
    Programme,
    ProgrammeLine,
    Project,
    ReportingPeriod,
)

EXPLANATION_SHEET = "Toelichting"
EXAMPLE_DECISION = "SG-2021-01"
DATE_FORMAT = "DD-MM-YYYY"
AMOUNT_FORMAT = "#,##0.00"


class BlankContext:
    """What a column's widget needs to exist when no import runs (template, header checks)."""

    def __init__(self):
        self.organisations, self.action_lines, self.programmes, self.projects, self.funders = {}, {}, {}, {}, {}
        self.decisions, self.programme_lines, self.periods, self.condition_types = {}, {}, {}, {}

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
    return lambda ctx: LookupWidget(ctx.decisions, what="besluitnummer", where="tabblad 'besluiten'", required=required)


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
                "periode t/m",
                "period_end",
                lambda ctx: LastDayWidget(required=True),
                "Laatste dag van de verantwoorde periode (tot en met).",
                example["t/m"],
                lambda b: b.period_last_day,
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
        "programmalijnen",
        ProgrammeLine,
        "code",
        "programmalijn",
        (
            Column("code", "code", _text(True, 20), "Code van de programmalijn, uniek in de deal.", "RDT"),
            Column("naam", "name", _text(True, 200), "Naam van de programmalijn.", "Regio Deal Twente"),
            Column("omschrijving", "description", _text(), "Omschrijving.", ""),
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
            Column(
                "voucherregeling",
                "is_voucher_scheme",
                lambda ctx: YesNoWidget(),
                "ja als het project vouchers verdeelt (tabblad 'vouchers'); leeg is nee.",
                "nee",
                lambda p: "ja" if p.is_voucher_scheme else "nee",
            ),
            Column(
                "programmalijn",
                "programme_line",
                lambda ctx: LookupWidget(ctx.programme_lines, what="programmalijn", where="tabblad 'programmalijnen'"),
                "Code van een programmalijn uit 'programmalijnen'; leeg bij een deal zonder programmalijnen.",
                "",
                _code_of("programme_line"),
            ),
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
        "periodes",
        ReportingPeriod,
        "name",
        "rapportageperiode",
        (
            Column("naam", "name", _text(True, 40), "Naam van de periode, uniek in de deal, bijv. 2021-1.", "2021-1"),
            Column("start", "start", _date(True), "Eerste dag van de periode.", datetime.date(2021, 1, 1)),
            Column(
                "t/m",
                "end",
                lambda ctx: LastDayWidget(required=True),
                "Laatste dag van de periode (tot en met).",
                datetime.date(2021, 6, 30),
                lambda p: p.last_day,
            ),
            Column(
                "ijkdatum",
                "reference_date",
                _date(True),
                "Peildatum van de cijfers in de verslagen over deze periode.",
                datetime.date(2021, 7, 1),
            ),
            Column(
                "inleverdatum",
                "deadline",
                _date(True),
                "Uiterste datum om de verslagen over deze periode in te dienen.",
                datetime.date(2021, 8, 1),
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
        "voorwaarden",
        ConditionType,
        "name",
        "voorwaarde",
        (
            Column("naam", "name", _text(True, 200), "Naam van de voorwaarde, uniek in de deal.", "Plan van aanpak"),
            Column(
                "soort bewijs",
                "kind",
                lambda ctx: ChoiceWidget(ConditionType.Kind, required=True),
                "document, kenmerk (kenmerk of vindplaats) of verslag (verslag vorige periode goedgekeurd). Welke "
                "projecten een voorwaarde hebben, legt de coördinator in het portaal vast.",
                ConditionType.Kind.DOCUMENT.value,
            ),
            Column("wat geldt als bewijs", "description", _text(), "Omschrijving van het bewijs.", ""),
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
                "t/m": datetime.date(2022, 6, 30),
                "toelichting": "Verantwoording tot de ijkdatum",
            },
        ),
        Booking.Kind.EXPENDITURE,
    ),
)
SHEETS_BY_NAME = {s.name: s for s in SHEETS}


def sheet_key(name: str) -> str:
    return str(name or "").strip().replace("\u2019", "'").replace("_", " ").casefold()
