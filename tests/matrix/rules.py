"""Who may do what: one small table per role, written from the README's role table and
shared/DOMAIN.md ("Who uses it"), never from what the portal answers.

DEAL: anywhere in the deal. OWN: only for the projects the user manages (themalijnmanager:
the projects of their programmes) or leads (penvoerder). The matrix's sample object always
belongs to project 1310: the "own" personas manage or lead it, the "other" ones do not.
"""

DEAL, OWN = "deal", "own"

# Reading what a deal is and how its projects and indicators stand: everyone with a role.
_READ_DEAL = {"read_deal": DEAL, "read_indicators": DEAL}
# Reading its money (Financiën, decisions, the report): the deal's staff and readers.
_READ_MONEY = dict.fromkeys(
    [
        "read_project", "read_finance", "read_project_finance", "read_tranches", "read_tranche_list",
        "read_decisions", "read_reports", "read_conditions", "export_workbook",
    ],
    DEAL,
)  # fmt: skip

ROLE_RULES: dict[str, dict[str, str]] = {
    # Sets the deal up, decides, books besteding and corrections, approves verslagen and
    # metingen, publishes the report; never pays or approves a payout (that is kassier and controller).
    "coordinator": {
        **_READ_DEAL,
        **_READ_MONEY,
        **dict.fromkeys(
            [
                "read_findings",
                "read_import_batches",
                "read_periods",
                "read_verslag",
                "start_verslag",
                "write_verslag",
                "approve_verslag",
                "return_verslag",
                "correct_verslag",
                "manage_roles",
                "decide",
                "change_budget",
                "correct_booking",
                "book_expenditure",
                "import_workbook",
                "set_up_conditions",
                "waive_condition",
                "supply_evidence",
                "write_vouchers",
                "write_cofinancing",
                "plan_years",
                "rollover",
                "enter_measurement",
                "approve_measurement",
                "import_measurements",
                "publish_report",
                "edit_report_texts",
            ],
            DEAL,
        ),
    },  # fmt: skip
    # Enters progress and metingen and books besteding for their own projects; reads the others,
    # but the money of a project only where it is theirs.
    "themalijnmanager": {
        **_READ_DEAL,
        "read_project": DEAL,
        "read_finance": DEAL,
        "read_reports": DEAL,
        "read_periods": DEAL,
        "read_verslag": DEAL,
        "read_project_finance": OWN,
        "read_tranches": OWN,
        "read_conditions": OWN,
        "start_verslag": OWN,
        "write_verslag": OWN,
        "correct_verslag": OWN,
        "book_expenditure": OWN,
        "enter_measurement": OWN,
    },
    # Registers tranches and supplies the evidence of their conditions.
    "kassier": {
        **_READ_DEAL,
        **_READ_MONEY,
        "read_findings": DEAL,
        "read_import_batches": DEAL,
        "register_tranche": DEAL,
        "supply_evidence": DEAL,
    },
    # The second pair of eyes: approves or rejects tranches, checks evidence, confirms imports.
    "controller": {
        **_READ_DEAL,
        **_READ_MONEY,
        "read_findings": DEAL,
        "read_import_batches": DEAL,
        "approve_tranche": DEAL,
        "check_evidence": DEAL,
        "confirm_import": DEAL,
    },
    # Reads dashboards, the money and the reports; writes nothing.
    "stuurgroep": {**_READ_DEAL, **_READ_MONEY},
    # Delivers the information of their own project: verslagen, evidence of its conditions,
    # vouchers and co-financing outside the kassier. Reads no money of the deal.
    "penvoerder": {
        **_READ_DEAL,
        "read_project": OWN,
        "read_verslag": OWN,
        "start_verslag": OWN,
        "write_verslag": OWN,
        "correct_verslag": OWN,
        "read_conditions": OWN,
        "supply_evidence": OWN,
        "write_vouchers": OWN,
        "write_cofinancing": OWN,
    },
}

# Abilities that come with another: who writes a thing reads it.
IMPLIES = {
    "write_vouchers": ("read_vouchers",),
    "write_cofinancing": ("read_cofinancing",),
    "supply_evidence": ("read_conditions",),
    "read_project_finance": ("read_vouchers", "read_cofinancing", "read_conditions"),
}

# persona -> (role, does the persona manage or lead the sample project 1310?)
PERSONA_ROLE = {
    "coordinator": ("coordinator", True),
    "tlm_own": ("themalijnmanager", True),
    "tlm_other": ("themalijnmanager", False),
    "kassier": ("kassier", True),
    "controller": ("controller", True),
    "stuurgroep": ("stuurgroep", True),
    "lead_own": ("penvoerder", True),
    "lead_other": ("penvoerder", False),
}


def _scopes(role: str) -> dict[str, str]:
    scopes = dict(ROLE_RULES[role])
    for ability, scope in list(scopes.items()):
        for implied in IMPLIES.get(ability, ()):
            if scopes.get(implied) != DEAL:
                scopes[implied] = scope
    return scopes


def may(persona: str, ability: str, *, on_sample: bool = True) -> bool:
    """May this persona do ``ability`` on the sample object (on_sample) or somewhere in the deal?"""
    if persona == "anonymous":
        return False
    role, owns_sample = PERSONA_ROLE[persona]
    scope = _scopes(role).get(ability)
    if scope is None:
        return False
    return scope == DEAL or not on_sample or owns_sample
