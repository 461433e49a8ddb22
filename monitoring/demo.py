"""Loads the demo deal's indicators and metingen from fixtures/cleantech_monitoring.json (idempotent).

Indicators are updated in place; a meting that exists (same indicator and date) is left as it
is, since approved metingen are frozen. Demo metingen are approved by the demo coordinator, so
the stuurgroep persona sees the seed's numbers.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User

from monitoring.models import Indicator, Measurement
from projects.models import ActionLine, Deal, Programme, Project

APPROVED_AT = dt.datetime(2022, 9, 1, 12, 0, tzinfo=dt.UTC)  # fixed, so reloading changes nothing


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _upsert(deal: Deal, code: str, values: dict) -> Indicator:
    """Creates or updates an indicator, saving (and so adding history) only when something changed."""
    indicator = Indicator.objects.filter(deal=deal, code=code).first()
    if indicator is None:
        return Indicator.objects.create(deal=deal, code=code, **values)
    changed = [name for name, value in values.items() if getattr(indicator, name) != value]
    if changed:
        for name in changed:
            setattr(indicator, name, values[name])
        indicator.save(update_fields=changed)
    return indicator


def load_indicators(deal: Deal, data: dict, users: dict[str, User]) -> int:
    deal_end = Deal.objects.values_list("end", flat=True).get(pk=deal.pk)  # a date, also on a fresh deal
    action_lines = {a.code: a for a in ActionLine.objects.filter(deal=deal)}
    programmes = {p.code: p for p in Programme.objects.filter(deal=deal)}
    projects = {p.code: p for p in Project.objects.filter(deal=deal).select_related("programme")}
    indicators: dict[str, Indicator] = {}
    for row in data["indicators"]:
        project = projects.get(row["project"]) if row["project"] else None
        programme = programmes.get(row["programme"]) if row["programme"] else None
        action_line = action_lines.get(row["action_line"]) if row["action_line"] else None
        if programme and not action_line:
            action_line = programme.action_line
        indicators[row["code"]] = _upsert(
            deal,
            row["code"],
            {
                "level": row["level"],
                "action_line": action_line,
                "programme": programme or (project.programme if project else None),
                "project": project,
                "name": row["name"],
                "definition": row["definition"],
                "unit": row["unit"],
                "source": row["source"],
                "kind": row["kind"],
                "is_quantitative": row["is_quantitative"],
                "direction": row["direction"],
                "baseline_value": _decimal(row["baseline_value"]),
                "baseline_date": _date(row["baseline_date"]),
                "target_value": _decimal(row["target_value"]),
                "target_date": _date(row["target_date"]) or (deal_end if row["target_value"] else None),
                "target_text": row["target_text"],
                "summable": row["summable"],
                "cumulative": row["cumulative"],
                "second_unit": row["second_unit"],
                "comparison_group": row["comparison_group"],
                "order": row["order"],
            },
        )
    for row in data["indicators"]:
        indicator = indicators[row["code"]]
        if row["parent"]:
            parent = indicators[row["parent"]]
            if indicator.parent_id != parent.pk:
                indicator.parent = parent
                indicator.full_clean()
                indicator.save(update_fields=["parent"])
        else:
            indicator.full_clean()
        entered_by = users["themalijnmanager"] if indicator.level == Indicator.Level.PROJECT else users["coordinator"]
        for m in row["measurements"]:
            if Measurement.objects.filter(indicator=indicator, date=m["date"]).exists():
                continue
            measurement = Measurement(
                indicator=indicator,
                date=_date(m["date"]),
                period_start=_date(m["period_start"]),
                value=_decimal(m["value"]),
                text=m["text"],
                second_value=_decimal(m["second_value"]),
                rank=m["rank"],
                rank_of=m["rank_of"],
                source_note=m["source_note"],
                status=Measurement.Status.APPROVED,
                entered_by=entered_by,
                approved_by=users["coordinator"],
                approved_at=APPROVED_AT,
            )
            measurement.full_clean()
            measurement.save()
    return len(indicators)
