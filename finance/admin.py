from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from finance.models import Booking, Funder, Tranche, TrancheCondition


@admin.register(Funder)
class FunderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "kind", "deal", "order"]
    list_filter = ["deal", "category", "kind"]
    search_fields = ["name"]


@admin.register(Booking)
class BookingAdmin(SimpleHistoryAdmin):
    """Read-mostly: bookings are never deleted; corrections are new bookings."""

    list_display = ["date", "kind", "project", "funder", "amount", "reference", "correction_of", "created_by"]
    list_filter = ["deal", "kind", "funder__category", "funder"]
    search_fields = ["reference", "note", "project__code", "project__name", "funder__name"]
    list_select_related = ["project", "funder", "created_by", "correction_of"]
    date_hierarchy = "date"
    raw_id_fields = ["correction_of"]
    readonly_fields = ["created_by", "created_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            # A saved amount never changes; book a correction instead.
            return [*self.readonly_fields, "deal", "project", "funder", "kind", "amount", "date", "correction_of"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class TrancheConditionInline(admin.TabularInline):
    model = TrancheCondition
    extra = 0


@admin.register(Tranche)
class TrancheAdmin(SimpleHistoryAdmin):
    list_display = ["project", "funder", "number", "amount", "date", "status", "registered_by", "decided_by"]
    list_filter = ["status", "funder__deal", "funder"]
    search_fields = ["project__code", "project__name", "funder__name"]
    list_select_related = ["project", "funder", "registered_by", "decided_by"]
    inlines = [TrancheConditionInline]
    readonly_fields = ["status", "registered_by", "decided_by", "decided_at", "booking"]

    def has_delete_permission(self, request, obj=None):
        return False
