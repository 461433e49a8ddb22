"""Every change to a voortgangsverslag goes through these functions.

They check who may do it (projects/permissions.py) and whether the verslag is in the right
state, so a view that forgets a check still cannot move a verslag the wrong way.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from projects.models import ProgressReport, Project, ReminderLog, ReportingPeriod
from projects.permissions import (
    can_approve_report,
    can_correct_report,
    can_edit_report,
    can_return_report,
    can_submit_report,
    can_write_reports_of,
)
from projects.selectors import expected_projects

# The fields a writer fills in; copied into the next period and into a correction.
CONTENT_FIELDS = ProgressReport.CONTENT_FIELDS


class StaleReportError(Exception):
    """Someone else saved the verslag after this user opened it."""

    def __init__(self, report: ProgressReport):
        self.report = report
        last = report.history.select_related("history_user").first()
        who = last.history_user.get_full_name() or last.history_user.username if last and last.history_user else None
        when = timezone.localtime(last.history_date).strftime("%d-%m-%Y %H:%M") if last else None
        by = f" door {who}" if who else ""
        at = f" om {when}" if when else ""
        super().__init__(f"Dit verslag is intussen{by}{at} gewijzigd.")


@dataclass(frozen=True)
class PlanningBaseline:
    """The expected end a verslag is compared with: the last approved one, else the project's plan."""

    expected_end: date | None
    source: str


def planning_baseline(*, project: Project, period: ReportingPeriod) -> PlanningBaseline:
    previous = last_approved_report(project=project, before=period)
    if previous is not None:
        return PlanningBaseline(previous.expected_end, f"verslag {previous.period}")
    return PlanningBaseline(project.end, "de projectplanning")


def last_approved_report(*, project: Project, before: ReportingPeriod) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(
            project=project, state=ProgressReport.State.APPROVED, period__start__lt=before.start
        )
        .select_related("period")
        .order_by("-period__start", "-revision")
        .first()
    )


def _save(report: ProgressReport, user: User) -> None:
    report.full_clean()
    report._history_user = user  # simple_history: who made this change, also outside a request
    report.save()


def _lock(report: ProgressReport) -> ProgressReport:
    return ProgressReport.objects.select_for_update().select_related("project", "period").get(pk=report.pk)


def _check_version(report: ProgressReport, lock_version: int | None) -> None:
    if lock_version is not None and lock_version != report.lock_version:
        raise StaleReportError(report)


def report_start(*, project: Project, period: ReportingPeriod, user: User) -> ProgressReport:
    """Opens the verslag of a project for a period, prefilled from the last approved verslag."""
    with transaction.atomic():
        if not can_write_reports_of(user, project):
            raise PermissionDenied("U mag voor dit project geen verslag opstellen.")
        if period.deal_id != project.deal_id:
            raise ValidationError("De periode hoort bij een andere deal dan het project.")
        if ProgressReport.objects.filter(project=project, period=period).exists():
            raise ValidationError(f"Project {project.code} heeft al een verslag voor periode {period}.")
        report = ProgressReport(project=project, period=period, expected_end=project.end)
        previous = last_approved_report(project=project, before=period)
        if previous is not None:
            for name in CONTENT_FIELDS:
                setattr(report, name, getattr(previous, name))
            report.planning_change_reason = ""  # a reason belongs to the period in which the planning moved
        _save(report, user)
        return report


def report_update(*, report: ProgressReport, user: User, data: dict, lock_version: int | None) -> ProgressReport:
    """Saves the writer's text; refused when the verslag changed since `lock_version` was read."""
    with transaction.atomic():
        report = _lock(report)
        if not can_edit_report(user, report):
            raise PermissionDenied("Dit verslag kan niet (meer) worden gewijzigd.")
        _check_version(report, lock_version)
        for name in CONTENT_FIELDS:
            if name in data:
                setattr(report, name, data[name])
        report.lock_version += 1
        _save(report, user)
        return report


