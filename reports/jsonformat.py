"""The report as JSON: the documented open format of docs/report-json.md.

Only the shape lives here; every amount comes from finance.selectors via ReportData.
Amounts are strings with two decimals, so no reader loses a cent to floating point.
"""

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

FORMAT = "regiodeal-voortgangsrapportage/1"
CATEGORIES = ("rijk", "publiek", "overig")
MEASURES = ("begroot", "uitgekeerd", "besteed")


def money(value: Decimal) -> str:
    return f"{Decimal(value).quantize(Decimal('0.01'))}"


def _figures(figures) -> dict[str, str]:
    return {measure: money(getattr(figures, measure)) for measure in MEASURES}


def _row(row) -> dict[str, Any]:
    result: dict[str, Any] = {"code": row.code, "naam": row.name}
    for category in CATEGORIES:
        result[category] = _figures(row.by_category[category])
    result["totaal"] = _figures(row.total)
    return result


def _plain(value):
    """A finding's field as JSON: dates as ISO strings, money as two-decimal strings."""
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | int | bool) or value is None:
        return value
    return str(value)


def finding_json(finding) -> dict[str, Any]:
    """A finding of finance.selectors.deal_findings as a flat object with "soort" and "omschrijving"."""
    if dataclasses.is_dataclass(finding):
        fields = {f.name: getattr(finding, f.name) for f in dataclasses.fields(finding)}
    else:
        fields = dict(vars(finding))
    result = {
        "soort": _plain(fields.pop("kind", fields.pop("soort", ""))),
        "omschrijving": _plain(fields.pop("message", fields.pop("omschrijving", fields.pop("text", "")))),
    }
    for key, value in fields.items():
        if (
            key.startswith("_")
            or key in {"url", "funder", "project"}
            and value is not None
            and not isinstance(value, str | int)
        ):
            # Objects become their code/name below, never a repr.
            if key == "project" and value is not None:
                result["project"] = getattr(value, "code", str(value))
            elif key == "funder" and value is not None:
                result["financier"] = getattr(value, "name", str(value))
            continue
        result[key] = _plain(value)
    return result


def report_json(data) -> dict[str, Any]:
    """The JSON document of a report (reports.selectors.ReportData)."""
    figures = data.figures
    return {
        "formaat": FORMAT,
        "deal": {"code": data.deal.code, "naam": data.deal.name},
        "as_of": data.as_of.isoformat(),
        "periode": data.period_label,
        "per_financier": [
            {"naam": fr.funder.name, "categorie": fr.funder.category, **_figures(fr.figures)}
            for fr in figures.per_funder
        ],
        "per_actielijn": [_row(row) for row in figures.per_action_line],
        "per_programma": [_row(row) for row in figures.per_programme],
        "per_project": [_row(row) for row in figures.per_project],
        "dealniveau": _row(figures.deal_level),
        "totaal": {
            **{category: _figures(figures.total.by_category[category]) for category in CATEGORIES},
            "totaal": _figures(figures.total.total),
        },
        "bevindingen": [finding_json(f) for f in data.findings],
    }
