"""The report's numbers: seed tables, reconciliation, percentages, and a fixed query count."""

import json
import subprocess
import sys
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from finance.selectors import Figures
from reports.jsonformat import report_json
from reports.selectors import report_data
from tests.builders import build_synthetic_deal
from tests.conftest import SEED_CHECKER
from tests.seed_tables import SEED_TABLES

AS_OF = date(2022, 7, 1)
CHECKER = SEED_CHECKER  # ../shared/tools, next to the repository

# The deal-level line: 225.000 Rijk budget outside the programmes (fixtures/README.md, A1), nothing else.
DEAL_LEVEL = {"begroot": (225000, 0, 0), "uitgekeerd": (0, 0, 0), "besteed": (0, 0, 0)}
# Totals (rijk, publiek, overig, totaal): Tabel 5/6/7's stated totals; Tabel 2's stated Rijk total 7.247.500
# is the seed's copy error (INCONSISTENCIES A1). begroot 7.500.000 + 15.487.000 + 78.226.155 = 101.213.155;
# uitgekeerd 2.816.127 + 4.411.722 + 818.560 = 8.046.409; besteed 700.852 + 1.843.338 + 829.540 = 3.373.730.
TOTALS = {
    "begroot": (7500000, 15487000, 78226155, 101213155),
    "uitgekeerd": (2816127, 4411722, 818560, 8046409),
    "besteed": (700852, 1843338, 829540, 3373730),
}


def decimals(values) -> list[Decimal]:
    return [Decimal(v) for v in values]


@pytest.mark.skipif(not CHECKER.exists(), reason="the shared seed checker is not on this machine")
def test_json_of_the_demo_deal_matches_the_seed_tables(deal, tmp_path):
    out = tmp_path / "r.json"
    call_command("report", "cleantech", "--as-of", "2022-07-01", "--format", "json", "--output", str(out))
    result = subprocess.run([sys.executable, str(CHECKER), str(out)], capture_output=True, text=True)  # noqa: S603 - our own checker
    assert result.returncode == 0, result.stdout


def test_json_amounts_are_strings_with_two_decimals_and_categories_are_known(deal):
    document = report_json(report_data(deal=deal, as_of=AS_OF))
    assert document["deal"] == {"code": "cleantech", "naam": deal.name}
    assert document["as_of"] == "2022-07-01"
    for row in document["per_financier"]:
        assert row["categorie"] in {"rijk", "publiek", "overig"}
        for measure in ("begroot", "uitgekeerd", "besteed"):
            assert isinstance(row[measure], str) and len(row[measure].split(".")[1]) == 2
    assert set(document["per_programma"][0]) == {"code", "naam", "rijk", "publiek", "overig", "totaal"}
    json.dumps(document)  # serialisable as it is


def test_every_table_total_is_the_sum_of_its_rows(deal):
    data = report_data(deal=deal, as_of=AS_OF)
    assert [table.number for table in data.tables] == [2, 3, 4, 5, 6, 7]
    for table in data.tables:
        # Every row is the seed's, with its total worked out here (rijk + publiek + overig).
        expected = {code: decimals([*seed, sum(seed)]) for code, seed in SEED_TABLES[table.number].items()}
        assert {row.code: row.amounts for row in table.rows if row.kind == "row"} == expected, table.title
        body = [row for row in table.rows if row.kind != "total"]
        (deal_level,) = [row for row in table.rows if row.kind == "deal"]
        (total,) = [row for row in table.rows if row.kind == "total"]
        assert deal_level.amounts == decimals([*DEAL_LEVEL[table.measure], sum(DEAL_LEVEL[table.measure])])
        assert total.amounts == decimals(TOTALS[table.measure]), table.title
        for column in range(len(table.columns)):
            column_sum = sum((row.amounts[column] for row in body), Decimal(0))
            assert column_sum == Decimal(TOTALS[table.measure][column]), table.title
    funders = [row for row in data.funder_rows if row.kind == "row"]
    total = data.funder_rows[-1].figures
    for measure in ("begroot", "uitgekeerd", "besteed"):
        assert getattr(total, measure) == Decimal(TOTALS[measure][3]), measure
        assert sum((getattr(r.figures, measure) for r in funders), Decimal(0)) == Decimal(TOTALS[measure][3])


