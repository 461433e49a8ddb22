"""The voortgangsrapportage assembled from the other apps' selectors.

Nothing here computes money: every amount and percentage comes from
finance.selectors.deal_figures (and its Figures.pct_* properties). This module only
arranges those figures into the report's tables and charts, and gathers texts, governance,
indicators and the project fact sheets.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format

from finance.findings import deal_findings
from finance.models_pending import PendingAmount
from finance.selectors import (
    CATEGORY_LABELS,
    MEASURES,
    DealFigures,
    Figures,
    FunderRow,
    Row,
    deal_figures,
)
from finance.selectors_cofinancing import ProjectCoFinancing, deal_cofinancing_as_of
from finance.selectors_lines import ProgrammeLineFigures, programme_line_figures
from finance.selectors_pending import open_pending_amounts
from finance.selectors_vouchers import VoucherSummary, deal_voucher_summaries
from finance.selectors_years import YearTable, deal_years
from monitoring.models import Indicator, Measurement
from monitoring.selectors import progress_towards_target, trend_of
from projects.models import ActionLine, Deal, GovernanceMember, ProgressReport, Project, ReportingPeriod
from regiodeal.charts import ChartData, Series, format_nl

CATEGORY_COLUMNS = (
    ("rijk", "Rijk"),
    ("publiek", "Publieke cofinanciering"),
    ("overig", "Overige financiering"),
)
CATEGORY_COLOURS = {"rijk": "#0b5a6b", "publiek": "#b3541e", "overig": "#5b8c2a"}
MEASURE_LABELS = {"begroot": "begrote", "uitgekeerd": "uitgekeerde", "besteed": "bestede"}


@dataclass
class Percentage:
    """A percentage that says what it is of: 'uitgekeerd % van begroot'."""

    label: str
    value: Decimal | None  # None: the base is zero, shown as "–"


@dataclass
class TableRow:
    code: str
    name: str
    amounts: list[Decimal]  # one per category, then the row total
    percentages: list[Percentage]
    url: str | None = None
    kind: str = "row"  # "row", "deal" (money outside programmes) or "total"
    change: Decimal | None = None  # row total of this measure since the previous published version
    amount_urls: list[str | None] = field(default_factory=list)  # the bookings behind each amount

    @property
    def cells(self) -> list[tuple[Decimal, str | None]]:
        return list(zip(self.amounts, self.amount_urls or [self.url] * len(self.amounts), strict=True))


@dataclass
class MeasureTable:
    """Tabel 2-7: one measure (begroot, uitgekeerd or besteed) per actielijn or programme x category."""

    number: int
    key: str  # stable id, also the xlsx sheet name and the "sinds vorige rapportage" key
    title: str
    level: str  # "actielijn" or "programma"
    measure: str
    percentage_labels: list[str]
    rows: list[TableRow]
    chart: ChartData

    @property
    def columns(self) -> list[str]:
        return [label for _, label in CATEGORY_COLUMNS] + ["Totaal"]


@dataclass
class FunderTableRow:
    name: str
    category: str
    figures: Figures
    kind: str = "row"
    url: str | None = None
    changes: list[Decimal | None] = field(default_factory=list)  # uitgekeerd, besteed since the previous version
    funder_id: int | None = None  # None for the total row
    pending: bool = False  # the funder also has a contribution "nog te bepalen", not in these amounts

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, "")


def _mark_pending(rows: list[FunderTableRow], pending: list[PendingAmount]) -> None:
    """Tabel 1 says which funders also have a contribution whose amount is not known yet."""
    funder_ids = {p.funder_id for p in pending}
    for row in rows:
        row.pending = row.funder_id in funder_ids


@dataclass
class CategorySummary:
    label: str
    figures: Figures


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class FactSheet:
    """One project's page in the bijlage: its approved verslag for the period and its own figures."""

    project: Project
    report: ProgressReport | None
    row: Row
    funders: list[FunderRow]
    vouchers: VoucherSummary | None = None  # only for a voucher scheme
    # Co-financing paid to the project directly (not through the kassier) as of the ijkdatum;
    # None when the project has none. It is not in row/funders: those are the kassier's ledger.
    cofinancing: ProjectCoFinancing | None = None
    pending: list[PendingAmount] = field(default_factory=list)  # contributions not known yet (n.t.b.)

    @property
    def goals(self) -> list[str]:
        return self.project.goal_lines()

    @property
    def results(self) -> list[str]:
        return _lines(self.report.results) if self.report else []

    @property
    def governance(self) -> list[str]:
        return _lines(self.report.governance) if self.report else []

    @property
    def lessons(self) -> list[str]:
        return _lines(self.report.lessons) if self.report else []


