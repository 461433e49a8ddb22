"""Co-financing outside the kassier: toegezegd and gerealiseerd per project and financier, in one query.

``deal_cofinancing_as_of`` is the report's view: the whole deal as it stood at an ijkdatum.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from finance.models import Funder
from finance.models_cofinancing import DirectCoFinancing
from finance.selectors import CENT, ZERO
from projects.models import Deal, Project

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
    return _added(list(per_funder.values()))


def _added(values: list[CoFinancingTotals]) -> CoFinancingTotals:
    return CoFinancingTotals(
        sum((t.pledged for t in values), ZERO),
        sum((t.realised for t in values), ZERO),
        sum((t.before_deal for t in values), ZERO),
        sum(t.count for t in values),
    )


def deal_cofinancing(deal: Deal) -> dict[int, CoFinancingTotals]:
    """{project id: totals} over a deal as it stands now (one query); the report uses ``deal_cofinancing_as_of``."""
    found = _totals(DirectCoFinancing.objects.filter(project__deal=deal), "project_id")
    return {project_id: totals for (project_id,), totals in found.items()}


@dataclass(frozen=True)
class FunderCoFinancing:
    name: str
    category: str
    totals: CoFinancingTotals


@dataclass(frozen=True)
class ProjectCoFinancing:
    """One project's co-financing outside the kassier at an ijkdatum: in total and per financier."""

    total: CoFinancingTotals
    per_funder: list[FunderCoFinancing]


def deal_cofinancing_as_of(*, deal: Deal, as_of: date) -> dict[int, ProjectCoFinancing]:
    """{project id: co-financing as it stood at ``as_of``} for the projects with any by then; one query.

    An item counts as gerealiseerd when its realised_on is on or before ``as_of``; as toegezegd when
    it was pledged on or before ``as_of`` and not realised by then (realised later: still a pledge
    at the ijkdatum). A pledge made after ``as_of`` does not count at all.
    """
    realised = Q(realised_on__lte=as_of)
    pledged = Q(pledged_on__lte=as_of) & (Q(realised_on__isnull=True) | Q(realised_on__gt=as_of))
    rows = (
        DirectCoFinancing.objects.filter(project__deal=deal)
        .filter(Q(pledged_on__lte=as_of) | realised)
        .values("project_id", "funder__order", "funder__pk", "funder__name", "funder__category")
        .annotate(
            pledged=_sum(pledged),
            realised=_sum(realised),
            before_deal=_sum(realised & Q(before_deal_start=True)),
            count=Count("pk"),
        )
        .order_by("project_id", "funder__order", "funder__pk")
    )
    per_project: dict[int, list[FunderCoFinancing]] = {}
    for row in rows:
        totals = CoFinancingTotals(row["pledged"], row["realised"], row["before_deal"], row["count"])
        per_project.setdefault(row["project_id"], []).append(
            FunderCoFinancing(row["funder__name"], row["funder__category"], totals)
        )
    return {
        project_id: ProjectCoFinancing(total=_added([f.totals for f in funders]), per_funder=funders)
        for project_id, funders in per_project.items()
    }


def public_cofinancing_outside_kassier(*, deal: Deal, as_of: date) -> Decimal:
    """Public co-financing paid to projects directly, pledged by as_of: it counts towards the Rijk-match
    as much as a public begroting does (one query)."""
    total = DirectCoFinancing.objects.filter(
        project__deal=deal, funder__category=Funder.Category.PUBLIC, pledged_on__lte=as_of
    ).aggregate(total=Sum("amount"))["total"]
    return (total or ZERO).quantize(CENT)
