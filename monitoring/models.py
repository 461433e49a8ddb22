"""Indicators (what the deal should change) and their measurements (metingen)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from projects.models import ActionLine, Deal, Programme, Project

VALUE = {"max_digits": 16, "decimal_places": 4}


class Indicator(models.Model):
    class Level(models.TextChoices):
        DEAL = "deal", "Deal"
        ACTION_LINE = "actielijn", "Actielijn"
        PROGRAMME = "programma", "Programma"
        PROJECT = "project", "Project"

    class Kind(models.TextChoices):
        OUTPUT = "output", "Output"
        OUTCOME = "outcome", "Outcome"
        CONTEXT = "context", "Context"

    class Direction(models.TextChoices):
        HIGHER = "hoger", "Hoger is beter"
        LOWER = "lager", "Lager is beter"

    deal = models.ForeignKey(Deal, verbose_name="deal", on_delete=models.PROTECT, related_name="indicators")
    level = models.CharField("niveau", max_length=10, choices=Level.choices)
    action_line = models.ForeignKey(
        ActionLine, verbose_name="actielijn", on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    programme = models.ForeignKey(
        Programme, verbose_name="programma", on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    project = models.ForeignKey(
        Project, verbose_name="project", on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    code = models.CharField("code", max_length=40)
    name = models.CharField("naam", max_length=300)
    definition = models.TextField("definitie", blank=True)
    unit = models.CharField("eenheid", max_length=60, blank=True)
    source = models.CharField("bron", max_length=200, blank=True)
    kind = models.CharField("soort", max_length=10, choices=Kind.choices, default=Kind.OUTCOME)
    is_quantitative = models.BooleanField("kwantitatief", default=True)
    direction = models.CharField("richting", max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    baseline_value = models.DecimalField("nulmeting", **VALUE, null=True, blank=True)
    baseline_date = models.DateField("datum nulmeting", null=True, blank=True)
    target_value = models.DecimalField("streefwaarde", **VALUE, null=True, blank=True)
    target_date = models.DateField("streefdatum", null=True, blank=True)
    target_text = models.CharField("streefwaarde in woorden", max_length=300, blank=True)
    summable = models.BooleanField("optelbaar over projecten", default=False)
    cumulative = models.BooleanField(
        "cumulatief", default=True, help_text="Aan: elke meting is de stand tot dan. Uit: elke meting telt één periode."
    )
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "indicator"
        verbose_name_plural = "indicatoren"
        ordering = ["deal", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "code"],
                name="indicator_code_unique_per_deal",
                violation_error_message="Deze deal heeft al een indicator met deze code.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        required = {
            self.Level.ACTION_LINE: "action_line",
            self.Level.PROGRAMME: "programme",
            self.Level.PROJECT: "project",
        }.get(self.level)
        if required and not getattr(self, f"{required}_id"):
            raise ValidationError({required: "Kies het onderdeel waar deze indicator bij hoort."})


class Measurement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "concept", "Concept"
        APPROVED = "goedgekeurd", "Goedgekeurd"

    indicator = models.ForeignKey(
        Indicator, verbose_name="indicator", on_delete=models.PROTECT, related_name="measurements"
    )
    date = models.DateField("datum", help_text="De datum van de stand, of het einde van de gemeten periode.")
    period_start = models.DateField("periode vanaf", null=True, blank=True)
    value = models.DecimalField("waarde", **VALUE, null=True, blank=True)
    text = models.TextField("waarde in woorden", blank=True)
    source_note = models.CharField("bron", max_length=300, blank=True)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.DRAFT)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ingevoerd door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="goedgekeurd door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField("goedgekeurd op", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "meting"
        verbose_name_plural = "metingen"
        ordering = ["indicator", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date"],
                name="measurement_one_per_indicator_date",
                violation_error_message="Voor deze indicator is er al een meting op deze datum.",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(text=""),
                name="measurement_has_value_or_text",
                violation_error_message="Vul een waarde of een tekst in.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.date:%d-%m-%Y}"
