"""Money inputs that read what Dutch users type and refuse what could be read two ways.

Accepted: ``25000``, ``25.000``, ``25.000,50``, ``€ 25.000``, ``25000,5``, ``25.000,-`` and, because a
point followed by one or two digits cannot be a Dutch thousands separator, ``25000.50``.
Refused with the reading spelled out: ``25,000.50`` (English), ``25,000`` (25 or 25.000?),
``1,000,000``, ``25.00.0``. The field is a text input (never ``type=number``: a browser in another
language would turn ``25000,50`` into 2500050 before the server sees it).
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from projects.templatetags.money import format_euro

DIGITS = re.compile(r"\d+")
DUTCH_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+")  # 25.000 or 7.500.000
ENGLISH_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d{1,2})?")  # 25,000 or 1,000,000.50
ZERO = Decimal("0")
POSITIVE = Decimal("0.01")  # the smallest amount a booking can have
HOW_TO_WRITE = "Schrijf bedragen als 25.000,50 (punt tussen duizendtallen, komma voor de centen)."
WHOLE_EUROS = (",-", ",--", ",—")  # "25.000,-" is how amounts without cents are written


class AmountNotUnderstood(ValueError):
    """The text is not an amount, or could be read as two different amounts."""


def _ambiguous(text: str, readings: list[Decimal]) -> AmountNotUnderstood:
    options = " of ".join(format_euro(reading) for reading in readings)
    return AmountNotUnderstood(f"'{text}' kan op meer manieren gelezen worden: bedoelt u {options}? {HOW_TO_WRITE}")


def _whole_part(text: str, original: str) -> str:
    """The digits before the decimal comma: plain (25000) or grouped with points (25.000)."""
    if DIGITS.fullmatch(text):
        return text
    if DUTCH_GROUPED.fullmatch(text):
        return text.replace(".", "")
    raise AmountNotUnderstood(
        f"'{original}' is geen bedrag. Een punt staat alleen tussen groepen van drie cijfers, zoals in 25.000,50."
    )


def _with_comma(text: str, original: str) -> Decimal:
    whole, _, cents = text.partition(",")
    if not DIGITS.fullmatch(cents):
        raise AmountNotUnderstood(f"'{original}' is geen bedrag: na de komma horen alleen cijfers (de centen).")
    return Decimal(f"{_whole_part(whole, original)}.{cents}")


def _points_only(text: str, original: str) -> Decimal:
    if DIGITS.fullmatch(text) or DUTCH_GROUPED.fullmatch(text):
        return Decimal(text.replace(".", ""))
    whole, _, cents = text.rpartition(".")
    if "." not in whole and DIGITS.fullmatch(whole) and DIGITS.fullmatch(cents) and len(cents) <= 2:
        return Decimal(f"{whole}.{cents}")  # 25000.5: a point before one or two digits is a decimal point
    raise AmountNotUnderstood(f"'{original}' is geen bedrag. {HOW_TO_WRITE}")


def parse_amount(original: str) -> Decimal:
    """The amount a Dutch user meant by ``original``, or AmountNotUnderstood saying why not."""
    text = original.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    negative = text.startswith("-")
    text = text.removeprefix("-")
    for suffix in WHOLE_EUROS:
        if text.endswith(suffix):
            text = text.removesuffix(suffix)
            break
    if not text:
        raise AmountNotUnderstood(f"'{original}' is geen bedrag.")
    if ENGLISH_GROUPED.fullmatch(text):
        # 25,000.50 and 1,000,000 are English; 25,000 is 25 in Dutch and 25.000 in English: ask, never guess.
        readings = [Decimal(text.replace(",", ""))]
        if text.count(",") == 1 and "." not in text:
            readings.append(Decimal(text.replace(",", ".")))
        raise _ambiguous(original, readings)
    if text.count(",") > 1:
        raise AmountNotUnderstood(f"'{original}' is geen bedrag: er hoort hoogstens één komma in, voor de centen.")
    try:
        amount = _with_comma(text, original) if "," in text else _points_only(text, original)
    except InvalidOperation as error:  # pragma: no cover - the patterns above only let digits through
        raise AmountNotUnderstood(f"'{original}' is geen bedrag.") from error
    return -amount if negative else amount


class MoneyField(forms.DecimalField):
    """A DecimalField for euros as they are typed in the Netherlands (see the module docstring)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(localize=True, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_amount(str(value))
        except AmountNotUnderstood as error:
            raise ValidationError(str(error), code="invalid") from error
        except InvalidOperation as error:
            raise ValidationError(f"'{value}' is geen bedrag.", code="invalid") from error
