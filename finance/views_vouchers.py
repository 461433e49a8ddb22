"""The vouchers of a voucher scheme: list with count and sum per status, add form, status steps, xlsx import.

Every view fetches the deal and the project for the user first (404 outside their scope,
403 when they may read but not write); writes go through finance.services_vouchers. On an
error the page comes back with what was typed and status 400. The import is upload ->
preview (a dry run of the whole file) -> confirm; the file waits on the server under a random
token kept in the session, and the confirm step checks it again in full before saving.
"""

import io
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from openpyxl import Workbook

from finance import vouchers_import
from finance.forms import add_service_errors
from finance.forms_vouchers import VoucherForm, VoucherImportForm
from finance.models_vouchers import Voucher
from finance.pending_uploads import PendingUploads
from finance.permissions import can_read_project_finance
from finance.permissions_vouchers import can_manage_vouchers, get_voucher_for_user, get_voucher_project_for_user
from finance.selectors import project_figures
from finance.selectors_vouchers import scheme_vouchers, voucher_summary
from finance.services_vouchers import NEXT, voucher_create, voucher_set_status
from projects.models import Deal, Project
from projects.permissions import get_deal_for_user

# A checked file waits for its confirmation here (finance/pending_uploads.py).
PENDING = PendingUploads("finance_voucher_import", lambda: Path(settings.MEDIA_ROOT) / "voucher-import")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STEP_LABELS = {
    Voucher.Status.GRANTED: "Toekennen",
    Voucher.Status.PAID: "Uitbetalen",
    Voucher.Status.LAPSED: "Laten vervallen",
}


def _project_for(request, deal_code, project_code, *, write: bool = False) -> tuple[Deal, Project]:
    deal = get_deal_for_user(request.user, deal_code)
    return deal, get_voucher_project_for_user(request.user, deal, project_code, write=write)


def _status_filter(request) -> str:
    wanted = request.GET.get("status", "")
    return wanted if wanted in Voucher.Status.values else ""


def _default_date(deal: Deal):
    """Today, when a voucher could be dated today; otherwise nothing (a finished deal, like the demo of 2022)."""
    today = timezone.localdate()
    return today if deal.start <= today <= deal.financial_closing_date else None


def _page(request, deal: Deal, project: Project, *, status: int = 200, form=None, row_errors=None):
    may_manage = can_manage_vouchers(request.user, project)
    shown = _status_filter(request)
    vouchers = scheme_vouchers(project=project)
    if shown:
        vouchers = vouchers.filter(status=shown)
    summary = voucher_summary(project=project)
    begroot = project_figures(project=project, as_of=date.max).total.begroot
    steps = {s: [(n.value, STEP_LABELS[n]) for n in NEXT[s]] for s in Voucher.Status} if may_manage else {}
    context = {
        "deal": deal,
        "project": project,
        "rows": [(v, steps.get(v.status, [])) for v in vouchers],
        "summary": summary,
        "begroot": begroot,
        "room": begroot - summary.committed_amount,
        "shown_status": shown,
        "status_choices": Voucher.Status.choices,
        "may_manage": may_manage,
        "may_read_finance": can_read_project_finance(request.user, project),  # the penvoerder may not
        "form": form or (VoucherForm(initial={"date": _default_date(deal)}) if may_manage else None),
        "row_errors": row_errors,
    }
    return render(request, "finance/vouchers.html", context, status=status)


@login_required
@require_safe
def voucher_list(request, deal_code, project_code):
    deal, project = _project_for(request, deal_code, project_code)
    return _page(request, deal, project)


def _back(deal: Deal, project: Project):
    return redirect("finance:voucher-list", deal.code, project.code)


@login_required
@require_POST
def voucher_add(request, deal_code, project_code):
    deal, project = _project_for(request, deal_code, project_code, write=True)
    form = VoucherForm(request.POST)
    if form.is_valid():
        try:
            voucher = voucher_create(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(
                request, f"Voucher voor {voucher.recipient} is vastgelegd ({voucher.get_status_display()})."
            )
            return _back(deal, project)
    return _page(request, deal, project, status=400, form=form)


@login_required
@require_POST
def voucher_status(request, deal_code, project_code, pk):
    deal, project = _project_for(request, deal_code, project_code, write=True)
    voucher = get_voucher_for_user(request.user, project, pk)
    wanted = request.POST.get("status", "")
    try:
        if wanted not in Voucher.Status.values:
            raise ValidationError({"status": "Kies de nieuwe status van de voucher."})
        voucher = voucher_set_status(voucher=voucher, status=wanted, user=request.user)
    except ValidationError as e:
        errors = [m for messages_ in e.message_dict.values() for m in messages_]
        return _page(request, deal, project, status=400, row_errors={"pk": voucher.pk, "messages": errors})
    messages.success(request, f"Voucher voor {voucher.recipient} is nu {voucher.get_status_display().lower()}.")
    return _back(deal, project)


# ----------------------------------------------------------------------------- xlsx import


def _preview(request, deal, project, report, *, filename: str, token: str | None, status: int = 200):
    context = {"deal": deal, "project": project, "report": report, "filename": filename, "token": token}
    return render(request, "finance/vouchers_preview.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def voucher_import(request, deal_code, project_code):
    deal, project = _project_for(request, deal_code, project_code, write=True)
    form = VoucherImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["bestand"]
        data = upload.read()
        report = vouchers_import.voucher_import(project=project, data=data, user=request.user, commit=False)
        PENDING.discard(request)
        token = None
        if report.is_valid and report.new:
            token = PENDING.store(request, data, filename=upload.name, project=project.pk)
        return _preview(request, deal, project, report, filename=upload.name, token=token)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "finance/vouchers_import.html", {"deal": deal, "project": project, "form": form}, status=status
    )


@login_required
@require_POST
def voucher_import_confirm(request, deal_code, project_code):
    deal, project = _project_for(request, deal_code, project_code, write=True)
    found = PENDING.find(request, request.POST.get("token"))
    if found is None or found[0].get("project") != project.pk:
        messages.error(request, "Er staat geen gecontroleerd bestand klaar (meer). Upload het bestand opnieuw.")
        return redirect("finance:voucher-import", deal.code, project.code)
    pending, data = found
    # Checked again in full: vouchers or the begroting may have changed since the preview.
    report = vouchers_import.voucher_import(project=project, data=data, user=request.user, commit=True)
    if not report.saved:
        return _preview(request, deal, project, report, filename=pending["filename"], token=None, status=400)
    PENDING.discard(request)
    messages.success(
        request,
        f"'{pending['filename']}' geïmporteerd: {report.new} voucher(s) nieuw, {report.unchanged} ongewijzigd.",
    )
    return _back(deal, project)


@login_required
@require_safe
def voucher_template(request, deal_code, project_code):
    """An empty import file with the columns and one example row."""
    _deal, project = _project_for(request, deal_code, project_code, write=True)
    book = Workbook()
    sheet = book.active
    sheet.title = vouchers_import.SHEET_NAME
    for row in vouchers_import.example_rows(timezone.localdate()):
        sheet.append(row)
    sheet.column_dimensions["A"].width = 30
    for cell in sheet["B"][1:]:
        cell.number_format = "DD-MM-YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="vouchers-{project.code}.xlsx"'
    return response
