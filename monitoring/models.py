"""Indicators (what the deal should change) and their measurements (metingen)."""

from decimal import Decimal

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
        NEUTRAL = "neutraal", "Geen voorkeur"

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
    # Circulaire Regio sets targets relative to the nulmeting ("−20 %"): the streefwaarde follows
    # from the nulmeting, so a corrected nulmeting moves the target with it.
    target_change_pct = models.DecimalField(
        "streefwaarde als verandering t.o.v. de nulmeting (%)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Bijvoorbeeld -20 voor '20 % minder dan de nulmeting'. Laat de streefwaarde dan leeg.",
    )
    target_date = models.DateField("streefdatum", null=True, blank=True)
    target_text = models.CharField("streefwaarde in woorden", max_length=300, blank=True)
    summable = models.BooleanField("optelbaar over projecten", default=False)
    cumulative = models.BooleanField(
        "cumulatief", default=True, help_text="Aan: elke meting is de stand tot dan. Uit: elke meting telt één periode."
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="telt op naar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
        help_text="Optelbare projectindicator: de programma-indicator waarvan het totaal de som van de projecten is.",
    )
    second_unit = models.CharField(
        "eenheid tweede waarde", max_length=60, blank=True, help_text="Bijvoorbeeld 'ha per 1000 inwoners'."
    )
    comparison_group = models.CharField(
        "vergelijkingsgroep",
        max_length=120,
        blank=True,
        help_text="Waartegen de positie is gemeten, bijvoorbeeld '8 Gelderse regio's'.",
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
        errors = self._relative_target_errors()
        target_field = "target_change_pct" if self.target_change_pct is not None else "target_value"
        if not errors and self.baseline_value is not None and self.target is not None:
            if self.direction == self.Direction.HIGHER and self.target < self.baseline_value:
                errors[target_field] = "De streefwaarde ligt onder de nulmeting, terwijl hoger beter is."
            if self.direction == self.Direction.LOWER and self.target > self.baseline_value:
                errors[target_field] = "De streefwaarde ligt boven de nulmeting, terwijl lager beter is."
        if self.parent_id:
            parent = self.parent
            if self.level != self.Level.PROJECT or not self.summable:
                errors["parent"] = "Alleen een optelbare projectindicator telt op naar een programma-indicator."
            elif parent.level != self.Level.PROGRAMME or parent.deal_id != self.deal_id:
                errors["parent"] = "Kies een programma-indicator van dezelfde deal."
            elif self.project_id and parent.programme_id != self.project.programme_id:
                errors["parent"] = "De programma-indicator hoort bij een ander programma dan dit project."
            elif parent.cumulative != self.cumulative:
                errors["parent"] = "De programma-indicator en de projectindicator tellen niet op dezelfde manier "
                "(cumulatief of per periode)."
        if errors:
            raise ValidationError(errors)

    def _relative_target_errors(self) -> dict[str, str]:
        if self.target_change_pct is None:
            return {}
        if self.target_value is not None:
            return {"target_change_pct": "Geef de streefwaarde als getal óf als verandering in procenten, niet beide."}
        if self.baseline_value is None:
            return {"target_change_pct": "Een streefwaarde in procenten rekent vanaf de nulmeting: vul die in."}
        return {}

    @property
    def target(self) -> Decimal | None:
        """The streefwaarde as a number: given, or the nulmeting changed by target_change_pct."""
        if self.target_change_pct is not None and self.baseline_value is not None:
            return (self.baseline_value * (100 + self.target_change_pct) / 100).quantize(Decimal("0.01"))
        return self.target_value

    @property
    def relative_target_label(self) -> str:
        """'−20 % t.o.v. de nulmeting' for a relative target, else ''."""
        if self.target_change_pct is None:
            return ""
        pct = f"{self.target_change_pct.normalize():f}".replace("-", "−").replace(".", ",")
        return f"{'+' if self.target_change_pct > 0 else ''}{pct} % t.o.v. de nulmeting"

    @property
    def owner_label(self) -> str:
        """Where the indicator belongs: 'Deal', 'Actielijn Groene Groei', 'Project 1320 Scholingsfonds'."""
        if self.level == self.Level.PROJECT and self.project_id:
            return f"Project {self.project}"
        if self.level == self.Level.PROGRAMME and self.programme_id:
            return f"Programma {self.programme}"
        if self.level == self.Level.ACTION_LINE and self.action_line_id:
            return f"Actielijn {self.action_line}"
        return "Deal"


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
    second_value = models.DecimalField("tweede waarde", **VALUE, null=True, blank=True)
    rank = models.PositiveSmallIntegerField("positie", null=True, blank=True, help_text="Bijvoorbeeld 1 in '1 van 8'.")
    rank_of = models.PositiveSmallIntegerField("van", null=True, blank=True, help_text="Bijvoorbeeld 8 in '1 van 8'.")
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

    def clean(self):
        errors = {}
        if self.period_start and self.date and self.period_start > self.date:
            errors["period_start"] = "De periode begint na de datum van de meting."
        if self.rank and self.rank_of and self.rank > self.rank_of:
            errors["rank"] = f"Positie {self.rank} kan niet groter zijn dan het aantal ({self.rank_of})."
        if self.indicator_id:
            if self.indicator.is_quantitative and self.value is None:
                errors["value"] = "Vul een waarde in: deze indicator is kwantitatief."
            if not self.indicator.is_quantitative and not self.text.strip():
                errors["text"] = "Vul de meting in woorden in: deze indicator is kwalitatief."
        if errors:
            raise ValidationError(errors)

    @property
    def position_text(self) -> str:
        if self.rank and self.rank_of:
            return f"{self.rank} van {self.rank_of}"
        return ""
