"""Shared helpers for the progress tests (not a conftest: tests/conftest.py is shared by all apps)."""

from projects.models import ProgressReport, Project, ReportingPeriod
from projects.services import report_start


def period(deal, name: str = "2022-2") -> ReportingPeriod:
    return deal.reporting_periods.get(name=name)


def project(deal, code: str) -> Project:
    return Project.objects.get(deal=deal, code=code)


def started(deal, code: str, user, name: str = "2022-2") -> ProgressReport:
    return report_start(project=project(deal, code), period=period(deal, name), user=user)


def form_data(report: ProgressReport, **changes) -> dict:
    data = {
        "status": report.status,
        "progress": report.progress,
        "results": report.results,
        "lessons": report.lessons,
        "governance": report.governance,
        "expected_end": report.expected_end.isoformat() if report.expected_end else "",
        "planning_change_reason": report.planning_change_reason,
        "risks": report.risks,
        "next_steps": report.next_steps,
        "lock_version": report.lock_version,
    }
    data.update(changes)
    return data
