"""django-filter sets for the finance screens."""

import django_filters
from django import forms

from finance.models import Booking, Funder, Tranche
from projects.models import ActionLine, Programme, ProgrammeLine, Project

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _programme_line_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    """By a programme line's code; the choices are set per deal by _programme_lines_or_none."""
    return django_filters.ModelChoiceFilter(
        label="Programmalijn",
        field_name=field_name,
        to_field_name="code",
        queryset=ProgrammeLine.objects.none(),
        empty_label="Alle programmalijnen",
    )


def _programme_lines_or_none(filterset, deal) -> None:
    """The programmalijn filter offers the deal's lines; a deal without lines (Cleantech) gets no empty choice."""
    lines = ProgrammeLine.objects.filter(deal=deal).order_by("code")
    if lines:  # one query; the evaluated queryset also serves the view (programme_lines_of)
        filterset.filters["programmalijn"].queryset = lines
    else:
        del filterset.filters["programmalijn"]


def programme_lines_of(filterset) -> list[ProgrammeLine]:
    """The deal's programme lines as the filter already read them (no query)."""
    field = filterset.filters.get("programmalijn")
    return list(field.queryset) if field else []


class ProjectFinanceFilter(django_filters.FilterSet):
    """Filters of the kassier's project table; ``financier`` picks the column, not the rows."""

    programma = django_filters.ModelChoiceFilter(
        label="Programma", field_name="programme", queryset=Programme.objects.none(), empty_label="Alle programma's"
    )
    programmalijn = _programme_line_filter("programme_line")
    status = django_filters.ChoiceFilter(label="Status", choices=Project.Status.choices, empty_label="Alle statussen")
    financier = django_filters.ModelChoiceFilter(
        label="Financier", queryset=Funder.objects.none(), method="keep_all", empty_label="Alle financiers"
    )
    tot = django_filters.DateFilter(label="Peildatum", method="keep_all", widget=DATE)

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["programma"].queryset = Programme.objects.filter(deal=deal).order_by("code")
        self.filters["financier"].queryset = Funder.objects.filter(deal=deal).order_by("order", "name")
        _programme_lines_or_none(self, deal)

    def keep_all(self, queryset, name, value):
        return queryset


class BookingFilter(django_filters.FilterSet):
    """The bookings behind a figure: by project, programme, actielijn, funder, kind, deal level and date."""

    project = django_filters.CharFilter(label="Project (code)", field_name="project__code")
    programma = django_filters.ModelChoiceFilter(
        label="Programma",
        field_name="project__programme",
        to_field_name="code",
        queryset=Programme.objects.none(),
        empty_label="Alle programma's",
    )
    actielijn = django_filters.ModelChoiceFilter(
        label="Actielijn",
        field_name="project__programme__action_line",
        to_field_name="code",
        queryset=ActionLine.objects.none(),
        empty_label="Alle actielijnen",
    )
    programmalijn = _programme_line_filter("project__programme_line")
    financier = django_filters.ModelChoiceFilter(
        label="Financier", field_name="funder", queryset=Funder.objects.none(), empty_label="Alle financiers"
    )
    categorie = django_filters.ChoiceFilter(
        label="Categorie", field_name="funder__category", choices=Funder.Category.choices, empty_label="Alle"
    )
    soort = django_filters.ChoiceFilter(
        label="Soort", field_name="kind", choices=Booking.Kind.choices, empty_label="Alle soorten"
    )
    dealniveau = django_filters.BooleanFilter(
        label="Alleen dealniveau", field_name="project", lookup_expr="isnull", widget=forms.CheckboxInput
    )
    tot = django_filters.DateFilter(label="Tot en met", field_name="date", lookup_expr="lte", widget=DATE)

    class Meta:
        model = Booking
        fields: list[str] = []

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["programma"].queryset = Programme.objects.filter(deal=deal).order_by("code")
        self.filters["actielijn"].queryset = ActionLine.objects.filter(deal=deal).order_by("code")
        self.filters["financier"].queryset = Funder.objects.filter(deal=deal).order_by("order", "name")
        _programme_lines_or_none(self, deal)

    def filter_queryset(self, queryset):
        # An unchecked "Alleen dealniveau" means "all", not "only project bookings".
        if not self.form.cleaned_data.get("dealniveau"):
            self.form.cleaned_data["dealniveau"] = None
        return super().filter_queryset(queryset)


class TrancheFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="Status", choices=Tranche.Status.choices, empty_label="Alle statussen")
    financier = django_filters.ModelChoiceFilter(
        label="Financier", field_name="funder", queryset=Funder.objects.none(), empty_label="Alle financiers"
    )
    project = django_filters.CharFilter(label="Project (code)", field_name="project__code")

    class Meta:
        model = Tranche
        fields: list[str] = []

    def __init__(self, *args, deal, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["financier"].queryset = Funder.objects.filter(deal=deal).order_by("order", "name")
