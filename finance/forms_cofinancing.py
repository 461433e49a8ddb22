"""Forms for co-financing outside the kassier; the rules live in finance.services_cofinancing."""

from django import forms

from finance.fields import POSITIVE, MoneyField
from finance.forms import DATE
from finance.forms_conditions import DOCUMENT_HELP
from finance.models import Funder
from finance.validators import validate_document
from projects.models import Project


class _FunderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class _Evidence(forms.Form):
    evidence_reference = forms.CharField(label="Kenmerk bewijs", max_length=200, required=False)
    evidence_document = forms.FileField(label="Bewijsstuk", required=False, help_text=DOCUMENT_HELP)

    def clean_evidence_document(self):
        document = self.cleaned_data.get("evidence_document")
        if document:
            validate_document(document)
        return document


class PledgeForm(_Evidence):
    funder = _FunderChoiceField(label="Cofinancier", queryset=Funder.objects.none(), empty_label="Kies de cofinancier")
    amount = MoneyField(label="Bedrag (€)", min_value=POSITIVE)
    pledged_on = forms.DateField(label="Toegezegd op", widget=DATE)
    before_deal_start = forms.BooleanField(
        label="Investering van vóór de start van de deal",
        required=False,
        help_text="Alleen als de investering al vóór de start van de deal is gedaan; geef dan de datum van realisatie.",
    )
    realised_on = forms.DateField(
        label="Gerealiseerd op",
        required=False,
        widget=DATE,
        help_text="Leeg: nog alleen toegezegd. Ingevuld: al ontvangen (met bewijs).",
    )
    note = forms.CharField(label="Toelichting", max_length=500, required=False)

    field_order = ["funder", "amount", "pledged_on", "before_deal_start", "realised_on"]

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        # The Rijk's share runs through the kassier: only co-financiers are offered.
        self.fields["funder"].queryset = (
            Funder.objects.filter(deal_id=project.deal_id).exclude(category=Funder.Category.RIJK).order_by("order")
        )


class RealiseForm(_Evidence):
    realised_on = forms.DateField(label="Gerealiseerd op", widget=DATE)

    field_order = ["realised_on", "evidence_reference", "evidence_document"]
