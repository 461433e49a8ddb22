"""The ledger of a deal: funders and dated bookings per project x funder.

Bookings are never deleted or changed in amount. A correction is a new booking that
points at the booking it reduces (``correction_of``) and says why; its amount counts
negatively. Every figure of every screen comes from ``finance.selectors``.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from projects.models import Deal, Organisation, Project

MONEY = {"max_digits": 14, "decimal_places": 2}


class Funder(models.Model):
    class Category(models.TextChoices):
        RIJK = "rijk", "Rijk"
        PUBLIC = "publiek", "Publieke cofinanciering"
        OTHER = "overig", "Overige financiering"

    class Kind(models.TextChoices):
        RIJK = "rijk", "Rijk"
        PROVINCE = "provincie", "Provincie"
        MUNICIPALITY = "gemeente", "Gemeente"
        MUNICIPALITIES_JOINT = "gemeenten", "Gemeenten collectief"
        BOARD = "board", "Board / samenwerkingsverband"
        EDUCATION = "onderwijs", "Onderwijs"
        PRIVATE = "privaat", "Privaat en eigen middelen"
        OTHER = "overig", "Overig"

    deal = models.ForeignKey(Deal, verbose_name="deal", on_delete=models.PROTECT, related_name="funders")
    name = models.CharField("naam", max_length=200)
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisatie", on_delete=models.PROTECT, null=True, blank=True
    )
    category = models.CharField("categorie", max_length=10, choices=Category.choices)
    kind = models.CharField("soort", max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    programme_lines = models.ManyToManyField(
        "projects.ProgrammeLine",
        verbose_name="programmalijnen",
        blank=True,
        related_name="funders",
        help_text="De programmalijnen die deze financier financiert; leeg bij een deal zonder programmalijnen.",
    )
    history = HistoricalRecords(m2m_fields=[programme_lines])

    class Meta:
        verbose_name = "financier"
        verbose_name_plural = "financiers"
        ordering = ["deal", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "name"],
                name="funder_name_unique_per_deal",
                violation_error_message="Deze deal heeft al een financier met deze naam.",
            )
        ]

    def __str__(self) -> str:
        return self.name


IMMUTABLE_BOOKING = "Een opgeslagen boeking verandert nooit; boek een correctie (een nieuwe boeking) in het portaal."


class BookingQuerySet(models.QuerySet):
    """Bookings are written once: no update or delete in bulk either (bulk_update uses update)."""

    def update(self, **kwargs):
        raise ValidationError(IMMUTABLE_BOOKING)

    def delete(self):
        raise ValidationError(IMMUTABLE_BOOKING)


class Booking(models.Model):
    class Kind(models.TextChoices):
        BUDGET = "begroting", "Begroting"
        COMMITMENT = "toekenning", "Toekenning (gecommitteerd)"
        PAYOUT = "uitkering", "Uitkering"
        EXPENDITURE = "besteding", "Besteding"

    deal = models.ForeignKey(Deal, verbose_name="deal", on_delete=models.PROTECT, related_name="bookings")
    project = models.ForeignKey(
        Project,
        verbose_name="project",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        help_text="Leeg voor geld op dealniveau dat bij geen project hoort (organiserend vermogen).",
    )
    funder = models.ForeignKey(Funder, verbose_name="financier", on_delete=models.PROTECT, related_name="bookings")
    kind = models.CharField("soort", max_length=12, choices=Kind.choices)
    amount = models.DecimalField("bedrag", **MONEY)
    date = models.DateField("boekdatum")
    reference = models.CharField("kenmerk", max_length=100, blank=True)
    note = models.TextField("toelichting", blank=True)
    decision = models.ForeignKey(
        "projects.Decision",
        verbose_name="besluit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
        help_text="Het besluit waarop een begroting, toekenning of wijziging daarvan berust.",
    )
    period_start = models.DateField("periode vanaf", null=True, blank=True)
    period_end = models.DateField("periode tot (niet inbegrepen)", null=True, blank=True)
    correction_of = models.ForeignKey(
        "self",
        verbose_name="correctie op",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    correction_reason = models.CharField("reden correctie", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="geboekt door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("geboekt op", auto_now_add=True)
    history = HistoricalRecords()

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = "boeking"
        verbose_name_plural = "boekingen"
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["deal", "kind", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="booking_amount_not_negative",
                violation_error_message="Een bedrag mag niet negatief zijn; boek een correctie.",
            ),
            models.CheckConstraint(
                condition=Q(correction_of__isnull=True) | ~Q(correction_reason=""),
                name="booking_correction_has_reason",
                violation_error_message="Een correctie heeft een reden nodig.",
            ),
            models.CheckConstraint(
                # A begroting or toekenning, and every correction of one, rests on a decision record.
                condition=~Q(kind__in=["begroting", "toekenning"]) | Q(decision__isnull=False),
                name="booking_budget_has_decision",
                violation_error_message="Een begroting of toekenning hoort bij een besluit uit het besluitenregister.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gt=models.F("period_start")),
                name="booking_period_end_after_start",
                violation_error_message="Het einde van de periode ligt niet na het begin.",
            ),
        ]

    def __str__(self) -> str:
        where = self.project.code if self.project_id else "deal"
        return f"{self.get_kind_display()} {where} / {self.funder} {self.amount} ({self.date:%d-%m-%Y})"

    def save(self, *args, **kwargs):
        # The ledger is append-only: amount, period, decision, note, nothing of a saved booking
        # changes, so every figure ever reported can be traced; a correction is a new booking.
        if self.pk is not None:
            raise ValidationError(IMMUTABLE_BOOKING)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(IMMUTABLE_BOOKING)

    @property
    def period_last_day(self):
        """The period's last day as people read it ("t/m"); period_end itself is the day after."""
        return self.period_end - timedelta(days=1) if self.period_end else None

    @property
    def signed_amount(self) -> Decimal:
        return -self.amount if self.correction_of_id else self.amount

    def clean(self):
        errors = {}
        if self.project_id and self.deal_id and self.project.deal_id != self.deal_id:
            errors["project"] = "Het project hoort bij een andere deal."
        if self.funder_id and self.deal_id and self.funder.deal_id != self.deal_id:
            errors["funder"] = "De financier hoort bij een andere deal."
        if self.correction_of_id:
            original = self.correction_of
            if original.correction_of_id:
                errors["correction_of"] = "Corrigeer de oorspronkelijke boeking, niet een correctie."
            elif (original.kind, original.project_id, original.funder_id) != (
                self.kind,
                self.project_id,
                self.funder_id,
            ):
                errors["correction_of"] = "Een correctie heeft dezelfde soort, project en financier als het origineel."
        if errors:
            raise ValidationError(errors)


