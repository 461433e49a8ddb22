"""One chart mechanism for the whole portal.

A view or selector builds a `ChartData`; the browser gets it as a plotly.js figure
(`to_plotly_json`, drawn by static/js/charts.js) and a PDF gets it as SVG drawn here on the
server (`to_svg`, no browser, no matplotlib). Both come from the same object, so the
interactive chart and the printed one cannot drift apart.

Values are Decimal everywhere; they become floats only at the last step, as coordinates to
draw (plotly needs JSON numbers, SVG needs pixels). Every number a reader sees is formatted
from the Decimal itself, the Dutch way: 1.234.567,8.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from html import escape
from typing import Literal

PALETTE = ["#0b5a6b", "#b3541e", "#5b8c2a", "#7a4f9a", "#c9a227", "#3d7ebf", "#8c2d5b", "#4a5560"]
TARGET_COLOUR = "#a11d1d"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"


@dataclass
class Series:
    name: str
    values: list[Decimal | None]
    kind: Literal["line", "bar"] = "line"
    colour: str = ""


@dataclass
class ChartData:
    """Everything one chart shows. `x_labels` and every series' `values` have the same length."""

    title: str
    x_labels: list[str]
    series: list[Series] = field(default_factory=list)
    y_title: str = ""
    x_title: str = "Periode"  # heading of the label column in the accessible table
    unit: str = ""  # shown after each value ("%", "m³"); "€" is shown in front
    target: Decimal | None = None
    target_label: str = "Streefwaarde"
    stacked: bool = False
    decimals: int | None = None  # None: as many as the data needs, at most 2

    def __post_init__(self):
        for s in self.series:
            if len(s.values) != len(self.x_labels):
                raise ValueError(f"Reeks '{s.name}' heeft {len(s.values)} waarden voor {len(self.x_labels)} labels.")

    @property
    def value_decimals(self) -> int:
        if self.decimals is not None:
            return self.decimals
        values = [v for s in self.series for v in s.values if v is not None]
        if self.target is not None:
            values.append(self.target)
        return min(2, max((_places(v) for v in values), default=0))

    def format(self, value: Decimal | None) -> str:
        """A value as a reader sees it: '53.465', '88,1 %', '€ 1.250'."""
        if value is None:
            return "–"
        number = format_nl(value, self.value_decimals)
        if not self.unit:
            return number
        if self.unit == "€":
            return f"€ {number}"
        return f"{number} {self.unit}"

    @property
    def target_text(self) -> str:
        return self.format(self.target)

    @property
    def has_data(self) -> bool:
        return any(v is not None for s in self.series for v in s.values)

    @property
    def table_rows(self) -> list[tuple[str, list[str]]]:
        """(x label, formatted value per series) for the accessible table next to the chart."""
        return [(label, [self.format(s.values[i]) for s in self.series]) for i, label in enumerate(self.x_labels)]

    @property
    def as_plotly(self) -> dict:
        return to_plotly_json(self)

    @property
    def as_svg(self) -> str:
        return to_svg(self)


