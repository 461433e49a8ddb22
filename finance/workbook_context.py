"""What the rows of a deal workbook are checked against: the deal as it is, loaded once.

Every lookup a cell needs (a projectcode, a financier, a besluitnummer, a kenmerk) is a
dictionary filled here from the database and then by the sheets as they are read, so an
import costs a fixed number of queries however many rows it has.
"""

from collections import defaultdict
from decimal import Decimal

from django.contrib.auth.models import User

from finance.models import Booking, ConditionType, Funder, ImportBatch, ImportedPayout, Tranche
from finance.workbook_format import Sheet, booking_kenmerken
from projects.models import (
    ActionLine,
    Deal,
    Decision,
    Organisation,
    Programme,
    ProgrammeLine,
    Project,
    ReportingPeriod,
)


class ImportContext:
    """Everything the rows are checked against, loaded with a fixed number of queries."""

    def __init__(self, *, user: User | None):
        self.user = user
        self.deal: Deal | None = None
        self.organisations: dict[str, Organisation] = {}
        self.action_lines: dict[str, ActionLine] = {}
        self.programmes: dict[str, Programme] = {}
        self.programme_lines: dict[str, ProgrammeLine] = {}
        self.projects: dict[str, Project] = {}
        self.funders: dict[str, Funder] = {}
        self.decisions: dict[str, Decision] = {}  # number -> decision of the deal or of sheet 'besluiten'
        self.condition_types: dict[str, ConditionType] = {}  # name -> condition type of the deal or the sheet
        self.periods: dict[str, ReportingPeriod] = {}  # name -> reporting period of the deal or the sheet
        self.bookings: dict[str, dict[str, Booking]] = defaultdict(dict)  # kind -> kenmerk -> booking
        self.kenmerken: dict[int, str] = {}  # booking id -> kenmerk (see booking_kenmerken)
        self.ambiguous: dict[str, set[str]] = defaultdict(set)  # kind -> references used by several bookings
        self.tranche_numbers: dict[int, int] = {}  # booking id -> tranche number
        self.used_tranche_numbers: dict[tuple[str, str], set[int]] = defaultdict(set)  # (project, funder) -> numbers
        self.waiting_numbers: dict[tuple[str, str, int], str] = {}  # held in a waiting import batch -> its kenmerk
        self.extras: dict[str, list] = {}  # sheet name -> rows of finance/workbook_extras.py's sheets

    def new_organisation(self, name: str) -> Organisation:
        return Organisation(name=name)

    def load_organisations(self) -> None:
        self.organisations = {o.name.casefold(): o for o in Organisation.objects.all()}

    def load_deal(self, deal: Deal) -> None:
        """The existing structure and bookings of the deal (nothing to load for a new deal)."""
        self.deal = deal
        if deal.pk is None:
            return
        self.action_lines = {a.code.casefold(): a for a in ActionLine.objects.filter(deal=deal)}
        self.programmes = {p.code.casefold(): p for p in Programme.objects.filter(deal=deal)}
        self.programme_lines = {line.code.casefold(): line for line in ProgrammeLine.objects.filter(deal=deal)}
        self.projects = {p.code.casefold(): p for p in Project.objects.filter(deal=deal)}
        self.funders = {f.name.casefold(): f for f in Funder.objects.filter(deal=deal)}
        self.decisions = {d.number.casefold(): d for d in Decision.objects.filter(deal=deal)}
        self.periods = {p.name.casefold(): p for p in ReportingPeriod.objects.filter(deal=deal)}
        self.condition_types = {c.name.casefold(): c for c in ConditionType.objects.filter(deal=deal)}
        # Bookings get their related objects from the dictionaries above: no query per row.
        projects_by_id = {p.pk: p for p in self.projects.values()}
        funders_by_id = {f.pk: f for f in self.funders.values()}
        decisions_by_id = {d.pk: d for d in self.decisions.values()}
        bookings = list(Booking.objects.filter(deal=deal))
        for booking in bookings:
            booking.project = projects_by_id.get(booking.project_id)
            booking.funder = funders_by_id[booking.funder_id]
            booking.decision = decisions_by_id.get(booking.decision_id)
            booking.deal = deal
        self.kenmerken = booking_kenmerken((b.pk, b.kind, b.reference) for b in bookings)
        by_id = {b.pk: b for b in bookings}
        for booking in bookings:
            if booking.correction_of_id in by_id:
                original = by_id[booking.correction_of_id]
                original.corrected_amount = getattr(original, "corrected_amount", Decimal("0.00")) + booking.amount
        for booking in bookings:
            kenmerk = self.kenmerken[booking.pk]
            self.bookings[booking.kind][kenmerk.casefold()] = booking
            if kenmerk != booking.reference.strip() and booking.reference.strip():
                self.ambiguous[booking.kind].add(booking.reference.strip().casefold())
        for project_code, funder_name, number, booking_id in Tranche.objects.filter(project__deal=deal).values_list(
            "project__code", "funder__name", "number", "booking_id"
        ):
            self.used_tranche_numbers[(project_code.casefold(), funder_name.casefold())].add(number)
            if booking_id:
                self.tranche_numbers[booking_id] = number
        # Payouts waiting in an import batch will become tranches: their numbers are taken too.
        for project_code, funder_name, number, reference in ImportedPayout.objects.filter(
            batch__deal=deal, batch__status=ImportBatch.Status.WAITING
        ).values_list("project__code", "funder__name", "number", "reference"):
            self.used_tranche_numbers[(project_code.casefold(), funder_name.casefold())].add(number)
            self.waiting_numbers[(project_code.casefold(), funder_name.casefold(), number)] = reference.casefold()

    def registry(self, sheet: Sheet) -> dict:
        if sheet.is_booking:
            return self.bookings[sheet.kind]
        return {
            ActionLine: self.action_lines,
            Programme: self.programmes,
            ProgrammeLine: self.programme_lines,
            Project: self.projects,
            Funder: self.funders,
            ReportingPeriod: self.periods,
            Decision: self.decisions,
            ConditionType: self.condition_types,
        }[sheet.model]
