"""Kills the mutants of reports/permissions.py that the suite let live (docs/mutation-testing.md).

The roles of one deal say nothing about another: a person may be penvoerder in one deal and
stuurgroep or coördinator in the other (tests/conftest.make_user gives roles per deal).
"""

import pytest
from django.core.exceptions import PermissionDenied

from projects import roles
from projects.models import Deal
from projects.services_roles import assign_without_review
from reports.permissions import can_edit_reports, can_read_reports, get_report_deal_for_user
from tests.conftest import make_user


@pytest.fixture
def second_deal(db) -> Deal:
    return Deal.objects.exclude(code="cleantech").get(role_assignments__user__username="coordinator_b")


def refusal(*args, **kwargs) -> str:
    with pytest.raises(PermissionDenied) as caught:
        get_report_deal_for_user(*args, **kwargs)
    return str(caught.value)


def test_a_penvoerder_does_not_read_the_report(lead):
    assert refusal(lead, "cleantech") == (
        "De voortgangsrapportage is voor de stuurgroep, werkgroep, kassier en controllers."
    )


def test_the_stuurgroep_reads_the_report_but_does_not_publish_it(steering):
    assert get_report_deal_for_user(steering, "cleantech").code == "cleantech"
    assert refusal(steering, "cleantech", write=True) == (
        "Alleen de coördinator publiceert de rapportage en schrijft de teksten."
    )


def test_reading_and_publishing_are_roles_of_the_deal_itself(deal, second_deal):
    # Penvoerder here (so the deal is visible), stuurgroep in the other deal: no report here.
    reader_elsewhere = make_user("stuurgroep_elders", roles.LEAD, deal=deal)
    assign_without_review(deal=second_deal, user=reader_elsewhere, role=roles.STEERING)
    assert not can_read_reports(reader_elsewhere, deal) and can_read_reports(reader_elsewhere, second_deal)
    assert refusal(reader_elsewhere, "cleantech").startswith("De voortgangsrapportage is voor")
    # Stuurgroep here, coördinator in the other deal: reads the report here but does not publish it.
    publisher_elsewhere = make_user("coordinator_elders", roles.STEERING, deal=deal)
    assign_without_review(deal=second_deal, user=publisher_elsewhere, role=roles.COORDINATOR)
    assert not can_edit_reports(publisher_elsewhere, deal) and can_edit_reports(publisher_elsewhere, second_deal)
    assert refusal(publisher_elsewhere, "cleantech", write=True).startswith("Alleen de coördinator publiceert")
