"""The tranche forms guide before they refuse: the kassier sees what is free and is warned (not stopped) above it;
the controller is asked for a reason and a decision only when a tranche goes above the budget, marked required."""

import json
import re
from decimal import Decimal

import pytest

from finance.models import Tranche
from finance.services import tranche_register
from projects.models import Project
from tests.finance.test_views import register_post

pytestmark = pytest.mark.django_db

# 1310 x Rijk in the demo (fixtures/cleantech.json): begroot 143.751, uitgekeerd 102.345, nothing waiting.
FREE = Decimal("41406.00")  # 143.751 - 102.345


def headroom_on_the_form(client, deal) -> dict:
    page = client.get(f"/financien/{deal.code}/tranches/nieuw/").content.decode()
    data = re.search(r'<script id="tranche-headroom-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(data.group(1))


def test_the_form_carries_what_is_free_per_project_and_financier(client_for, deal, kassier):
    project = Project.objects.get(deal=deal, code="1310")
    rijk = deal.funders.get(name="Rijk")
    client = client_for(kassier)
    assert headroom_on_the_form(client, deal)[f"{project.pk}-{rijk.pk}"] == {
        "begroot": "143751.00",
        "uitgekeerd": "102345.00",
        "wacht": "0.00",
        "beschikbaar": "41406.00",
    }
    register_post(client, deal, amount="1.000")  # waits for a controller: no longer free
    assert headroom_on_the_form(client, deal)[f"{project.pk}-{rijk.pk}"] == {
        "begroot": "143751.00",
        "uitgekeerd": "102345.00",
        "wacht": "1000.00",
        "beschikbaar": "40406.00",
    }


def test_a_financier_without_a_begroting_on_the_project_has_nothing_free(client_for, deal, kassier):
    project = Project.objects.get(deal=deal, code="1310")
    funder = deal.funders.exclude(bookings__project=project).order_by("order").first()
    tranche_register(project=project, funder=funder, amount=Decimal("500.00"), date=deal.start, user=kassier)
    assert headroom_on_the_form(client_for(kassier), deal)[f"{project.pk}-{funder.pk}"] == {
        "begroot": "0.00",
        "uitgekeerd": "0.00",
        "wacht": "500.00",
        "beschikbaar": "-500.00",
    }


def test_above_what_is_free_the_kassier_registers_and_is_warned(client_for, deal, kassier):
    response = register_post(client_for(kassier), deal, amount="53.751")
    tranche = Tranche.objects.get(project__deal=deal, status=Tranche.Status.PENDING)
    assert tranche.amount == Decimal("53751.00")
    shown = [(m.level_tag, m.message) for m in response.wsgi_request._messages]
    assert shown[1] == (
        "warning",
        "Let op: met deze tranche komt project 1310 voor Rijk €\u00a012.345,00 boven de begroting (begroot "
        "€\u00a0143.751,00, al uitgekeerd €\u00a0102.345,00, ter goedkeuring met deze tranche €\u00a053.751,00). "
        "De controller kan haar alleen goedkeuren met een reden en het besluit dat dit toestaat.",
    )


def test_within_what_is_free_there_is_no_warning(client_for, deal, kassier):
    response = register_post(client_for(kassier), deal, amount=str(FREE))
    assert [m.level_tag for m in response.wsgi_request._messages] == ["success"]


def test_within_the_budget_the_controller_is_not_asked_for_a_reason(client_for, deal, kassier, controller):
    register_post(client_for(kassier), deal, amount="1000")
    tranche = Tranche.objects.get(project__deal=deal, status=Tranche.Status.PENDING)
    page = client_for(controller).get(f"/financien/{deal.code}/tranches/{tranche.pk}/").content.decode()
    assert "override_reason" not in page and "override_decision" not in page
    response = client_for(controller).post(f"/financien/{deal.code}/tranches/{tranche.pk}/goedkeuren/", {})
    assert response.status_code == 302
    tranche.refresh_from_db()
    assert (tranche.status, tranche.override_reason) == (Tranche.Status.APPROVED, "")


def test_above_the_budget_reason_and_decision_are_required_before_the_first_submit(
    client_for, deal, kassier, controller
):
    register_post(client_for(kassier), deal, amount="53751")
    tranche = Tranche.objects.get(project__deal=deal, status=Tranche.Status.PENDING)
    client = client_for(controller)
    page = client.get(f"/financien/{deal.code}/tranches/{tranche.pk}/").content.decode()
    assert re.search(r'<textarea name="override_reason"[^>]* required', page)
    assert re.search(r'<select name="override_decision"[^>]* required', page)
    assert 'Reden overschrijding begroting <span aria-hidden="true">*</span>' in page
    response = client.post(f"/financien/{deal.code}/tranches/{tranche.pk}/goedkeuren/", {})
    assert response.status_code == 400
    form = response.context["approve_form"]
    assert form.errors == {
        "override_reason": ["Geef de reden waarom deze tranche boven de begroting uitkomt."],
        "override_decision": ["Kies het besluit dat deze overschrijding toestaat."],
    }
    assert Tranche.objects.get(pk=tranche.pk).status == Tranche.Status.PENDING


def test_the_conditions_of_the_chosen_project_are_marked_required_before_the_first_submit(client_for, deal, kassier):
    # 1220 in the demo: plan van aanpak on every tranche, verslag vorige periode from tranche 2.
    page = client_for(kassier).get(f"/financien/{deal.code}/tranches/nieuw/?project=1220").content.decode()
    items = re.findall(r"<li>(Plan van aanpak goedgekeurd[^<]*|Verslag[^<]*)<strong[^>]*>([^<]*)</strong></li>", page)
    assert [marker for _, marker in items] == ["verplicht vóór goedkeuring"] * 2


def test_people_are_shown_by_their_name_not_their_username(client_for, deal, kassier, controller):
    register_post(client_for(kassier), deal, amount="1000")
    tranche = Tranche.objects.get(project__deal=deal, status=Tranche.Status.PENDING)
    client_for(controller).post(f"/financien/{deal.code}/tranches/{tranche.pk}/goedkeuren/", {})
    page = client_for(kassier).get(f"/financien/{deal.code}/tranches/{tranche.pk}/").content.decode()
    registered = f"<dt>Geregistreerd</dt><dd>{kassier.get_full_name()} op "
    decided = f"<dt>Beoordeeld</dt><dd>{controller.get_full_name()} op "
    assert registered in page and decided in page
    assert kassier.get_full_name() not in ("", kassier.username)  # else this test would prove nothing


def test_the_booking_and_tranche_lists_name_people(client_for, deal, kassier):
    # The demo's bookings were made by the coordinator (Carla Coördinator, username "coordinator").
    client = client_for(kassier)
    bookings = client.get(f"/financien/{deal.code}/boekingen/").content.decode()
    assert "Carla Coördinator</td>" in bookings and ">coordinator</td>" not in bookings
    tranches = client.get(f"/financien/{deal.code}/tranches/").content.decode()
    assert f"{kassier.get_full_name()}</td>" in tranches and f">{kassier.username}</td>" not in tranches
