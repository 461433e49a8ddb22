from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:deal_code>/", views.deal_indicators_view, name="deal-indicators"),
    path(
        "<slug:deal_code>/programmas/<str:programme_code>/",
        views.programme_indicators_view,
        name="programme-indicators",
    ),
    path(
        "<slug:deal_code>/indicatoren/<int:indicator_pk>/meting/",
        views.measurement_create_view,
        name="measurement-create",
    ),
    path(
        "<slug:deal_code>/metingen/<int:measurement_pk>/goedkeuren/",
        views.measurement_approve_view,
        name="measurement-approve",
    ),
    path("<slug:deal_code>/metingen/import/", views.measurement_import_view, name="measurement-import"),
    path(
        "<slug:deal_code>/metingen/export.<str:file_format>",
        views.measurement_export_view,
        name="measurement-export",
    ),
]
