"""Expected answers of every URL for every persona: (GET status, POST status).

POST sends an empty form: 200 means the form came back with errors, 302 a redirect (to the
login page for anonymous users, or after a successful action), 403 a read-only object or a
missing role, 404 an object outside the user's scope, 405 a method the view does not take.
"""

from finance.models import Booking, Tranche
from monitoring.models import Indicator, Measurement
from projects import roles
from projects.models import Deal, Project, ReportingPeriod
from tests import permission_table_cofinancing, permission_table_vouchers, permission_table_years

# Features that keep their rows of the matrix in a module of their own.
FEATURE_TABLES = (permission_table_vouchers, permission_table_years, permission_table_cofinancing)

PERSONAS = [
    "anonymous",
    "coordinator",
    "tlm_own",
    "tlm_other",
    "kassier",
    "controller",
    "stuurgroep",
    "lead_own",
    "lead_other",
]

OBJECT_PROJECT = "1310"
OPEN_PERIOD = "2022-2"
CLOSED_PERIOD = "2022-1"

# The samples are named for the demo deal (cleantech). Another deal (tests/test_two_deals.py)
# gets its own equivalents: the first project that has a penvoerder, its last and first
# period, and the first holder of each role in that deal; for cleantech these are the same.


def _object_project(deal: Deal) -> Project:
    return (
        deal.projects.filter(code=OBJECT_PROJECT).first()
        or deal.projects.filter(lead_users__isnull=False).order_by("code").first()
    )


def _open_period(deal: Deal) -> ReportingPeriod:
    periods = deal.reporting_periods.order_by("start")
    return periods.filter(name=OPEN_PERIOD).first() or periods.last()


def _closed_period(deal: Deal) -> ReportingPeriod:
    periods = deal.reporting_periods.order_by("start")
    return periods.filter(name=CLOSED_PERIOD).first() or periods.first()


def _member(deal: Deal, role: str):
    """The deal's first holder of ``role``: in the demo its team's user of that role."""
    from django.contrib.auth.models import User

    holders = User.objects.filter(
        role_assignments__deal=deal, role_assignments__role=role, role_assignments__status="actief"
    )
    return holders.order_by("pk").first()


def _submitted_report(deal: Deal):
    """The 2022-2 verslag of 1310, submitted by its penvoerder: the state where approving,
    sending back and editing rights differ most."""
    from projects.services import report_start, report_submit

    project = _object_project(deal)
    lead = project.lead_users.order_by("pk").first()
    report = report_start(project=project, period=_open_period(deal), user=lead)
    return report_submit(report=report, user=lead)


def _published_version(deal: Deal) -> int:
    from reports.services import latest_published, report_publish

    published = latest_published(deal=deal) or report_publish(
        deal=deal,
        as_of=deal.default_reference_date,
        period=_closed_period(deal),
        user=_member(deal, roles.COORDINATOR),
    )
    return published.version


def _pending_role(deal: Deal):
    """A kassier grant by the demo coordinator, waiting for a second coordinator."""
    from django.contrib.auth.models import User

    from projects.services_roles import role_grant

    newcomer = User.objects.get_or_create(username="matrix-nieuwe-kassier")[0]
    pending = newcomer.role_assignments.filter(deal=deal, status="wacht").first()
    return pending or role_grant(deal=deal, user=newcomer, role="kassier", by=_member(deal, roles.COORDINATOR))


