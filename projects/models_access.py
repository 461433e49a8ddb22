"""Who holds which role in which deal, and the stuurgroep's decisions.

Imported by projects.models so that Django finds the models; kept apart because access
and decisions are a subject of their own next to the project structure.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from projects import roles


class RoleAssignment(models.Model):
    """One role of one user in one deal (the ministry's read-only role spans all deals).

    Rows are never deleted: a role ends (status beëindigd) so the history shows who held
    what, when. Kassier and controller wait for a second coordinator's confirmation.
    """

    class Status(models.TextChoices):
        PENDING = "wacht", "Wacht op bevestiging"
        ACTIVE = "actief", "Actief"
        REFUSED = "geweigerd", "Geweigerd"
        ENDED = "beeindigd", "Beëindigd"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="gebruiker", on_delete=models.PROTECT, related_name="role_assignments"
    )
    deal = models.ForeignKey(
        "projects.Deal",
        verbose_name="deal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        help_text="Leeg alleen voor de leesrol van het ministerie (alle deals).",
    )
    role = models.CharField("rol", max_length=20, choices=list(roles.ROLE_LABELS.items()))
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="toegekend door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField("toegekend op", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="bevestigd door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("bevestigd of geweigerd op", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="beëindigd door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField("beëindigd op", null=True, blank=True)
    note = models.CharField("toelichting", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "roltoewijzing"
        verbose_name_plural = "roltoewijzingen"
        ordering = ["deal", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "deal", "role"],
                condition=Q(status__in=["wacht", "actief"]),
                name="role_assignment_open_unique",
                violation_error_message="Deze gebruiker heeft deze rol in deze deal al (of die wacht op bevestiging).",
            ),
            models.CheckConstraint(
                condition=Q(deal__isnull=True, role=roles.MINISTRY) | Q(deal__isnull=False) & ~Q(role=roles.MINISTRY),
                name="role_assignment_deal_unless_ministry",
                violation_error_message="Alleen de leesrol van het ministerie geldt voor alle deals.",
            ),
        ]

    def __str__(self) -> str:
        where = self.deal.code if self.deal_id else "alle deals"
        return f"{self.user} – {self.get_role_display()} ({where})"


class Decision(models.Model):
    """A decision of a deal's body (stuurgroep, mostly) that money and rules point to."""

    class Body(models.TextChoices):
        STEERING = "stuurgroep", "Stuurgroep"
        WORKING = "werkgroep", "Werkgroep"
        COORDINATION = "coordinatie", "Coördinatie"
        RIJK = "rijk", "Rijk (ministerie)"

    deal = models.ForeignKey("projects.Deal", verbose_name="deal", on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField("besluitnummer", max_length=40, help_text="Bijvoorbeeld SG-2022-03.")
    date = models.DateField("datum besluit")
    body = models.CharField("orgaan", max_length=20, choices=Body.choices, default=Body.STEERING)
    text = models.TextField("besluit")
    document = models.FileField("document", upload_to="besluiten/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vastgelegd door",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "besluit"
        verbose_name_plural = "besluiten"
        ordering = ["deal", "date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "number"],
                name="decision_number_unique_per_deal",
                violation_error_message="Deze deal heeft al een besluit met dit nummer.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d-%m-%Y})"
