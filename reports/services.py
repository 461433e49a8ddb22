"""Writes of the reports app: the coördinator's texts, publishing a version, building the live PDF."""

import hashlib
import json
import logging
import time
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from finance.models import Booking, DirectCoFinancing, Funder, Tranche, Voucher
from finance.models_pending import PendingAmount
from finance.models_years import Rollover, YearPlan
from monitoring.models import Indicator, Measurement
from projects.models import (
    ActionLine,
    Deal,
    GovernanceMember,
    Organisation,
    Programme,
    ProgressReport,
    Project,
    ReportingPeriod,
)
from reports import exports
from reports.changes import apply_changes
from reports.jsonformat import report_json
from reports.models import LivePdf, PublishedReport, ReportText, sha256
from reports.selectors import ReportData, report_data

logger = logging.getLogger(__name__)


def report_text_save(
    *, deal: Deal, period: ReportingPeriod, user: User, foreword: str, summary: str, lessons: str
) -> ReportText:
    with transaction.atomic():
        text = ReportText.objects.select_for_update().filter(deal=deal, period=period).first()
        if text is None:
            text = ReportText(deal=deal, period=period)
        text.foreword, text.summary, text.lessons, text.updated_by = foreword, summary, lessons, user
        text.full_clean()
        text.save()
        return text


class PublicationDamaged(Exception):
    """The stored bytes of a published version no longer match the SHA-256 recorded at publication."""


def published_file(*, published: PublishedReport, fmt: str) -> tuple[bytes, str]:
    """The PDF or JSON of a published version with its SHA-256, checked against the record.

    A published version is what the stuurgroep received: a file whose bytes changed since
    (a restored backup, a manual edit in the database) is never handed out as that version.
    """
    content = bytes(published.pdf if fmt == "pdf" else published.json)
    recorded = published.pdf_sha256 if fmt == "pdf" else published.json_sha256
    if sha256(content) != recorded:
        logger.error("Gepubliceerde rapportage %s (%s) komt niet overeen met de vastgelegde SHA-256", published, fmt)
        raise PublicationDamaged(
            f"Het {fmt.upper()}-bestand van versie {published.version} is niet meer hetzelfde als bij publicatie: "
            "de opgeslagen inhoud klopt niet met de vastgelegde SHA-256-controlesom. Het wordt daarom niet "
            "geleverd. Meld dit aan de beheerder van het portaal; publiceer zo nodig een nieuwe versie."
        )
    return content, recorded


def latest_published(*, deal: Deal) -> PublishedReport | None:
    return PublishedReport.objects.filter(deal=deal).order_by("-version").first()


def with_changes(data: ReportData, *, previous: PublishedReport | None) -> ReportData:
    """Mark each table row with its change since the previous published version (if any)."""
    if previous is not None:
        apply_changes(data, json.loads(bytes(previous.json)), report_json(data))
    return data


def report_publish(
    *, deal: Deal, as_of: date, period: ReportingPeriod | None, user: User, note: str = ""
) -> PublishedReport:
    """Freeze the report as it stands: PDF and JSON snapshot with their SHA-256, the next version number."""
    # Lock the deal row so that two coördinators publishing at once cannot take the same number.
    with transaction.atomic():
        Deal.objects.select_for_update().filter(pk=deal.pk).first()
        previous = latest_published(deal=deal)
        data = with_changes(report_data(deal=deal, as_of=as_of, period=period), previous=previous)
        version = (previous.version if previous else 0) + 1
        data.version_label = f"{version}, gepubliceerd"
        json_content = exports.json_bytes(data)
        pdf_content = exports.pdf_bytes(data)
        published = PublishedReport(
            deal=deal,
            period=data.period,
            version=version,
            as_of=as_of,
            note=note,
            published_by=user,
            pdf=pdf_content,
            pdf_sha256=sha256(pdf_content),
            json=json_content,
            json_sha256=sha256(json_content),
        )
        published.full_clean()
        published.save()
        return published


