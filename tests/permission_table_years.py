"""Permission-matrix entries for the years pages; merged into tests/permission_table.py.

EXPECTED has the same shape as there: {url name: {persona: (GET status, POST status)}};
pk_for(name, deal) returns the sample object's pk for this module's URL names with a pk,
or None for names it does not know.
"""

from projects.models import Deal

# Who reads the project's finance reads its years (a themalijnmanager of another programme
# does not, a penvoerder reads no money at all); only the coordinator writes (an empty form: 400).
READ_PROJECT = {
    "anonymous": (302, 302),
    "coordinator": (200, 405),
    "tlm_own": (200, 405),
    "tlm_other": (403, 405),
    "kassier": (200, 405),
    "controller": (200, 405),
    "stuurgroep": (200, 405),
    "lead_own": (403, 405),
    "lead_other": (403, 405),
}
WRITE = {
    "anonymous": (302, 302),
    "coordinator": (405, 400),
    "tlm_own": (405, 403),
    "tlm_other": (405, 403),
    "kassier": (405, 403),
    "controller": (405, 403),
    "stuurgroep": (405, 403),
    "lead_own": (405, 403),
    "lead_other": (405, 403),
}
# The deal page, like the finance overview: a themalijnmanager sees their own projects there.
READ_DEAL = {**READ_PROJECT, "tlm_other": (200, 405)}

EXPECTED: dict[str, dict[str, tuple[int, int]]] = {
    "finance:years-deal": READ_DEAL,
    "finance:years-project": READ_PROJECT,
    "finance:year-plan-set": WRITE,
    "finance:rollover-create": WRITE,
}


def pk_for(name: str, deal: Deal) -> int | None:
    return None
