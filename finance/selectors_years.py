"""Money per calendar year: begroot, prognose and besteed per project x financier x year.

begroot of a year = the year plan's budget + what was rolled into that year − what was rolled
out of it (finance.models_years). prognose is the year plan's forecast; a year without one
counts its begroot as prognose, so that totals over years stay comparable (the page marks it).
besteed comes from the ledger (finance.selectors.signed_sum over besteding bookings).

The year plans spread the ledger's begroot of a project x financier over the years; where they
do not add up to it, the difference is part of the answer (``FunderYears.unplanned``), never
hidden. Five queries for a project, six for a deal, whatever the number of projects or years.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from finance.models import Booking, Funder
from finance.models_years import Rollover, YearPlan
from finance.selectors import CENT, ZERO, grouped_bookings, signed_sum
from projects.models import Deal, Project

MONEY = DecimalField(max_digits=16, decimal_places=2)


def deal_year_range(deal: Deal) -> range:
    """The calendar years money of the deal can fall in: its start up to its financial closing."""
    last = max(deal.end.year, deal.financial_closing_date.year if deal.financial_closing_date else deal.end.year)
    return range(deal.start.year, last + 1)


@dataclass(frozen=True)
class YearFigures:
    """One cell (project x funder x year) or a sum of cells; Decimal with 2 decimals."""

    planned: Decimal = ZERO  # the year plans' budget alone
    rolled_in: Decimal = ZERO
    rolled_out: Decimal = ZERO
    prognose: Decimal = ZERO  # the forecast, or begroot where none was given
    besteed: Decimal = ZERO
    forecast_given: bool = True  # False when (part of) the prognose is the begroot for lack of a forecast

    @property
    def begroot(self) -> Decimal:
        return self.planned + self.rolled_in - self.rolled_out

    @property
    def begroot_min_besteed(self) -> Decimal:
        """Positive: left unspent (what a closed year could roll over); negative: overspent."""
        return self.begroot - self.besteed

    @property
    def prognose_min_begroot(self) -> Decimal:
        return self.prognose - self.begroot

    @property
    def is_zero(self) -> bool:
        return not (self.planned or self.rolled_in or self.rolled_out or self.prognose or self.besteed)

    def __add__(self, other: YearFigures) -> YearFigures:
        return YearFigures(
            planned=self.planned + other.planned,
            rolled_in=self.rolled_in + other.rolled_in,
            rolled_out=self.rolled_out + other.rolled_out,
            prognose=self.prognose + other.prognose,
            besteed=self.besteed + other.besteed,
            forecast_given=self.forecast_given and other.forecast_given,
        )


def _sum(items: Iterable[YearFigures]) -> YearFigures:
    total = YearFigures()
    for item in items:
        total = total + item
    return total


@dataclass
class FunderYears:
    """One funder's row of years (of a project, or summed over a deal's projects)."""

    funder: Funder
    years: dict[int, YearFigures]
    ledger_begroot: Decimal  # the sum of the begroting bookings (all dates)

    @property
    def total(self) -> YearFigures:
        return _sum(self.years.values())

    @property
    def unplanned(self) -> Decimal:
        """Ledger begroot not (yet) spread over the years; negative when the years hold more than the ledger."""
        return self.ledger_begroot - self.total.planned

    def cells(self) -> list[tuple[int, YearFigures]]:
        return sorted(self.years.items())

    def filled_cells(self) -> list[tuple[int, YearFigures]]:
        """Only the years with money in them: a project page lists no empty years per funder."""
        return [(year, figures) for year, figures in self.cells() if not figures.is_zero]


@dataclass
class ProjectCheck:
    """Per project of a deal: the ledger's begroot against the years it is spread over."""

    project: Project
    ledger_begroot: Decimal
    total: YearFigures

    @property
    def unplanned(self) -> Decimal:
        return self.ledger_begroot - self.total.planned


@dataclass
class YearTable:
    years: list[int]
    per_funder: list[FunderYears]
    per_year: dict[int, YearFigures]
    projects: list[ProjectCheck] = field(default_factory=list)  # deal page only
    rollovers: list[Rollover] = field(default_factory=list)  # project page only

    @property
    def total(self) -> YearFigures:
        return _sum(self.per_year.values())

    @property
    def ledger_begroot(self) -> Decimal:
        return sum((f.ledger_begroot for f in self.per_funder), ZERO)

    @property
    def unplanned(self) -> Decimal:
        return self.ledger_begroot - self.total.planned

    def year_rows(self) -> list[tuple[int, YearFigures]]:
        return [(year, self.per_year[year]) for year in self.years]

    @property
    def spending_years(self) -> list[tuple[int, Decimal]]:
        """(year, besteed) of the years something was spent in."""
        return [(year, figures.besteed) for year, figures in self.year_rows() if figures.besteed]

    @property
    def has_plans(self) -> bool:
        """Has any money of the scope been spread over the years (a plan or a rollover)?"""
        total = self.total
        return bool(total.planned or total.rolled_in or total.rolled_out)


