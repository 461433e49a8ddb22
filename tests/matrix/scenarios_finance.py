"""Actions on money: bookings, tranches, conditions, decisions, imports, vouchers, co-financing, years."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finance.models import (
    Booking,
    ConditionEvidence,
    ConditionType,
    ConditionWaiver,
    DirectCoFinancing,
    ImportBatch,
    ProjectCondition,
    Tranche,
)
from finance.models_vouchers import Voucher
from finance.models_years import Rollover, YearPlan
from projects.models import Deal
from tests.matrix import samples
from tests.matrix.registry import Cell, scenario


def _deal(deal):
    return {"deal_code": deal.code}


def _project(deal):
    return {"deal_code": deal.code, "project_code": samples.SAMPLE_PROJECT}


def _state(model, pk, field="status"):
    return lambda: model.objects.values_list(field, flat=True).get(pk=pk)


def _count(queryset):
    return lambda: queryset.count()


def _upload_then_token(url: str, field: str, data: bytes, session_key: str, payload: dict):
    """before_post: upload as the logged-in persona, so that its session holds the pending file,
    and put that session's token into the confirm POST (the page's hidden field does the same)."""

    def before_post(client):
        client.post(url, {field: SimpleUploadedFile("matrix.xlsx", data)})
        payload["token"] = client.session.get(session_key, {}).get("token", "")

    return before_post


# ------------------------------------------------------------------ bookings


@scenario("finance:booking-correct", get="correct_booking", post="correct_booking")
def _booking_correct(deal, personas):
    booking = samples.expenditure(deal)  # a besteding: corrected without a decision
    return Cell(
        kwargs={**_deal(deal), "pk": booking.pk},
        payload={"amount": "1.00", "reason": "Matrix: te hoog geboekt"},
        observe=_count(Booking.objects.filter(correction_of=booking)),
    )


# The project is chosen in the form: a themalijnmanager of another programme gets the form back.
@scenario("finance:expenditure-create", get="book_expenditure", post="book_expenditure", form_chooses_object=True)
def _expenditure_create(deal, personas):
    project = samples.project(deal)
    payload = {
        "project": project.pk, "funder": samples.rijk(deal).pk, "period_start": "2023-01-01",
        "period_last_day": "2023-06-30", "amount": "2500.00", "date": "2023-07-15", "reference": "MATRIX-B1",
        "note": "",
    }  # fmt: skip
    return Cell(kwargs=_deal(deal), payload=payload, observe=_count(project.bookings.filter(kind="besteding")))


# ------------------------------------------------------------------ tranches


# The project is chosen in the form; only the kassier registers, for any project of the deal.
@scenario("finance:tranche-register", get="register_tranche", post="register_tranche", form_chooses_object=True)
def _tranche_register(deal, personas):
    project = samples.project(deal)
    payload = {
        "project": project.pk, "funder": samples.rijk(deal).pk, "amount": "1000.00", "date": "2023-05-01",
        "number": "", "note": "", "bewijs-TOTAL_FORMS": "2", "bewijs-INITIAL_FORMS": "0",
        "bewijs-MIN_NUM_FORMS": "0", "bewijs-MAX_NUM_FORMS": "10",
    }  # fmt: skip
    return Cell(kwargs=_deal(deal), payload=payload, observe=_count(project.tranches.all()))


# Who made the object decides what refusing the persona of that role proves: made by the persona
# itself, four eyes refuse it; made by a second holder of the role, only the role rule does.
MADE_BY = {"eigen": lambda personas, role: personas[role], "tweede": lambda personas, role: samples.second_person(role)}


def _tranche_cell(deal, personas, variant, payload):
    tranche = samples.pending_tranche(deal, personas, by=MADE_BY[variant](personas, "kassier"))
    return Cell(kwargs={**_deal(deal), "pk": tranche.pk}, payload=payload, observe=_state(Tranche, tranche.pk))


for _variant in MADE_BY:
    scenario("finance:tranche-approve", get=None, post="approve_tranche", variant=f"{_variant} kassier")(
        lambda deal, personas, v=_variant: _tranche_cell(deal, personas, v, {"override_reason": ""})
    )
    # Rejecting is the same four-eyes step.
    scenario("finance:tranche-reject", get=None, post="approve_tranche", variant=f"{_variant} kassier")(
        lambda deal, personas, v=_variant: _tranche_cell(deal, personas, v, {"reason": "Matrix: niet getekend"})
    )


# ------------------------------------------------------------------ conditions


@scenario("finance:condition-types", get="read_finance", post="set_up_conditions")
def _condition_types(deal, personas):
    return Cell(
        kwargs=_deal(deal),
        payload={"name": "Matrix: nieuwe voorwaarde", "kind": ConditionType.Kind.REFERENCE, "description": ""},
        observe=_count(ConditionType.objects.filter(deal=deal)),
    )


@scenario("finance:project-condition-add", get=None, post="set_up_conditions")
def _project_condition_add(deal, personas):
    condition_type = samples.reference_condition_type(deal)  # not yet applied to 1310
    return Cell(
        kwargs=_project(deal),
        payload={"condition_type": condition_type.pk, "from_number": "1", "funder": "", "note": "Matrix"},
        observe=_count(ProjectCondition.objects.filter(project=samples.project(deal))),
    )


@scenario("finance:evidence-supply", get=None, post="supply_evidence")
def _evidence_supply(deal, personas):
    condition = samples.reference_condition_of_sample(deal)  # a kenmerk is proof enough: no file to store
    return Cell(
        kwargs=_project(deal),
        payload={"condition": condition.pk, "reference": "MATRIX-SB-1", "note": ""},
        observe=_count(ConditionEvidence.objects.filter(condition=condition)),
    )


@scenario("finance:condition-waive", get=None, post="waive_condition")
def _condition_waive(deal, personas):
    condition = samples.condition_of_sample(deal)
    return Cell(
        kwargs=_project(deal),
        payload={"condition": condition.pk, "decision": samples.a_decision(deal).pk, "tranche": "", "note": "Matrix"},
        observe=_count(ConditionWaiver.objects.filter(condition=condition)),
    )


def _evidence_cell(deal, personas, variant):
    evidence = samples.supplied_evidence(deal, personas, by=MADE_BY[variant](personas, "kassier"))
    return Cell(
        kwargs={**_deal(deal), "pk": evidence.pk},
        payload={"verdict": "akkoord", "reason": ""},
        observe=_state(ConditionEvidence, evidence.pk, "state"),
    )


# Supplied by a kassier: only a controller checks it.
for _variant in MADE_BY:
    scenario("finance:evidence-check", get=None, post="check_evidence", variant=f"{_variant} kassier")(
        lambda deal, personas, v=_variant: _evidence_cell(deal, personas, v)
    )


# ------------------------------------------------------------------ import batches


def _batch_cell(deal, personas, variant, payload):
    batch = samples.waiting_import_batch(deal, personas, by=MADE_BY[variant](personas, "coordinator"))
    return Cell(kwargs={**_deal(deal), "pk": batch.pk}, payload=payload(batch), observe=_state(ImportBatch, batch.pk))


# Imported by a coordinator: a controller confirms it from its page (which carries the file's SHA-256),
# or rejects it (the same four-eyes step).
for _variant in MADE_BY:
    scenario("finance:import-batch-confirm", get=None, post="confirm_import", variant=f"{_variant} coordinator")(
        lambda deal, personas, v=_variant: _batch_cell(deal, personas, v, lambda batch: {"sha256": batch.sha256})
    )
    scenario("finance:import-batch-reject", get=None, post="confirm_import", variant=f"{_variant} coordinator")(
        lambda deal, personas, v=_variant: _batch_cell(
            deal, personas, v, lambda batch: {"reason": "Matrix: verkeerde datum"}
        )
    )


# ------------------------------------------------------------------ decisions and budgets


@scenario("finance:decision-create", get="decide", post="decide")
def _decision_create(deal, personas):
    # Without a document: nothing lands in storage.
    payload = {"number": "MATRIX-SG-1", "date": "2023-06-15", "body": "stuurgroep", "text": "Besluit voor de matrix."}
    return Cell(kwargs=_deal(deal), payload=payload, observe=_count(deal.decisions.all()))


@scenario("finance:budget-change", get="change_budget", post="change_budget")
def _budget_change(deal, personas):
    payload = {
        "funder": samples.rijk(deal).pk, "direction": "verhogen", "amount": "5000.00",
        "decision": samples.a_decision(deal).pk, "date": "2023-06-01", "reason": "Matrix: extra inzet",
    }  # fmt: skip
    return Cell(kwargs=_project(deal), payload=payload, observe=_count(samples.project(deal).bookings.all()))


# ------------------------------------------------------------------ the deal workbook

MATRIX_DEAL_NAME = "Cleantech Regio Deal (matrix)"


def _deal_name(deal):
    return lambda: Deal.objects.values_list("name", flat=True).get(pk=deal.pk)


# The first step only checks and previews: nothing changes until the confirmation.
@scenario("finance:workbook-import", get="import_workbook", post="import_workbook", post_ok=(200,), post_changes=False)
def _workbook_import(deal, personas):
    return Cell(
        files={"werkmap": ("werkmap.xlsx", samples.renamed_deal_workbook(deal, MATRIX_DEAL_NAME))},
        observe=_deal_name(deal),
    )


@scenario("finance:workbook-import-confirm", get=None, post="import_workbook")
def _workbook_import_confirm(deal, personas):
    data = samples.renamed_deal_workbook(deal, MATRIX_DEAL_NAME)  # the only change: the deal's name
    payload = {}
    before = _upload_then_token(reverse("finance:workbook-import"), "werkmap", data, "finance_workbook_import", payload)
    return Cell(payload=payload, before_post=before, observe=_deal_name(deal))


# ------------------------------------------------------------------ vouchers


@scenario("finance:voucher-add", get=None, post="write_vouchers")
def _voucher_add(deal, personas):
    scheme = samples.voucher_scheme(deal)
    payload = {
        "recipient": "Matrix BV", "date": (deal.start + timedelta(days=30)).isoformat(), "amount": "750.50",
        "status": Voucher.Status.REQUESTED, "reference": "", "note": "",
    }  # fmt: skip
    return Cell(kwargs=_project(deal), payload=payload, observe=_count(scheme.vouchers.all()))


@scenario("finance:voucher-status", get=None, post="write_vouchers")
def _voucher_status(deal, personas):
    voucher = samples.requested_voucher(deal, personas)
    return Cell(
        kwargs={**_project(deal), "pk": voucher.pk},
        payload={"status": Voucher.Status.GRANTED},
        observe=_state(Voucher, voucher.pk),
    )


# The first step only checks and previews: nothing changes until the confirmation.
@scenario("finance:voucher-import", get="write_vouchers", post="write_vouchers", post_ok=(200,), post_changes=False)
def _voucher_import(deal, personas):
    scheme = samples.voucher_scheme(deal)
    return Cell(
        kwargs=_project(deal),
        files={"bestand": ("vouchers.xlsx", samples.voucher_file(deal))},
        observe=_count(scheme.vouchers.all()),
    )


@scenario("finance:voucher-import-confirm", get=None, post="write_vouchers")
def _voucher_import_confirm(deal, personas):
    scheme = samples.voucher_scheme(deal)
    payload = {}
    url = reverse("finance:voucher-import", kwargs=_project(deal))
    before = _upload_then_token(url, "bestand", samples.voucher_file(deal), "finance_voucher_import", payload)
    return Cell(kwargs=_project(deal), payload=payload, before_post=before, observe=_count(scheme.vouchers.all()))


# ------------------------------------------------------------------ co-financing outside the kassier


@scenario("finance:cofinancing-pledge", get=None, post="write_cofinancing")
def _cofinancing_pledge(deal, personas):
    funder = deal.funders.exclude(category="rijk").order_by("order").first()  # the Rijk goes through the kassier
    payload = {"funder": funder.pk, "amount": "12500.50", "pledged_on": (deal.start + timedelta(days=5)).isoformat()}
    pledges = DirectCoFinancing.objects.filter(project=samples.project(deal))
    return Cell(kwargs=_project(deal), payload=payload, observe=_count(pledges))


@scenario("finance:cofinancing-realise", get=None, post="write_cofinancing")
def _cofinancing_realise(deal, personas):
    item = samples.pledge_with_document(deal, personas)
    prefix = f"r{item.pk}"
    payload = {f"{prefix}-realised_on": "2022-03-01", f"{prefix}-evidence_reference": "MATRIX-CF-1"}
    return Cell(kwargs={**_project(deal), "pk": item.pk}, payload=payload, observe=_state(DirectCoFinancing, item.pk))


# ------------------------------------------------------------------ money per year


@scenario("finance:year-plan-set", get=None, post="plan_years")
def _year_plan_set(deal, personas):
    payload = {"jaar-funder": samples.rijk(deal).pk, "jaar-year": "2022", "jaar-budget": "50000", "jaar-forecast": ""}
    return Cell(
        kwargs=_project(deal), payload=payload, observe=_count(YearPlan.objects.filter(project=samples.project(deal)))
    )


@scenario("finance:rollover-create", get=None, post="rollover")
def _rollover_create(deal, personas):
    year = samples.unspent_year(deal, personas)  # closed, 1.000 planned, nothing spent
    payload = {
        "door-funder": samples.rijk(deal).pk, "door-from_year": str(year), "door-amount": "300",
        "door-decision": samples.a_decision(deal).pk, "door-note": "",
    }  # fmt: skip
    return Cell(
        kwargs=_project(deal), payload=payload, observe=_count(Rollover.objects.filter(project=samples.project(deal)))
    )
