"""The report's numbers: seed tables, reconciliation, percentages, and a fixed query count."""

import json
import subprocess
import sys
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

AS_OF = date(2022, 7, 1)
CHECKER = SEED_CHECKER  # ../shared/tools, next to the repository


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
    for table in data.tables:
        body = [row for row in table.rows if row.kind != "total"]
        (total,) = [row for row in table.rows if row.kind == "total"]
        for column in range(len(table.columns)):
            assert sum((row.amounts[column] for row in body), Decimal(0)) == total.amounts[column], table.title
        for row in table.rows:  # the row total is the sum of its categories
            assert sum(row.amounts[:3], Decimal(0)) == row.amounts[3]
    funders = [row for row in data.funder_rows if row.kind == "row"]
    total = data.funder_rows[-1].figures
    for measure in ("begroot", "uitgekeerd", "besteed"):
        assert sum((getattr(r.figures, measure) for r in funders), Decimal(0)) == getattr(total, measure)


def test_deal_level_money_is_its_own_row_so_the_programme_table_adds_up(deal):
    data = report_data(deal=deal, as_of=AS_OF)
    table = data.programme_tables[0]
    kinds = [row.kind for row in table.rows]
    assert kinds[-2:] == ["deal", "total"]
    # Tabel 1 (per financier) includes money that is in no programme; Tabel 5 must reach the same total.
    assert table.rows[-2].amounts[3] > 0
    assert table.rows[-1].amounts[3] == data.funder_rows[-1].figures.begroot


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
    assert _queries_for(small, django_assert_max_num_queries, 23) == _queries_for(
        large, django_assert_max_num_queries, 23
    )


def test_the_appendix_lists_the_findings_of_the_finance_selector(deal):
    data = report_data(deal=deal, as_of=AS_OF)
    document = report_json(data)
    assert document["bevindingen"], "the seed's data has payouts above spending and vice versa"
    first = document["bevindingen"][0]
    assert set(first) == {"soort", "omschrijving", "project", "financier", "bedrag"}
    html = render_to_string("reports/partials/report_body.html", {"report": data, "print": True})
    assert first["omschrijving"].split(" ")[0] in html.split("Bijlage A. Bevindingen")[-1]
