from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from finance.models import Booking, Funder
from projects.models import ActionLine, Deal, Programme, Project


def test_duplicate_project_code_in_one_deal_is_refused_with_dutch_message(deal):
    existing = deal.projects.get(code="1110")
    duplicate = Project(deal=deal, programme=existing.programme, code="1110", name="Dubbel")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "Deze deal heeft al een project met deze code." in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_same_project_code_is_allowed_in_another_deal(deal):
    other = Deal.objects.create(
        code="andere-deal",
        name="Regio Deal Twente",
        region="Twente",
        start=date(2019, 5, 1),
        end=date(2024, 12, 31),
        financial_closing_date=date(2025, 7, 1),
        default_reference_date=date(2020, 4, 30),
    )
    line = ActionLine.objects.create(deal=other, code="1", name="Innovatie")
    programme = Programme.objects.create(deal=other, action_line=line, code="1100", name="Programma")
    project = Project(deal=other, programme=programme, code="1110", name="Ander project")
    project.full_clean()
    project.save()
    assert Project.objects.filter(code="1110", deal__in=[deal, other]).count() == 2


def test_duplicate_programme_and_action_line_codes_are_refused(deal):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionLine.objects.create(deal=deal, code="1", name="Kopie")
    line = deal.action_lines.get(code="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(deal=deal, action_line=line, code="1100", name="Kopie")


def test_negative_booking_amount_is_refused_by_database_and_validation(deal):
    booking = Booking(
        deal=deal,
        project=deal.projects.get(code="1110"),
        funder=deal.funders.get(name="Rijk"),
        kind=Booking.Kind.BUDGET,
        amount=Decimal("-100.00"),
        date=date(2021, 1, 1),
    )
    with pytest.raises(ValidationError) as excinfo:
        booking.full_clean()
    assert "negatief" in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        booking.save()


def test_duplicate_funder_name_in_deal_is_refused(deal):
    with pytest.raises(IntegrityError), transaction.atomic():
        Funder.objects.create(deal=deal, name="Rijk", category="rijk", kind="rijk")


def test_project_cannot_belong_to_programme_of_another_deal(deal):
    other = Deal.objects.create(
        code="ander",
        name="Andere deal",
        region="X",
        start=date(2021, 1, 1),
        end=date(2023, 1, 1),
        financial_closing_date=date(2023, 7, 1),
        default_reference_date=date(2022, 1, 1),
    )
    project = Project(deal=other, programme=deal.programmes.get(code="1100"), code="9999", name="Verkeerd")
    with pytest.raises(ValidationError) as excinfo:
        project.full_clean()
    assert "andere deal" in str(excinfo.value)


def test_project_may_start_before_the_deal(deal):
    # Pre-existing projects (1150 since August 2019) are intended, see fixtures/README.md.
    project = deal.projects.get(code="1150")
    assert project.start < deal.start
    project.full_clean()
