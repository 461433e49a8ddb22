"""Import batches in the browser: the list per deal, a batch's summary and findings, confirm and reject.

The confirm form carries the SHA-256 of the file the batch came from, as shown on the
page: a confirmation is for the batch the controller saw, never a blind POST.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from finance.forms import RejectForm
from finance.import_batches import batch_confirm, batch_reject, batch_review, decide_refusal
from finance.models import ImportBatch
from finance.permissions import can_decide_import_batch, can_view_import_batches, get_import_batch_for_user
from projects.permissions import get_deal_for_user


class ConfirmBatchForm(forms.Form):
    sha256 = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, batch: ImportBatch, **kwargs):
        super().__init__(*args, **kwargs)
        self.batch = batch
        self.fields["sha256"].initial = batch.sha256

    def clean(self):
        # A hidden field's error would not show: say it above the button.
        if self.cleaned_data.get("sha256") != self.batch.sha256:
            raise ValidationError("Bevestig de batch vanaf haar eigen pagina, na het overzicht te hebben gezien.")
        return self.cleaned_data


@login_required
@require_safe
def import_batch_list(request, deal_code):
    deal = get_deal_for_user(request.user, deal_code)
    if not can_view_import_batches(request.user, deal):
        raise PermissionDenied("U mag de importbatches van deze deal niet inzien.")
    batches = deal.import_batches.select_related("uploaded_by", "decided_by")
    return render(request, "finance/import_batch_list.html", {"deal": deal, "batches": batches})


def _detail(request, deal, batch, *, confirm_form=None, reject_form=None, errors=(), status=200):
    can_decide = can_decide_import_batch(request.user, batch)
    context = {
        "deal": deal,
        "batch": batch,
        "review": batch_review(batch),
        "can_decide": can_decide,
        "refusal": None if can_decide else decide_refusal(request.user, batch),
        "confirm_form": confirm_form or ConfirmBatchForm(batch=batch),
        "reject_form": reject_form or RejectForm(),
        "errors": errors,
    }
    return render(request, "finance/import_batch_detail.html", context, status=status)


@login_required
@require_safe
def import_batch_detail(request, deal_code, pk):
    deal = get_deal_for_user(request.user, deal_code)
    return _detail(request, deal, get_import_batch_for_user(request.user, deal, pk))


def _decide(request, deal_code, pk):
    deal = get_deal_for_user(request.user, deal_code)
    batch = get_import_batch_for_user(request.user, deal, pk)
    if not can_decide_import_batch(request.user, batch):
        raise PermissionDenied(decide_refusal(request.user, batch))
    return deal, batch


@login_required
@require_POST
def import_batch_confirm(request, deal_code, pk):
    deal, batch = _decide(request, deal_code, pk)
    form = ConfirmBatchForm(request.POST, batch=batch)
    if form.is_valid():
        try:
            batch_confirm(batch=batch, user=request.user)
        except ValidationError as e:
            return _detail(request, deal, batch, confirm_form=form, errors=e.messages, status=400)
        messages.success(
            request, f"Importbatch {batch.pk} is bevestigd: {batch.payout_count} uitkering(en) tellen nu mee."
        )
        return redirect("finance:import-batch-detail", deal.code, batch.pk)
    return _detail(request, deal, batch, confirm_form=form, status=400)


@login_required
@require_POST
def import_batch_reject(request, deal_code, pk):
    deal, batch = _decide(request, deal_code, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            batch_reject(batch=batch, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            return _detail(request, deal, batch, reject_form=form, errors=e.messages, status=400)
        messages.success(request, f"Importbatch {batch.pk} is afgewezen; er telt niets van mee.")
        return redirect("finance:import-batch-detail", deal.code, batch.pk)
    return _detail(request, deal, batch, reject_form=form, status=400)