@dataclass
class IndicatorView:
    """An indicator as the report shows it: only approved metingen up to the ijkdatum."""

    indicator: Indicator
    measurements: list[Measurement]

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def unit(self) -> str:
        return self.indicator.unit

    @property
    def source(self) -> str:
        return self.indicator.source

    def _show(self, value: Decimal | None, text: str = "", when=None) -> str:
        if value is None:
            return text or "–"
        shown = format_nl(value, min(2, max(0, -value.normalize().as_tuple().exponent)))
        return f"{shown} ({when:%m-%Y})" if when else shown

    @property
    def baseline(self) -> str:
        i = self.indicator
        return self._show(i.baseline_value, when=i.baseline_date)

    @property
    def latest(self) -> str:
        if not self.measurements:
            return "nog geen meting"
        m = self.measurements[-1]
        return self._show(m.value, m.text, m.date)

    @property
    def target(self) -> str:
        i = self.indicator
        shown = self._show(i.target, i.target_text, i.target_date)
        return f"{i.relative_target_label} ({shown})" if i.relative_target_label else shown

    @property
    def progress(self) -> Decimal | None:
        latest = self.measurements[-1].value if self.measurements else None
        i = self.indicator
        return progress_towards_target(baseline=i.baseline_value, target=i.target, achieved=latest)

    @property
    def trend(self):
        return trend_of([m.value for m in self.measurements if m.value is not None], self.indicator.direction)

    @property
    def chart_id(self) -> str:
        return f"indicator-{self.indicator.pk}-chart"

    @property
    def chart(self) -> ChartData | None:
        i = self.indicator
        points = [(m.date, m.value) for m in self.measurements if m.value is not None]
        if i.baseline_value is not None and i.baseline_date is not None and i.baseline_date not in dict(points):
            points.insert(0, (i.baseline_date, i.baseline_value))
        if not i.is_quantitative or len(points) < 2:
            return None
        points.sort()
        title = i.name if len(i.name) <= 70 else i.name[:69] + "…"  # the table next to it has the full name
        return ChartData(
            title=title,
            x_labels=[f"{d:%m-%Y}" for d, _ in points],
            series=[Series("Gemeten", [v for _, v in points])],
            unit="€" if i.unit == "EUR" else i.unit,
            target=i.target,
        )


def _indicator_views(deal: Deal, as_of: date) -> list[IndicatorView]:
    """Indicators above project level with their approved metingen up to as_of, in two queries."""
    indicators = list(
        Indicator.objects.filter(deal=deal).exclude(level=Indicator.Level.PROJECT).order_by("order", "code")
    )
    by_indicator: dict[int, list[Measurement]] = {}
    for m in Measurement.objects.filter(
        indicator__in=indicators, status=Measurement.Status.APPROVED, date__lte=as_of
    ).order_by("date"):
        by_indicator.setdefault(m.indicator_id, []).append(m)
    return [IndicatorView(i, by_indicator.get(i.pk, [])) for i in indicators]


@dataclass
class ProgrammeSection:
    programme: object
    indicators: list = field(default_factory=list)
    results: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class GoalSection:
    action_line: ActionLine
    programmes: list[ProgrammeSection]
    indicators: list = field(default_factory=list)


