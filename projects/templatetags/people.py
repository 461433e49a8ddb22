"""People by their name: a user's full name, the username only when no name is known."""

from django import template

register = template.Library()


@register.filter
def person(user) -> str:
    """``{{ tranche.registered_by|person }}``: "Karel Kassier", not "kassier"; nothing for no one."""
    if user is None:
        return ""
    if not hasattr(user, "get_full_name"):
        return str(user)  # not a user (a name typed as text): shown as it is
    return user.get_full_name() or user.username
