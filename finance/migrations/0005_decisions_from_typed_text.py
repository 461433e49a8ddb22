"""Bookings from before decisions were records get one: one Decision per distinct typed decision.

Bookings are never changed, except by this one-off step: it only fills the empty decision of a
begroting or toekenning (and its corrections), so the next migration can drop the typed text
and require a decision.
"""

from django.db import migrations

DECIDED_KINDS = ("begroting", "toekenning")
DEFAULT_TEXT = "Besluit overgenomen uit de boekingen van vóór het besluitenregister"


def _number(taken: set[str], year: int) -> str:
    n = 1
    while f"HIST-{year}-{n:02d}" in taken:
        n += 1
    number = f"HIST-{year}-{n:02d}"
    taken.add(number)
    return number


def decisions_from_text(apps, schema_editor):
    Booking = apps.get_model("finance", "Booking")
    Decision = apps.get_model("projects", "Decision")
    undecided = Booking.objects.filter(kind__in=DECIDED_KINDS, decision__isnull=True).order_by("deal_id", "date", "id")
    made: dict[tuple, int] = {}
    taken: dict[int, set[str]] = {}
    for booking in undecided.iterator():
        day = booking.decision_date or booking.date
        text = (booking.decision_text or "").strip() or DEFAULT_TEXT
        key = (booking.deal_id, day, text)
        if key not in made:
            numbers = taken.setdefault(
                booking.deal_id, set(Decision.objects.filter(deal_id=booking.deal_id).values_list("number", flat=True))
            )
            made[key] = Decision.objects.create(
                deal_id=booking.deal_id, number=_number(numbers, day.year), date=day, body="stuurgroep", text=text
            ).pk
        Booking.objects.filter(pk=booking.pk).update(decision_id=made[key])


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0004_import_batches"),
        ("projects", "0005_roles_from_groups"),
    ]

    operations = [migrations.RunPython(decisions_from_text, migrations.RunPython.noop)]