def report_submit(*, report: ProgressReport, user: User, lock_version: int | None = None) -> ProgressReport:
    with transaction.atomic():
        report = _lock(report)
        if not can_submit_report(user, report):
            raise PermissionDenied("U mag dit verslag niet indienen.")
        _check_version(report, lock_version)
        if not report.progress.strip():
            raise ValidationError({"progress": "Vul de voortgang in voordat u het verslag indient."})
        baseline = planning_baseline(project=report.project, period=report.period)
        if report.expected_end != baseline.expected_end and not report.planning_change_reason.strip():
            raise ValidationError(
                {"planning_change_reason": "De verwachte afronding is verschoven: geef de reden op voordat u indient."}
            )
        report.state = ProgressReport.State.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = user
        report.lock_version += 1
        _save(report, user)
        return report


def report_approve(*, report: ProgressReport, user: User, lock_version: int | None = None) -> ProgressReport:
    with transaction.atomic():
        report = _lock(report)
        if not can_approve_report(user, report):
            raise PermissionDenied("Alleen de coördinator keurt ingediende verslagen goed.")
        _check_version(report, lock_version)
        report.state = ProgressReport.State.APPROVED
        report.decided_at = timezone.now()
        report.decided_by = user
        report.lock_version += 1
        _save(report, user)
        return report


def report_return(
    *, report: ProgressReport, user: User, reason: str, lock_version: int | None = None
) -> ProgressReport:
    with transaction.atomic():
        report = _lock(report)
        if not can_return_report(user, report):
            raise PermissionDenied("Alleen de coördinator stuurt ingediende verslagen terug.")
        _check_version(report, lock_version)
        if not reason.strip():
            raise ValidationError({"return_reason": "Geef een reden op waarom het verslag wordt teruggestuurd."})
        report.state = ProgressReport.State.RETURNED
        report.return_reason = reason.strip()
        report.decided_at = timezone.now()
        report.decided_by = user
        report.lock_version += 1
        _save(report, user)
        return report


def report_correct(*, report: ProgressReport, user: User) -> ProgressReport:
    """An approved verslag stays as it is; its correction is a new version, starting as concept."""
    with transaction.atomic():
        report = _lock(report)
        if not can_correct_report(user, report):
            raise PermissionDenied("Van dit verslag kan geen nieuwe versie worden gemaakt.")
        correction = ProgressReport(project=report.project, period=report.period, revision=report.revision + 1)
        for name in CONTENT_FIELDS:
            setattr(correction, name, getattr(report, name))
        _save(correction, user)
        return correction


# Reminders ---------------------------------------------------------------------------------

# A reminder is sent on the first run on or after its day, so a cron job that missed a day
# still sends it; but not when a period's moment is this long past (no mail about old periods).
REMINDER_CATCH_UP_DAYS = 7


@dataclass(frozen=True)
class ReminderResult:
    sent: list[ReminderLog]
    without_recipients: list[tuple[ReportingPeriod, Project]]


def _due_moments(period: ReportingPeriod, today: date) -> list[str]:
    moments = []
    before = period.deadline - timedelta(days=settings.REMINDER_DAYS_BEFORE)
    if before <= today <= period.deadline:
        moments.append(ReminderLog.Moment.BEFORE)
    after = period.deadline + timedelta(days=settings.REMINDER_DAYS_AFTER)
    if after <= today < after + timedelta(days=REMINDER_CATCH_UP_DAYS):
        moments.append(ReminderLog.Moment.AFTER)
    return moments


def reminder_recipients(project: Project) -> list[User]:
    """The themalijnmanagers of the project's programme and actielijn, and the penvoerder's users."""
    people = {
        *project.programme.theme_managers.all(),
        *project.programme.action_line.theme_managers.all(),
        *project.lead_users.all(),
    }
    return sorted((u for u in people if u.is_active and u.email), key=lambda u: u.username)


