"""django-import-export widgets and the sheet resource of the deal workbook (finance/workbook.py).

Every widget raises ``ValueError`` with a Dutch text for a bad cell: django-import-export
turns that into a clean per-field message, where any other exception would surface as a
traceback (see TECHNOTES). Lookups (project codes, financiers, ...) go to dictionaries the
workbook loads once before the rows are read, so a row costs no database query.

The resource only *reads*: it turns rows into unsaved or changed model instances and
reports per-row problems. ``finance.workbook.workbook_import`` checks what spans rows and
writes everything in one transaction.
"""

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from import_export import fields, resources, results, widgets
from import_export.instance_loaders import BaseInstanceLoader

from regiodeal.spreadsheets import Formula, unescape_cell

CENT = Decimal("0.01")
# PostgreSQL's integer column (Django's IntegerField and PositiveIntegerField) holds no more.
MAX_INTEGER = 2_147_483_647


def format_amount(amount: Decimal) -> str:
    """1234567.5 -> '1.234.567,50' (for messages; screens use the |euro filter)."""
    text = f"{abs(amount):,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"-{text}" if amount < 0 else text


class CellWidget(widgets.Widget):
    """Base: unescapes and trims the cell, checks 'required', then parses a non-empty value."""

    format_text = "tekst"

    def __init__(self, *, required: bool = False):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, Formula):
            raise ValueError(value.message)
        value = unescape_cell(value)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if self.required:
                raise ValueError("Verplichte waarde ontbreekt.")
            return self.empty()
        return self.parse(value)

    def empty(self):
        return None

    def parse(self, value):
        return value


