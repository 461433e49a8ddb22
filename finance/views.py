"""Finance screens: fetch for the user, validate, call a service, redirect or render.

Every figure comes from finance.selectors. The peildatum (as-of date) of every screen is
today unless the user picks another; the deal's standard ijkdatum is one click away.
"""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from finance.filters import BookingFilter, ProjectFinanceFilter, TrancheFilter, programme_lines_of
from finance.findings import FINDING_KINDS, deal_findings
from finance.forms import (
    ApproveWithDecisionForm,
    AsOfForm,
    CorrectionForm,
    CorrectionWithDecisionForm,
    ExpenditureForm,
    RejectForm,
    TrancheForm,
)
from finance.forms_conditions import RegistrationEvidenceFormSet
from finance.models import Booking, Funder, Tranche, TrancheCondition
from finance.permissions import (
    FINANCE_ROLES,
    FINDINGS_READERS,
    TRANCHE_READERS,
    can_change_budget,
    can_correct_bookings,
    can_decide_tranche,
    can_export_workbook,
    can_read_all_finance,
    can_read_decisions,
    can_record_expenditure,
    can_register_tranche,
    can_view_conditions,
    can_view_findings,
    can_view_history,
    can_view_tranches,
    deals_where,
    expenditure_projects,
    finance_projects,
    get_condition_for_user,
    get_finance_deal_for_user,
    get_project_finance_for_user,
    get_tranche_for_user,
)
from finance.selectors import (
    MEASURES,
    Figures,
    deal_figures,
    project_figures,
    project_funder_figures,
    signed_sum,
    sum_figures,
)
from finance.selectors_conditions import blocking_message, project_conditions, tranche_condition_states
from finance.selectors_headroom import tranche_headroom
from finance.selectors_pending import open_pending_amounts
from finance.services import (
    DECIDED_KINDS,
    booking_correct,
    correction_remaining,
    expenditure_record,
    tranche_approve,
    tranche_register,
    tranche_reject,
)
from finance.services_conditions import EvidenceInput
from finance.tables import BookingTable, ProjectFinanceTable, TrancheTable
from projects.models import Deal, Project
from projects.templatetags.money import format_euro


def _as_of(request) -> tuple[date, bool]:
    """The peildatum asked for in ?tot=, else today; and whether it was asked for."""
    form = AsOfForm(request.GET)
    if form.is_valid() and form.cleaned_data["tot"]:
        return form.cleaned_data["tot"], True
    return timezone.localdate(), False


def _messages_of(error: ValidationError) -> list[str]:
    return error.messages


def _choose_deal(request, url_name: str, roles: tuple[str, ...]):
    """/financien/, /financien/tranches/, /financien/bevindingen/: straight to the deal if there is one."""
    deals = list(deals_where(request.user, *roles).order_by("name"))
    if not deals:
        raise PermissionDenied("U heeft geen toegang tot de financiën.")
    if len(deals) == 1:
        return redirect(url_name, deals[0].code)
    return render(request, "finance/deal_choice.html", {"deals": deals, "url_name": url_name})


@login_required
@require_safe
def index(request):
    return _choose_deal(request, "finance:deal-overview", FINANCE_ROLES)


@login_required
@require_safe
def tranche_index(request):
    return _choose_deal(request, "finance:tranche-list", TRANCHE_READERS)


@login_required
@require_safe
def findings_index(request):
    return _choose_deal(request, "finance:findings", FINDINGS_READERS)


