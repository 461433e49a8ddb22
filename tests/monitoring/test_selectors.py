"""Progress towards target, trend and the programme roll-up of summable project indicators."""

import datetime as dt
from decimal import Decimal

import pytest

from monitoring.models import Indicator, Measurement
from monitoring.selectors import programme_indicators, progress_towards_target, roll_up, trend_of

D = Decimal


@pytest.mark.parametrize(
    ("baseline", "target", "achieved", "expected"),
    [
        (D(0), D(200), D(50), D("0.25")),  # higher is better, a quarter of the way
        (D(100), D(200), D(200), D(1)),
        (D(100), D(200), D(250), D("1.5")),  # target passed
        (D(100), D(200), D(90), D("-0.1")),  # moved away
        (D("12.0"), D("8.0"), D("11.0"), D("0.25")),  # lower is better: 12 -> 8, now 11
        (D("12.0"), D("8.0"), D("13.0"), D("-0.25")),  # lower is better, got worse
        (None, D(10), D(5), None),  # no nulmeting
        (D(5), None, D(5), None),  # no streefwaarde
        (D(5), D(5), D(6), None),  # target equals baseline: undefined
        (D(5), D(10), None, None),  # no meting yet
    ],
)
def test_progress_towards_target(baseline, target, achieved, expected):
    assert progress_towards_target(baseline=baseline, target=target, achieved=achieved) == expected


def test_trend_is_judged_by_direction():
    assert trend_of([D(1), D(2)], Indicator.Direction.HIGHER).good is True
    assert trend_of([D(1), D(2)], Indicator.Direction.LOWER).good is False
    assert trend_of([D(3), D(2)], Indicator.Direction.LOWER).label == "dalend"
    assert trend_of([D(3), D(2)], Indicator.Direction.LOWER).good is True
    assert trend_of([D(2), D(2)], Indicator.Direction.HIGHER).good is None
    assert trend_of([D(1), D(2)], Indicator.Direction.NEUTRAL).good is None
    assert trend_of([D(1)], Indicator.Direction.HIGHER) is None


def _m(pk, day, value):
    return Measurement(indicator_id=pk, date=dt.date.fromisoformat(day), value=D(value))


def test_roll_up_of_cumulative_indicators_adds_each_projects_latest_stand():
    a, b = Indicator(pk=1), Indicator(pk=2)
    measurements = {
        1: [_m(1, "2021-07-01", "10"), _m(1, "2022-07-01", "30")],  # stands: 10, then 30 in total
        2: [_m(2, "2022-01-01", "5")],
    }
    result = roll_up(parts=[a, b], measurements=measurements, cumulative=True)
    assert result.total == D(35)  # 30 + 5, not 10 + 30 + 5
    assert result.series == [
        (dt.date(2021, 7, 1), D(10)),
        (dt.date(2022, 1, 1), D(15)),
        (dt.date(2022, 7, 1), D(35)),
    ]
    as_of = roll_up(parts=[a, b], measurements=measurements, cumulative=True, as_of=dt.date(2022, 3, 1))
    assert as_of.total == D(15) and as_of.as_of == dt.date(2022, 1, 1)


def test_roll_up_of_per_period_indicators_adds_every_period():
    a, b = Indicator(pk=1), Indicator(pk=2)
    measurements = {
        1: [_m(1, "2020-12-31", "2"), _m(1, "2021-12-31", "4"), _m(1, "2022-12-31", "9")],
        2: [_m(2, "2021-12-31", "1")],
    }
    result = roll_up(parts=[a, b], measurements=measurements, cumulative=False)
    assert result.total == D(16)
    assert [total for _, total in result.series] == [D(2), D(7), D(16)]
    assert dict(result.contributions) == {a: D(15), b: D(1)}


def test_roll_up_without_metingen_has_no_total():
    assert roll_up(parts=[Indicator(pk=1)], measurements={}, cumulative=True).total is None


@pytest.mark.django_db
def test_programme_shows_project_sum_next_to_its_own_target(deal, steering):
    programme = deal.programmes.get(code="1300")
    indicator = Indicator.objects.get(deal=deal, code="1300-R1")
    indicator.target_value = D(896)
    indicator.save()
    page = programme_indicators(user=steering, programme=programme)
    status = next(s for s in page.statuses if s.indicator.code == "1300-R1")
    assert status.rollup.total == D(448)  # 48 (1310) + 400 (1330)
    assert status.progress == D("0.5")  # nulmeting 0, streefwaarde 896
    assert status.chart.target == D(896)
    assert {b.project.code for b in page.projects} == {"1310", "1320", "1330", "1340"}


@pytest.mark.django_db
def test_steering_totals_count_approved_metingen_only(deal, steering, coordinator):
    part = Indicator.objects.get(deal=deal, code="1310-O2")
    Measurement.objects.create(indicator=part, date=dt.date(2022, 12, 31), value=D(60), entered_by=coordinator)
    programme = deal.programmes.get(code="1300")
    steering_view = next(
        s for s in programme_indicators(user=steering, programme=programme).statuses if s.indicator.code == "1300-R1"
    )
    coordinator_view = next(
        s for s in programme_indicators(user=coordinator, programme=programme).statuses if s.indicator.code == "1300-R1"
    )
    assert steering_view.rollup.total == D(448)
    assert coordinator_view.rollup.total == D(460)  # the concept 60 replaces the stand of 48


@pytest.mark.django_db
def test_per_period_programme_total_is_the_sum_of_all_periods(deal, steering):
    page = programme_indicators(user=steering, programme=deal.programmes.get(code="2300"))
    status = next(s for s in page.statuses if s.indicator.code == "2300-R1")
    assert status.rollup.total == D(15)  # Cirkelstad: 2 + 4 + 9 bijeenkomsten
    assert status.achieved == D(15)
