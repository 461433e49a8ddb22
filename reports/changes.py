"""'Sinds vorige rapportage': per table row, what changed since the previous published version.

Computed from the two JSON snapshots (the previous one as published, the current one as the
report now stands), so it compares exactly what the stuurgroep read then with what it reads now.
"""

from decimal import Decimal

SECTIONS = {"actielijn": "per_actielijn", "programma": "per_programma"}


def _amount(value) -> Decimal:
    return Decimal(str(value))


def _row_key(row: dict) -> str:
    return str(row.get("code") or row.get("naam"))


def row_changes(previous: dict, current: dict) -> dict[tuple[str, str], dict[str, Decimal | None]]:
    """{(section, row key): {measure: change of the row total}}; None for a row that is new.

    Sections: per_actielijn, per_programma, per_project (key: code), per_financier (key: naam),
    dealniveau and totaal (key: "").
    """
    result: dict[tuple[str, str], dict[str, Decimal | None]] = {}
    for section in ("per_actielijn", "per_programma", "per_project"):
        before = {_row_key(r): r for r in previous.get(section, [])}
        for row in current.get(section, []):
            old = before.get(_row_key(row))
            result[(section, _row_key(row))] = {
                m: (_amount(row["totaal"][m]) - _amount(old["totaal"][m]) if old else None)
                for m in ("begroot", "uitgekeerd", "besteed")
            }
    before = {r["naam"]: r for r in previous.get("per_financier", [])}
    for row in current.get("per_financier", []):
        old = before.get(row["naam"])
        result[("per_financier", row["naam"])] = {
            m: (_amount(row[m]) - _amount(old[m]) if old else None) for m in ("begroot", "uitgekeerd", "besteed")
        }
    for section in ("dealniveau", "totaal"):
        old, new = previous.get(section), current.get(section)
        if new:
            result[(section, "")] = {
                m: (_amount(new["totaal"][m]) - _amount(old["totaal"][m]) if old else None)
                for m in ("begroot", "uitgekeerd", "besteed")
            }
    return result


def apply_changes(data, previous_json: dict, current_json: dict) -> None:
    """Fill TableRow.change and FunderTableRow.changes of a ReportData from the two snapshots."""
    changes = row_changes(previous_json, current_json)
    for table in data.tables:
        section = SECTIONS[table.level]
        for row in table.rows:
            if row.kind == "total":
                key = ("totaal", "")
            elif row.kind == "deal":
                key = ("dealniveau", "")
            else:
                key = (section, row.code)
            row.change = changes.get(key, {}).get(table.measure)
    for row in data.funder_rows:
        key = ("totaal", "") if row.kind == "total" else ("per_financier", row.name)
        found = changes.get(key, {})
        row.changes = [found.get("uitgekeerd"), found.get("besteed")]
    data.has_previous = True