def test_deal_level_money_is_its_own_row_so_the_programme_table_adds_up(deal):
    data = report_data(deal=deal, as_of=AS_OF)
    table = data.programme_tables[0]
    kinds = [row.kind for row in table.rows]
    assert kinds[-2:] == ["deal", "total"]
    # Tabel 1 (per financier) includes money that is in no programme; Tabel 5 must reach the same total.
    # 225.000 Rijk on the deal itself: Tabel 5's rows add up to 7.275.000 Rijk, Tabel 1 says 7.500.000.
    assert table.rows[-2].amounts == [Decimal("225000.00"), Decimal("0.00"), Decimal("0.00"), Decimal("225000.00")]
    # 100.988.155 in the programmes + 225.000 = 101.213.155, Tabel 1's begroot as the demo books it.
    assert table.rows[-1].amounts[3] == Decimal("101213155.00")
    assert data.funder_rows[-1].figures.begroot == Decimal("101213155.00")


def test_a_percentage_of_a_zero_base_shows_a_dash_never_an_error_or_100(deal):
    assert Figures(begroot=Decimal("0.00"), uitgekeerd=Decimal("682.00")).pct_uitgekeerd_van_begroot is None
    data = report_data(deal=deal, as_of=AS_OF)
    html = render_to_string("reports/partials/funder_table.html", {"report": data, "print": True})
    heerde = html.split("Gemeente Heerde")[1].split("</tr>")[0]
    assert "–" in heerde and "100" not in heerde


def test_every_percentage_says_what_it_is_of(deal):
    data = report_data(deal=deal, as_of=AS_OF)
    besteed = [t for t in data.tables if t.measure == "besteed"][0]
    assert besteed.percentage_labels == ["% van uitgekeerd", "% van begroot"]
    html = render_to_string("reports/partials/funder_table.html", {"report": data, "print": True})
    for header in ("Uitgekeerd % van begroot", "Besteed % van uitgekeerd", "Besteed % van begroot"):
        assert header in html


def _queries_for(deal, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        data = report_data(deal=deal, as_of=date(2023, 1, 1))
        report_json(data)
    return len(captured.captured_queries)


def test_report_query_count_does_not_grow_with_the_deal(db, django_assert_max_num_queries):
    small = build_synthetic_deal(code="klein", programmes=2, projects_per_programme=2)
    large = build_synthetic_deal(code="groot", programmes=6, projects_per_programme=8)
    # 26 since the report asks for the deal's programme lines (one query; none in these deals).
    assert _queries_for(small, django_assert_max_num_queries, 26) == _queries_for(
        large, django_assert_max_num_queries, 26
    )


def test_the_appendix_lists_the_findings_of_the_finance_selector(deal):
    data = report_data(deal=deal, as_of=AS_OF)
    document = report_json(data)
    findings = document["bevindingen"]
    # Worked out from fixtures/cleantech.json as of the ijkdatum: besteed > uitgekeerd for 6 funders
    # deal-wide and for 38 project x funder cells; Heerde paid without budget on 2320 (INCONSISTENCIES A9);
    # 2110 (end 30-06-2022) and 2150 (end 31-03-2022) past their end with budget not paid out.
    assert Counter(f["soort"] for f in findings) == {
        "besteed_boven_uitgekeerd": 44,
        "zonder_begroting": 1,
        "einddatum_voorbij": 2,
    }
    # Deal-wide, Tabel 1 (A11): Apeldoorn 107.503 - 87.727, Deventer 87.500 - 20.000, Zutphen 61.337 - 1.363,
    # Lochem 167.492 - 123.115, Epe 61.923 - 2.727; Privaat as the demo books it (fixtures/README.md,
    # A5/A6): 435.711 - 253.561 = 182.150.
    assert {f["financier"]: f["bedrag"] for f in findings if f["project"] is None and f["financier"]} == {
        "Gemeente Apeldoorn": "19776.00",
        "Gemeente Deventer": "67500.00",
        "Gemeente Zutphen": "59974.00",
        "Gemeente Lochem": "44377.00",
        "Gemeente Epe": "59196.00",
        "Privaat + eigen middelen": "182150.00",
    }
    first = findings[0]
    assert set(first) == {"soort", "omschrijving", "project", "financier", "bedrag"}
    html = render_to_string("reports/partials/report_body.html", {"report": data, "print": True})
    assert first["omschrijving"].split(" ")[0] in html.split("Bijlage A. Bevindingen")[-1]
