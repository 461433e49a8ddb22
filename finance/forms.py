"""Validation of the finance forms; writes go through finance.services."""

from django import forms
from django.conf import settings

from finance.models import Funder, Tranche
from finance.validators import validate_document
from projects.models import Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AsOfForm(forms.Form):
    tot = forms.DateField(label="Peildatum", required=False, widget=DATE)


class TrancheForm(forms.Form):
    project = forms.ModelChoiceField(label="Project", queryset=Project.objects.none())
    funder = forms.ModelChoiceField(label="Financier", queryset=Funder.objects.none())
    amount = forms.DecimalField(label="Bedrag (€)", max_digits=14, decimal_places=2, min_value=0.01)
    date = forms.DateField(label="Uitkeringsdatum", widget=DATE)
    number = forms.IntegerField(
        label="Tranchenummer", required=False, min_value=1, help_text="Leeg: het volgende nummer voor dit project."
    )
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, projects, funders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["funder"].queryset = funders

    def clean(self):
        data = super().clean()
        number, project, funder = data.get("number"), data.get("project"), data.get("funder")
        if (
            number
            and project
            and funder
            and Tranche.objects.filter(project=project, funder=funder, number=number).exists()
        ):
            self.add_error("number", f"Project {project.code} heeft al tranche {number} voor {funder}.")
        return data


class ConditionForm(forms.Form):
    description = forms.CharField(label="Voorwaarde", max_length=200, required=False)
    reference = forms.CharField(label="Kenmerk of vindplaats", max_length=200, required=False)
    document = forms.FileField(
        label="Document",
        required=False,
        help_text=f"pdf, docx, xlsx, jpg of png; hoogstens {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB.",
    )

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            validate_document(document)
        return document

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("reference") and not data.get("document"):
            raise forms.ValidationError("Geef bij deze voorwaarde een document of een kenmerk.")
        if not data.get("description") and (data.get("reference") or data.get("document")):
            raise forms.ValidationError("Geef een omschrijving van deze voorwaarde.")
        return data


ConditionFormSet = forms.formset_factory(ConditionForm, extra=3, max_num=10)


class ApproveForm(forms.Form):
    override_reason = forms.CharField(
        label="Reden overschrijding begroting",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Alleen nodig als deze tranche bewust boven de begroting uitkomt; dat wordt een bevinding.",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label="Reden afwijzing", widget=forms.Textarea(attrs={"rows": 2}))


class ExpenditureForm(forms.Form):
    project = forms.ModelChoiceField(label="Project", queryset=Project.objects.none())
    funder = forms.ModelChoiceField(label="Financier", queryset=Funder.objects.none())
    period_start = forms.DateField(label="Periode vanaf", widget=DATE)
    period_end = forms.DateField(
        label="Periode tot (niet inbegrepen)", widget=DATE, help_text="Bijv. 01-07-2022 voor t/m 30 juni."
    )
    amount = forms.DecimalField(label="Besteed (€)", max_digits=14, decimal_places=2, min_value=0.01)
    date = forms.DateField(label="Boekdatum", widget=DATE, help_text="Vanaf deze datum telt de besteding mee.")
    reference = forms.CharField(label="Kenmerk", max_length=100, required=False)
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, projects, funders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["funder"].queryset = funders

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", "Het einde van de periode ligt niet na het begin.")
        return data


class CorrectionForm(forms.Form):
    amount = forms.DecimalField(label="Te corrigeren bedrag (€)", max_digits=14, decimal_places=2, min_value=0.01)
    reason = forms.CharField(label="Reden", max_length=300)
