"""Historic payouts from a workbook wait in an import batch until a second person confirms them.

The payouts of a batch are held here, not as tranches: until a controller of the deal who did
not upload the workbook confirms the batch, nothing of it is a tranche or a booking, so it
counts in no figure, list or report. Confirming turns each held payout into a tranche that
is approved through the same service (and budget guard) as any other
(finance.import_batches.batch_confirm).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from finance.models import MONEY, Funder, Tranche
from projects.models import Deal, Decision, Project


class ImportBatchQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=ImportBatch.Status.WAITING)


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        WAITING = "wacht", "Wacht op bevestiging"
        CONFIRMED = "bevestigd", "Bevestigd"
        REJECTED = "afgewezen", "Afgewezen"

    deal = models.ForeignKey(Deal, verbose_name="deal", on_delete=models.PROTECT, related_name="import_batches")
    file_name = models.CharField("bestandsnaam", max_length=255, blank=True)
    sha256 = models.CharField("SHA-256 van het bestand", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="geïmporteerd door", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("geïmporteerd op", auto_now_add=True)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="beoordeeld door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("beoordeeld op", null=True, blank=True)
    rejection_reason = models.TextField("reden afwijzing", blank=True)
    payout_count = models.PositiveIntegerField("aantal uitkeringen", default=0)
    payout_total = models.DecimalField("totaal uitkeringen", default=0, **MONEY)
    other_rows = models.PositiveIntegerField(
        "overige nieuwe of gewijzigde regels",
        default=0,
        help_text="Structuur, begrotingen, toekenningen en bestedingen uit dezelfde werkmap; die zijn direct "
        "opgeslagen.",
    )
    history = HistoricalRecords()

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "importbatch"
        verbose_name_plural = "importbatches"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="afgewezen") | ~Q(rejection_reason=""),
                name="import_batch_rejection_has_reason",
                violation_error_message="Een afwijzing heeft een reden nodig.",
            ),
            # Four eyes in the database too: whoever uploaded never decides.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("uploaded_by")),
                name="import_batch_decided_by_other",
                violation_error_message="Wie de werkmap importeerde, beoordeelt de batch niet zelf.",
            ),
        ]

    def __str__(self) -> str:
        return f"Importbatch {self.pk} ({self.file_name or 'werkmap'})"


class ImportedPayout(models.Model):
    """One row of the sheet 'uitkeringen', held until its batch is confirmed."""

    batch = models.ForeignKey(ImportBatch, verbose_name="importbatch", on_delete=models.PROTECT, related_name="payouts")
    row = models.PositiveIntegerField("rij in de werkmap")
    reference = models.CharField("kenmerk", max_length=100)
    project = models.ForeignKey(Project, verbose_name="project", on_delete=models.PROTECT, related_name="+")
    funder = models.ForeignKey(Funder, verbose_name="financier", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField("tranchenummer")
    amount = models.DecimalField("bedrag", **MONEY)
    date = models.DateField("uitkeringsdatum")
    note = models.TextField("toelichting", blank=True)
    override_reason = models.TextField("reden overschrijding begroting", blank=True)
    override_decision = models.ForeignKey(
        Decision,
        verbose_name="besluit overschrijding begroting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    tranche = models.OneToOneField(
        Tranche,
        verbose_name="tranche",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imported_from",
    )

    class Meta:
        verbose_name = "geïmporteerde uitkering"
        verbose_name_plural = "geïmporteerde uitkeringen"
        ordering = ["batch", "row"]

    def __str__(self) -> str:
        return f"{self.reference} (rij {self.row})"
