"""The start page's work from verslagen and projects: for writers (themalijnmanager, penvoerder)
and for the coordinator. Registered in ProjectsConfig.ready(); see projects/worklist.py."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from projects.models import ProgressReport, Project, ReportingPeriod
from projects.permissions import writable_projects
from projects.roles import COORDINATOR, LEAD, THEME_MANAGER, has_role_anywhere
from projects.selectors import expected_projects
from projects.worklist import WorkContext, WorkItem, day, work_context

State = ProgressReport.State
CLOSING_STATUSES = [ProgressReport.ProjectStatus.FINISHED, ProgressReport.ProjectStatus.STOPPED]


def project_url(deal_code: str, project_code: str) -> str:
    return reverse("projects:project-detail", args=[deal_code, project_code])


def report_url(deal_code: str, pk: int) -> str:
    return reverse("projects:report-detail", args=[deal_code, pk])


# Writers -------------------------------------------------------------------------------


def _owing(projects: QuerySet[Project]) -> QuerySet[Project]:
    """The projects that owe the outer period a verslag and have none: expected_projects() as a subquery,
    so one query counts every period at once."""
    has_report = ProgressReport.objects.filter(project=OuterRef("pk"), period=OuterRef(OuterRef("pk")))
    closed_earlier = ProgressReport.objects.filter(
        project=OuterRef("pk"),
        state=State.APPROVED,
        status__in=CLOSING_STATUSES,
        period__start__lt=OuterRef(OuterRef("start")),
    )
    return (
        Project.objects.filter(
            pk__in=projects.values("pk"),
            deal=OuterRef("deal"),
            status__in=[Project.Status.PLANNED, Project.Status.RUNNING],
        )
        .filter(Q(start__isnull=True) | Q(start__lt=OuterRef("end")))
        .exclude(Exists(has_report))
        .exclude(Exists(closed_earlier))
        .order_by()
    )


def missing_per_period(context: WorkContext, projects, deal_ids: list[int]) -> list[ReportingPeriod]:
    """Every period that ended by its deal's work date and that some of these projects owe a verslag,
    with ``missing`` (how many) and ``first_code`` (the first of them), newest first (one query)."""
    owing = _owing(projects)
    count = owing.values("deal").annotate(n=Count("pk")).values("n")
    return list(
        ReportingPeriod.objects.filter(context.per_deal(deal_ids, "end__lte"))
        .annotate(
            missing=Coalesce(Subquery(count), 0),
            first_code=Subquery(owing.order_by("code").values("code")[:1]),
        )
        .filter(missing__gt=0)
        .select_related("deal")
        .order_by("-end", "deal__code")
    )


def open_report_counts(context: WorkContext, projects, deal_ids: list[int]) -> dict:
    """Concept and teruggestuurd verslagen of these projects, and how many of those are late (one query)."""
    late = Q(revision=1, submitted_at__isnull=True) & context.per_deal(
        deal_ids, "period__deadline__lt", deal_field="project__deal"
    )
    draft, returned = Q(state=State.DRAFT), Q(state=State.RETURNED)
    return ProgressReport.objects.filter(project__in=projects, state__in=ProgressReport.EDITABLE_STATES).aggregate(
        draft=Count("pk", filter=draft),
        returned=Count("pk", filter=returned),
        late=Count("pk", filter=late),
        draft_pk=Min("pk", filter=draft),
        returned_pk=Min("pk", filter=returned),
        draft_deal=Min("project__deal__code", filter=draft),
        returned_deal=Min("project__deal__code", filter=returned),
    )


def _start_url(periods: list[ReportingPeriod], total: int) -> str:
    """One verslag: its project page, where it starts; more: the list of verslagen to start."""
    if total == 1:
        return project_url(periods[0].deal.code, periods[0].first_code) + "#verslagen"
    return reverse("projects:report-list") + "#te-starten"


def _periods_text(periods: list[ReportingPeriod]) -> str:
    parts = [
        f"periode {period.name}: {period.missing} {'verslag' if period.missing == 1 else 'verslagen'}, "
        f"inleveren uiterlijk {day(period.deadline)}"
        for period in sorted(periods, key=lambda p: p.end)
    ]
    text = "; ".join(parts)
    return (text[0].upper() + text[1:] + ".") if parts else "Geen afgelopen periode wacht op een verslag."


def _open_url(counts: dict, kind: str) -> str:
    if counts[kind] == 1:
        return report_url(counts[f"{kind}_deal"], counts[f"{kind}_pk"])
    return reverse("projects:report-list")


def writer_items(context: WorkContext) -> list[WorkItem]:
    deal_ids = context.deals_where(THEME_MANAGER, LEAD)
    if not deal_ids:
        return []
    role = THEME_MANAGER if has_role_anywhere(context.user, THEME_MANAGER) else LEAD
    projects = writable_projects(context.user).filter(deal_id__in=deal_ids)
    periods = missing_per_period(context, projects, deal_ids)
    counts = open_report_counts(context, projects, deal_ids)
    missing = sum(period.missing for period in periods)
    late_missing = sum(period.missing for period in periods if period.deadline < context.work_date(period.deal_id))
    late = late_missing + counts["late"]
    return [
        WorkItem("Verslagen te starten", missing, _start_url(periods, missing), _periods_text(periods), role),
        WorkItem(
            "Verslagen in concept",
            counts["draft"],
            _open_url(counts, "draft"),
            "Begonnen maar nog niet ingediend.",
            role,
        ),
        WorkItem(
            "Teruggestuurde verslagen",
            counts["returned"],
            _open_url(counts, "returned"),
            "De coördinator vraagt om aanvulling; de reden staat bij het verslag.",
            role,
        ),
        WorkItem(
            "Verslagen te laat",
            late,
            reverse("projects:report-list"),
            _late_text(context, deal_ids),
            role,
            in_total=False,  # these are already counted as te starten, concept or teruggestuurd
        ),
    ]


def _late_text(context: WorkContext, deal_ids: list[int]) -> str:
    """Late is measured on the work date; say which date when that is not today."""
    dates = {context.work_date(deal_id) for deal_id in deal_ids}
    if dates == {context.today}:
        return "Nog niet ingediend terwijl de uiterste inleverdatum voorbij is."
    shown = ", ".join(day(value) for value in sorted(dates))
    return f"Inleverdatum voorbij en nog niet ingediend, gemeten op {shown}, de laatste ijkdatum van de deal."


# Coordinator ---------------------------------------------------------------------------


def coordinator_items(context: WorkContext) -> list[WorkItem]:
    deal_ids = context.deals_where(COORDINATOR)
    if not deal_ids:
        return []
    return [_submitted_item(deal_ids), _past_end_item(context, deal_ids)]


def _submitted_item(deal_ids: list[int]) -> WorkItem:
    found = ProgressReport.objects.filter(state=State.SUBMITTED, project__deal_id__in=deal_ids).aggregate(
        n=Count("pk"), pk=Min("pk"), deal=Min("project__deal__code")
    )
    url = report_url(found["deal"], found["pk"]) if found["n"] == 1 else reverse("projects:report-list")
    return WorkItem("Verslagen te beoordelen", found["n"], url, "Ingediend; keur goed of stuur terug.", COORDINATOR)


def _past_end_item(context: WorkContext, deal_ids: list[int]) -> WorkItem:
    """Projects still "lopend" after their planned end, on their deal's work date (one query)."""
    found = Project.objects.filter(
        context.per_deal(deal_ids, "end__lt"), status=Project.Status.RUNNING, deal_id__in=deal_ids
    ).aggregate(n=Count("pk"), code=Min("code"), deal=Min("deal__code"), deal_id=Min("deal_id"))
    if found["n"] == 1:
        url = project_url(found["deal"], found["code"])
    else:
        # Beheer is where the coordinator changes a project's status or planning.
        url = reverse("admin:projects_project_changelist") + "?status__exact=lopend&o=6"
        if len(deal_ids) == 1:
            url += f"&deal__id__exact={deal_ids[0]}&end__lt={context.work_date(deal_ids[0]).isoformat()}"
    when = day(context.work_date(deal_ids[0])) if len(deal_ids) == 1 else "vandaag"
    return WorkItem(
        "Projecten voorbij hun einddatum, nog lopend",
        found["n"],
        url,
        f"Geplande afronding vóór {when}; rond af of pas de planning aan.",
        COORDINATOR,
    )


def project_work(context: WorkContext) -> list[WorkItem]:
    return [*writer_items(context), *coordinator_items(context)]


# The list behind "Verslagen te starten" ----------------------------------------------------


@dataclass
class ReportToStart:
    project: Project
    period: ReportingPeriod
    late: bool


def reports_to_start(user: User, *, today: date | None = None) -> list[ReportToStart]:
    """The verslagen the worklist counts as te starten, one row each: the periods come from the
    worklist's one query, then one query per such period (a list page, not a count)."""
    context = work_context(user, today or timezone.localdate())
    deal_ids = context.deals_where(THEME_MANAGER, LEAD)
    if not deal_ids:
        return []
    projects = writable_projects(user).filter(deal_id__in=deal_ids)
    rows = []
    for period in sorted(missing_per_period(context, projects, deal_ids), key=lambda p: (p.end, p.deal.code)):
        late = period.deadline < context.work_date(period.deal_id)
        owing = expected_projects(period).filter(pk__in=projects.values("pk")).exclude(reports__period=period)
        rows += [ReportToStart(project, period, late) for project in owing.order_by("code")]
    return rows
