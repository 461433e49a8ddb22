"""The stuurgroep's dashboard of one deal: key figures, hefboom, Rijk-match and a traffic light
per programme and project.

Nothing here computes money from bookings: every amount comes from finance.selectors
(deal_figures, public_cofinancing_outside_kassier, deal_findings) and the co-financing
outside the kassier from finance.selectors_cofinancing. This module only divides and compares
those amounts, so the dashboard and the report can never disagree.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from finance.findings import Finding, deal_findings
from finance.models import Funder
from finance.selectors import (
    CATEGORY_LABELS,
    ZERO,
    DealFigures,
    Figures,
    Row,
    _pct,  # the one rounding rule of every percentage in the portal
    deal_figures,
)
from finance.selectors_cofinancing import deal_cofinancing_as_of, public_cofinancing_outside_kassier
from projects.models import Deal, ProgressReport, Project

MEASURES = ("begroot", "uitgekeerd", "besteed")
RATIO = Decimal("0.01")

# Traffic lights, from good to bad; the order decides a programme's light (its worst project).
GREEN, ORANGE, RED = "groen", "oranje", "rood"
LIGHT_ORDER = (GREEN, ORANGE, RED)
LIGHT_LABELS = {GREEN: "Groen", ORANGE: "Oranje", RED: "Rood"}
# Statuses of the verslag that make a project red or orange by themselves.
RED_STATUSES = (ProgressReport.ProjectStatus.DELAYED, ProgressReport.ProjectStatus.STOPPED)
ORANGE_STATUSES = (ProgressReport.ProjectStatus.SMALL_DELAY,)
# From this many findings on a project it is red; one finding or more makes it orange.
RED_FINDINGS = 3

LEGEND = [
    (GREEN, "Volgens het laatste goedgekeurde verslag op schema of afgerond, en geen bevindingen."),
    (
        ORANGE,
        "Kleine vertraging, nog geen goedgekeurd verslag, of één of twee bevindingen over het project.",
    ),
    (RED, f"Vertraagd of gestopt volgens het laatste goedgekeurde verslag, of {RED_FINDINGS} of meer bevindingen."),
]


@dataclass(frozen=True)
class CategoryShare:
    """One funder category's figures and its share of the deal's total, per measure."""

    key: str
    label: str
    figures: Figures
    shares: dict[str, Decimal | None]  # measure -> % of the deal's total of that measure


@dataclass(frozen=True)
class Comparison:
    """Rijk against the region for one measure: the numbers behind hefboom and Rijk-match."""

    measure: str  # "begroot" or "besteed"
    rijk: Decimal
    publiek: Decimal  # regional public co-financing, including what is paid outside the kassier
    publiek_outside: Decimal  # of publiek: paid to projects directly, not through the kassier
    overig: Decimal  # private and other money through the kassier

    @property
    def regional(self) -> Decimal:
        return self.publiek + self.overig

    @property
    def hefboom(self) -> Decimal | None:
        """Regional euros per euro Rijk; None when the Rijk has nothing in this measure (shown as "–")."""
        if not self.rijk:
            return None
        return (self.regional / self.rijk).quantize(RATIO, rounding=ROUND_HALF_UP)

    @property
    def match_met(self) -> bool:
        return self.publiek >= self.rijk

    @property
    def match_difference(self) -> Decimal:
        """How much public money is above (positive) or below (negative) the Rijk's."""
        return self.publiek - self.rijk

    @property
    def match_pct(self) -> Decimal | None:
        return _pct(self.publiek, self.rijk)


@dataclass(frozen=True)
class Light:
    colour: str  # GREEN, ORANGE or RED
    reasons: list[str]

    @property
    def label(self) -> str:
        return LIGHT_LABELS[self.colour]


@dataclass(frozen=True)
class ProjectLight:
    project: Project
    row: Row  # the project's figures
    report: ProgressReport | None  # the latest approved verslag up to the ijkdatum
    findings: list[Finding]  # the findings about this project, each with a link to its cause
    light: Light


@dataclass(frozen=True)
class ProgrammeLight:
    row: Row
    projects: list[ProjectLight]
    light: Light | None  # None: no projects yet


@dataclass
class Dashboard:
    deal: Deal
    as_of: date
    figures: DealFigures
    categories: list[CategoryShare]
    begroot: Comparison
    besteed: Comparison
    programmes: list[ProgrammeLight]
    findings: list[Finding]
    light_counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> Figures:
        return self.figures.total.total

    @property
    def deal_level_findings(self) -> list[Finding]:
        """Findings about the deal as a whole (or a funder over the deal): in no project's light."""
        return [f for f in self.findings if f.project is None]

    @property
    def comparisons(self) -> list[Comparison]:
        return [self.begroot, self.besteed]