Key = tuple[int, int, int]  # project id, funder id, year


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def _cells(deal: Deal, project_ids: list[int] | None, as_of: date = date.max) -> dict[Key, YearFigures]:
    """Every project x funder x year cell of the scope: plans, rollovers, besteed (three queries).

    As of a date: besteed booked on or before it, rollovers decided on or before it. A year plan
    has no date of its own: it is read as it stands now."""
    plans = YearPlan.objects.filter(project__deal=deal)
    rollovers = Rollover.objects.filter(project__deal=deal, decision__date__lte=as_of)
    # Besteed counts in the calendar year of its booking date, not of the period it covers: the
    # booking date is when it enters the ledger (every "as of" figure and the kassier's annual
    # accounts count it from then), a period may span two years, and a correction booked later
    # then lowers the later year instead of rewriting a year already reported.
    spent = Booking.objects.filter(deal=deal, kind=Booking.Kind.EXPENDITURE, project__isnull=False, date__lte=as_of)
    if project_ids is not None:
        plans, rollovers, spent = (qs.filter(project_id__in=project_ids) for qs in (plans, rollovers, spent))

    parts: dict[Key, dict] = {}

    def part(key: Key) -> dict:
        return parts.setdefault(key, {})

    for row in plans.order_by().values("project_id", "funder_id", "year", "budget", "forecast"):
        cell = part((row["project_id"], row["funder_id"], row["year"]))
        cell["planned"] = _money(row["budget"])
        cell["forecast"] = None if row["forecast"] is None else _money(row["forecast"])
    moved = (
        rollovers.order_by()
        .values("project_id", "funder_id", "from_year", "to_year")
        .annotate(amount=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY))
    )
    for row in moved:
        out = part((row["project_id"], row["funder_id"], row["from_year"]))
        out["rolled_out"] = out.get("rolled_out", ZERO) + _money(row["amount"])
        into = part((row["project_id"], row["funder_id"], row["to_year"]))
        into["rolled_in"] = into.get("rolled_in", ZERO) + _money(row["amount"])
    by_year = (
        spent.order_by()
        .annotate(year=ExtractYear("date"))
        .values("project_id", "funder_id", "year")
        .annotate(besteed=signed_sum(Booking.Kind.EXPENDITURE))
    )
    for row in by_year:
        part((row["project_id"], row["funder_id"], row["year"]))["besteed"] = _money(row["besteed"])
    return {key: _figures(values) for key, values in parts.items()}


def _ledger(deal: Deal, project_ids: list[int] | None, as_of: date = date.max) -> dict[tuple[int, int], Decimal]:
    """The begroot of every project x funder in the ledger (one query; all dates: the budget guard's view)."""
    return {
        (row["project_id"], row["funder_id"]): _money(row["begroot"])
        for row in grouped_bookings(deal=deal, as_of=as_of, project_ids=project_ids)
        if row["project_id"] is not None
    }


def _figures(values: dict) -> YearFigures:
    planned = values.get("planned", ZERO)
    rolled_in, rolled_out = values.get("rolled_in", ZERO), values.get("rolled_out", ZERO)
    forecast = values.get("forecast")
    begroot = planned + rolled_in - rolled_out
    return YearFigures(
        planned=planned,
        rolled_in=rolled_in,
        rolled_out=rolled_out,
        prognose=begroot if forecast is None else forecast,
        besteed=values.get("besteed", ZERO),
        # A year without budget has nothing to forecast; only a budget without forecast is marked.
        forecast_given=forecast is not None or not begroot,
    )


def _table(deal: Deal, cells: dict[Key, YearFigures], ledger: dict[tuple[int, int], Decimal]) -> YearTable:
    years = sorted(set(deal_year_range(deal)) | {year for _p, _f, year in cells})
    funder_ids = {f for _p, f, _y in cells} | {f for _p, f in ledger}
    rows: dict[int, dict[int, YearFigures]] = {f: {year: YearFigures() for year in years} for f in funder_ids}
    for (_project, funder_id, year), figures in cells.items():
        rows[funder_id][year] = rows[funder_id][year] + figures
    begroot = dict.fromkeys(funder_ids, ZERO)
    for (_project, funder_id), amount in ledger.items():
        begroot[funder_id] += amount
    funders = Funder.objects.filter(pk__in=funder_ids).order_by("order", "name")
    per_funder = [FunderYears(funder=f, years=rows[f.pk], ledger_begroot=begroot[f.pk]) for f in funders]
    per_year = {year: _sum(f.years[year] for f in per_funder) for year in years}
    return YearTable(years=years, per_funder=per_funder, per_year=per_year)


def project_years(*, project: Project) -> YearTable:
    """Per funder x year of one project, with its rollovers (five queries)."""
    deal = project.deal
    table = _table(deal, _cells(deal, [project.pk]), _ledger(deal, [project.pk]))
    table.rollovers = list(
        project.rollovers.select_related("funder", "decision", "created_by").order_by("from_year", "created_at", "pk")
    )
    return table


def deal_years(*, deal: Deal, project_ids: Iterable[int] | None = None, as_of: date = date.max) -> YearTable:
    """Per funder x year over the deal's projects (or only ``project_ids``), and per project the
    ledger's begroot against its year plans (five queries); the report asks it as of its ijkdatum.
    Money on the deal level belongs to no project and has no year plans, so it is not in this table."""
    if project_ids is not None:
        project_ids = list(project_ids)
    cells, ledger = _cells(deal, project_ids, as_of), _ledger(deal, project_ids, as_of)
    table = _table(deal, cells, ledger)
    projects = Project.objects.filter(deal=deal).order_by("code")
    if project_ids is not None:
        projects = projects.filter(pk__in=project_ids)
    per_project: dict[int, list[YearFigures]] = {}
    for (project_id, _funder, _year), figures in cells.items():
        per_project.setdefault(project_id, []).append(figures)
    begroot: dict[int, Decimal] = {}
    for (project_id, _funder), amount in ledger.items():
        begroot[project_id] = begroot.get(project_id, ZERO) + amount
    table.projects = [
        ProjectCheck(project=p, ledger_begroot=begroot.get(p.pk, ZERO), total=_sum(per_project.get(p.pk, [])))
        for p in projects
    ]
    return table


def year_left_unspent(*, project: Project, funder: Funder, year: int) -> YearFigures:
    """The figures of one project x funder x year (three small queries); rollover_create checks against them."""
    cells = _cells(project.deal, [project.pk])
    return cells.get((project.pk, funder.pk, year), YearFigures())
