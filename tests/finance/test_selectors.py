"""finance.selectors: the demo deal's figures equal the seed's tables, as of a date, in fixed queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance.models import Booking
from finance.selectors import CATEGORIES, Figures, deal_figures, project_figures, sum_figures
from projects.models import Project
from tests.builders import build_synthetic_deal
from tests.seed_tables import TABEL_5_6_7

IJKDATUM = date(2022, 7, 1)

# Seed 000, Tabel 5 (begroot), 6 (uitgekeerd), 7 (besteed): per programme (rijk, publiek, overig).
# Tabel 2-4 per actielijn.
TABEL_2_3_4 = {
    "begroot": {"Cleantech Werkt": (2615000, 5107000, 4080000), "Groene Groei": (4660000, 10380000, 74146155)},
    "uitgekeerd": {"Cleantech Werkt": (1196127, 1053283, 320750), "Groene Groei": (1620000, 3358439, 497810)},
    "besteed": {"Cleantech Werkt": (206057, 73082, 269280), "Groene Groei": (494795, 1770256, 560260)},
}
# Tabel 1 rows for the Rijk and public funders: (uitgekeerd, besteed).
TABEL_1 = {
    "Rijk": (2816127, 700852),
    "Provincie Gelderland": (3676065, 1078411),
    "Provincie Overijssel": (494998, 274999),
    "Gemeente Apeldoorn": (87727, 107503),
    "Gemeente Deventer": (20000, 87500),
    "Gemeente Zutphen": (1363, 61337),
    "Gemeente Brummen": (682, 293),
    "Gemeente Lochem": (123115, 167492),
    "Gemeente Voorst": (4363, 3587),
    "Gemeente Epe": (2727, 61923),
    "Gemeente Heerde": (682, 293),
}
# Tabel 1's funders, in its order.
FUNDERS_TABEL_1 = [
    "Rijk",
    "Provincie Gelderland",
    "Provincie Overijssel",
    "Gemeente Apeldoorn",
    "Gemeente Deventer",
    "Gemeente Zutphen",
    "Gemeente Brummen",
    "Gemeente Lochem",
    "Gemeente Voorst",
    "Gemeente Epe",
    "Gemeente Heerde",
    "Gem zonder oormerk of collectief",
    "Board",
    "Onderwijs",
    "Privaat + eigen middelen",
]
# Per category as of the ijkdatum: the totals of Tabel 5 (begroot), 6 (uitgekeerd) and 7 (besteed).
# Gecommitteerd: every begroting of the demo is toegekend (fixtures/cleantech.json), except the
# 225.000 Rijk on the deal itself (fixtures/README.md, A1): Rijk 7.500.000 - 225.000 = 7.275.000.
PER_CATEGORY = {
    "rijk": Figures(
        begroot=Decimal("7500000.00"),
        gecommitteerd=Decimal("7275000.00"),
        uitgekeerd=Decimal("2816127.00"),
        besteed=Decimal("700852.00"),
    ),
    "publiek": Figures(
        begroot=Decimal("15487000.00"),
        gecommitteerd=Decimal("15487000.00"),
        uitgekeerd=Decimal("4411722.00"),
        besteed=Decimal("1843338.00"),
    ),
    "overig": Figures(
        begroot=Decimal("78226155.00"),
        gecommitteerd=Decimal("78226155.00"),
        uitgekeerd=Decimal("818560.00"),
        besteed=Decimal("829540.00"),
    ),
}
# begroot 7.500.000 + 15.487.000 + 78.226.155 = 101.213.155 (fixtures/README.md, A4);
# gecommitteerd 101.213.155 - 225.000 = 100.988.155; uitgekeerd 2.816.127 + 4.411.722 + 818.560 = 8.046.409;
# besteed 700.852 + 1.843.338 + 829.540 = 3.373.730.
DEAL_TOTAL = Figures(
    begroot=Decimal("101213155.00"),
    gecommitteerd=Decimal("100988155.00"),
    uitgekeerd=Decimal("8046409.00"),
    besteed=Decimal("3373730.00"),
)


@pytest.fixture
def figures(deal):
    return deal_figures(deal=deal, as_of=IJKDATUM)


@pytest.mark.parametrize("measure", ["begroot", "uitgekeerd", "besteed"])
def test_programme_by_category_equals_seed_tabel_5_6_7(figures, measure):
    rows = {r.code: r for r in figures.per_programme}
    for code, expected in TABEL_5_6_7[measure].items():
        got = tuple(getattr(rows[code].by_category[c], measure) for c in CATEGORIES)
        assert got == tuple(Decimal(v) for v in expected), (code, measure)


@pytest.mark.parametrize("measure", ["begroot", "uitgekeerd", "besteed"])
def test_action_line_by_category_equals_seed_tabel_2_3_4(figures, measure):
    rows = {r.name: r for r in figures.per_action_line}
    for name, expected in TABEL_2_3_4[measure].items():
        got = tuple(getattr(rows[name].by_category[c], measure) for c in CATEGORIES)
        assert got == tuple(Decimal(v) for v in expected), name


def test_rijk_and_public_funder_rows_equal_seed_tabel_1(figures):
    rows = {r.funder.name: r.figures for r in figures.per_funder}
    for name, (uitgekeerd, besteed) in TABEL_1.items():
        assert (rows[name].uitgekeerd, rows[name].besteed) == (Decimal(uitgekeerd), Decimal(besteed)), name


def test_every_funder_of_the_deal_has_a_row_in_funder_order(figures):
    assert [r.funder.name for r in figures.per_funder] == FUNDERS_TABEL_1


def test_total_is_sum_of_programmes_plus_deal_level_and_sum_of_funders(figures):
    assert figures.total.total == DEAL_TOTAL
    assert sum_figures([*(r.total for r in figures.per_programme), figures.deal_level.total]) == DEAL_TOTAL
    assert sum_figures(r.figures for r in figures.per_funder) == DEAL_TOTAL
    assert sum_figures(r.total for r in figures.per_project) + figures.deal_level.total == DEAL_TOTAL
    assert sum_figures(r.total for r in figures.per_action_line) + figures.deal_level.total == DEAL_TOTAL
    for category in CATEGORIES:
        assert figures.per_category[category] == PER_CATEGORY[category], category
        in_category = [r.figures for r in figures.per_funder if r.funder.category == category]
        assert sum_figures(in_category) == PER_CATEGORY[category], category


def test_deal_level_holds_the_rijk_budget_outside_the_programmes(figures):
    assert figures.deal_level.name == "Buiten programma's"
    assert figures.deal_level.by_category["rijk"].begroot == Decimal("225000.00")


def test_cell_is_the_project_times_funder_figure(figures, deal):
    project = Project.objects.get(deal=deal, code="2180")
    rijk = deal.funders.get(name="Rijk")
    cell = figures.cell(project.pk, rijk.pk)
    row = next(r for r in figures.per_project if r.code == "2180")
    # fixtures/cleantech.json: 2180 (Eerbeek Loenen 2030 A) has not started by the ijkdatum, so only
    # its begroting and toekenning count: Rijk 142.507, all its funders together 4.687.503.
    assert cell == Figures(begroot=Decimal("142507.00"), gecommitteerd=Decimal("142507.00"))
    row_total = Figures(begroot=Decimal("4687503.00"), gecommitteerd=Decimal("4687503.00"))
    assert row.total == row_total
    assert sum_figures(figures.cell(project.pk, f.funder.pk) for f in figures.per_funder) == row_total


# Rijk uitgekeerd at the ijkdatum and on 1 March 2023 (fixtures/README.md, "eerste tranches"): 2210
# holds programme 2200's 180.000 of Tabel 6 (A13), then 180.000 + 100.000 = 280.000; the others start at 0.
@pytest.mark.parametrize(
    ("code", "before", "after"),
    [("2180", 0, 100000), ("2210", 180000, 280000), ("2110", 0, 100000), ("2220", 0, 200000)],
)
def test_tranches_after_the_ijkdatum_count_only_from_their_date(deal, code, before, after):
    project = Project.objects.get(deal=deal, code=code)
    rijk = deal.funders.get(name="Rijk")
    at_ijkdatum = deal_figures(deal=deal, as_of=IJKDATUM).cell(project.pk, rijk.pk).uitgekeerd
    in_march = deal_figures(deal=deal, as_of=date(2023, 3, 1)).cell(project.pk, rijk.pk).uitgekeerd
    assert (at_ijkdatum, in_march) == (Decimal(before), Decimal(after))


def test_a_figure_as_of_a_date_counts_bookings_on_that_date_but_not_after(deal, kassier):
    project = Project.objects.get(deal=deal, code="1110")
    funder = deal.funders.get(name="Onderwijs")
    Booking.objects.create(
        deal=deal, project=project, funder=funder, kind="uitkering", amount=Decimal("10.00"), date=date(2030, 1, 2)
    )
    on_day = deal_figures(deal=deal, as_of=date(2030, 1, 2)).cell(project.pk, funder.pk)
    day_before = deal_figures(deal=deal, as_of=date(2030, 1, 1)).cell(project.pk, funder.pk)
    # The demo pays Onderwijs nothing on 1110 (programme 1100 has no overig uitgekeerd in Tabel 6).
    assert (day_before.uitgekeerd, on_day.uitgekeerd) == (Decimal("0.00"), Decimal("10.00"))


def test_a_correction_counts_negatively(deal):
    project = Project.objects.get(deal=deal, code="1110")
    funder = deal.funders.get(name="Onderwijs")
    original = Booking.objects.filter(project=project, funder=funder, kind="begroting").first()
    before = project_figures(project=project, as_of=date(2030, 1, 1)).total.begroot
    Booking.objects.create(
        deal=deal,
        project=project,
        funder=funder,
        kind="begroting",
        amount=Decimal("1000.00"),
        date=date(2029, 1, 1),
        correction_of=original,
        correction_reason="Begroting verlaagd",
        decision=original.decision,
    )
    after = project_figures(project=project, as_of=date(2030, 1, 1)).total.begroot
    # Tabel 5's 5.440.000 for programme 1100 over its 5 projects is 1.088.000 each; the demo's split per
    # funder rounds 1110 up by one euro (fixtures/cleantech.json): 1.088.001, and 1.000 less after.
    assert (before, after) == (Decimal("1088001.00"), Decimal("1087001.00"))


def test_project_figures_match_the_deal_figures(deal, figures):
    project = Project.objects.get(deal=deal, code="2320")
    pf = project_figures(project=project, as_of=IJKDATUM)
    row = next(r for r in figures.per_project if r.code == "2320")
    # fixtures/cleantech.json, the bookings of 2320 up to the ijkdatum (every funder of Tabel 1 has one).
    expected = Figures(
        begroot=Decimal("1664122.00"),
        gecommitteerd=Decimal("1664122.00"),
        uitgekeerd=Decimal("617992.00"),
        besteed=Decimal("197898.00"),
    )
    assert (pf.total, row.total) == (expected, expected)
    assert [fr.funder.name for fr in pf.per_funder] == FUNDERS_TABEL_1
    assert [fr.funder.name for fr in figures.project_funder_figures(project.pk)] == FUNDERS_TABEL_1


def test_restricting_to_projects_gives_only_their_money(deal, figures):
    ids = list(deal.projects.filter(programme__code="1100").values_list("pk", flat=True))
    own = deal_figures(deal=deal, as_of=IJKDATUM, project_ids=ids)
    # Programme 1100 in Tabel 5/6/7: begroot 1.225.000 + 1.650.000 + 2.565.000 = 5.440.000 (all toegekend),
    # uitgekeerd 420.000 + 310.000 + 0 = 730.000, besteed 13.500 + 0 + 0 = 13.500.
    programme_1100 = Figures(
        begroot=Decimal("5440000.00"),
        gecommitteerd=Decimal("5440000.00"),
        uitgekeerd=Decimal("730000.00"),
        besteed=Decimal("13500.00"),
    )
    assert own.total.total == programme_1100
    assert next(r for r in figures.per_programme if r.code == "1100").total == programme_1100
    assert own.deal_level.total == Figures.zero()
    assert {r.pk for r in own.per_project} == set(ids)


def test_percentages_are_none_without_a_base_and_two_decimals_otherwise():
    assert Figures.zero().pct_uitgekeerd_van_begroot is None
    f = Figures(begroot=Decimal("3.00"), uitgekeerd=Decimal("1.00"), besteed=Decimal("2.00"))
    assert f.pct_uitgekeerd_van_begroot == Decimal("33.33")
    assert f.pct_besteed_van_uitgekeerd == Decimal("200.00")
    assert f.pct_besteed_van_begroot == Decimal("66.67")
    assert f.nog_uit_te_keren == Decimal("2.00")
    assert (f + f).begroot == Decimal("6.00")


def _count_queries(deal) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        result = deal_figures(deal=deal, as_of=date(2025, 1, 1))
    return len(ctx.captured_queries), result


def test_query_count_does_not_grow_with_the_deal(db):
    small = build_synthetic_deal(code="klein", programmes=2, projects_per_programme=2, funders=3)
    large = build_synthetic_deal(code="groot", programmes=20, projects_per_programme=2, funders=3)
    small_count, small_figures = _count_queries(small)
    large_count, large_figures = _count_queries(large)
    assert small_count == large_count <= 5
    assert len(large_figures.per_project) == 10 * len(small_figures.per_project)
    # Per project x funder: 1000 budget, 800 committed, 300 + 200 paid, 150 - 50 spent.
    assert large_figures.per_project[0].total == Figures(
        begroot=Decimal("3000.00"),
        gecommitteerd=Decimal("2400.00"),
        uitgekeerd=Decimal("1500.00"),
        besteed=Decimal("300.00"),
    )
    assert large_figures.deal_level.total.begroot == Decimal("1500.00")


def test_demo_deal_figures_take_five_queries(deal, django_assert_num_queries):
    with django_assert_num_queries(5):
        deal_figures(deal=deal, as_of=IJKDATUM)
