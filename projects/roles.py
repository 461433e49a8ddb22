"""The portal's roles are Django groups. Object rules live in each app's permissions.py."""

from django.contrib.auth.models import AnonymousUser, User

COORDINATOR = "coordinator"
THEME_MANAGER = "themalijnmanager"
KASSIER = "kassier"
CONTROLLER = "controller"
STEERING = "stuurgroep"
LEAD = "penvoerder"

ALL_ROLES = [COORDINATOR, THEME_MANAGER, KASSIER, CONTROLLER, STEERING, LEAD]

ROLE_LABELS = {
    COORDINATOR: "Coördinator",
    THEME_MANAGER: "Themalijnmanager",
    KASSIER: "Kassier",
    CONTROLLER: "Controller",
    STEERING: "Stuurgroep",
    LEAD: "Penvoerder",
}


def user_roles(user: User | AnonymousUser) -> frozenset[str]:
    """The role names of a user, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        user._portal_roles = cached
    return cached


def has_role(user: User | AnonymousUser, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))
