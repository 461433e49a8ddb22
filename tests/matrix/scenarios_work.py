"""Actions of verslagen, roles, metingen and the report."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
from django.urls import reverse

from monitoring.models import Indicator, Measurement
from projects.models import ProgressReport, RoleAssignment
from tests.conftest import make_user
from tests.matrix import samples
from tests.matrix.registry import Cell, scenario


def _verslag_state(report):
    return lambda: ProgressReport.objects.filter(pk=report.pk).values_list("state", "lock_version", "risks").first()


def _report_kwargs(deal, report):
    return {"deal_code": deal.code, "pk": report.pk}


@scenario("projects:report-start", get=None, post="start_verslag")
def _start(deal, personas):
    project = samples.project(deal)
    return Cell(
        kwargs={"deal_code": deal.code, "project_code": project.code, "period_name": samples.OPEN_PERIOD},
        observe=lambda: ProgressReport.objects.filter(project=project, period__name=samples.OPEN_PERIOD).count(),
    )


@scenario("projects:report-edit", get="write_verslag", post="write_verslag")
def _edit(deal, personas):
    report = samples.draft_verslag(deal, personas)
    payload = {
        "status": report.status, "progress": "Voortgang volgens plan.", "results": "", "lessons": "",
        "governance": "", "expected_end": report.expected_end.isoformat() if report.expected_end else "",
        "planning_change_reason": "", "risks": "Matrix: nieuw risico", "next_steps": "",
        "lock_version": report.lock_version,
    }  # fmt: skip
    return Cell(kwargs=_report_kwargs(deal, report), payload=payload, observe=_verslag_state(report))


@scenario("projects:report-submit", get=None, post="write_verslag")
def _submit(deal, personas):
    report = samples.draft_verslag(deal, personas)
    # A verslag is submitted with its content: fill in what submitting requires.
    ProgressReport.objects.filter(pk=report.pk).update(progress="Voortgang volgens plan.")
    report.refresh_from_db()
    return Cell(
        kwargs=_report_kwargs(deal, report),
        payload={"lock_version": report.lock_version},
        observe=_verslag_state(report),
    )


@scenario("projects:report-approve", get=None, post="approve_verslag")
def _approve(deal, personas):
    report = samples.submitted_verslag(deal, personas)
    return Cell(
        kwargs=_report_kwargs(deal, report),
        payload={"lock_version": report.lock_version},
        observe=_verslag_state(report),
    )


@scenario("projects:report-return", get=None, post="return_verslag")
def _return(deal, personas):
    report = samples.submitted_verslag(deal, personas)
    return Cell(
        kwargs=_report_kwargs(deal, report),
        payload={"reason": "Vul de resultaten aan.", "lock_version": report.lock_version},
        observe=_verslag_state(report),
    )


@scenario("projects:report-correct", get=None, post="correct_verslag")
def _correct(deal, personas):
    report = samples.approved_verslag(deal, personas)
    return Cell(
        kwargs=_report_kwargs(deal, report),
        observe=lambda: ProgressReport.objects.filter(project=report.project, period=report.period).count(),
    )


# Roles: granted by a coordinator, kassier and controller confirmed by a second one.
def _role_rows(deal):
    return lambda: sorted(deal.role_assignments.values_list("user__username", "role", "status"))


@scenario("projects:role-list", get="manage_roles", post="manage_roles")
def _grant(deal, personas):
    newcomer = make_user("matrix_nieuw")
    return Cell(
        kwargs={"deal_code": deal.code}, payload={"user": newcomer.pk, "role": "stuurgroep", "note": "Matrix"},
        observe=_role_rows(deal),
    )  # fmt: skip


def _pending_kassier(deal):
    """A kassier grant by a second coordinator, waiting for the demo coordinator to confirm or refuse."""
    from projects.services_roles import role_grant

    second = make_user("matrix_coordinator_2", "coordinator")
    return role_grant(deal=deal, user=make_user("matrix_kassier"), role="kassier", by=second)


for _name in ("projects:role-confirm", "projects:role-refuse"):

    @scenario(_name, get=None, post="manage_roles")
    def _decide_role(deal, personas):
        return Cell(kwargs={"deal_code": deal.code, "pk": _pending_kassier(deal).pk}, observe=_role_rows(deal))


@scenario("projects:role-end", get=None, post="manage_roles")
def _end_role(deal, personas):
    assignment = RoleAssignment.objects.get(deal=deal, user=make_user("matrix_lid", "stuurgroep"), role="stuurgroep")
    return Cell(kwargs={"deal_code": deal.code, "pk": assignment.pk}, observe=_role_rows(deal))


# Metingen of the sample project's indicator.
def _indicator(deal) -> Indicator:
    return (
        Indicator.objects.filter(deal=deal, project=samples.project(deal), is_quantitative=True).order_by("pk").first()
    )


def _measurements(indicator):
    return lambda: sorted(indicator.measurements.values_list("date", "value", "status"))


@scenario("monitoring:measurement-create", get="enter_measurement", post="enter_measurement")
def _measure(deal, personas):
    indicator = _indicator(deal)
    return Cell(
        kwargs={"deal_code": deal.code, "indicator_pk": indicator.pk},
        payload={"date": "2022-12-31", "period_start": "", "value": "7", "text": "", "source_note": "Matrix"},
        observe=_measurements(indicator),
    )


@scenario("monitoring:measurement-approve", get=None, post="approve_measurement")
def _approve_measurement(deal, personas):
    from monitoring.services import measurement_create

    indicator = _indicator(deal)
    draft = measurement_create(indicator=indicator, user=personas["tlm_own"], date=date(2022, 12, 31), value=Decimal(7))
    return Cell(
        kwargs={"deal_code": deal.code, "measurement_pk": draft.pk},
        observe=lambda: Measurement.objects.get(pk=draft.pk).status,
    )


def _metingen_file(deal) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Metingen"
    sheet.append(["indicator", "datum", "periode_vanaf", "waarde", "tekst", "bron"])
    sheet.append([_indicator(deal).code, date(2022, 12, 31), None, 7, None, "Matrix"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _all_measurements(deal):
    return lambda: Measurement.objects.filter(indicator__deal=deal).count()


@scenario("monitoring:measurement-import", get="import_measurements", post="import_measurements",
          post_ok=(200,), post_changes=False, variant="voorbeeld")  # fmt: skip
def _import_preview(deal, personas):
    return Cell(
        kwargs={"deal_code": deal.code}, files={"file": ("metingen.xlsx", _metingen_file(deal))},
        observe=_all_measurements(deal),
    )  # fmt: skip


@scenario("monitoring:measurement-import", get="import_measurements", post="import_measurements",
          variant="bevestigen")  # fmt: skip
def _import_confirm(deal, personas):
    content = _metingen_file(deal)
    url = reverse("monitoring:measurement-import", args=[deal.code])

    def upload(client):  # the preview puts the file in the user's session
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.post(url, {"file": SimpleUploadedFile("metingen.xlsx", content)})

    return Cell(
        kwargs={"deal_code": deal.code}, payload={"confirm": "1"}, before_post=upload, observe=_all_measurements(deal)
    )


# The report.
@scenario("reports:text-edit", get="edit_report_texts", post="edit_report_texts")
def _texts(deal, personas):
    from reports.models import ReportText

    period = samples.closed_period(deal)
    return Cell(
        kwargs={"deal_code": deal.code, "period_pk": period.pk},
        payload={"foreword": "Matrix: voorwoord", "summary": "", "lessons": ""},
        observe=lambda: list(ReportText.objects.filter(deal=deal, period=period).values_list("foreword", flat=True)),
    )


@scenario("reports:publish", get="publish_report", post="publish_report")
def _publish(deal, personas):
    from reports.models import PublishedReport

    return Cell(
        kwargs={"deal_code": deal.code}, payload={"note": "Matrix"},
        observe=lambda: PublishedReport.objects.filter(deal=deal).count(),
    )  # fmt: skip
