import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from monitoring.forms import ImportForm, MeasurementForm
from monitoring.permissions import (
    can_approve_measurement,
    can_import_measurements,
    get_indicator_for_user,
    get_measurement_for_user,
    sees_concepts,
)
from monitoring.resources import export_measurements, import_measurements
from monitoring.selectors import (
    deal_indicators,
    measurements_for_export,
    pending_measurements,
    programme_indicators,
)
from monitoring.services import measurement_approve, measurement_create
from projects.models import Programme
from projects.permissions import get_deal_for_user, readable_deals
from projects.roles import COORDINATOR, has_role

SESSION_KEY = "monitoring_import"


@login_required
@require_safe
def index(request):
    deals = list(readable_deals(request.user).order_by("name"))
    if len(deals) == 1:
        return redirect("monitoring:deal-indicators", deals[0].code)
    return render(request, "monitoring/index.html", {"deals": deals})


@login_required
@require_safe
def deal_indicators_view(request, deal_code):
    deal = get_deal_for_user(request.user, deal_code)
    is_coordinator = has_role(request.user, deal, COORDINATOR)
    return render(
        request,
        "monitoring/deal_indicators.html",
        {
            "deal": deal,
            "sections": deal_indicators(user=request.user, deal=deal),
            "sees_concepts": sees_concepts(request.user, deal),
            "pending": list(pending_measurements(deal=deal)) if is_coordinator else [],
            "can_import": can_import_measurements(request.user, deal),
        },
    )


@login_required
@require_safe
def programme_indicators_view(request, deal_code, programme_code):
    deal = get_deal_for_user(request.user, deal_code)
    programme = get_object_or_404(Programme.objects.select_related("action_line"), deal=deal, code=programme_code)
    return render(
        request,
        "monitoring/programme_indicators.html",
        {
            "deal": deal,
            "programme": programme,
            "monitoring": programme_indicators(user=request.user, programme=programme),
            "sees_concepts": sees_concepts(request.user, deal),
        },
    )


def _back_url(indicator) -> str:
    if indicator.project_id:
        return reverse("projects:project-detail", args=[indicator.deal.code, indicator.project.code]) + "#indicatoren"
    if indicator.programme_id:
        return reverse("monitoring:programme-indicators", args=[indicator.deal.code, indicator.programme.code])
    return reverse("monitoring:deal-indicators", args=[indicator.deal.code])


@login_required
def measurement_create_view(request, deal_code, indicator_pk):
    deal = get_deal_for_user(request.user, deal_code)
    indicator = get_indicator_for_user(request.user, deal, indicator_pk, write=True)
    form = MeasurementForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            measurement_create(indicator=indicator, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, f"Meting bij '{indicator.name}' opgeslagen als concept.")
            return redirect(_back_url(indicator))
    return render(
        request,
        "monitoring/measurement_form.html",
        {"deal": deal, "indicator": indicator, "form": form, "back_url": _back_url(indicator)},
    )


@login_required
@require_POST
def measurement_approve_view(request, deal_code, measurement_pk):
    deal = get_deal_for_user(request.user, deal_code)
    measurement = get_measurement_for_user(request.user, deal, measurement_pk)
    if not can_approve_measurement(request.user, measurement):
        raise PermissionDenied("Alleen de coördinator keurt een concept-meting goed.")
    measurement_approve(measurement=measurement, user=request.user)
    messages.success(request, f"Meting {measurement} goedgekeurd.")
    return redirect("monitoring:deal-indicators", deal.code)


@login_required
@require_safe
def measurement_export_view(request, deal_code, file_format):
    deal = get_deal_for_user(request.user, deal_code)
    if file_format not in ("xlsx", "csv"):
        raise Http404("Kies xlsx of csv.")
    content = export_measurements(
        deal=deal,
        user=request.user,
        queryset=measurements_for_export(user=request.user, deal=deal),
        file_format=file_format,
    )
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if file_format == "xlsx"
        else "text/csv; charset=utf-8"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="metingen-{deal.code}.{file_format}"'
    return response


@login_required
def measurement_import_view(request, deal_code):
    """Upload -> dry run with every error -> confirm (the same file, kept in the session) -> saved, or nothing."""
    deal = get_deal_for_user(request.user, deal_code)
    if not can_import_measurements(request.user, deal):
        raise PermissionDenied("Alleen de coördinator importeert metingen.")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(SESSION_KEY)
        if not stored or stored.get("deal") != deal.code:
            messages.error(request, "Het voorbeeld is verlopen; kies het bestand opnieuw.")
            return redirect("monitoring:measurement-import", deal.code)
        report = import_measurements(
            deal=deal,
            user=request.user,
            content=base64.b64decode(stored["content"]),
            filename=stored["name"],
            commit=True,
        )
        if report.committed:
            del request.session[SESSION_KEY]
            messages.success(
                request, f"{report.new} nieuwe en {report.updated} bijgewerkte metingen geïmporteerd (als concept)."
            )
            return redirect("monitoring:deal-indicators", deal.code)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        report = import_measurements(deal=deal, user=request.user, content=content, filename=upload.name, commit=False)
        if report.ok:
            request.session[SESSION_KEY] = {
                "deal": deal.code,
                "name": upload.name,
                "content": base64.b64encode(content).decode("ascii"),
            }
    return render(request, "monitoring/measurement_import.html", {"deal": deal, "form": form, "report": report})
