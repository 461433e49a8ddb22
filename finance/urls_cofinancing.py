"""Routes for co-financing outside the kassier (included by finance/urls.py)."""

from django.urls import path

from finance import views_cofinancing

PROJECT = "<slug:deal_code>/projecten/<str:project_code>/cofinanciering/"

urlpatterns = [
    path(PROJECT, views_cofinancing.cofinancing_view, name="cofinancing"),
    path(f"{PROJECT}nieuw/", views_cofinancing.cofinancing_pledge_view, name="cofinancing-pledge"),
    path(f"{PROJECT}<int:pk>/gerealiseerd/", views_cofinancing.cofinancing_realise_view, name="cofinancing-realise"),
    path(f"{PROJECT}<int:pk>/bewijs/", views_cofinancing.cofinancing_document, name="cofinancing-document"),
]
