"""Co-financing that never passes the regiokassier: a partner pays its share to the project directly.

It is not a booking (no kassier tranche is faked for it, so it raises no "besteed > uitgekeerd"
finding); it has its own status, toegezegd (pledged) -> gerealiseerd (realised, with evidence),
entered by the project's penvoerder or the coordinator (finance/services_cofinancing.py).
An investment made before the deal started counts only when it is marked as such (Circulaire
Regio counts 2015-2019 investments as co-financing).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from finance.models import MONEY


class DirectCoFinancing(models.Model):
    class Status(models.TextChoices):
        PLEDGED = "toegezegd", "Toegezegd"
        REALISED = "gerealiseerd", "Gerealiseerd"

    project = models.ForeignKey(
        "projects.Project", verbose_name="project", on_delete=models.PROTECT, related_name="direct_cofinancing"
    )
    funder = models.ForeignKey(
        "finance.Funder", verbose_name="cofinancier", on_delete=models.PROTECT, related_name="direct_cofinancing"
    )
    amount = models.DecimalField("bedrag", **MONEY)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.PLEDGED)
    pledged_on = models.DateField("toegezegd op")
    realised_on = models.DateField("gerealiseerd op", null=True, blank=True)
    before_deal_start = models.BooleanField(
        "investering van vóór de deal",
        default=False,
        help_text="Een investering die vóór de start van de deal is gedaan en als cofinanciering meetelt.",
    )
    evidence_reference = models.CharField("kenmerk bewijs", max_length=200, blank=True)
    evidence_document = models.FileField("bewijsstuk", upload_to="cofinanciering/%Y/", blank=True)
    note = models.TextField("toelichting", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="vastgelegd door", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    realised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gerealiseerd gemeld door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "cofinanciering buiten de kassier"
        verbose_name_plural = "cofinanciering buiten de kassier"
        ordering = ["project", "pledged_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="direct_cofinancing_amount_positive",
                violation_error_message="Het bedrag moet groter dan nul zijn.",
            ),
            models.CheckConstraint(
                condition=Q(status="toegezegd", realised_on__isnull=True)
                | Q(status="gerealiseerd", realised_on__isnull=False),
                name="direct_cofinancing_realised_has_date",
                violation_error_message="Gerealiseerde cofinanciering heeft een datum van realisatie, toegezegde niet.",
            ),
        ]

    def __str__(self) -> str:
        return f"Cofinanciering {self.funder} op {self.project} ({self.get_status_display().lower()})"