class TextWidget(CellWidget):
    def __init__(self, *, required: bool = False, max_length: int | None = None):
        super().__init__(required=required)
        self.max_length = max_length

    def empty(self):
        return ""

    def parse(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a code typed as a number: 1110.0 -> "1110"
        if isinstance(value, datetime.datetime | datetime.date):
            raise ValueError(f"Verwacht tekst, maar de cel bevat een datum ({value:%d-%m-%Y}).")
        text = str(value).strip()
        if self.max_length and len(text) > self.max_length:
            raise ValueError(f"Te lang: hoogstens {self.max_length} tekens, dit zijn er {len(text)}.")
        return text


class AmountWidget(CellWidget):
    """An amount in euros: a number cell, or text in Dutch notation (1.234,56). Never negative."""

    format_text = "bedrag in euro, getal met hoogstens 2 decimalen (tekst mag als 1.234,56)"
    _dutch_thousands = re.compile(r"^\d{1,3}(\.\d{3})+$")

    def __init__(self, *, required: bool = False, max_digits: int = 14):
        super().__init__(required=required)
        self.max_digits = max_digits  # as the model's DecimalField, two of them after the comma

    def parse(self, value):
        if isinstance(value, bool) or isinstance(value, datetime.date):
            raise ValueError(f"'{value}' is geen bedrag.")
        if isinstance(value, int | float | Decimal):
            amount = Decimal(str(value))  # str() gives the shortest decimal that round-trips the float
        else:
            amount = self._parse_text(str(value))
        if not amount.is_finite():
            raise ValueError(f"'{value}' is geen bedrag.")
        if amount.adjusted() >= self.max_digits - 2:  # checked before rounding, which would overflow
            largest = format_amount(Decimal(10) ** (self.max_digits - 2) - CENT)
            raise ValueError(f"Bedrag {value} is te groot: hoogstens {largest}.")
        rounded = amount.quantize(CENT)
        if abs(amount - rounded) > Decimal("0.000001"):
            raise ValueError(f"Bedrag {value} heeft meer dan twee decimalen.")
        if rounded < 0:
            raise ValueError(
                f"Negatief bedrag ({format_amount(rounded)}): bedragen zijn nooit negatief; "
                "boek een correctie met de kolom 'correctie op'."
            )
        return rounded

    def _parse_text(self, text: str) -> Decimal:
        cleaned = text.replace("€", "").replace("\u00a0", "").replace(" ", "")
        if "," in cleaned:  # Dutch: dots group thousands, the comma is the decimal sign
            cleaned = cleaned.replace(".", "").replace(",", ".")
        elif self._dutch_thousands.match(cleaned.lstrip("-")):
            cleaned = cleaned.replace(".", "")
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(f"'{text}' is geen bedrag; vul een getal in, bijvoorbeeld 1234,56.") from None
        if not amount.is_finite():
            raise ValueError(f"'{text}' is geen bedrag; vul een getal in, bijvoorbeeld 1234,56.")
        return amount


class DateWidget(CellWidget):
    format_text = "datum (een datumcel, of tekst dd-mm-jjjj)"
    _formats = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")

    def parse(self, value):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            for fmt in self._formats:
                try:
                    return datetime.datetime.strptime(value, fmt).date()
                except ValueError:
                    continue
        raise ValueError(f"'{value}' is geen datum; gebruik een datumcel of dd-mm-jjjj.")


class LastDayWidget(DateWidget):
    """A period's last day as people type it ("t/m 30-06-2022"); read as the day after, as periods are stored."""

    format_text = "datum van de laatste dag van de periode (een datumcel, of tekst dd-mm-jjjj)"

    def parse(self, value):
        return super().parse(value) + datetime.timedelta(days=1)


class YesNoWidget(CellWidget):
    """A yes/no cell; empty is no."""

    format_text = "ja of nee (leeg: nee)"

    def empty(self):
        return False

    def parse(self, value):
        if isinstance(value, bool):
            return value
        text = str(value).strip().casefold()
        if text in ("ja", "j", "yes", "true", "1"):
            return True
        if text in ("nee", "n", "no", "false", "0"):
            return False
        raise ValueError(f"'{value}' is geen ja of nee.")


class PositiveIntegerWidget(CellWidget):
    """A whole number of at least ``minimum`` (1 for tranche numbers, 0 for an order)."""

    def __init__(self, *, required: bool = False, minimum: int = 1, maximum: int = MAX_INTEGER):
        super().__init__(required=required)
        self.minimum, self.maximum = minimum, maximum
        self.format_text = f"geheel getal, {minimum} of hoger"

    def parse(self, value):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(f"'{value}' is geen geheel getal.") from None
        if isinstance(value, bool) or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(f"'{value}' is geen geheel getal van {self.minimum} of hoger.")
        if number < self.minimum:
            raise ValueError(f"'{value}' is geen geheel getal van {self.minimum} of hoger.")
        if number > self.maximum:
            raise ValueError(f"'{value}' is te groot: hoogstens {self.maximum}.")
        return int(number)


class ChoiceWidget(CellWidget):
    """One of a TextChoices' values; the Dutch label is accepted too (case-insensitive)."""

    def __init__(self, choices: type[models.TextChoices], *, required: bool = False, default=None):
        super().__init__(required=required)
        self.default = default
        self.by_text = {}
        for value, label in choices.choices:
            self.by_text[str(value).lower()] = value
            self.by_text[str(label).lower()] = value
        self.allowed = ", ".join(str(v) for v in choices.values)
        self.format_text = f"één van: {self.allowed}"

    def empty(self):
        return self.default

    def parse(self, value):
        try:
            return self.by_text[str(value).strip().lower()]
        except KeyError:
            raise ValueError(f"'{value}' is geen geldige waarde; kies uit: {self.allowed}.") from None


class LookupWidget(CellWidget):
    """A code or name that must exist in the deal or earlier in the workbook.

    ``lookup`` is a dictionary the workbook fills as it reads (database first, then the
    sheets in order), so a project may point at a programme on the sheet before it.
    """

    def __init__(self, lookup: dict, *, what: str, where: str, required: bool = False):
        super().__init__(required=required)
        self.lookup, self.what, self.where = lookup, what, where
        self.format_text = f"{what} uit {where}"

    def parse(self, value):
        key = TextWidget().parse(value)
        try:
            return self.lookup[key.casefold()]
        except KeyError:
            raise ValueError(f"Onbekende {self.what} '{key}': staat niet in {self.where} en niet in de deal.") from None


class OrganisationWidget(CellWidget):
    """An organisation by name; an unknown name becomes a new organisation when the import is saved."""

    format_text = "naam van een organisatie (nieuw als die nog niet bestaat)"

    def __init__(self, organisations: dict, *, new_organisation: Callable[[str], models.Model]):
        super().__init__(required=False)
        self.organisations = organisations
        self.new_organisation = new_organisation

    def parse(self, value):
        name = TextWidget(max_length=200).parse(value)
        found = self.organisations.get(name.casefold())
        if found is None:
            found = self.organisations[name.casefold()] = self.new_organisation(name)
        return found


class QuietRowResult(results.RowResult):
    """Skips the per-row ``str(instance)`` of django-import-export: nothing here shows it."""

    def add_instance_info(self, instance):
        pass


class NoQueryInstanceLoader(BaseInstanceLoader):
    """The resource finds existing instances in preloaded dictionaries (see SheetResource.get_instance)."""

    def get_instance(self, row):  # pragma: no cover - never called
        raise NotImplementedError


class SheetResource(resources.Resource):
    """Reads the rows of one workbook sheet into model instances, without touching the database.

    ``sheet`` (a finance.workbook.Sheet) gives the columns; ``reader`` (a
    finance.workbook.SheetReader) finds the existing instance of a row, creates new ones,
    checks what spans rows and collects what must be saved.
    """

    class Meta:
        instance_loader_class = NoQueryInstanceLoader
        use_transactions = False
        skip_diff = True
        report_skipped = True

    def __init__(self, *, sheet, reader, widgets: dict[str, CellWidget]):
        super().__init__()
        self.sheet, self.reader = sheet, reader
        self.fields = {
            column.attribute: fields.Field(
                attribute=column.attribute, column_name=column.header, widget=widgets[column.attribute]
            )
            for column in sheet.columns
        }

    @classmethod
    def get_row_result_class(cls):
        return QuietRowResult

    def before_import_row(self, row, **kwargs):
        self.reader.row_number = kwargs["row_number"]

    def get_instance(self, instance_loader, row):
        return self.reader.existing(row)

    def init_instance(self, row=None):
        return self.reader.new(row)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None:
            return False
        return not self.reader.changed(instance)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        self.reader.validate(instance, errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        self.reader.collect(instance, is_create)

    def save_m2m(self, instance, row, **kwargs):
        pass

    def after_import(self, dataset, result, **kwargs):
        pass
