"""Kills the mutants of reports/services.py that the suite let live (docs/mutation-testing.md)."""

import hashlib
import json
import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, connections
from django.utils import timezone

from finance.models import Booking, Tranche
from monitoring.models import Indicator, Measurement
from projects.models import Deal, GovernanceMember, Organisation, ProgressReport, ReportingPeriod
from reports import exports, services
from reports.models import LivePdf, PublishedReport, ReportText
from reports.services import (
    PublicationDamaged,
    data_version,
    live_pdf,
    published_file,
    report_publish,
    report_text_save,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(monkeypatch):
    """WeasyPrint's stand-in: records what it was given and returns bytes that say so."""
    calls = []

    def build(data):
        calls.append(data)
        return f"%PDF-nep {data.deal.code} {data.as_of:%Y-%m-%d} {data.version_label}".encode()

    monkeypatch.setattr(exports, "pdf_bytes", build)
    return calls


@pytest.fixture
def first_half(deal) -> ReportingPeriod:
    return ReportingPeriod.objects.get(deal=deal, name="2022-1")


@pytest.fixture
def second_half(deal) -> ReportingPeriod:
    return ReportingPeriod.objects.get(deal=deal, name="2022-2")


@pytest.fixture
def other_deal(db) -> Deal:
    return Deal.objects.get(code="circulair")


def test_the_texts_of_a_report_are_kept_per_deal_and_period(deal, coordinator, first_half, second_half):
    demo_text = ReportText.objects.get(deal=deal, period=first_half)
    demo_foreword = demo_text.foreword
    saved = report_text_save(
        deal=deal, period=second_half, user=coordinator, foreword="Voorwoord", summary="Samenvatting", lessons="Les"
    )
    saved.refresh_from_db()
    assert (saved.deal, saved.period, saved.foreword, saved.summary, saved.lessons, saved.updated_by) == (
        deal,
        second_half,
        "Voorwoord",
        "Samenvatting",
        "Les",
        coordinator,
    )
    again = report_text_save(
        deal=deal, period=second_half, user=coordinator, foreword="Nieuw voorwoord", summary="", lessons=""
    )
    assert (again.pk, again.foreword) == (saved.pk, "Nieuw voorwoord")
    assert ReportText.objects.filter(deal=deal).count() == 2
    demo_text.refresh_from_db()
    assert (demo_text.period, demo_text.foreword) == (first_half, demo_foreword)


def test_a_period_of_another_deal_never_reaches_that_deals_texts(deal, coordinator, other_deal):
    other_period = ReportingPeriod.objects.get(deal=other_deal, name="2020-1")
    theirs = report_text_save(
        deal=other_deal,
        period=other_period,
        user=User.objects.get(username="coordinator_b"),
        foreword="Van deal B",
        summary="",
        lessons="",
    )
    with pytest.raises(ValidationError) as caught:
        report_text_save(
            deal=deal, period=other_period, user=coordinator, foreword="Van Cleantech", summary="", lessons=""
        )
    assert caught.value.message_dict == {"period": ["De periode hoort bij een andere deal."]}
    theirs.refresh_from_db()
    assert (theirs.deal, theirs.foreword) == (other_deal, "Van deal B")


def test_publishing_freezes_the_next_version_of_the_deal_with_its_files_and_checksums(
    deal, other_deal, coordinator, first_half, second_half, built
):
    # The ijkdatum of the second half with the first half asked for: the period is the one asked for.
    as_of = second_half.reference_date
    first = report_publish(deal=deal, as_of=as_of, period=first_half, user=coordinator)
    assert (first.deal, first.period, first.version, first.as_of, first.note, first.published_by) == (
        deal,
        first_half,
        1,
        as_of,
        "",
        coordinator,
    )
    pdf, snapshot = bytes(first.pdf), bytes(first.json)
    assert pdf == f"%PDF-nep cleantech {as_of:%Y-%m-%d} 1, gepubliceerd".encode()
    assert (first.pdf_sha256, first.json_sha256) == (
        hashlib.sha256(pdf).hexdigest(),
        hashlib.sha256(snapshot).hexdigest(),
    )
    content = json.loads(snapshot)
    assert (content["deal"]["code"], content["as_of"], content["periode"]) == (
        "cleantech",
        as_of.isoformat(),
        "periode 2022-1",
    )
    assert (built[-1].period, built[-1].has_previous) == (first_half, False)

    second = report_publish(deal=deal, as_of=as_of, period=first_half, user=coordinator, note="Stuurgroep 12-10")
    assert (second.version, second.note, built[-1].has_previous) == (2, "Stuurgroep 12-10", True)
    # Version numbers count per deal.
    theirs = report_publish(
        deal=other_deal,
        as_of=other_deal.default_reference_date,
        period=None,
        user=User.objects.get(username="coordinator_b"),
    )
    assert (theirs.deal, theirs.version) == (other_deal, 1)
    third = report_publish(deal=deal, as_of=as_of, period=first_half, user=coordinator)
    assert third.version == 3
    assert list(PublishedReport.objects.filter(deal=deal).order_by("version").values_list("version", flat=True)) == [
        1,
        2,
        3,
    ]


@pytest.mark.postgres
def test_publishing_waits_for_the_deal_row_so_two_publications_never_take_one_number(deal, coordinator, built):
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            # Another publication holds the deal row. NO KEY UPDATE: the foreign key of a new
            # PublishedReport (KEY SHARE) still passes, only report_publish's own lock waits.
            cursor.execute("SELECT id FROM projects_deal WHERE id = %s FOR NO KEY UPDATE", [deal.pk])
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '300ms'")
        with pytest.raises(OperationalError):
            report_publish(deal=deal, as_of=deal.default_reference_date, period=None, user=coordinator)
    finally:
        other.rollback()
        other.close()
    assert not PublishedReport.objects.filter(deal=deal).exists()


def test_a_published_file_is_handed_out_only_while_it_matches_its_checksum(
    deal, coordinator, first_half, built, caplog
):
    as_of = first_half.reference_date
    published = report_publish(deal=deal, as_of=as_of, period=first_half, user=coordinator)
    pdf, snapshot = bytes(published.pdf), bytes(published.json)
    assert published_file(published=published, fmt="pdf") == (pdf, hashlib.sha256(pdf).hexdigest())
    assert published_file(published=published, fmt="json") == (snapshot, hashlib.sha256(snapshot).hexdigest())

    for fmt, field, intact in [("pdf", "pdf", ("json", snapshot)), ("json", "json", ("pdf", pdf))]:
        PublishedReport.objects.filter(pk=published.pk).update(**{field: b"vervalst"})
        damaged = PublishedReport.objects.get(pk=published.pk)
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="reports.services"), pytest.raises(PublicationDamaged) as caught:
            published_file(published=damaged, fmt=fmt)
        assert str(caught.value) == (
            f"Het {fmt.upper()}-bestand van versie 1 is niet meer hetzelfde als bij publicatie: de opgeslagen "
            "inhoud klopt niet met de vastgelegde SHA-256-controlesom. Het wordt daarom niet geleverd. Meld dit "
            "aan de beheerder van het portaal; publiceer zo nodig een nieuwe versie."
        )
        assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
            (
                "reports.services",
                "ERROR",
                f"Gepubliceerde rapportage cleantech versie 1 (ijkdatum {as_of:%d-%m-%Y}) ({fmt}) komt niet "
                "overeen met de vastgelegde SHA-256",
            )
        ]
        # The other file of the version is intact and still handed out.
        other_fmt, other_content = intact
        assert published_file(published=damaged, fmt=other_fmt) == (
            other_content,
            hashlib.sha256(other_content).hexdigest(),
        )
        PublishedReport.objects.filter(pk=published.pk).update(**{field: pdf if field == "pdf" else snapshot})


