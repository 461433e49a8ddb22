from django.urls import path

from finance import views, views_conditions, views_decisions, views_import_batches, views_workbook
from finance.urls_cofinancing import urlpatterns as cofinancing_urls
from finance.urls_vouchers import urlpatterns as voucher_urls
from finance.urls_years import urlpatterns as year_urls

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
    path("<slug:deal_code>/voorwaarden/", views_conditions.condition_types, name="condition-types"),
    path(
        "<slug:deal_code>/projecten/<str:project_code>/voorwaarden/",
        views_conditions.project_conditions_view,
        name="project-conditions",
    ),
    path(
        "<slug:deal_code>/projecten/<str:project_code>/voorwaarden/nieuw/",
        views_conditions.project_condition_add_view,
        name="project-condition-add",
    ),
    path(
        "<slug:deal_code>/projecten/<str:project_code>/voorwaarden/bewijs/",
        views_conditions.evidence_supply_view,
        name="evidence-supply",
    ),
    path(
        "<slug:deal_code>/projecten/<str:project_code>/voorwaarden/vrijstellen/",
        views_conditions.condition_waive_view,
        name="condition-waive",
    ),
    path("<slug:deal_code>/bewijs/<int:pk>/controleren/", views_conditions.evidence_check_view, name="evidence-check"),
    path("<slug:deal_code>/bewijs/<int:pk>/document/", views_conditions.evidence_document, name="evidence-document"),
    path("<slug:deal_code>/importbatches/", views_import_batches.import_batch_list, name="import-batch-list"),
    path(
        "<slug:deal_code>/importbatches/<int:pk>/", views_import_batches.import_batch_detail, name="import-batch-detail"
    ),
    path(
        "<slug:deal_code>/importbatches/<int:pk>/bevestigen/",
        views_import_batches.import_batch_confirm,
        name="import-batch-confirm",
    ),
    path(
        "<slug:deal_code>/importbatches/<int:pk>/afwijzen/",
        views_import_batches.import_batch_reject,
        name="import-batch-reject",
    ),
    path("<slug:deal_code>/besluiten/", views_decisions.decision_list, name="decision-list"),
    path("<slug:deal_code>/besluiten/nieuw/", views_decisions.decision_create, name="decision-create"),
    path("<slug:deal_code>/besluiten/<int:pk>/", views_decisions.decision_detail, name="decision-detail"),
    path(
        "<slug:deal_code>/besluiten/<int:pk>/document/",
        views_decisions.decision_document,
        name="decision-document",
    ),
    path(
        "<slug:deal_code>/projecten/<str:project_code>/begroting/",
        views_decisions.budget_change,
        name="budget-change",
    ),
    # Vouchers, money per year and direct co-financing keep their routes in their own modules.
    *voucher_urls,
    *cofinancing_urls,
    *year_urls,
]