@login_required
@require_safe
def deal_overview(request, deal_code):
    """The kassier's table: per project begroot, gecommitteerd, uitgekeerd, nog uit te keren, besteed."""
    deal = get_finance_deal_for_user(request.user, deal_code)
    base = finance_projects(request.user, deal)
    project_filter = ProjectFinanceFilter(request.GET or None, queryset=base, deal=deal)
    valid = project_filter.is_bound and project_filter.is_valid()
    funder = project_filter.form.cleaned_data.get("financier") if valid else None
    filtered = valid and any(project_filter.form.cleaned_data.get(k) for k in ("programma", "programmalijn", "status"))
    as_of, _ = _as_of(request)
    # The deal-level line belongs to no project: shown only to those who read all finance, unfiltered.
    show_deal_level = can_read_all_finance(request.user, deal) and not filtered
    if show_deal_level:
        figures = deal_figures(deal=deal, as_of=as_of)
    else:
        project_ids = list((project_filter.qs if valid else base).values_list("pk", flat=True))
        figures = deal_figures(deal=deal, as_of=as_of, project_ids=project_ids)

    line_codes = {line.pk: line.code for line in programme_lines_of(project_filter)}
    rows = []
    for row in figures.per_project:
        project = figures.projects[row.pk]
        cell = figures.cell(row.pk, funder.pk) if funder else row.total
        rows.append(
            {
                "code": row.code,
                "name": row.name,
                "programme": project.programme.code,
                "programme_line": line_codes.get(project.programme_line_id, ""),
                "status": project.get_status_display(),
                "begroot": cell.begroot,
                "gecommitteerd": cell.gecommitteerd,
                "uitgekeerd": cell.uitgekeerd,
                "nog_uit_te_keren": cell.nog_uit_te_keren,
                "besteed": cell.besteed,
                "pct_uitgekeerd": cell.pct_uitgekeerd_van_begroot,
                "url": row.url,
            }
        )
    table = ProjectFinanceTable(rows, exclude=() if line_codes else ("programme_line",))
    RequestConfig(request, paginate=False).configure(table)

    deal_level = None
    if show_deal_level:
        deal_level = figures.cell(None, funder.pk) if funder else figures.deal_level.total
    return render(
        request,
        "finance/deal_overview.html",
        {
            "deal": deal,
            "table": table,
            "filter": project_filter,
            "funder": funder,
            "as_of": as_of,
            "deal_level": deal_level,
            "deal_level_url": figures.deal_level.url,
            "deal_total": (sum_figures(_row_figures(r) for r in rows) + deal_level) if deal_level else None,
            "can_register": can_register_tranche(request.user, deal),
            "can_record": expenditure_projects(request.user, deal).exists(),
            "can_export": can_export_workbook(request.user, deal),
            "restricted": not can_read_all_finance(request.user, deal),
        },
    )


def _row_figures(row: dict) -> Figures:
    return Figures(
        begroot=row["begroot"],
        gecommitteerd=row["gecommitteerd"],
        uitgekeerd=row["uitgekeerd"],
        besteed=row["besteed"],
    )


@login_required
@require_safe
def booking_list(request, deal_code):
    """The bookings behind a figure, with their signed sum per kind (which equals the figure)."""
    deal = get_finance_deal_for_user(request.user, deal_code)
    bookings = Booking.objects.filter(deal=deal).select_related(
        "deal", "project", "funder", "created_by", "correction_of", "decision"
    )
    if not can_read_all_finance(request.user, deal):
        bookings = bookings.filter(project__in=finance_projects(request.user, deal))
    booking_filter = BookingFilter(request.GET or None, queryset=bookings, deal=deal)
    qs = booking_filter.qs if booking_filter.is_bound else bookings
    totals = qs.order_by().aggregate(**{measure: signed_sum(kind) for kind, measure in MEASURES.items()})
    table = BookingTable(qs)
    RequestConfig(request, paginate={"per_page": 100}).configure(table)
    return render(
        request,
        "finance/booking_list.html",
        {"deal": deal, "table": table, "filter": booking_filter, "totals": Figures(**totals)},
    )


HISTORY_TYPES = {"+": "aangemaakt", "~": "gewijzigd", "-": "verwijderd"}


def _history(project: Project, tranche_ids: list[int]) -> list[dict]:
    """Who recorded what and when in this project's bookings, tranches and conditions (three queries)."""
    sources = [
        ("Boeking", Booking.history.filter(project_id=project.pk)),
        ("Tranche", Tranche.history.filter(project_id=project.pk)),
        ("Voorwaarde", TrancheCondition.history.filter(tranche_id__in=tranche_ids)),
    ]
    entries = []
    for label, qs in sources:
        for h in qs.select_related("history_user"):
            status = f" — {h.get_status_display()}" if label == "Tranche" else ""
            entries.append(
                {
                    "date": h.history_date,
                    "user": h.history_user,
                    "action": HISTORY_TYPES.get(h.history_type, h.history_type),
                    "what": f"{label}: {h.instance}{status}",
                }
            )
    return sorted(entries, key=lambda e: e["date"], reverse=True)


