"""Kills the mutants of projects/permissions.py that the suite let live (docs/mutation-testing.md)."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from projects.models import Deal, ProgressReport
from projects.permissions import (
    can_approve_report,
    can_correct_report,
    can_read_report_history,
    finance_readable_projects,
    get_project_for_user,
    get_report_for_user,
    readable_reports,
)
from tests.projects.progress_helpers import started

State = ProgressReport.State


@pytest.fixture
def coordinator_b(db) -> User:
    """The coordinator of the second demo deal only."""
    return User.objects.get(username="coordinator_b")


def approved(deal, code: str) -> ProgressReport:
    return ProgressReport.objects.get(project__deal=deal, project__code=code, period__name="2022-1")


def test_the_stuurgroep_reads_a_project_but_may_not_change_it(deal, steering):
    assert get_project_for_user(steering, deal, "1310").code == "1310"
    with pytest.raises(PermissionDenied) as caught:
        get_project_for_user(steering, deal, "1310", write=True)
    assert str(caught.value) == "U mag dit project lezen maar niet wijzigen."


def test_only_the_coordinator_of_the_reports_own_deal_approves_it(deal, lead, coordinator, coordinator_b):
    report = started(deal, "1310", lead)
    ProgressReport.objects.filter(pk=report.pk).update(state=State.SUBMITTED)
    report.refresh_from_db()
    assert can_approve_report(coordinator, report)
    assert not can_approve_report(coordinator_b, report)


def test_the_history_of_a_verslag_is_not_for_the_coordination_of_another_deal(deal, coordinator, coordinator_b):
    report = approved(deal, "1310")
    assert can_read_report_history(coordinator, report)
    assert not can_read_report_history(coordinator_b, report)


def test_a_newer_revision_of_another_project_or_period_does_not_freeze_a_verslag(deal, lead, coordinator):
    report = approved(deal, "1310")
    assert can_correct_report(coordinator, report)
    # Another project's verslag of the same period has a second version: this one is still the newest.
    ProgressReport.objects.filter(pk=approved(deal, "1320").pk).update(revision=report.revision + 1)
    assert can_correct_report(coordinator, report)
    # This project's verslag of the next period has a higher revision number: still no newer version of this one.
    ProgressReport.objects.filter(pk=started(deal, "1310", lead).pk).update(revision=report.revision + 1)
    assert can_correct_report(coordinator, report)


def test_the_ministry_reads_approved_verslagen_but_only_under_their_own_deal(deal, lead):
    ministry = User.objects.get(username="ministerie")
    report = approved(deal, "1310")
    assert readable_reports(ministry).filter(pk=report.pk).exists()
    assert not readable_reports(ministry).filter(pk=started(deal, "1310", lead).pk).exists()  # a concept
    assert get_report_for_user(ministry, deal, report.pk) == report
    other = ProgressReport.objects.exclude(project__deal=deal).filter(state=State.APPROVED).first()
    assert readable_reports(ministry).filter(pk=other.pk).exists()
    with pytest.raises(Http404):
        get_report_for_user(ministry, deal, other.pk)


def test_a_verslag_comes_with_its_project_deal_and_period_in_one_query(deal, coordinator, django_assert_num_queries):
    pk = approved(deal, "1310").pk
    coordinator.refresh_from_db()
    with django_assert_num_queries(2):  # the roles of the coordinator, then the verslag with all it shows
        report = get_report_for_user(coordinator, deal, pk)
        assert (report.project.programme.action_line.deal_id, report.project.deal.code) == (deal.pk, "cleantech")
        assert report.period.name == "2022-1"


def test_the_stuurgroep_reads_an_approved_verslag_but_may_not_change_it(deal, steering):
    report = approved(deal, "1310")
    assert get_report_for_user(steering, deal, report.pk) == report
    with pytest.raises(PermissionDenied) as caught:
        get_report_for_user(steering, deal, report.pk, write=True)
    assert str(caught.value) == "U mag dit verslag lezen maar niet wijzigen."


def test_a_project_code_is_looked_up_in_the_deal_of_the_url(deal):
    ministry = User.objects.get(username="ministerie")  # reads every deal
    second_deal = Deal.objects.exclude(code="cleantech").get(role_assignments__user__username="coordinator_b")
    assert get_project_for_user(ministry, deal, "1310").deal == deal
    assert get_project_for_user(ministry, second_deal, "1110").deal == second_deal  # 1110 exists in both
    assert not second_deal.projects.filter(code="1310").exists()
    with pytest.raises(Http404):
        get_project_for_user(ministry, second_deal, "1310")


def test_a_project_comes_with_its_programme_lead_and_deal_in_one_query(deal, coordinator, django_assert_num_queries):
    with django_assert_num_queries(2):  # the roles of the coordinator, then the project with all it shows
        project = get_project_for_user(coordinator, deal, "1140")  # a project with a lead organisation
        assert project.programme.action_line.deal_id == deal.pk
        assert project.lead_organisation.name and project.deal.code == "cleantech"


def test_the_ministry_reads_the_money_of_every_project(deal):
    ministry = User.objects.get(username="ministerie")
    readable = finance_readable_projects(ministry)
    assert readable.filter(deal=deal).count() == deal.projects.count() == 26
    assert readable.exclude(deal=deal).exists()
