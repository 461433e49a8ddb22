"""Reads of indicators and metingen: latest value, progress, trend, programme totals, charts.

Every page asks for a whole set of indicators at once; the metingen of that set come in one
query and are worked out here, so a page costs the same few queries however many indicators
it shows. Which metingen count depends on the reader (monitoring/permissions.py): the
stuurgroep sees approved metingen only, so its totals and charts are built from those only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from monitoring.models import Indicator, Measurement
from monitoring.permissions import can_enter_measurement, readable_indicators, readable_measurements
from projects.models import Deal, Programme, Project
from regiodeal.charts import ChartData, Series

HUNDRED = Decimal(100)


# ------------------------------------------------------------------ pure calculations


def progress_towards_target(
    *, baseline: Decimal | None, target: Decimal | None, achieved: Decimal | None
) -> Decimal | None:
    """(achieved - baseline) / (target - baseline): 0 at the nulmeting, 1 at the streefwaarde.

    Works for "higher is better" (target above baseline) and "lower is better" (target below
    baseline) alike: both differences change sign together. Below 0 means it moved away from
    the target, above 1 that the target was passed. None when it is undefined: a value is
    missing or the target equals the baseline.
    """
    if baseline is None or target is None or achieved is None or target == baseline:
        return None
    return (achieved - baseline) / (target - baseline)


@dataclass(frozen=True)
class Trend:
    arrow: str  # ↑ ↓ →
    label: str  # "stijgend", "dalend", "gelijk"
    good: bool | None  # in the wanted direction? None when unchanged

    @property
    def badge(self) -> str:
        return {True: "ok", False: "bad"}.get(self.good, "")


def trend_of(values: list[Decimal], direction: str) -> Trend | None:
    """Direction of the last change between two metingen, judged by the indicator's richting."""
    if len(values) < 2:
        return None
    previous, last = values[-2], values[-1]
    if last == previous:
        return Trend("→", "gelijk", None)
    rising = last > previous
    good = None if direction == Indicator.Direction.NEUTRAL else rising == (direction == Indicator.Direction.HIGHER)
    return Trend("↑" if rising else "↓", "stijgend" if rising else "dalend", good)


@dataclass
class RollUp:
    """A programme indicator's total over its summable project indicators."""

    total: Decimal | None
    as_of: date | None
    contributions: list[tuple[Indicator, Decimal | None]] = field(default_factory=list)
    series: list[tuple[date, Decimal]] = field(default_factory=list)


def _value_as_of(measurements: list[Measurement], as_of: date, *, cumulative: bool) -> Decimal | None:
    """A cumulative indicator's stand on a date (its latest meting), or a per-period one's sum so far."""
    values = [m.value for m in measurements if m.date <= as_of and m.value is not None]
    if not values:
        return None
    return values[-1] if cumulative else sum(values, Decimal(0))


def roll_up(
    *, parts: list[Indicator], measurements: dict[int, list[Measurement]], cumulative: bool, as_of: date | None = None
) -> RollUp:
    """Sum of the projects' values: for cumulative indicators each project's latest stand as of
    the date (a stand must not be added to an earlier stand of the same project); for per-period
    indicators every period's value up to the date (periods add up)."""
    dates = sorted({m.date for part in parts for m in measurements.get(part.pk, []) if m.value is not None})
    if as_of is not None:
        dates = [d for d in dates if d <= as_of]
    if not dates:
        return RollUp(total=None, as_of=None, contributions=[(p, None) for p in parts])
    series = []
    for day in dates:
        values = [_value_as_of(measurements.get(p.pk, []), day, cumulative=cumulative) for p in parts]
        series.append((day, sum((v for v in values if v is not None), Decimal(0))))
    last = dates[-1]
    contributions = [(p, _value_as_of(measurements.get(p.pk, []), last, cumulative=cumulative)) for p in parts]
    return RollUp(total=series[-1][1], as_of=last, contributions=contributions, series=series)


# ------------------------------------------------------------------ per indicator