@login_required
@require_safe
def project_finance(request, deal_code, project_code):
    deal = get_finance_deal_for_user(request.user, deal_code)
    project = get_project_finance_for_user(request.user, deal, project_code)
    as_of, _ = _as_of(request)
    figures = project_figures(project=project, as_of=as_of)
    bookings = list(
        project.bookings.select_related("funder", "created_by", "correction_of", "decision").order_by("date", "id")
    )
    tranches = list(
        project.tranches.select_related("funder", "registered_by", "decided_by").prefetch_related(
            Prefetch("conditions", queryset=TrancheCondition.objects.order_by("pk"))
        )
    )
    history = _history(project, [t.pk for t in tranches]) if can_view_history(request.user, deal) else None
    return render(
        request,
        "finance/project_finance.html",
        {
            "deal": deal,
            "project": project,
            "as_of": as_of,
            "figures": figures,
            "bookings": bookings,
            "tranches": tranches,
            "history": history,
            "can_register": can_register_tranche(request.user, deal),
            "can_record": can_record_expenditure(request.user, project),
            "can_correct": can_correct_bookings(request.user, deal),
            "can_change_budget": can_change_budget(request.user, deal),
            "can_read_decisions": can_read_decisions(request.user, deal),
            "pending": open_pending_amounts(deal=deal, as_of=as_of, project=project),
        },
    )


@login_required
def booking_correct_view(request, deal_code, pk):
    """The coordinator corrects a booking with a counter-entry and a reason."""
    deal = get_finance_deal_for_user(request.user, deal_code)
    booking = get_object_or_404(
        Booking.objects.select_related("project", "funder"), deal=deal, pk=pk, correction_of__isnull=True
    )
    if not can_correct_bookings(request.user, deal):
        raise PermissionDenied("Alleen de coördinator corrigeert boekingen.")
    # Correcting a begroting or toekenning changes what a body decided: name the decision.
    if booking.kind in DECIDED_KINDS:
        form = CorrectionWithDecisionForm(request.POST or None, deal=deal)
    else:
        form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking_correct(
                booking=booking,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                decision=form.cleaned_data.get("decision"),
            )
        except ValidationError as e:
            for message in _messages_of(e):
                form.add_error(None, message)
        else:
            messages.success(request, "De correctie is geboekt.")
            if booking.project:
                return redirect("finance:project-finance", deal.code, booking.project.code)
            return redirect(reverse("finance:booking-list", args=[deal.code]) + "?dealniveau=on")
    return render(
        request,
        "finance/booking_correct.html",
        {"deal": deal, "booking": booking, "form": form, "remaining": correction_remaining(booking)},
    )


@login_required
@require_safe
def tranche_list(request, deal_code):
    deal = get_finance_deal_for_user(request.user, deal_code)
    if not can_view_tranches(request.user, deal):
        raise PermissionDenied("U mag de tranches van deze deal niet inzien.")
    tranches = Tranche.objects.filter(project__deal=deal).select_related(
        "project__deal", "funder", "registered_by", "decided_by"
    )
    pending = TrancheTable(tranches.filter(status=Tranche.Status.PENDING), prefix="wacht-")
    RequestConfig(request, paginate=False).configure(pending)
    tranche_filter = TrancheFilter(request.GET or None, queryset=tranches, deal=deal)
    all_table = TrancheTable(tranche_filter.qs if tranche_filter.is_bound else tranches)
    RequestConfig(request, paginate={"per_page": 50}).configure(all_table)
    return render(
        request,
        "finance/tranche_list.html",
        {
            "deal": deal,
            "pending": pending,
            "table": all_table,
            "filter": tranche_filter,
            "can_register": can_register_tranche(request.user, deal),
        },
    )


