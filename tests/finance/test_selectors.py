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

IJKDATUM = date(2022, 7, 1)

# Seed 000, Tabel 5 (begroot), 6 (uitgekeerd), 7 (besteed): per programme (rijk, publiek, overig).
TABEL_5_6_7 = {
    "begroot": {
        "1100": (1225000, 1650000, 2565000),
        "1200": (815000, 1900000, 855000),
        "1300": (575000, 1557000, 660000),
        "2100": (1560000, 3355000, 34032375),
        "2200": (1900000, 3930000, 36088200),
        "2300": (1200000, 3095000, 4025580),
    },
    "uitgekeerd": {
        "1100": (420000, 310000, 0),
        "1200": (366750, 215000, 290000),
        "1300": (409377, 528283, 30750),
        "2100": (410000, 1027397, 0),
        "2200": (180000, 731635, 40000),
        "2300": (1030000, 1599407, 457810),
    },
    "besteed": {
        "1100": (13500, 0, 0),
        "1200": (142560, 73082, 118830),
        "1300": (49997, 0, 150450),
        "2100": (419943, 657397, 0),
        "2200": (0, 759670, 0),
        "2300": (74852, 353189, 560260),
    },
}
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


def test_every_funder_of_the_deal_has_a_row_in_funder_order(figures, deal):
    assert [r.funder.name for r in figures.per_funder] == list(
        deal.funders.order_by("order", "name").values_list("name", flat=True)
    )


def test_total_is_sum_of_programmes_plus_deal_level_and_sum_of_funders(figures):
    by_programmes = sum_figures([*(r.total for r in figures.per_programme), figures.deal_level.total])
    assert figures.total.total == by_programmes
    assert figures.total.total == sum_figures(r.figures for r in figures.per_funder)
    assert figures.total.total == sum_figures(r.total for r in figures.per_project) + figures.deal_level.total
    assert figures.total.total == sum_figures(r.total for r in figures.per_action_line) + figures.deal_level.total
    for category in CATEGORIES:
        assert figures.per_category[category] == sum_figures(
            r.figures for r in figures.per_funder if r.funder.category == category
        )


def test_deal_level_holds_the_rijk_budget_outside_the_programmes(figures):
    assert figures.deal_level.name == "Buiten programma's"
    assert figures.deal_level.by_category["rijk"].begroot == Decimal("225000.00")


def test_cell_is_the_project_times_funder_figure(figures, deal):
    project = Project.objects.get(deal=deal, code="2180")
    rijk = deal.funders.get(name="Rijk")
    cell = figures.cell(project.pk, rijk.pk)
    row = next(r for r in figures.per_project if r.code == "2180")
    assert cell.begroot > 0
    assert row.total == sum_figures(figures.cell(project.pk, f.funder.pk) for f in figures.per_funder)


@pytest.mark.parametrize(("code", "amount"), [("2180", 100000), ("2210", 100000), ("2110", 100000), ("2220", 200000)])
def test_tranches_after_the_ijkdatum_count_only_from_their_date(deal, code, amount):
    project = Project.objects.get(deal=deal, code=code)
    rijk = deal.funders.get(name="Rijk")
    before = deal_figures(deal=deal, as_of=IJKDATUM).cell(project.pk, rijk.pk).uitgekeerd
    after = deal_figures(deal=deal, as_of=date(2023, 3, 1)).cell(project.pk, rijk.pk).uitgekeerd
    assert after - before == Decimal(amount)


def test_a_figure_as_of_a_date_counts_bookings_on_that_date_but_not_after(deal, kassier):
    project = Project.objects.get(deal=deal, code="1110")
    funder = deal.funders.get(name="Onderwijs")
    Booking.objects.create(
        deal=deal, project=project, funder=funder, kind="uitkering", amount=Decimal("10.00"), date=date(2030, 1, 2)
    )
    on_day = deal_figures(deal=deal, as_of=date(2030, 1, 2)).cell(project.pk, funder.pk)
    day_before = deal_figures(deal=deal, as_of=date(2030, 1, 1)).cell(project.pk, funder.pk)
    assert on_day.uitgekeerd - day_before.uitgekeerd == Decimal("10.00")


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
    assert before - after == Decimal("1000.00")


def test_project_figures_match_the_deal_figures(deal, figures):
    project = Project.objects.get(deal=deal, code="2320")
    pf = project_figures(project=project, as_of=IJKDATUM)
    row = next(r for r in figures.per_project if r.code == "2320")
    assert pf.total == row.total
    assert [fr.funder.name for fr in pf.per_funder] == [
        fr.funder.name for fr in figures.project_funder_figures(project.pk)
    ]


def test_restricting_to_projects_gives_only_their_money(deal, figures):
    ids = list(deal.projects.filter(programme__code="1100").values_list("pk", flat=True))
    own = deal_figures(deal=deal, as_of=IJKDATUM, project_ids=ids)
    assert own.total.total == next(r for r in figures.per_programme if r.code == "1100").total
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