@dataclass
class ReportData:
    deal: Deal
    as_of: date
    period_label: str
    figures: DealFigures
    findings: list
    funder_rows: list[FunderTableRow]
    funder_chart: ChartData
    tables: list[MeasureTable]
    governance: list[tuple[str, list[GovernanceMember]]]
    period: ReportingPeriod | None = None
    texts: object | None = None
    goal_sections: list[GoalSection] = field(default_factory=list)
    deal_indicators: list = field(default_factory=list)
    fact_sheets: list[FactSheet] = field(default_factory=list)
    years: YearTable | None = None  # begroot, prognose and besteed per calendar year
    pending: list[PendingAmount] = field(default_factory=list)  # "nog te bepalen": left out of every total
    programme_lines: list[ProgrammeLineFigures] = field(default_factory=list)  # each as of its own peildatum
    version_label: str = ""
    has_previous: bool = False

    @property
    def category_summary(self) -> list[CategorySummary]:
        return [CategorySummary(label, self.figures.per_category[key]) for key, label in CATEGORY_COLUMNS]

    @property
    def finding_rows(self) -> list[dict]:
        return [{"soort": f.soort_label, "omschrijving": f.omschrijving, "url": f.url} for f in self.findings]

    @property
    def project_lessons(self) -> list[tuple[str, str, str]]:
        return [(s.project.code, s.project.name, lesson) for s in self.fact_sheets for lesson in s.lessons]

    @property
    def action_line_tables(self) -> list[MeasureTable]:
        return [t for t in self.tables if t.level == "actielijn"]

    @property
    def programme_tables(self) -> list[MeasureTable]:
        return [t for t in self.tables if t.level == "programma"]


def _percentages(figures: Figures, measure: str) -> list[Percentage]:
    if measure == "uitgekeerd":
        return [Percentage("% van begroot", figures.pct_uitgekeerd_van_begroot)]
    if measure == "besteed":
        return [
            Percentage("% van uitgekeerd", figures.pct_besteed_van_uitgekeerd),
            Percentage("% van begroot", figures.pct_besteed_van_begroot),
        ]
    return []


PERCENTAGE_LABELS = {"begroot": [], "uitgekeerd": ["% van begroot"], "besteed": ["% van uitgekeerd", "% van begroot"]}


def _table_row(row: Row, measure: str, kind: str = "row") -> TableRow:
    amounts = [getattr(row.by_category[key], measure) for key, _ in CATEGORY_COLUMNS]
    amounts.append(getattr(row.total, measure))
    return TableRow(
        code=row.code,
        name=row.name,
        amounts=amounts,
        percentages=_percentages(row.total, measure),
        url=row.url,
        kind=kind,
        amount_urls=_amount_urls(row.url, measure),
    )


MEASURE_KINDS = {measure: kind for kind, measure in MEASURES.items()}


def _amount_urls(row_url: str | None, measure: str) -> list[str | None]:
    """Each amount links to exactly the bookings it sums: the row's, of that kind and (per column) category."""
    if not row_url:
        return []
    of_kind = f"{row_url}{'&' if '?' in row_url else '?'}soort={MEASURE_KINDS[measure]}"
    return [f"{of_kind}&categorie={key}" for key, _ in CATEGORY_COLUMNS] + [of_kind]


def _measure_chart(title: str, rows: list[Row], measure: str) -> ChartData:
    """A stacked bar per actielijn or programme, one colour per funder category."""
    # Programmes by their code (the table next to the chart names them); actielijnen by name.
    labels = [r.code if r.code and r.code.isdigit() and len(r.code) > 2 else r.name for r in rows]
    return ChartData(
        title=title,
        x_labels=labels,
        series=[
            Series(
                name=label,
                values=[getattr(r.by_category[key], measure) for r in rows],
                kind="bar",
                colour=CATEGORY_COLOURS[key],
            )
            for key, label in CATEGORY_COLUMNS
        ],
        unit="€",
        stacked=True,
        decimals=0,
    )


