"""Beheer shows co-financing outside the kassier read-only: it is entered on the portal's page, with its rules."""

from django.contrib import admin

from finance.models_cofinancing import DirectCoFinancing
from regiodeal.admin_base import DealScopedAdminMixin, HistoryAdmin, ReadOnlyAdminMixin


@admin.register(DirectCoFinancing)
class DirectCoFinancingAdmin(DealScopedAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    deal_path = "project__deal"
    list_display = ["project", "funder", "amount", "status", "pledged_on", "realised_on", "before_deal_start"]
    list_filter = ["status", "before_deal_start", "funder__deal"]
    search_fields = ["project__code", "project__name", "funder__name"]
    list_select_related = ["project", "funder"]
