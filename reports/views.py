from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from projects.models import Deal, ReportingPeriod
from projects.roles import deal_scope
from reports import exports
from reports.forms import PublishForm, ReportTextForm
from reports.models import PublishedReport, ReportText
from reports.permissions import READERS, can_edit_reports, get_report_deal_for_user
from reports.selectors import period_for, report_data
from reports.services import (
    PublicationDamaged,
    latest_published,
    live_pdf,
    published_file,
    report_publish,
    report_text_save,
    with_changes,
)


def _as_of_and_period(request, deal):
    """The ijkdatum (?ijkdatum=JJJJ-MM-DD, default the deal's) and the period (?periode=<id>)."""
    period = None
    if raw_period := request.GET.get("periode", ""):
        try:
            period_pk = int(raw_period)
        except ValueError as error:
            raise Http404("De periode moet het nummer van een periode van deze deal zijn.") from error
        period = get_object_or_404(ReportingPeriod, deal=deal, pk=period_pk)
    raw = request.GET.get("ijkdatum", "")
    if period and _only_the_period_changed(request.GET, period):
        raw = ""  # a newly chosen period brings its own ijkdatum, unless the user also changed the date
    try:
        as_of = date.fromisoformat(raw) if raw else (period.reference_date if period else deal.default_reference_date)
    except ValueError as error:
        raise Http404("De ijkdatum moet de vorm JJJJ-MM-DD hebben.") from error
    if period is None:
        period = period_for(deal=deal, as_of=as_of)
    return as_of, period


def _only_the_period_changed(query, period) -> bool:
    """The report form sends what it showed (getoond_*): a new period with the date as shown."""
    shown_date, shown_period = query.get("getoond_ijkdatum"), query.get("getoond_periode")
    if shown_date is None or shown_period is None:
        return False  # a link, not the form: its ijkdatum is meant
    return query.get("ijkdatum", "") == shown_date and shown_period != str(period.pk)


def _query(as_of, period) -> str:
    return f"?ijkdatum={as_of.isoformat()}" + (f"&periode={period.pk}" if period else "")


@login_required
@require_safe
def index(request):
    deals = Deal.objects.filter(deal_scope(request.user, *READERS, field="pk"))
    if not deals.exists():
        return render(request, "reports/no_access.html", status=403)
    return render(request, "reports/index.html", {"deals": deals})


@login_required
@require_safe
def report_detail(request, deal_code):
    deal = get_report_deal_for_user(request.user, deal_code)
    as_of, period = _as_of_and_period(request, deal)
    data = with_changes(report_data(deal=deal, as_of=as_of, period=period), previous=latest_published(deal=deal))
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": data,
            "print": False,
            "query": _query(as_of, period),
            "periods": ReportingPeriod.objects.filter(deal=deal).order_by("-start"),
            "can_edit": can_edit_reports(request.user, deal),
            "published": PublishedReport.objects.filter(deal=deal).defer("pdf", "json").order_by("-version")[:1],
        },
    )


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
@require_safe
def report_export(request, deal_code, fmt):
    """The live report as xlsx or JSON (built on request: cheap) or PDF (built once per data version)."""
    if fmt not in ("pdf", "xlsx", "json"):
        raise Http404("Onbekend formaat.")
    deal = get_report_deal_for_user(request.user, deal_code)
    as_of, period = _as_of_and_period(request, deal)
    filename = f"voortgangsrapportage-{deal.code}-{as_of.isoformat()}"
    if fmt == "pdf":
        stored, _built = live_pdf(deal=deal, as_of=as_of, period=period)
        return _download(bytes(stored.pdf), "pdf", filename)
    data = report_data(deal=deal, as_of=as_of, period=period)
    return _download(exports.render(data, fmt), fmt, filename)


@login_required
def text_edit(request, deal_code, period_pk):
    deal = get_report_deal_for_user(request.user, deal_code, write=True)
    period = get_object_or_404(ReportingPeriod, deal=deal, pk=period_pk)
    text = ReportText.objects.filter(deal=deal, period=period).first() or ReportText(deal=deal, period=period)
    form = ReportTextForm(request.POST or None, instance=text)
    if request.method == "POST" and form.is_valid():
        report_text_save(deal=deal, period=period, user=request.user, **form.cleaned_data)
        messages.success(request, f"De teksten voor periode {period} zijn opgeslagen.")
        return redirect(reverse("reports:report-detail", args=[deal.code]) + _query(period.reference_date, period))
    return render(request, "reports/text_form.html", {"deal": deal, "period": period, "form": form})


@login_required
def publish(request, deal_code):
    deal = get_report_deal_for_user(request.user, deal_code, write=True)
    as_of, period = _as_of_and_period(request, deal)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        published = report_publish(deal=deal, as_of=as_of, period=period, user=request.user, **form.cleaned_data)
        messages.success(request, f"Versie {published.version} is gepubliceerd en kan niet meer veranderen.")
        return redirect("reports:published-list", deal.code)
    return render(
        request,
        "reports/publish_form.html",
        {"deal": deal, "as_of": as_of, "period": period, "form": form, "previous": latest_published(deal=deal)},
    )


@login_required
@require_safe
def published_list(request, deal_code):
    deal = get_report_deal_for_user(request.user, deal_code)
    versions = (
        PublishedReport.objects.filter(deal=deal)
        .defer("pdf", "json")
        .select_related("period", "published_by")
        .order_by("-version")
    )
    return render(
        request,
        "reports/published_list.html",
        {"deal": deal, "versions": versions, "can_edit": can_edit_reports(request.user, deal)},
    )


@login_required
@require_safe
def published_download(request, deal_code, version, fmt):
    if fmt not in ("pdf", "json"):
        raise Http404("Een gepubliceerde versie is er als PDF en als JSON.")
    deal = get_report_deal_for_user(request.user, deal_code)
    published = get_object_or_404(PublishedReport, deal=deal, version=version)
    try:
        content, digest = published_file(published=published, fmt=fmt)
    except PublicationDamaged as damaged:
        context = {"deal": deal, "published": published, "message": str(damaged)}
        return render(request, "reports/published_damaged.html", context, status=409)
    response = _download(content, fmt, published.filename_stem)
    response["X-Content-SHA256"] = digest
    return response