@dataclass
class IndicatorStatus:
    indicator: Indicator
    measurements: list[Measurement]
    latest: Measurement | None
    achieved: Decimal | None  # latest stand (cumulative) or the sum of all periods (per period)
    progress: Decimal | None
    trend: Trend | None
    rollup: RollUp | None = None
    chart: ChartData | None = None
    can_enter: bool = False

    @property
    def progress_pct(self) -> Decimal | None:
        return None if self.progress is None else self.progress * HUNDRED

    @property
    def latest_is_concept(self) -> bool:
        return self.latest is not None and self.latest.status == Measurement.Status.DRAFT

    @property
    def chart_id(self) -> str:
        return f"grafiek-indicator-{self.indicator.pk}"


def _labels(days: list[date]) -> list[str]:
    if len({d.year for d in days}) == len(days):
        return [str(d.year) for d in days]
    return [f"{d:%d-%m-%Y}" for d in days]


def _chart(status: IndicatorStatus) -> ChartData | None:
    indicator = status.indicator
    if not indicator.is_quantitative:
        return None
    points = [(m.date, m.value) for m in status.measurements if m.value is not None]
    rollup_points = status.rollup.series if status.rollup else []
    baseline = []
    if indicator.baseline_value is not None and indicator.baseline_date is not None:
        baseline = [(indicator.baseline_date, indicator.baseline_value)]
    days = sorted({d for d, _ in points + rollup_points + baseline})
    if not days:
        return None
    labels = _labels(days)
    if baseline:
        labels[days.index(baseline[0][0])] += " (nulmeting)"
    series = []
    own = dict(points)
    if baseline and baseline[0][0] not in own:
        own[baseline[0][0]] = baseline[0][1]
    unit = indicator.unit if indicator.unit not in ("EUR",) else "€"
    if indicator.cumulative and (points or (baseline and not rollup_points)):
        series.append(Series("Gemeten", [own.get(d) for d in days]))
    elif not indicator.cumulative and points:
        per_period = dict(points)
        series.append(Series("Per periode", [per_period.get(d) for d in days], kind="bar"))
        running, totals = Decimal(0), []
        for d in days:
            running += per_period.get(d) or Decimal(0)
            totals.append(running)
        series.append(Series("Totaal tot dan", totals))
    if rollup_points:
        totals = dict(rollup_points)
        if baseline and not points:
            totals.setdefault(*baseline[0])
        series.append(Series("Som van de projecten", [totals.get(d) for d in days]))
    return ChartData(
        title=indicator.name,
        x_labels=labels,
        series=series,
        unit=unit,
        target=indicator.target,
        target_label="Streefwaarde" + (f" {indicator.target_date:%Y}" if indicator.target_date else ""),
    )


def _status(
    indicator: Indicator, measurements: dict[int, list[Measurement]], user: User, *, as_of: date | None = None
) -> IndicatorStatus:
    own = [m for m in measurements.get(indicator.pk, []) if as_of is None or m.date <= as_of]
    latest = own[-1] if own else None
    values = [m.value for m in own if m.value is not None]
    if indicator.cumulative:
        achieved = values[-1] if values else None
    else:
        achieved = sum(values, Decimal(0)) if values else None
    parts = list(indicator.parts.all())
    rollup = None
    if parts:
        rollup = roll_up(parts=parts, measurements=measurements, cumulative=indicator.cumulative, as_of=as_of)
        if achieved is None:
            achieved = rollup.total
    status = IndicatorStatus(
        indicator=indicator,
        measurements=own,
        latest=latest,
        achieved=achieved,
        progress=progress_towards_target(
            baseline=indicator.baseline_value,
            target=indicator.target,
            achieved=achieved,
        ),
        trend=trend_of(_with_baseline(indicator, own, values), indicator.direction),
        rollup=rollup,
        can_enter=can_enter_measurement(user, indicator),
    )
    status.chart = _chart(status)
    return status


def _with_baseline(indicator: Indicator, own: list[Measurement], values: list[Decimal]) -> list[Decimal]:
    """A cumulative indicator's trend starts at its nulmeting when that lies before the first meting."""
    if (
        indicator.cumulative
        and indicator.baseline_value is not None
        and indicator.baseline_date is not None
        and own
        and indicator.baseline_date < own[0].date
    ):
        return [indicator.baseline_value, *values]
    return values


