"""Beheer shows vouchers read-only: they are entered on the portal's page, where the rules hold
(a voucher scheme, a date within the deal, status steps forward only, the scheme's begroting)."""

from django.contrib import admin

from finance.models_vouchers import Voucher
from regiodeal.admin_base import DealScopedAdminMixin, HistoryAdmin, ReadOnlyAdminMixin


@admin.register(Voucher)
class VoucherAdmin(DealScopedAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    deal_path = "project__deal"
    list_display = ["date", "project", "recipient", "amount", "status", "reference", "created_by"]
    list_filter = ["status", "project__deal"]
    search_fields = ["recipient", "reference", "note", "project__code", "project__name"]
    list_select_related = ["project", "created_by"]
    date_hierarchy = "date"
