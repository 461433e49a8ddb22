"""Routes for vouchers (included by finance/urls.py)."""

from django.urls import path

from finance import views_vouchers

_SCHEME = "<slug:deal_code>/projecten/<str:project_code>/vouchers"

urlpatterns: list = [
    path(f"{_SCHEME}/", views_vouchers.voucher_list, name="voucher-list"),
    path(f"{_SCHEME}/nieuw/", views_vouchers.voucher_add, name="voucher-add"),
    path(f"{_SCHEME}/<int:pk>/status/", views_vouchers.voucher_status, name="voucher-status"),
    path(f"{_SCHEME}/importeren/", views_vouchers.voucher_import, name="voucher-import"),
    path(f"{_SCHEME}/importeren/bevestigen/", views_vouchers.voucher_import_confirm, name="voucher-import-confirm"),
    path(f"{_SCHEME}/sjabloon/", views_vouchers.voucher_template, name="voucher-template"),
]
