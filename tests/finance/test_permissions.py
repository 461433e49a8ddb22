"""Who may open which finance screen: one table of URL x role, plus the object rules of finance.permissions."""

import pytest
from django.contrib.auth.models import User

from finance.models import Tranche
from finance.permissions import (
    can_decide_tranche,
    can_read_all_finance,
    can_read_project_finance,
    can_record_expenditure,
    can_register_tranche,
    can_view_findings,
    can_view_history,
)
from projects.models import Project

OVERVIEW = "/financien/cleantech/"
BOOKINGS = "/financien/cleantech/boekingen/"
OWN_PROJECT = "/financien/cleantech/projecten/1310/"  # programme 1300, Cleantech Werkt
OTHER_PROJECT = "/financien/cleantech/projecten/2320/"  # programme 2300, Groene Groei
TRANCHES = "/financien/cleantech/tranches/"
REGISTER = "/financien/cleantech/tranches/nieuw/"
EXPENDITURE = "/financien/cleantech/bestedingen/nieuw/"
FINDINGS = "/financien/cleantech/bevindingen/"

# persona -> {url: status}
MATRIX = {
    "kassier": {OVERVIEW: 200, BOOKINGS: 200, OWN_PROJECT: 200, OTHER_PROJECT: 200, TRANCHES: 200, REGISTER: 200,
                EXPENDITURE: 403, FINDINGS: 200},
    "controller": {OVERVIEW: 200, BOOKINGS: 200, OWN_PROJECT: 200, OTHER_PROJECT: 200, TRANCHES: 200, REGISTER: 403,
                   EXPENDITURE: 403, FINDINGS: 200},
    "coordinator": {OVERVIEW: 200, BOOKINGS: 200, OWN_PROJECT: 200, OTHER_PROJECT: 200, TRANCHES: 200, REGISTER: 403,
                    EXPENDITURE: 200, FINDINGS: 200},
    "steering": {OVERVIEW: 200, BOOKINGS: 200, OWN_PROJECT: 200, OTHER_PROJECT: 200, TRANCHES: 200, REGISTER: 403,
                 EXPENDITURE: 403, FINDINGS: 403},
    "theme_manager": {OVERVIEW: 200, BOOKINGS: 200, OWN_PROJECT: 200, OTHER_PROJECT: 403, TRANCHES: 403,
                      REGISTER: 403, EXPENDITURE: 200, FINDINGS: 403},
    "lead": {OVERVIEW: 403, BOOKINGS: 403, OWN_PROJECT: 403, OTHER_PROJECT: 403, TRANCHES: 403, REGISTER: 403,
             EXPENDITURE: 403, FINDINGS: 403},
    "outsider": {OVERVIEW: 404, BOOKINGS: 404, OWN_PROJECT: 404, OTHER_PROJECT: 404, TRANCHES: 404, REGISTER: 404,
                 EXPENDITURE: 404, FINDINGS: 404},
}  # fmt: skip


@pytest.mark.parametrize("persona", list(MATRIX))
def test_finance_url_by_role(persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    got = {url: client.get(url).status_code for url in MATRIX[persona]}
    assert got == MATRIX[persona]


def test_anonymous_is_sent_to_login(client):
    response = client.get(OVERVIEW)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


@pytest.mark.parametrize("persona", ["kassier", "controller", "coordinator", "steering"])
def test_roles_that_read_all_finance(persona, request, deal):
    assert can_read_all_finance(request.getfixturevalue(persona), deal)


def test_theme_manager_reads_only_finance_of_own_programmes(deal, theme_manager, other_theme_manager):
    own, other = Project.objects.get(deal=deal, code="1310"), Project.objects.get(deal=deal, code="2110")
    assert can_read_project_finance(theme_manager, own) and not can_read_project_finance(theme_manager, other)
    assert can_read_project_finance(other_theme_manager, other)
    assert not can_read_project_finance(other_theme_manager, own)
    assert not can_read_all_finance(theme_manager, deal)


def test_lead_reads_no_finance_not_even_of_own_project(deal, lead):
    assert not can_read_project_finance(lead, Project.objects.get(deal=deal, code="1310"))


def test_only_kassier_registers_tranches(deal, kassier, controller, coordinator, steering, theme_manager):
    assert can_register_tranche(kassier, deal)
    assert not any(can_register_tranche(u, deal) for u in (controller, coordinator, steering, theme_manager))


def test_only_another_controller_decides_a_pending_tranche(deal, kassier, controller, second_controller):
    tranche = Tranche(project=Project.objects.get(deal=deal, code="1310"), registered_by=controller)
    tranche.status = Tranche.Status.PENDING
    assert can_decide_tranche(second_controller, tranche)
    assert not can_decide_tranche(controller, tranche)  # registered it
    assert not can_decide_tranche(kassier, tranche)
    tranche.status = Tranche.Status.APPROVED
    assert not can_decide_tranche(second_controller, tranche)


def test_expenditure_by_coordinator_or_theme_manager_of_the_project(
    deal, coordinator, theme_manager, other_theme_manager, kassier, lead
):
    project = Project.objects.get(deal=deal, code="1310")
    assert can_record_expenditure(coordinator, project)
    assert can_record_expenditure(theme_manager, project)
    assert not can_record_expenditure(other_theme_manager, project)
    assert not can_record_expenditure(kassier, project)
    assert not can_record_expenditure(lead, project)


def test_findings_for_coordinator_kassier_and_controller(
    deal, coordinator, kassier, controller, steering, theme_manager
):
    assert all(can_view_findings(u, deal) for u in (coordinator, kassier, controller))
    assert not can_view_findings(steering, deal) and not can_view_findings(theme_manager, deal)


def test_history_for_the_coordinator_only(deal, coordinator, kassier):
    assert can_view_history(coordinator, deal) and not can_view_history(kassier, deal)


def test_theme_manager_cannot_open_a_tranche_of_another_programme(deal, client_for, other_theme_manager):
    tranche = Tranche.objects.filter(project__deal=deal, project__programme__code="1100").first()
    response = client_for(other_theme_manager).get(f"/financien/cleantech/tranches/{tranche.pk}/")
    assert response.status_code == 404


def test_user_without_role_cannot_even_see_the_finance_index(db, client_for):
    user = User.objects.create_user("niemand")
    assert client_for(user).get("/financien/").status_code == 403
