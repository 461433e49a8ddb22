"""The one way money and percentages are shown: "€ 1.234.567,00" and "38 %"."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


def format_euro(value, decimals: int = 2) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        raise TypeError("Geldbedragen zijn Decimal, nooit float.")
    amount = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{abs(amount):.{decimals}f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups) or "0"
    if decimals:
        text += "," + fraction
    return f"{sign}€\u00a0{text}"


@register.filter
def euro(value):
    """€ 1.234.567,00"""
    return format_euro(value, 2)


@register.filter
def euro0(value):
    """€ 1.234.567 (for report tables)"""
    return format_euro(value, 0)


@register.filter
def percent(value):
    """A ratio given as a Decimal percentage (or None for 'no base') as "38 %"; None as "–"."""
    if value is None:
        return "–"
    rounded = Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{rounded}\u00a0%"
