"""The demo deal's indicators carry the seed's numbers; loading twice changes nothing."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from monitoring.demo import load_indicators
from monitoring.models import Indicator, Measurement

pytestmark = pytest.mark.django_db


def value(deal, code, day):
    return Measurement.objects.get(indicator__deal=deal, indicator__code=code, date=dt.date.fromisoformat(day)).value


@pytest.mark.parametrize(
    ("code", "day", "expected"),
    [
        ("AL2-BV", "2020-01-01", 47865),
        ("AL2-BV", "2022-01-01", 53465),
        ("AL2-BV-ICT", "2020-01-01", 1700),
        ("AL2-BV-ICT", "2022-01-01", 1900),
        ("AL2-BV-IND", "2020-01-01", 2195),
        ("AL2-BV-IND", "2022-01-01", 2470),
        ("CTX-INW", "2022-01-01", 450736),
        ("CTX-WRK", "2021-01-01", 36690),
        ("1320-O1", "2022-07-01", 124),
        ("1310-O1", "2022-07-01", 164),
        ("1310-O2", "2022-07-01", 48),
        ("1120-O1", "2022-06-30", 13500),
        ("2110-O1", "2022-07-01", 600000),
        ("1340-O1", "2022-10-01", 581),
        ("1330-O1", "2022-07-01", 400),
    ],
)
def test_demo_has_the_seeds_numbers(deal, code, day, expected):
    assert value(deal, code, day) == Decimal(expected)


def test_brede_welvaart_is_context_of_the_deal_with_position(deal):
    bw = Indicator.objects.filter(deal=deal, code__startswith="BW-", level="deal", kind="context")
    assert bw.count() == 12
    satisfaction = bw.get(name="Tevredenheid algemeen").measurements.get()
    assert satisfaction.value == Decimal("88.1") and satisfaction.position_text == "1 van 8"
    assert "Provincie Gelderland" in bw.get(name="Tevredenheid algemeen").source
    nature = bw.get(name="Aandeel natuur en bos")
    assert nature.measurements.get().second_value == Decimal("84.4") and nature.second_unit == "ha per 1000 inwoners"
    assert bw.get(name="Werkloosheid").direction == Indicator.Direction.LOWER


def test_all_demo_metingen_are_approved(deal):
    assert not Measurement.objects.filter(indicator__deal=deal).exclude(status="goedgekeurd").exists()


def test_loading_twice_changes_nothing(deal):
    data = json.loads((settings.BASE_DIR / "fixtures" / "cleantech_monitoring.json").read_text(encoding="utf-8"))
    users = {u.username: u for u in User.objects.filter(username__in=["coordinator", "themalijnmanager"])}
    counts = (Indicator.objects.count(), Measurement.objects.count(), Indicator.history.count())
    load_indicators(deal, data, users)
    assert (Indicator.objects.count(), Measurement.objects.count(), Indicator.history.count()) == counts
