"""Beheer: the coordinator records which contributions are not known yet (setup, like funders)."""

from django.contrib import admin

from finance.models_pending import PendingAmount
from regiodeal.admin_base import DealScopedAdminMixin, HistoryAdmin


@admin.register(PendingAmount)
class PendingAmountAdmin(DealScopedAdminMixin, HistoryAdmin):
    list_display = ["deal", "project", "funder", "note"]
    list_filter = ["deal"]
    search_fields = ["project__code", "project__name", "funder__name", "note"]
    list_select_related = ["deal", "project", "funder"]