def data_version(*, deal: Deal, as_of: date, period: ReportingPeriod | None) -> str:
    """A fingerprint of everything the report shows: changes when any booking, verslag, meting,
    text or structure changes, so a stored PDF is reused exactly as long as it is still right."""
    marks = [
        deal.pk,
        as_of.isoformat(),
        period.pk if period else None,
        # The findings appendix counts days (tranches waiting > 14 days, projects past their end),
        # so a stored PDF is good for one day at most.
        timezone.localdate().isoformat(),
        # The count too: a row that commits after one with a higher id or a later timestamp moves
        # neither maximum, but every table here only grows, so its count always moves.
        Booking.objects.filter(deal=deal).aggregate(m=Max("id"), t=Max("created_at"), n=Count("id")),
        Funder.history.filter(deal_id=deal.pk).aggregate(m=Max("history_date"), n=Count("pk")),
        Project.history.filter(deal_id=deal.pk).aggregate(m=Max("history_date"), n=Count("pk")),
        Deal.history.filter(id=deal.pk).aggregate(m=Max("history_date"), n=Count("pk")),
        ProgressReport.history.filter(project__deal=deal).aggregate(m=Max("history_date"), n=Count("pk")),
        Indicator.history.filter(deal_id=deal.pk).aggregate(m=Max("history_date"), n=Count("pk")),
        Measurement.history.filter(indicator__deal=deal).aggregate(m=Max("history_date"), n=Count("pk")),
        ReportText.history.filter(deal_id=deal.pk).aggregate(m=Max("history_date"), n=Count("pk")),
        ActionLine.history.filter(deal_id=deal.pk).aggregate(m=Max("history_date"), n=Count("pk")),
        Programme.history.filter(deal_id=deal.pk).aggregate(m=Max("history_date"), n=Count("pk")),
        # Registering or rejecting a tranche books nothing, but it changes the findings appendix.
        Tranche.history.filter(project__deal=deal).aggregate(m=Max("history_date"), n=Count("pk")),
        # The fact sheets of voucher schemes count vouchers per status.
        Voucher.history.filter(project__deal=deal).aggregate(m=Max("history_date"), n=Count("pk")),
        # Co-financing paid to projects directly is on their fact sheets (pledged, realised).
        DirectCoFinancing.history.filter(project__deal=deal).aggregate(m=Max("history_date"), n=Count("pk")),
        # Section 2.4 shows the year plans and the rollovers between years.
        YearPlan.history.filter(project__deal=deal).aggregate(m=Max("history_date"), n=Count("pk")),
        Rollover.history.filter(project__deal=deal).aggregate(m=Max("history_date"), n=Count("pk")),
        # Tabel 1, its note and the fact sheets name the amounts "nog te bepalen".
        PendingAmount.history.filter(deal_id=deal.pk).aggregate(m=Max("history_date"), n=Count("pk")),
        # Governance has no history table; it is a handful of rows, so its content is the mark.
        list(GovernanceMember.objects.filter(deal=deal).values_list("body", "name", "organisation", "role", "order")),
        # Organisations have no history table either: the report prints the names of the
        # penvoerders, partners, kassier and funders' organisations, so those are the mark.
        list(
            Organisation.objects.filter(
                Q(led_projects__deal=deal)
                | Q(partner_projects__deal=deal)
                | Q(funder__deal=deal)
                | Q(deals_as_kassier=deal)
            )
            .distinct()
            .order_by("pk")
            .values_list("pk", "name", "kind")
        ),
        PublishedReport.objects.filter(deal=deal).aggregate(m=Max("version")),
    ]
    return hashlib.sha256(repr(marks).encode()).hexdigest()


def live_pdf(*, deal: Deal, as_of: date, period: ReportingPeriod | None) -> tuple[LivePdf, bool]:
    """The PDF of the live report: from storage if this data version was built before, else built now.

    Returns (stored pdf, built now?).
    """
    version = data_version(deal=deal, as_of=as_of, period=period)
    stored = LivePdf.objects.filter(deal=deal, as_of=as_of, period=period, data_version=version).first()
    if stored is not None:
        return stored, False
    started = time.monotonic()
    data = with_changes(report_data(deal=deal, as_of=as_of, period=period), previous=latest_published(deal=deal))
    data.version_label = "actuele stand (niet gepubliceerd)"
    content = exports.pdf_bytes(data)
    seconds = Decimal(str(round(time.monotonic() - started, 2)))
    try:
        with transaction.atomic():
            # Older PDFs of this deal and ijkdatum are out of date now; keep only the newest.
            LivePdf.objects.filter(deal=deal, as_of=as_of, period=period).delete()
            stored = LivePdf.objects.create(
                deal=deal, as_of=as_of, period=period, data_version=version, pdf=content, build_seconds=seconds
            )
    except IntegrityError:
        # Built at the same moment by another request: use that one.
        stored = LivePdf.objects.get(deal=deal, as_of=as_of, period=period, data_version=version)
    return stored, True
