"""{{ value|meting:indicator.unit }}: a meting as a reader sees it, '53.465', '88,1 %', '€ 26.100'."""

from decimal import Decimal

from django import template

from regiodeal.charts import ChartData, decimal_places

register = template.Library()


@register.filter
def meting(value, unit: str = ""):
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    chart = ChartData(
        title="", x_labels=[], unit="€" if unit == "EUR" else unit, decimals=min(2, decimal_places(value))
    )
    return chart.format(value)