def _measure_tables(figures: DealFigures) -> list[MeasureTable]:
    tables = []
    number = 2
    for level, rows, level_title in (
        ("actielijn", figures.per_action_line, "per actielijn"),
        ("programma", figures.per_programme, "per programma"),
    ):
        for measure in ("begroot", "uitgekeerd", "besteed"):
            title = f"Tabel {number}: overzicht {MEASURE_LABELS[measure]} bedragen {level_title}"
            table_rows = [_table_row(r, measure) for r in rows]
            if not figures.deal_level.total.is_zero:
                # Money booked outside any programme is its own row, so the total is their sum.
                table_rows.append(_table_row(figures.deal_level, measure, "deal"))
            table_rows.append(_table_row(figures.total, measure, "total"))
            chart_rows = [*rows, figures.deal_level] if not figures.deal_level.total.is_zero else rows
            tables.append(
                MeasureTable(
                    number=number,
                    key=f"tabel{number}",
                    title=title,
                    level=level,
                    measure=measure,
                    percentage_labels=PERCENTAGE_LABELS[measure],
                    rows=table_rows,
                    chart=_measure_chart(f"{measure.capitalize()} {level_title} (ijkdatum)", chart_rows, measure),
                )
            )
            number += 1
    return tables


def _funder_chart(figures: DealFigures) -> ChartData:
    rows = [fr for fr in figures.per_funder if not fr.figures.is_zero]
    return ChartData(
        title="Begroot, uitgekeerd en besteed per financier",
        x_labels=[fr.funder.name for fr in rows],
        series=[
            Series(name=label, values=[getattr(fr.figures, measure) for fr in rows], kind="bar")
            for measure, label in (("begroot", "Begroot"), ("uitgekeerd", "Uitgekeerd"), ("besteed", "Besteed"))
        ],
        unit="€",
        decimals=0,
    )


def _governance(deal: Deal) -> list[tuple[str, list[GovernanceMember]]]:
    members = list(GovernanceMember.objects.filter(deal=deal).order_by("body", "order", "name"))
    grouped = []
    for body, label in GovernanceMember.Body.choices:
        in_body = [m for m in members if m.body == body]
        if in_body:
            grouped.append((label, in_body))
    return grouped


def period_for(*, deal: Deal, as_of: date) -> ReportingPeriod | None:
    """The reporting period a report at this ijkdatum belongs to: the one with this ijkdatum,
    else the one the date falls in, else the last one that ended before it."""
    periods = list(ReportingPeriod.objects.filter(deal=deal).order_by("start"))
    for period in periods:
        if period.reference_date == as_of:
            return period
    for period in periods:
        if period.start <= as_of < period.end:
            return period
    ended = [p for p in periods if p.end <= as_of]
    return ended[-1] if ended else None


def approved_reports(*, deal: Deal, period: ReportingPeriod | None) -> dict[int, ProgressReport]:
    """The newest approved verslag per project for the period, in one query."""
    if period is None:
        return {}
    reports = ProgressReport.objects.filter(
        period=period, project__deal=deal, state=ProgressReport.State.APPROVED
    ).order_by("project_id", "-revision")
    result: dict[int, ProgressReport] = {}
    for report in reports:
        result.setdefault(report.project_id, report)
    return result


def _fact_sheets(
    figures: DealFigures,
    reports: dict[int, ProgressReport],
    vouchers: dict[int, VoucherSummary],
    cofinancing: dict[int, ProjectCoFinancing],
) -> list[FactSheet]:
    sheets = []
    for row in figures.per_project:
        project = figures.projects[row.pk]
        sheets.append(
            FactSheet(
                project=project,
                report=reports.get(project.pk),
                row=row,
                funders=figures.project_funder_figures(project.pk),
                vouchers=(vouchers.get(project.pk) or VoucherSummary()) if project.is_voucher_scheme else None,
                cofinancing=cofinancing.get(project.pk),
            )
        )
    return sheets


