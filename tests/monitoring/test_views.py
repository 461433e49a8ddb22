"""Monitoring pages and the meting form, per persona."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from monitoring.models import Indicator, Measurement
from monitoring.services import measurement_approve, measurement_create

pytestmark = pytest.mark.django_db


def create_url(indicator):
    return reverse("monitoring:measurement-create", args=[indicator.deal.code, indicator.pk])


def test_steering_sees_baseline_latest_value_target_and_chart_per_programme(deal, steering, client_for):
    response = client_for(steering).get(reverse("monitoring:programme-indicators", args=[deal.code, "1300"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deelnemers gestart met een ontwikkeltraject" in html
    assert "48 deelnemers" in html and "164 gesprekken" in html
    assert "448 deelnemers" in html  # the programme's sum of the projects
    assert "In de richting van het provinciale gemiddelde" in html  # 1300-I1 target in words
    assert 'data-chart="grafiek-indicator-' in html and "<svg" in html
    assert "vendor/plotly/plotly.min.js" in html and "js/charts.js" in html
    assert "Meting toevoegen" not in html


def test_deal_page_shows_the_seeds_numbers(deal, steering, client_for):
    html = client_for(steering).get(reverse("monitoring:deal-indicators", args=[deal.code])).content.decode()
    for text in ["47.865", "53.465", "1.700", "1.900", "2.195", "2.470", "450.736 inwoners", "36.690 werklozen"]:
        assert text in html, text
    assert "positie 1 van 8" in html and "88,1 %" in html
    assert "Kwalitatieve verandering van samenwerking" in html
    assert "ontwikkelt zich voorspoedig" in html  # qualitative: the latest text


def test_programme_page_query_count_does_not_grow_with_indicators(
    deal, steering, client_for, django_assert_max_num_queries
):
    client = client_for(steering)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("monitoring:programme-indicators", args=[deal.code, "1300"])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("monitoring:deal-indicators", args=[deal.code])).status_code == 200


def test_theme_manager_adds_a_meting_to_a_project_indicator(deal, theme_manager, client_for):
    indicator = Indicator.objects.get(deal=deal, code="1320-O1")
    client = client_for(theme_manager)
    assert client.get(create_url(indicator)).status_code == 200
    response = client.post(
        create_url(indicator), {"date": "2022-12-31", "value": "1.250", "source_note": "Leerwerkloket"}
    )
    assert response.status_code == 302
    meting = Measurement.objects.get(indicator=indicator, date=dt.date(2022, 12, 31))
    assert meting.value == Decimal(1250)
    assert meting.status == Measurement.Status.DRAFT and meting.entered_by == theme_manager
    assert meting.history.count() == 1


def test_meting_form_keeps_what_was_typed_and_says_what_is_wrong(deal, theme_manager, client_for):
    indicator = Indicator.objects.get(deal=deal, code="1320-O1")
    response = client_for(theme_manager).post(create_url(indicator), {"date": "2022-07-01", "value": "12x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="12x"' in html
    response = client_for(theme_manager).post(create_url(indicator), {"date": "2022-07-01", "value": "5"})
    assert "Voor deze indicator is er al een meting op deze datum." in response.content.decode()


def test_per_period_meting_needs_a_period_start(deal, theme_manager, client_for):
    indicator = Indicator.objects.get(deal=deal, code="1120-O1")
    response = client_for(theme_manager).post(
        create_url(indicator), {"date": "2023-06-30", "period_start": "2023-07-01", "value": "100"}
    )
    assert "De periode begint na de datum van de meting." in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "code", "expected"),
    [
        ("theme_manager", "1320-O1", 200),  # own actielijn
        ("theme_manager", "2110-O1", 403),  # Groene Groei: reads, does not write
        ("theme_manager", "AL2-BV", 403),  # regional indicator: coordinator only
        ("other_theme_manager", "2110-O1", 200),
        ("other_theme_manager", "1320-O1", 403),
        ("coordinator", "AL2-BV", 200),
        ("coordinator", "1320-O1", 200),
        ("steering", "1320-O1", 403),
        ("kassier", "1320-O1", 403),
        ("lead", "1310-O1", 403),  # penvoerder delivers information, the themalijnmanager enters it
        ("lead", "2110-O1", 404),  # not their project
        ("outsider", "1320-O1", 404),
    ],
)
def test_who_may_enter_metingen(request, deal, client_for, persona, code, expected):
    user = request.getfixturevalue(persona)
    indicator = Indicator.objects.get(deal=deal, code=code)
    assert client_for(user).get(create_url(indicator)).status_code == expected


def test_outsider_sees_no_monitoring(deal, outsider, client_for):
    client = client_for(outsider)
    assert client.get(reverse("monitoring:deal-indicators", args=[deal.code])).status_code == 404
    assert client.get(reverse("monitoring:programme-indicators", args=[deal.code, "1300"])).status_code == 404


def test_steering_does_not_see_concept_metingen(deal, theme_manager, steering, client_for):
    indicator = Indicator.objects.get(deal=deal, code="1340-O1")
    measurement_create(indicator=indicator, user=theme_manager, date=dt.date(2023, 3, 1), value=Decimal(777))
    url = reverse("monitoring:programme-indicators", args=[deal.code, "1300"])
    assert "777 profielen" not in client_for(steering).get(url).content.decode()
    assert "777 profielen" in client_for(theme_manager).get(url).content.decode()


def test_only_the_coordinator_approves(deal, theme_manager, coordinator, steering, client_for):
    indicator = Indicator.objects.get(deal=deal, code="1340-O1")
    meting = measurement_create(indicator=indicator, user=theme_manager, date=dt.date(2023, 3, 1), value=Decimal(700))
    with pytest.raises(PermissionDenied):
        measurement_approve(measurement=meting, user=theme_manager)
    url = reverse("monitoring:measurement-approve", args=[deal.code, meting.pk])
    assert client_for(theme_manager).post(url).status_code == 403
    assert client_for(coordinator).post(url).status_code == 302
    meting.refresh_from_db()
    assert meting.status == Measurement.Status.APPROVED and meting.approved_by == coordinator
    assert (
        "700 profielen"
        in client_for(steering)
        .get(reverse("monitoring:programme-indicators", args=[deal.code, "1300"]))
        .content.decode()
    )


def test_service_refuses_a_theme_manager_outside_their_projects(deal, other_theme_manager):
    indicator = Indicator.objects.get(deal=deal, code="1320-O1")
    with pytest.raises(PermissionDenied):
        measurement_create(indicator=indicator, user=other_theme_manager, date=dt.date(2023, 1, 1), value=Decimal(1))


def test_qualitative_meting_needs_text(deal, coordinator):
    from django.core.exceptions import ValidationError

    indicator = Indicator.objects.get(deal=deal, code="2300-I1")
    with pytest.raises(ValidationError, match="in woorden"):
        measurement_create(indicator=indicator, user=coordinator, date=dt.date(2023, 1, 1), value=Decimal(1))


def test_project_indicators_partial_for_the_project_page(deal, theme_manager, rf):
    from django.template.loader import render_to_string

    from monitoring.selectors import project_indicators

    project = deal.projects.get(code="1320")
    statuses = project_indicators(project=project, user=theme_manager)
    assert [s.indicator.code for s in statuses] == ["1320-O1", "1320-O2"]
    html = render_to_string("monitoring/partials/project_indicators.html", {"statuses": statuses})
    assert "124 vouchers" in html and "Meting toevoegen" in html


def test_monitoring_nav_entry(deal, steering, client_for):
    assert f'href="/monitoring/{deal.code}/"' in client_for(steering).get("/").content.decode()
