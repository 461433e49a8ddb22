from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("deals/<slug:deal_code>/", views.deal_detail, name="deal-detail"),
    path("deals/<slug:deal_code>/projecten/<str:project_code>/", views.project_detail, name="project-detail"),
]
