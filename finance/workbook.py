"""The import of the Excel workbook of a whole deal (the format, template and export are in
finance/workbook_format.py and finance/workbook_export.py; all are available from here).

Import rules:
- structure is identified by codes (financiers by name) and updated in place;
- a booking is identified by its kenmerk within its sheet; bookings are never changed, so a
  known kenmerk with other values is an error (a correction is a new row with "correctie op");
- uitkeringen are historic payouts: they are held in an import batch until a controller of
  the deal who did not import them confirms it (finance/import_batches.py);
- nothing is saved unless the whole workbook is valid; importing it again changes nothing.

Rows are parsed by django-import-export (finance/resources.py) against dictionaries loaded
once, and bookings are written with bulk inserts (history included), so an import costs a
fixed number of queries per sheet plus one insert per thousand bookings.
"""

import logging
from decimal import Decimal

import tablib
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from finance.import_batches import batch_create
from finance.models import Booking, ConditionType
from finance.resources import SheetResource, TextWidget, format_amount
from finance.workbook_context import ImportContext
from finance.workbook_export import workbook_export, workbook_template
from finance.workbook_extras import EXTRA_SHEETS, read_extra_sheets, save_extras
from finance.workbook_format import (
    EXPLANATION_SHEET,
    SHEETS,
    BlankContext,
    Sheet,
    sheet_key,
)
from finance.workbook_layout import (
    SheetCount,
    WorkbookError,
    WorkbookReport,
    file_error,
    prepare_sheet,
    read_sheets,
)
from finance.workbook_money import check_budget_covers_payouts, held_payouts
from projects.models import Deal, Decision, Organisation, Project, ReportingPeriod
from regiodeal.spreadsheets import SpreadsheetError

__all__ = [
    "SHEETS",
    "WorkbookError",
    "WorkbookReport",
    "workbook_export",
    "workbook_import",
    "workbook_template",
]
logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# Read for the import batch only (finance/import_batches.py); the tranche number is checked in _number_tranches.
NOT_COMPARED = ("correction_reference", "tranche_number", "override_reason", "override_decision")
UNEXPECTED = (
    "De werkmap kon door een onverwachte fout niet gelezen worden; er is niets opgeslagen. "
    "Meld dit aan de beheerder, met de werkmap."
)


# --------------------------------------------------------------------------- reading


class SheetReader:
    """Per sheet: finds or creates the instance of each row and checks it (used by SheetResource)."""

    def __init__(self, sheet: Sheet, ctx: ImportContext, excel_rows: list[int]):
        self.sheet, self.ctx, self.excel_rows = sheet, ctx, excel_rows
        self.row_number = 0
        self.seen: dict[str, int] = {}  # key -> Excel row of first occurrence
        self.snapshots: dict[int, tuple] = {}
        self.collected: list[tuple[int, models.Model, bool]] = []  # (Excel row, instance, new)
        self.compared = [c.attribute for c in sheet.columns if c.attribute not in NOT_COMPARED]
        self.key_widget = TextWidget()
        self.deal: Deal | None = None  # the deal sheet's one instance, changed or not
        self.incomplete = False  # a required column is missing: rows are checked, never resolved or saved

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
            # Seen from here on: an unchanged row is skipped before validate(), and a copy of it
            # further down must still be reported as a double, not counted as unchanged twice.
            self.seen[key.casefold()] = self.excel_row
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
            return Booking(kind=self.sheet.kind)  # deal and author are set when saving
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
            first = self.seen.get(folded, self.excel_row)
            if first != self.excel_row and sheet.key not in errors:
                errors[sheet.key] = [f"Dubbel: {key_column.header} '{key}' staat ook op rij {first} van dit tabblad."]
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
        elif sheet.model is Decision:
            self._validate_decision(instance, errors)
        elif sheet.model is ReportingPeriod:
            self._validate_period(instance, errors)
        # Model rules: lengths, choices, digits, and clean() on in-memory relations (no query, except for a
        # changed reporting period, which asks whether verslagen were written over it).
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

    def _validate_period(self, period: ReportingPeriod, errors: dict) -> None:
        # That a period with verslagen keeps its dates is ReportingPeriod.clean()'s rule (run below).
        if period.start and period.end and period.end <= period.start and "end" not in errors:
            errors["end"] = ["De laatste dag van de periode ligt vóór de start."]

    def _validate_decision(self, decision: Decision, errors: dict) -> None:
        """A decision on record is never changed by an import; a new one is not dated in the future."""
        if decision.pk is not None and self.changed(decision):
            errors.setdefault(self.sheet.key, []).append(
                f"Besluit '{decision.number}' staat al in het besluitenregister met andere gegevens "
                f"({', '.join(self.differences(decision))}). Een besluit wordt niet gewijzigd: neem het over "
                "zoals het in het register staat, of leg een nieuw besluit vast met een eigen nummer."
            )
        elif decision.pk is None and decision.date and decision.date > timezone.localdate() and "date" not in errors:
            errors["date"] = [f"De datum van het besluit ({decision.date:%d-%m-%Y}) ligt in de toekomst."]

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
        start, end = booking.period_start, booking.period_end  # end: the day after the typed last day
        if start and end and end <= start and "period_end" not in errors:
            errors["period_end"] = ["De laatste dag van de periode ligt vóór het begin."]
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


