"""Vouchers: a project that is a voucher scheme hands out many small grants to named recipients.

A voucher is not a booking: the scheme's money is booked on the project as always (begroting,
tranches to the scheme's penvoerder); the vouchers say to whom that money went. Their sum per
status is shown on the project and its fact sheet, and what is granted or paid never exceeds
the scheme's begroting (finance/services_vouchers.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from finance.models import MONEY


class Voucher(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "aangevraagd", "Aangevraagd"
        GRANTED = "toegekend", "Toegekend"
        PAID = "uitbetaald", "Uitbetaald"
        LAPSED = "vervallen", "Vervallen"

    project = models.ForeignKey(
        "projects.Project", verbose_name="voucherregeling", on_delete=models.PROTECT, related_name="vouchers"
    )
    recipient = models.CharField("ontvanger", max_length=200, help_text="Naam van het bedrijf of de persoon.")
    date = models.DateField("aanvraagdatum")
    amount = models.DecimalField("bedrag", **MONEY)
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.REQUESTED)
    reference = models.CharField("kenmerk", max_length=100, blank=True)
    note = models.TextField("toelichting", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="vastgelegd door", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "voucher"
        verbose_name_plural = "vouchers"
        ordering = ["project", "date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="voucher_amount_positive",
                violation_error_message="Het bedrag van een voucher moet groter dan nul zijn.",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"Voucher {self.recipient} ({self.date:%d-%m-%Y})"
