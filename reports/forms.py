from django import forms

from reports.models import ReportText


class ReportTextForm(forms.ModelForm):
    class Meta:
        model = ReportText
        fields = ["foreword", "summary", "lessons"]
        widgets = {
            "foreword": forms.Textarea(attrs={"rows": 12}),
            "summary": forms.Textarea(attrs={"rows": 12}),
            "lessons": forms.Textarea(attrs={"rows": 8}),
        }


class PublishForm(forms.Form):
    note = forms.CharField(
        label="Toelichting bij deze versie",
        max_length=300,
        required=False,
        help_text="Bijvoorbeeld 'Vastgesteld door de stuurgroep op 12 oktober 2022'.",
    )
