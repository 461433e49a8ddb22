from django import forms

from monitoring.models import Indicator, Measurement


class MeasurementForm(forms.ModelForm):
    """One meting for one indicator; the fields follow the indicator (number or words, period or date)."""

    class Meta:
        model = Measurement
        fields = ["date", "period_start", "value", "text", "source_note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.indicator = indicator
        if indicator.is_quantitative:
            self.fields["value"].required = True
            self.fields["value"].localize = True
            self.fields["value"].widget = forms.TextInput(attrs={"inputmode": "decimal"})
            self.fields["value"].label = f"Waarde{f' ({indicator.unit})' if indicator.unit else ''}"
            self.fields["value"].help_text = "Bijvoorbeeld 13.500 of 88,1."
            del self.fields["text"]
        else:
            self.fields["text"].required = True
            self.fields["text"].label = "Meting in woorden"
            del self.fields["value"]
        if indicator.cumulative:
            del self.fields["period_start"]
            self.fields["date"].label = "Stand op"
        else:
            self.fields["period_start"].required = True
            self.fields["date"].label = "Periode tot en met"
        self.fields["source_note"].label = "Bron of toelichting"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Bestand (xlsx of csv)", help_text="Kolommen: indicator, datum, periode_vanaf, waarde, tekst, bron."
    )
