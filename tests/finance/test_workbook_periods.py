"""Reporting periods travel in the workbook (sheet 'periodes'), typed with their last day."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from finance.workbook import workbook_export, workbook_import, workbook_template
from projects.models import Deal, ReportingPeriod
from tests.finance.test_workbook_decisions import edited, rows_of

pytestmark = pytest.mark.django_db


def test_the_export_carries_every_period_with_its_last_day(deal):
    rows = {r["naam"]: r for r in rows_of(workbook_export(deal=deal), "periodes")}
    assert set(rows) == set(deal.reporting_periods.values_list("name", flat=True))
    period = deal.reporting_periods.order_by("start").first()
    row = rows[period.name]
    assert (row["start"].date(), row["t/m"].date()) == (period.start, period.end - datetime.timedelta(days=1))
    assert (row["ijkdatum"].date(), row["inleverdatum"].date()) == (period.reference_date, period.deadline)


def test_a_round_trip_into_a_new_deal_keeps_the_periods(deal, coordinator):
    report = workbook_import(data=workbook_export(deal=deal), user=coordinator, commit=True, deal_code="kopie")
    assert report.saved, [str(e) for e in report.errors[:5]]
    fields = ("name", "start", "end", "reference_date", "deadline")
    copy = Deal.objects.get(code="kopie")
    assert list(copy.reporting_periods.order_by("start").values_list(*fields)) == list(
        deal.reporting_periods.order_by("start").values_list(*fields)
    )


def _change_period(data: bytes, name: str, header: str, value) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb["periodes"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == name)
    ws.cell(row=row, column=headers.index(header) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_period_with_verslagen_keeps_its_dates_but_may_move_its_deadline(deal, coordinator):
    reported = ReportingPeriod.objects.filter(deal=deal, reports__isnull=False).distinct().first()
    data = _change_period(workbook_export(deal=deal), reported.name, "ijkdatum", datetime.date(2030, 1, 1))

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert not report.saved
    error = next(e for e in report.errors if e.sheet == "periodes")
    assert error.column == "ijkdatum" and "al verslagen" in error.message
    assert ReportingPeriod.objects.get(pk=reported.pk).reference_date == reported.reference_date

    later = reported.deadline + datetime.timedelta(days=14)
    data = _change_period(workbook_export(deal=deal), reported.name, "inleverdatum", later)
    assert workbook_import(data=data, user=coordinator, commit=True).saved
    assert ReportingPeriod.objects.get(pk=reported.pk).deadline == later


def test_a_period_without_verslagen_is_updated(deal, coordinator):
    period = ReportingPeriod.objects.create(
        deal=deal, name="2023-1", start=datetime.date(2023, 1, 1), end=datetime.date(2023, 7, 1),
        reference_date=datetime.date(2023, 7, 1), deadline=datetime.date(2023, 8, 1),
    )  # fmt: skip
    data = _change_period(workbook_export(deal=deal), "2023-1", "inleverdatum", datetime.date(2023, 9, 15))

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert report.saved, [str(e) for e in report.errors]
    assert ReportingPeriod.objects.get(pk=period.pk).deadline == datetime.date(2023, 9, 15)


def test_a_period_ending_before_it_starts_is_located(coordinator):

    data = edited(workbook_template(), "periodes", change={"t/m": datetime.date(2020, 12, 1)})
    report = workbook_import(data=data, user=coordinator, commit=True)
    error = next(e for e in report.errors if e.sheet == "periodes")
    assert (error.row, error.column) == (2, "t/m") and "vóór de start" in error.message
