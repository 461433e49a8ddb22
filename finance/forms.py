"""Validation of the finance forms; writes go through finance.services."""

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from finance.fields import POSITIVE, MoneyField
from finance.models import Funder, Tranche
from finance.validators import validate_document
from projects.models import Decision, Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_TRANCHE_NUMBER = 32767  # the largest PositiveSmallIntegerField on every database Django supports


class AsOfForm(forms.Form):
    tot = forms.DateField(label="Peildatum", required=False, widget=DATE)


class TrancheForm(forms.Form):
    project = forms.ModelChoiceField(label="Project", queryset=Project.objects.none())
    funder = forms.ModelChoiceField(label="Financier", queryset=Funder.objects.none())
    amount = MoneyField(label="Bedrag (€)", min_value=POSITIVE)
    date = forms.DateField(label="Uitkeringsdatum", widget=DATE)
    number = forms.IntegerField(
        label="Tranchenummer",
        required=False,
        min_value=1,
        # The column is a PositiveSmallIntegerField: a larger number would be a database error.
        max_value=MAX_TRANCHE_NUMBER,
        error_messages={"max_value": f"Een tranchenummer is hoogstens {MAX_TRANCHE_NUMBER}."},
        help_text="Leeg: het volgende nummer voor dit project.",
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
    period_last_day = forms.DateField(
        label="Periode t/m", widget=DATE, help_text="De laatste dag van de periode, bijvoorbeeld 30-06-2022."
    )
    amount = MoneyField(label="Besteed (€)", min_value=POSITIVE)
    date = forms.DateField(label="Boekdatum", widget=DATE, help_text="Vanaf deze datum telt de besteding mee.")
    reference = forms.CharField(label="Kenmerk", max_length=100, required=False)
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, projects, funders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["funder"].queryset = funders

    def clean(self):
        data = super().clean()
        start, last_day = data.get("period_start"), data.get("period_last_day")
        if start and last_day and last_day < start:
            self.add_error("period_last_day", "De laatste dag van de periode ligt vóór het begin.")
        elif last_day:
            data["period_end"] = last_day + datetime.timedelta(days=1)  # stored end-exclusive (STYLE.md)
        return data


class CorrectionForm(forms.Form):
    amount = MoneyField(label="Te corrigeren bedrag (€)", min_value=POSITIVE)
    reason = forms.CharField(label="Reden", max_length=300)


# ------------------------------------------------------------------ decisions and budget changes


class DecisionChoiceField(forms.ModelChoiceField):
    """A decision of the deal's register, shown by number, date and the start of its text."""

    def label_from_instance(self, obj):
        text = obj.text if len(obj.text) <= 70 else obj.text[:67] + "…"
        return f"{obj.number} ({obj.date:%d-%m-%Y}) — {text}"


def _deal_decisions(deal):
    return Decision.objects.filter(deal=deal).order_by("-date", "-number")


class DecisionForm(forms.Form):
    number = forms.CharField(label="Besluitnummer", max_length=40, help_text="Bijvoorbeeld SG-2022-03.")
    date = forms.DateField(label="Datum besluit", widget=DATE)
    body = forms.ChoiceField(label="Orgaan")
    text = forms.CharField(label="Besluit", widget=forms.Textarea(attrs={"rows": 4}))
    document = forms.FileField(
        label="Document",
        required=False,
        help_text=f"Het besluit of de besluitenlijst: pdf, docx, xlsx, jpg of png; hoogstens "
        f"{settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB.",
    )

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.deal = deal
        self.fields["body"].choices = Decision.Body.choices
        self.fields["body"].initial = Decision.Body.STEERING

    def clean_date(self):
        # Also checked in the service; here so that the form names it together with other errors.
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(f"De datum van het besluit ({day:%d-%m-%Y}) ligt in de toekomst.")
        return day

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if self.deal.decisions.filter(number=number).exists():
            raise forms.ValidationError(f"Deze deal heeft al een besluit met nummer {number}.")
        return number

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            validate_document(document)
        return document


class BudgetChangeForm(forms.Form):
    RAISE = "verhogen"
    LOWER = "verlagen"

    funder = forms.ModelChoiceField(label="Financier", queryset=Funder.objects.none())
    direction = forms.ChoiceField(
        label="Wijziging", choices=[(RAISE, "Begroting verhogen"), (LOWER, "Begroting verlagen")]
    )
    amount = MoneyField(label="Bedrag (€)", min_value=POSITIVE)
    decision = DecisionChoiceField(label="Besluit", queryset=Decision.objects.none(), empty_label="Kies het besluit")
    date = forms.DateField(label="Boekdatum", widget=DATE)
    reason = forms.CharField(
        label="Toelichting",
        max_length=300,
        required=False,
        help_text="Verplicht bij een verlaging: de reden staat bij elke correctieboeking.",
    )

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = Funder.objects.filter(deal=deal).order_by("order", "name")
        self.fields["decision"].queryset = _deal_decisions(deal)

    def clean(self):
        data = super().clean()
        if data.get("direction") == self.LOWER and not (data.get("reason") or "").strip():
            self.add_error("reason", "Geef de reden van de verlaging.")
        return data


class CorrectionWithDecisionForm(CorrectionForm):
    """Correcting a begroting or toekenning changes what was decided: it names the decision."""

    decision = DecisionChoiceField(label="Besluit", queryset=Decision.objects.none(), empty_label="Kies het besluit")

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = _deal_decisions(deal)


class ApproveWithDecisionForm(ApproveForm):
    """Approving above the budget needs the decision that allows it besides the reason."""

    override_decision = DecisionChoiceField(
        label="Besluit overschrijding begroting",
        queryset=Decision.objects.none(),
        required=False,
        empty_label="Geen (binnen de begroting)",
        help_text="Alleen nodig als deze tranche boven de begroting uitkomt.",
    )

    def __init__(self, *args, deal, above_budget: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not above_budget:
            # Within the budget there is nothing to justify: the controller does not see the fields.
            del self.fields["override_reason"], self.fields["override_decision"]
            return
        self.fields["override_decision"].queryset = _deal_decisions(deal)
        for name, message in ABOVE_BUDGET_REQUIRED.items():
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message
        self.fields["override_reason"].help_text = "Deze tranche komt boven de begroting uit: zeg waarom."
        self.fields["override_decision"].help_text = "Het besluit van de deal dat deze overschrijding toestaat."
        self.fields["override_decision"].empty_label = "Kies het besluit"

    def override(self) -> tuple[str, Decision | None]:
        """The reason and the decision given, or nothing when the tranche stays within the budget."""
        return self.cleaned_data.get("override_reason", ""), self.cleaned_data.get("override_decision")


ABOVE_BUDGET_REQUIRED = {
    "override_reason": "Geef de reden waarom deze tranche boven de begroting uitkomt.",
    "override_decision": "Kies het besluit dat deze overschrijding toestaat.",
}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's messages on the form: on the field they name, else above the form."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)
