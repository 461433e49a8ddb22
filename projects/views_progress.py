"""Voortgangsverslagen: periods, the overview per period, and writing, submitting and assessing a verslag.

Every view first fetches its objects for this user (projects/permissions.py): 404 outside
the user's scope, 403 where the user may read but not act. The services check again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from projects import services
from projects.forms import ProgressReportForm, ReturnReportForm
from projects.models import ProgressReport
from projects.permissions import (
    can_approve_report,
    can_correct_report,
    can_edit_report,
    can_read_report_history,
    can_return_report,
    can_submit_report,
    can_view_period_overview,
    get_deal_for_user,
    get_project_for_user,
    get_report_for_user,
)
from projects.roles import COORDINATOR, has_role_anywhere
from projects.selectors import (
    OVERVIEW_FILTERS,
    period_overview,
    periods_for_user,
    report_history,
    report_tasks,
)
from projects.worklist_items import reports_to_start


def _detail_url(report: ProgressReport) -> str:
    return reverse("projects:report-detail", args=[report.project.deal.code, report.pk])


def _lock_version(request) -> int | None:
    try:
        return int(request.POST["lock_version"])
    except (KeyError, ValueError):
        return None


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_safe
def report_list(request):
    """Verslagen: what waits for this user, and the periods."""
    return render(
        request,
        "projects/report_list.html",
        {
            "tasks": report_tasks(user=request.user),
            "to_start": reports_to_start(request.user),
            "periods": periods_for_user(request.user) if can_view_period_overview(request.user) else [],
            "is_coordinator": has_role_anywhere(request.user, COORDINATOR),
        },
    )


@login_required
@require_safe
def period_list(request):
    if not can_view_period_overview(request.user):
        raise PermissionDenied("Alleen de coördinator en themalijnmanagers zien de rapportageperiodes.")
    return render(
        request,
        "projects/period_list.html",
        {"periods": periods_for_user(request.user), "is_coordinator": has_role_anywhere(request.user, COORDINATOR)},
    )


@login_required
@require_safe
def period_detail(request, deal_code, period_name):
    deal = get_deal_for_user(request.user, deal_code)
    if not can_view_period_overview(request.user, deal):
        raise PermissionDenied("Alleen de coördinator en themalijnmanagers zien het overzicht van een periode.")
    period = get_object_or_404(deal.reporting_periods, name=period_name)
    only = request.GET.get("toon", "")
    return render(
        request,
        "projects/period_detail.html",
        {
            "deal": deal,
            "period": period,
            "overview": period_overview(period=period, user=request.user, only=only),
            "filters": OVERVIEW_FILTERS,
            "only": only,
        },
    )


@login_required
@require_POST
def report_start(request, deal_code, project_code, period_name):
    deal = get_deal_for_user(request.user, deal_code)
    project = get_project_for_user(request.user, deal, project_code, write=True)
    period = get_object_or_404(deal.reporting_periods, name=period_name)
    try:
        report = services.report_start(project=project, period=period, user=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("projects:project-detail", deal.code, project.code)
    messages.success(request, f"Verslag {period} aangemaakt, ingevuld met het laatst goedgekeurde verslag.")
    return redirect("projects:report-edit", deal.code, report.pk)


def _detail_context(request, report: ProgressReport, return_form: ReturnReportForm | None = None) -> dict:
    user = request.user
    can_approve = can_approve_report(user, report)
    return {
        "deal": report.project.deal,
        "project": report.project,
        "report": report,
        "can_edit": can_edit_report(user, report),
        "can_submit": can_submit_report(user, report),
        "can_approve": can_approve,
        "can_correct": can_correct_report(user, report),
        "can_history": can_read_report_history(user, report),
        "return_form": return_form
        or (ReturnReportForm(initial={"lock_version": report.lock_version}) if can_approve else None),
    }


@login_required
@require_safe
def report_detail(request, deal_code, pk):
    deal = get_deal_for_user(request.user, deal_code)
    report = get_report_for_user(request.user, deal, pk)
    return render(request, "projects/report_detail.html", _detail_context(request, report))


@login_required
def report_edit(request, deal_code, pk):
    deal = get_deal_for_user(request.user, deal_code)
    report = get_report_for_user(request.user, deal, pk, write=True)
    if not can_edit_report(request.user, report):
        raise PermissionDenied(
            f"Dit verslag is {report.get_state_display().lower()} en kan niet meer worden gewijzigd."
            + (" Maak een nieuwe versie om het te corrigeren." if report.state == report.State.APPROVED else "")
        )
    baseline = services.planning_baseline(project=report.project, period=report.period)
    stale = None
    if request.method == "POST":
        form = ProgressReportForm(request.POST, instance=report, baseline=baseline)
        if form.is_valid():
            try:
                report = services.report_update(
                    report=report,
                    user=request.user,
                    data=form.cleaned_data,
                    lock_version=form.cleaned_data["lock_version"],
                )
            except services.StaleReportError as error:
                # Show the user's own text again, against the version that is now saved. The form
                # carries the new edit number, so saving again is a deliberate choice to overwrite.
                stale = error.report
                data = request.POST.copy()
                data["lock_version"] = str(stale.lock_version)
                form = ProgressReportForm(data, instance=report, baseline=baseline)  # not `stale`: kept as saved
                form.is_valid()
                form.add_error(
                    None,
                    f"{error} Uw wijzigingen zijn niet opgeslagen; ze staan hieronder nog. "
                    "Vergelijk ze met de opgeslagen versie onderaan en sla opnieuw op.",
                )
            else:
                if "indienen" not in request.POST:
                    messages.success(request, "Verslag opgeslagen als concept.")
                    return redirect(_detail_url(report))
                try:
                    services.report_submit(report=report, user=request.user, lock_version=report.lock_version)
                except ValidationError as error:
                    messages.warning(request, f"Opgeslagen, maar nog niet ingediend: {_error_text(error)}")
                    return redirect("projects:report-edit", deal.code, report.pk)
                messages.success(request, "Verslag opgeslagen en ingediend bij de coördinator.")
                return redirect(_detail_url(report))
    else:
        form = ProgressReportForm(instance=report, baseline=baseline)
    return render(
        request,
        "projects/report_form.html",
        {"deal": deal, "project": report.project, "report": report, "form": form, "stale": stale},
    )


def _act(request, deal_code, pk, action, success: str):
    deal = get_deal_for_user(request.user, deal_code)
    report = get_report_for_user(request.user, deal, pk)
    try:
        report = action(report=report, user=request.user, lock_version=_lock_version(request))
    except services.StaleReportError as error:
        messages.error(request, f"{error} Er is niets veranderd; bekijk de nieuwe inhoud en probeer het opnieuw.")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, success)
    return redirect(_detail_url(report))


@login_required
@require_POST
def report_submit(request, deal_code, pk):
    return _act(request, deal_code, pk, services.report_submit, "Verslag ingediend bij de coördinator.")


@login_required
@require_POST
def report_approve(request, deal_code, pk):
    return _act(request, deal_code, pk, services.report_approve, "Verslag goedgekeurd; het staat nu vast.")


@login_required
@require_POST
def report_return(request, deal_code, pk):
    deal = get_deal_for_user(request.user, deal_code)
    report = get_report_for_user(request.user, deal, pk)
    if not can_return_report(request.user, report):
        # Refuse before validating: a user without the right gets 403, not form errors.
        raise PermissionDenied("Alleen de coördinator kan een ingediend verslag terugsturen.")
    form = ReturnReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_return(
                report=report,
                user=request.user,
                reason=form.cleaned_data["reason"],
                lock_version=form.cleaned_data["lock_version"],
            )
        except services.StaleReportError as error:
            form.add_error(None, f"{error} Het verslag is niet teruggestuurd; bekijk de nieuwe inhoud eerst.")
        else:
            messages.success(request, "Verslag teruggestuurd met de reden; de indiener kan het weer bewerken.")
            return redirect(_detail_url(report))
    report.refresh_from_db()
    return render(request, "projects/report_detail.html", _detail_context(request, report, form), status=400)


@login_required
@require_POST
def report_correct(request, deal_code, pk):
    deal = get_deal_for_user(request.user, deal_code)
    report = get_report_for_user(request.user, deal, pk, write=True)
    correction = services.report_correct(report=report, user=request.user)
    messages.success(request, f"Versie {correction.revision} aangemaakt als concept; versie {report.revision} blijft.")
    return redirect("projects:report-edit", deal.code, correction.pk)


@login_required
@require_safe
def report_history_view(request, deal_code, pk):
    deal = get_deal_for_user(request.user, deal_code)
    report = get_report_for_user(request.user, deal, pk)
    if not can_read_report_history(request.user, report):
        raise PermissionDenied("De bewerkingsgeschiedenis is alleen voor de opstellers en de coördinatie.")
    return render(
        request,
        "projects/report_history.html",
        {"deal": deal, "project": report.project, "report": report, "entries": report_history(report=report)},
    )
