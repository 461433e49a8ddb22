"""The verslag state machine, prefill, corrections and optimistic locking, at the service level."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects.models import ProgressReport, ReportingPeriod
from projects.services import (
    StaleReportError,
    report_approve,
    report_correct,
    report_return,
    report_start,
    report_submit,
    report_update,
)
from tests.projects.progress_helpers import period, project, started

State = ProgressReport.State


def submitted(deal, code, writer):
    report = started(deal, code, writer)
    return report_submit(report=report, user=writer)


# Prefill ---------------------------------------------------------------------------------


def test_new_period_starts_prefilled_from_last_approved_report(deal, theme_manager):
    previous = ProgressReport.objects.get(project__code="1110", period__name="2022-1")

    report = started(deal, "1110", theme_manager)

    assert report.state == State.DRAFT
    assert report.revision == 1
    for name in ["status", "progress", "results", "lessons", "governance", "expected_end"]:
        assert getattr(report, name) == getattr(previous, name)
    assert report.status == ProgressReport.ProjectStatus.SMALL_DELAY
    assert report.planning_change_reason == ""


def test_first_report_of_a_project_starts_from_its_planning(deal, theme_manager):
    earlier = ReportingPeriod.objects.create(
        deal=deal,
        name="2021-2",
        start=date(2021, 7, 1),
        end=date(2022, 1, 1),
        reference_date=date(2022, 1, 1),
        deadline=date(2022, 3, 1),
    )
    report = report_start(project=project(deal, "1110"), period=earlier, user=theme_manager)

    assert report.progress == ""
    assert report.results == ""
    assert report.expected_end == project(deal, "1110").end


def test_a_project_gets_one_report_per_period(deal, theme_manager):
    started(deal, "1110", theme_manager)
    with pytest.raises(ValidationError, match="al een verslag"):
        started(deal, "1110", theme_manager)


def test_change_keeps_history_with_who(deal, theme_manager):
    report = started(deal, "1110", theme_manager)
    report_update(report=report, user=theme_manager, data={"risks": "Personeelstekort"}, lock_version=1)

    newest = report.history.first()
    assert newest.history_user == theme_manager
    assert newest.risks == "Personeelstekort"
    assert report.history.count() == 2


# State machine: who may move which state ------------------------------------------------


def test_theme_manager_submits_own_project_report(deal, theme_manager):
    report = submitted(deal, "1110", theme_manager)
    assert report.state == State.SUBMITTED
    assert report.submitted_by == theme_manager
    assert report.submitted_at is not None


def test_penvoerder_drafts_and_submits_for_own_project(deal, lead):
    report = started(deal, "1310", lead)
    report = report_update(report=report, user=lead, data={"progress": "Werkpakket 3 loopt."}, lock_version=1)
    report = report_submit(report=report, user=lead)
    assert report.state == State.SUBMITTED


@pytest.mark.parametrize("persona", ["other_theme_manager", "lead", "steering", "kassier", "outsider"])
def test_others_cannot_start_a_report_for_1110(request, deal, persona):
    with pytest.raises(PermissionDenied):
        started(deal, "1110", request.getfixturevalue(persona))


def test_other_theme_manager_cannot_edit_or_submit_1110(deal, theme_manager, other_theme_manager):
    report = started(deal, "1110", theme_manager)
    with pytest.raises(PermissionDenied):
        report_update(report=report, user=other_theme_manager, data={"progress": "x"}, lock_version=1)
    with pytest.raises(PermissionDenied):
        report_submit(report=report, user=other_theme_manager)


def test_coordinator_approves_submitted_report_and_it_is_frozen(deal, theme_manager, coordinator):
    report = submitted(deal, "1110", theme_manager)

    report = report_approve(report=report, user=coordinator)

    assert report.state == State.APPROVED
    assert report.decided_by == coordinator
    with pytest.raises(PermissionDenied):
        report_update(report=report, user=theme_manager, data={"progress": "later"}, lock_version=None)
    with pytest.raises(PermissionDenied):
        report_update(report=report, user=coordinator, data={"progress": "later"}, lock_version=None)


@pytest.mark.parametrize("persona", ["theme_manager", "lead", "steering", "other_theme_manager"])
def test_only_the_coordinator_approves_or_returns(request, deal, theme_manager, persona):
    report = submitted(deal, "1110", theme_manager)
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        report_approve(report=report, user=user)
    with pytest.raises(PermissionDenied):
        report_return(report=report, user=user, reason="Nee")


def test_coordinator_cannot_approve_a_draft(deal, theme_manager, coordinator):
    report = started(deal, "1110", theme_manager)
    with pytest.raises(PermissionDenied):
        report_approve(report=report, user=coordinator)


def test_returned_report_needs_a_reason_and_can_be_resubmitted(deal, theme_manager, coordinator):
    report = submitted(deal, "1110", theme_manager)
    with pytest.raises(ValidationError, match="reden"):
        report_return(report=report, user=coordinator, reason="  ")

    report = report_return(report=report, user=coordinator, reason="Vul de risico's in.")
    assert report.state == State.RETURNED
    assert report.return_reason == "Vul de risico's in."

    report = report_update(report=report, user=theme_manager, data={"risks": "Geen"}, lock_version=report.lock_version)
    report = report_submit(report=report, user=theme_manager)
    assert report.state == State.SUBMITTED


def test_submitted_report_cannot_be_edited_until_returned(deal, theme_manager):
    report = submitted(deal, "1110", theme_manager)
    with pytest.raises(PermissionDenied):
        report_update(report=report, user=theme_manager, data={"progress": "x"}, lock_version=report.lock_version)


def test_submit_needs_progress_text(deal, theme_manager):
    report = started(deal, "1110", theme_manager)
    report = report_update(report=report, user=theme_manager, data={"progress": ""}, lock_version=1)
    with pytest.raises(ValidationError, match="voortgang"):
        report_submit(report=report, user=theme_manager)


def test_submit_needs_reason_when_planning_moves(deal, theme_manager):
    report = started(deal, "1110", theme_manager)
    report = report_update(report=report, user=theme_manager, data={"expected_end": date(2024, 6, 30)}, lock_version=1)
    with pytest.raises(ValidationError, match="verschoven"):
        report_submit(report=report, user=theme_manager)

    report = report_update(
        report=report, user=theme_manager, data={"planning_change_reason": "Vergunning later"}, lock_version=2
    )
    assert report_submit(report=report, user=theme_manager).state == State.SUBMITTED


def test_correction_of_approved_report_is_a_new_version(deal, theme_manager, coordinator):
    approved = ProgressReport.objects.get(project__code="1110", period__name="2022-1")
    text = approved.progress

    correction = report_correct(report=approved, user=theme_manager)

    approved.refresh_from_db()
    assert approved.state == State.APPROVED and approved.progress == text
    assert correction.revision == 2 and correction.state == State.DRAFT
    assert correction.progress == text
    with pytest.raises(PermissionDenied):
        report_correct(report=approved, user=theme_manager)  # a newer version already exists
    assert set(ProgressReport.objects.filter(project__code="1110", period__name="2022-1").current()) == {correction}


def test_other_theme_manager_cannot_correct_1110(deal, other_theme_manager):
    approved = ProgressReport.objects.get(project__code="1110", period__name="2022-1")
    with pytest.raises(PermissionDenied):
        report_correct(report=approved, user=other_theme_manager)


# Optimistic locking -----------------------------------------------------------------------


def test_second_save_of_a_stale_version_is_refused(deal, theme_manager, coordinator):
    report = started(deal, "1110", theme_manager)
    seen_by_both = report.lock_version

    report_update(report=report, user=coordinator, data={"risks": "Eerste"}, lock_version=seen_by_both)
    with pytest.raises(StaleReportError, match="intussen door Carla"):
        report_update(report=report, user=theme_manager, data={"risks": "Tweede"}, lock_version=seen_by_both)

    report.refresh_from_db()
    assert report.risks == "Eerste"


def test_approving_a_version_the_coordinator_did_not_see_is_refused(deal, theme_manager, coordinator):
    report = submitted(deal, "1110", theme_manager)
    with pytest.raises(StaleReportError):
        report_approve(report=report, user=coordinator, lock_version=report.lock_version - 1)
    report.refresh_from_db()
    assert report.state == State.SUBMITTED


def test_period_deadline_cannot_lie_before_its_end(deal):
    other = ReportingPeriod(
        deal=deal, name="x", start=date(2023, 1, 1), end=date(2023, 7, 1), reference_date=date(2023, 7, 1)
    )
    other.deadline = date(2023, 6, 1)
    with pytest.raises(ValidationError, match="inleverdatum"):
        other.full_clean()
    assert period(deal).last_day == date(2022, 12, 31)
