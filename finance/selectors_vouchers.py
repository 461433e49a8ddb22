"""Count and sum of a scheme's vouchers per status, aggregated in the database.

One query per call, whatever the number of vouchers: ``voucher_summary`` for one project,
``deal_voucher_summaries`` for every voucher scheme of a deal (the report's fact sheets).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce

from finance.models_vouchers import Voucher
from finance.selectors import CENT, ZERO
from projects.models import Deal, Project

Status = Voucher.Status
# What counts against the scheme's begroting: granted, whether paid out yet or not.
COMMITTED = (Status.GRANTED, Status.PAID)


@dataclass(frozen=True)
class StatusTotal:
    status: str
    label: str
    count: int = 0
    amount: Decimal = ZERO


@dataclass
class VoucherSummary:
    per_status: dict[str, StatusTotal] = field(
        default_factory=lambda: {s.value: StatusTotal(s.value, s.label) for s in Status}
    )

    @property
    def statuses(self) -> list[StatusTotal]:
        return list(self.per_status.values())

    @property
    def count(self) -> int:
        return sum(t.count for t in self.per_status.values())

    @property
    def committed_count(self) -> int:
        return sum(self.per_status[s].count for s in COMMITTED)

    @property
    def committed_amount(self) -> Decimal:
        return sum((self.per_status[s].amount for s in COMMITTED), ZERO)


def _amount_sum():
    money = DecimalField(max_digits=16, decimal_places=2)
    return Coalesce(Sum("amount"), Value(ZERO), output_field=money)


def _grouped(queryset, *keys: str):
    return queryset.order_by().values(*keys, "status").annotate(n=Count("pk"), total=_amount_sum())


def _add(summary: VoucherSummary, row: dict) -> None:
    status = Status(row["status"])
    summary.per_status[status.value] = StatusTotal(
        status.value, status.label, row["n"], Decimal(row["total"]).quantize(CENT)
    )


def voucher_summary(*, project: Project, as_of: date | None = None) -> VoucherSummary:
    """One project's vouchers (dated on or before ``as_of`` when given) per status; one query."""
    vouchers = Voucher.objects.filter(project=project)
    if as_of is not None:
        vouchers = vouchers.filter(date__lte=as_of)
    summary = VoucherSummary()
    for row in _grouped(vouchers):
        _add(summary, row)
    return summary


def deal_voucher_summaries(*, deal: Deal, as_of: date | None = None) -> dict[int, VoucherSummary]:
    """{project id: summary} for the deal's voucher schemes that have vouchers; one query.

    A scheme without vouchers is not in the dict: callers use ``.get(pk) or VoucherSummary()``.
    """
    vouchers = Voucher.objects.filter(project__deal=deal, project__is_voucher_scheme=True)
    if as_of is not None:
        vouchers = vouchers.filter(date__lte=as_of)
    summaries: dict[int, VoucherSummary] = {}
    for row in _grouped(vouchers, "project_id"):
        _add(summaries.setdefault(row["project_id"], VoucherSummary()), row)
    return summaries


def scheme_vouchers(*, project: Project):
    """The list on the scheme's page: newest first, with who entered them."""
    return Voucher.objects.filter(project=project).select_related("created_by").order_by("-date", "-pk")
