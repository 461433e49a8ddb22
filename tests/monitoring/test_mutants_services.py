"""Kills the mutants of monitoring/services.py that the suite let live (docs/mutation-testing.md)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from monitoring.models import Indicator, Measurement
from monitoring.services import measurement_approve, measurement_create, measurement_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def concept(deal, theme_manager) -> Measurement:
    # 1340-O1 (Bedrijfsprofielen op Vindstage) is a quantitative indicator of a project of the demo themalijnmanager.
    indicator = Indicator.objects.get(deal=deal, code="1340-O1")
    return measurement_create(indicator=indicator, user=theme_manager, date=deal.start, value=Decimal("700.00"))


def test_a_concept_meting_takes_every_field_a_meting_has(deal, theme_manager, concept):
    end_of_first_year = deal.start + timedelta(days=364)
    measurement_update(
        measurement=concept,
        user=theme_manager,
        date=end_of_first_year,
        period_start=deal.start,
        value=Decimal("710.50"),
        text="ruim zevenhonderd",
        source_note="Telling Vindstage",
        second_value=Decimal("12.00"),
        rank=2,
        rank_of=8,
    )
    concept.refresh_from_db()
    assert (concept.date, concept.period_start) == (end_of_first_year, deal.start)
    assert (concept.value, concept.text, concept.source_note) == (
        Decimal("710.50"),
        "ruim zevenhonderd",
        "Telling Vindstage",
    )
    assert (concept.second_value, concept.rank, concept.rank_of) == (Decimal("12.00"), 2, 8)


def test_a_meting_refuses_fields_it_does_not_have_and_names_them(theme_manager, concept):
    with pytest.raises(ValueError) as caught:
        measurement_update(measurement=concept, user=theme_manager, kleur="rood", eenheid="kg", value=Decimal(1))
    assert str(caught.value) == "Onbekende velden: eenheid, kleur"
    concept.refresh_from_db()
    assert concept.value == Decimal("700.00")


def test_an_update_without_fields_writes_nothing_not_even_history(theme_manager, concept):
    assert concept.history.count() == 1
    measurement_update(measurement=concept, user=theme_manager)
    assert concept.history.count() == 1


def test_only_the_coordinator_approves_a_concept_and_when_is_recorded(coordinator, theme_manager, concept):
    with pytest.raises(PermissionDenied) as caught:
        measurement_approve(measurement=concept, user=theme_manager)
    assert str(caught.value) == "Alleen de coördinator keurt een concept-meting goed."
    before = timezone.now()
    measurement_approve(measurement=concept, user=coordinator)
    after = timezone.now()
    concept.refresh_from_db()
    assert (concept.status, concept.approved_by) == (Measurement.Status.APPROVED, coordinator)
    assert before <= concept.approved_at <= after


def test_a_new_meting_is_a_concept_with_everything_entered_and_who_entered_it(deal, theme_manager):
    indicator = Indicator.objects.get(deal=deal, code="1340-O1")
    end_of_first_year = deal.start + timedelta(days=364)
    measurement = measurement_create(
        indicator=indicator,
        user=theme_manager,
        date=end_of_first_year,
        period_start=deal.start,
        value=Decimal("710.50"),
        text="ruim zevenhonderd",
        source_note="Telling Vindstage",
        second_value=Decimal("12.00"),
        rank=2,
        rank_of=8,
    )
    measurement.refresh_from_db()
    assert (measurement.indicator, measurement.date, measurement.period_start) == (
        indicator,
        end_of_first_year,
        deal.start,
    )
    assert (measurement.value, measurement.text, measurement.source_note) == (
        Decimal("710.50"),
        "ruim zevenhonderd",
        "Telling Vindstage",
    )
    assert (measurement.second_value, measurement.rank, measurement.rank_of) == (Decimal("12.00"), 2, 8)
    assert (measurement.status, measurement.entered_by, measurement.approved_by) == ("concept", theme_manager, None)


def test_a_meting_with_only_a_value_has_no_text_nor_source(concept):
    concept.refresh_from_db()
    assert (concept.text, concept.source_note, concept.period_start, concept.second_value) == ("", "", None, None)
    assert (concept.rank, concept.rank_of) == (None, None)


def test_who_may_not_enter_metingen_hears_why(deal, steering):
    indicator = Indicator.objects.get(deal=deal, code="1340-O1")
    with pytest.raises(PermissionDenied) as caught:
        measurement_create(indicator=indicator, user=steering, date=deal.start, value=Decimal(1))
    assert str(caught.value) == "U mag bij deze indicator geen metingen invoeren."
    assert not Measurement.objects.filter(indicator=indicator, date=deal.start).exists()
