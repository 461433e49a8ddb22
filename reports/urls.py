from django.urls import path

from reports import views, views_dashboard

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:deal_code>/", views.report_detail, name="report-detail"),
    path("<slug:deal_code>/dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("<slug:deal_code>/rapportage.<str:fmt>", views.report_export, name="report-export"),
    path("<slug:deal_code>/teksten/<int:period_pk>/", views.text_edit, name="text-edit"),
    path("<slug:deal_code>/publiceren/", views.publish, name="publish"),
    path("<slug:deal_code>/versies/", views.published_list, name="published-list"),
    path(
        "<slug:deal_code>/versies/<int:version>/rapportage.<str:fmt>",
        views.published_download,
        name="published-download",
    ),
]
