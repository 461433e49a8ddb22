"""Targets relative to the nulmeting (Circulaire Regio: "−20 %"): the streefwaarde follows the
nulmeting, and progress is computed from it."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from monitoring.models import Indicator
from monitoring.selectors import programme_indicators
from reports.selectors import IndicatorView


@pytest.fixture
def indicator(deal) -> Indicator:
    # 1300-R1 sums its projects: 48 (1310) + 400 (1330) = 448 measured (tests/monitoring/test_selectors.py).
    return Indicator.objects.get(deal=deal, code="1300-R1")


def test_a_relative_target_is_the_nulmeting_changed_by_the_percentage(indicator):
    indicator.baseline_value, indicator.target_value, indicator.target_change_pct = D(400), None, D(-20)
    assert indicator.target == D("320.00")  # 400 - 20 % = 320
    assert indicator.relative_target_label == "−20 % t.o.v. de nulmeting"
    indicator.target_change_pct = D("12.5")
    assert (indicator.target, indicator.relative_target_label) == (D("450.00"), "+12,5 % t.o.v. de nulmeting")


def test_progress_is_computed_from_the_nulmeting_towards_the_relative_target(deal, indicator, steering):
    # Nulmeting 200, target +300 % = 800; 448 measured: (448 - 200) / (800 - 200) = 248 / 600.
    Indicator.objects.filter(pk=indicator.pk).update(baseline_value=D(200), target_value=None, target_change_pct=300)
    page = programme_indicators(user=steering, programme=deal.programmes.get(code="1300"))
    status = next(s for s in page.statuses if s.indicator.code == "1300-R1")
    assert status.progress == D(248) / D(600)
    assert status.chart.target == D("800.00")


def test_the_report_shows_the_percentage_and_the_number_it_means(indicator):
    indicator.baseline_value, indicator.target_value, indicator.target_change_pct = D(400), None, D(-20)
    indicator.target_date = None
    assert IndicatorView(indicator=indicator, measurements=[]).target == "−20 % t.o.v. de nulmeting (320)"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target_value": D(10)}, "target_change_pct",
         "Geef de streefwaarde als getal óf als verandering in procenten, niet beide."),
        ({"baseline_value": None}, "target_change_pct",
         "Een streefwaarde in procenten rekent vanaf de nulmeting: vul die in."),
        ({"direction": "hoger"}, "target_change_pct",
         "De streefwaarde ligt onder de nulmeting, terwijl hoger beter is."),
    ],
)  # fmt: skip
def test_a_relative_target_that_cannot_be_right_is_refused(indicator, changes, field, message):
    indicator.baseline_value, indicator.target_value, indicator.target_change_pct = D(400), None, D(-20)
    indicator.direction = "lager"
    for name, value in changes.items():
        setattr(indicator, name, value)
    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()
    assert refused.value.message_dict[field] == [message]
