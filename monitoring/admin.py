from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from monitoring.models import Indicator, Measurement


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    fields = ["date", "period_start", "value", "text", "source_note", "status"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "kind", "unit", "baseline_value", "target_value", "deal"]
    list_filter = ["deal", "level", "kind", "is_quantitative", "summable", "cumulative"]
    search_fields = ["code", "name", "source"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "date", "value", "text", "status", "entered_by", "approved_by"]
    list_filter = ["status", "indicator__deal", "indicator__level"]
    search_fields = ["indicator__code", "indicator__name", "source_note"]
    list_select_related = ["indicator", "entered_by", "approved_by"]
