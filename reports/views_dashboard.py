"""The stuurgroep's dashboard of a deal: for everyone who may read the deal's report."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from reports.dashboard import LEGEND, LIGHT_LABELS, deal_dashboard
from reports.permissions import get_report_deal_for_user


def _as_of(request, deal) -> date:
    """?ijkdatum=JJJJ-MM-DD as on the report page; without it the deal's standard ijkdatum."""
    raw = request.GET.get("ijkdatum", "")
    try:
        return date.fromisoformat(raw) if raw else deal.default_reference_date
    except ValueError as error:
        raise Http404("De ijkdatum moet de vorm JJJJ-MM-DD hebben.") from error


@login_required
@require_safe
def dashboard(request, deal_code):
    deal = get_report_deal_for_user(request.user, deal_code)
    data = deal_dashboard(deal=deal, as_of=_as_of(request, deal))
    legend = [(colour, LIGHT_LABELS[colour], text) for colour, text in LEGEND]
    return render(request, "reports/dashboard.html", {"dashboard": data, "deal": deal, "legend": legend})
