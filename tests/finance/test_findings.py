"""finance.findings.deal_findings: every kind of finding, from the demo deal and from small made-up cases."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finance.findings import deal_findings
from finance.models import Booking, Tranche
from finance.services import tranche_approve, tranche_register
from projects.models import Project
from tests.builders import build_synthetic_deal

IJK = date(2022, 7, 1)
TODAY = date(2026, 11, 24)


def kinds(findings, soort):
    return [f for f in findings if f.soort == soort]


@pytest.fixture
def demo_findings(deal):
    return deal_findings(deal=deal, as_of=IJK, today=TODAY)


def test_heerde_without_budget_on_2320_is_flagged(demo_findings):
    found = kinds(demo_findings, "zonder_begroting")
    heerde = [f for f in found if f.funder.name == "Gemeente Heerde"]
    assert len(heerde) == 1 and heerde[0].project.code == "2320"
    assert "uitgekeerd €\u00a0682,00" in heerde[0].omschrijving and "besteed €\u00a0293,00" in heerde[0].omschrijving
    assert heerde[0].url.startswith("/financien/cleantech/boekingen/?project=2320&financier=")


def test_funders_that_spent_more_than_was_paid_out_are_flagged(demo_findings):
    deal_wide = {f.funder.name: f.amount for f in kinds(demo_findings, "besteed_boven_uitgekeerd") if not f.project}
    assert deal_wide["Gemeente Epe"] == Decimal("61923") - Decimal("2727")
    assert deal_wide["Gemeente Zutphen"] == Decimal("61337") - Decimal("1363")
    assert deal_wide["Gemeente Deventer"] == Decimal("87500") - Decimal("20000")
    assert "Rijk" not in deal_wide


def test_project_past_its_end_with_budget_not_paid_out(demo_findings):
    past_end = {f.project.code: f.amount for f in kinds(demo_findings, "einddatum_voorbij")}
    # fixtures/cleantech.json: Biogashub Oxe (2110) ended 30-06-2022 on paper with nothing of its 4.687.507
    # paid out; 2150 ended 31-03-2022 with 4.928.727 begroot and 239.566 paid: 4.689.161 still to pay.
    assert past_end == {"2110": Decimal("4687507.00"), "2150": Decimal("4689161.00")}


def test_public_cofinancing_of_the_demo_is_not_below_the_rijk(demo_findings):
    assert not kinds(demo_findings, "cofinanciering_te_laag")


def test_public_cofinancing_below_rijk_is_flagged(db):
    deal = build_synthetic_deal(code="weinig-publiek", programmes=1, projects_per_programme=1, funders=1)  # Rijk only
    found = kinds(deal_findings(deal=deal, as_of=date(2025, 1, 1), today=TODAY), "cofinanciering_te_laag")
    assert len(found) == 1 and found[0].amount == Decimal("1500.00")


def test_public_cofinancing_outside_the_kassier_counts_towards_the_rijk_match(db):
    from finance.models import DirectCoFinancing, Funder
    from tests.conftest import make_user

    deal = build_synthetic_deal(code="weinig-publiek", programmes=1, projects_per_programme=1, funders=1)  # Rijk only
    municipality = Funder.objects.create(deal=deal, name="Gemeente", category="publiek", kind="gemeente", order=9)
    # Rijk begroot 1.500 and no public begroting; the municipality pays 1.000 to the project directly.
    DirectCoFinancing.objects.create(
        project=deal.projects.get(), funder=municipality, amount=Decimal("1000.00"), pledged_on=date(2024, 6, 1),
        created_by=make_user("coord_weinig"),
    )  # fmt: skip
    found = kinds(deal_findings(deal=deal, as_of=date(2025, 1, 1), today=TODAY), "cofinanciering_te_laag")
    assert [f.amount for f in found] == [Decimal("500.00")]
    assert (
        "(€\u00a01.000,00, waarvan €\u00a01.000,00 buiten de kassier om) is €\u00a0500,00 lager"
        in found[0].omschrijving
    )
    # Pledged after the ijkdatum, it does not count yet.
    early = kinds(deal_findings(deal=deal, as_of=date(2024, 5, 31), today=TODAY), "cofinanciering_te_laag")
    assert [f.amount for f in early] == [Decimal("1500.00")]


def test_paid_out_more_than_budgeted_is_flagged(deal, kassier):
    project = Project.objects.get(deal=deal, code="1310")
    rijk = deal.funders.get(name="Rijk")
    Booking.objects.create(
        deal=deal, project=project, funder=rijk, kind="uitkering", amount=Decimal("9999999.00"), date=date(2022, 6, 1)
    )
    found = kinds(deal_findings(deal=deal, as_of=IJK, today=TODAY), "uitgekeerd_boven_begroot")
    assert [(f.project.code, f.funder.name) for f in found] == [("1310", "Rijk")]


def test_paid_out_more_than_committed_within_the_budget_is_flagged(deal):
    # 1310 x Rijk: begroot = gecommitteerd = 143.751, uitgekeerd 102.345 (fixtures/cleantech.json).
    # 100.000 more begroot without a toekenning, then 50.000 paid: 152.345 - 143.751 = 8.594 beyond it.
    project = Project.objects.get(deal=deal, code="1310")
    rijk = deal.funders.get(name="Rijk")
    decision = deal.decisions.order_by("pk").first()  # a begroting always names its decision
    for kind, amount, by in (("begroting", "100000.00", decision), ("uitkering", "50000.00", None)):
        Booking.objects.create(
            deal=deal, project=project, funder=rijk, kind=kind, amount=Decimal(amount), date=date(2022, 6, 1),
            decision=by,
        )  # fmt: skip
    found = kinds(deal_findings(deal=deal, as_of=IJK, today=TODAY), "uitgekeerd_boven_gecommitteerd")
    assert [(f.project.code, f.funder.name, f.amount) for f in found] == [("1310", "Rijk", Decimal("8594.00"))]
    assert found[0].omschrijving == (
        "Rijk keerde op project 1310 Pilot Wijkgericht werken aan talentontwikkeling € 152.345,00 uit, "
        "€ 8.594,00 meer dan gecommitteerd (€ 143.751,00)."
    ).replace("€ ", "€\u00a0")


def test_the_seed_deal_pays_nothing_beyond_its_commitments(deal):
    # The one cell paid without commitment in the seed (Heerde on 2320, A9) has no begroting either:
    # it is a "zonder_begroting" finding, not this one.
    assert kinds(deal_findings(deal=deal, as_of=IJK, today=TODAY), "uitgekeerd_boven_gecommitteerd") == []


def test_tranche_waiting_more_than_14_days_is_flagged(deal, kassier):
    project = Project.objects.get(deal=deal, code="1310")
    tranche = tranche_register(
        project=project,
        funder=deal.funders.get(name="Rijk"),
        amount=Decimal("10.00"),
        date=date(2023, 1, 1),
        user=kassier,
    )
    registered = timezone.localdate(tranche.registered_at)
    assert not kinds(deal_findings(deal=deal, as_of=IJK, today=registered + timedelta(days=14)), "tranche_wacht")
    found = kinds(deal_findings(deal=deal, as_of=IJK, today=registered + timedelta(days=15)), "tranche_wacht")
    assert len(found) == 1 and "wacht al 15 dagen" in found[0].omschrijving
    assert found[0].url == f"/financien/cleantech/tranches/{tranche.pk}/"


def test_tranche_approved_over_budget_is_flagged(deal, kassier, controller):
    project = Project.objects.get(deal=deal, code="1310")
    tranche = tranche_register(
        project=project,
        funder=deal.funders.get(name="Rijk"),
        amount=Decimal("99999999.00"),
        date=date(2023, 1, 1),
        user=kassier,
    )
    tranche_approve(
        tranche=tranche, user=controller, override_reason="Besluit stuurgroep", override_decision=deal.decisions.first()
    )
    found = kinds(deal_findings(deal=deal, as_of=date(2023, 2, 1), today=TODAY), "tranche_overschrijding")
    assert [f.amount for f in found] == [Decimal("99999999.00")]
    assert Tranche.objects.get(pk=tranche.pk).override_reason == "Besluit stuurgroep"


def test_project_ending_after_the_financial_closing_is_flagged(deal):
    project = Project.objects.get(deal=deal, code="1310")
    project.end = deal.financial_closing_date + timedelta(days=1)
    project.save()
    found = kinds(deal_findings(deal=deal, as_of=IJK, today=TODAY), "na_afsluiting")
    assert [f.project.code for f in found] == ["1310"]


def test_payout_after_the_financial_closing_is_flagged(deal):
    project = Project.objects.get(deal=deal, code="1310")
    when = deal.financial_closing_date + timedelta(days=1)
    Booking.objects.create(
        deal=deal,
        project=project,
        funder=deal.funders.get(name="Rijk"),
        kind="uitkering",
        amount=Decimal("5"),
        date=when,
    )
    found = kinds(deal_findings(deal=deal, as_of=when, today=TODAY), "na_afsluiting")
    assert any(f.funder and f.amount == Decimal("5.00") for f in found)


def test_findings_take_a_fixed_number_of_queries(db):
    small = build_synthetic_deal(code="f-klein", programmes=2, projects_per_programme=2)
    large = build_synthetic_deal(code="f-groot", programmes=20, projects_per_programme=2)
    counts = []
    for deal in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            deal_findings(deal=deal, as_of=date(2025, 1, 1), today=TODAY)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 8
