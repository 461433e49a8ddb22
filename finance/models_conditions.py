"""Conditions that gate the money: what a project must show before a tranche may be approved.

Per deal a list of condition types (plan van aanpak goedgekeurd, samenwerkingsovereenkomst
getekend, verslag over de vorige periode goedgekeurd); per project which of them apply, from
which tranche and optionally for one funder only; the evidence someone supplied and the
controller who checked it; and waivers, each backed by a decision of the deal.

Evidence belongs to the project's condition, not to one tranche: a signed
samenwerkingsovereenkomst proves the condition for every later tranche too. A waiver may hold
for one tranche or for the whole project. Imported by finance.models so that Django finds the
models; every write goes through finance.services_conditions.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

USER = settings.AUTH_USER_MODEL


class ConditionType(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        REFERENCE = "kenmerk", "Kenmerk of vindplaats"
        REPORT = "verslag", "Verslag over de vorige periode goedgekeurd"

    deal = models.ForeignKey(
        "projects.Deal", verbose_name="deal", on_delete=models.PROTECT, related_name="condition_types"
    )
    name = models.CharField("naam", max_length=200, help_text="Bijvoorbeeld 'Plan van aanpak goedgekeurd'.")
    kind = models.CharField(
        "soort bewijs",
        max_length=10,
        choices=Kind.choices,
        help_text="Een verslag wordt in de voortgangsrapportage zelf gecontroleerd; daarvoor levert niemand bewijs.",
    )
    description = models.TextField("wat geldt als bewijs", blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="vastgelegd door", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "soort voorwaarde"
        verbose_name_plural = "soorten voorwaarden"
        ordering = ["deal", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "name"],
                name="condition_type_name_unique_per_deal",
                violation_error_message="Deze deal heeft al een voorwaarde met deze naam.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_evidence(self) -> bool:
        return self.kind != self.Kind.REPORT


class ProjectCondition(models.Model):
    """A condition type that applies to a project's tranches from tranche ``from_number`` on."""

    project = models.ForeignKey(
        "projects.Project", verbose_name="project", on_delete=models.PROTECT, related_name="payment_conditions"
    )
    condition_type = models.ForeignKey(
        ConditionType, verbose_name="voorwaarde", on_delete=models.PROTECT, related_name="project_conditions"
    )
    from_number = models.PositiveSmallIntegerField(
        "vanaf tranche",
        default=1,
        validators=[MinValueValidator(1)],
        help_text="1: elke tranche; 2: vanaf de tweede tranche (het nummer per financier).",
    )
    funder = models.ForeignKey(
        "finance.Funder",
        verbose_name="alleen voor financier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="project_conditions",
        help_text="Leeg: voor de tranches van elke financier.",
    )
    note = models.CharField("toelichting", max_length=300, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="vastgelegd door", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "voorwaarde van een project"
        verbose_name_plural = "voorwaarden van projecten"
        ordering = ["project", "condition_type__name", "pk"]
        # NULL funders are distinct in a plain unique constraint: one constraint per case.
        constraints = [
            models.UniqueConstraint(
                fields=["project", "condition_type"],
                condition=Q(funder__isnull=True),
                name="project_condition_unique_all_funders",
                violation_error_message="Deze voorwaarde geldt al voor dit project.",
            ),
            models.UniqueConstraint(
                fields=["project", "condition_type", "funder"],
                condition=Q(funder__isnull=False),
                name="project_condition_unique_per_funder",
                violation_error_message="Deze voorwaarde geldt al voor dit project en deze financier.",
            ),
            models.CheckConstraint(
                condition=Q(from_number__gte=1),
                name="project_condition_from_first_tranche",
                violation_error_message="Een voorwaarde geldt vanaf tranche 1 of later.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.condition_type} ({self.project.code}, {self.scope_label})"

    @property
    def scope_label(self) -> str:
        tranches = "elke tranche" if self.from_number == 1 else f"vanaf tranche {self.from_number}"
        return f"{tranches} van {self.funder}" if self.funder_id else tranches

    def applies_to(self, tranche) -> bool:
        return (
            tranche.project_id == self.project_id
            and tranche.number >= self.from_number
            and (self.funder_id is None or self.funder_id == tranche.funder_id)
        )

    def clean(self):
        errors = {}
        deal_id = self.project.deal_id if self.project_id else None
        if self.condition_type_id and deal_id and self.condition_type.deal_id != deal_id:
            errors["condition_type"] = "Deze voorwaarde hoort bij een andere deal dan het project."
        if self.funder_id and deal_id and self.funder.deal_id != deal_id:
            errors["funder"] = "De financier hoort bij een andere deal dan het project."
        if errors:
            raise ValidationError(errors)


class ConditionEvidence(models.Model):
    """A document or reference that proves a project's condition, and the controller's check of it."""

    class State(models.TextChoices):
        SUPPLIED = "aangeleverd", "Bewijs aangeleverd"
        CHECKED = "gecontroleerd", "Gecontroleerd"
        REJECTED = "afgekeurd", "Afgekeurd"

    condition = models.ForeignKey(
        ProjectCondition, verbose_name="voorwaarde", on_delete=models.PROTECT, related_name="evidence"
    )
    tranche = models.ForeignKey(
        "finance.Tranche",
        verbose_name="aangeleverd bij tranche",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="condition_evidence",
    )
    reference = models.CharField("kenmerk of vindplaats", max_length=200, blank=True)
    document = models.FileField("document", upload_to="voorwaarden/%Y/", blank=True)
    note = models.CharField("toelichting", max_length=300, blank=True)
    state = models.CharField("stand", max_length=15, choices=State.choices, default=State.SUPPLIED)
    supplied_by = models.ForeignKey(USER, verbose_name="aangeleverd door", on_delete=models.PROTECT, related_name="+")
    supplied_at = models.DateTimeField("aangeleverd op", auto_now_add=True)
    checked_by = models.ForeignKey(
        USER, verbose_name="gecontroleerd door", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField("gecontroleerd op", null=True, blank=True)
    rejection_reason = models.CharField("reden afkeuring", max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "bewijs voor een voorwaarde"
        verbose_name_plural = "bewijs voor voorwaarden"
        ordering = ["condition", "supplied_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reference="") | ~Q(document=""),
                name="condition_evidence_has_proof",
                violation_error_message="Geef een document of een kenmerk als bewijs.",
            ),
            models.CheckConstraint(
                condition=Q(state="aangeleverd") | Q(checked_by__isnull=False, checked_at__isnull=False),
                name="condition_evidence_checked_by_someone",
                violation_error_message="Een gecontroleerd of afgekeurd bewijs heeft een controller en een datum.",
            ),
            # Four eyes: whoever supplied the evidence never checks it.
            models.CheckConstraint(
                condition=Q(checked_by__isnull=True) | ~Q(checked_by=F("supplied_by")),
                name="condition_evidence_checked_by_other",
                violation_error_message="Wie het bewijs aanleverde, controleert het niet.",
            ),
            models.CheckConstraint(
                condition=~Q(state="afgekeurd") | ~Q(rejection_reason=""),
                name="condition_evidence_rejection_has_reason",
                violation_error_message="Een afkeuring heeft een reden nodig.",
            ),
        ]

    def __str__(self) -> str:
        proof = self.reference or self.document.name.rsplit("/", 1)[-1]
        return f"Bewijs {self.condition.condition_type}: {proof}"

    @property
    def file_name(self) -> str:
        return self.document.name.rsplit("/", 1)[-1] if self.document else ""


class ConditionWaiver(models.Model):
    """A condition that no longer blocks, for one tranche or (tranche empty) the whole project, by decision."""

    condition = models.ForeignKey(
        ProjectCondition, verbose_name="voorwaarde", on_delete=models.PROTECT, related_name="waivers"
    )
    tranche = models.ForeignKey(
        "finance.Tranche",
        verbose_name="tranche",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="condition_waivers",
        help_text="Leeg: vrijstelling voor elke tranche van het project.",
    )
    decision = models.ForeignKey(
        "projects.Decision", verbose_name="besluit", on_delete=models.PROTECT, related_name="waived_conditions"
    )
    note = models.CharField("toelichting", max_length=300, blank=True)
    waived_by = models.ForeignKey(USER, verbose_name="vastgelegd door", on_delete=models.PROTECT, related_name="+")
    waived_at = models.DateTimeField("vastgelegd op", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "vrijstelling van een voorwaarde"
        verbose_name_plural = "vrijstellingen van voorwaarden"
        ordering = ["condition", "waived_at", "pk"]

    def __str__(self) -> str:
        where = f"tranche {self.tranche.number}" if self.tranche_id else "elke tranche"
        return f"Vrijstelling {self.condition.condition_type} ({self.condition.project.code}, {where})"

    def clean(self):
        errors = {}
        project = self.condition.project if self.condition_id else None
        if project and self.decision_id and self.decision.deal_id != project.deal_id:
            errors["decision"] = f"Besluit {self.decision.number} hoort bij een andere deal."
        if project and self.tranche_id and self.tranche.project_id != project.pk:
            errors["tranche"] = "De tranche hoort bij een ander project."
        if errors:
            raise ValidationError(errors)
