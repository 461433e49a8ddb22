"""Import and export of metingen as xlsx or csv (django-import-export).

Rules, the same in the browser and in `manage.py import_metingen`:
- first a dry run that shows every row and every error with sheet, row and column, in Dutch;
- all or nothing: one wrong row and nothing is saved;
- imported metingen are concepts entered by the importing user; an approved meting is never
  overwritten (a row for an indicator and date that is already approved is an error).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from import_export import fields, resources, widgets
from openpyxl.utils.cell import range_boundaries

from monitoring.models import Indicator, Measurement
from monitoring.permissions import can_enter_measurement
from projects.models import Deal
from regiodeal.spreadsheets import Formula, column_letter, csv_line_count_check, escape_row, read_xlsx, unescape_cell

COLUMNS = {
    # field name: column header
    "indicator": "indicator",
    "date": "datum",
    "period_start": "periode_vanaf",
    "value": "waarde",
    "text": "tekst",
    "source_note": "bron",
    "status": "status",
}


class IndicatorCodeWidget(widgets.ForeignKeyWidget):
    """Indicator by code, within the deal being imported into."""

    def __init__(self, deal: Deal):
        super().__init__(Indicator, field="code")
        self.deal = deal

    def get_queryset(self, value, row, *args, **kwargs):
        return Indicator.objects.filter(deal=self.deal)

    def clean(self, value, row=None, **kwargs):
        code = str(unescape_cell(value) or "").strip()
        if not code:
            raise ValueError("Vul de code van de indicator in.")
        indicator = Indicator.objects.filter(deal=self.deal, code=code).first()
        if indicator is None:
            raise ValueError(f"Indicator '{code}' bestaat niet in deze deal.")
        return indicator


class DutchDecimalWidget(widgets.Widget):
    """Numbers from xlsx cells as they are; text the Dutch way: '13.500', '88,1', '1.234,5'."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, int | Decimal):
            return Decimal(value)
        if isinstance(value, float):
            return Decimal(str(value))
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif text.count(".") >= 1 and all(len(part) == 3 for part in text.split(".")[1:]):
            text = text.replace(".", "")  # 13.500 is thirteen thousand five hundred
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(f"'{value}' is geen getal (schrijf bijvoorbeeld 13.500 of 88,1).") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else format(value.normalize(), "f")


class DutchDateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        for pattern in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValueError(f"'{value}' is geen datum (schrijf bijvoorbeeld 01-07-2022).")

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.isoformat()


class MeasurementResource(resources.ModelResource):
    def __init__(self, *, deal: Deal, user: User):
        super().__init__()
        self.deal = deal
        self.user = user
        self.fields["indicator"] = fields.Field(
            attribute="indicator", column_name="indicator", widget=IndicatorCodeWidget(deal)
        )
        self.fields["date"] = fields.Field(attribute="date", column_name="datum", widget=DutchDateWidget())
        self.fields["period_start"] = fields.Field(
            attribute="period_start", column_name="periode_vanaf", widget=DutchDateWidget()
        )
        self.fields["value"] = fields.Field(attribute="value", column_name="waarde", widget=DutchDecimalWidget())

    text = fields.Field(attribute="text", column_name="tekst")
    source_note = fields.Field(attribute="source_note", column_name="bron")
    status = fields.Field(attribute="status", column_name="status", readonly=True)

    class Meta:
        model = Measurement
        fields = ["indicator", "date", "period_start", "value", "text", "source_note", "status"]
        export_order = fields
        import_id_fields = ["indicator", "date"]
        skip_unchanged = False
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return Measurement.objects.filter(indicator__deal=self.deal).select_related("indicator")

    def get_instance(self, instance_loader, row):
        # An unknown indicator code or a bad date is reported per column by import_instance;
        # here it only means there is no existing meting to update.
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, ValidationError):
            return None

    def dehydrate_indicator(self, measurement):
        return measurement.indicator.code

    def dehydrate_status(self, measurement):
        return measurement.get_status_display()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # The export quotes a text that starts like a formula; the quote is not part of the text.
        instance.text = unescape_cell(instance.text or "")
        instance.source_note = unescape_cell(instance.source_note or "")

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk and instance.status == Measurement.Status.APPROVED:
            raise ValidationError({"date": "Op deze datum is al een goedgekeurde meting; die blijft zoals hij is."})
        if not can_enter_measurement(self.user, instance.indicator):
            raise PermissionDenied(f"U mag bij indicator '{instance.indicator.code}' geen metingen invoeren.")
        instance.status = Measurement.Status.DRAFT
        instance.entered_by = self.user

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # An approved meting is frozen: report it as a field error, like every other row problem.
        errors = dict(import_validation_errors or {})
        if instance.pk and instance.status == Measurement.Status.APPROVED:
            errors.setdefault("date", []).append(
                "Op deze datum is al een goedgekeurde meting voor deze indicator; die blijft zoals hij is."
            )
        if instance.indicator_id and not can_enter_measurement(self.user, instance.indicator):
            errors.setdefault("indicator", []).append(
                f"U mag bij indicator '{instance.indicator.code}' geen metingen invoeren."
            )
        super().validate_instance(instance, import_validation_errors=errors, validate_unique=validate_unique)


# ---------------------------------------------------------------- reading files and reporting