def test_the_live_pdf_replaces_only_its_own_older_version(
    deal, other_deal, coordinator, first_half, second_half, built
):
    as_of = first_half.reference_date
    kept = [
        live_pdf(deal=other_deal, as_of=as_of, period=None)[0],
        live_pdf(deal=deal, as_of=second_half.reference_date, period=None)[0],
        live_pdf(deal=deal, as_of=as_of, period=second_half)[0],
    ]
    stored, built_now = live_pdf(deal=deal, as_of=as_of, period=None)
    assert built_now is True
    assert bytes(stored.pdf) == f"%PDF-nep cleantech {as_of:%Y-%m-%d} actuele stand (niet gepubliceerd)".encode()
    report_text_save(deal=deal, period=first_half, user=coordinator, foreword="Nieuw", summary="", lessons="")
    newer, built_now = live_pdf(deal=deal, as_of=as_of, period=None)
    assert built_now is True and newer.pk != stored.pk
    assert list(LivePdf.objects.filter(deal=deal, as_of=as_of, period=None).values_list("pk", flat=True)) == [newer.pk]
    assert set(LivePdf.objects.filter(pk__in=[k.pk for k in kept]).values_list("pk", flat=True)) == {k.pk for k in kept}


def test_the_live_pdf_of_a_period_is_built_for_that_period_and_then_served(
    deal, coordinator, first_half, second_half, built
):
    # The ijkdatum of the second half with the first half asked for.
    as_of = second_half.reference_date
    report_publish(deal=deal, as_of=as_of, period=first_half, user=coordinator)
    at_end_of_year, built_now = live_pdf(deal=deal, as_of=as_of, period=None)
    stored, built_now = live_pdf(deal=deal, as_of=as_of, period=first_half)
    assert (built_now, stored.deal, stored.as_of, stored.period) == (True, deal, as_of, first_half)
    # Built from the data of that period, marked against the latest published version.
    assert (built[-1].period, built[-1].has_previous) == (first_half, True)
    assert stored.data_version == data_version(deal=deal, as_of=as_of, period=first_half)
    served, built_now = live_pdf(deal=deal, as_of=as_of, period=first_half)
    assert (served.pk, built_now, len(built)) == (stored.pk, False, 3)
    report_text_save(deal=deal, period=first_half, user=coordinator, foreword="Nieuw", summary="", lessons="")
    newer, built_now = live_pdf(deal=deal, as_of=as_of, period=first_half)
    assert built_now is True
    assert list(LivePdf.objects.filter(deal=deal, as_of=as_of).order_by("pk").values_list("pk", flat=True)) == [
        at_end_of_year.pk,
        newer.pk,
    ]


