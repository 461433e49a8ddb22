"""Reads of the project structure that span models."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from projects.models import ActionLine, Deal, Programme, ProgressReport, Project, ReportingPeriod
from projects.permissions import (
    can_view_period_overview,
    can_write_reports_of,
    readable_deals,
    readable_projects,
    readable_reports,
    writable_projects,
)
from projects.roles import (
    CONTROLLER,
    COORDINATOR,
    KASSIER,
    LEAD,
    MINISTRY,
    STEERING,
    THEME_MANAGER,
    has_role_anywhere,
)


@dataclass
class HomeSection:
    """One block of the start page: a title, a sentence and links for one role."""

    title: str
    text: str
    links: list[tuple[str, str]] = field(default_factory=list)


def deal_structure(*, user: User, deal: Deal) -> list[ActionLine]:
    """Actielijnen with their programmes and the projects this user may read, in 3 queries."""
    projects = readable_projects(user).filter(deal=deal).select_related("lead_organisation").order_by("code")
    programmes = Programme.objects.filter(deal=deal).prefetch_related(
        Prefetch("projects", queryset=projects, to_attr="visible_projects")
    )
    return list(
        ActionLine.objects.filter(deal=deal).prefetch_related(
            Prefetch("programmes", queryset=programmes.order_by("code"), to_attr="programme_list")
        )
    )


def home_sections_for_user(user: User) -> list[HomeSection]:
    """What the start page shows; later issues add links here, per role."""
    sections: list[HomeSection] = []
    if has_role_anywhere(user, COORDINATOR):
        sections.append(
            HomeSection(
                "Coördinatie",
                "Richt deals, programma's, projecten, financiers en gebruikers in.",
                [
                    ("Beheer openen", "/beheer/"),
                    ("Rollen per deal", reverse("projects:role-index")),
                    ("Verslagen beoordelen", reverse("projects:report-list")),
                    ("Rapportageperiodes en overzicht", reverse("projects:period-list")),
                ],
            )
        )
    if has_role_anywhere(user, THEME_MANAGER, LEAD):
        own = writable_projects(user).select_related("deal").order_by("deal__code", "code")
        links = [("Mijn open verslagen", reverse("projects:report-list"))]
        if can_view_period_overview(user):
            links.append(("Verslagen per periode", reverse("projects:period-list")))
        links += [(str(p), f"/deals/{p.deal.code}/projecten/{p.code}/") for p in own]
        sections.append(
            HomeSection("Mijn projecten", "Projecten waarvoor u voortgang, resultaten en metingen invoert.", links)
        )
    if has_role_anywhere(user, KASSIER):
        sections.append(
            HomeSection(
                "Kas",
                "Registreer tranches en volg wat nog uitgekeerd moet worden.",
                [
                    ("Financieel overzicht per project", "/financien/"),
                    ("Tranches", "/financien/tranches/"),
                    ("Bevindingen", "/financien/bevindingen/"),
                ],
            )
        )
    if has_role_anywhere(user, CONTROLLER):
        sections.append(
            HomeSection(
                "Controle",
                "Keur tranches goed of af die een ander heeft geregistreerd.",
                [
                    ("Tranches ter goedkeuring", "/financien/tranches/"),
                    ("Bevindingen", "/financien/bevindingen/"),
                    ("Financieel overzicht per project", "/financien/"),
                ],
            )
        )
    if has_role_anywhere(user, STEERING, MINISTRY):
        sections.append(
            HomeSection(
                "Stuurgroep",
                "Lees de dashboards en de voortgangsrapportages.",
                [("Voortgangsrapportage en dashboard per deal", "/rapportage/")],
            )
        )
    if not sections:
        sections.append(
            HomeSection("Geen rol", "Uw account heeft nog geen rol. Vraag de coördinator om u toegang te geven.")
        )
    return sections


def projects_of_deal(deal: Deal):
    return Project.objects.filter(deal=deal).select_related("programme__action_line")


# Voortgangsverslagen -------------------------------------------------------------------


@dataclass
class PeriodProgress:
    """One row of a project's verslagen: a period and the verslag of it this user may read."""

    period: ReportingPeriod
    report: ProgressReport | None
    earlier_revisions: list[ProgressReport]
    can_start: bool
    late: bool
    shift_days: int | None  # verwachte afronding minus de geplande afronding


@dataclass
class StateChange:
    when: datetime
    who: str
    period: str
    revision: int
    state: str
    note: str = ""


@dataclass
class ProjectProgress:
    planned_start: date | None
    planned_end: date | None
    expected_end: date | None  # according to the newest approved verslag
    expected_end_source: str
    latest_approved: ProgressReport | None
    periods: list[PeriodProgress]
    history: list[StateChange]
    can_write: bool


