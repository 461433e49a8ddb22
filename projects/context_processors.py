"""The current deal (from the URL, else the last one opened) and the user's roles in it."""

from projects.permissions import readable_deals
from projects.roles import ROLE_LABELS, user_roles

SESSION_KEY = "current_deal"


def _current_deal(request, deals):
    match = getattr(request, "resolver_match", None)
    code = (match.kwargs.get("deal_code") if match else None) or request.session.get(SESSION_KEY)
    by_code = {deal.code: deal for deal in deals}
    current = by_code.get(code) or (deals[0] if deals else None)
    if current is not None and request.session.get(SESSION_KEY) != current.code:
        request.session[SESSION_KEY] = current.code
    return current


def roles(request):
    user = request.user
    if not user.is_authenticated:
        return {"user_roles": frozenset(), "user_role_labels": [], "my_deals": [], "current_deal": None}
    deals = list(readable_deals(user).order_by("name").only("code", "name"))
    current = _current_deal(request, deals)
    names = user_roles(user, current) if current else frozenset()
    return {
        "user_roles": names,
        "user_role_labels": [ROLE_LABELS[name] for name in ROLE_LABELS if name in names],
        "my_deals": deals,
        "current_deal": current,
    }
