"""Roles belong to a deal: the one place where the portal asks what a user may be.

A user holds roles per deal through ``RoleAssignment`` rows (active ones only). Every
permission function of every app asks ``has_role(user, deal, ...)`` or, for lists over
deals, ``deal_scope(user, ...)``; object rules (which programme, which project) live in
each app's permissions.py on top of these two. The ministry's role is read-only and spans
every deal.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q

COORDINATOR = "coordinator"
THEME_MANAGER = "themalijnmanager"
KASSIER = "kassier"
CONTROLLER = "controller"
STEERING = "stuurgroep"
LEAD = "penvoerder"
MINISTRY = "ministerie"

ALL_ROLES = [COORDINATOR, THEME_MANAGER, KASSIER, CONTROLLER, STEERING, LEAD, MINISTRY]

ROLE_LABELS = {
    COORDINATOR: "Coördinator",
    THEME_MANAGER: "Themalijnmanager",
    KASSIER: "Kassier",
    CONTROLLER: "Controller",
    STEERING: "Stuurgroep",
    LEAD: "Penvoerder",
    MINISTRY: "Ministerie (alleen lezen)",
}

# Granting these needs a second coordinator (the same four eyes as money), and one person
# never holds both in one deal.
CONFIRMED_ROLES = (KASSIER, CONTROLLER)
EXCLUSIVE_PAIRS = [(KASSIER, CONTROLLER)]

# Roles that read a whole deal without writing anything.
READ_ONLY_ROLES = (STEERING, MINISTRY)

_ALL_DEALS = None  # key of the ministry's assignment in the role map


def _role_map(user: User | AnonymousUser) -> dict[int | None, frozenset[str]]:
    """deal id (None for every deal) -> active role names; one query, cached on the user."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_deal_roles", None)
    if cached is None:
        from projects.models import RoleAssignment

        found: dict[int | None, set[str]] = {}
        rows = RoleAssignment.objects.filter(user=user, status=RoleAssignment.Status.ACTIVE)
        for deal_id, role in rows.values_list("deal_id", "role"):
            found.setdefault(deal_id, set()).add(role)
        cached = {deal_id: frozenset(names) for deal_id, names in found.items()}
        user._deal_roles = cached
    return cached


def forget_roles(user: User) -> None:
    """Drop the cached role map after a role change within the same request or test."""
    user.__dict__.pop("_deal_roles", None)


def user_roles(user: User | AnonymousUser, deal=None) -> frozenset[str]:
    """The user's roles in one deal; without a deal, the roles the user holds in any deal."""
    role_map = _role_map(user)
    if deal is None:
        return frozenset().union(*role_map.values()) if role_map else frozenset()
    deal_id = deal if isinstance(deal, int) else deal.pk
    return role_map.get(deal_id, frozenset()) | role_map.get(_ALL_DEALS, frozenset())


def has_role(user: User | AnonymousUser, deal, *roles: str) -> bool:
    """Does the user hold one of these roles in this deal? The one question every rule asks."""
    return bool(user_roles(user, deal) & set(roles))


def has_role_anywhere(user: User | AnonymousUser, *roles: str) -> bool:
    """For pages that list deals: does the user hold one of these roles in some deal?"""
    return bool(user_roles(user) & set(roles))


def deal_scope(user: User | AnonymousUser, *roles: str, field: str = "deal") -> Q:
    """A filter on ``field`` (a deal foreign key path) to the deals where the user holds a role."""
    role_map = _role_map(user)
    wanted = set(roles)
    if wanted & role_map.get(_ALL_DEALS, frozenset()):
        return ~Q(pk__in=[])  # the ministry: every deal
    deal_ids = [deal_id for deal_id, names in role_map.items() if deal_id is not None and names & wanted]
    return Q(**{f"{field}__in": deal_ids})


# The coordinator sets the deal up in Beheer (the Django admin). Beheer's model rights come
# from the group below, which services.role_* keep in step with the coordinator role; roles
# themselves are never a group.
BEHEER_GROUP = "beheer"
COORDINATOR_ADMIN_APPS = ["projects", "finance", "monitoring", "reports"]
# No auth.Group: groups carry Beheer's rights, and a coordinator must not grant them.
COORDINATOR_ADMIN_MODELS = [("auth", "user")]
NEVER_DELETED = {
    "delete_booking",
    "delete_tranche",
    "delete_tranchecondition",
    "delete_historicalbooking",
    "delete_historicaltranche",
    "delete_historicaltranchecondition",
    "delete_user",  # accounts are deactivated: bookings and decisions keep their author
}


def grant_coordinator_admin_permissions(sender=None, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=BEHEER_GROUP)
    scope = Q(content_type__app_label__in=COORDINATOR_ADMIN_APPS)
    for app_label, model in COORDINATOR_ADMIN_MODELS:
        scope |= Q(content_type__app_label=app_label, content_type__model=model)
    group.permissions.add(*Permission.objects.filter(scope).exclude(codename__in=NEVER_DELETED))
