"""The money rules a workbook import passes before anything is saved.

New uitkeringen are held for a controller (finance/import_batches.py), and a begroting
corrected in the workbook never drops below what was already paid out, under the same
funder lock the portal takes. ``readers`` are finance.workbook.SheetReader per sheet name.
"""

from decimal import Decimal

from finance.import_batches import check_held_payouts, importer_error
from finance.models import Booking
from finance.resources import format_amount
from finance.selectors import project_funder_figures
from finance.services import lock_funder
from finance.workbook_context import ImportContext
from finance.workbook_layout import WorkbookError, WorkbookReport


def held_payouts(ctx: ImportContext, readers: dict, report: WorkbookReport, user) -> list:
    """Who may save, and the new uitkeringen to hold for a controller (finance/import_batches.py)."""
    if user is not None and ctx.deal is not None and (problem := importer_error(user, ctx.deal)):
        report.errors.append(WorkbookError("deal", None, "code", problem))
    reader = readers.get("uitkeringen")
    if reader is None or reader.incomplete or ctx.deal is None:
        return []
    new = [(row, b) for row, b, is_new in reader.collected if is_new]
    payouts = [(r, b) for r, b in new if b.correction_of is None and not getattr(b, "correction_reference", "")]
    corrections = [(r, b) for r, b in new if b.correction_of is not None]
    held, problems = check_held_payouts(deal=ctx.deal, payouts=payouts, corrections=corrections)
    report.errors.extend(WorkbookError("uitkeringen", row, column, message) for row, column, message in problems)
    return held


def check_budget_covers_payouts(readers: dict, report: WorkbookReport, *, lock: bool) -> None:
    """A begroting corrected in the workbook never drops below what its project x funder has paid out.

    The same rule as a correction in the portal (finance.services.booking_correct), under the
    same funder lock when the import is about to save, so an approval cannot slip in between.
    """
    reader = readers.get("begroting")
    if reader is None or reader.incomplete:
        return
    change: dict[tuple[int, int], Decimal] = {}  # (project, funder) -> net change of begroot in the workbook
    last_correction: dict[tuple[int, int], tuple[int, Booking]] = {}
    for row, booking, new in reader.collected:
        if not new or booking.project is None or booking.project.pk is None or booking.funder.pk is None:
            continue  # a new project has nothing paid out yet
        pair = (booking.project.pk, booking.funder.pk)
        signed = -booking.amount if booking.correction_of is not None else booking.amount
        change[pair] = change.get(pair, Decimal("0.00")) + signed
        if booking.correction_of is not None:
            last_correction[pair] = (row, booking)
    for pair, (row, booking) in sorted(last_correction.items(), key=lambda item: item[0]):  # locks in a fixed order
        if lock:
            lock_funder(booking.funder.pk)
        figures = project_funder_figures(project=booking.project, funder=booking.funder)
        left = figures.begroot + change[pair]
        # Below zero only when a correction exceeds its own booking: reported as such in _resolve_bookings.
        if Decimal("0.00") <= left < figures.uitgekeerd:
            report.errors.append(
                WorkbookError(
                    "begroting",
                    row,
                    "bedrag",
                    f"Na de correcties is de begroting van project {booking.project.code} voor {booking.funder.name} "
                    f"{format_amount(left)}, minder dan er al is uitgekeerd ({format_amount(figures.uitgekeerd)}).",
                )
            )
