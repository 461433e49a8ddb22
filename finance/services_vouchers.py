"""Every write to the vouchers of a voucher scheme. Keyword-only, atomic, validated, with history.

A voucher lives on a project marked as voucher scheme, is dated within the deal, and moves
forward only: aangevraagd -> toegekend -> uitbetaald, or (before it is paid) vervallen.
What is toegekend or uitbetaald together never exceeds the scheme's begroting. That check
runs under a row lock on the scheme's project, so two grants at the same moment cannot
together pass it (the same reasoning as finance.services.lock_funder for payouts).
"""

from datetime import date as Date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from finance.models_vouchers import Voucher
from finance.permissions_vouchers import can_manage_vouchers
from finance.saving import save_with_history
from finance.selectors import project_figures
from finance.selectors_vouchers import COMMITTED, voucher_summary
from projects.models import Project
from projects.templatetags.money import format_euro

Status = Voucher.Status
NEXT = {
    Status.REQUESTED: (Status.GRANTED, Status.LAPSED),
    Status.GRANTED: (Status.PAID, Status.LAPSED),
    Status.PAID: (),
    Status.LAPSED: (),
}
FINAL_REASON = {
    Status.PAID: "Een uitbetaalde voucher is definitief: haar status verandert niet meer.",
    Status.LAPSED: "Een vervallen voucher blijft vervallen; vraagt de ontvanger opnieuw aan, leg dan een nieuwe "
    "voucher vast.",
}


def _require_manager(user: User, project: Project) -> None:
    if not can_manage_vouchers(user, project):
        raise PermissionDenied("Alleen de coördinator of de penvoerder van het project legt vouchers vast.")


def lock_scheme(project: Project) -> Project:
    """The scheme's row lock: every grant of the scheme serializes on it and reads the sums after."""
    return Project.objects.select_for_update().select_related("deal").get(pk=project.pk)


def voucher_field_errors(scheme: Project, *, recipient: str, date: Date | None, amount, reference: str) -> dict:
    errors: dict[str, str] = {}
    deal = scheme.deal
    if not scheme.is_voucher_scheme:
        errors["project"] = f"Project {scheme.code} is geen voucherregeling; alleen een voucherregeling heeft vouchers."
    if not recipient.strip():
        errors["recipient"] = "Vul de ontvanger in (bedrijf of persoon)."
    if amount is None or not isinstance(amount, Decimal) or amount <= 0:
        errors["amount"] = "Het bedrag van een voucher moet groter dan nul zijn."
    if date is None:
        errors["date"] = "Vul de aanvraagdatum in."
    elif not deal.start <= date <= deal.financial_closing_date:
        errors["date"] = (
            f"De datum {date:%d-%m-%Y} ligt buiten de looptijd van de deal "
            f"({deal.start:%d-%m-%Y} t/m {deal.financial_closing_date:%d-%m-%Y}, de financiële afsluiting)."
        )
    if reference and (other := scheme.vouchers.filter(reference=reference).first()):
        errors["reference"] = f"Kenmerk '{reference}' is in deze regeling al gebruikt (voucher voor {other.recipient})."
    return errors


def check_scheme_budget(scheme: Project, *, adding: Decimal) -> None:
    """Granted plus paid, with ``adding`` on top, stays within the scheme's begroot (all funders)."""
    begroot = project_figures(project=scheme, as_of=Date.max).total.begroot
    committed = voucher_summary(project=scheme).committed_amount
    if committed + adding > begroot:
        room = max(begroot - committed, Decimal("0.00"))
        raise ValidationError(
            {
                "amount": f"Met deze voucher van {format_euro(adding)} komt wat in regeling {scheme.code} is "
                f"toegekend of uitbetaald op {format_euro(committed + adding)}, meer dan de begroting "
                f"({format_euro(begroot)}). Er is nog {format_euro(room)} ruimte."
            }
        )


def voucher_create(
    *,
    project: Project,
    recipient: str,
    date: Date,
    amount: Decimal,
    user: User,
    status: str = Status.REQUESTED,
    reference: str = "",
    note: str = "",
) -> Voucher:
    """A voucher of a scheme; entered with any status, so that older vouchers can be recorded as they stand."""
    with transaction.atomic():
        _require_manager(user, project)
        scheme = lock_scheme(project)
        reference = reference.strip()
        errors = voucher_field_errors(scheme, recipient=recipient, date=date, amount=amount, reference=reference)
        if status not in Status.values:
            errors["status"] = f"Onbekende status '{status}'; kies uit: {', '.join(Status.values)}."
        if errors:
            raise ValidationError(errors)
        if status in COMMITTED:
            check_scheme_budget(scheme, adding=amount)
        voucher = Voucher(
            project=scheme, recipient=recipient.strip(), date=date, amount=amount, status=status,
            reference=reference, note=note.strip(), created_by=user,
        )  # fmt: skip
        save_with_history(voucher, user)
        return voucher


def transition_error(current: str, wanted: str) -> str | None:
    """Why a voucher cannot go from ``current`` to ``wanted``, or None when it can."""
    current, wanted = Status(current), Status(wanted)
    if wanted in NEXT[current]:
        return None
    if current == wanted:
        return f"De voucher is al {current.label.lower()}."
    if current in FINAL_REASON:
        return FINAL_REASON[current]
    allowed = " of ".join(s.label.lower() for s in NEXT[current])
    if current == Status.REQUESTED and wanted == Status.PAID:
        return f"Een aangevraagde voucher wordt eerst toegekend en pas daarna uitbetaald (nu kan: {allowed})."
    return f"Van {current.label.lower()} terug naar {wanted.label.lower()} kan niet; nu kan: {allowed}."


def voucher_set_status(*, voucher: Voucher, status: str, user: User) -> Voucher:
    """Moves the voucher one step forward; granting it checks the scheme's begroting."""
    with transaction.atomic():
        _require_manager(user, voucher.project)
        if status not in Status.values:
            raise ValidationError({"status": f"Onbekende status '{status}'; kies uit: {', '.join(Status.values)}."})
        scheme = lock_scheme(voucher.project)
        current = Voucher.objects.select_for_update().get(pk=voucher.pk)  # the status as it stands now
        if problem := transition_error(current.status, status):
            raise ValidationError({"status": problem})
        if status in COMMITTED and current.status not in COMMITTED:
            check_scheme_budget(scheme, adding=current.amount)
        current.status = status
        save_with_history(current, user)
        return current
