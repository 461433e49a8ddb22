"""Contributions whose amount is not known yet ("nog te bepalen", Circulaire Regio's NTB).

A pending amount says that a funder will contribute to a project (or to the deal itself) without
an amount. It is never a booking of € 0: the report and the finance pages show "n.t.b." and say
that the totals leave it out. It stays open until a begroting for that project and funder is
booked; then the amount is known and the ledger carries it (finance.selectors_pending).
"""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


class PendingAmount(models.Model):
    deal = models.ForeignKey("projects.Deal", verbose_name="deal", on_delete=models.PROTECT, related_name="+")
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pending_amounts",
        help_text="Leeg: een bijdrage op dealniveau, buiten de projecten.",
    )
    funder = models.ForeignKey("finance.Funder", verbose_name="financier", on_delete=models.PROTECT, related_name="+")
    note = models.CharField("toelichting", max_length=300, blank=True)
    created_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "nog te bepalen bedrag"
        verbose_name_plural = "nog te bepalen bedragen"
        ordering = ["deal", "project__code", "funder__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "project", "funder"],
                condition=models.Q(project__isnull=False),
                name="pending_once_per_project_funder",
                violation_error_message="Voor deze financier staat hier al een nog te bepalen bedrag.",
            ),
            models.UniqueConstraint(
                fields=["deal", "funder"],
                condition=models.Q(project__isnull=True),
                name="pending_once_per_deal_funder",
                violation_error_message="Voor deze financier staat hier al een nog te bepalen bedrag.",
            ),
        ]

    def __str__(self) -> str:
        where = f"project {self.project.code}" if self.project_id else "dealniveau"
        return f"{self.funder} op {where}: n.t.b."

    def clean(self):
        errors = {}
        if self.funder_id and self.deal_id and self.funder.deal_id != self.deal_id:
            errors["funder"] = "Kies een financier van deze deal."
        if self.project_id and self.deal_id and self.project.deal_id != self.deal_id:
            errors["project"] = "Kies een project van deze deal."
        if errors:
            raise ValidationError(errors)
