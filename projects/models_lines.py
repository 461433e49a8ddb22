"""Programme lines: money streams that cut across a deal's actielijnen (Twente).

Twente has two: the Regio Deal Twente (RDT, Rijk + province + municipalities) and the Agenda voor
Twente (AvT, the fourteen municipalities). A project belongs to one actielijn (through its programme)
and at most one programme line. Each line reports over its own window and counts its money up to its
own peildatum inside one report ("RDT tot april 2020, AvT t/m 2019"). A deal without lines (Cleantech)
has one implicit line: the deal itself, with the period's ijkdatum.

Imported by projects.models so that Django finds the models.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class ProgrammeLine(models.Model):
    deal = models.ForeignKey(
        "projects.Deal", verbose_name="deal", on_delete=models.PROTECT, related_name="programme_lines"
    )
    code = models.CharField("code", max_length=20, help_text="Bijvoorbeeld RDT.")
    name = models.CharField("naam", max_length=200)
    description = models.TextField("omschrijving", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "programmalijn"
        verbose_name_plural = "programmalijnen"
        ordering = ["deal", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "code"],
                name="programmeline_code_unique_per_deal",
                violation_error_message="Deze deal heeft al een programmalijn met deze code.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProgrammeLinePeriod(models.Model):
    """What one programme line reports over in one reporting period of its deal, and up to which date its
    money counts. Without a row the line follows the period itself (its start, end and ijkdatum)."""

    programme_line = models.ForeignKey(
        ProgrammeLine, verbose_name="programmalijn", on_delete=models.PROTECT, related_name="periods"
    )
    period = models.ForeignKey(
        "projects.ReportingPeriod",
        verbose_name="rapportageperiode",
        on_delete=models.PROTECT,
        related_name="programme_line_periods",
    )
    start = models.DateField("start")
    end = models.DateField("einde (exclusief)", help_text="De eerste dag ná de periode van deze programmalijn.")
    reference_date = models.DateField(
        "financiële peildatum", help_text="Tot en met deze datum tellen de bedragen van deze programmalijn mee."
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "periode van een programmalijn"
        verbose_name_plural = "periodes van programmalijnen"
        ordering = ["period", "programme_line"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_line", "period"],
                name="programmelineperiod_once_per_period",
                violation_error_message="Deze programmalijn heeft in deze rapportageperiode al eigen data.",
            ),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="programmelineperiod_end_after_start",
                violation_error_message="Het einde van de periode moet ná de start liggen.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_line.code} in {self.period.name}"

    @property
    def last_day(self):
        """The last day inside the window, for display: the end itself is exclusive."""
        return self.end - timedelta(days=1)

    def clean(self):
        if self.programme_line_id and self.period_id and self.programme_line.deal_id != self.period.deal_id:
            raise ValidationError({"period": "De rapportageperiode hoort bij een andere deal dan de programmalijn."})
        if self.start and self.reference_date and self.reference_date < self.start:
            raise ValidationError({"reference_date": "De financiële peildatum ligt vóór de start van de periode."})
