"""Kills the mutants of finance/selectors*.py that the suite let live (docs/mutation-testing.md)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from finance.findings import deal_findings
from finance.models import Booking
from finance.selectors import deal_figures
from finance.selectors_conditions import project_conditions
from finance.selectors_decisions import decision_changes
from finance.services import tranche_register
from projects.models import Project
from tests.builders import build_synthetic_deal
from tests.finance import test_years as years

pytestmark = pytest.mark.django_db
live = years.live  # the fixture: a small deal that runs from two years ago to next year


def test_the_rijk_match_finding_links_to_the_begrotingen_as_of_the_ijkdatum():
    deal = build_synthetic_deal(code="weinig-publiek", programmes=1, projects_per_programme=1, funders=1)  # Rijk only
    found = [f for f in deal_findings(deal=deal, as_of=date(2025, 1, 1), today=date(2025, 1, 2))]
    match = [f for f in found if f.soort == "cofinanciering_te_laag"]
    # The begrotingen are what the Rijk-match compares: the link shows exactly those, up to the ijkdatum.
    assert [f.url for f in match] == ["/financien/weinig-publiek/boekingen/?soort=begroting&tot=2025-01-01"]


def test_the_deal_level_row_links_to_its_bookings_as_of_the_ijkdatum(deal):
    figures = deal_figures(deal=deal, as_of=date(2022, 7, 1))
    assert figures.deal_level.url == "/financien/cleantech/boekingen/?dealniveau=1&tot=2022-07-01"


def test_paid_out_more_than_budgeted_names_the_budget(deal):
    # 1310 x Rijk: begroot 143.751, uitgekeerd 102.345 (fixtures/cleantech.json); 50.000 more makes 152.345.
    project = Project.objects.get(deal=deal, code="1310")
    rijk = deal.funders.get(name="Rijk")
    Booking.objects.create(
        deal=deal, project=project, funder=rijk, kind="uitkering", amount=Decimal("50000.00"), date=date(2022, 6, 1)
    )
    found = [f for f in deal_findings(deal=deal, as_of=date(2022, 7, 1), today=date(2022, 7, 2))]
    [over] = [f for f in found if f.soort == "uitgekeerd_boven_begroot"]
    assert over.omschrijving == (
        "Rijk keerde op project 1310 Pilot Wijkgericht werken aan talentontwikkeling €\u00a0152.345,00 uit, "
        "€\u00a08.594,00 meer dan begroot (€\u00a0143.751,00)."
    )


def test_a_financier_without_a_begroting_counts_its_largest_amount_committed_included(deal):
    # A toekenning of 70.000 without a begroting, and 20.000 paid: the finding's amount is the larger, 70.000.
    project = Project.objects.get(deal=deal, code="1310")
    funder = deal.funders.exclude(bookings__project=project).order_by("order").first()
    decision = deal.decisions.order_by("pk").first()
    for kind, amount in (("toekenning", "70000.00"), ("uitkering", "20000.00")):
        Booking.objects.create(
            deal=deal, project=project, funder=funder, kind=kind, amount=Decimal(amount), date=date(2022, 6, 1),
            decision=decision if kind == "toekenning" else None,
        )  # fmt: skip
    found = deal_findings(deal=deal, as_of=date(2022, 7, 1), today=date(2022, 7, 2))
    assert [f.amount for f in found if f.soort == "zonder_begroting" and f.funder == funder] == [Decimal("70000.00")]


def test_the_conditions_page_lists_the_projects_waiting_tranches(deal, kassier):
    # 1220 in the demo has conditions; a tranche registered now waits for a controller and must be listed.
    project = Project.objects.get(deal=deal, code="1220")
    rijk = deal.funders.get(name="Rijk")
    tranche = tranche_register(project=project, funder=rijk, amount=Decimal("10.00"), date=deal.start, user=kassier)
    assert [t.pk for t, _states in project_conditions(project).pending] == [tranche.pk]


def test_a_rollover_without_a_note_is_described_without_one(live):
    this_year = timezone.localdate().year
    years.plan(live["project"], live["funder"], this_year - 1, "400", user=live["coordinator"])
    years.roll(live, this_year - 1, "100")
    [change] = [c for c in decision_changes(live["decision"]) if c.kind == "Doorgeschoven naar volgend jaar"]
    project = live["project"]
    assert change.description == (
        f"project {project.code} / {live['funder']}: {this_year - 1} → {this_year}, vastgelegd door coord_live"
    )
