"""The stored PDF's fingerprint moves with a row that commits late: after a row with a higher id or a later
timestamp (two writers at once). Before, only the maxima were the mark, and such a row left them unchanged."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db.models import Max

from finance.models import Booking
from projects.models import Project
from reports.services import data_version

pytestmark = pytest.mark.django_db


def version(deal) -> str:
    return data_version(deal=deal, as_of=deal.default_reference_date, period=None)


def test_a_booking_that_commits_late_changes_the_data_version(deal):
    before = version(deal)
    # The writer that took its id and its clock first commits last: both below the current maxima.
    oldest = Booking.objects.filter(deal=deal).order_by("created_at").first().created_at
    late = Booking(
        pk=-1,
        deal=deal,
        project=deal.projects.order_by("code").first(),
        funder=deal.funders.order_by("pk").first(),
        kind=Booking.Kind.EXPENDITURE,
        amount=Decimal("1.00"),
        date=deal.start,
    )
    with mock.patch("django.utils.timezone.now", return_value=oldest - datetime.timedelta(seconds=1)):
        Booking.objects.bulk_create([late])
    assert Booking.objects.get(pk=-1).created_at < oldest  # neither maximum moved
    assert version(deal) != before


def newest_history(deal):
    return Project.history.filter(deal_id=deal.pk).aggregate(m=Max("history_date"))["m"]


def test_a_history_row_that_commits_late_changes_the_data_version(deal):
    project = Project.objects.get(deal=deal, code="1310")
    before, newest = version(deal), newest_history(deal)
    project.name = "Later gecommit"
    project.save()
    # Its history row carries the moment its writer began, before the newest one already there.
    project.history.filter(pk=project.history.latest().pk).update(history_date=newest - datetime.timedelta(seconds=1))
    assert newest_history(deal) == newest  # the maximum did not move
    assert version(deal) != before
