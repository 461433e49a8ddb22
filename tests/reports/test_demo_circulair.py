"""The third demo deal: Regiodeal Circulaire Regio (seed 002), with illustrative amounts."""

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from django.urls import reverse

from projects.models import Deal
from reports.jsonformat import report_json
from reports.selectors import report_data

AS_OF = date(2020, 7, 1)
# The output table (mln euro): versnellingsprogramma 6,8 + 0,55 + 1,7 + NTB + 0,5 + 5,7 = 15,25;
# projecten 5 + 20 + 1,74 + 3,47 + 0,35 + 0,52 + 2 + 5,85 + 3,2 + 1 + 0,8 + 20 = 63,93;
# programmamanagement 1 % of the stated subtotals (15,25 + 63,92) = 0,79. Together 79,97 mln.
INVESTMENTS = ["6.8", "0.55", "1.7", "0.5", "5.7", "5.0", "20.0", "1.74", "3.47", "0.35", "0.52", "2.0", "5.85",
               "3.2", "1.0", "0.8", "20.0", "0.79"]  # fmt: skip


@pytest.fixture
def circulair(db) -> Deal:
    return Deal.objects.get(code="circulair")


@pytest.fixture
def document(circulair) -> dict:
    return report_json(report_data(deal=circulair, as_of=AS_OF))


def test_the_deal_has_the_seeds_shape_and_says_its_amounts_are_illustrative(circulair):
    assert circulair.illustrative_amounts is True
    assert [(a.code, a.name) for a in circulair.action_lines.order_by("code")] == [
        ("1", "Versnellingsprogramma en versnellingshuis"), ("2", "Projecten"), ("3", "Programmamanagement"),
    ]  # fmt: skip
    assert circulair.projects.count() == 6 + 12 + 1


def test_the_budget_is_the_output_table_and_the_garantiefonds_is_nog_te_bepalen(document):
    assert document["totaal"]["totaal"]["begroot"] == "79970000.00"
    assert sum(Decimal(i) for i in INVESTMENTS) == Decimal("79.97")
    assert [(p["project"], p["financier"]) for p in document["nog_te_bepalen"]] == [
        ("104", "Rijk (regio-envelop)"), ("104", "Provincies"), ("104", "Bedrijfsleven en kennisinstellingen"),
    ]  # fmt: skip


def test_the_rijk_paid_a_first_tranche_of_40_percent(document):
    # Rijk's illustrative share: 27,5 % of each investment, rounded to thousands; 40 % of it paid in 2019.
    def rijk(mln: str) -> Decimal:
        return (Decimal(mln) * 1_000_000 * Decimal("0.275")).quantize(Decimal("1E3"), rounding=ROUND_HALF_EVEN)

    begroot = sum(rijk(i) for i in INVESTMENTS)
    paid = sum((rijk(i) * Decimal("0.4")).quantize(Decimal("1")) for i in INVESTMENTS)
    assert (begroot, paid) == (Decimal("21992000"), Decimal("8796800"))
    row = next(r for r in document["per_financier"] if r["naam"] == "Rijk (regio-envelop)")
    assert (row["begroot"], row["uitgekeerd"]) == ("21992000.00", "8796800.00")


def test_investments_from_before_the_deal_count_as_cofinancing_when_marked(document):
    assert document["cofinanciering_buiten_kassier"][0] | {"per_financier": None} == {
        "code": "201", "naam": "Nationaal Testcentrum Kunststoffen", "toegezegd": "0.00",
        "gerealiseerd": "1500000.00", "waarvan_voor_de_deal": "1500000.00", "per_financier": None,
    }  # fmt: skip


def test_opgave_1_is_a_target_relative_to_the_nulmeting(circulair):
    opgave = circulair.indicators.get(code="OPG1")
    assert (opgave.target, opgave.relative_target_label) == (Decimal("80.00"), "−20 % t.o.v. de nulmeting")


def test_every_page_and_the_report_say_the_amounts_are_illustrative(client, circulair):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="coordinator_c"))
    for url in (
        reverse("projects:deal-detail", args=[circulair.code]),
        reverse("finance:deal-overview", args=[circulair.code]),
        reverse("reports:report-detail", args=[circulair.code]),
    ):
        assert "<strong>Illustratieve bedragen.</strong>" in client.get(url).content.decode(), url


def test_the_budget_is_spread_over_the_investment_years(document):
    years = {row["jaar"]: row for row in document["per_jaar"]["jaren"]}
    # 79.970.000 over 2018-2021; the per-year shares are rounded to euros, so the years add up exactly.
    assert sum(Decimal(years[y]["begroot"]) for y in (2018, 2019, 2020, 2021)) == Decimal("79970000.00")
    assert document["per_jaar"]["niet_over_jaren_verdeeld"] == "0.00"
    # 2020 has a forecast of 80 % of its plan; the other years count their plan as forecast.
    assert years[2020]["prognose_opgegeven"] is True and years[2019]["prognose_opgegeven"] is False