def _read_sheet(
    sheet: Sheet, dataset: tablib.Dataset, excel_rows: list[int], ctx: ImportContext, report: WorkbookReport
) -> SheetReader:
    reader = SheetReader(sheet, ctx, excel_rows)
    resource = SheetResource(sheet=sheet, reader=reader, widgets={c.attribute: c.widget(ctx) for c in sheet.columns})
    result = resource.import_data(dataset, dry_run=False, use_transactions=False, raise_errors=False)
    missing = {c.header for c in sheet.columns if c.header not in dataset.headers}
    blank = BlankContext()
    reader.incomplete = any(c.widget(blank).required for c in sheet.columns if c.header in missing)
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
        if reader is None or not sheet.is_booking or reader.incomplete:
            continue  # a required column missing (reported on the header): its rows lack what is checked here
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
        waiting = ctx.waiting_numbers.get((*_pair(booking), number))
        if number in used[_pair(booking)] and waiting != booking.reference.casefold():  # the same held payout: no clash
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
        raw_sheets = _known_sheets(read_sheets(data), report)
    except SpreadsheetError as e:
        report.errors.append(file_error(e))
        return report, ctx, {}
    if "deal" not in raw_sheets:
        report.errors.append(WorkbookError("deal", None, None, "Het tabblad 'deal' ontbreekt."))
        return report, ctx, {}

    ctx.load_organisations()
    readers: dict[str, SheetReader] = {}
    for sheet in SHEETS:
        if sheet.name not in raw_sheets:
            report.counts.append(SheetCount(sheet.name, present=False))
            continue
        prepared = prepare_sheet(sheet, raw_sheets[sheet.name], report.errors)
        if prepared is None:  # no header: nothing of this sheet can be read
            report.counts.append(SheetCount(sheet.name))
            if sheet.model is Deal:
                return report, ctx, {}
            continue
        dataset, excel_rows = prepared.dataset, prepared.excel_rows
        if sheet.model is Deal:
            if not _one_deal_row(excel_rows, report):
                return report, ctx, {}
            if deal_code and "code" in dataset.headers:
                row = list(dataset[0])
                row[dataset.headers.index("code")] = deal_code
                dataset = tablib.Dataset(row, headers=dataset.headers)
        readers[sheet.name] = _read_sheet(sheet, dataset, excel_rows, ctx, report)
        if sheet.model is Deal:
            deal = readers["deal"].deal or Deal()  # Deal(): no usable code; the report says why
            ctx.load_deal(deal)
            report.deal_code, report.deal_name, report.deal_is_new = deal.code, deal.name, deal.pk is None
    _resolve_bookings(readers, ctx, report)
    read_extra_sheets(raw_sheets, ctx, report)
    return report, ctx, readers


