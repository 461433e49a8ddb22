"""The deal workbook's sheets that tie programme lines to periods and financiers (Twente).

programmalijnperiodes          ProgrammeLinePeriod      a line's own window and financial peildatum in a
                                                        reporting period (once per line and period)
financiers per programmalijn   Funder.programme_lines   which financier finances which line (a row per pair)

The lines themselves are the main sheet 'programmalijnen' (finance.workbook_format), so projects can
name theirs; these two sheets are optional extras of finance.workbook_extras, read with the same
widgets, checked by the models' own rules and written in the import's transaction. A pair or a period
missing from the workbook is left as it is in the deal: like the other extras, the workbook adds and
changes, it does not delete.
"""

import datetime

from finance.models import Funder
from finance.resources import LastDayWidget, LookupWidget
from finance.workbook_format import Column, Sheet, _code_of, _date, _funder
from projects.models import ProgrammeLinePeriod


def _line():
    return lambda ctx: LookupWidget(
        ctx.programme_lines, what="programmalijn", where="tabblad 'programmalijnen'", required=True
    )


def _period():
    return lambda ctx: LookupWidget(ctx.periods, what="periode", where="tabblad 'periodes'", required=True)


LINE_COLUMN = Column(
    "programmalijn", "programme_line", _line(), "Code uit 'programmalijnen'.", "RDT", _code_of("programme_line")
)


class FunderLine:
    """One row of 'financiers per programmalijn' on export: a financier and one of its lines."""

    def __init__(self, funder, programme_line):
        self.funder, self.programme_line = funder, programme_line


LINE_SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "programmalijnperiodes",
        ProgrammeLinePeriod,
        "programme_line",
        "periode van een programmalijn",
        (
            LINE_COLUMN,
            Column("periode", "period", _period(), "Naam uit 'periodes'.", "2021-1", lambda lp: lp.period.name),
            Column(
                "start", "start", _date(True), "Eerste dag waarover deze lijn rapporteert.", datetime.date(2021, 1, 1)
            ),
            Column(
                "t/m",
                "end",
                lambda ctx: LastDayWidget(required=True),
                "Laatste dag waarover deze lijn rapporteert (tot en met).",
                datetime.date(2021, 6, 30),
                lambda lp: lp.last_day,
            ),
            Column(
                "financiële peildatum",
                "reference_date",
                _date(True),
                "Tot en met deze datum tellen de bedragen van deze lijn mee in de rapportage over de periode.",
                datetime.date(2021, 3, 31),
            ),
        ),
    ),
    Sheet(
        "financiers per programmalijn",
        FunderLine,
        "funder",
        "financier van een programmalijn",
        (
            Column("financier", "funder", _funder(), "Naam uit 'financiers'.", "Rijk", lambda fl: fl.funder.name),
            LINE_COLUMN,
        ),
    ),
)
DOUBLE_KEYS = {
    "programmalijnperiodes": ("programme_line", "period"),
    "financiers per programmalijn": ("funder", "programme_line"),
}


def line_export_rows(deal) -> dict[str, list[list]]:
    periods = ProgrammeLinePeriod.objects.filter(programme_line__deal=deal).select_related("programme_line", "period")
    pairs = [
        FunderLine(funder, line)
        for funder in deal.funders.prefetch_related("programme_lines").order_by("order", "name")
        for line in sorted(funder.programme_lines.all(), key=lambda line: line.code)
    ]
    sheets = dict(zip(("programmalijnperiodes", "financiers per programmalijn"), LINE_SHEETS, strict=True))
    return {
        "programmalijnperiodes": [
            [c.value(lp) for c in sheets["programmalijnperiodes"].columns]
            for lp in periods.order_by("period__start", "programme_line__code")
        ],
        "financiers per programmalijn": [
            [c.value(pair) for c in sheets["financiers per programmalijn"].columns] for pair in pairs
        ],
    }


def save_line_periods(rows, ctx, result) -> None:
    """Once per line and period: an existing row of the deal is changed, else a new one is made."""
    existing = {
        (lp.programme_line_id, lp.period_id): lp
        for lp in ProgrammeLinePeriod.objects.filter(programme_line__deal=ctx.deal)
    }
    for row in rows:
        v = row.values
        line_period = existing.get((v["programme_line"].pk, v["period"].pk))
        new = line_period is None
        if new:
            line_period = ProgrammeLinePeriod(programme_line=v["programme_line"], period=v["period"])
        elif (line_period.start, line_period.end, line_period.reference_date) == (
            v["start"],
            v["end"],
            v["reference_date"],
        ):
            result.count.unchanged += 1
            continue
        line_period.start, line_period.end, line_period.reference_date = v["start"], v["end"], v["reference_date"]
        result.save(row, line_period, new=new)


def save_funder_lines(rows, ctx, result) -> None:
    """Adds each financier's line; a pair already there is unchanged. The pairs on record are read once
    (no query per row); both lookups only know the deal's own funders and lines."""
    through = Funder.programme_lines.through
    pairs = set(through.objects.filter(funder__deal=ctx.deal).values_list("funder_id", "programmeline_id"))
    for row in rows:
        funder, line = row.values["funder"], row.values["programme_line"]
        if (funder.pk, line.pk) in pairs:
            result.count.unchanged += 1
            continue
        funder.programme_lines.add(line)
        pairs.add((funder.pk, line.pk))
        result.count.new += 1
