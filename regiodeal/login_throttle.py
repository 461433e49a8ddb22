"""Login throttling (django-axes) with a limit per lockout parameter.

axes compares the largest failure count over all its lockout parameters with one limit.
The portal wants two: a few failures for one user name from one address, and a higher
number from one address over all user names (160 failures over 40 names locked nothing
while only the pair was counted). Settings: AXES_FAILURE_LIMIT for the pair,
AXES_IP_FAILURE_LIMIT for the address alone.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum


class PerParameterLimitHandler(AxesDatabaseHandler):
    def _limit(self, parameter, base: int) -> int:
        if parameter == "ip_address" or parameter == ["ip_address"]:
            return settings.AXES_IP_FAILURE_LIMIT
        return base

    def get_failures(self, request, credentials=None) -> int:
        """The failures counted against AXES_FAILURE_LIMIT: any parameter at its own limit
        counts as the full limit, so axes's single comparison locks it."""
        base = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        reached = any(count >= self._limit(p, base) for p, count in zip(parameters, counts, strict=True))
        pair = max(
            (count for p, count in zip(parameters, counts, strict=True) if self._limit(p, base) == base), default=0
        )
        return max(pair, base) if reached else min(pair, base - 1)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears that user's failures only, not the address's: otherwise
        an attacker with one valid account would reset the address count at will."""
        parameters = get_lockout_parameters(request, credentials)
        base = get_failure_limit(request, credentials)
        count = 0
        for parameter, attempts in zip(parameters, self.filter_user_attempts(request, credentials), strict=True):
            if self._limit(parameter, base) == base:
                count += attempts.delete()[0]
        return count


def client_ip(request) -> str | None:
    """The address a login attempt came from; behind TRUSTED_PROXY_COUNT proxies, the one the
    outermost proxy saw (each proxy appends to X-Forwarded-For, so earlier entries are the
    client's own words and cannot be trusted)."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