def _date(value: date) -> str:
    with translation.override("nl"):
        return date_format(value, "j F Y")


def _reminder_message(
    period: ReportingPeriod, project: Project, report: ProgressReport | None, moment: str, people: list[User]
) -> tuple[str, str]:
    names = ", ".join(u.get_full_name() or u.username for u in people)
    deadline = _date(period.deadline)
    if moment == ReminderLog.Moment.BEFORE:
        subject = f"Herinnering: verslag {period} van project {project.code} uiterlijk {deadline} indienen"
        opening = (
            f"Het voortgangsverslag over periode {period} van project {project} moet uiterlijk {deadline} "
            "zijn ingediend."
        )
    else:
        subject = f"Te laat: verslag {period} van project {project.code} is nog niet ingediend"
        opening = (
            f"Het voortgangsverslag over periode {period} van project {project} had uiterlijk {deadline} "
            "ingediend moeten zijn, maar is nog niet binnen."
        )
    if report is None:
        state = "Het verslag is nog niet gestart."
    elif report.state == ProgressReport.State.RETURNED:
        state = f"Het verslag is teruggestuurd door de coördinator, met als reden: {report.return_reason}"
    else:
        state = "Het verslag staat klaar als concept maar is nog niet ingediend."
    url = settings.SITE_URL + reverse("projects:project-detail", args=[project.deal.code, project.code])
    body = (
        f"Beste {names},\n\n{opening}\n{state}\n\n"
        f"U kunt het verslag bijwerken en indienen via de projectpagina:\n{url}#verslagen\n\n"
        f"De periode loopt van {_date(period.start)} tot en met {_date(period.last_day)}; "
        f"de cijfers gelden per ijkdatum {_date(period.reference_date)}.\n\n"
        f"Met vriendelijke groet,\nDe coördinatie van {project.deal}\n\n"
        "Dit is een automatisch bericht van het Regio Deal portaal."
    )
    return subject, body


def reminders_send(*, today: date) -> ReminderResult:
    """E-mails the people responsible for every verslag that is due and not yet submitted; once per moment."""
    sent, without = [], []
    window_start = today - timedelta(days=settings.REMINDER_DAYS_AFTER + REMINDER_CATCH_UP_DAYS)
    window_end = today + timedelta(days=settings.REMINDER_DAYS_BEFORE)
    periods = ReportingPeriod.objects.filter(deadline__gte=window_start, deadline__lte=window_end).select_related(
        "deal"
    )
    for period in periods:
        moments = _due_moments(period, today)
        if not moments:
            continue
        done = ProgressReport.objects.filter(
            period=period, state__in=[ProgressReport.State.SUBMITTED, ProgressReport.State.APPROVED]
        ).values("project_id")
        projects = (
            expected_projects(period)
            .exclude(pk__in=done)
            .select_related("deal", "programme__action_line")
            .prefetch_related("programme__theme_managers", "programme__action_line__theme_managers", "lead_users")
            .order_by("code")
        )
        open_reports = {r.project_id: r for r in ProgressReport.objects.filter(period=period).current()}
        logged = set(ReminderLog.objects.filter(period=period).values_list("project_id", "moment"))
        for project in projects:
            people = reminder_recipients(project)
            for moment in moments:
                if (project.pk, moment) in logged:
                    continue
                if not people:
                    without.append((period, project))
                    continue
                subject, body = _reminder_message(period, project, open_reports.get(project.pk), moment, people)
                try:
                    with transaction.atomic():
                        # The log row first: a parallel run hits the unique constraint and sends nothing.
                        log = ReminderLog.objects.create(
                            period=period,
                            project=project,
                            moment=moment,
                            recipients=", ".join(u.email for u in people),
                        )
                        send_mail(subject, body, None, [u.email for u in people])
                except IntegrityError:
                    continue
                sent.append(log)
    return ReminderResult(sent=sent, without_recipients=without)
