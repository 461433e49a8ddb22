"""The money of each programme line of a deal, each as of its own peildatum (Twente: RDT and AvT).

One call of the deal selector with a date per line (``deal_figures(as_of_by_line=…)``), so the lines
add up from the same rows as every other figure, in a fixed number of queries whatever the size of the
deal or the number of lines. A deal without programme lines gets an empty list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from finance.models import Funder
from finance.selectors import CATEGORIES, Row, _by_category_zero, _row, booking_list_url, deal_figures
from projects.models import Deal, ProgrammeLine, ProgrammeLinePeriod, Project, ReportingPeriod


@dataclass
class ProgrammeLineFigures:
    """One programme line in one report: its window, its peildatum, its funders and its money."""

    line: ProgrammeLine | None  # None: the projects (and deal-level money) outside every line
    start: date | None
    end: date | None  # exclusive, as ReportingPeriod.end
    as_of: date
    funders: list[Funder]
    groups: list[tuple[Row, list[Row]]]  # each actielijn's row with the rows of its projects in this line
    per_project: list[Row]  # every project of the line (the rest: plus the deal-level row)
    total: Row

    @property
    def per_action_line(self) -> list[Row]:
        return [row for row, _projects in self.groups if row.pk is not None]  # not the deal-level group

    @property
    def last_day(self) -> date | None:
        return self.end - timedelta(days=1) if self.end else None


def programme_line_figures(
    *, deal: Deal, as_of: date, period: ReportingPeriod | None = None
) -> list[ProgrammeLineFigures]:
    """Each programme line of the deal as of its own peildatum in ``period`` (default: as_of), then the rest."""
    lines = list(ProgrammeLine.objects.filter(deal=deal).prefetch_related("funders").order_by("code"))
    if not lines:
        return []
    own = _line_periods(lines, period)
    as_of_by_line = {line.pk: own[line.pk].reference_date if line.pk in own else as_of for line in lines}
    figures = deal_figures(deal=deal, as_of=as_of, as_of_by_line=as_of_by_line)
    result = []
    for line in lines:
        line_period = own.get(line.pk)
        start, end = (line_period.start, line_period.end) if line_period else _period_dates(period)
        projects = [p for p in figures.projects.values() if p.programme_line_id == line.pk]
        result.append(
            _line_figures(
                line, figures, projects, start, end, as_of_by_line[line.pk], sorted(line.funders.all(), key=_order)
            )
        )
    outside = [p for p in figures.projects.values() if p.programme_line_id is None]
    if outside or not figures.deal_level.total.is_zero:
        rest = _line_figures(None, figures, outside, *_period_dates(period), as_of, [])
        result.append(_with_deal_level(rest, figures.deal_level))
    return result


def _line_periods(lines: list[ProgrammeLine], period: ReportingPeriod | None) -> dict[int, ProgrammeLinePeriod]:
    if period is None:
        return {}
    own = ProgrammeLinePeriod.objects.filter(programme_line__in=lines, period=period)
    return {line_period.programme_line_id: line_period for line_period in own}


def _period_dates(period: ReportingPeriod | None) -> tuple[date | None, date | None]:
    return (period.start, period.end) if period else (None, None)


def _order(funder: Funder) -> tuple:
    return (funder.order, funder.name)


def _line_figures(line, figures, projects: list[Project], start, end, as_of, funders) -> ProgrammeLineFigures:
    ids = {p.pk for p in projects}
    per_project = [row for row in figures.per_project if row.pk in ids]
    action_lines = {}
    for project in projects:
        action_lines.setdefault(project.programme.action_line.pk, project.programme.action_line)
    groups = []
    for action_line in sorted(action_lines.values(), key=lambda a: a.code):
        rows = [row for row in per_project if figures.projects[row.pk].programme.action_line.pk == action_line.pk]
        groups.append((_sum_rows(action_line.code, action_line.name, rows, pk=action_line.pk), rows))
    total = _sum_rows("", "Totaal", per_project)
    if line is not None:
        total.url = booking_list_url(figures.deal, programmalijn=line.code, tot=as_of.isoformat())
    return ProgrammeLineFigures(line, start, end, as_of, funders, groups, per_project, total)


def _sum_rows(code: str, name: str, rows: list[Row], pk: int | None = None) -> Row:
    by_category = _by_category_zero()
    for row in rows:
        for category in CATEGORIES:
            by_category[category] = by_category[category] + row.by_category[category]
    return _row(code, name, by_category, None, pk)


def _with_deal_level(rest: ProgrammeLineFigures, deal_level: Row) -> ProgrammeLineFigures:
    """The money outside every line includes the deal-level bookings, as its own row."""
    if deal_level.total.is_zero:
        return rest
    rest.per_project = [*rest.per_project, deal_level]
    rest.groups = [*rest.groups, (deal_level, [])]
    rest.total = _sum_rows("", "Totaal", rest.per_project)
    return rest
