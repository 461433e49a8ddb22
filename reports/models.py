"""The per-report texts, the published (frozen) report versions and the cache of live PDFs.

A published version stores its PDF and its JSON snapshot as bytes with their SHA-256 and is
never changed afterwards, whatever happens to the data: it is what the stuurgroep received.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from projects.models import Deal, ReportingPeriod


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class ReportText(models.Model):
    """What the coördinator writes per report: voorwoord, managementsamenvatting, lessen van de deal."""

    deal = models.ForeignKey(Deal, verbose_name="deal", on_delete=models.PROTECT, related_name="report_texts")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name="periode", on_delete=models.PROTECT, related_name="report_texts"
    )
    foreword = models.TextField("voorwoord", blank=True, help_text="Een lege regel begint een nieuwe alinea.")
    summary = models.TextField(
        "managementsamenvatting", blank=True, help_text="Een lege regel begint een nieuwe alinea."
    )
    lessons = models.TextField(
        "geleerde lessen van de deal",
        blank=True,
        help_text="Eén les per regel; de lessen per project komen uit de verslagen.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="gewijzigd door", on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rapportagetekst"
        verbose_name_plural = "rapportageteksten"
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "period"],
                name="report_text_one_per_period",
                violation_error_message="Voor deze deal en periode bestaan al teksten.",
            )
        ]

    def __str__(self) -> str:
        return f"Teksten {self.deal.code} {self.period}"

    def clean(self):
        if self.deal_id and self.period_id and self.period.deal_id != self.deal_id:
            raise ValidationError({"period": "De periode hoort bij een andere deal."})

    @staticmethod
    def _paragraphs(text: str) -> list[str]:
        return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]

    @property
    def foreword_paragraphs(self) -> list[str]:
        return self._paragraphs(self.foreword)

    @property
    def summary_paragraphs(self) -> list[str]:
        return self._paragraphs(self.summary)

    @property
    def lesson_lines(self) -> list[str]:
        return [line.strip() for line in self.lessons.splitlines() if line.strip()]


class PublishedReport(models.Model):
    """A published version of the report: PDF and JSON snapshot, frozen, with their SHA-256."""

    deal = models.ForeignKey(Deal, verbose_name="deal", on_delete=models.PROTECT, related_name="published_reports")
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name="periode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_reports",
    )
    version = models.PositiveIntegerField("versie")
    as_of = models.DateField("ijkdatum")
    note = models.CharField("toelichting", max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="gepubliceerd door", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("gepubliceerd op", auto_now_add=True)
    pdf = models.BinaryField("PDF")
    pdf_sha256 = models.CharField("SHA-256 van de PDF", max_length=64)
    json = models.BinaryField("JSON")
    json_sha256 = models.CharField("SHA-256 van de JSON", max_length=64)

    class Meta:
        verbose_name = "gepubliceerde rapportage"
        verbose_name_plural = "gepubliceerde rapportages"
        ordering = ["deal", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["deal", "version"],
                name="published_report_version_unique",
                violation_error_message="Deze deal heeft al een gepubliceerde rapportage met dit versienummer.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deal.code} versie {self.version} (ijkdatum {self.as_of:%d-%m-%Y})"

    def save(self, *args, **kwargs):
        # Published is published: a version is written once and never updated.
        if self.pk is not None:
            raise ValidationError("Een gepubliceerde rapportage wordt nooit gewijzigd; publiceer een nieuwe versie.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Een gepubliceerde rapportage wordt nooit verwijderd.")

    @property
    def is_intact(self) -> bool:
        return sha256(bytes(self.pdf)) == self.pdf_sha256 and sha256(bytes(self.json)) == self.json_sha256

    @property
    def filename_stem(self) -> str:
        return f"voortgangsrapportage-{self.deal.code}-v{self.version}-{self.as_of:%Y-%m-%d}"


class LivePdf(models.Model):
    """The PDF of the live report, built once per data version and ijkdatum and then served from here."""

    deal = models.ForeignKey(Deal, verbose_name="deal", on_delete=models.CASCADE, related_name="+")
    as_of = models.DateField("ijkdatum")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name="periode", on_delete=models.CASCADE, null=True, related_name="+"
    )
    data_version = models.CharField("gegevensversie", max_length=64)
    pdf = models.BinaryField("PDF")
    built_at = models.DateTimeField("gemaakt op", auto_now_add=True)
    build_seconds = models.DecimalField("bouwtijd (s)", max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = "PDF van de actuele rapportage"
        verbose_name_plural = "PDF's van de actuele rapportage"
        constraints = [
            models.UniqueConstraint(fields=["deal", "as_of", "period", "data_version"], name="live_pdf_unique")
        ]

    def __str__(self) -> str:
        return f"{self.deal.code} {self.as_of} {self.data_version[:8]}"
