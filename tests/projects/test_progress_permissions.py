"""Who may read and act on which verslag, per persona; every lookup fails closed (404) outside the scope."""

import pytest
from django.urls import reverse

from projects.models import ProgressReport
from projects.permissions import can_edit_report, readable_reports
from projects.services import report_submit
from tests.projects.progress_helpers import started

State = ProgressReport.State


@pytest.fixture
def draft_1110(deal, theme_manager):
    return started(deal, "1110", theme_manager)


@pytest.fixture
def draft_2120(deal, coordinator):
    return started(deal, "2120", coordinator)


@pytest.fixture
def draft_1310(deal, lead):
    return started(deal, "1310", lead)


def url(name, report):
    return reverse(f"projects:{name}", args=["cleantech", report.pk])


@pytest.mark.parametrize(
    "persona, may_edit_1110, may_edit_2120",
    [
        ("coordinator", True, True),
        ("theme_manager", True, False),
        ("other_theme_manager", False, True),
        ("lead", False, False),
        ("other_lead", False, False),
        ("steering", False, False),
        ("kassier", False, False),
        ("outsider", False, False),
    ],
)
def test_who_may_edit_which_draft(request, draft_1110, draft_2120, persona, may_edit_1110, may_edit_2120):
    user = request.getfixturevalue(persona)
    assert can_edit_report(user, draft_1110) is may_edit_1110
    assert can_edit_report(user, draft_2120) is may_edit_2120


def test_steering_reads_approved_reports_only(steering, draft_1110):
    visible = readable_reports(steering)
    assert not visible.filter(pk=draft_1110.pk).exists()
    assert visible.filter(period__name="2022-1").count() == ProgressReport.objects.filter(period__name="2022-1").count()
    assert set(visible.values_list("state", flat=True)) == {State.APPROVED}


def test_penvoerder_reads_own_project_only(lead, other_lead, draft_1310):
    assert set(readable_reports(lead).values_list("project__code", flat=True)) == {"1310"}
    assert not readable_reports(other_lead).filter(pk=draft_1310.pk).exists()


def test_theme_manager_reads_reports_of_other_programmes(other_theme_manager, draft_1110):
    assert readable_reports(other_theme_manager).filter(pk=draft_1110.pk).exists()


# Views: 404 outside the scope, 403 for read-only --------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [
        ("theme_manager", 200),
        ("coordinator", 200),
        ("other_theme_manager", 200),
        ("lead", 404),
        ("steering", 404),
        ("outsider", 404),
    ],
)
def test_draft_detail_per_persona(request, client_for, draft_1110, persona, status):
    response = client_for(request.getfixturevalue(persona)).get(url("report-detail", draft_1110))
    assert response.status_code == status


@pytest.mark.parametrize(
    "persona, status",
    [("theme_manager", 200), ("other_theme_manager", 403), ("lead", 404), ("steering", 404), ("outsider", 404)],
)
def test_draft_edit_per_persona(request, client_for, draft_1110, persona, status):
    response = client_for(request.getfixturevalue(persona)).get(url("report-edit", draft_1110))
    assert response.status_code == status


def test_theme_manager_cannot_edit_a_groene_groei_report(client_for, theme_manager, draft_2120):
    client = client_for(theme_manager)
    assert client.get(url("report-detail", draft_2120)).status_code == 200
    assert client.get(url("report-edit", draft_2120)).status_code == 403
    response = client.post(url("report-edit", draft_2120), {"progress": "overschreven", "lock_version": 1})
    assert response.status_code == 403
    draft_2120.refresh_from_db()
    assert draft_2120.progress != "overschreven"


def test_theme_manager_cannot_start_a_groene_groei_report(client_for, theme_manager):
    response = client_for(theme_manager).post(reverse("projects:report-start", args=["cleantech", "2120", "2022-2"]))
    assert response.status_code == 403
    assert not ProgressReport.objects.filter(project__code="2120", period__name="2022-2").exists()


def test_other_lead_gets_404_for_1310(client_for, other_lead, draft_1310):
    assert client_for(other_lead).get(url("report-detail", draft_1310)).status_code == 404


def test_steering_reads_approved_report_but_cannot_correct_it(client_for, steering):
    approved = ProgressReport.objects.get(project__code="1110", period__name="2022-1")
    client = client_for(steering)
    assert client.get(url("report-detail", approved)).status_code == 200
    assert client.post(url("report-correct", approved)).status_code == 403
    assert client.get(url("report-history", approved)).status_code == 403


def test_writer_cannot_approve_through_the_url(client_for, theme_manager, draft_1110):
    report_submit(report=draft_1110, user=theme_manager)
    client_for(theme_manager).post(url("report-approve", draft_1110), {"lock_version": 2})
    draft_1110.refresh_from_db()
    assert draft_1110.state == State.SUBMITTED


@pytest.mark.parametrize(
    "persona, status",
    [("coordinator", 200), ("theme_manager", 200), ("steering", 403), ("lead", 403), ("kassier", 403)],
)
def test_period_overview_is_for_coordinator_and_theme_managers(request, client_for, deal, persona, status):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("projects:period-detail", args=["cleantech", "2022-2"])).status_code == status
    assert client.get(reverse("projects:period-list")).status_code == status


def test_outsider_gets_404_for_period_overview(client_for, outsider):
    response = client_for(outsider).get(reverse("projects:period-detail", args=["cleantech", "2022-2"]))
    assert response.status_code == 404


def test_refusal_is_explained_in_dutch(client_for, theme_manager, draft_2120):
    response = client_for(theme_manager).get(url("report-edit", draft_2120))
    assert response.status_code == 403
    assert "U mag dit verslag lezen maar niet wijzigen." in response.content.decode()
