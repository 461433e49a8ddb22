"""Import and export of metingen as xlsx or csv (django-import-export).

Rules, the same in the browser and in `manage.py import_metingen`:
- first a dry run that shows every row and every error with sheet, row and column, in Dutch;
- all or nothing: one wrong row and nothing is saved;
- imported metingen are concepts entered by the importing user; an approved meting is never
  overwritten (a row for an indicator and date that is already approved is an error).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import tablib
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from import_export import fields, resources, widgets

from monitoring.models import Indicator, Measurement
from monitoring.permissions import can_enter_measurement
from projects.models import Deal

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
MAX_ROWS = 5000


class IndicatorCodeWidget(widgets.ForeignKeyWidget):
    """Indicator by code, within the deal being imported into."""

    def __init__(self, deal: Deal):
        super().__init__(Indicator, field="code")
        self.deal = deal

    def get_queryset(self, value, row, *args, **kwargs):
        return Indicator.objects.filter(deal=self.deal)

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip()
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
        if instance.text is None:
            instance.text = ""
        if instance.source_note is None:
            instance.source_note = ""

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


def read_dataset(content: bytes, filename: str) -> tuple[tablib.Dataset, str]:
    """The first sheet of an xlsx, or a csv (comma or semicolon separated, UTF-8)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(_bytes_io(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several types for a file that is no xlsx
            raise ValueError("Het bestand is geen leesbaar xlsx-bestand.") from exc
        sheet = workbook.worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        title = sheet.title
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError("Het csv-bestand is niet in UTF-8 opgeslagen.") from exc
        import csv

        first = text.splitlines()[0] if text else ""
        delimiter = ";" if first.count(";") > first.count(",") else ","
        rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
        title = ""
    else:
        raise ValueError("Kies een bestand met de extensie .xlsx of .csv.")
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        raise ValueError("Het bestand is leeg.")
    headers = [str(h or "").strip().lower() for h in rows[0]]
    missing = [c for c in ("indicator", "datum") if c not in headers]
    if missing:
        raise ValueError(f"De kolom(men) {', '.join(missing)} ontbreken in de eerste rij.")
    if len(rows) - 1 > MAX_ROWS:
        raise ValueError(f"Het bestand heeft meer dan {MAX_ROWS} rijen.")
    dataset = tablib.Dataset(headers=headers)
    for r in rows[1:]:
        dataset.append((list(r) + [None] * len(headers))[: len(headers)])
    return dataset, title


def _bytes_io(content: bytes):
    from io import BytesIO

    return BytesIO(content)


def import_measurements(*, deal: Deal, user: User, content: bytes, filename: str, commit: bool) -> ImportReport:
    """Dry run (commit=False) or the real import; never saves anything when any row is wrong."""
    report = ImportReport()
    try:
        dataset, sheet = read_dataset(content, filename)
    except ValueError as exc:
        report.errors.append(RowError("", 1, "", str(exc)))
        return report
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
            report.errors.append(RowError(sheet, number + 1, "", _message(error.error)))
    for invalid in result.invalid_rows:
        for name, messages in invalid.error_dict.items():
            column = headers.get(name, "")
            for message in messages:
                report.errors.append(RowError(sheet, invalid.number + 1, column, str(message)))
    report.errors.sort(key=lambda e: (e.row, e.column))
    for number, row in enumerate(result.rows, start=1):
        report.rows.append(
            {
                "row": number + 1,
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
    dataset = MeasurementResource(deal=deal, user=user).export(queryset=queryset)
    if file_format == "xlsx":
        dataset.title = "Metingen"
        return dataset.export("xlsx")
    return dataset.export("csv").encode("utf-8-sig")
