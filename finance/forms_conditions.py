"""Validation of the condition forms; writes go through finance.services_conditions."""

from django import forms
from django.conf import settings

from finance.forms import DecisionChoiceField
from finance.models import ConditionType, Funder, ProjectCondition, Tranche
from finance.validators import validate_document
from projects.models import Decision

DOCUMENT_HELP = f"pdf, docx, xlsx, jpg of png; hoogstens {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB."


def _checked_document(form: forms.Form):
    document = form.cleaned_data.get("document")
    if document:
        validate_document(document)
    return document


class ConditionTypeForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=200, help_text="Bijvoorbeeld 'Plan van aanpak goedgekeurd'.")
    kind = forms.ChoiceField(label="Soort bewijs", choices=ConditionType.Kind.choices)
    description = forms.CharField(
        label="Wat geldt als bewijs", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProjectConditionForm(forms.Form):
    condition_type = forms.ModelChoiceField(
        label="Voorwaarde", queryset=ConditionType.objects.none(), empty_label="Kies een voorwaarde"
    )
    from_number = forms.IntegerField(
        label="Vanaf tranche",
        min_value=1,
        max_value=32767,
        initial=1,
        help_text="1: elke tranche; 2: vanaf de tweede tranche van elke financier.",
    )
    funder = forms.ModelChoiceField(
        label="Alleen voor financier",
        queryset=Funder.objects.none(),
        required=False,
        empty_label="Elke financier",
    )
    note = forms.CharField(label="Toelichting", max_length=300, required=False)

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition_type"].queryset = ConditionType.objects.filter(deal=deal).order_by("name")
        self.fields["funder"].queryset = Funder.objects.filter(deal=deal).order_by("order", "name")


class _ConditionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.condition_type} ({obj.scope_label})"


class EvidenceForm(forms.Form):
    condition = _ConditionChoiceField(
        label="Voorwaarde", queryset=ProjectCondition.objects.none(), empty_label="Kies de voorwaarde"
    )
    reference = forms.CharField(label="Kenmerk of vindplaats", max_length=200, required=False)
    document = forms.FileField(label="Document", required=False, help_text=DOCUMENT_HELP)
    note = forms.CharField(label="Toelichting", max_length=300, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        conditions = ProjectCondition.objects.filter(project=project).exclude(
            condition_type__kind=ConditionType.Kind.REPORT
        )
        self.fields["condition"].queryset = conditions.select_related("condition_type", "funder").order_by(
            "condition_type__name", "pk"
        )

    def clean_document(self):
        return _checked_document(self)

    def clean(self):
        data = super().clean()
        if not data.get("reference") and not data.get("document") and not self.errors:
            raise forms.ValidationError("Geef een document of een kenmerk als bewijs.")
        return data


class EvidenceCheckForm(forms.Form):
    APPROVE = "akkoord"
    REJECT = "afkeuren"

    verdict = forms.ChoiceField(label="Oordeel", choices=[(APPROVE, "Akkoord"), (REJECT, "Afkeuren")])
    reason = forms.CharField(label="Reden afkeuring", max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("verdict") == self.REJECT and not data.get("reason", "").strip():
            self.add_error("reason", "Geef de reden waarom het bewijs wordt afgekeurd.")
        return data


class WaiverForm(forms.Form):
    condition = _ConditionChoiceField(
        label="Voorwaarde", queryset=ProjectCondition.objects.none(), empty_label="Kies de voorwaarde"
    )
    tranche = forms.ModelChoiceField(
        label="Voor tranche",
        queryset=Tranche.objects.none(),
        required=False,
        empty_label="Elke tranche van dit project",
    )
    decision = DecisionChoiceField(label="Besluit", queryset=Decision.objects.none(), empty_label="Kies het besluit")
    note = forms.CharField(label="Toelichting", max_length=300, required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        conditions = ProjectCondition.objects.filter(project=project).select_related("condition_type", "funder")
        self.fields["condition"].queryset = conditions.order_by("condition_type__name", "pk")
        pending = Tranche.objects.filter(project=project, status=Tranche.Status.PENDING).select_related("funder")
        self.fields["tranche"].queryset = pending.order_by("funder__order", "number")
        self.fields["tranche"].label_from_instance = lambda t: f"Tranche {t.number} van {t.funder}"
        self.fields["decision"].queryset = Decision.objects.filter(deal_id=project.deal_id).order_by("-date", "-number")


class RegistrationEvidenceForm(forms.Form):
    """Proof the kassier attaches at registration for one of the project's conditions (optional)."""

    condition_type = forms.ModelChoiceField(
        label="Voorwaarde", queryset=ConditionType.objects.none(), required=False, empty_label="—"
    )
    reference = forms.CharField(label="Kenmerk of vindplaats", max_length=200, required=False)
    document = forms.FileField(label="Document", required=False, help_text=DOCUMENT_HELP)

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        types = ConditionType.objects.filter(deal=deal).exclude(kind=ConditionType.Kind.REPORT)
        self.fields["condition_type"].queryset = types.order_by("name")

    def clean_document(self):
        return _checked_document(self)

    def clean(self):
        data = super().clean()
        has_proof = data.get("reference") or data.get("document")
        if data.get("condition_type") and not has_proof and not self.errors:
            raise forms.ValidationError("Geef bij deze voorwaarde een document of een kenmerk.")
        if has_proof and not data.get("condition_type"):
            raise forms.ValidationError("Kies de voorwaarde waarvoor dit bewijs is.")
        return data


RegistrationEvidenceFormSet = forms.formset_factory(RegistrationEvidenceForm, extra=2, max_num=10, validate_max=True)
