"""regiodeal/charts.py: one ChartData, drawn as SVG on the server and as a plotly.js figure."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from regiodeal.charts import ChartData, Series, format_nl, nice_ticks, to_plotly_json, to_svg

SVG = "{http://www.w3.org/2000/svg}"


def business_chart() -> ChartData:
    return ChartData(
        title="Aantal bedrijfsvestigingen",
        x_labels=["2020", "2022"],
        series=[Series("Regio Stedendriehoek", [Decimal("47865"), Decimal("53465")])],
        target=Decimal("55000"),
    )


def budget_chart() -> ChartData:
    return ChartData(
        title="Begroot per actielijn",
        x_labels=["Cleantech Werkt", "Groene Groei"],
        series=[
            Series("Rijk", [Decimal("1500000.00"), Decimal("5775000.00")], kind="bar"),
            Series("Publiek", [Decimal("3000000.00"), None], kind="bar"),
        ],
        unit="€",
        stacked=True,
    )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  (our own output, not untrusted input)


def texts(svg: str) -> list[str]:
    root = parse(svg)
    return [el.text for el in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (Decimal("53465"), 0, "53.465"),
        (Decimal("88.1"), 1, "88,1"),
        (Decimal("-0.45"), 1, "-0,5"),
        (Decimal("999"), 0, "999"),
    ],
)
def test_numbers_are_formatted_the_dutch_way(value, decimals, expected):
    assert format_nl(value, decimals) == expected


def test_ticks_are_round_and_cover_the_range():
    ticks = nice_ticks(Decimal("44000"), Decimal("55000"))
    # 11.000 / 5 ticks = 2.200 a step, rounded up to the next of 1, 2, 2,5, 5 x 1.000: 2.500; the first tick
    # is 44.000 rounded down to a multiple of 2.500 (42.500), the last the first one at or above 55.000.
    assert ticks == [Decimal(v) for v in (42500, 45000, 47500, 50000, 52500, 55000)]


def test_svg_is_well_formed_and_shows_values_ticks_and_target():
    svg = to_svg(business_chart())
    shown = texts(svg)
    assert "47.865" in shown and "53.465" in shown
    assert "Aantal bedrijfsvestigingen" in shown
    assert "Streefwaarde (55.000)" in shown
    assert any(t and t.endswith(".000") for t in shown)  # Dutch thousands on the y-axis
    root = parse(svg)
    assert root.findall(f".//{SVG}polyline")
    assert [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]  # dashed target


def test_svg_stacks_bars_and_tolerates_missing_values():
    svg = to_svg(budget_chart())
    root = parse(svg)
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "Groene Groei, Rijk: € 5.775.000" in titles
    assert len([r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]) == 3
    assert "€ 5.775.000" in texts(svg) or "€ 6.000.000" in texts(svg)


def test_svg_escapes_text():
    chart = ChartData(title="R&D <uitgaven>", x_labels=["a"], series=[Series("x & y", [Decimal(1)])])
    root = parse(to_svg(chart))
    assert root.find(f"{SVG}title").text == "R&D <uitgaven>"


def test_svg_of_a_chart_without_data_says_so():
    chart = ChartData(title="Leeg", x_labels=[], series=[])
    assert "Nog geen metingen" in texts(to_svg(chart))


def test_svg_renders_in_weasyprint():
    weasyprint = pytest.importorskip("weasyprint")
    pdf = weasyprint.HTML(string=f"<html><body>{to_svg(budget_chart())}</body></html>").write_pdf()
    assert pdf.startswith(b"%PDF")


def test_plotly_figure_comes_from_the_same_chart_data():
    figure = to_plotly_json(business_chart())
    line, target = figure["data"]
    assert line["y"] == [47865.0, 53465.0] and line["x"] == ["2020", "2022"]
    assert line["mode"] == "lines+markers"
    assert target["line"]["dash"] == "dash" and target["y"] == [55000.0, 55000.0]
    assert target["name"] == "Streefwaarde (55.000)"
    assert figure["layout"]["separators"] == ",."
    assert figure["layout"]["yaxis"]["tickformat"] == ",d"


def test_plotly_stacks_bars_and_keeps_gaps():
    figure = to_plotly_json(budget_chart())
    assert figure["layout"]["barmode"] == "relative"
    assert [t["type"] for t in figure["data"]] == ["bar", "bar"]
    assert figure["data"][1]["y"] == [3000000.0, None]
    assert figure["layout"]["yaxis"]["tickprefix"] == "€ "


def test_series_length_must_match_labels():
    with pytest.raises(ValueError, match="2 waarden voor 1 labels"):
        ChartData(title="x", x_labels=["a"], series=[Series("s", [Decimal(1), Decimal(2)])])


def test_plotly_js_is_served_by_the_portal():
    assert finders.find("vendor/plotly/plotly.min.js")
    assert finders.find("js/charts.js")


def test_chart_partial_has_json_for_plotly_svg_fallback_and_a_table():
    html = render_to_string("partials/chart.html", {"chart": business_chart(), "chart_id": "grafiek-1"})
    assert 'data-chart="grafiek-1"' in html
    assert '<script id="grafiek-1" type="application/json">' in html
    assert "<svg" in html
    assert '<td class="num">53.465</td>' in html
    assert '<td class="num">55.000</td>' in html
