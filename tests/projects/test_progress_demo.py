"""The demo verslagen: period 2022-1 approved from the seed texts, 2022-2 open; loading twice changes nothing."""

from datetime import date

from django.core.management import call_command

from projects.models import ProgressReport
from tests.projects.progress_helpers import period


def test_demo_has_an_approved_2022_1_report_for_every_project_and_reloads_idempotently(deal):
    reports = ProgressReport.objects.filter(period__name="2022-1")
    assert reports.count() == deal.projects.count()
    assert set(reports.values_list("state", flat=True)) == {ProgressReport.State.APPROVED}
    assert reports.get(project__code="1110").status == ProgressReport.ProjectStatus.SMALL_DELAY
    assert reports.get(project__code="1130").status == ProgressReport.ProjectStatus.ON_SCHEDULE
    assert reports.get(project__code="1110").results.startswith("Er is een missie en visie")
    assert reports.get(project__code="1110").decided_by.username == "coordinator"
    p = period(deal, "2022-1")
    assert (p.start, p.end, p.reference_date) == (date(2022, 1, 1), date(2022, 7, 1), date(2022, 7, 1))

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert ProgressReport.objects.filter(period__name="2022-1").count() == deal.projects.count()
    assert not ProgressReport.objects.filter(period__name="2022-2").exists()