@login_required
def tranche_register_view(request, deal_code):
    deal = get_finance_deal_for_user(request.user, deal_code)
    if not can_register_tranche(request.user, deal):
        raise PermissionDenied("Alleen de kassier registreert tranches.")
    projects = Project.objects.filter(deal=deal).order_by("code")
    funders = Funder.objects.filter(deal=deal).order_by("order", "name")
    initial = {}
    if code := request.GET.get("project"):
        initial["project"] = projects.filter(code=code).first()
    form = TrancheForm(request.POST or None, projects=projects, funders=funders, initial=initial)
    evidence = RegistrationEvidenceFormSet(
        request.POST or None, request.FILES or None, prefix="bewijs", form_kwargs={"deal": deal}
    )
    if request.method == "POST" and form.is_valid() and evidence.is_valid():
        items = [
            EvidenceInput(e["condition_type"], e.get("reference", ""), e.get("document"))
            for e in evidence.cleaned_data
            if e.get("condition_type")
        ]
        data = form.cleaned_data
        try:
            tranche = tranche_register(
                project=data["project"],
                funder=data["funder"],
                amount=data["amount"],
                date=data["date"],
                number=data["number"],
                note=data["note"],
                evidence=items,
                user=request.user,
            )
        except ValidationError as e:
            for message in _messages_of(e):
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"Tranche {tranche.number} van project {tranche.project.code} is geregistreerd; "
                "zij wacht op goedkeuring door een controller.",
            )
            if warning := _above_budget_warning(deal, tranche):
                messages.warning(request, warning)
            return redirect("finance:tranche-detail", deal.code, tranche.pk)
    # The conditions of the chosen project, so the kassier sees what to attach evidence for.
    project = initial.get("project") or (form.is_bound and form.cleaned_data.get("project"))
    return render(
        request,
        "finance/tranche_form.html",
        {
            "deal": deal,
            "form": form,
            "evidence": evidence,
            "project_conditions": project_conditions(project).conditions if project else None,
            "project": project,
            # What is still free per project x financier: the form's script shows it and warns in advance.
            "headroom": {f"{p}-{f}": room.as_json() for (p, f), room in tranche_headroom(deal=deal).items()},
        },
    )


def _above_budget_warning(deal: Deal, tranche: Tranche) -> str | None:
    """A registered tranche above what is free is allowed, but the kassier hears what it will take."""
    room = tranche_headroom(deal=deal)[(tranche.project_id, tranche.funder_id)]
    if room.available >= 0:
        return None
    return (
        f"Let op: met deze tranche komt project {tranche.project.code} voor {tranche.funder} "
        f"{format_euro(-room.available)} boven de begroting (begroot {format_euro(room.begroot)}, al uitgekeerd "
        f"{format_euro(room.uitgekeerd)}, ter goedkeuring met deze tranche {format_euro(room.waiting)}). "
        "De controller kan haar alleen goedkeuren met een reden en het besluit dat dit toestaat."
    )


def _excess(tranche: Tranche, figures=None) -> Decimal | None:
    """How far a pending tranche would take the payouts above the budget (None: within it)."""
    if figures is None:
        figures = project_funder_figures(project=tranche.project, funder=tranche.funder)
    after = figures.uitgekeerd + (tranche.amount if tranche.status == Tranche.Status.PENDING else 0)
    return after - figures.begroot if after > figures.begroot else None


def _tranche_context(request, deal: Deal, tranche: Tranche, **extra) -> dict:
    figures = project_funder_figures(project=tranche.project, funder=tranche.funder)
    after = figures.uitgekeerd + (tranche.amount if tranche.status == Tranche.Status.PENDING else 0)
    excess = _excess(tranche, figures)
    condition_states = tranche_condition_states(tranche)
    return {
        "deal": deal,
        "tranche": tranche,
        # Free-text conditions typed at registration before conditions were gates: history only.
        "conditions": list(tranche.conditions.order_by("pk")),
        "condition_states": condition_states,
        "blocked_by": blocking_message(tranche, condition_states) if tranche.status == Tranche.Status.PENDING else None,
        "can_view_conditions": can_view_conditions(request.user, tranche.project),
        "figures": figures,
        "after_approval": after,
        "excess": excess,
        "can_decide": can_decide_tranche(request.user, tranche),
        "own_registration": tranche.registered_by_id == request.user.pk,
        "approve_form": extra.pop("approve_form", None)
        or ApproveWithDecisionForm(deal=deal, above_budget=excess is not None),
        "reject_form": extra.pop("reject_form", None) or RejectForm(),
        **extra,
    }


@login_required
@require_safe
def tranche_detail(request, deal_code, pk):
    deal = get_finance_deal_for_user(request.user, deal_code)
    tranche = get_tranche_for_user(request.user, deal, pk)
    return render(request, "finance/tranche_detail.html", _tranche_context(request, deal, tranche))


