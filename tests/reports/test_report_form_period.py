"""The report form keeps period and ijkdatum together: a newly chosen period brings its own ijkdatum unless the
user changed the date too; a link's ijkdatum is always meant."""

import datetime

import pytest
from django.urls import reverse

from projects.models import ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def periods(deal):
    return ReportingPeriod.objects.get(deal=deal, name="2022-1"), ReportingPeriod.objects.get(deal=deal, name="2022-2")


def shown(client, deal, **query):
    response = client.get(reverse("reports:report-detail", args=[deal.code]), query)
    report = response.context["report"]
    return report.period.name, report.as_of


def test_choosing_another_period_brings_its_ijkdatum(client_for, steering, deal, periods):
    first, second = periods
    form = {"ijkdatum": "2022-07-01", "getoond_ijkdatum": "2022-07-01", "getoond_periode": first.pk}
    assert shown(client_for(steering), deal, periode=second.pk, **form) == ("2022-2", second.reference_date)
    assert second.reference_date != datetime.date(2022, 7, 1)  # else this test would prove nothing


def test_a_date_changed_together_with_the_period_is_kept(client_for, steering, deal, periods):
    first, second = periods
    form = {"ijkdatum": "2022-10-15", "getoond_ijkdatum": "2022-07-01", "getoond_periode": first.pk}
    assert shown(client_for(steering), deal, periode=second.pk, **form) == ("2022-2", datetime.date(2022, 10, 15))


def test_showing_again_keeps_a_chosen_date(client_for, steering, deal, periods):
    first, _ = periods
    form = {"ijkdatum": "2022-05-01", "getoond_ijkdatum": "2022-05-01", "getoond_periode": first.pk}
    assert shown(client_for(steering), deal, periode=first.pk, **form) == ("2022-1", datetime.date(2022, 5, 1))


def test_a_link_means_its_ijkdatum(client_for, steering, deal, periods):
    _, second = periods
    assert shown(client_for(steering), deal, periode=second.pk, ijkdatum="2022-07-01") == (
        "2022-2",
        datetime.date(2022, 7, 1),
    )
