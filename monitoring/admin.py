from django.contrib import admin

from monitoring.models import Indicator, Measurement
from regiodeal.admin_base import DealScopedAdminMixin, HistoryAdmin, ReadOnlyAdminMixin


# Metingen are entered and approved in the portal (monitoring/services.py): an approved meting
# is frozen and its "ingevoerd door"/"goedgekeurd door" are facts, so Beheer only shows them.
class MeasurementInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Measurement
    extra = 0
    fields = ["date", "period_start", "value", "text", "source_note", "status"]


@admin.register(Indicator)
class IndicatorAdmin(DealScopedAdminMixin, HistoryAdmin):
    list_display = ["code", "name", "level", "kind", "unit", "baseline_value", "target_value", "deal"]
    list_filter = ["deal", "level", "kind", "is_quantitative", "summable", "cumulative"]
    search_fields = ["code", "name", "source"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdminMixin, DealScopedAdminMixin, HistoryAdmin):
    deal_path = "indicator__deal"
    list_display = ["indicator", "date", "value", "text", "status", "entered_by", "approved_by"]
    list_filter = ["status", "indicator__deal", "indicator__level"]
    search_fields = ["indicator__code", "indicator__name", "source_note"]
    list_select_related = ["indicator", "entered_by", "approved_by"]
