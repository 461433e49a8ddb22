"""Rules of the verslag workflow that an audit could break without any other test noticing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from projects.models import ProgressReport
from projects.services import report_return

State = ProgressReport.State


@pytest.fixture
def approved(deal) -> ProgressReport:
    # The demo's verslag 2022-1 of project 1110 is approved: frozen, only a new version may change it.
    report = ProgressReport.objects.get(project__deal=deal, project__code="1110", period__name="2022-1")
    assert report.state == State.APPROVED
    return report


def test_service_refuses_to_send_back_an_approved_report(approved, coordinator):
    with pytest.raises(PermissionDenied) as refused:
        report_return(report=approved, user=coordinator, reason="Toch nog iets aanpassen.")

    assert str(refused.value) == "Alleen de coördinator stuurt ingediende verslagen terug."
    approved.refresh_from_db()
    assert approved.state == State.APPROVED
    assert approved.return_reason == ""


def test_posting_terugsturen_on_an_approved_report_is_refused_and_changes_nothing(approved, coordinator, client_for):
    lock_version = approved.lock_version
    url = reverse("projects:report-return", args=["cleantech", approved.pk])

    response = client_for(coordinator).post(url, {"reason": "Toch nog iets aanpassen.", "lock_version": lock_version})

    assert response.status_code == 403
    assert "Alleen de coördinator kan een ingediend verslag terugsturen." in response.content.decode()
    approved.refresh_from_db()
    assert approved.state == State.APPROVED
    assert approved.return_reason == ""
    assert approved.lock_version == lock_version
