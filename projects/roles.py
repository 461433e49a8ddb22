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


# The coordinator sets the deal up in Beheer (the Django admin): every model of our apps
# and user accounts. Bookings and tranches can never be deleted, not even there.
COORDINATOR_ADMIN_APPS = ["projects", "finance", "monitoring", "reports"]
COORDINATOR_ADMIN_MODELS = [("auth", "user"), ("auth", "group")]
NEVER_DELETED = {"delete_booking", "delete_tranche", "delete_historicalbooking", "delete_historicaltranche"}


def grant_coordinator_admin_permissions(sender=None, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    # get_or_create: a flushed test database has lost the groups the migration made.
    for name in ALL_ROLES:
        Group.objects.get_or_create(name=name)
    group = Group.objects.get(name=COORDINATOR)
    scope = Q(content_type__app_label__in=COORDINATOR_ADMIN_APPS)
    for app_label, model in COORDINATOR_ADMIN_MODELS:
        scope |= Q(content_type__app_label=app_label, content_type__model=model)
    group.permissions.add(*Permission.objects.filter(scope).exclude(codename__in=NEVER_DELETED))