def _supplied_evidence(deal: Deal):
    """Evidence with a document for a condition of 1310, supplied by the kassier, waiting for a controller."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from finance.models import ConditionEvidence, ConditionType, ProjectCondition

    condition_type = ConditionType.objects.get_or_create(
        deal=deal, name="Matrix: samenwerkingsovereenkomst", defaults={"kind": "document"}
    )[0]
    condition = ProjectCondition.objects.get_or_create(
        project=_object_project(deal), condition_type=condition_type, funder=None
    )[0]
    name = "voorwaarden/matrix/sok.pdf"  # one stable file, so repeated runs leave nothing behind
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"%PDF-1.4 matrix"))
    evidence = condition.evidence.filter(state="aangeleverd").first()
    return evidence or ConditionEvidence.objects.create(
        condition=condition, document=name, supplied_by=_member(deal, roles.KASSIER)
    )


def _waiting_import_batch(deal: Deal):
    """A batch of one held payout on 1310, imported by the demo coordinator, waiting for a controller."""
    import datetime

    from finance.models import ImportBatch, ImportedPayout

    batch = ImportBatch.objects.filter(deal=deal, status="wacht").first()
    if batch is None:
        batch = ImportBatch.objects.create(
            deal=deal, file_name="matrix.xlsx", sha256="0" * 64, uploaded_by=_member(deal, roles.COORDINATOR)
        )
        ImportedPayout.objects.create(
            batch=batch, row=2, reference="MATRIX-1", project=_object_project(deal),
            funder=deal.funders.order_by("order").first(), number=99, amount=1, date=datetime.date(2023, 5, 1),
        )  # fmt: skip
    return batch


def _tranche(deal: Deal) -> Tranche:
    """The first tranche of the sample project that has a condition (every demo tranche of 1310 has one;
    in another deal the one tests/test_two_deals.py registers)."""
    tranches = Tranche.objects.filter(project=_object_project(deal), conditions__isnull=False)
    return tranches.order_by("pk").first()


def _pk_for(name: str, deal: Deal) -> int:
    if name == "finance:booking-correct":
        return (
            Booking.objects.filter(deal=deal, project=_object_project(deal), kind="besteding").order_by("pk").first().pk
        )
    if name.startswith("finance:tranche-"):
        return _tranche(deal).pk
    if name == "finance:condition-document":
        return _tranche(deal).conditions.first().pk
    if name.startswith("finance:evidence-"):
        return _supplied_evidence(deal).pk
    if name.startswith("projects:report-"):
        return _submitted_report(deal).pk
    if name.startswith("finance:decision-"):
        return deal.decisions.order_by("pk").first().pk
    if name.startswith("projects:role-"):
        return _pending_role(deal).pk
    if name.startswith("finance:import-batch-"):
        return _waiting_import_batch(deal).pk
    for module in FEATURE_TABLES:
        if (pk := module.pk_for(name, deal)) is not None:
            return pk
    raise KeyError(f"Geen voorbeeldobject voor {name}: vul tests/permission_table.py aan")


def sample_kwargs(name: str, kwarg_names: list[str], deal: Deal) -> dict:
    values = {}
    for kwarg in kwarg_names:
        if kwarg == "deal_code":
            values[kwarg] = deal.code
        elif kwarg == "project_code":
            values[kwarg] = _object_project(deal).code
        elif kwarg == "period_name":
            values[kwarg] = _open_period(deal).name
        elif kwarg == "pk":
            values[kwarg] = _pk_for(name, deal)
        elif kwarg == "programme_code":
            values[kwarg] = _object_project(deal).programme.code
        elif kwarg == "indicator_pk":
            values[kwarg] = Indicator.objects.filter(deal=deal, project=_object_project(deal)).order_by("pk").first().pk
        elif kwarg == "measurement_pk":
            values[kwarg] = (
                Measurement.objects.filter(indicator__deal=deal, indicator__project=_object_project(deal))
                .order_by("pk")
                .first()
                .pk
            )
        elif kwarg == "file_format":
            values[kwarg] = "xlsx"
        elif kwarg == "fmt":
            # The published PDF and the live PDF are the same pipeline; JSON keeps the matrix fast.
            values[kwarg] = "json"
        elif kwarg == "period_pk":
            values[kwarg] = _closed_period(deal).pk
        elif kwarg == "version":
            values[kwarg] = _published_version(deal)
        elif kwarg in ("uidb64", "token"):
            # A password reset link that is not (or no longer) valid: the page says so.
            values[kwarg] = {"uidb64": "MQ", "token": "verlopen-token"}[kwarg]
        elif kwarg == "uidb64":
            values[kwarg] = "MQ"  # a user id, but the token below is not valid for it
        elif kwarg == "token":
            values[kwarg] = "ongeldig-token"
        else:
            raise KeyError(f"Onbekend URL-argument {kwarg} in {name}: vul tests/permission_table.py aan")
    return values


EXPECTED: dict[str, dict[str, tuple[int, int]]] = {
    # Password reset by e-mail: open to everyone, the same answer for every address.
    "password_reset": {
        "anonymous": (200, 200),
        "coordinator": (200, 200),
        "tlm_own": (200, 200),
        "tlm_other": (200, 200),
        "kassier": (200, 200),
        "controller": (200, 200),
        "stuurgroep": (200, 200),
        "lead_own": (200, 200),
        "lead_other": (200, 200),
    },
    "password_reset_done": {
        "anonymous": (200, 405),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (200, 405),
        "lead_other": (200, 405),
    },
    "password_reset_confirm": {
        "anonymous": (200, 200),
        "coordinator": (200, 200),
        "tlm_own": (200, 200),
        "tlm_other": (200, 200),
        "kassier": (200, 200),
        "controller": (200, 200),
        "stuurgroep": (200, 200),
        "lead_own": (200, 200),
        "lead_other": (200, 200),
    },
    "password_reset_complete": {
        "anonymous": (200, 405),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (200, 405),
        "lead_other": (200, 405),
    },
    "projects:role-confirm": {
        "anonymous": (302, 302),
        "coordinator": (405, 302),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 403),
        "controller": (405, 403),
        "stuurgroep": (405, 403),
        "lead_own": (405, 403),
        "lead_other": (405, 403),
    },
    "projects:role-end": {
        "anonymous": (302, 302),
        "coordinator": (405, 302),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 403),
        "controller": (405, 403),
        "stuurgroep": (405, 403),
        "lead_own": (405, 403),
        "lead_other": (405, 403),
    },
    "projects:role-refuse": {
        "anonymous": (302, 302),
        "coordinator": (405, 302),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 403),
        "controller": (405, 403),
        "stuurgroep": (405, 403),
        "lead_own": (405, 403),
        "lead_other": (405, 403),
    },
    "projects:role-index": {
        "anonymous": (302, 302),
        "coordinator": (302, 405),
        "tlm_own": (403, 405),
        "tlm_other": (403, 405),
        "kassier": (403, 405),
        "controller": (403, 405),
        "stuurgroep": (403, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "projects:role-list": {
        "anonymous": (302, 302),
        "coordinator": (200, 200),
        "tlm_own": (403, 403),
        "tlm_other": (403, 403),
        "kassier": (403, 403),
        "controller": (403, 403),
        "stuurgroep": (403, 403),
        "lead_own": (403, 403),
        "lead_other": (403, 403),
    },
    "finance:budget-change": {
        "anonymous": (302, 302),
        "coordinator": (200, 200),
        "tlm_own": (403, 403),
        "tlm_other": (403, 403),
        "kassier": (403, 403),
        "controller": (403, 403),
        "stuurgroep": (403, 403),
        "lead_own": (403, 403),
        "lead_other": (403, 403),
    },
    "finance:decision-create": {
        "anonymous": (302, 302),
        "coordinator": (200, 200),
        "tlm_own": (403, 403),
        "tlm_other": (403, 403),
        "kassier": (403, 403),
        "controller": (403, 403),
        "stuurgroep": (403, 403),
        "lead_own": (403, 403),
        "lead_other": (403, 403),
    },
    "finance:decision-detail": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (403, 405),
        "tlm_other": (403, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:decision-document": {
        "anonymous": (302, 302),
        "coordinator": (404, 405),
        "tlm_own": (403, 405),
        "tlm_other": (403, 405),
        "kassier": (404, 405),
        "controller": (404, 405),
        "stuurgroep": (404, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:decision-list": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (403, 405),
        "tlm_other": (403, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:booking-correct": {
        "anonymous": (302, 302),
        "coordinator": (200, 200),
        "tlm_own": (403, 403),
        "tlm_other": (403, 403),
        "kassier": (403, 403),
        "controller": (403, 403),
        "stuurgroep": (403, 403),
        "lead_own": (403, 403),
        "lead_other": (403, 403),
    },
    "finance:booking-list": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:condition-document": {
        "anonymous": (302, 302),
        "coordinator": (404, 405),
        "tlm_own": (404, 405),
        "tlm_other": (404, 405),
        "kassier": (404, 405),
        "controller": (404, 405),
        "stuurgroep": (404, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:condition-types": {
        "anonymous": (302, 302),
        "coordinator": (200, 400),
        "tlm_own": (200, 403),
        "tlm_other": (200, 403),
        "kassier": (200, 403),
        "controller": (200, 403),
        "stuurgroep": (200, 403),
        "lead_own": (403, 403),
        "lead_other": (403, 403),
    },
    "finance:condition-waive": {
        "anonymous": (302, 302),
        "coordinator": (405, 400),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 403),
        "controller": (405, 403),
        "stuurgroep": (405, 403),
        "lead_own": (405, 403),
        "lead_other": (405, 404),
    },
    "finance:evidence-check": {
        "anonymous": (302, 302),
        "coordinator": (405, 403),
        "tlm_own": (405, 403),
        "tlm_other": (405, 404),
        "kassier": (405, 403),
        "controller": (405, 400),
        "stuurgroep": (405, 403),
        "lead_own": (405, 403),
        "lead_other": (405, 404),
    },
    "finance:evidence-document": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (404, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (200, 405),
        "lead_other": (404, 405),
    },
    "finance:evidence-supply": {
        "anonymous": (302, 302),
        "coordinator": (405, 400),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 400),
        "controller": (405, 403),
        "stuurgroep": (405, 403),
        "lead_own": (405, 400),
        "lead_other": (405, 404),
    },
    "finance:project-condition-add": {
        "anonymous": (302, 302),
        "coordinator": (405, 400),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 403),
        "controller": (405, 403),
        "stuurgroep": (405, 403),
        "lead_own": (405, 403),
        "lead_other": (405, 404),
    },
    "finance:project-conditions": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (403, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (200, 405),
        "lead_other": (404, 405),
    },
    "finance:deal-overview": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:expenditure-create": {
        "anonymous": (302, 302),
        "coordinator": (200, 200),
        "tlm_own": (200, 200),
        "tlm_other": (200, 200),
        "kassier": (403, 403),
        "controller": (403, 403),
        "stuurgroep": (403, 403),
        "lead_own": (403, 403),
        "lead_other": (403, 403),
    },
    "finance:findings": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (403, 405),
        "tlm_other": (403, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (403, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:findings-index": {
        "anonymous": (302, 302),
        "coordinator": (302, 405),
        "tlm_own": (403, 405),
        "tlm_other": (403, 405),
        "kassier": (302, 405),
        "controller": (302, 405),
        "stuurgroep": (403, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:index": {
        "anonymous": (302, 302),
        "coordinator": (302, 405),
        "tlm_own": (302, 405),
        "tlm_other": (302, 405),
        "kassier": (302, 405),
        "controller": (302, 405),
        "stuurgroep": (302, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:project-finance": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (403, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:tranche-approve": {
        "anonymous": (302, 302),
        "coordinator": (405, 403),
        "tlm_own": (405, 403),
        "tlm_other": (405, 404),
        "kassier": (405, 403),
        "controller": (405, 403),
        "stuurgroep": (405, 403),
        "lead_own": (405, 403),
        "lead_other": (405, 403),
    },
    "finance:tranche-detail": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (404, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:tranche-index": {
        "anonymous": (302, 302),
        "coordinator": (302, 405),
        "tlm_own": (403, 405),
        "tlm_other": (403, 405),
        "kassier": (302, 405),
        "controller": (302, 405),
        "stuurgroep": (302, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:tranche-list": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (403, 405),
        "tlm_other": (403, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:tranche-register": {
        "anonymous": (302, 302),
        "coordinator": (403, 403),
        "tlm_own": (403, 403),
        "tlm_other": (403, 403),
        "kassier": (200, 200),
        "controller": (403, 403),
        "stuurgroep": (403, 403),
        "lead_own": (403, 403),
        "lead_other": (403, 403),
    },
    "finance:tranche-reject": {
        "anonymous": (302, 302),
        "coordinator": (405, 403),
        "tlm_own": (405, 403),
        "tlm_other": (405, 404),
        "kassier": (405, 403),
        "controller": (405, 403),
        "stuurgroep": (405, 403),
        "lead_own": (405, 403),
        "lead_other": (405, 403),
    },
    "finance:import-batch-list": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (403, 405),
        "tlm_other": (403, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (403, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:import-batch-detail": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (403, 405),
        "tlm_other": (403, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (403, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    # POST sends no SHA-256 of the batch's page: the controller gets the page back (400), nothing is booked.
    "finance:import-batch-confirm": {
        "anonymous": (302, 302),
        "coordinator": (405, 403),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 403),
        "controller": (405, 400),
        "stuurgroep": (405, 403),
        "lead_own": (405, 403),
        "lead_other": (405, 403),
    },
    "finance:import-batch-reject": {
        "anonymous": (302, 302),
        "coordinator": (405, 403),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 403),
        "controller": (405, 400),
        "stuurgroep": (405, 403),
        "lead_own": (405, 403),
        "lead_other": (405, 403),
    },
    "finance:workbook-export": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (403, 405),
        "tlm_other": (403, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "finance:workbook-import": {
        "anonymous": (302, 302),
        "coordinator": (200, 200),
        "tlm_own": (403, 403),
        "tlm_other": (403, 403),
        "kassier": (403, 403),
        "controller": (403, 403),
        "stuurgroep": (403, 403),
        "lead_own": (403, 403),
        "lead_other": (403, 403),
    },
    "finance:workbook-import-confirm": {
        "anonymous": (302, 302),
        "coordinator": (405, 302),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 403),
        "controller": (405, 403),
        "stuurgroep": (405, 403),
        "lead_own": (405, 403),
        "lead_other": (405, 403),
    },
    "finance:workbook-template": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (200, 405),
        "lead_other": (200, 405),
    },
    "home": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (200, 405),
        "lead_other": (200, 405),
    },
    "login": {
        "anonymous": (200, 200),
        "coordinator": (302, 302),
        "tlm_own": (302, 302),
        "tlm_other": (302, 302),
        "kassier": (302, 302),
        "controller": (302, 302),
        "stuurgroep": (302, 302),
        "lead_own": (302, 302),
        "lead_other": (302, 302),
    },
    "logout": {
        "anonymous": (405, 302),
        "coordinator": (405, 302),
        "tlm_own": (405, 302),
        "tlm_other": (405, 302),
        "kassier": (405, 302),
        "controller": (405, 302),
        "stuurgroep": (405, 302),
        "lead_own": (405, 302),
        "lead_other": (405, 302),
    },
    "monitoring:deal-indicators": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (200, 405),
        "lead_other": (200, 405),
    },
    "monitoring:index": {
        "anonymous": (302, 302),
        "coordinator": (302, 405),
        "tlm_own": (302, 405),
        "tlm_other": (302, 405),
        "kassier": (302, 405),
        "controller": (302, 405),
        "stuurgroep": (302, 405),
        "lead_own": (302, 405),
        "lead_other": (302, 405),
    },
    "monitoring:measurement-approve": {
        "anonymous": (302, 302),
        "coordinator": (405, 403),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 403),
        "controller": (405, 403),
        "stuurgroep": (405, 403),
        "lead_own": (405, 403),
        "lead_other": (405, 404),
    },
    "monitoring:measurement-create": {
        "anonymous": (302, 302),
        "coordinator": (200, 200),
        "tlm_own": (200, 200),
        "tlm_other": (403, 403),
        "kassier": (403, 403),
        "controller": (403, 403),
        "stuurgroep": (403, 403),
        "lead_own": (403, 403),
        "lead_other": (404, 404),
    },
    "monitoring:measurement-export": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (200, 405),
        "lead_other": (200, 405),
    },
    "monitoring:measurement-import": {
        "anonymous": (302, 302),
        "coordinator": (200, 200),
        "tlm_own": (403, 403),
        "tlm_other": (403, 403),
        "kassier": (403, 403),
        "controller": (403, 403),
        "stuurgroep": (403, 403),
        "lead_own": (403, 403),
        "lead_other": (403, 403),
    },
    "monitoring:programme-indicators": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (200, 405),
        "lead_other": (200, 405),
    },
    "password_change": {
        "anonymous": (302, 302),
        "coordinator": (200, 200),
        "tlm_own": (200, 200),
        "tlm_other": (200, 200),
        "kassier": (200, 200),
        "controller": (200, 200),
        "stuurgroep": (200, 200),
        "lead_own": (200, 200),
        "lead_other": (200, 200),
    },
    "password_change_done": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (200, 405),
        "lead_other": (200, 405),
    },
    "projects:deal-detail": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (200, 405),
        "lead_other": (200, 405),
    },
    "projects:period-detail": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (403, 405),
        "controller": (403, 405),
        "stuurgroep": (403, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "projects:period-list": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (403, 405),
        "controller": (403, 405),
        "stuurgroep": (403, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "projects:project-detail": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (200, 405),
        "lead_other": (404, 405),
    },
    "projects:report-approve": {
        "anonymous": (302, 302),
        "coordinator": (405, 302),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 403),
        "controller": (405, 403),
        "stuurgroep": (405, 403),
        "lead_own": (405, 403),
        "lead_other": (405, 404),
    },
    "projects:report-correct": {
        "anonymous": (302, 302),
        "coordinator": (405, 403),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 404),
        "controller": (405, 404),
        "stuurgroep": (405, 404),
        "lead_own": (405, 403),
        "lead_other": (405, 404),
    },
    "projects:report-detail": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (404, 405),
        "controller": (404, 405),
        "stuurgroep": (404, 405),
        "lead_own": (200, 405),
        "lead_other": (404, 405),
    },
    "projects:report-edit": {
        "anonymous": (302, 302),
        "coordinator": (403, 403),
        "tlm_own": (403, 403),
        "tlm_other": (403, 403),
        "kassier": (404, 404),
        "controller": (404, 404),
        "stuurgroep": (404, 404),
        "lead_own": (403, 403),
        "lead_other": (404, 404),
    },
    "projects:report-history": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (404, 405),
        "controller": (404, 405),
        "stuurgroep": (404, 405),
        "lead_own": (200, 405),
        "lead_other": (404, 405),
    },
    "projects:report-list": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (200, 405),
        "lead_other": (200, 405),
    },
    "projects:report-return": {
        "anonymous": (302, 302),
        "coordinator": (405, 400),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 404),
        "controller": (405, 404),
        "stuurgroep": (405, 404),
        "lead_own": (405, 403),
        "lead_other": (405, 404),
    },
    "projects:report-start": {
        "anonymous": (302, 302),
        "coordinator": (405, 302),
        "tlm_own": (405, 302),
        "tlm_other": (405, 403),
        "kassier": (405, 403),
        "controller": (405, 403),
        "stuurgroep": (405, 403),
        "lead_own": (405, 302),
        "lead_other": (405, 404),
    },
    "projects:report-submit": {
        "anonymous": (302, 302),
        "coordinator": (405, 403),
        "tlm_own": (405, 403),
        "tlm_other": (405, 403),
        "kassier": (405, 404),
        "controller": (405, 404),
        "stuurgroep": (405, 404),
        "lead_own": (405, 403),
        "lead_other": (405, 404),
    },
    "reports:index": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "reports:publish": {
        "anonymous": (302, 302),
        "coordinator": (200, 200),
        "tlm_own": (403, 403),
        "tlm_other": (403, 403),
        "kassier": (403, 403),
        "controller": (403, 403),
        "stuurgroep": (403, 403),
        "lead_own": (403, 403),
        "lead_other": (403, 403),
    },
    "reports:published-download": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "reports:published-list": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "reports:report-detail": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "reports:report-export": {
        "anonymous": (302, 302),
        "coordinator": (200, 405),
        "tlm_own": (200, 405),
        "tlm_other": (200, 405),
        "kassier": (200, 405),
        "controller": (200, 405),
        "stuurgroep": (200, 405),
        "lead_own": (403, 405),
        "lead_other": (403, 405),
    },
    "reports:text-edit": {
        "anonymous": (302, 302),
        "coordinator": (200, 200),
        "tlm_own": (403, 403),
        "tlm_other": (403, 403),
        "kassier": (403, 403),
        "controller": (403, 403),
        "stuurgroep": (403, 403),
        "lead_own": (403, 403),
        "lead_other": (403, 403),
    },
}
for _module in FEATURE_TABLES:
    EXPECTED.update(_module.EXPECTED)
