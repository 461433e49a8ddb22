from django import forms

from projects.models import ProgressReport
from projects.services import CONTENT_FIELDS, PlanningBaseline


class ProgressReportForm(forms.ModelForm):
    """The writer's part of a verslag, with the edit number it was based on (optimistic locking)."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ProgressReport
        fields = CONTENT_FIELDS
        widgets = {
            "progress": forms.Textarea(attrs={"rows": 5}),
            "results": forms.Textarea(attrs={"rows": 6}),
            "lessons": forms.Textarea(attrs={"rows": 5}),
            "governance": forms.Textarea(attrs={"rows": 4}),
            "expected_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "planning_change_reason": forms.Textarea(attrs={"rows": 2}),
            "risks": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, baseline: PlanningBaseline, **kwargs):
        super().__init__(*args, **kwargs)
        self.baseline = baseline
        if not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version
        if baseline.expected_end:
            self.fields["expected_end"].help_text = (
                f"Volgens {baseline.source}: {baseline.expected_end:%d-%m-%Y}. "
                "Verschuift de afronding, geef dan hieronder de reden."
            )

    def clean(self):
        cleaned = super().clean()
        moved = "expected_end" in cleaned and cleaned["expected_end"] != self.baseline.expected_end
        if moved and not cleaned.get("planning_change_reason", "").strip():
            self.add_error(
                "planning_change_reason",
                f"De verwachte afronding wijkt af van {self.baseline.source}: geef de reden van de verschuiving.",
            )
        return cleaned


class ReturnReportForm(forms.Form):
    reason = forms.CharField(
        label="Reden van terugsturen",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Wat moet de indiener aanvullen of verbeteren?",
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
