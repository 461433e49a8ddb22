"""A published version is handed out exactly as it was stored, whatever the live data does since."""

import hashlib
from datetime import date
from decimal import Decimal

from django.urls import reverse

from finance.models import Booking, Funder
from reports import exports, pdf
from reports.models import PublishedReport
from reports.services import report_publish

AS_OF = date(2022, 7, 1)
STORED_PDF = b"%PDF-1.7 versie zoals de stuurgroep haar kreeg"


def _payout(deal, amount: str) -> Booking:
    # Live data changes after publication: a new uitkering dated before the ijkdatum.
    return Booking.objects.create(
        deal=deal,
        project=deal.projects.get(code="1110"),
        funder=Funder.objects.get(deal=deal, name="Rijk"),
        kind=Booking.Kind.PAYOUT,
        amount=Decimal(amount),
        date=date(2022, 6, 30),
    )


def _download(client, deal, version):
    return client.get(reverse("reports:published-download", args=[deal.code, version, "pdf"]))


def test_published_pdf_is_served_from_the_stored_bytes_after_live_data_changed(deal, coordinator, period, client_for):
    published = report_publish(deal=deal, as_of=AS_OF, period=period, user=coordinator)
    stored = bytes(PublishedReport.objects.get(pk=published.pk).pdf)
    assert stored.startswith(b"%PDF")

    _payout(deal, "50000.00")
    response = _download(client_for(coordinator), deal, published.version)

    assert response.status_code == 200
    assert response.content == stored
    assert response["X-Content-SHA256"] == hashlib.sha256(stored).hexdigest() == published.pdf_sha256


def test_published_pdf_download_never_builds_a_pdf(deal, coordinator, steering, period, client_for, monkeypatch):
    # Publish with a known stand-in PDF, so the expected bytes and checksum are fixed by hand.
    monkeypatch.setattr(exports, "pdf_bytes", lambda data: STORED_PDF)
    published = report_publish(deal=deal, as_of=AS_OF, period=period, user=coordinator)
    assert published.pdf_sha256 == hashlib.sha256(STORED_PDF).hexdigest()

    # From here on any PDF build, through the exports or straight through WeasyPrint, is a bug.
    def no_build(*args, **kwargs):
        raise AssertionError("a published version was rebuilt instead of served from storage")

    monkeypatch.setattr(exports, "pdf_bytes", no_build)
    monkeypatch.setattr(pdf, "HTML", no_build)
    _payout(deal, "1234.00")

    response = _download(client_for(steering), deal, published.version)

    assert response.status_code == 200
    assert response.content == STORED_PDF
    assert response["X-Content-SHA256"] == hashlib.sha256(STORED_PDF).hexdigest()
    assert response["Content-Type"] == "application/pdf"
