"""Routes for money per year: year plans, forecast, rollover (included by finance/urls.py)."""

from django.urls import path

from finance import views_years

PROJECT = "<slug:deal_code>/projecten/<str:project_code>/jaren/"

urlpatterns: list = [
    path("<slug:deal_code>/jaren/", views_years.years_deal, name="years-deal"),
    path(PROJECT, views_years.years_project, name="years-project"),
    path(f"{PROJECT}jaarbegroting/", views_years.year_plan_set_view, name="year-plan-set"),
    path(f"{PROJECT}doorschuiven/", views_years.rollover_create_view, name="rollover-create"),
]
