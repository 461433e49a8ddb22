"""Vouchers from an xlsx file: all or nothing, checked in full (dry run) before anything is saved.

Columns: ontvanger*, datum*, bedrag*, status, kenmerk, toelichting (* required), header on
the first filled row of the sheet "Vouchers" (or the first sheet). Every problem is reported
at sheet, row and column, in Dutch. The rows are written through
finance.services_vouchers.voucher_create, so the rules of the browser hold here too (date
within the deal, begroting of the scheme, who may enter vouchers); the whole run is one
transaction that is rolled back on any error, and always on a dry run.

A re-import of the same file adds nothing: a row whose kenmerk exists in the scheme with the
same values is "ongewijzigd", with other values an error; a row without kenmerk is the same
voucher as one without kenmerk with the same ontvanger, datum, bedrag, status and toelichting.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from finance.models_vouchers import Voucher
from finance.permissions_vouchers import can_manage_vouchers
from finance.resources import AmountWidget, ChoiceWidget, DateWidget, TextWidget
from finance.services_vouchers import voucher_create
from finance.workbook_layout import WorkbookError
from projects.models import Project
from projects.templatetags.money import format_euro
from regiodeal.spreadsheets import Formula, RawSheet, SpreadsheetError, column_letter, read_xlsx

MAX_ROWS = 5000
SHEET_NAME = "Vouchers"
HEADER_SEARCH_ROWS = 10


class VoucherAmountWidget(AmountWidget):
    def parse(self, value):
        # AmountWidget's own message for a negative amount speaks of bookings and corrections.
        if (isinstance(value, int | float | Decimal) and value <= 0) or str(value).strip().startswith("-"):
            raise ValueError(f"Het bedrag ({value}) moet groter dan nul zijn.")
        amount = super().parse(value)
        if amount <= 0:
            raise ValueError(f"Het bedrag ({value}) moet groter dan nul zijn.")
        return amount


# header -> (attribute, widget); the order is the order of the template.
COLUMNS = {
    "ontvanger": ("recipient", TextWidget(required=True, max_length=200)),
    "datum": ("date", DateWidget(required=True)),
    "bedrag": ("amount", VoucherAmountWidget(required=True)),
    "status": ("status", ChoiceWidget(Voucher.Status, default=Voucher.Status.REQUESTED)),
    "kenmerk": ("reference", TextWidget(max_length=100)),
    "toelichting": ("note", TextWidget()),
}
HEADER_OF = {attribute: header for header, (attribute, _widget) in COLUMNS.items()}
COMPARED = ("recipient", "date", "amount", "status", "note")


@dataclass
class VoucherRow:
    row: int
    values: dict


@dataclass
class VoucherImportReport:
    sheet: str = ""
    errors: list[WorkbookError] = field(default_factory=list)
    new: int = 0
    new_amount: Decimal = Decimal("0.00")
    unchanged: int = 0
    saved: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _header_text(value) -> str:
    return "" if value is None or isinstance(value, Formula) else str(value).strip().rstrip("*").strip().casefold()


def _pick_sheet(sheets: list[RawSheet]) -> RawSheet | None:
    by_title = {s.title.casefold(): s for s in sheets}
    return by_title.get(SHEET_NAME.casefold()) or (sheets[0] if sheets else None)


def _header(raw: RawSheet, report: VoucherImportReport) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, {header: position}); None (with an error) when there is none."""
    index = next((i for i, row in enumerate(raw.rows[:HEADER_SEARCH_ROWS]) if any(map(_filled, row))), None)
    expected = ", ".join(f"{h}*" if COLUMNS[h][1].required else h for h in COLUMNS)
    if index is None or "ontvanger" not in {_header_text(v) for v in raw.rows[index]}:
        report.errors.append(
            WorkbookError(raw.title, (index or 0) + 1, None, f"Geen kopregel gevonden; verwacht: {expected}.")
        )
        return None
    positions: dict[str, int] = {}
    for position, value in enumerate(raw.rows[index]):
        letter, text = column_letter(position), _header_text(value)
        if isinstance(value, Formula):
            report.errors.append(WorkbookError(raw.title, index + 1, letter, f"In de kopregel: {value.message}"))
        elif text in positions:
            report.errors.append(
                WorkbookError(
                    raw.title, index + 1, text, f"Deze kolom staat twee keer in de kopregel (ook kolom {letter})."
                )
            )
        elif text in COLUMNS:
            positions[text] = position
        elif _filled(value):
            report.errors.append(
                WorkbookError(
                    raw.title, index + 1, str(value).strip(), f"Onbekende kolom (kolom {letter}); verwacht: {expected}."
                )
            )
    for header, (_attribute, widget) in COLUMNS.items():
        if widget.required and header not in positions:
            report.errors.append(
                WorkbookError(raw.title, index + 1, header, "Verplichte kolom ontbreekt in de kopregel.")
            )
    return index, positions


