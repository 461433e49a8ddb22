"""Beheer shows year plans and rollovers read-only: they change only on the portal's years page,
where the coordinator check, the ledger ceiling and the decision are enforced."""

from django.contrib import admin

from finance.models_years import Rollover, YearPlan
from regiodeal.admin_base import DealScopedAdminMixin, HistoryAdmin, ReadOnlyAdminMixin


@admin.register(YearPlan)
class YearPlanAdmin(DealScopedAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    deal_path = "project__deal"
    list_display = ["project", "funder", "year", "budget", "forecast", "updated_by", "updated_at"]
    list_filter = ["year", "funder__deal"]
    search_fields = ["project__code", "project__name", "funder__name"]
    list_select_related = ["project", "funder", "updated_by"]


@admin.register(Rollover)
class RolloverAdmin(DealScopedAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    deal_path = "project__deal"
    list_display = ["project", "funder", "from_year", "to_year", "amount", "decision", "created_by", "created_at"]
    list_filter = ["from_year", "funder__deal"]
    search_fields = ["project__code", "project__name", "funder__name", "decision__number"]
    list_select_related = ["project", "funder", "decision", "created_by"]
