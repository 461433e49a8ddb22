"""Routes for vouchers (included by finance/urls.py)."""

urlpatterns: list = []