@dataclass
class RowError:
    sheet: str
    row: int  # as the user sees it in the file: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"blad '{self.sheet}', rij {self.row}" if self.sheet else f"rij {self.row}"
        if self.column:
            where += f", kolom '{self.column}'"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    rows: list[dict] = field(default_factory=list)  # preview: each row as read, with its action
    errors: list[RowError] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ReadFile:
    dataset: tablib.Dataset
    sheet: str  # the sheet's title; "" for a csv
    rows: list[int]  # the file's row number of each dataset row (empty rows are left out)
    problems: list[RowError] = field(default_factory=list)  # cells that cannot be read as values


def read_dataset(content: bytes, filename: str) -> ReadFile:
    """The first sheet of an xlsx, or a csv (comma or semicolon separated, UTF-8).

    The row cap is checked before anything is parsed (a few MB can hold 200.000 rows).
    """
    name = filename.lower()
    limit = settings.MEASUREMENTS_MAX_ROWS + 1  # and the header
    problems: list[RowError] = []
    if name.endswith(".xlsx"):
        sheets = read_xlsx(content, max_rows=limit)
        if not sheets:
            raise ValueError("Het bestand heeft geen werkblad.")
        rows, title = sheets[0].rows, sheets[0].title
        problems += _merged_problems(title, sheets[0].merged)
    elif name.endswith(".csv"):
        csv_line_count_check(content, max_rows=limit)
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError("Het csv-bestand is niet in UTF-8 opgeslagen.") from exc
        first = text.splitlines()[0] if text else ""
        delimiter = ";" if first.count(";") > first.count(",") else ","
        rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
        title = ""
    else:
        raise ValueError("Kies een bestand met de extensie .xlsx of .csv.")
    numbered = [(number, r) for number, r in enumerate(rows, start=1) if any(c not in (None, "") for c in r)]
    if not numbered:
        raise ValueError("Het bestand is leeg.")
    headers = [str(h or "").strip().lower() if not isinstance(h, Formula) else "" for h in numbered[0][1]]
    missing = [c for c in ("indicator", "datum") if c not in headers]
    if missing:
        raise ValueError(f"De kolom(men) {', '.join(missing)} ontbreken in de eerste rij.")
    if len(numbered) - 1 > settings.MEASUREMENTS_MAX_ROWS:
        raise ValueError(f"Het bestand heeft meer dan {settings.MEASUREMENTS_MAX_ROWS} rijen.")
    dataset = tablib.Dataset(headers=headers)
    for number, r in numbered[1:]:
        values = (list(r) + [None] * len(headers))[: len(headers)]
        for position, value in enumerate(values):
            if isinstance(value, Formula):  # refused where it stands, never read as empty
                problems.append(RowError(title, number, headers[position] or column_letter(position), value.message))
                values[position] = None
        dataset.append(values)
    return ReadFile(dataset, title, [number for number, _r in numbered[1:]], problems)


def _merged_problems(title: str, merged: list[str]) -> list[RowError]:
    problems = []
    for ref in merged:
        min_col, min_row, _max_col, _max_row = range_boundaries(ref)
        problems.append(
            RowError(
                title,
                min_row,
                column_letter(min_col - 1),
                f"Samengevoegde cellen ({ref}) zijn niet toegestaan: alleen de eerste cel heeft een waarde. "
                "Maak het samenvoegen ongedaan en vul elke cel.",
            )
        )
    return problems


def import_measurements(*, deal: Deal, user: User, content: bytes, filename: str, commit: bool) -> ImportReport:
    """Dry run (commit=False) or the real import; never saves anything when any row is wrong."""
    report = ImportReport()
    try:
        read = read_dataset(content, filename)
    except ValueError as exc:  # SpreadsheetError included: a file that is no xlsx, or too many rows
        report.errors.append(RowError("", 1, "", str(exc)))
        return report
    if read.problems:  # formulas, merged cells: refused before any row is tried
        report.errors = read.problems
        return report
    dataset, sheet, rows = read.dataset, read.sheet, read.rows
    resource = MeasurementResource(deal=deal, user=user)
    result = resource.import_data(
        dataset,
        dry_run=not commit,
        raise_errors=False,
        collect_failed_rows=True,
        rollback_on_validation_errors=True,
        use_transactions=True,
    )
    headers = {name: COLUMNS.get(name, name) for name in COLUMNS}
    for number, errors in result.row_errors():
        for error in errors:
            report.errors.append(RowError(sheet, rows[number - 1], "", _message(error.error)))
    for invalid in result.invalid_rows:
        for name, messages in invalid.error_dict.items():
            column = headers.get(name, "")
            for message in messages:
                report.errors.append(RowError(sheet, rows[invalid.number - 1], column, str(message)))
    report.errors.sort(key=lambda e: (e.row, e.column))
    for number, row in enumerate(result.rows, start=1):
        report.rows.append(
            {
                "row": rows[number - 1],
                "action": {"new": "nieuw", "update": "bijwerken", "skip": "overslaan"}.get(
                    row.import_type, "fout" if row.import_type in ("error", "invalid") else row.import_type
                ),
                "values": dict(zip(dataset.headers, dataset[number - 1], strict=False)),
            }
        )
    report.new = result.totals.get("new", 0)
    report.updated = result.totals.get("update", 0)
    report.committed = commit and report.ok
    return report


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or error.__class__.__name__


def export_measurements(*, deal: Deal, user: User, queryset, file_format: str) -> bytes:
    exported = MeasurementResource(deal=deal, user=user).export(queryset=queryset)
    # No cell may reach a spreadsheet program as a live formula (a text typed by any user).
    dataset = tablib.Dataset(*(escape_row(row) for row in exported), headers=exported.headers)
    if file_format == "xlsx":
        dataset.title = "Metingen"
        return dataset.export("xlsx")
    return dataset.export("csv").encode("utf-8-sig")