def decimal_places(value: Decimal) -> int:
    """Decimals a value needs: 88.1000 -> 1, 47865.0000 -> 0."""
    return _places(value)


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def format_nl(value: Decimal, decimals: int = 0) -> str:
    """1234567.891 -> '1.234.567,89' (decimals=2), independent of the active locale."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{fraction}" if fraction else f"{sign}{text}"


def _number(value: Decimal | None) -> float | None:
    # Only coordinates: plotly.js needs JSON numbers. Readers see format_nl of the Decimal.
    return None if value is None else float(value)


# ---------------------------------------------------------------- plotly.js


def to_plotly_json(chart: ChartData) -> dict:
    """A plotly.js figure {data, layout, config}, for Plotly.newPlot in static/js/charts.js."""
    decimals = chart.value_decimals
    suffix = "" if not chart.unit or chart.unit == "€" else f" {chart.unit}"
    prefix = "€ " if chart.unit == "€" else ""
    value_format = f",.{decimals}f"
    data = []
    for index, s in enumerate(chart.series):
        colour = s.colour or PALETTE[index % len(PALETTE)]
        trace = {
            "type": "bar" if s.kind == "bar" else "scatter",
            "name": s.name,
            "x": list(chart.x_labels),
            "y": [_number(v) for v in s.values],
            "hovertemplate": f"%{{x}}<br>{escape(s.name)}: {prefix}%{{y:{value_format}}}{suffix}<extra></extra>",
        }
        if s.kind == "bar":
            trace["marker"] = {"color": colour}
        else:
            trace["mode"] = "lines+markers"
            trace["line"] = {"color": colour, "width": 2}
            trace["marker"] = {"color": colour, "size": 8}
            trace["connectgaps"] = True
        data.append(trace)
    if chart.target is not None:
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": f"{chart.target_label} ({chart.format(chart.target)})",
                "x": list(chart.x_labels),
                "y": [_number(chart.target)] * len(chart.x_labels),
                "line": {"color": TARGET_COLOUR, "dash": "dash", "width": 2},
                "hoverinfo": "skip",
            }
        )
    y_title = chart.y_title or (chart.unit if chart.unit else "")
    layout = {
        "title": {"text": escape(chart.title), "font": {"size": 15}},
        "separators": ",.",
        "font": {"family": FONT, "size": 12},
        "xaxis": {"type": "category", "automargin": True},
        "yaxis": {
            "title": {"text": escape(y_title)},
            "tickformat": ",d" if decimals == 0 else f",.{decimals}f",
            "tickprefix": prefix,
            "rangemode": "tozero" if _includes_zero(chart) else "normal",
            "automargin": True,
        },
        "legend": {"orientation": "h", "y": -0.2},
        "margin": {"t": 50, "r": 20, "b": 40, "l": 60},
        "hovermode": "closest",
    }
    if chart.stacked:
        layout["barmode"] = "relative"
    elif sum(1 for s in chart.series if s.kind == "bar") > 1:
        layout["barmode"] = "group"
    return {"data": data, "layout": layout, "config": {"responsive": True, "displaylogo": False}}


# ---------------------------------------------------------------- SVG


WIDTH, HEIGHT = 640, 360
RIGHT, TOP = 16, 40
CHAR = 6.6  # average glyph width at 11px, to estimate text widths without a font engine


def _includes_zero(chart: ChartData) -> bool:
    """Bars always start at zero; lines only when zero is not far below the data."""
    if any(s.kind == "bar" for s in chart.series):
        return True
    values = [v for s in chart.series for v in s.values if v is not None]
    if chart.target is not None:
        values.append(chart.target)
    if not values:
        return True
    low, high = min(values), max(values)
    return low <= 0 or high <= 0 or (high - low) > high / 2


def _value_range(chart: ChartData) -> tuple[Decimal, Decimal]:
    values: list[Decimal] = []
    bar_series = [s for s in chart.series if s.kind == "bar"]
    if chart.stacked and bar_series:
        for i in range(len(chart.x_labels)):
            values.append(sum((s.values[i] for s in bar_series if s.values[i] and s.values[i] > 0), Decimal(0)))
            values.append(sum((s.values[i] for s in bar_series if s.values[i] and s.values[i] < 0), Decimal(0)))
        values += [v for s in chart.series if s.kind != "bar" for v in s.values if v is not None]
    else:
        values += [v for s in chart.series for v in s.values if v is not None]
    if chart.target is not None:
        values.append(chart.target)
    if not values:
        return Decimal(0), Decimal(1)
    low, high = min(values), max(values)
    if _includes_zero(chart):
        low, high = min(low, Decimal(0)), max(high, Decimal(0))
    if low == high:
        pad = abs(high) / 10 or Decimal(1)
        low, high = low - pad, high + pad
    return low, high


def nice_ticks(low: Decimal, high: Decimal, count: int = 5) -> list[Decimal]:
    """Round tick values (1, 2, 2,5 or 5 × 10^n apart) covering low..high."""
    raw = (high - low) / count
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(
        m * magnitude for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)) if m * magnitude >= raw
    )
    start = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    ticks = [start]
    while ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def _text(x: float, y: float, content: str, *, size: int = 11, anchor: str = "middle", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>{escape(content)}</text>'


def to_svg(chart: ChartData, *, width: int = WIDTH, height: int = HEIGHT) -> str:
    """The chart as a standalone <svg> element: axes, Dutch tick labels, legend, values as text.

    Renders the same in a browser and in WeasyPrint; text stays text (selectable, searchable).
    """
    low, high = _value_range(chart)
    ticks = nice_ticks(low, high)
    y_min, y_max = ticks[0], ticks[-1]
    tick_decimals = max(_places(t) for t in ticks)
    tick_labels = [("€ " if chart.unit == "€" else "") + format_nl(t, tick_decimals) for t in ticks]
    y_title = chart.y_title or (chart.unit if chart.unit not in ("", "€") else "")
    # The plot starts right of the widest tick label (and the rotated axis title).
    left = int(max(len(label) for label in tick_labels) * CHAR) + 12 + (20 if y_title else 0)

    legend_items = [(s.name, s.colour or PALETTE[i % len(PALETTE)], s.kind) for i, s in enumerate(chart.series)]
    if chart.target is not None:
        legend_items.append((f"{chart.target_label} ({chart.format(chart.target)})", TARGET_COLOUR, "target"))
    # Legend rows below the plot, wrapped to the width.
    legend_rows: list[list[tuple[str, str, str, float]]] = [[]]
    x = left
    for name, colour, kind in legend_items:
        item_width = 22 + len(name) * CHAR + 16
        if legend_rows[-1] and x + item_width > width - RIGHT:
            legend_rows.append([])
            x = left
        legend_rows[-1].append((name, colour, kind, x))
        x += item_width
    n = len(chart.x_labels)
    plot_w = width - left - RIGHT
    band = plot_w / max(n, 1)
    longest = max((len(label) for label in chart.x_labels), default=0)
    rotate = longest * CHAR > band - 4
    x_label_h = 18 + (min(longest, 24) * CHAR * 0.5 if rotate else 0)
    bottom = 14 + x_label_h + 18 * len(legend_rows)
    plot_h = height - TOP - bottom

    def y_of(value: Decimal) -> float:
        return TOP + plot_h - float((value - y_min) / (y_max - y_min)) * plot_h

    def x_of(index: int) -> float:
        return left + band * (index + 0.5)

    title_id = f"chart-{zlib.crc32(repr((chart.title, chart.x_labels)).encode()):08x}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{title_id}" font-family="{FONT}" class="chart-svg">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        _text(width / 2, 20, chart.title, size=14, extra=' font-weight="bold"'),
    ]
    # Grid and y ticks.
    for tick, label in zip(ticks, tick_labels, strict=True):
        y = y_of(tick)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" stroke="#d5dbe0" stroke-width="1"/>'
        )
        out.append(_text(left - 6, y + 4, label, anchor="end"))
    if y_title:
        cy = TOP + plot_h / 2
        out.append(_text(14, cy, y_title, extra=f' transform="rotate(-90 14 {cy:.1f})"'))
    # Axes.
    zero_y = y_of(max(y_min, min(Decimal(0), y_max)))
    out.append(f'<line x1="{left}" y1="{TOP}" x2="{left}" y2="{TOP + plot_h:.1f}" stroke="#4a5560"/>')
    out.append(f'<line x1="{left}" y1="{zero_y:.1f}" x2="{width - RIGHT}" y2="{zero_y:.1f}" stroke="#4a5560"/>')
    # X labels.
    for i, label in enumerate(chart.x_labels):
        x, y = x_of(i), TOP + plot_h + 16
        if rotate:
            out.append(_text(x, y, label, anchor="end", extra=f' transform="rotate(-35 {x:.1f} {y:.1f})"'))
        else:
            out.append(_text(x, y, label))
    # Bars.
    bar_series = [(i, s) for i, s in enumerate(chart.series) if s.kind == "bar"]
    if bar_series:
        groups = 1 if chart.stacked else len(bar_series)
        bar_w = band * 0.7 / groups
        for xi in range(n):
            up = down = Decimal(0)
            for gi, (si, s) in enumerate(bar_series):
                value = s.values[xi]
                if value is None:
                    continue
                colour = s.colour or PALETTE[si % len(PALETTE)]
                if chart.stacked:
                    base = up if value >= 0 else down
                    top_value = base + value
                    if value >= 0:
                        up = top_value
                    else:
                        down = top_value
                    x0 = x_of(xi) - bar_w / 2
                else:
                    base, top_value = Decimal(0), value
                    x0 = x_of(xi) - band * 0.35 + gi * bar_w
                y_a, y_b = y_of(base), y_of(top_value)
                y0, h = min(y_a, y_b), abs(y_a - y_b)
                shown = chart.format(value)
                out.append(
                    f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}">'
                    f"<title>{escape(f'{chart.x_labels[xi]}, {s.name}: {shown}')}</title></rect>"
                )
                if h >= 14 and len(shown) * CHAR <= bar_w + 2:
                    out.append(_text(x0 + bar_w / 2, y0 + h / 2 + 4, shown, size=10, extra=' fill="#ffffff"'))
    # Target line.
    if chart.target is not None:
        y = y_of(chart.target)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" stroke="{TARGET_COLOUR}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
    # Lines with markers and their values.
    for si, s in enumerate(chart.series):
        if s.kind == "bar":
            continue
        colour = s.colour or PALETTE[si % len(PALETTE)]
        points = [(x_of(i), y_of(v), v, i) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _, _ in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for px, py, value, i in points:
            shown = chart.format(value)
            out.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}">'
                f"<title>{escape(f'{chart.x_labels[i]}, {s.name}: {shown}')}</title></circle>"
            )
            if n <= 12:
                out.append(_text(px, py - 8, shown, size=10, extra=f' fill="{colour}"'))
    # Legend.
    legend_top = height - 18 * len(legend_rows) + 4
    for row_index, row in enumerate(legend_rows):
        y = legend_top + row_index * 18
        for name, colour, kind, x in row:
            if kind == "bar":
                out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="14" height="10" fill="{colour}"/>')
            elif kind == "target":
                out.append(
                    f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 16:.1f}" y2="{y - 4:.1f}" stroke="{colour}" '
                    f'stroke-width="2" stroke-dasharray="4 3"/>'
                )
            else:
                out.append(
                    f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 16:.1f}" y2="{y - 4:.1f}" stroke="{colour}" '
                    f'stroke-width="2"/><circle cx="{x + 8:.1f}" cy="{y - 4:.1f}" r="3" fill="{colour}"/>'
                )
            out.append(_text(x + 22, y, name, anchor="start"))
    if not chart.has_data:
        out.append(_text(width / 2, TOP + plot_h / 2, "Nog geen metingen", size=12, extra=' fill="#4a5560"'))
    out.append("</svg>")
    return "\n".join(out)