def _is_late(period: ReportingPeriod, report: ProgressReport | None, today: date) -> bool:
    """Submitted after the deadline, or still not submitted once it passed. A correction is never late."""
    if report is not None and report.revision > 1:
        return False
    if report is not None and report.submitted_at is not None:
        return timezone.localdate(report.submitted_at) > period.deadline
    return today > period.deadline


def project_progress(*, project: Project, user: User, today: date | None = None) -> ProjectProgress:
    """The verslag part of the project page, in four queries whatever the number of periods."""
    today = today or timezone.localdate()
    can_write = can_write_reports_of(user, project)
    periods = list(ReportingPeriod.objects.filter(deal_id=project.deal_id).order_by("start"))
    reports = list(
        readable_reports(user)
        .filter(project=project)
        .select_related("period", "submitted_by", "decided_by")
        .order_by("period__start", "-revision")
    )
    by_period: dict[int, list[ProgressReport]] = {}
    for report in reports:
        by_period.setdefault(report.period_id, []).append(report)
    started = (
        set(ProgressReport.objects.filter(project=project).order_by().values_list("period_id", flat=True))
        if can_write
        else set()
    )
    rows = []
    for period in periods:
        revisions = by_period.get(period.pk, [])
        current = revisions[0] if revisions else None
        shift = None
        if current and current.expected_end and project.end:
            shift = (current.expected_end - project.end).days
        rows.append(
            PeriodProgress(
                period=period,
                report=current,
                earlier_revisions=revisions[1:],
                can_start=can_write and period.pk not in started,
                late=_is_late(period, current, today),
                shift_days=shift,
            )
        )
    approved = [r for r in reports if r.state == ProgressReport.State.APPROVED]
    newest_approved = max(approved, key=lambda r: (r.period.start, r.revision)) if approved else None
    if newest_approved and newest_approved.expected_end:
        expected_end, source = newest_approved.expected_end, f"verslag {newest_approved.period}"
    else:
        expected_end, source = project.end, "de projectplanning"
    return ProjectProgress(
        planned_start=project.start,
        planned_end=project.end,
        expected_end=expected_end,
        expected_end_source=source,
        latest_approved=newest_approved,
        periods=[row for row in rows if row.report is not None or row.can_start],
        history=_state_history(reports),
        can_write=can_write,
    )


