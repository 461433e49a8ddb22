"""Validation of the voucher forms; writes go through finance.services_vouchers."""

from pathlib import Path

from django import forms
from django.conf import settings

from finance.fields import POSITIVE, MoneyField
from finance.forms import DATE
from finance.models_vouchers import Voucher


class VoucherForm(forms.Form):
    recipient = forms.CharField(label="Ontvanger", max_length=200, help_text="Naam van het bedrijf of de persoon.")
    date = forms.DateField(label="Aanvraagdatum", widget=DATE)
    amount = MoneyField(label="Bedrag (€)", min_value=POSITIVE)
    status = forms.ChoiceField(label="Status", choices=Voucher.Status.choices, initial=Voucher.Status.REQUESTED)
    reference = forms.CharField(
        label="Kenmerk", max_length=100, required=False, help_text="Bijvoorbeeld het nummer van de aanvraag."
    )
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VoucherStatusForm(forms.Form):
    status = forms.ChoiceField(label="Nieuwe status", choices=Voucher.Status.choices)


class VoucherImportForm(forms.Form):
    bestand = forms.FileField(
        label="Vouchers (.xlsx)",
        help_text="Kolommen: ontvanger*, datum*, bedrag*, status, kenmerk, toelichting (* verplicht).",
    )

    def clean_bestand(self):
        upload = self.cleaned_data["bestand"]
        if Path(upload.name).suffix.lower() != ".xlsx":
            raise forms.ValidationError(
                f"'{upload.name}' is geen .xlsx-bestand. "
                "Sla het in Excel of LibreOffice op als 'Excel-werkmap (.xlsx)'."
            )
        if upload.size > settings.UPLOAD_MAX_BYTES:
            limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"'{upload.name}' is groter dan {limit} MB.")
        return upload
