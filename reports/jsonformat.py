"""The report as JSON: the documented open format of docs/report-json.md.

Only the shape lives here; every amount comes from finance.selectors via ReportData.
Amounts are strings with two decimals, so no reader loses a cent to floating point.
"""

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


def finding_json(finding) -> dict[str, Any]:
    """A finding of finance.findings.deal_findings: what kind, what it says, where, how much."""
    return {
        "soort": finding.soort,
        "omschrijving": finding.omschrijving,
        "project": finding.project.code if finding.project else None,
        "financier": finding.funder.name if finding.funder else None,
        "bedrag": money(finding.amount) if finding.amount is not None else None,
    }


def vouchers_json(sheet) -> dict[str, Any]:
    """A voucher scheme's vouchers dated on or before the ijkdatum: count and sum per status."""
    summary = sheet.vouchers
    return {
        "project": sheet.project.code,
        "naam": sheet.project.name,
        "aantal_toegekend_of_uitbetaald": summary.committed_count,
        "bedrag_toegekend_of_uitbetaald": money(summary.committed_amount),
        "per_status": {t.status: {"aantal": t.count, "bedrag": money(t.amount)} for t in summary.statuses},
    }


def _cofinancing_amounts(totals) -> dict[str, str]:
    return {
        "toegezegd": money(totals.pledged),
        "gerealiseerd": money(totals.realised),
        "waarvan_voor_de_deal": money(totals.before_deal),
    }


def cofinancing_json(sheet) -> dict[str, Any]:
    """A project's co-financing paid to it directly (not through the kassier), as it stood at the ijkdatum."""
    cofinancing = sheet.cofinancing
    return {
        "code": sheet.project.code,
        "naam": sheet.project.name,
        **_cofinancing_amounts(cofinancing.total),
        "per_financier": [
            {"naam": f.name, "categorie": f.category, **_cofinancing_amounts(f.totals)} for f in cofinancing.per_funder
        ],
    }


def pending_json(pending) -> dict[str, Any]:
    return {
        "project": pending.project.code if pending.project else None,
        "financier": pending.funder.name,
        "categorie": pending.funder.category,
        "toelichting": pending.note,
    }


def years_json(table) -> dict[str, Any]:
    """Begroot (year plans and rollovers), prognose and besteed per calendar year, as of the ijkdatum."""
    return {
        "jaren": [
            {
                "jaar": year,
                "begroot": money(figures.begroot),
                "prognose": money(figures.prognose),
                "prognose_opgegeven": figures.forecast_given,
                "besteed": money(figures.besteed),
                "begroot_min_besteed": money(figures.begroot_min_besteed),
            }
            for year, figures in table.year_rows()
        ],
        "begroot_in_boekhouding": money(table.ledger_begroot),
        "niet_over_jaren_verdeeld": money(table.unplanned),
    }


def programme_line_json(line) -> dict[str, Any]:
    """A programme line (Twente: RDT, AvT) with its own window and peildatum; None: the money outside every line."""
    return {
        "code": line.line.code if line.line else None,
        "naam": line.line.name if line.line else "Zonder programmalijn",
        "periode_van": line.start.isoformat() if line.start else None,
        "periode_tot_en_met": line.last_day.isoformat() if line.end else None,
        "peildatum": line.as_of.isoformat(),
        "financiers": [funder.name for funder in line.funders],
        "per_actielijn": [_row(row) for row in line.per_action_line],
        "per_project": [_row(row) for row in line.per_project],
        "totaal": _row(line.total),
    }


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
        "vouchers": [vouchers_json(sheet) for sheet in data.fact_sheets if sheet.vouchers is not None],
        "cofinanciering_buiten_kassier": [
            cofinancing_json(sheet) for sheet in data.fact_sheets if sheet.cofinancing is not None
        ],
        "per_jaar": years_json(data.years) if data.years is not None else None,
        "nog_te_bepalen": [pending_json(p) for p in data.pending],
        "programmalijnen": [programme_line_json(line) for line in data.programme_lines],
    }
