from django.urls import path

from projects import views, views_progress, views_roles

app_name = "projects"

urlpatterns = [
    path("deals/<slug:deal_code>/", views.deal_detail, name="deal-detail"),
    path("deals/<slug:deal_code>/projecten/<str:project_code>/", views.project_detail, name="project-detail"),
    path("rollen/", views_roles.role_index, name="role-index"),
    path("deals/<slug:deal_code>/rollen/", views_roles.role_list, name="role-list"),
    path("deals/<slug:deal_code>/rollen/<int:pk>/bevestigen/", views_roles.role_confirm, name="role-confirm"),
    path("deals/<slug:deal_code>/rollen/<int:pk>/weigeren/", views_roles.role_refuse, name="role-refuse"),
    path("deals/<slug:deal_code>/rollen/<int:pk>/beeindigen/", views_roles.role_end, name="role-end"),
    path("verslagen/", views_progress.report_list, name="report-list"),
    path("periodes/", views_progress.period_list, name="period-list"),
    path("deals/<slug:deal_code>/periodes/<str:period_name>/", views_progress.period_detail, name="period-detail"),
    path(
        "deals/<slug:deal_code>/projecten/<str:project_code>/verslagen/<str:period_name>/starten/",
        views_progress.report_start,
        name="report-start",
    ),
    path("deals/<slug:deal_code>/verslagen/<int:pk>/", views_progress.report_detail, name="report-detail"),
    path("deals/<slug:deal_code>/verslagen/<int:pk>/bewerken/", views_progress.report_edit, name="report-edit"),
    path("deals/<slug:deal_code>/verslagen/<int:pk>/indienen/", views_progress.report_submit, name="report-submit"),
    path("deals/<slug:deal_code>/verslagen/<int:pk>/goedkeuren/", views_progress.report_approve, name="report-approve"),
    path("deals/<slug:deal_code>/verslagen/<int:pk>/terugsturen/", views_progress.report_return, name="report-return"),
    path("deals/<slug:deal_code>/verslagen/<int:pk>/corrigeren/", views_progress.report_correct, name="report-correct"),
    path(
        "deals/<slug:deal_code>/verslagen/<int:pk>/geschiedenis/",
        views_progress.report_history_view,
        name="report-history",
    ),
]
