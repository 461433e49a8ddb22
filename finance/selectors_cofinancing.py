"""Co-financing outside the kassier: toegezegd and gerealiseerd per project and financier, in one query."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from finance.models_cofinancing import DirectCoFinancing
from projects.models import Deal, Project

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


@dataclass(frozen=True)
class CoFinancingTotals:
    pledged: Decimal  # toegezegd and not yet realised
    realised: Decimal
    before_deal: Decimal  # of the realised: investments from before the deal started
    count: int

    @property
    def total(self) -> Decimal:
        return self.pledged + self.realised


EMPTY = CoFinancingTotals(ZERO, ZERO, ZERO, 0)


def _sum(condition: Q):
    return Coalesce(Sum("amount", filter=condition), Value(ZERO), output_field=MONEY)


def _totals(queryset, *group_by: str) -> dict:
    realised = Q(status=DirectCoFinancing.Status.REALISED)
    rows = queryset.values(*group_by).annotate(
        pledged=_sum(Q(status=DirectCoFinancing.Status.PLEDGED)),
        realised=_sum(realised),
        before_deal=_sum(realised & Q(before_deal_start=True)),
        count=Count("pk"),
    )
    return {
        tuple(row[g] for g in group_by): CoFinancingTotals(
            row["pledged"], row["realised"], row["before_deal"], row["count"]
        )
        for row in rows
    }


def project_cofinancing(project: Project) -> dict[str, CoFinancingTotals]:
    """{funder name: totals} of one project, in the deal's funder order (one query)."""
    found = _totals(
        DirectCoFinancing.objects.filter(project=project).order_by("funder__order"), "funder__order", "funder__name"
    )
    return {name: totals for (_order, name), totals in sorted(found.items())}


def project_cofinancing_total(per_funder: dict[str, CoFinancingTotals]) -> CoFinancingTotals:
    """The sum over funders of ``project_cofinancing``'s answer."""
    values = list(per_funder.values())
    return CoFinancingTotals(
        sum((t.pledged for t in values), ZERO),
        sum((t.realised for t in values), ZERO),
        sum((t.before_deal for t in values), ZERO),
        sum(t.count for t in values),
    )


def deal_cofinancing(deal: Deal) -> dict[int, CoFinancingTotals]:
    """{project id: totals} over a deal (one query), for overviews and the report."""
    found = _totals(DirectCoFinancing.objects.filter(project__deal=deal), "project_id")
    return {project_id: totals for (project_id,), totals in found.items()}
