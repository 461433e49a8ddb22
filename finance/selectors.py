"""Every money figure of the portal, computed from the bookings of one deal as of a date.

This is the ONE source: screens, exports and reports take their numbers from here. The
bookings are aggregated in the database in one GROUP BY (project x funder x kind); every
total is then the sum of the rows in Python, so a total can never disagree with its rows.
The query count is fixed (funders, action lines, programmes, projects, bookings) whatever
the size of the deal.

Rules:
- a figure as of D counts only bookings dated on or before D;
- a correction (``correction_of`` set) counts negatively;
- begroot = begroting, gecommitteerd = toekenning, uitgekeerd = uitkering (only approved
  tranches create those), besteed = besteding.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import quote, urlencode

from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse

from finance.models import Booking, Funder
from projects.models import ActionLine, Deal, Programme, Project

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")
CATEGORIES = ("rijk", "publiek", "overig")
CATEGORY_LABELS = dict(Funder.Category.choices)

# Booking kind -> Figures field.
MEASURES = {
    Booking.Kind.BUDGET: "begroot",
    Booking.Kind.COMMITMENT: "gecommitteerd",
    Booking.Kind.PAYOUT: "uitgekeerd",
    Booking.Kind.EXPENDITURE: "besteed",
}


def _pct(part: Decimal, base: Decimal) -> Decimal | None:
    """part as a percentage of base, or None when there is no base (shown as "–")."""
    if not base:
        return None
    return (part * HUNDRED / base).quantize(CENT)


@dataclass(frozen=True)
class Figures:
    """The four measures of one cell, row or total; all Decimal with 2 decimals."""

    begroot: Decimal = ZERO
    gecommitteerd: Decimal = ZERO
    uitgekeerd: Decimal = ZERO
    besteed: Decimal = ZERO

    @classmethod
    def zero(cls) -> Figures:
        return _ZERO_FIGURES  # immutable, so one shared instance will do

    @property
    def nog_uit_te_keren(self) -> Decimal:
        return self.begroot - self.uitgekeerd

    @property
    def pct_uitgekeerd_van_begroot(self) -> Decimal | None:
        return _pct(self.uitgekeerd, self.begroot)

    @property
    def pct_besteed_van_uitgekeerd(self) -> Decimal | None:
        return _pct(self.besteed, self.uitgekeerd)

    @property
    def pct_besteed_van_begroot(self) -> Decimal | None:
        return _pct(self.besteed, self.begroot)

    @property
    def is_zero(self) -> bool:
        return not (self.begroot or self.gecommitteerd or self.uitgekeerd or self.besteed)

    def __add__(self, other: Figures) -> Figures:
        if not isinstance(other, Figures):
            return NotImplemented
        # Most additions in a deal's roll-up start from zero; skipping them halves the selector's time.
        if other is _ZERO_FIGURES:
            return self
        if self is _ZERO_FIGURES:
            return other
        return Figures(
            begroot=self.begroot + other.begroot,
            gecommitteerd=self.gecommitteerd + other.gecommitteerd,
            uitgekeerd=self.uitgekeerd + other.uitgekeerd,
            besteed=self.besteed + other.besteed,
        )


_ZERO_FIGURES = Figures()


def sum_figures(items: Iterable[Figures]) -> Figures:
    total = Figures.zero()
    for item in items:
        total = total + item
    return total


def _by_category_zero() -> dict[str, Figures]:
    return dict.fromkeys(CATEGORIES, _ZERO_FIGURES)


@dataclass
class Row:
    """One table row: an actielijn, programme, project, the deal-level line or the total."""

    code: str
    name: str
    by_category: dict[str, Figures]
    total: Figures
    url: str | None = None  # the bookings behind the row
    pk: int | None = None  # the actielijn, programme or project id; None for deal level and total


@dataclass
class FunderRow:
    funder: Funder
    figures: Figures


@dataclass
class DealFigures:
    deal: Deal
    as_of: date
    per_funder: list[FunderRow]
    per_category: dict[str, Figures]
    per_action_line: list[Row]
    per_programme: list[Row]
    per_project: list[Row]
    deal_level: Row
    total: Row
    projects: dict[int, Project] = field(default_factory=dict)  # id -> project (programme and actielijn loaded)
    _cells: dict[tuple[int | None, int], Figures] = field(default_factory=dict, repr=False)

    def cell(self, project_id: int | None, funder_id: int) -> Figures:
        """Figures of one project x funder (project_id None: the deal level)."""
        return self._cells.get((project_id, funder_id), Figures.zero())

    def project_funder_figures(self, project_id: int | None) -> list[FunderRow]:
        """Every funder with any booking on this project (or the deal level), in Funder.order."""
        return [
            FunderRow(row.funder, self.cell(project_id, row.funder.pk))
            for row in self.per_funder
            if (project_id, row.funder.pk) in self._cells
        ]


@dataclass
class ProjectFigures:
    project: Project
    as_of: date
    per_funder: list[FunderRow]  # funders with any booking on the project up to as_of
    total: Figures


def signed_sum(kind: str) -> Coalesce:
    money = DecimalField(max_digits=16, decimal_places=2)
    return Coalesce(
        Sum(
            Case(
                When(Q(kind=kind) & Q(correction_of__isnull=True), then=F("amount")),
                When(Q(kind=kind) & Q(correction_of__isnull=False), then=-F("amount")),
                default=Value(ZERO),
                output_field=money,
            )
        ),
        Value(ZERO),
        output_field=money,
    )


def grouped_bookings(
    *,
    deal: Deal,
    as_of: date,
    project_ids: Iterable[int] | None = None,
    as_of_by_line: dict[int, date] | None = None,
):
    """One query: the signed sums per (project, funder) of every kind, dated on or before as_of.

    With ``as_of_by_line`` (programme line id -> date) a project of such a line counts up to its
    line's own peildatum instead; everything else up to as_of.
    """
    qs = Booking.objects.filter(deal_id=deal.pk).filter(_dated_on_or_before(as_of, as_of_by_line or {}))
    if project_ids is not None:
        qs = qs.filter(project_id__in=list(project_ids))
    return (
        qs.order_by()
        .values("project_id", "funder_id")
        .annotate(**{measure: signed_sum(kind) for kind, measure in MEASURES.items()})
    )


def _dated_on_or_before(as_of: date, as_of_by_line: dict[int, date]) -> Q:
    if not as_of_by_line:
        return Q(date__lte=as_of)
    outside_lines = Q(date__lte=as_of) & ~Q(project__programme_line_id__in=list(as_of_by_line))
    for line_id, line_as_of in as_of_by_line.items():
        outside_lines |= Q(project__programme_line_id=line_id, date__lte=line_as_of)
    return outside_lines


def _figures_from_row(row: dict) -> Figures:
    return Figures(**{measure: Decimal(row[measure]).quantize(CENT) for measure in MEASURES.values()})


class _Urls:
    """URLs of one deal's finance pages, reversed once: reverse() per row cost most of the selector's time."""

    def __init__(self, deal: Deal):
        self.bookings = reverse("finance:booking-list", args=[deal.code])
        self._project = reverse("finance:project-finance", args=[deal.code, "__code__"])

    def project(self, code: str) -> str:
        return self._project.replace("__code__", quote(code, safe=""))


def booking_list_url(deal: Deal, *, base: str | None = None, **params) -> str:
    base = base or reverse("finance:booking-list", args=[deal.code])
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{base}?{urlencode(params)}" if params else base


def _row(code: str, name: str, by_category: dict[str, Figures], url: str | None, pk: int | None = None) -> Row:
    return Row(code=code, name=name, by_category=by_category, total=sum_figures(by_category.values()), url=url, pk=pk)


def deal_figures(
    *,
    deal: Deal,
    as_of: date,
    project_ids: Iterable[int] | None = None,
    as_of_by_line: dict[int, date] | None = None,
) -> DealFigures:
    """Every figure of a deal as of a date, in five queries whatever the size of the deal.

    With ``project_ids`` only those projects count (e.g. a themalijnmanager's own); the
    deal-level line is then empty, so that the total is still the sum of the rows. With
    ``as_of_by_line`` the projects of those programme lines count up to their line's own date.
    """
    if project_ids is not None:
        project_ids = list(project_ids)
    urls = _Urls(deal)
    funders = list(Funder.objects.filter(deal=deal).order_by("order", "name"))
    action_lines = list(ActionLine.objects.filter(deal=deal).order_by("code"))
    programmes = list(Programme.objects.filter(deal=deal).order_by("code"))
    projects_qs = Project.objects.filter(deal=deal).order_by("code")
    if project_ids is not None:
        projects_qs = projects_qs.filter(pk__in=project_ids)
    projects = list(projects_qs)

    # Wire the loaded objects together so that project.programme.action_line costs no query.
    action_line_by_id = {a.pk: a for a in action_lines}
    programme_by_id = {p.pk: p for p in programmes}
    for programme in programmes:
        programme.action_line = action_line_by_id[programme.action_line_id]
    for project in projects:
        project.programme = programme_by_id[project.programme_id]
        project.deal = deal
    funder_by_id = {f.pk: f for f in funders}

    cells: dict[tuple[int | None, int], Figures] = {}
    for row in grouped_bookings(deal=deal, as_of=as_of, project_ids=project_ids, as_of_by_line=as_of_by_line):
        cells[(row["project_id"], row["funder_id"])] = _figures_from_row(row)

    project_cat: dict[int | None, dict[str, Figures]] = {p.pk: _by_category_zero() for p in projects}
    project_cat[None] = _by_category_zero()
    funder_totals: dict[int, Figures] = {f.pk: Figures.zero() for f in funders}
    for (project_id, funder_id), figures in cells.items():
        category = funder_by_id[funder_id].category
        per_cat = project_cat.setdefault(project_id, _by_category_zero())
        per_cat[category] = per_cat[category] + figures
        funder_totals[funder_id] = funder_totals[funder_id] + figures

    def add_categories(rows: Iterable[dict[str, Figures]]) -> dict[str, Figures]:
        result = _by_category_zero()
        for by_category in rows:
            for category in CATEGORIES:
                result[category] = result[category] + by_category[category]
        return result

    per_project = [
        _row(
            p.code,
            p.name,
            project_cat[p.pk],
            urls.project(p.code),
            p.pk,
        )
        for p in projects
    ]
    projects_of_programme: dict[int, list[Project]] = {}
    for project in projects:
        projects_of_programme.setdefault(project.programme_id, []).append(project)
    per_programme = [
        _row(
            prog.code,
            prog.name,
            add_categories(project_cat[p.pk] for p in projects_of_programme.get(prog.pk, [])),
            booking_list_url(deal, base=urls.bookings, programma=prog.code, tot=as_of.isoformat()),
            prog.pk,
        )
        for prog in programmes
    ]
    per_action_line = [
        _row(
            line.code,
            line.name,
            add_categories(
                r.by_category
                for r, prog in zip(per_programme, programmes, strict=True)
                if prog.action_line_id == line.pk
            ),
            booking_list_url(deal, base=urls.bookings, actielijn=line.code, tot=as_of.isoformat()),
            line.pk,
        )
        for line in action_lines
    ]
    deal_level = _row(
        "",
        "Buiten programma's",
        project_cat[None],
        booking_list_url(deal, base=urls.bookings, dealniveau="1", tot=as_of.isoformat()),
    )
    per_category = add_categories([*(r.by_category for r in per_programme), deal_level.by_category])
    total = _row("", "Totaal", per_category, booking_list_url(deal, base=urls.bookings, tot=as_of.isoformat()))
    return DealFigures(
        deal=deal,
        as_of=as_of,
        per_funder=[FunderRow(f, funder_totals[f.pk]) for f in funders],
        per_category=dict(per_category),
        per_action_line=per_action_line,
        per_programme=per_programme,
        per_project=per_project,
        deal_level=deal_level,
        total=total,
        projects={p.pk: p for p in projects},
        _cells=cells,
    )


def project_figures(*, project: Project, as_of: date) -> ProjectFigures:
    """Figures per funder of one project as of a date (two queries)."""
    rows = list(grouped_bookings(deal=Deal(pk=project.deal_id), as_of=as_of, project_ids=[project.pk]))
    funders = Funder.objects.in_bulk([r["funder_id"] for r in rows])
    per_funder = sorted(
        (FunderRow(funders[r["funder_id"]], _figures_from_row(r)) for r in rows),
        key=lambda fr: (fr.funder.order, fr.funder.name),
    )
    return ProjectFigures(
        project=project, as_of=as_of, per_funder=per_funder, total=sum_figures(fr.figures for fr in per_funder)
    )


def project_funder_figures(*, project: Project, funder: Funder, as_of: date = date.max) -> Figures:
    """Figures of one project x funder over its bookings up to ``as_of`` (one query); the budget guard uses it."""
    rows = list(
        grouped_bookings(deal=Deal(pk=project.deal_id), as_of=as_of, project_ids=[project.pk]).filter(
            funder_id=funder.pk
        )
    )
    return _figures_from_row(rows[0]) if rows else Figures.zero()
