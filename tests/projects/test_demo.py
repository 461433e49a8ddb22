"""load_demo: idempotent, and its budgets per programme x category equal the seed's Tabel 5."""

from decimal import Decimal

from django.core.management import call_command
from django.db.models import Sum

from finance.models import Booking, DirectCoFinancing, Funder, Tranche, Voucher
from projects.models import ActionLine, Deal, Organisation, Programme, ProgrammeLine, ProgrammeLinePeriod, Project
from reports.models import ReportText
from tests.seed_tables import SEED_TABLES

TABEL_5 = SEED_TABLES[5]  # begroot per programme: Rijk, publieke cofinanciering, overige financiering


def counts(deal_code="cleantech"):
    per_deal = (ActionLine, Programme, Project, Funder, Booking)
    in_deal = [m.objects.filter(deal__code=deal_code).count() for m in per_deal]
    tranches = Tranche.objects.filter(project__deal__code=deal_code).count()
    return [*in_deal, Organisation.objects.count(), tranches]


def test_load_demo_twice_changes_nothing(deal):
    before = counts(), counts("synth-2-1"), counts("circulair"), counts("twente"), _twente_extras()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (counts(), counts("synth-2-1"), counts("circulair"), counts("twente"), _twente_extras()) == before
    # Twente (reports/demo_twente.py): 5 actielijnen and programmes, 25 projects, 4 funders, 2 lines with their periods.
    assert before[3][:4] == [5, 5, 25, 4] and before[4][:2] == (2, 2)
    # fixtures/cleantech.json: 2 actielijnen, 6 programma's, 26 projects, Tabel 1's 15 funders, 532 bookings
    # (172 begrotingen, 171 toekenningen, 108 uitkeringen, 81 bestedingen) and a tranche per uitkering.
    cleantech = before[0]
    assert cleantech[:5] == [2, 6, 26, 15, 532] and cleantech[6] == 108


def _twente_extras() -> tuple[int, int, int, int]:
    lines = ProgrammeLine.objects.filter(deal__code="twente")
    periods = ProgrammeLinePeriod.objects.filter(programme_line__deal__code="twente")
    vouchers = Voucher.objects.filter(project__deal__code="twente")
    cofinancing = DirectCoFinancing.objects.filter(project__deal__code="twente")
    return lines.count(), periods.count(), vouchers.count(), cofinancing.count()


def test_load_demo_again_keeps_what_the_coordinator_wrote(deal):
    text = ReportText.objects.get(deal=deal, period__name="2022-1")
    text.foreword = "Door de coördinator herschreven."
    text.save()
    versions = text.history.count()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    text.refresh_from_db()
    assert text.foreword == "Door de coördinator herschreven." and text.history.count() == versions


def test_demo_has_every_project_of_the_bijlage(deal):
    codes = set(deal.projects.values_list("code", flat=True))
    assert {"1110", "1150", "1340", "2110", "2180", "2220", "2350"} <= codes
    assert len(codes) == 26
    assert deal.funders.count() == 15


def test_demo_budget_per_programme_and_category_equals_tabel_5(deal):
    rows = (
        Booking.objects.filter(deal=deal, kind=Booking.Kind.BUDGET, project__isnull=False)
        .values("project__programme__code", "funder__category")
        .annotate(total=Sum("amount"))
    )
    got = {(r["project__programme__code"], r["funder__category"]): r["total"] for r in rows}
    for code, (rijk, publiek, overig) in TABEL_5.items():
        assert got[(code, "rijk")] == Decimal(rijk), code
        assert got[(code, "publiek")] == Decimal(publiek), code
        assert got[(code, "overig")] == Decimal(overig), code


def test_demo_rijk_budget_outside_programmes_is_the_missing_225000(deal):
    outside = Booking.objects.filter(deal=deal, kind=Booking.Kind.BUDGET, project__isnull=True)
    assert outside.aggregate(total=Sum("amount"))["total"] == Decimal("225000")
    assert outside.get().funder.name == "Rijk"


def test_demo_theme_manager_is_assigned_to_cleantech_werkt_only(deal, theme_manager):
    assert list(theme_manager.managed_action_lines.values_list("name", flat=True)) == ["Cleantech Werkt"]
    assert not theme_manager.managed_programmes.exists()


def test_the_second_demo_deal_has_money_flowing_not_only_budgets(db):
    second = Deal.objects.get(code="synth-2-1")
    kinds = set(second.bookings.values_list("kind", flat=True))
    assert {"begroting", "toekenning", "uitkering", "besteding"} <= kinds
    assert Tranche.objects.filter(project__deal=second, status=Tranche.Status.APPROVED).exists()
