"""What waits for a user: a small registry of worklist providers, one per app.

`projects` may not import finance, monitoring or reports, yet the start page shows their
work too. So each app registers a provider in its AppConfig.ready() and the start page asks
``work_for(user)``. A provider returns WorkItems for the roles the user holds; each of its
counts is one query, whatever the size of the deal.

The demo deal is of 2022 while the clock says later: a deal's work is measured on its
*work date*, today or, when the deal's newest reporting period has an earlier ijkdatum, that
ijkdatum. A deal nobody has added a period to since does not turn every verslag "te laat";
the coordinator moves the date on by adding the next period.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format

from projects.permissions import readable_deals
from projects.roles import has_role


@dataclass(frozen=True)
class WorkItem:
    """One line of "Wat op u wacht": how many, what, where to go."""

    label: str
    count: int
    url: str
    detail: str = ""
    role: str = ""
    # A subset of another item (e.g. "te laat" of the verslagen to start) must not count twice in the badge.
    in_total: bool = True


@dataclass
class WorkContext:
    """What every provider needs, computed once per start page."""

    user: User
    today: date
    work_dates: dict[int, date] = field(default_factory=dict)  # every readable deal's id -> its work date
    codes: dict[int, str] = field(default_factory=dict)  # the same deals' codes, for links

    def work_date(self, deal_id: int) -> date:
        return self.work_dates.get(deal_id, self.today)

    def deals_where(self, *roles: str) -> list[int]:
        """The user's deals where they hold one of these roles (the role map is cached: no query)."""
        return [deal_id for deal_id in self.work_dates if has_role(self.user, deal_id, *roles)]

    def per_deal(self, deal_ids, lookup: str, deal_field: str = "deal") -> Q:
        """A filter `lookup` against each deal's own work date, e.g. ``per_deal(ids, "end__lt")``."""
        scope = Q(pk__in=[])
        for deal_id in deal_ids:
            scope |= Q(**{f"{deal_field}_id": deal_id, lookup: self.work_date(deal_id)})
        return scope


Provider = Callable[[WorkContext], list[WorkItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Adds a provider once (ready() may run more than once in tests)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def work_context(user: User, today: date) -> WorkContext:
    """Per readable deal its code and work date: today, or its newest period's ijkdatum when that lies
    before today (one query)."""
    rows = readable_deals(user).annotate(latest=Max("reporting_periods__reference_date")).order_by("name")
    context = WorkContext(user=user, today=today)
    for deal_id, code, newest in rows.values_list("pk", "code", "latest"):
        context.work_dates[deal_id] = min(today, newest or today)
        context.codes[deal_id] = code
    return context


def work_for(user: User, *, today: date | None = None) -> list[WorkItem]:
    """Every provider's items; those with something waiting first, otherwise in registration order."""
    today = today or timezone.localdate()
    context = work_context(user, today)
    items = [item for provider in _providers for item in provider(context)]
    return sorted(items, key=lambda item: item.count == 0)


def work_total(items: list[WorkItem]) -> int:
    return sum(item.count for item in items if item.in_total)


def day(value: date) -> str:
    """A date in running text, as everywhere in the portal: 1 juli 2022."""
    return date_format(value, "j F Y")