def indicator_statuses(
    *, user: User, indicators: QuerySet[Indicator], as_of: date | None = None
) -> list[IndicatorStatus]:
    """Status of each indicator in the set, in three queries (indicators, parts, metingen)."""
    indicators = list(
        indicators.select_related("project", "programme", "action_line").prefetch_related("parts__project")
    )
    ids = {i.pk for i in indicators} | {p.pk for i in indicators for p in i.parts.all()}
    by_indicator: dict[int, list[Measurement]] = defaultdict(list)
    for m in (
        readable_measurements(user)
        .filter(indicator_id__in=ids)
        .select_related("entered_by", "approved_by")
        .order_by("indicator_id", "date")
    ):
        by_indicator[m.indicator_id].append(m)
    return [_status(i, by_indicator, user, as_of=as_of) for i in indicators]


# ------------------------------------------------------------------ pages


@dataclass
class ProjectBlock:
    project: Project
    statuses: list[IndicatorStatus]


@dataclass
class ProgrammeMonitoring:
    programme: Programme
    statuses: list[IndicatorStatus]  # the programme's own indicators (with project totals)
    projects: list[ProjectBlock]


def programme_indicators(*, user: User, programme: Programme) -> ProgrammeMonitoring:
    visible = readable_indicators(user)
    own = indicator_statuses(user=user, indicators=visible.filter(programme=programme, level=Indicator.Level.PROGRAMME))
    project_statuses = indicator_statuses(
        user=user,
        indicators=visible.filter(level=Indicator.Level.PROJECT, project__programme=programme).order_by(
            "project__code", "order", "code"
        ),
    )
    blocks: dict[int, ProjectBlock] = {}
    for status in project_statuses:
        project = status.indicator.project
        blocks.setdefault(project.pk, ProjectBlock(project, [])).statuses.append(status)
    return ProgrammeMonitoring(programme=programme, statuses=own, projects=list(blocks.values()))


@dataclass
class Section:
    title: str
    statuses: list[IndicatorStatus]
    programme: Programme | None = None


def deal_indicators(*, user: User, deal: Deal) -> list[Section]:
    """The deal page: deal goals, brede welvaart (context), then per actielijn and programme."""
    statuses = indicator_statuses(
        user=user,
        indicators=readable_indicators(user)
        .filter(deal=deal)
        .exclude(level=Indicator.Level.PROJECT)
        .order_by("order", "code"),
    )
    deal_goals = [s for s in statuses if s.indicator.level == Indicator.Level.DEAL and s.indicator.kind != "context"]
    context = [s for s in statuses if s.indicator.level == Indicator.Level.DEAL and s.indicator.kind == "context"]
    sections = []
    if deal_goals:
        sections.append(Section("Deal", deal_goals))
    if context:
        sections.append(Section("Brede welvaart en context", context))
    action_lines: dict[int, list[IndicatorStatus]] = defaultdict(list)
    programmes: dict[int, list[IndicatorStatus]] = defaultdict(list)
    for s in statuses:
        if s.indicator.level == Indicator.Level.ACTION_LINE:
            action_lines[s.indicator.action_line_id].append(s)
        elif s.indicator.level == Indicator.Level.PROGRAMME:
            programmes[s.indicator.programme_id].append(s)
    for programme in Programme.objects.filter(deal=deal).select_related("action_line").order_by("code"):
        line = programme.action_line
        if line.pk in action_lines:
            sections.append(Section(f"Actielijn {line.name}", action_lines.pop(line.pk)))
        sections.append(Section(f"Programma {programme}", programmes.get(programme.pk, []), programme))
    return sections


def project_indicators(*, project: Project, user: User) -> list[IndicatorStatus]:
    """The project page's indicators with their metingen (for templates/monitoring/partials/project_indicators.html)."""
    return indicator_statuses(
        user=user,
        indicators=readable_indicators(user).filter(level=Indicator.Level.PROJECT, project=project),
    )


def pending_measurements(*, deal: Deal) -> QuerySet[Measurement]:
    """Concept metingen waiting for the coordinator's approval."""
    return (
        Measurement.objects.filter(indicator__deal=deal, status=Measurement.Status.DRAFT)
        .select_related("indicator__project", "indicator__programme", "entered_by")
        .order_by("indicator__code", "date")
    )


def measurements_for_export(*, user: User, deal: Deal) -> QuerySet[Measurement]:
    return (
        readable_measurements(user)
        .filter(Q(indicator__in=readable_indicators(user)), indicator__deal=deal)
        .select_related("indicator", "entered_by", "approved_by")
        .order_by("indicator__code", "date")
    )
