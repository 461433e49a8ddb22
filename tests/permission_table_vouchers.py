"""Permission-matrix entries for the vouchers pages; merged into tests/permission_table.py.

EXPECTED has the same shape as there: {url name: {persona: (GET status, POST status)}};
pk_for(name, deal) returns the sample object's pk for this module's URL names with a pk,
or None for names it does not know.
"""

from projects.models import Deal

EXPECTED: dict[str, dict[str, tuple[int, int]]] = {}


def pk_for(name: str, deal: Deal) -> int | None:
    return None
