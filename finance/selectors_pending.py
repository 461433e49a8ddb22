"""Which contributions are still "nog te bepalen" on a date: no begroting booked for them yet (one query)."""

from datetime import date

from django.db.models import Exists, OuterRef, Q

from finance.models import Booking
from finance.models_pending import PendingAmount
from projects.models import Deal, Project


def open_pending_amounts(*, deal: Deal, as_of: date, project: Project | None = None) -> list[PendingAmount]:
    """Pending amounts of the deal (or of one project) without a begroting for their project (or deal
    level) and funder by ``as_of``."""
    budgets = Booking.objects.filter(deal=deal, kind=Booking.Kind.BUDGET, date__lte=as_of, funder=OuterRef("funder"))
    on_its_project = Exists(budgets.filter(project=OuterRef("project")))
    on_the_deal_level = Exists(budgets.filter(project__isnull=True))
    still_open = (Q(project__isnull=False) & ~on_its_project) | (Q(project__isnull=True) & ~on_the_deal_level)
    found = PendingAmount.objects.filter(still_open, deal=deal).select_related("project", "funder")
    if project is not None:
        found = found.filter(project=project)
    return sorted(found, key=lambda p: (p.project.code if p.project else "", p.funder.order, p.funder.name))