def test_the_live_pdf_records_its_build_time_in_hundredths_of_a_second(deal, first_half, built, monkeypatch):
    clock = iter([100.0, 101.2349])
    monkeypatch.setattr(services.time, "monotonic", lambda: next(clock))
    stored, _ = live_pdf(deal=deal, as_of=first_half.reference_date, period=first_half)
    stored.refresh_from_db()
    # 1.2349 s: 1.23 rounded to hundredths (rounded to thousandths first it would become 1.24).
    assert stored.build_seconds == Decimal("1.23")


@pytest.mark.postgres
def test_a_live_pdf_built_at_the_same_moment_by_another_request_is_the_one_served(
    deal, coordinator, first_half, built, monkeypatch
):
    as_of = first_half.reference_date
    outdated, _ = live_pdf(deal=deal, as_of=as_of, period=first_half)
    # A change only this test's transaction knows: no other test can ever ask for this data version.
    report_text_save(deal=deal, period=first_half, user=coordinator, foreword="Nieuw", summary="", lessons="")
    version = data_version(deal=deal, as_of=as_of, period=first_half)
    other = connections.create_connection("default")
    competitor = []
    create = LivePdf.objects.create

    def create_after_the_other_request(**fields):
        with other.cursor() as cursor:
            cursor.execute(
                "INSERT INTO reports_livepdf (deal_id, as_of, period_id, data_version, pdf, built_at, build_seconds) "
                "VALUES (%s, %s, %s, %s, %s, now(), 9.99) RETURNING id",
                [deal.pk, as_of, first_half.pk, version, b"%PDF-ander verzoek"],
            )
            competitor.append(cursor.fetchone()[0])
        return create(**fields)

    monkeypatch.setattr(LivePdf.objects, "create", create_after_the_other_request)
    try:
        stored, built_now = live_pdf(deal=deal, as_of=as_of, period=first_half)
        assert (stored.pk, bytes(stored.pdf), built_now) == (competitor[0], b"%PDF-ander verzoek", True)
        # Our transaction rolled back: the outdated PDF is still there next to the other request's.
        assert LivePdf.objects.filter(pk=outdated.pk).exists()
    finally:
        with other.cursor() as cursor:
            cursor.execute("DELETE FROM reports_livepdf WHERE id = ANY(%s)", [competitor])
        other.close()


def _saved(obj, **changes):
    for field, value in changes.items():
        setattr(obj, field, value)
    obj.save()


def _governance(deal, **changes):
    _saved(GovernanceMember.objects.filter(deal=deal).order_by("pk").first(), **changes)


def _one_further_back(deal):
    # The last member moves one place further back and stays last: only the number itself changes.
    last = GovernanceMember.objects.filter(deal=deal).order_by("body", "order", "name").last()
    _saved(last, order=last.order + 1)