class Tranche(models.Model):
    """A payout to a project, registered by the kassier and approved by a controller.

    Only an approved tranche creates an ``uitkering`` booking, so only approved tranches
    count as uitgekeerd.
    """

    class Status(models.TextChoices):
        PENDING = "ter_goedkeuring", "Ter goedkeuring"
        APPROVED = "goedgekeurd", "Goedgekeurd"
        REJECTED = "afgewezen", "Afgewezen"

    project = models.ForeignKey(Project, verbose_name="project", on_delete=models.PROTECT, related_name="tranches")
    funder = models.ForeignKey(Funder, verbose_name="financier", on_delete=models.PROTECT, related_name="tranches")
    number = models.PositiveSmallIntegerField("tranchenummer")
    amount = models.DecimalField("bedrag", **MONEY)
    date = models.DateField("uitkeringsdatum")
    note = models.TextField("toelichting", blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.PENDING)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="geregistreerd door", on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField("geregistreerd op", auto_now_add=True)
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
    override_reason = models.TextField(
        "reden overschrijding begroting",
        blank=True,
        help_text="Alleen invullen als deze tranche bewust boven de begroting uitkomt.",
    )
    override_decision = models.ForeignKey(
        "projects.Decision",
        verbose_name="besluit overschrijding begroting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="override_tranches",
    )
    booking = models.OneToOneField(
        Booking,
        verbose_name="uitkeringsboeking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tranche",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "tranche"
        verbose_name_plural = "tranches"
        ordering = ["project", "funder", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "funder", "number"],
                name="tranche_number_unique",
                violation_error_message="Dit project heeft al een tranche met dit nummer voor deze financier.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="tranche_amount_positive",
                violation_error_message="Het bedrag van een tranche moet groter dan nul zijn.",
            ),
            models.CheckConstraint(
                condition=~Q(status="afgewezen") | ~Q(rejection_reason=""),
                name="tranche_rejection_has_reason",
                violation_error_message="Een afwijzing heeft een reden nodig.",
            ),
        ]

    def __str__(self) -> str:
        return f"Tranche {self.number} {self.project.code} / {self.funder}"


class TrancheCondition(models.Model):
    """A condition a tranche depends on, proven by an uploaded document or a reference."""

    tranche = models.ForeignKey(Tranche, verbose_name="tranche", on_delete=models.CASCADE, related_name="conditions")
    description = models.CharField("voorwaarde", max_length=200)
    reference = models.CharField("kenmerk of vindplaats", max_length=200, blank=True)
    document = models.FileField("document", upload_to="tranches/%Y/", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "voorwaarde"
        verbose_name_plural = "voorwaarden"
        constraints = [
            models.CheckConstraint(
                condition=~Q(reference="") | ~Q(document=""),
                name="tranche_condition_has_proof",
                violation_error_message="Geef bij elke voorwaarde een document of een kenmerk.",
            )
        ]

    def __str__(self) -> str:
        return self.description


from finance.models_cofinancing import DirectCoFinancing  # noqa: E402,F401  (models Django must find)
from finance.models_conditions import (  # noqa: E402,F401  (models Django must find)
    ConditionEvidence,
    ConditionType,
    ConditionWaiver,
    ProjectCondition,
)
from finance.models_import import ImportBatch, ImportedPayout  # noqa: E402,F401  (models Django must find)
from finance.models_pending import PendingAmount  # noqa: E402,F401  (models Django must find)
from finance.models_vouchers import Voucher  # noqa: E402,F401  (models Django must find)
from finance.models_years import Rollover, YearPlan  # noqa: E402,F401  (models Django must find)