def _state_history(reports: list[ProgressReport]) -> list[StateChange]:
    """Every change of stand of these verslagen, newest first, from their history (one query)."""
    if not reports:
        return []
    periods = {r.pk: r.period.name for r in reports}
    records = (
        ProgressReport.history.filter(id__in=periods)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    changes = []
    previous: dict[int, str] = {}
    for record in records:
        if previous.get(record.id) != record.state:
            user = record.history_user
            changes.append(
                StateChange(
                    when=record.history_date,
                    who=(user.get_full_name() or user.username) if user else "systeem",
                    period=periods[record.id],
                    revision=record.revision,
                    state=ProgressReport.State(record.state).label,
                    note=record.return_reason if record.state == ProgressReport.State.RETURNED else "",
                )
            )
        previous[record.id] = record.state
    return sorted(changes, key=lambda c: c.when, reverse=True)


def expected_projects(period: ReportingPeriod):
    """The projects that owe a verslag for a period.

    Running or planned projects that had started before the period ended, unless an earlier
    approved verslag already reported them finished or stopped; and any project that wrote one.
    """
    closed = ProgressReport.objects.filter(
        state=ProgressReport.State.APPROVED,
        period__deal_id=period.deal_id,
        period__start__lt=period.start,
        status__in=[ProgressReport.ProjectStatus.FINISHED, ProgressReport.ProjectStatus.STOPPED],
    ).values("project_id")
    owing = (
        Q(status__in=[Project.Status.PLANNED, Project.Status.RUNNING])
        & (Q(start__isnull=True) | Q(start__lt=period.end))
        & ~Q(pk__in=closed)
    )
    wrote = Q(pk__in=ProgressReport.objects.filter(period=period).values("project_id"))
    return Project.objects.filter(Q(deal_id=period.deal_id) & (owing | wrote))


@dataclass
class OverviewRow:
    project: Project
    report: ProgressReport | None
    late: bool

    @property
    def label(self) -> str:
        return self.report.get_state_display() if self.report else "Ontbreekt"

    @property
    def badge(self) -> str:
        if self.report is None or self.report.state == ProgressReport.State.RETURNED:
            return "bad"
        if self.report.state == ProgressReport.State.APPROVED:
            return "ok"
        return "warn"


@dataclass
class ProgrammeCounts:
    programme: Programme
    expected: int = 0
    missing: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0
    late: int = 0

    def add(self, row: OverviewRow) -> None:
        self.expected += 1
        self.late += row.late
        state = row.report.state if row.report else None
        if state is None:
            self.missing += 1
        elif state == ProgressReport.State.DRAFT:
            self.draft += 1
        elif state == ProgressReport.State.SUBMITTED:
            self.submitted += 1
        elif state == ProgressReport.State.RETURNED:
            self.returned += 1
        else:
            self.approved += 1


@dataclass
class PeriodOverview:
    period: ReportingPeriod
    rows: list[OverviewRow]
    programmes: list[ProgrammeCounts]
    total: ProgrammeCounts


OVERVIEW_FILTERS = {
    "ontbreekt": "Ontbreekt",
    "concept": "Concept",
    "ingediend": "Ingediend",
    "teruggestuurd": "Teruggestuurd",
    "goedgekeurd": "Goedgekeurd",
    "te-laat": "Te laat",
}


def period_overview(
    *, period: ReportingPeriod, user: User, only: str = "", today: date | None = None
) -> PeriodOverview:
    """Which projects submitted, which are missing, late or sent back; counts per programme. Two queries."""
    today = today or timezone.localdate()
    projects = list(
        expected_projects(period).select_related("programme", "lead_organisation").order_by("programme__code", "code")
    )
    current = {
        r.project_id: r for r in readable_reports(user).filter(period=period).current().select_related("submitted_by")
    }
    rows = [OverviewRow(p, current.get(p.pk), _is_late(period, current.get(p.pk), today)) for p in projects]
    counts: dict[int, ProgrammeCounts] = {}
    total = ProgrammeCounts(programme=None)
    for row in rows:
        counts.setdefault(row.project.programme_id, ProgrammeCounts(row.project.programme)).add(row)
        total.add(row)
    if only == "ontbreekt":
        rows = [r for r in rows if r.report is None]
    elif only == "te-laat":
        rows = [r for r in rows if r.late]
    elif only in OVERVIEW_FILTERS:
        rows = [r for r in rows if r.report and r.report.state == only]
    return PeriodOverview(period=period, rows=rows, programmes=list(counts.values()), total=total)


def report_tasks(*, user: User) -> list[ProgressReport]:
    """What waits for this user: open verslagen of their projects; for the coordinator, those to assess."""
    if has_role_anywhere(user, COORDINATOR):
        scope = Q(state=ProgressReport.State.SUBMITTED)
    else:
        scope = Q(state__in=ProgressReport.EDITABLE_STATES, project__in=writable_projects(user))
    return list(
        readable_reports(user)
        .filter(scope)
        .select_related("project__deal", "period")
        .order_by("period__deadline", "project__code")
    )


def periods_for_user(user: User) -> list[ReportingPeriod]:
    return list(
        ReportingPeriod.objects.filter(deal__in=readable_deals(user)).select_related("deal").order_by("deal", "-start")
    )


@dataclass
class FieldChange:
    label: str
    removed: list[str]
    added: list[str]


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    state: str
    lock_version: int
    changes: list[FieldChange]
    created: bool = False


HISTORY_FIELDS = [*ProgressReport.CONTENT_FIELDS, "state", "return_reason"]


def _display(report_record, name: str) -> str:
    value = getattr(report_record, name)
    if name == "status":
        return ProgressReport.ProjectStatus(value).label if value else ""
    if name == "state":
        return ProgressReport.State(value).label
    if isinstance(value, date):
        return f"{value:%d-%m-%Y}"
    return "" if value is None else str(value)


def report_history(*, report: ProgressReport) -> list[HistoryEntry]:
    """Every save of a verslag, newest first, with who, when and what changed, line by line (one query)."""
    records = list(report.history.select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        changes = []
        for name in HISTORY_FIELDS:
            old = _display(previous, name) if previous else ""
            new = _display(record, name)
            if old == new:
                continue
            old_lines, new_lines = old.splitlines(), new.splitlines()
            changes.append(
                FieldChange(
                    label=ProgressReport._meta.get_field(name).verbose_name,
                    removed=[line for line in old_lines if line not in new_lines],
                    added=[line for line in new_lines if line not in old_lines],
                )
            )
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "systeem",
                state=ProgressReport.State(record.state).label,
                lock_version=record.lock_version,
                changes=changes,
                created=previous is None,
            )
        )
        previous = record
    return entries[::-1]