def _categories(figures: DealFigures) -> list[CategoryShare]:
    total = figures.total.total
    return [
        CategoryShare(
            key,
            CATEGORY_LABELS[key],
            per_category,
            {m: _pct(getattr(per_category, m), getattr(total, m)) for m in MEASURES},
        )
        for key, per_category in figures.per_category.items()
    ]


def _realised_public_outside(*, deal: Deal, as_of: date) -> Decimal:
    """Public co-financing outside the kassier realised by the ijkdatum: the 'besteed' of the Rijk-match."""
    per_project = deal_cofinancing_as_of(deal=deal, as_of=as_of).values()
    return sum(
        (f.totals.realised for p in per_project for f in p.per_funder if f.category == Funder.Category.PUBLIC),
        ZERO,
    )


def _comparison(figures: DealFigures, measure: str, outside: Decimal) -> Comparison:
    def amount(category: str) -> Decimal:
        return getattr(figures.per_category[category], measure)

    return Comparison(measure, amount("rijk"), amount("publiek") + outside, outside, amount("overig"))


def latest_approved_reports(*, deal: Deal, as_of: date) -> dict[int, ProgressReport]:
    """Per project its newest approved verslag of a period whose ijkdatum is on or before as_of (one query)."""
    reports = (
        ProgressReport.objects.filter(
            project__deal=deal, state=ProgressReport.State.APPROVED, period__reference_date__lte=as_of
        )
        .select_related("period")
        .order_by("project_id", "-period__reference_date", "-revision")
    )
    latest: dict[int, ProgressReport] = {}
    for report in reports:
        latest.setdefault(report.project_id, report)
    return latest


def project_light(report: ProgressReport | None, findings: int) -> Light:
    """The light of one project and why: its verslag's status and the findings about it."""
    colour, reasons = GREEN, []
    if report is None:
        colour = ORANGE
        reasons.append("Nog geen goedgekeurd verslag.")
    else:
        status = ProgressReport.ProjectStatus(report.status)
        if status in RED_STATUSES:
            colour = RED
        elif status in ORANGE_STATUSES:
            colour = ORANGE
        reasons.append(f"Verslag {report.period.name}: {status.label.lower()}.")
    if findings:
        by_findings = RED if findings >= RED_FINDINGS else ORANGE
        colour = _worst([colour, by_findings])
        reasons.append("1 bevinding." if findings == 1 else f"{findings} bevindingen.")
    return Light(colour, reasons)


def _worst(colours: list[str]) -> str:
    return max(colours, key=LIGHT_ORDER.index)


def _programme_light(projects: list[ProjectLight]) -> Light | None:
    if not projects:
        return None
    colours = [p.light.colour for p in projects]
    reasons = [
        f"{colours.count(c)} project{'en' if colours.count(c) > 1 else ''} {c}"
        for c in reversed(LIGHT_ORDER)
        if c in colours
    ]
    return Light(_worst(colours), [", ".join(reasons) + "."])


def _findings_per_project(findings: list[Finding]) -> dict[int, list[Finding]]:
    per_project: dict[int, list[Finding]] = {}
    for finding in findings:
        if finding.project is not None:
            per_project.setdefault(finding.project.pk, []).append(finding)
    return per_project


def _programmes(
    figures: DealFigures, reports: dict[int, ProgressReport], findings: list[Finding]
) -> list[ProgrammeLight]:
    per_project = _findings_per_project(findings)
    per_programme: dict[int, list[ProjectLight]] = {}
    for row in figures.per_project:
        report, own = reports.get(row.pk), per_project.get(row.pk, [])
        project = figures.projects[row.pk]
        light = ProjectLight(project, row, report, own, project_light(report, len(own)))
        per_programme.setdefault(project.programme_id, []).append(light)
    return [
        ProgrammeLight(row, per_programme.get(row.pk, []), _programme_light(per_programme.get(row.pk, [])))
        for row in figures.per_programme
    ]


def deal_dashboard(*, deal: Deal, as_of: date, today: date | None = None) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries whatever the size of the deal."""
    figures = deal_figures(deal=deal, as_of=as_of)
    findings = deal_findings(deal=deal, as_of=as_of, today=today or timezone.localdate(), figures=figures)
    programmes = _programmes(figures, latest_approved_reports(deal=deal, as_of=as_of), findings)
    colours = [p.light.colour for programme in programmes for p in programme.projects]
    return Dashboard(
        deal=deal,
        as_of=as_of,
        figures=figures,
        categories=_categories(figures),
        begroot=_comparison(figures, "begroot", public_cofinancing_outside_kassier(deal=deal, as_of=as_of)),
        besteed=_comparison(figures, "besteed", _realised_public_outside(deal=deal, as_of=as_of)),
        programmes=programmes,
        findings=findings,
        light_counts={c: colours.count(c) for c in LIGHT_ORDER},
    )
