"""Forms for money per year; the rules live in finance.services_years."""

from django import forms
from django.utils import timezone

from finance.fields import POSITIVE, ZERO, MoneyField
from finance.forms import DecisionChoiceField, _deal_decisions
from finance.models import Funder
from finance.selectors_years import deal_year_range
from projects.models import Deal, Decision


class _FunderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _funders(deal: Deal):
    return Funder.objects.filter(deal=deal).order_by("order", "name")


def closed_years(deal: Deal) -> list[int]:
    """Years of the deal that are over and have a next year of the deal to roll into."""
    years = deal_year_range(deal)
    this_year = timezone.localdate().year
    return [year for year in years if year < this_year and year + 1 in years]


class YearPlanForm(forms.Form):
    funder = _FunderChoiceField(label="Financier", queryset=Funder.objects.none(), empty_label="Kies de financier")
    year = forms.TypedChoiceField(label="Jaar", coerce=int)
    budget = MoneyField(label="Begroot in dit jaar (€)", min_value=ZERO)
    forecast = MoneyField(
        label="Prognose voor dit jaar (€)",
        min_value=ZERO,
        required=False,
        help_text="Wat het project naar verwachting in dit jaar besteedt. Leeg: geen prognose (de begroting telt).",
    )

    def __init__(self, *args, deal: Deal, **kwargs):
        super().__init__(*args, prefix="jaar", **kwargs)
        self.fields["funder"].queryset = _funders(deal)
        self.fields["year"].choices = [(year, str(year)) for year in deal_year_range(deal)]


class RolloverForm(forms.Form):
    funder = _FunderChoiceField(label="Financier", queryset=Funder.objects.none(), empty_label="Kies de financier")
    from_year = forms.TypedChoiceField(
        label="Van jaar", coerce=int, help_text="Een afgesloten jaar; het geld gaat naar het jaar erna."
    )
    amount = MoneyField(label="Bedrag (€)", min_value=POSITIVE)
    decision = DecisionChoiceField(
        label="Besluit", queryset=Decision.objects.none(), empty_label="Kies het besluit van de stuurgroep"
    )
    note = forms.CharField(label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, deal: Deal, **kwargs):
        super().__init__(*args, prefix="door", **kwargs)
        self.fields["funder"].queryset = _funders(deal)
        self.fields["from_year"].choices = [(year, f"{year} → {year + 1}") for year in closed_years(deal)]
        self.fields["decision"].queryset = _deal_decisions(deal)
