"""The deal workbook's sheet 'governance': who sits in which body of the deal (the report's chapter).

A member is known by body and name: a row with the same body and name changes organisation, role
and order; a new one is added. Members not in the workbook stay (the workbook adds and changes, it does
not delete, like the other extras); the coordinator removes one in Beheer. An optional extra sheet of
finance.workbook_extras, checked by the model's own rules.
"""

from finance.resources import ChoiceWidget, PositiveIntegerWidget
from finance.workbook_format import Column, Sheet, _text
from projects.models import GovernanceMember

GOVERNANCE_SHEET = Sheet(
    "governance",
    GovernanceMember,
    "name",
    "lid",
    (
        Column(
            "orgaan",
            "body",
            lambda ctx: ChoiceWidget(GovernanceMember.Body, required=True),
            "stuurgroep, werkgroep, themalijn of kassier.",
            GovernanceMember.Body.STEERING.value,
        ),
        Column("naam", "name", _text(True, 200), "Naam van het lid (of van de vertegenwoordiging).", "A. de Vries"),
        Column("organisatie", "organisation", _text(max_length=200), "Organisatie die het lid vertegenwoordigt.", ""),
        Column("rol", "role", _text(max_length=200), "Rol in het orgaan, bijv. voorzitter.", "voorzitter"),
        Column("volgorde", "order", lambda ctx: PositiveIntegerWidget(minimum=0), "Volgorde in het orgaan.", 0),
    ),
)
CHANGEABLE = ("organisation", "role", "order")


def governance_export_rows(deal) -> dict[str, list[list]]:
    members = GovernanceMember.objects.filter(deal=deal).order_by("body", "order", "name")
    return {"governance": [[c.value(m) for c in GOVERNANCE_SHEET.columns] for m in members]}


def save_governance(rows, ctx, result) -> None:
    existing = {(m.body, m.name.casefold()): m for m in GovernanceMember.objects.filter(deal=ctx.deal)}
    for row in rows:
        values = {**row.values, "organisation": row.values["organisation"] or "", "role": row.values["role"] or ""}
        values["order"] = values["order"] if values["order"] is not None else 0
        member = existing.get((values["body"], values["name"].casefold()))
        if member is None:
            member = GovernanceMember(deal=ctx.deal, body=values["body"], name=values["name"])
            new = True
        elif all(getattr(member, a) == values[a] for a in CHANGEABLE):
            result.count.unchanged += 1
            continue
        else:
            new = False
        for attribute in CHANGEABLE:
            setattr(member, attribute, values[attribute])
        result.save(row, member, new=new)
        existing[(member.body, member.name.casefold())] = member
