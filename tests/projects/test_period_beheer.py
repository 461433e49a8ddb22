"""Reporting periods in Beheer: typed with their last day, and a reported period keeps its dates."""

import datetime

import pytest

from projects.models import ReportingPeriod

pytestmark = pytest.mark.django_db


def _form(period, **changes) -> dict:
    data = {
        "deal": period.deal_id,
        "name": period.name,
        "start": period.start.isoformat(),
        "last_day": period.last_day.isoformat(),
        "reference_date": period.reference_date.isoformat(),
        "deadline": period.deadline.isoformat(),
    }
    data.update({k: v.isoformat() for k, v in changes.items()})
    return data


def _change_url(period) -> str:
    return f"/beheer/projects/reportingperiod/{period.pk}/change/"


def test_beheer_asks_for_the_last_day_and_stores_the_day_after(client_for, deal, coordinator):
    period = ReportingPeriod.objects.create(
        deal=deal, name="2023-1", start=datetime.date(2023, 1, 1), end=datetime.date(2023, 7, 1),
        reference_date=datetime.date(2023, 7, 1), deadline=datetime.date(2023, 8, 1),
    )  # fmt: skip
    client = client_for(coordinator)
    page = client.get(_change_url(period)).content.decode()
    assert 'name="last_day"' in page and 'value="2023-06-30"' in page

    response = client.post(
        _change_url(period), _form(period, last_day=datetime.date(2023, 9, 30), deadline=datetime.date(2023, 10, 15))
    )

    assert response.status_code == 302
    assert ReportingPeriod.objects.get(pk=period.pk).end == datetime.date(2023, 10, 1)


def test_beheer_keeps_the_dates_of_a_reported_period_but_may_move_its_deadline(client_for, deal, coordinator):
    period = ReportingPeriod.objects.filter(deal=deal, reports__isnull=False).distinct().first()
    client = client_for(coordinator)

    refused = client.post(_change_url(period), _form(period, start=period.start - datetime.timedelta(days=1)))

    assert refused.status_code == 200 and "al verslagen geschreven" in refused.content.decode()
    assert ReportingPeriod.objects.get(pk=period.pk).start == period.start
    later = period.deadline + datetime.timedelta(days=7)
    assert client.post(_change_url(period), _form(period, deadline=later)).status_code == 302
    assert ReportingPeriod.objects.get(pk=period.pk).deadline == later
