"""The report's sortable tables carry the plain number for sorting, never the Dutch text ("7.500.000,00" is 7,5)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
SORT_VALUE = re.compile(r'data-value="([^"]*)"')


def test_every_sort_value_is_a_plain_number(client_for, steering, deal):
    page = client_for(steering).get(reverse("reports:report-detail", args=[deal.code]) + "?ijkdatum=2022-07-01")
    values = SORT_VALUE.findall(page.content.decode())
    assert len(values) > 200  # Tabel 1-7: every money and percentage cell
    assert [v for v in values if v and not re.fullmatch(r"-?\d+(\.\d+)?", v)] == []
    # Tabel 1, the Rijk: begroot 7.247.500 (seed report, Tabel 1) as the script reads it.
    assert 'data-value="7247500.00"' in page.content.decode()
