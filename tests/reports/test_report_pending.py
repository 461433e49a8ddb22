"""Amounts "nog te bepalen" (Circulaire Regio's NTB): shown as such, never as € 0 and never summed."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from finance.models import Booking
from finance.models_pending import PendingAmount
from finance.selectors_pending import open_pending_amounts
from reports.jsonformat import report_json
from reports.selectors import report_data

AS_OF = date(2022, 7, 1)


@pytest.fixture
def deventer_pending(deal) -> PendingAmount:
    # 1310 has begrotingen of Rijk, both provinces, Onderwijs and Privaat only (fixtures/cleantech.json).
    return PendingAmount.objects.create(
        deal=deal,
        project=deal.projects.get(code="1310"),
        funder=deal.funders.get(name="Gemeente Deventer"),
        note="na raadsbesluit",
    )


def test_the_report_lists_the_pending_amount_and_leaves_every_total_as_it_was(deal, deventer_pending):
    document = report_json(report_data(deal=deal, as_of=AS_OF))
    assert document["nog_te_bepalen"] == [
        {"project": "1310", "financier": "Gemeente Deventer", "categorie": "publiek", "toelichting": "na raadsbesluit"}
    ]
    # The seed's totals (Tabel 1 to 7) stay exactly: begroot 101.213.155, uitgekeerd 8.046.409.
    total = document["totaal"]["totaal"]
    assert (total["begroot"], total["uitgekeerd"]) == ("101213155.00", "8046409.00")


def test_the_pages_say_nog_te_bepalen_instead_of_showing_nothing_or_zero(deal, deventer_pending):
    data = report_data(deal=deal, as_of=AS_OF)
    html = render_to_string("reports/report_detail.html", {"report": data, "deal": deal})
    deventer_row = html[html.index(">Gemeente Deventer</a>") :]
    assert deventer_row.startswith('>Gemeente Deventer</a> <span class="muted">(+ n.t.b.)</span></th>')
    assert "van Gemeente Deventer (project 1310: na raadsbesluit) is het bedrag nog niet bekend" in html
    sheet = next(s for s in data.fact_sheets if s.project.code == "1310")
    assert [p.funder.name for p in sheet.pending] == ["Gemeente Deventer"]
    assert "Gemeente Deventer (na raadsbesluit) — bedrag nog niet bekend, niet in de cijfers." in html


def test_a_begroting_booked_for_it_closes_the_pending_amount_from_its_date(deal, deventer_pending):
    Booking.objects.create(
        deal=deal, project=deventer_pending.project, funder=deventer_pending.funder, kind="begroting",
        amount=Decimal("50000.00"), date=date(2022, 9, 1), decision=deal.decisions.order_by("pk").first(),
    )  # fmt: skip
    assert open_pending_amounts(deal=deal, as_of=date(2022, 8, 31)) == [deventer_pending]
    assert open_pending_amounts(deal=deal, as_of=date(2022, 9, 1)) == []


def test_a_pending_amount_on_the_deal_level_is_open_while_the_deal_level_has_no_begroting_of_it(deal):
    # The deal level has one begroting: Rijk 225.000 (A1); Provincie Gelderland has none there.
    gelderland = PendingAmount.objects.create(deal=deal, funder=deal.funders.get(name="Provincie Gelderland"))
    rijk = PendingAmount.objects.create(deal=deal, funder=deal.funders.get(name="Rijk"))
    assert open_pending_amounts(deal=deal, as_of=AS_OF) == [gelderland]
    assert rijk.pk is not None


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("funder", "Kies een financier van deze deal."),
        ("project", "Kies een project van deze deal."),
    ],
)
def test_a_pending_amount_belongs_to_one_deal(deal, field, message):
    other = type(deal).objects.get(code="synth-2-1")
    values = {"deal": deal, "project": deal.projects.get(code="1310"), "funder": deal.funders.get(name="Board")}
    values[field] = other.funders.order_by("pk").first() if field == "funder" else other.projects.order_by("pk").first()
    with pytest.raises(ValidationError) as refused:
        PendingAmount(**values).full_clean()
    assert refused.value.message_dict[field] == [message]


def test_the_same_pending_amount_twice_is_refused(deal, deventer_pending):
    twin = PendingAmount(deal=deal, project=deventer_pending.project, funder=deventer_pending.funder)
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    assert refused.value.message_dict["__all__"] == ["Voor deze financier staat hier al een nog te bepalen bedrag."]


def test_the_project_finance_page_says_which_contribution_is_not_known_yet(deal, deventer_pending, client_for):
    from django.urls import reverse

    html = (
        client_for(deal.role_assignments.get(role="kassier").user)
        .get(reverse("finance:project-finance", args=[deal.code, "1310"]))
        .content.decode()
    )
    assert "<strong>Nog te bepalen:</strong> Gemeente Deventer (na raadsbesluit): het bedrag is nog niet bekend" in html


def test_a_new_pending_amount_makes_the_stored_pdf_stale(deal):
    from reports.services import data_version

    before = data_version(deal=deal, as_of=AS_OF, period=None)
    PendingAmount.objects.create(deal=deal, funder=deal.funders.get(name="Board"))
    assert data_version(deal=deal, as_of=AS_OF, period=None) != before
