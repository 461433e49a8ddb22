"""Routes for money per year: year plans, forecast, rollover (included by finance/urls.py)."""

urlpatterns: list = []
