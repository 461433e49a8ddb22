from datetime import date

import pytest

from projects.models import ReportingPeriod


@pytest.fixture
def period(deal) -> ReportingPeriod:
    """The demo deal's first half of 2022, with the seed's ijkdatum (made here if the demo has none)."""
    found = ReportingPeriod.objects.filter(deal=deal, reference_date=date(2022, 7, 1)).first()
    if found:
        return found
    return ReportingPeriod.objects.create(
        deal=deal,
        name="2022-1-test",
        start=date(2022, 1, 1),
        end=date(2022, 7, 1),
        reference_date=date(2022, 7, 1),
        deadline=date(2022, 7, 15),
    )