def _known_sheets(book: dict, report: WorkbookReport) -> dict:
    """{sheet name: raw sheet}; an unknown sheet, or one that is there twice, is an error (it would be skipped)."""
    raw_sheets, titles = {}, {}
    for title, raw in book.items():
        key = sheet_key(title)
        if key == sheet_key(EXPLANATION_SHEET):
            continue
        sheet = next((s for s in (*SHEETS, *EXTRA_SHEETS) if sheet_key(s.name) == key), None)
        if sheet is None:
            expected = ", ".join(s.name for s in (*SHEETS, *EXTRA_SHEETS))
            report.errors.append(WorkbookError(title, None, None, f"Onbekend tabblad; verwacht worden: {expected}."))
        elif sheet.name in raw_sheets:
            report.errors.append(
                WorkbookError(
                    title,
                    None,
                    None,
                    f"Dit tabblad staat twee keer in de werkmap (ook als '{titles[sheet.name]}'); laat er één over.",
                )
            )
        else:
            raw_sheets[sheet.name], titles[sheet.name] = raw, title
    return raw_sheets


def _one_deal_row(excel_rows: list[int], report: WorkbookReport) -> bool:
    if len(excel_rows) == 1:
        return True
    if excel_rows:
        rows = " en ".join(str(r) for r in excel_rows[:2])
        message = f"Het tabblad 'deal' heeft meer dan één rij (rij {rows}); een werkmap hoort bij één deal."
        report.errors.append(WorkbookError("deal", excel_rows[1], None, message))
    else:
        message = "Onder de kopregel staat geen deal; het tabblad 'deal' moet precies één rij hebben."
        report.errors.append(WorkbookError("deal", 2, None, message))
    return False


def workbook_import(
    *, data: bytes, user: User | None, commit: bool, deal_code: str | None = None, file_name: str = ""
) -> WorkbookReport:
    """Checks the whole workbook and, if ``commit`` and it is valid, saves it at once.

    Raises nothing for a bad workbook: the report lists every error by sheet, row and
    column, and nothing is written.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: a failed query must not spoil the outer transaction
                report, ctx, readers = read_workbook(data, user=user, deal_code=deal_code)
        except Exception:
            # Every known problem is a located message; this is the last line, so that a file
            # nobody foresaw still gets an answer instead of a server error. Logged to be fixed.
            logger.exception("Werkmap-import: onverwachte fout bij het lezen")
            return WorkbookReport(errors=[WorkbookError("", None, None, UNEXPECTED)])
        first_payout = _first_new_payout_row(readers)
        if commit and user is None and first_payout:  # a check without saving needs no user
            report.errors.append(
                WorkbookError(
                    "uitkeringen",
                    first_payout,
                    None,
                    "Uitkeringen wachten na de import in een importbatch op naam van wie importeert: "
                    "geef een gebruiker op.",
                )
            )
        held = held_payouts(ctx, readers, report, user)
        check_budget_covers_payouts(readers, report, lock=commit and not report.errors)
        if report.errors or not (commit or ctx.extras):
            return report
        if not _save_all(ctx, readers, user, report, commit=commit):
            return report
        if held:
            other_rows = report.total_new + report.total_changed - len(held)
            report.batch = batch_create(
                deal=ctx.deal, payouts=held, user=user, data=data, file_name=file_name, other_rows=other_rows
            )
        report.saved = True
        return report


def _first_new_payout_row(readers: dict[str, SheetReader]) -> int | None:
    reader = readers.get("uitkeringen")
    return next((row for row, _b, new in reader.collected if new), None) if reader else None


def _save_all(ctx: ImportContext, readers: dict, user: User | None, report: WorkbookReport, *, commit: bool) -> bool:
    """Writes the workbook; True when it stays written. The rules of the extra sheets (year plans, rollovers,
    co-financing) read the ledger, so they run on what was just written: a check (or a failing row) rolls
    it all back."""
    savepoint = transaction.savepoint()
    _save(ctx, readers, user)
    save_extras(ctx, report, user, commit=commit)
    if report.errors or not commit:
        transaction.savepoint_rollback(savepoint)
        return False
    transaction.savepoint_commit(savepoint)
    return True


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
            if sheet.model in (Decision, ConditionType) and instance.pk is None:
                instance.created_by = user
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
            if booking.kind == Booking.Kind.PAYOUT and booking.correction_of is None:
                continue  # held in the import batch: counts only once a controller confirms it
            booking.deal = ctx.deal
            booking.created_by = user
            (corrections if booking.correction_of is not None else originals).append(booking)
    history = {"default_user": user, "default_change_reason": "Import werkmap", "batch_size": BATCH_SIZE}
    for objs in (originals, corrections):
        if objs:
            bulk_create_with_history(objs, Booking, **history)
