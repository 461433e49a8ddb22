"""The deal workbook in the browser: template, export, and import as upload -> preview -> confirm.

The uploaded file waits on the server under a random token kept in the user's session;
the confirm step reads it from there and checks it again in full before saving, so
nothing the browser sends back (other than the token) is trusted as data.
"""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from finance import workbook
from finance.pending_uploads import PendingUploads
from finance.permissions import can_export_workbook, deals_where
from projects.permissions import get_deal_for_user, readable_deals
from projects.roles import COORDINATOR
from regiodeal.spreadsheets import SpreadsheetError, inspect_xlsx

SESSION_KEY = "finance_workbook_import"
OTHER_FILE_TYPES = {
    ".xlsm": "Een werkmap met macro's wordt niet geïmporteerd: sla haar in Excel op als 'Excel-werkmap (.xlsx)'.",
    ".xls": "Dit is het oude Excel-formaat: sla de werkmap in Excel op als 'Excel-werkmap (.xlsx)'.",
    ".csv": "Een CSV-bestand heeft maar één tabblad; de werkmap heeft er meerdere. Gebruik het sjabloon (.xlsx).",
    ".ods": "Sla het rekenblad in LibreOffice op als 'Excel 2007-365 (.xlsx)'.",
}
MAX_ERRORS_SHOWN = 500
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_dir() -> Path:
    return Path(getattr(settings, "WORKBOOK_UPLOAD_DIR", Path(settings.MEDIA_ROOT) / "werkmap-import"))


PENDING = PendingUploads(SESSION_KEY, upload_dir)


class WorkbookUploadForm(forms.Form):
    werkmap = forms.FileField(label="Werkmap (.xlsx)", help_text="Een werkmap in het formaat van het sjabloon.")

    def clean_werkmap(self):
        upload = self.cleaned_data["werkmap"]
        extension = Path(upload.name).suffix.lower()
        if extension != ".xlsx":
            hint = OTHER_FILE_TYPES.get(extension, "Kies een Excel-werkmap (.xlsx) in het formaat van het sjabloon.")
            raise forms.ValidationError(f"'{upload.name}' is geen .xlsx-bestand. {hint}")
        if upload.size > settings.UPLOAD_MAX_BYTES:
            limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(
                f"'{upload.name}' is groter dan {limit} MB; importeer grote werkmappen met 'manage.py import_workbook'."
            )
        data = upload.read()
        upload.seek(0)
        try:  # what kind of file, and its row count, before anything is stored or parsed
            inspect_xlsx(data, max_rows=settings.WORKBOOK_MAX_ROWS)
        except SpreadsheetError as e:
            raise forms.ValidationError(f"'{upload.name}': {e}") from None
        return upload


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _require_importer(user) -> None:
    # The deal is known only once the workbook is read; the import itself checks that deal.
    if not deals_where(user, COORDINATOR).exists():
        raise PermissionDenied("Alleen de coördinator importeert werkmappen.")


@login_required
@require_GET
def workbook_template(request):
    return _xlsx_response(workbook.workbook_template(), "werkmap-sjabloon.xlsx")


@login_required
@require_GET
def workbook_export(request, deal_code):
    deal = get_deal_for_user(request.user, deal_code)
    if not can_export_workbook(request.user, deal):
        raise PermissionDenied("U mag de financiën van de hele deal niet downloaden.")
    stamp = timezone.localdate().isoformat()
    return _xlsx_response(workbook.workbook_export(deal=deal), f"werkmap-{deal.code}-{stamp}.xlsx")


def _preview(request, report, *, filename: str, token: str | None):
    return render(
        request,
        "finance/workbook_preview.html",
        {
            "report": report,
            "filename": filename,
            "token": token,
            "errors": report.errors[:MAX_ERRORS_SHOWN],
            "errors_hidden": max(0, len(report.errors) - MAX_ERRORS_SHOWN),
            "has_changes": report.total_new + report.total_changed > 0,
        },
    )


@login_required
def workbook_import(request):
    _require_importer(request.user)
    form = WorkbookUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["werkmap"]
        data = upload.read()
        token = PENDING.store(request, data, filename=upload.name)
        report = workbook.workbook_import(data=data, user=request.user, commit=False)
        return _preview(request, report, filename=upload.name, token=token)
    return render(
        request,
        "finance/workbook_import.html",
        {"form": form, "deals": readable_deals(request.user).order_by("name")},
    )


@login_required
@require_POST
def workbook_import_confirm(request):
    _require_importer(request.user)
    found = PENDING.find(request, request.POST.get("token"))
    if found is None:
        messages.error(request, "Er staat geen gecontroleerde werkmap klaar (meer). Upload de werkmap opnieuw.")
        return redirect("finance:workbook-import")
    pending, data = found
    # Checked again in full: the data or the deal may have changed since the preview.
    report = workbook.workbook_import(data=data, user=request.user, commit=True, file_name=pending["filename"])
    if not report.saved:
        return _preview(request, report, filename=pending["filename"], token=pending["token"])
    PENDING.discard(request)
    if report.batch is not None:  # the uitkeringen wait for a controller (finance/import_batches.py)
        messages.success(
            request,
            f"Werkmap '{pending['filename']}' geïmporteerd in deal '{report.deal_code}'. De "
            f"{report.batch.payout_count} uitkering(en) tellen pas mee als een controller importbatch "
            f"{report.batch.pk} bevestigt.",
        )
        return redirect(reverse("finance:import-batch-detail", args=[report.deal_code, report.batch.pk]))
    messages.success(
        request,
        f"Werkmap '{pending['filename']}' geïmporteerd in deal '{report.deal_code}': "
        f"{report.total_new} nieuw, {report.total_changed} gewijzigd.",
    )
    return redirect(reverse("finance:deal-overview", args=[report.deal_code]))
