"""Money per calendar year: begroting and prognose per project x financier x year, and rollovers.

The begroting of a project x financier is the sum of its begroting bookings (the ledger); a
year plan spreads it over the years and adds a prognose (forecast) per year. Realisation per
year comes from the bestedingen in the ledger. Money a closed year did not spend moves to the
next year only by a rollover that points to a decision (finance/services_years.py).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from finance.models import MONEY


class YearPlan(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name="project", on_delete=models.PROTECT, related_name="year_plans"
    )
    funder = models.ForeignKey("finance.Funder", verbose_name="financier", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("jaar")
    budget = models.DecimalField("begroot", **MONEY)
    forecast = models.DecimalField("prognose", null=True, blank=True, **MONEY)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="gewijzigd door", on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "jaarbegroting"
        verbose_name_plural = "jaarbegrotingen"
        ordering = ["project", "funder", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "funder", "year"], name="year_plan_unique"),
            models.CheckConstraint(
                condition=Q(budget__gte=0) & (Q(forecast__isnull=True) | Q(forecast__gte=0)),
                name="year_plan_not_negative",
                violation_error_message="Begroot en prognose zijn nooit negatief.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} / {self.funder} {self.year}"


IMMUTABLE_ROLLOVER = (
    "Een vastgelegde doorschuiving verandert nooit en wordt niet verwijderd; "
    "een nieuw besluit kan een nieuwe doorschuiving vastleggen."
)


class RolloverQuerySet(models.QuerySet):
    """Written once: no update or delete in bulk either (bulk_update uses update)."""

    def update(self, **kwargs):
        raise ValidationError(IMMUTABLE_ROLLOVER)

    def delete(self):
        raise ValidationError(IMMUTABLE_ROLLOVER)


class Rollover(models.Model):
    """Unspent money of a closed year moved to a later year, by decision. Never changed or deleted."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="project", on_delete=models.PROTECT, related_name="rollovers"
    )
    funder = models.ForeignKey("finance.Funder", verbose_name="financier", on_delete=models.PROTECT, related_name="+")
    from_year = models.PositiveSmallIntegerField("van jaar")
    to_year = models.PositiveSmallIntegerField("naar jaar")
    amount = models.DecimalField("bedrag", **MONEY)
    decision = models.ForeignKey(
        "projects.Decision", verbose_name="besluit", on_delete=models.PROTECT, related_name="rollovers"
    )
    note = models.TextField("toelichting", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="vastgelegd door", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    history = HistoricalRecords()

    objects = RolloverQuerySet.as_manager()

    class Meta:
        verbose_name = "doorschuiving"
        verbose_name_plural = "doorschuivingen"
        ordering = ["project", "funder", "from_year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(to_year__gt=F("from_year")),
                name="rollover_positive_and_forward",
                violation_error_message="Doorschuiven gaat met een positief bedrag naar een later jaar.",
            )
        ]

    def __str__(self) -> str:
        return f"Doorschuiving {self.project} / {self.funder} {self.from_year} → {self.to_year}"

    def save(self, *args, **kwargs):
        # Like a booking: what a decision moved stays as it was recorded, so every year's
        # begroot ever shown can be traced back to it.
        if self.pk is not None:
            raise ValidationError(IMMUTABLE_ROLLOVER)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(IMMUTABLE_ROLLOVER)
