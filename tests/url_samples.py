"""A sample object for every URL argument of every URL pattern, for any deal: the URL sweeps
(tests/test_two_deals.py, tests/test_query_fuzz.py) use them to reach each page of a deal.

The samples are named for the demo deal (cleantech); another deal gets its own equivalents:
the first project that has a penvoerder, its last and first period, and the first holder of
each role in that deal. The permission matrix itself prepares its objects in tests/matrix/.
"""

import datetime
from decimal import Decimal

from django.urls import URLPattern, URLResolver, get_resolver

from finance.models import Booking, Tranche
from monitoring.models import Indicator, Measurement
from projects import roles
from projects.models import Deal, Project, ReportingPeriod

OBJECT_PROJECT = "1310"
OPEN_PERIOD = "2022-2"
CLOSED_PERIOD = "2022-1"


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
    if name == "finance:voucher-status":
        return _sample_voucher(deal).pk
    if name.startswith("finance:cofinancing-") and name != "finance:cofinancing-pledge":
        return _sample_pledge(deal).pk
    raise KeyError(f"Geen voorbeeldobject voor {name}: vul tests/url_samples.py aan")


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
            raise KeyError(f"Onbekend URL-argument {kwarg} in {name}: vul tests/url_samples.py aan")
    return values


SAMPLE_REFERENCE = "MATRIX-VOUCHER"


def _sample_voucher(deal: Deal):
    """A requested voucher on the deal's sample project (1310 in cleantech), made a voucher scheme for it."""
    from finance.models_vouchers import Voucher

    project = _object_project(deal)
    if not project.is_voucher_scheme:
        type(project).objects.filter(pk=project.pk).update(is_voucher_scheme=True)
    voucher = Voucher.objects.filter(project=project, reference=SAMPLE_REFERENCE).first()
    return voucher or Voucher.objects.create(
        project=project, recipient="Matrix BV", date=deal.start, amount=1, reference=SAMPLE_REFERENCE
    )


def _sample_pledge(deal: Deal):
    """A pledge with an evidence document on the sample project, entered by the deal's coordinator."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from finance.models import DirectCoFinancing, Funder
    from projects import roles

    project = _object_project(deal)
    found = DirectCoFinancing.objects.filter(project=project, status="toegezegd").order_by("pk").first()
    if found:
        return found
    name = "cofinanciering/matrix/toezegging.pdf"  # one stable file, so repeated runs leave nothing behind
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"%PDF-1.4 matrix"))
    return DirectCoFinancing.objects.create(
        project=project,
        funder=Funder.objects.filter(deal=deal).exclude(category="rijk").order_by("order").first(),
        amount=Decimal("1000.00"),
        pledged_on=deal.start + datetime.timedelta(days=30),
        evidence_document=name,
        created_by=_member(deal, roles.COORDINATOR),
    )


ADMIN_NAMESPACE = "admin"


def iter_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def project_url_names() -> list[tuple[str, list[str]]]:
    """(url name, its keyword arguments) for every named pattern outside the admin."""
    seen = {}
    for name, pattern in iter_patterns():
        if name.startswith(f"{ADMIN_NAMESPACE}:"):
            continue
        seen.setdefault(name, sorted(pattern.pattern.regex.groupindex))
    return sorted(seen.items())
