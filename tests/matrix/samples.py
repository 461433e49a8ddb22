"""Objects of the demo deal in the state where an action is possible (all inside the test's transaction)."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from finance.models import Booking, Funder, Tranche
from projects.models import Deal, Project, ReportingPeriod

SAMPLE_PROJECT = "1310"
OPEN_PERIOD = "2022-2"
CLOSED_PERIOD = "2022-1"


def project(deal: Deal) -> Project:
    return deal.projects.get(code=SAMPLE_PROJECT)


def open_period(deal: Deal) -> ReportingPeriod:
    return deal.reporting_periods.get(name=OPEN_PERIOD)


def closed_period(deal: Deal) -> ReportingPeriod:
    return deal.reporting_periods.get(name=CLOSED_PERIOD)


def rijk(deal: Deal) -> Funder:
    return deal.funders.get(name="Rijk")


def stored_document(name: str) -> str:
    """One stable file per name in the storage, so repeated runs leave nothing behind."""
    path = f"matrix/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(b"%PDF-1.4 matrix"))
    return path


def draft_verslag(deal: Deal, personas):
    from projects.services import report_start

    return report_start(project=project(deal), period=open_period(deal), user=personas["lead_own"])


def submitted_verslag(deal: Deal, personas):
    from projects.services import report_submit

    return report_submit(report=draft_verslag(deal, personas), user=personas["lead_own"])


def approved_verslag(deal: Deal, personas):
    from projects.services import report_approve

    return report_approve(report=submitted_verslag(deal, personas), user=personas["coordinator"])


def second_person(role: str):
    """Another holder of ``role`` in the demo deal: when they registered, supplied or imported it,
    refusing the persona of that role tests the role rule itself, not four eyes."""
    from tests.conftest import make_user

    return make_user(f"matrix_{role}_2", role)


def pending_tranche(deal: Deal, personas, by=None) -> Tranche:
    """A tranche of 1.000 Rijk on 1310, registered by ``by`` (the kassier), waiting for a controller;
    its conditions met or waived so that approving is possible."""
    from finance.models_conditions import ProjectCondition
    from finance.services import tranche_register

    tranche = tranche_register(
        project=project(deal), funder=rijk(deal), amount=Decimal("1000.00"), date=date(2022, 6, 15),
        user=by or personas["kassier"], note="MATRIX-T1",
    )  # fmt: skip
    waive_open_conditions(deal, personas, ProjectCondition.objects.filter(project=project(deal)))
    return tranche


def waive_open_conditions(deal, personas, conditions) -> None:
    from finance.services_conditions import condition_waive

    for condition in conditions:
        condition_waive(condition=condition, decision=a_decision(deal), user=personas["coordinator"])


def a_decision(deal: Deal):
    return deal.decisions.order_by("pk").first()


def expenditure(deal: Deal) -> Booking:
    return Booking.objects.filter(deal=deal, project=project(deal), kind="besteding").order_by("pk").first()


def decision_with_document(deal: Deal):
    decision = a_decision(deal)
    type(decision).objects.filter(pk=decision.pk).update(document=stored_document("besluit.pdf"))
    return decision


def tranche_condition_with_document(deal: Deal, personas):
    """A tranche condition of 1310 with its document (the demo's have only a kenmerk)."""
    from finance.models import TrancheCondition

    condition = TrancheCondition.objects.filter(tranche__project=project(deal)).order_by("pk").first()
    TrancheCondition.objects.filter(pk=condition.pk).update(document=stored_document("voorwaarde.pdf"))
    return condition


def condition_of_sample(deal: Deal):
    """A document condition on 1310 for every funder (created for the matrix)."""
    from finance.models import ConditionType, ProjectCondition

    condition_type = ConditionType.objects.get_or_create(
        deal=deal, name="Matrix: samenwerkingsovereenkomst", defaults={"kind": "document"}
    )[0]
    return ProjectCondition.objects.get_or_create(project=project(deal), condition_type=condition_type, funder=None)[0]


def supplied_evidence(deal: Deal, personas, by=None):
    """Evidence with a document for a condition of 1310, supplied by ``by`` (the kassier), waiting for a controller."""
    from finance.models import ConditionEvidence

    return ConditionEvidence.objects.create(
        condition=condition_of_sample(deal), document=stored_document("sok.pdf"), supplied_by=by or personas["kassier"]
    )


def waiting_import_batch(deal: Deal, personas, by=None):
    """A batch of one held payout of 1 euro on 1310, imported by ``by`` (the coordinator), waiting for a controller."""
    from finance.models import ImportBatch, ImportedPayout

    batch = ImportBatch.objects.create(
        deal=deal, file_name="matrix.xlsx", sha256="0" * 64, uploaded_by=by or personas["coordinator"]
    )
    ImportedPayout.objects.create(
        batch=batch, row=2, reference="MATRIX-1", project=project(deal), funder=rijk(deal), number=99,
        amount=Decimal("1.00"), date=date(2022, 6, 1),
    )  # fmt: skip
    return batch


def pledge_with_document(deal: Deal, personas):
    """Co-financing of 1.000 pledged directly to 1310 by a non-Rijk funder, with its evidence."""
    from finance.models import DirectCoFinancing

    return DirectCoFinancing.objects.create(
        project=project(deal),
        funder=deal.funders.exclude(category="rijk").order_by("order").first(),
        amount=Decimal("1000.00"),
        pledged_on=date(2020, 10, 1),
        evidence_document=stored_document("toezegging.pdf"),
        created_by=personas["coordinator"],
    )


def published_version(deal: Deal, personas) -> int:
    from reports.services import report_publish

    published = report_publish(
        deal=deal, as_of=deal.default_reference_date, period=closed_period(deal), user=personas["coordinator"]
    )
    return published.version


def reference_condition_type(deal: Deal):
    """A condition type met by a kenmerk (no file to store), not yet applied to any project."""
    from finance.models import ConditionType

    return ConditionType.objects.get_or_create(
        deal=deal, name="Matrix: subsidiebeschikking", defaults={"kind": ConditionType.Kind.REFERENCE}
    )[0]


def reference_condition_of_sample(deal: Deal):
    """A kenmerk condition on 1310 for every funder: evidence for it is a kenmerk, so nothing lands in storage."""
    from finance.models import ProjectCondition

    return ProjectCondition.objects.get_or_create(
        project=project(deal), condition_type=reference_condition_type(deal), funder=None
    )[0]


def voucher_scheme(deal: Deal) -> Project:
    """1310 made a voucher scheme (the demo has none)."""
    Project.objects.filter(pk=project(deal).pk).update(is_voucher_scheme=True)
    return project(deal)


def requested_voucher(deal: Deal, personas):
    """A voucher of 1.000 on the scheme 1310, requested, recorded by the coordinator."""
    from datetime import timedelta

    from finance.services_vouchers import voucher_create

    return voucher_create(
        project=voucher_scheme(deal), recipient="Matrix BV", date=deal.start + timedelta(days=30),
        amount=Decimal("1000.00"), status="aangevraagd", user=personas["coordinator"],
    )  # fmt: skip


def voucher_file(deal: Deal) -> bytes:
    """An import file with one new voucher, dated inside the deal."""
    import io
    from datetime import timedelta

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Vouchers"
    sheet.append(["ontvanger*", "datum*", "bedrag*", "status", "kenmerk", "toelichting"])
    sheet.append(["Matrix Import BV", deal.start + timedelta(days=30), 500, "", "MATRIX-V1", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def unspent_year(deal: Deal, personas) -> int:
    """2023 of 1310 x Rijk planned at 1.000 with nothing spent in it: a closed year with money to roll over."""
    from finance.services_years import year_plan_set

    year_plan_set(
        project=project(deal), funder=rijk(deal), year=2023, budget=Decimal("1000.00"), forecast=None,
        user=personas["coordinator"],
    )  # fmt: skip
    return 2023


def renamed_deal_workbook(deal: Deal, name: str) -> bytes:
    """The deal's own export with only the deal's name changed: importing it changes exactly that."""
    import io

    from openpyxl import load_workbook

    from finance.workbook_export import workbook_export

    book = load_workbook(io.BytesIO(workbook_export(deal=deal)))
    sheet = book["deal"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("naam") + 1, value=name)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
