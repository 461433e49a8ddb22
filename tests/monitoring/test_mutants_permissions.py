"""Kills the mutants of monitoring/permissions.py that the suite let live (docs/mutation-testing.md)."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from monitoring.models import Indicator, Measurement
from monitoring.permissions import (
    can_approve_measurement,
    can_enter_measurement,
    can_import_measurements,
    get_indicator_for_user,
    get_measurement_for_user,
    readable_measurements,
    sees_concepts,
)
from monitoring.services import measurement_update
from projects import roles
from projects.services_roles import assign_without_review
from tests.conftest import make_user

Level = Indicator.Level
DRAFT = Measurement.Status.DRAFT


@pytest.fixture
def coordinator_b(db) -> User:
    """The coordinator of the second demo deal only."""
    return User.objects.get(username="coordinator_b")


@pytest.fixture
def theme_manager_b(db) -> User:
    return User.objects.get(username="themalijnmanager_b")


def test_the_stuurgroep_reads_an_indicator_but_enters_no_metingen(deal, steering):
    indicator = Indicator.objects.filter(deal=deal).exclude(level=Indicator.Level.PROJECT).first()
    assert get_indicator_for_user(steering, deal, indicator.pk) == indicator
    with pytest.raises(PermissionDenied) as caught:
        get_indicator_for_user(steering, deal, indicator.pk, write=True)
    assert str(caught.value) == "U mag deze indicator lezen, maar er geen metingen bij invoeren."


def test_monitoring_rights_are_roles_of_the_indicators_own_deal(deal, coordinator, coordinator_b, theme_manager_b):
    indicator = Indicator.objects.filter(deal=deal).exclude(level=Indicator.Level.PROJECT).first()
    project_indicator = Indicator.objects.filter(deal=deal, level=Indicator.Level.PROJECT).first()
    measurement = Measurement.objects.filter(indicator=indicator).first()
    Measurement.objects.filter(pk=measurement.pk).update(status=Measurement.Status.DRAFT)
    measurement.refresh_from_db()

    assert sees_concepts(coordinator, deal)
    assert not sees_concepts(coordinator_b, deal) and not sees_concepts(theme_manager_b, deal)
    assert can_import_measurements(coordinator, deal) and not can_import_measurements(coordinator_b, deal)
    assert can_enter_measurement(coordinator, indicator) and not can_enter_measurement(coordinator_b, indicator)
    assert not can_enter_measurement(theme_manager_b, project_indicator)
    assert can_approve_measurement(coordinator, measurement)
    assert not can_approve_measurement(coordinator_b, measurement)


def concept_of(indicator: Indicator) -> Measurement:
    measurement = Measurement.objects.filter(indicator=indicator).first()
    Measurement.objects.filter(pk=measurement.pk).update(status=DRAFT)
    measurement.refresh_from_db()
    return measurement


def test_themalijnmanagers_see_the_concepts_of_their_whole_deal(deal, theme_manager, steering):
    assert sees_concepts(theme_manager, deal) and not sees_concepts(steering, deal)
    concept = concept_of(Indicator.objects.filter(deal=deal, level=Level.DEAL, measurements__isnull=False).first())
    assert readable_measurements(theme_manager).filter(pk=concept.pk).exists()
    assert not readable_measurements(steering).filter(pk=concept.pk).exists()


def test_an_approved_meting_is_frozen_and_a_concept_is_changed_by_who_may_enter_it(deal, coordinator, steering):
    indicator = Indicator.objects.filter(deal=deal, level=Level.DEAL, measurements__isnull=False).first()
    approved = Measurement.objects.filter(indicator=indicator).first()
    with pytest.raises(PermissionDenied) as caught:
        measurement_update(measurement=approved, user=coordinator, text="later")
    assert str(caught.value) == "Deze meting is goedgekeurd of u mag haar niet wijzigen."
    concept = concept_of(indicator)
    with pytest.raises(PermissionDenied):
        measurement_update(measurement=concept, user=steering, text="later")
    assert measurement_update(measurement=concept, user=coordinator, text="bijgesteld").text == "bijgesteld"


def test_an_indicator_or_meting_of_another_deal_is_not_found_under_this_deal(deal):
    ministry = User.objects.get(username="ministerie")  # reads every deal
    indicator = Indicator.objects.exclude(deal=deal).filter(measurements__status="goedgekeurd").first()
    measurement = indicator.measurements.filter(status="goedgekeurd").first()
    assert get_indicator_for_user(ministry, indicator.deal, indicator.pk) == indicator
    assert get_measurement_for_user(ministry, indicator.deal, measurement.pk) == measurement
    with pytest.raises(Http404):
        get_indicator_for_user(ministry, deal, indicator.pk)
    with pytest.raises(Http404):
        get_measurement_for_user(ministry, deal, measurement.pk)


def test_an_indicator_and_a_meting_come_with_what_their_page_shows_in_one_query(
    deal, coordinator, django_assert_num_queries
):
    assert roles.has_role(coordinator, deal, roles.COORDINATOR)  # the role map is read (and cached) first
    for level in (Level.PROJECT, Level.PROGRAMME, Level.ACTION_LINE):
        pk = Indicator.objects.filter(deal=deal, level=level).first().pk
        with django_assert_num_queries(1):
            indicator = get_indicator_for_user(coordinator, deal, pk)
            shown = (indicator.deal.code, indicator.programme, indicator.action_line)
            shown += (indicator.project and indicator.project.programme,)
        assert shown[0] == "cleantech" and any(shown[1:])
    pk = (
        Measurement.objects.filter(indicator__deal=deal, indicator__level=Level.PROJECT, entered_by__isnull=False)
        .first()
        .pk
    )
    with django_assert_num_queries(1):
        measurement = get_measurement_for_user(coordinator, deal, pk)
        assert measurement.indicator.project.code and measurement.entered_by.username
        assert measurement.approved_by.username


def test_a_penvoerder_who_is_themalijnmanager_elsewhere_enters_no_metingen_here(deal):
    indicator = Indicator.objects.filter(deal=deal, level=Level.PROJECT).first()
    user = make_user("penvoerder_en_tlm_elders", roles.LEAD, deal=deal)
    indicator.project.lead_users.add(user)
    second_deal = User.objects.get(username="coordinator_b").role_assignments.get().deal
    assign_without_review(deal=second_deal, user=user, role=roles.THEME_MANAGER)
    roles.forget_roles(user)
    assert roles.has_role(user, second_deal, roles.THEME_MANAGER)
    assert not can_enter_measurement(user, indicator)
