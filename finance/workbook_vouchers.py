"""The deal workbook's sheet 'vouchers': the vouchers of every voucher scheme of the deal.

The same rules as the project's own voucher import (finance/vouchers_import.py) and the browser:
the project is a voucher scheme, the date lies within the deal, toegekend plus uitbetaald stays
within the scheme's begroting (under the scheme's row lock), and an existing voucher is never
changed by a workbook: a row whose kenmerk exists with the same values is unchanged, with other
values an error (a status moves on in the portal, where each step is checked). A row without
kenmerk is the same voucher as one without kenmerk with the same ontvanger, datum, bedrag, status
and toelichting. An optional extra sheet of finance.workbook_extras; like the other extras it calls
the service's rule functions, because a deal created by the import has no roles yet.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from finance.models_vouchers import Voucher
from finance.resources import ChoiceWidget
from finance.selectors_vouchers import COMMITTED
from finance.services_vouchers import check_scheme_budget, lock_scheme, voucher_field_errors
from finance.vouchers_import import COMPARED, VoucherAmountWidget, voucher_differences, voucher_identity
from finance.workbook_format import Column, Sheet, _code_of, _date, _project, _text

VOUCHER_SHEET = Sheet(
    "vouchers",
    Voucher,
    "project",
    "voucher",
    (
        Column("project", "project", _project(True), "Code van een project dat een voucherregeling is.", "1110",
               _code_of("project")),
        Column("ontvanger", "recipient", _text(True, 200), "Bedrijf of persoon.", "Bedrijf Voorbeeld BV"),
        Column("datum", "date", _date(True), "Aanvraagdatum, binnen de looptijd van de deal.",
               datetime.date(2021, 3, 1)),
        Column("bedrag", "amount", lambda ctx: VoucherAmountWidget(required=True), "Bedrag, groter dan nul.",
               Decimal("5000.00")),
        Column("status", "status", lambda ctx: ChoiceWidget(Voucher.Status, default=Voucher.Status.REQUESTED),
               "aangevraagd, toegekend, uitbetaald of vervallen; leeg is aangevraagd.", Voucher.Status.REQUESTED.value),
        Column("kenmerk", "reference", _text(max_length=100), "Kenmerk, uniek in de regeling (mag leeg).", ""),
        Column("toelichting", "note", _text(), "Vrije toelichting.", ""),
    ),
)  # fmt: skip


def voucher_export_rows(deal) -> dict[str, list[list]]:
    vouchers = (
        Voucher.objects.filter(project__deal=deal).select_related("project").order_by("project__code", "date", "id")
    )
    return {"vouchers": [[c.value(v) for c in VOUCHER_SHEET.columns] for v in vouchers]}


def save_vouchers(rows, ctx, result) -> None:
    """Per row: unchanged, an error (a voucher on record with other values, a row twice), or a new voucher."""
    existing = {_key(v.project_id, vars(v)): v for v in Voucher.objects.filter(project__deal=ctx.deal)}
    seen: dict[tuple, int] = {}
    for row in rows:
        values = {**row.values, "reference": row.values["reference"].strip()}
        key = _key(values["project"].pk, values)
        if key in seen:
            result.errors(
                row, {"reference": f"Deze voucher staat ook op rij {seen[key]}; geef elke voucher een eigen kenmerk."}
            )
            continue
        seen[key] = row.row
        if (voucher := existing.get(key)) is not None:
            _known(row, voucher, values, result)
        else:
            _create(row, values, result)


def _key(project_id: int, values: dict) -> tuple:
    """A voucher with a kenmerk is known by it; one without by its ontvanger, datum, bedrag, status, toelichting."""
    return (project_id, values["reference"]) if values["reference"] else (project_id, voucher_identity(values))


def _known(row, voucher: Voucher, values: dict, result) -> None:
    if changed := voucher_differences(voucher, values):
        result.errors(
            row,
            {"reference": f"Kenmerk '{voucher.reference}' bestaat al in deze regeling met andere waarden "
             f"({'; '.join(changed)}). Een voucher verandert in het portaal, niet met een werkmap."},
        )  # fmt: skip
    else:
        result.count.unchanged += 1


def _create(row, values: dict, result) -> None:
    scheme = lock_scheme(values["project"])
    fields = {a: values[a] for a in ("recipient", "date", "amount", "reference")}
    errors = voucher_field_errors(scheme, **fields)
    if not errors and values["status"] in COMMITTED:
        try:
            check_scheme_budget(scheme, adding=values["amount"])
        except ValidationError as e:
            errors = e.message_dict
    if errors:
        result.errors(row, errors)
        return
    voucher = Voucher(
        project=scheme, created_by=result.user, **{a: values[a] for a in COMPARED}, reference=values["reference"]
    )
    result.save(row, voucher, new=True)