# One change of each thing the report shows; each must give the deal's report a new data version.
CHANGES = {
    "boeking": lambda deal: Booking.objects.create(
        deal=deal,
        project=deal.projects.order_by("code").first(),
        funder=deal.funders.order_by("pk").first(),
        kind=Booking.Kind.PAYOUT,
        amount=Decimal("1.00"),
        date=deal.start,
    ),
    "financier": lambda deal: _saved(deal.funders.order_by("pk").first(), name="Andere financier"),
    "project": lambda deal: _saved(deal.projects.order_by("code").first(), name="Andere naam"),
    "deal": lambda deal: _saved(deal, name="Andere deal"),
    "verslag": lambda deal: _saved(ProgressReport.objects.filter(project__deal=deal).order_by("pk").first()),
    "indicator": lambda deal: _saved(Indicator.objects.filter(deal=deal).order_by("pk").first()),
    "meting": lambda deal: _saved(Measurement.objects.filter(indicator__deal=deal).order_by("pk").first()),
    "teksten": lambda deal: _saved(ReportText.objects.filter(deal=deal).first(), foreword="Ander voorwoord"),
    "actielijn": lambda deal: _saved(deal.action_lines.order_by("pk").first(), name="Andere actielijn"),
    "programma": lambda deal: _saved(deal.programmes.order_by("pk").first(), name="Ander programma"),
    "tranche": lambda deal: _saved(Tranche.objects.filter(project__deal=deal).order_by("pk").first(), note="Nagekeken"),
    "governance orgaan": lambda deal: _governance(deal, body=GovernanceMember.Body.KASSIER),
    "governance naam": lambda deal: _governance(deal, name="Iemand anders"),
    "governance organisatie": lambda deal: _governance(deal, organisation="Andere organisatie"),
    "governance rol": lambda deal: _governance(deal, role="Andere rol"),
    "governance volgorde": lambda deal: _one_further_back(deal),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_the_data_version_changes_with_anything_the_report_shows(deal, change):
    before = data_version(deal=deal, as_of=deal.default_reference_date, period=None)
    change(deal)
    assert data_version(deal=deal, as_of=deal.default_reference_date, period=None) != before


def test_the_data_version_changes_with_the_organisations_the_report_names(deal):
    # Organisations keep no history: their names and kinds are the mark (penvoerders, partners, funders).
    partner = Organisation.objects.create(name="Partner BV", kind=Organisation.Kind.COMPANY)
    deal.projects.get(code="1310").partners.add(partner)
    funds = Organisation.objects.create(name="Provincie", kind=Organisation.Kind.PROVINCE)
    _saved(deal.funders.order_by("pk").first(), organisation=funds)
    lead = deal.projects.get(code="2350").lead_organisation
    for organisation, changes in [
        (partner, {"name": "Partner NV"}),
        (funds, {"name": "Provincie Gelderland"}),
        (lead, {"kind": Organisation.Kind.MUNICIPALITY}),
    ]:
        before = data_version(deal=deal, as_of=deal.default_reference_date, period=None)
        _saved(organisation, **changes)
        assert data_version(deal=deal, as_of=deal.default_reference_date, period=None) != before


def test_a_booking_numbered_last_but_stamped_earlier_still_gives_a_new_data_version(deal, monkeypatch):
    # Two bookings at the same moment: the one that read the clock first can be written last,
    # with the highest number but not the latest time.
    def payout():
        return CHANGES["boeking"](deal)

    newest = payout()
    before = data_version(deal=deal, as_of=deal.default_reference_date, period=None)
    monkeypatch.setattr(timezone, "now", lambda: newest.created_at - timedelta(seconds=1))
    late = payout()
    monkeypatch.undo()
    assert (late.pk > newest.pk, late.created_at < newest.created_at) == (True, True)
    assert data_version(deal=deal, as_of=deal.default_reference_date, period=None) != before


def test_a_booking_committed_late_below_the_highest_number_still_gives_a_new_data_version(deal):
    # A booking takes its number when it is written, not when it commits: a transaction that wrote
    # first can commit after a later one, below the highest number already seen (a free lower
    # number here stands in for that) but with a later time.
    CHANGES["boeking"](deal)
    before = data_version(deal=deal, as_of=deal.default_reference_date, period=None)
    late = Booking(
        pk=Booking.objects.order_by("pk").first().pk - 1,
        deal=deal,
        project=deal.projects.order_by("code").first(),
        funder=deal.funders.order_by("pk").first(),
        kind=Booking.Kind.PAYOUT,
        amount=Decimal("1.00"),
        date=deal.start,
    )
    Booking.objects.bulk_create([late])
    assert data_version(deal=deal, as_of=deal.default_reference_date, period=None) != before


def test_a_publication_gives_only_its_own_deal_a_new_data_version(deal, other_deal, coordinator, built):
    def version():
        return data_version(deal=deal, as_of=deal.default_reference_date, period=None)

    before = version()
    report_publish(
        deal=other_deal,
        as_of=other_deal.default_reference_date,
        period=None,
        user=User.objects.get(username="coordinator_b"),
    )
    assert version() == before
    report_publish(deal=deal, as_of=deal.default_reference_date, period=None, user=coordinator)
    assert version() != before
