"""What is still free per project x financier for a new tranche: the kassier sees it before registering."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from finance.models import Tranche
from finance.selectors import ZERO, grouped_bookings
from projects.models import Deal


@dataclass(frozen=True)
class Headroom:
    begroot: Decimal
    uitgekeerd: Decimal
    waiting: Decimal  # registered tranches that a controller has not decided yet

    @property
    def available(self) -> Decimal:
        return self.begroot - self.uitgekeerd - self.waiting

    def as_json(self) -> dict[str, str]:
        """Plain decimal strings, as the report JSON writes money, for the tranche form's script."""
        fields = {"begroot": self.begroot, "uitgekeerd": self.uitgekeerd, "wacht": self.waiting}
        return {**{name: str(value) for name, value in fields.items()}, "beschikbaar": str(self.available)}


def tranche_headroom(*, deal: Deal) -> dict[tuple[int, int], Headroom]:
    """Per (project id, funder id) of the deal: begroot, uitgekeerd and waiting tranches today (two queries)."""
    waiting = {
        (row["project_id"], row["funder_id"]): row["total"]
        for row in Tranche.objects.filter(project__deal=deal, status=Tranche.Status.PENDING)
        .order_by()
        .values("project_id", "funder_id")
        .annotate(total=Sum("amount"))
    }
    headroom = {}
    for row in grouped_bookings(deal=deal, as_of=date.max):
        if row["project_id"] is None:
            continue  # deal-level money is not paid out in tranches
        key = (row["project_id"], row["funder_id"])
        headroom[key] = Headroom(row["begroot"], row["uitgekeerd"], waiting.pop(key, ZERO))
    for key, total in waiting.items():  # a tranche for a financier without any booking on the project
        headroom[key] = Headroom(ZERO, ZERO, total)
    return headroom
