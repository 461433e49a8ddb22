from django import forms
from django.contrib import admin

from finance.models import Booking, ConditionType, Funder, Tranche, TrancheCondition
from regiodeal.admin_base import DealScopedAdminMixin, HistoryAdmin, ReadOnlyAdminMixin


class FunderForm(forms.ModelForm):
    class Meta:
        model = Funder
        fields = ["deal", "name", "organisation", "category", "kind", "order", "programme_lines"]

    def clean(self):
        cleaned = super().clean()
        deal = cleaned.get("deal")
        lines = cleaned.get("programme_lines") or []
        if deal and any(line.deal_id != deal.pk for line in lines):
            self.add_error("programme_lines", "Kies alleen programmalijnen van de deal van deze financier.")
        return cleaned


@admin.register(Funder)
class FunderAdmin(DealScopedAdminMixin, HistoryAdmin):
    form = FunderForm
    list_display = ["name", "category", "kind", "deal", "order"]
    list_filter = ["deal", "category", "kind", "programme_lines"]
    search_fields = ["name"]
    filter_horizontal = ["programme_lines"]


# Money moves only through the portal's services: a booking through its form (a correction
# is a counter-entry), a payout only as a tranche a second person approved. Beheer shows
# the ledger and never writes it, not even for a superuser.


@admin.register(Booking)
class BookingAdmin(DealScopedAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["date", "kind", "project", "funder", "amount", "reference", "correction_of", "created_by"]
    list_filter = ["deal", "kind", "funder__category", "funder"]
    search_fields = ["reference", "note", "project__code", "project__name", "funder__name"]
    list_select_related = ["project", "funder", "created_by", "correction_of"]
    date_hierarchy = "date"


class TrancheConditionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TrancheCondition
    extra = 0


@admin.register(Tranche)
class TrancheAdmin(DealScopedAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    deal_path = "project__deal"
    list_display = ["project", "funder", "number", "amount", "date", "status", "registered_by", "decided_by"]
    list_filter = ["status", "funder__deal", "funder"]
    search_fields = ["project__code", "project__name", "funder__name"]
    list_select_related = ["project", "funder", "registered_by", "decided_by"]
    inlines = [TrancheConditionInline]


@admin.register(ConditionType)
class ConditionTypeAdmin(DealScopedAdminMixin, HistoryAdmin):
    """The deal's list of condition types (also kept on the portal's Voorwaarden page).

    Which conditions apply to a project, their evidence and waivers change only through the
    portal, where the four-eyes check and the decision are enforced.
    """

    list_display = ["name", "kind", "deal"]
    list_filter = ["deal", "kind"]
    search_fields = ["name"]
    readonly_fields = ["created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # Evidence was judged against this deal and kind; changing them would change what it proves.
            return [*self.readonly_fields, "deal", "kind"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


# Models with their own admin module (read-only where written only through services; pending
# amounts are setup, like funders).
from finance import (  # noqa: E402,F401
    admin_cofinancing,  # noqa: E402,F401
    admin_pending,
    admin_vouchers,
    admin_years,
)
