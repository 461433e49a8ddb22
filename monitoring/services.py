"""Every change to metingen: enter, change, approve. Rights are checked here, not only in views."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from monitoring.models import Indicator, Measurement
from monitoring.permissions import can_approve_measurement, can_edit_measurement, can_enter_measurement


def measurement_create(
    *,
    indicator: Indicator,
    user: User,
    date: date,
    value: Decimal | None = None,
    text: str = "",
    period_start: date | None = None,
    source_note: str = "",
    second_value: Decimal | None = None,
    rank: int | None = None,
    rank_of: int | None = None,
) -> Measurement:
    """A new meting, as concept: it counts for the stuurgroep only once the coordinator approves it."""
    with transaction.atomic():
        if not can_enter_measurement(user, indicator):
            raise PermissionDenied("U mag bij deze indicator geen metingen invoeren.")
        measurement = Measurement(
            indicator=indicator,
            date=date,
            period_start=period_start,
            value=value,
            text=text,
            second_value=second_value,
            rank=rank,
            rank_of=rank_of,
            source_note=source_note,
            status=Measurement.Status.DRAFT,
            entered_by=user,
        )
        measurement.full_clean()
        measurement.save()
        return measurement


def measurement_update(*, measurement: Measurement, user: User, **fields) -> Measurement:
    """Changes a concept meting; an approved one is frozen (enter a new meting instead)."""
    with transaction.atomic():
        measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
        if not can_edit_measurement(user, measurement):
            raise PermissionDenied("Deze meting is goedgekeurd of u mag haar niet wijzigen.")
        allowed = {"date", "period_start", "value", "text", "source_note", "second_value", "rank", "rank_of"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"Onbekende velden: {', '.join(sorted(unknown))}")
        for name, value in fields.items():
            setattr(measurement, name, value)
        measurement.full_clean()
        measurement.save(update_fields=[*fields])
        return measurement


def measurement_approve(*, measurement: Measurement, user: User) -> Measurement:
    with transaction.atomic():
        measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
        if not can_approve_measurement(user, measurement):
            raise PermissionDenied("Alleen de coördinator keurt een concept-meting goed.")
        measurement.status = Measurement.Status.APPROVED
        measurement.approved_by = user
        measurement.approved_at = timezone.now()
        measurement.full_clean()
        measurement.save(update_fields=["status", "approved_by", "approved_at"])
        return measurement
