from django.urls import path

from finance import views, views_workbook

app_name = "finance"

urlpatterns = [
    path("", views.index, name="index"),
    path("werkmap/sjabloon/", views_workbook.workbook_template, name="workbook-template"),
    path("werkmap/importeren/", views_workbook.workbook_import, name="workbook-import"),
    path("werkmap/bevestigen/", views_workbook.workbook_import_confirm, name="workbook-import-confirm"),
    path("<slug:deal_code>/werkmap/", views_workbook.workbook_export, name="workbook-export"),
    path("tranches/", views.tranche_index, name="tranche-index"),
    path("bevindingen/", views.findings_index, name="findings-index"),
    path("<slug:deal_code>/", views.deal_overview, name="deal-overview"),
    path("<slug:deal_code>/boekingen/", views.booking_list, name="booking-list"),
    path("<slug:deal_code>/boekingen/<int:pk>/corrigeren/", views.booking_correct_view, name="booking-correct"),
    path("<slug:deal_code>/projecten/<str:project_code>/", views.project_finance, name="project-finance"),
    path("<slug:deal_code>/bestedingen/nieuw/", views.expenditure_create, name="expenditure-create"),
    path("<slug:deal_code>/tranches/", views.tranche_list, name="tranche-list"),
    path("<slug:deal_code>/tranches/nieuw/", views.tranche_register_view, name="tranche-register"),
    path("<slug:deal_code>/tranches/<int:pk>/", views.tranche_detail, name="tranche-detail"),
    path("<slug:deal_code>/tranches/<int:pk>/goedkeuren/", views.tranche_approve_view, name="tranche-approve"),
    path("<slug:deal_code>/tranches/<int:pk>/afwijzen/", views.tranche_reject_view, name="tranche-reject"),
    path(
        "<slug:deal_code>/voorwaarden/<int:pk>/document/",
        views.condition_document,
        name="condition-document",
    ),
    path("<slug:deal_code>/bevindingen/", views.findings, name="findings"),
]
