"""Published versions are frozen; the live PDF is built once per data version; the command's formats."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from finance.models import Booking, Funder
from reports import exports
from reports.models import LivePdf, PublishedReport, sha256
from reports.pdf import StaticFilesURLFetcher
from reports.services import live_pdf, report_publish

AS_OF = date(2022, 7, 1)


def _payout(deal, amount="1000.00"):
    return Booking.objects.create(
        deal=deal,
        project=deal.projects.get(code="1110"),
        funder=Funder.objects.get(deal=deal, name="Rijk"),
        kind=Booking.Kind.PAYOUT,
        amount=Decimal(amount),
        date=date(2022, 6, 30),
    )


@pytest.fixture
def fake_pdf(monkeypatch):
    """Replaces WeasyPrint by a stand-in where the test is about storage, not rendering."""
    calls = []

    def build(data):
        calls.append(data)
        return f"%PDF-fake {data.figures.total.total.uitgekeerd}".encode()

    monkeypatch.setattr(exports, "pdf_bytes", build)
    return calls


def test_a_published_version_never_changes_when_the_data_changes(deal, coordinator, period, client_for):
    published = report_publish(deal=deal, as_of=AS_OF, period=period, user=coordinator, note="Stuurgroep 12-10")
    pdf, snapshot = bytes(published.pdf), bytes(published.json)
    assert pdf.startswith(b"%PDF") and published.pdf_sha256 == sha256(pdf) and published.is_intact

    _payout(deal, "50000.00")

    again = PublishedReport.objects.get(pk=published.pk)
    assert bytes(again.pdf) == pdf and bytes(again.json) == snapshot
    assert again.pdf_sha256 == sha256(pdf) and again.json_sha256 == sha256(snapshot)
    with pytest.raises(ValidationError):
        again.save()
    with pytest.raises(ValidationError):
        again.delete()
    # The stuurgroep downloads exactly the stored bytes.
    response = client_for(coordinator).get(
        reverse("reports:published-download", args=[deal.code, published.version, "json"])
    )
    assert response.content == snapshot and response["X-Content-SHA256"] == published.json_sha256


def test_a_new_version_shows_per_row_what_changed_since_the_previous_one(
    deal, coordinator, steering, client_for, fake_pdf
):
    first = report_publish(deal=deal, as_of=AS_OF, period=None, user=coordinator)
    _payout(deal, "1234.00")
    second = report_publish(deal=deal, as_of=AS_OF, period=None, user=coordinator)
    assert (first.version, second.version) == (1, 2)
    data = fake_pdf[-1]
    programme = next(t for t in data.programme_tables if t.measure == "uitgekeerd")
    changes = {row.code: row.change for row in programme.rows if row.kind == "row"}
    assert changes["1100"] == Decimal("1234.00") and changes["2100"] == Decimal("0.00")
    rijk = next(r for r in data.funder_rows if r.name == "Rijk")
    assert rijk.changes == [Decimal("1234.00"), Decimal("0.00")]
    html = client_for(steering).get(reverse("reports:report-detail", args=[deal.code])).content.decode()
    assert "sinds vorige rapportage" in html
    listing = client_for(steering).get(reverse("reports:published-list", args=[deal.code])).content.decode()
    assert "rapportage.pdf" in listing and second.pdf_sha256[:8] in listing


def test_the_stuurgroep_cannot_publish(deal, steering, client_for):
    assert client_for(steering).post(reverse("reports:publish", args=[deal.code])).status_code == 403
    assert not PublishedReport.objects.filter(deal=deal).exists()


def test_live_pdf_is_built_once_per_data_version_then_served_from_storage(deal, steering, client_for, fake_pdf):
    client = client_for(steering)
    url = reverse("reports:report-export", args=[deal.code, "pdf"]) + "?ijkdatum=2022-07-01"
    first = client.get(url)
    second = client.get(url)
    assert first.content == second.content and len(fake_pdf) == 1
    _payout(deal)
    third = client.get(url)
    assert len(fake_pdf) == 2 and third.content != first.content
    assert LivePdf.objects.filter(deal=deal, as_of=AS_OF).count() == 1  # the outdated one is gone


def test_live_pdf_service_reports_whether_it_built(deal, fake_pdf):
    _, built = live_pdf(deal=deal, as_of=AS_OF, period=None)
    _, built_again = live_pdf(deal=deal, as_of=AS_OF, period=None)
    assert (built, built_again) == (True, False)


@pytest.mark.parametrize(
    ("fmt", "magic"), [("json", b"{"), ("html", b"<!DOCTYPE html>"), ("xlsx", b"PK"), ("pdf", b"%PDF")]
)
def test_report_command_writes_each_format(deal, tmp_path, fmt, magic):
    out = tmp_path / f"r.{fmt}"
    call_command("report", "cleantech", "--as-of", "2022-07-01", "--format", fmt, "--output", str(out))
    content = out.read_bytes()
    assert content.startswith(magic)
    if fmt == "json":
        assert json.loads(content)["as_of"] == "2022-07-01"
    if fmt == "pdf":
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        assert "Inhoud" in text and "Tabel 5" in text
        # Tabel 5, programme 1300's Rijk budget (seed: 575.000) and the begroot total as the demo books it:
        # 7.500.000 + 15.487.000 + 78.226.155 = 101.213.155.
        assert "575.000" in text and "101.213.155" in text


def test_xlsx_has_one_sheet_per_table(deal):
    from io import BytesIO

    from openpyxl import load_workbook

    from reports.selectors import report_data

    book = load_workbook(BytesIO(exports.xlsx_bytes(report_data(deal=deal, as_of=AS_OF))))
    assert len(book.sheetnames) == 8  # Tabel 1-7 and the findings
    sheet = book["Tabel 1 financiers"]
    assert sheet["A2"].value == "Rijk" and sheet["C2"].value == 7500000


def test_report_command_refuses_an_unknown_deal_and_a_bad_date(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("report", "bestaatniet", "--output", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="JJJJ-MM-DD"):
        call_command("report", "cleantech", "--as-of", "1-7-2022", "--output", str(tmp_path / "x"))


def test_pdf_fetcher_reads_static_files_and_refuses_the_network(settings):
    fetcher = StaticFilesURLFetcher()
    response = fetcher.fetch("https://portal.invalid/static/css/report-print.css")
    assert b"@page" in response.read()
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.com/evil.css")


def test_data_version_changes_with_anything_the_report_shows(deal, kassier):
    from datetime import date
    from decimal import Decimal

    from finance.services import tranche_register
    from projects.models import GovernanceMember
    from reports.services import data_version

    def version():
        return data_version(deal=deal, as_of=date(2022, 7, 1), period=None)

    seen = {version()}
    programme = deal.programmes.get(code="1300")
    programme.name = "Matching en Mobiliteit (nieuwe naam)"
    programme.save()
    seen.add(version())
    member = GovernanceMember.objects.filter(deal=deal).first()
    member.organisation = "Andere organisatie"
    member.save()
    seen.add(version())
    # A registered tranche books nothing yet, but it appears among the findings once it waits too long.
    tranche_register(
        project=deal.projects.get(code="1310"),
        funder=deal.funders.get(name="Rijk"),
        amount=Decimal("1000.00"),
        date=date(2022, 6, 1),
        user=kassier,
    )
    seen.add(version())
    assert len(seen) == 4


def test_data_version_changes_from_one_day_to_the_next(deal, monkeypatch):
    # Findings count days (a tranche waiting more than 14 days), so a stored PDF lasts one day at most.
    from datetime import date

    from reports import services

    monkeypatch.setattr(services.timezone, "localdate", lambda: date(2026, 1, 1))
    first = services.data_version(deal=deal, as_of=date(2022, 7, 1), period=None)
    monkeypatch.setattr(services.timezone, "localdate", lambda: date(2026, 1, 2))
    assert services.data_version(deal=deal, as_of=date(2022, 7, 1), period=None) != first