def _read_rows(raw: RawSheet, start: int, positions: dict[str, int], report: VoucherImportReport) -> list[VoucherRow]:
    """Every filled row below the header, parsed; a row with a bad cell is reported and left out."""
    rows = []
    for number, cells in enumerate(raw.rows[start + 1 :], start=start + 2):
        if not any(map(_filled, cells)):
            continue
        values, bad = {}, False
        for header, position in positions.items():
            attribute, widget = COLUMNS[header]
            try:
                values[attribute] = widget.clean(cells[position] if position < len(cells) else None)
            except ValueError as e:
                report.errors.append(WorkbookError(raw.title, number, header, str(e)))
                bad = True
        stray = [column_letter(i) for i, v in enumerate(cells) if _filled(v) and i not in positions.values()]
        if stray:
            report.errors.append(
                WorkbookError(raw.title, number, stray[0], "Waarde in een kolom zonder bekende kop; die zou niet "
                              "geïmporteerd worden. Geef de kolom een kop of verwijder de waarde.")
            )  # fmt: skip
            bad = True
        if not bad:
            values.setdefault("status", Voucher.Status.REQUESTED)
            values.setdefault("reference", "")
            values.setdefault("note", "")
            rows.append(VoucherRow(number, values))
    return rows


def voucher_identity(values: dict) -> tuple:
    return tuple(values[a] for a in COMPARED)


def voucher_differences(voucher: Voucher, values: dict) -> list[str]:
    shown = {"date": lambda d: f"{d:%d-%m-%Y}", "amount": format_euro}
    changed = []
    for attribute in COMPARED:
        old, new = getattr(voucher, attribute), values[attribute]
        if old != new:
            show = shown.get(attribute, lambda v: f"'{v}'")
            changed.append(f"{HEADER_OF[attribute]} {show(old)} → {show(new)}")
    return changed


def _split_existing(project: Project, sheet: str, rows: list[VoucherRow], report: VoucherImportReport) -> list:
    """The rows that are new; rows already in the scheme are counted, rows that clash are reported."""
    existing = list(project.vouchers.all())
    by_reference = {v.reference: v for v in existing if v.reference}
    without_reference = {voucher_identity(vars(v)) for v in existing if not v.reference}
    seen_reference: dict[str, int] = {}
    seen_identity: dict[tuple, int] = {}
    new = []
    for row in rows:
        reference = row.values["reference"]
        if reference and reference in seen_reference:
            report.errors.append(
                WorkbookError(
                    sheet, row.row, "kenmerk", f"Kenmerk '{reference}' staat ook op rij {seen_reference[reference]}."
                )
            )
            continue
        if not reference and voucher_identity(row.values) in seen_identity:
            first = seen_identity[voucher_identity(row.values)]
            report.errors.append(
                WorkbookError(
                    sheet, row.row, None, f"Deze rij is gelijk aan rij {first}; geef elke voucher een eigen kenmerk."
                )
            )
            continue
        seen_reference[reference] = row.row
        seen_identity[voucher_identity(row.values)] = row.row
        voucher = by_reference.get(reference) if reference else None
        if voucher is not None:
            if changed := voucher_differences(voucher, row.values):
                report.errors.append(
                    WorkbookError(
                        sheet,
                        row.row,
                        "kenmerk",
                        f"Kenmerk '{reference}' bestaat al in deze regeling met andere waarden "
                        f"({'; '.join(changed)}). Geef een ander kenmerk, of laat de rij weg.",
                    )
                )
            else:
                report.unchanged += 1
        elif not reference and voucher_identity(row.values) in without_reference:
            report.unchanged += 1
        else:
            new.append(row)
    return new


def _create_all(project: Project, sheet: str, rows: list[VoucherRow], user: User, report: VoucherImportReport) -> None:
    """Through the service, row by row (each in its own savepoint), so a later row sees the earlier ones."""
    for row in rows:
        try:
            voucher_create(project=project, user=user, **row.values)
        except ValidationError as e:
            for attribute, messages in e.message_dict.items():
                for message in messages:
                    report.errors.append(WorkbookError(sheet, row.row, HEADER_OF.get(attribute), message))
        else:
            report.new += 1
            report.new_amount += row.values["amount"]


def voucher_import(*, project: Project, data: bytes, user: User, commit: bool) -> VoucherImportReport:
    """Checks the whole file; saves its new vouchers only when ``commit`` and nothing at all is wrong."""
    if not can_manage_vouchers(user, project):
        raise PermissionDenied("Alleen de coördinator of de penvoerder van het project importeert vouchers.")
    report = VoucherImportReport()
    if not project.is_voucher_scheme:
        report.errors.append(WorkbookError("", None, None, f"Project {project.code} is geen voucherregeling."))
        return report
    try:
        raw = _pick_sheet(read_xlsx(data, max_rows=MAX_ROWS))
    except SpreadsheetError as e:
        report.errors.append(WorkbookError("", None, None, str(e)))
        return report
    if raw is None:
        report.errors.append(WorkbookError("", None, None, "De werkmap heeft geen tabblad met vouchers."))
        return report
    report.sheet = raw.title
    for ref in raw.merged:
        report.errors.append(
            WorkbookError(
                raw.title, None, ref, "Samengevoegde cellen zijn niet toegestaan; maak het samenvoegen ongedaan."
            )
        )
    found = _header(raw, report)
    if found is None:
        return report
    rows = _read_rows(raw, found[0], found[1], report)
    with transaction.atomic():
        new = _split_existing(project, raw.title, rows, report)
        _create_all(project, raw.title, new, user, report)
        report.saved = commit and report.is_valid
        if not report.saved:
            transaction.set_rollback(True)
    return report


def example_rows(today: date) -> list[list]:
    """The template's header and one example row (finance/views_vouchers.py writes it)."""
    headers = [f"{h}*" if COLUMNS[h][1].required else h for h in COLUMNS]
    return [headers, ["Voorbeeld BV", today, Decimal("2500.00"), "aangevraagd", "V-2024-001", "Jong ondernemer"]]
