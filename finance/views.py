"""Finance screens (being built; the selector in finance/selectors.py comes first)."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404("Nog niet beschikbaar.")


index = tranche_index = findings_index = deal_overview = booking_list = project_finance = _todo
expenditure_create = tranche_list = tranche_register = tranche_detail = tranche_approve = tranche_reject = _todo
condition_document = findings = _todo