def _decide(request, deal_code, pk):
    deal = get_finance_deal_for_user(request.user, deal_code)
    tranche = get_tranche_for_user(request.user, deal, pk)
    if not can_decide_tranche(request.user, tranche):
        if tranche.registered_by_id == request.user.pk:
            raise PermissionDenied(
                "U heeft deze tranche zelf geregistreerd; een controller die dat niet deed, keurt haar goed of af."
            )
        raise PermissionDenied("Alleen een controller beoordeelt tranches die op goedkeuring wachten.")
    return deal, tranche


@login_required
@require_POST
def tranche_approve_view(request, deal_code, pk):
    deal, tranche = _decide(request, deal_code, pk)
    form = ApproveWithDecisionForm(request.POST, deal=deal, above_budget=_excess(tranche) is not None)
    if form.is_valid():
        reason, decision = form.override()
        try:
            tranche_approve(tranche=tranche, user=request.user, override_reason=reason, override_decision=decision)
        except ValidationError as e:
            # The budget may have changed since the form was built: then the message goes above the form.
            field = "override_reason" if "override_reason" in form.fields else None
            for message in _messages_of(e):
                form.add_error(field, message)
        else:
            messages.success(request, f"Tranche {tranche.number} van project {tranche.project.code} is goedgekeurd.")
            return redirect("finance:tranche-list", deal.code)
    context = _tranche_context(request, deal, tranche, approve_form=form)
    return render(request, "finance/tranche_detail.html", context, status=400)


@login_required
@require_POST
def tranche_reject_view(request, deal_code, pk):
    deal, tranche = _decide(request, deal_code, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            tranche_reject(tranche=tranche, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            for message in _messages_of(e):
                form.add_error("reason", message)
        else:
            messages.success(request, f"Tranche {tranche.number} van project {tranche.project.code} is afgewezen.")
            return redirect("finance:tranche-list", deal.code)
    context = _tranche_context(request, deal, tranche, reject_form=form)
    return render(request, "finance/tranche_detail.html", context, status=400)


@login_required
@require_safe
def condition_document(request, deal_code, pk):
    """A condition's document, only for who may read that project's finance; never a public media URL."""
    deal = get_finance_deal_for_user(request.user, deal_code)
    condition = get_condition_for_user(request.user, deal, pk)
    if not condition.document:
        raise Http404("Deze voorwaarde heeft geen document.")
    try:
        handle = condition.document.open("rb")
    except FileNotFoundError as e:
        raise Http404("Het document is niet gevonden.") from e
    name = condition.document.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def expenditure_create(request, deal_code):
    deal = get_finance_deal_for_user(request.user, deal_code)
    projects = expenditure_projects(request.user, deal).order_by("code")
    if not projects.exists():
        raise PermissionDenied("U mag voor geen enkel project van deze deal bestedingen invoeren.")
    funders = Funder.objects.filter(deal=deal).order_by("order", "name")
    initial = {"date": timezone.localdate()}
    if code := request.GET.get("project"):
        initial["project"] = projects.filter(code=code).first()
    form = ExpenditureForm(request.POST or None, projects=projects, funders=funders, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = expenditure_record(
                project=data["project"],
                funder=data["funder"],
                amount=data["amount"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                date=data["date"],
                reference=data["reference"],
                note=data["note"],
                user=request.user,
            )
        except ValidationError as e:
            for message in _messages_of(e):
                form.add_error(None, message)
        else:
            messages.success(request, f"Besteding van project {booking.project.code} is geboekt.")
            return redirect("finance:project-finance", deal.code, booking.project.code)
    return render(request, "finance/expenditure_form.html", {"deal": deal, "form": form})


@login_required
@require_safe
def findings(request, deal_code):
    deal = get_finance_deal_for_user(request.user, deal_code)
    if not can_view_findings(request.user, deal):
        raise PermissionDenied("Alleen coördinator, kassier en controller zien de bevindingen.")
    as_of, _ = _as_of(request)
    items = deal_findings(deal=deal, as_of=as_of, today=timezone.localdate())
    groups = {}
    for item in items:
        groups.setdefault(item.soort, []).append(item)
    return render(
        request,
        "finance/findings.html",
        {
            "deal": deal,
            "as_of": as_of,
            "groups": [(FINDING_KINDS[k], v) for k, v in groups.items()],
            "count": len(items),
        },
    )
