"""django-tables2 tables of the finance screens; money through the one euro formatter."""

from decimal import Decimal

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from finance.models import Booking, Tranche
from projects.templatetags.money import euro, percent
from projects.templatetags.people import person

STATUS_BADGE = {
    Tranche.Status.PENDING: "warn",
    Tranche.Status.APPROVED: "ok",
    Tranche.Status.REJECTED: "bad",
}


class BoundedPages:
    """Pagination whose ?per_page= (typed by anyone in the address bar) stays between 1 and 500:
    a negative number made the paginator fail, a huge one would load every row."""

    MAX_PER_PAGE = 500

    def paginate(self, *args, per_page=None, **kwargs):
        per_page = min(max(per_page or self._meta.per_page, 1), self.MAX_PER_PAGE)
        return super().paginate(*args, per_page=per_page, **kwargs)


class MoneyColumn(tables.Column):
    """A right-aligned euro column whose footer is the sum of the rows shown."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return euro(value)

    def render_footer(self, bound_column, table):
        return euro(sum((bound_column.accessor.resolve(row) for row in table.data), Decimal("0.00")))


class ProjectFinanceTable(tables.Table):
    """One row per project: figures for one financier or for all of them together."""

    code = tables.Column(verbose_name="Code", footer="Totaal")
    name = tables.Column(verbose_name="Project")
    programme_line = tables.Column(verbose_name="Programmalijn")  # only for a deal with programme lines
    status = tables.Column(verbose_name="Status")
    begroot = MoneyColumn(verbose_name="Begroot")
    gecommitteerd = MoneyColumn(verbose_name="Gecommitteerd")
    uitgekeerd = MoneyColumn(verbose_name="Uitgekeerd")
    nog_uit_te_keren = MoneyColumn(verbose_name="Nog uit te keren")
    besteed = MoneyColumn(verbose_name="Besteed")
    pct_uitgekeerd = tables.Column(
        verbose_name="% uitgekeerd", attrs={"td": {"class": "num"}, "th": {"class": "num"}}, orderable=True
    )

    class Meta:
        attrs = {"class": "data-table"}
        order_by = "code"
        orderable = True
        empty_text = "Geen projecten die aan het filter voldoen."

    def render_code(self, value, record):
        return format_html('<a href="{}">{}</a>', record["url"], value)

    def render_pct_uitgekeerd(self, value):
        return percent(value)

    def order_pct_uitgekeerd(self, data, is_descending):
        # None (no budget) sorts below every percentage.
        return sorted(
            data, key=lambda r: (r["pct_uitgekeerd"] is not None, r["pct_uitgekeerd"] or 0), reverse=is_descending
        ), True


class PersonColumn(tables.Column):
    """A user by name ("Kees Kassier"), not by username."""

    def render(self, value):
        return person(value)


class BookingTable(BoundedPages, tables.Table):
    date = tables.DateColumn(verbose_name="Datum", format="d-m-Y")
    project = tables.Column(verbose_name="Project", accessor="project__code", default="dealniveau")
    funder = tables.Column(verbose_name="Financier")
    kind = tables.Column(verbose_name="Soort")
    amount = tables.Column(verbose_name="Bedrag", attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    reference = tables.Column(verbose_name="Kenmerk", default="")
    detail = tables.Column(verbose_name="Besluit / periode / toelichting", empty_values=(), orderable=False)
    created_by = PersonColumn(verbose_name="Geboekt door", default="–")

    class Meta:
        model = Booking
        fields = ("date", "project", "funder", "kind", "amount", "reference", "detail", "created_by")
        attrs = {"class": "data-table"}
        order_by = ("date",)
        empty_text = "Geen boekingen."

    def render_project(self, value, record):
        url = reverse("finance:project-finance", args=[record.deal.code, value])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_amount(self, record):
        return euro(record.signed_amount)

    def render_kind(self, record):
        if record.correction_of_id:
            return format_html('{} <span class="badge warn">correctie</span>', record.get_kind_display())
        return record.get_kind_display()

    def render_detail(self, record):
        parts = []
        if record.correction_of_id:
            parts.append(f"Correctie op boeking van {record.correction_of.date:%d-%m-%Y}: {record.correction_reason}")
        if record.decision_id:
            parts.append(f"Besluit {record.decision.number} ({record.decision.date:%d-%m-%Y})")
        if record.period_start and record.period_end:
            parts.append(f"Periode {record.period_start:%d-%m-%Y} t/m {record.period_last_day:%d-%m-%Y}")
        if record.note and not record.correction_of_id:
            parts.append(record.note)
        return " · ".join(parts) or "–"


class TrancheTable(BoundedPages, tables.Table):
    number = tables.Column(verbose_name="Nr.")
    project = tables.Column(verbose_name="Project", accessor="project__code")
    funder = tables.Column(verbose_name="Financier")
    amount = tables.Column(verbose_name="Bedrag", attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    date = tables.DateColumn(verbose_name="Uitkeringsdatum", format="d-m-Y")
    status = tables.Column(verbose_name="Status")
    registered_by = PersonColumn(verbose_name="Geregistreerd door")
    registered_at = tables.DateTimeColumn(verbose_name="Geregistreerd op", format="d-m-Y H:i")
    decided_by = PersonColumn(verbose_name="Beoordeeld door", default="–")

    class Meta:
        model = Tranche
        fields = (
            "number",
            "project",
            "funder",
            "amount",
            "date",
            "status",
            "registered_by",
            "registered_at",
            "decided_by",
        )
        attrs = {"class": "data-table"}
        order_by = ("-registered_at",)
        empty_text = "Geen tranches."

    def render_number(self, value, record):
        url = reverse("finance:tranche-detail", args=[record.project.deal.code, record.pk])
        return format_html('<a href="{}">Tranche {}</a>', url, value)

    def render_amount(self, value):
        return euro(value)

    def render_status(self, record):
        extra = " (boven begroting)" if record.override_reason else ""
        return format_html(
            '<span class="badge {}">{}{}</span>', STATUS_BADGE[record.status], record.get_status_display(), extra
        )
