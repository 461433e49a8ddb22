"""Money inputs read what Dutch users type and refuse, with the reading spelled out, what could be read two ways."""

from decimal import Decimal

import pytest
from django.urls import reverse

from finance.fields import MoneyField, parse_amount
from finance.forms import TrancheForm
from finance.models import Tranche
from projects.models import Project

NO_EVIDENCE = {"bewijs-TOTAL_FORMS": "0", "bewijs-INITIAL_FORMS": "0"}
HOW = "Schrijf bedragen als 25.000,50 (punt tussen duizendtallen, komma voor de centen)."


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("25000", "25000"),
        ("25.000", "25000"),
        ("25.000,50", "25000.50"),
        ("€ 25.000", "25000"),
        ("€\u00a025.000,00", "25000.00"),
        ("25000,5", "25000.5"),
        ("25.000,-", "25000"),
        ("7.500.000,00", "7500000.00"),
        ("25 000,00", "25000.00"),
        ("25000.50", "25000.50"),  # a point before two digits cannot separate thousands
        ("0,01", "0.01"),
    ],
)
def test_what_dutch_users_type_is_read_as_they_mean_it(typed, amount):
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("25,000.50", f"'25,000.50' kan op meer manieren gelezen worden: bedoelt u €\u00a025.000,50? {HOW}"),
        ("25,000", f"'25,000' kan op meer manieren gelezen worden: bedoelt u €\u00a025.000,00 of €\u00a025,00? {HOW}"),
        ("1,000,000", f"'1,000,000' kan op meer manieren gelezen worden: bedoelt u €\u00a01.000.000,00? {HOW}"),
        ("25.00.0", f"'25.00.0' is geen bedrag. {HOW}"),
        ("1.2345", f"'1.2345' is geen bedrag. {HOW}"),
        ("25,5a", "'25,5a' is geen bedrag: na de komma horen alleen cijfers (de centen)."),
        ("2,5,0", "'2,5,0' is geen bedrag: er hoort hoogstens één komma in, voor de centen."),
        (
            "12.34,50",
            "'12.34,50' is geen bedrag. Een punt staat alleen tussen groepen van drie cijfers, zoals in 25.000,50.",
        ),
        ("€", "'€' is geen bedrag."),
    ],
)
def test_what_could_be_read_two_ways_is_refused_with_the_reading(typed, message):
    field = MoneyField(label="Bedrag (€)")
    with pytest.raises(Exception) as caught:
        field.clean(typed)
    assert caught.value.messages == [message]


def test_a_money_field_is_a_text_input_that_shows_amounts_the_dutch_way():
    html = str(
        TrancheForm(
            initial={"amount": Decimal("25000.50")}, projects=Project.objects.none(), funders=Project.objects.none()
        )["amount"]
    )
    assert 'type="text"' in html and 'inputmode="decimal"' in html and 'value="25.000,50"' in html
    assert 'type="number"' not in html


@pytest.mark.django_db
def test_the_kassier_types_25_000_and_a_tranche_of_25000_euros_waits(client_for, deal, kassier):
    project = Project.objects.get(deal=deal, code="1310")
    rijk = deal.funders.get(name="Rijk")
    client = client_for(kassier)
    payload = {
        "project": project.pk,
        "funder": rijk.pk,
        "amount": "25.000",
        "date": "2022-05-02",
        "note": "",
        **NO_EVIDENCE,
    }
    response = client.post(reverse("finance:tranche-register", args=[deal.code]), payload)
    assert response.status_code == 302
    tranche = Tranche.objects.get(project=project, funder=rijk, status=Tranche.Status.PENDING)
    assert tranche.amount == Decimal("25000.00")


@pytest.mark.django_db
def test_a_refused_amount_keeps_what_was_typed_and_says_what_was_understood(client_for, deal, kassier):
    project = Project.objects.get(deal=deal, code="1310")
    rijk = deal.funders.get(name="Rijk")
    payload = {
        "project": project.pk,
        "funder": rijk.pk,
        "amount": "25,000.50",
        "date": "2022-05-02",
        "note": "x",
        **NO_EVIDENCE,
    }
    response = client_for(kassier).post(reverse("finance:tranche-register", args=[deal.code]), payload)
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        f"'25,000.50' kan op meer manieren gelezen worden: bedoelt u €\u00a025.000,50? {HOW}"
    ]
    assert 'value="25,000.50"' in response.content.decode()
    assert not Tranche.objects.filter(project=project, status=Tranche.Status.PENDING).exists()