def _goal_sections(figures: DealFigures, sheets: list[FactSheet], indicators: list[IndicatorView]) -> list[GoalSection]:
    programmes = {}
    for project in figures.projects.values():
        programmes.setdefault(project.programme.pk, project.programme)
    action_lines = {}
    for programme in programmes.values():
        action_lines.setdefault(programme.action_line.pk, programme.action_line)
    results_of: dict[int, list[tuple[str, str, str]]] = {}
    for sheet in sheets:
        for result in sheet.results:
            results_of.setdefault(sheet.project.programme_id, []).append(
                (sheet.project.code, sheet.project.name, result)
            )
    sections = []
    for line in sorted(action_lines.values(), key=lambda a: a.code):
        progs = sorted((p for p in programmes.values() if p.action_line_id == line.pk), key=lambda p: p.code)
        sections.append(
            GoalSection(
                action_line=line,
                programmes=[
                    ProgrammeSection(
                        programme=p,
                        results=results_of.get(p.pk, []),
                        indicators=[v for v in indicators if v.indicator.programme_id == p.pk],
                    )
                    for p in progs
                ],
                indicators=[
                    v
                    for v in indicators
                    if v.indicator.level == Indicator.Level.ACTION_LINE and v.indicator.action_line_id == line.pk
                ],
            )
        )
    return sections


def report_data(
    *, deal: Deal, as_of: date, period: ReportingPeriod | None = None, today: date | None = None
) -> ReportData:
    """Everything the report shows, for every format (HTML, PDF, xlsx, JSON), in a fixed number of queries."""
    from reports.models import ReportText

    if period is None:
        period = period_for(deal=deal, as_of=as_of)
    figures = deal_figures(deal=deal, as_of=as_of)
    funder_rows = [
        FunderTableRow(
            fr.funder.name, fr.funder.category, fr.figures, url=_funder_url(figures, fr), funder_id=fr.funder.pk
        )
        for fr in figures.per_funder
    ]
    funder_rows.append(FunderTableRow("Totaal", "", figures.total.total, "total", url=figures.total.url))
    texts = ReportText.objects.filter(deal=deal, period=period).first() if period else None
    vouchers = deal_voucher_summaries(deal=deal, as_of=as_of)
    cofinancing = deal_cofinancing_as_of(deal=deal, as_of=as_of)
    sheets = _fact_sheets(figures, approved_reports(deal=deal, period=period), vouchers, cofinancing)
    pending = open_pending_amounts(deal=deal, as_of=as_of)
    _mark_pending(funder_rows, pending)
    for sheet in sheets:
        sheet.pending = [p for p in pending if p.project_id == sheet.project.pk]
    indicators = _indicator_views(deal, as_of)
    return ReportData(
        deal=deal,
        as_of=as_of,
        period=period,
        period_label=f"periode {period.name}" if period else f"de periode tot en met {date_format(as_of, 'j F Y')}",
        figures=figures,
        findings=deal_findings(deal=deal, as_of=as_of, today=today or timezone.localdate(), figures=figures),
        funder_rows=funder_rows,
        funder_chart=_funder_chart(figures),
        tables=_measure_tables(figures),
        governance=_governance(deal),
        texts=texts,
        goal_sections=_goal_sections(figures, sheets, indicators),
        deal_indicators=[v for v in indicators if v.indicator.level == Indicator.Level.DEAL],
        fact_sheets=sheets,
        years=deal_years(deal=deal, as_of=as_of),
        pending=pending,
        programme_lines=programme_line_figures(deal=deal, as_of=as_of, period=period),
    )


def _funder_url(figures: DealFigures, fr: FunderRow) -> str | None:
    base = figures.total.url
    if not base:
        return None
    return f"{base}&financier={fr.funder.pk}" if "?" in base else f"{base}?financier={fr.funder.pk}"
