"""The sheets of the deal workbook beyond structure and ledger: money per year, money that does
not pass the kassier and amounts not known yet (README "Money per year", "Money that does not
pass the kassier").

jaarbegrotingen   YearPlan            set by the rules of finance.services_years.year_plan_set
doorschuivingen   Rollover            the rules of rollover_create: a decision, a closed year
cofinanciering    DirectCoFinancing   the rules of finance.services_cofinancing (no documents)
nog te bepalen    PendingAmount       the model's rules

Every one of these sheets is optional: missing, empty or only a header means "nothing of this
kind", so older workbooks still import. Cells are read here with the widgets of the other sheets;
the rules then read the ledger (a year plan stays within begroot, a rollover within what its year
left unspent), so they run after the rest of the workbook is written, in the same transaction:
finance.workbook saves everything in a savepoint and rolls it back for a check or when a row here
fails. Permission is the workbook's (finance.import_batches.importer_error: the coordinator), the
same role the services ask for; a new deal created by the import has no roles yet, which is why
the services' rule functions are called rather than the services themselves.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from finance.models_cofinancing import DirectCoFinancing
from finance.models_pending import PendingAmount
from finance.models_years import Rollover, YearPlan
from finance.resources import AmountWidget, ChoiceWidget, PositiveIntegerWidget, YesNoWidget
from finance.saving import save_with_history
from finance.services import decision_error, lock_funder
from finance.services_cofinancing import date_errors, evidence_errors, pledge_errors
from finance.services_years import closed_year_error, plan_errors, rollover_errors, year_error
from finance.workbook_context import ImportContext
from finance.workbook_format import (
    EXAMPLE_DECISION,
    Column,
    Sheet,
    _code_of,
    _date,
    _decision,
    _funder,
    _name_of,
    _number_of,
    _project,
    _text,
)
from finance.workbook_governance import GOVERNANCE_SHEET, governance_export_rows, save_governance
from finance.workbook_layout import SheetCount, WorkbookError, WorkbookReport, prepare_sheet
from finance.workbook_lines import DOUBLE_KEYS as LINE_DOUBLE_KEYS
from finance.workbook_lines import LINE_SHEETS, line_export_rows, save_funder_lines, save_line_periods
from finance.workbook_vouchers import VOUCHER_SHEET, save_vouchers, voucher_export_rows
from regiodeal.spreadsheets import RawSheet

NO_USER = "{what} worden vastgelegd op naam van wie importeert: geef een gebruiker op."
FIXED_COFINANCING = (
    "Deze cofinanciering staat al vast met andere gegevens ({changed}). Cofinanciering wordt niet gewijzigd; "
    "alleen een toezegging kan gerealiseerd worden gemeld."
)


def evidence_text(item: DirectCoFinancing) -> str:
    """The kenmerk bewijs as the workbook carries it: a document stays behind, its name goes along."""
    if item.evidence_reference or not item.evidence_document:
        return item.evidence_reference
    return f"document {item.evidence_document.name.rsplit('/', 1)[-1]}"


def _year():
    return lambda ctx: PositiveIntegerWidget(required=True, minimum=1900, maximum=2200)


def _yes_no(attribute):
    return lambda obj: "ja" if getattr(obj, attribute) else "nee"


EXTRA_SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "jaarbegrotingen",
        YearPlan,
        "project",
        "jaarbegroting",
        (
            Column("project", "project", _project(True), "Projectcode.", "1110", _code_of("project")),
            Column("financier", "funder", _funder(), "Naam van een financier.", "Rijk", _name_of("funder")),
            Column(
                "jaar", "year", _year(), "Kalenderjaar van de deal; één regel per project, financier en jaar.", 2021
            ),
            Column(
                "begroting",
                "budget",
                lambda ctx: AmountWidget(required=True),
                "Begroot in dit jaar. De jaren samen blijven binnen de begroting in 'begroting'. Een afgesloten "
                "jaar ligt vast zodra het een jaarbegroting heeft (de eerste keer mag).",
                Decimal("50000.00"),
            ),
            Column(
                "prognose",
                "forecast",
                lambda ctx: AmountWidget(),
                "Verwachte besteding in dit jaar; leeg: geen prognose.",
                Decimal("40000.00"),
            ),
        ),
    ),
    Sheet(
        "doorschuivingen",
        Rollover,
        "project",
        "doorschuiving",
        (
            Column("project", "project", _project(True), "Projectcode.", "1110", _code_of("project")),
            Column("financier", "funder", _funder(), "Naam van een financier.", "Rijk", _name_of("funder")),
            Column(
                "van jaar",
                "from_year",
                _year(),
                "Afgesloten jaar (vóór dit jaar) waarvan onbesteed geld naar het volgende jaar gaat.",
                2021,
            ),
            Column(
                "bedrag",
                "amount",
                lambda ctx: AmountWidget(required=True),
                "Bedrag, hoogstens wat het jaar onbesteed liet.",
                Decimal("10000.00"),
            ),
            Column(
                "besluit",
                "decision",
                _decision(required=True),
                "Nummer van het besluit waarop de doorschuiving berust (tabblad 'besluiten' of het register). "
                "Een doorschuiving wordt nooit gewijzigd; een bekende regel wordt overgeslagen.",
                EXAMPLE_DECISION,
                _number_of("decision"),
            ),
            Column("toelichting", "note", _text(), "Vrije toelichting.", ""),
        ),
    ),
    Sheet(
        "cofinanciering",
        DirectCoFinancing,
        "project",
        "cofinanciering",
        (
            Column("project", "project", _project(True), "Projectcode.", "1110", _code_of("project")),
            Column(
                "financier",
                "funder",
                _funder(),
                "Cofinancier die rechtstreeks aan het project betaalt (niet het Rijk).",
                "Provincie",
                _name_of("funder"),
            ),
            Column(
                "bedrag", "amount", lambda ctx: AmountWidget(required=True), "Bedrag, groter dan nul.", Decimal("5000")
            ),
            Column(
                "status",
                "status",
                lambda ctx: ChoiceWidget(DirectCoFinancing.Status, default=DirectCoFinancing.Status.PLEDGED),
                "toegezegd of gerealiseerd (met datum en kenmerk bewijs). Leeg: toegezegd.",
                DirectCoFinancing.Status.PLEDGED.value,
            ),
            Column("toegezegd op", "pledged_on", _date(True), "Datum van de toezegging.", datetime.date(2021, 2, 1)),
            Column("gerealiseerd op", "realised_on", _date(), "Datum van realisatie (alleen bij gerealiseerd).", ""),
            Column(
                "van vóór de deal",
                "before_deal_start",
                lambda ctx: YesNoWidget(),
                "ja: een investering van vóór de start van de deal die als cofinanciering meetelt.",
                "nee",
                _yes_no("before_deal_start"),
            ),
            Column(
                "kenmerk bewijs",
                "evidence_reference",
                _text(max_length=200),
                "Kenmerk van het bewijs; verplicht bij gerealiseerd. Bewijsstukken (documenten) gaan niet mee in "
                "de werkmap: voeg ze in het portaal toe. Een bewijs dat alleen een document is, gaat mee als "
                "'document <bestandsnaam>'.",
                "",
                evidence_text,
            ),
            Column("toelichting", "note", _text(), "Vrije toelichting.", ""),
        ),
    ),
    Sheet(
        "nog te bepalen",
        PendingAmount,
        "funder",
        "nog te bepalen bedrag",
        (
            Column(
                "project",
                "project",
                _project(False),
                "Projectcode; leeg: op dealniveau.",
                "1110",
                _code_of("project"),
            ),
            Column(
                "financier",
                "funder",
                _funder(),
                "Financier die bijdraagt zonder bekend bedrag.",
                "Rijk",
                _name_of("funder"),
            ),
            Column("toelichting", "note", _text(max_length=300), "Vrije toelichting.", ""),
        ),
    ),
)
# Each in its own module: programme lines' periods and funders, vouchers, governance.
EXTRA_SHEETS = (*EXTRA_SHEETS, *LINE_SHEETS, VOUCHER_SHEET, GOVERNANCE_SHEET)
EXTRA_SHEETS_BY_NAME = {s.name: s for s in EXTRA_SHEETS}
SAVED_WITH_AUTHOR = {"doorschuivingen": "Doorschuivingen", "cofinanciering": "Cofinanciering", "vouchers": "Vouchers"}


def extra_export_rows(deal) -> dict[str, list[list]]:
    querysets = {
        "jaarbegrotingen": YearPlan.objects.filter(project__deal=deal).order_by(
            "project__code", "funder__order", "year"
        ),
        "doorschuivingen": Rollover.objects.filter(project__deal=deal)
        .select_related("decision")
        .order_by("project__code", "funder__order", "from_year", "id"),
        "cofinanciering": DirectCoFinancing.objects.filter(project__deal=deal).order_by(
            "project__code", "pledged_on", "id"
        ),
        "nog te bepalen": PendingAmount.objects.filter(deal=deal).order_by("project__code", "funder__order"),
    }
    rows = {}
    for name, queryset in querysets.items():
        columns = EXTRA_SHEETS_BY_NAME[name].columns
        objects = queryset.select_related("project", "funder")
        rows[name] = [[c.value(obj) for c in columns] for obj in objects]
    return rows | line_export_rows(deal) | voucher_export_rows(deal) | governance_export_rows(deal)


# --------------------------------------------------------------------------- reading


@dataclass
class ExtraRow:
    row: int  # the spreadsheet row
    values: dict[str, Any]  # attribute -> value as the column's widget read it


def read_extra_sheets(raw_sheets: dict[str, RawSheet], ctx: ImportContext, report: WorkbookReport) -> None:
    """The cells of the extra sheets into ``ctx.extras``; the rules that read the ledger run in save_extras."""
    for sheet in EXTRA_SHEETS:
        raw = raw_sheets.get(sheet.name)
        if raw is None or not any(_filled(v) for row in raw.rows for v in row):
            continue  # optional: no sheet, or an empty one, is nothing of this kind
        prepared = prepare_sheet(sheet, raw, report.errors)
        if prepared is None or not prepared.excel_rows:
            continue
        headers = prepared.dataset.headers
        if any(c.header not in headers and c.widget(ctx).required for c in sheet.columns):
            continue  # reported on the header row
        rows = [
            _read_row(sheet, ctx, dict(zip(headers, values, strict=True)), row, report)
            for values, row in zip(prepared.dataset, prepared.excel_rows, strict=True)
        ]
        ctx.extras[sheet.name] = [r for r in rows if r is not None]
        _check_doubles(sheet, ctx.extras[sheet.name], report)
        report.counts.append(SheetCount(sheet.name))


def _filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _read_row(sheet: Sheet, ctx: ImportContext, cells: dict, row: int, report: WorkbookReport) -> ExtraRow | None:
    values, failed = {}, False
    for column in sheet.columns:
        try:
            values[column.attribute] = column.widget(ctx).clean(cells.get(column.header))
        except ValueError as e:
            report.errors.append(WorkbookError(sheet.name, row, column.header, str(e)))
            failed = True
    if not failed and sheet.model is DirectCoFinancing:
        failed = _check_status(sheet, values, row, report)
    return None if failed else ExtraRow(row, values)


def _check_status(sheet: Sheet, values: dict, row: int, report: WorkbookReport) -> bool:
    """The model's rule, located: gerealiseerd has a date of realisation, toegezegd has none."""
    realised = values["status"] == DirectCoFinancing.Status.REALISED
    if realised == (values["realised_on"] is not None):
        return False
    column, message = (
        ("gerealiseerd op", "Gerealiseerde cofinanciering heeft een datum van realisatie.")
        if realised
        else ("status", "Er staat een datum van realisatie: zet de status op gerealiseerd, of maak de datum leeg.")
    )
    report.errors.append(WorkbookError(sheet.name, row, column, message))
    return True


DOUBLE_KEYS = {
    "jaarbegrotingen": ("project", "funder", "year"),
    "nog te bepalen": ("project", "funder"),
    **LINE_DOUBLE_KEYS,
    "governance": ("body", "name"),
}


def _check_doubles(sheet: Sheet, rows: list[ExtraRow], report: WorkbookReport) -> None:
    attributes = DOUBLE_KEYS.get(sheet.name)
    if attributes is None:
        return  # two equal rollovers or pledges may both be real
    seen: dict[tuple, int] = {}
    for row in rows:
        key = tuple(id(row.values[a]) if isinstance(row.values[a], models.Model) else row.values[a] for a in attributes)
        if key in seen:
            headers = ", ".join(sheet.column(a).header for a in attributes)
            message = f"Dubbel: dezelfde {headers} staan ook op rij {seen[key]} van dit tabblad."
            report.errors.append(WorkbookError(sheet.name, row.row, sheet.column(attributes[-1]).header, message))
        seen.setdefault(key, row.row)


# --------------------------------------------------------------------------- checking and saving


class _SheetResult:
    """Errors and counts of one extra sheet, in the report."""

    def __init__(self, sheet: Sheet, report: WorkbookReport, user: User | None):
        self.sheet, self.report, self.user = sheet, report, user
        self.count = next(c for c in report.counts if c.sheet == sheet.name)

    def errors(self, row: ExtraRow, errors: dict) -> None:
        attributes = {c.attribute for c in self.sheet.columns}
        for attribute, messages in errors.items():
            if attribute == NON_FIELD_ERRORS or attribute not in attributes:
                attribute = self.sheet.key
            for message in [messages] if isinstance(messages, str) else messages:
                self.report.errors.append(
                    WorkbookError(self.sheet.name, row.row, self.sheet.column(attribute).header, message)
                )

    def save(self, row: ExtraRow, instance: models.Model, *, new: bool) -> None:
        if self.user is not None or self.sheet.name not in SAVED_WITH_AUTHOR:
            try:
                save_with_history(instance, self.user)  # full_clean (model rules and constraints), history author
            except ValidationError as e:
                self.errors(row, e.message_dict)
                return
        # Without a user (a check only) a rollover or pledge is checked but not written: it has no author.
        if new:
            self.count.new += 1
        else:
            self.count.changed += 1


def save_extras(ctx: ImportContext, report: WorkbookReport, user: User | None, *, commit: bool) -> None:
    """Checks every row of the extra sheets against the deal as just written, and writes it (same transaction)."""
    if commit and user is None:
        for name, what in SAVED_WITH_AUTHOR.items():
            if ctx.extras.get(name):
                report.errors.append(WorkbookError(name, ctx.extras[name][0].row, None, NO_USER.format(what=what)))
        if report.errors:
            return
    if commit:  # the lock the services take, in a fixed order
        funders = {r.values["funder"].pk for rows in ctx.extras.values() for r in rows if r.values.get("funder")}
        for funder_pk in sorted(funders):
            lock_funder(funder_pk)
    for sheet in EXTRA_SHEETS:
        rows = ctx.extras.get(sheet.name)
        if rows:
            SAVERS[sheet.name](rows, ctx, _SheetResult(sheet, report, user))


def _save_year_plans(rows: list[ExtraRow], ctx: ImportContext, result: _SheetResult) -> None:
    """year_plan_set's rules, in its order; rows are written one by one, so each sees the years before it."""
    for row in rows:
        project, funder, year, budget, forecast = (
            row.values[a] for a in ("project", "funder", "year", "budget", "forecast")
        )
        plan = YearPlan.objects.filter(project=project, funder=funder, year=year).first()
        new = plan is None
        plan = plan or YearPlan(project=project, funder=funder, year=year)
        errors = (
            year_error(project, year)
            or closed_year_error(plan, budget, forecast)
            or plan_errors(project, funder, year, budget)
        )
        if errors:
            result.errors(row, errors)
        elif not new and (plan.budget, plan.forecast) == (budget, forecast):
            result.count.unchanged += 1
        else:
            plan.budget, plan.forecast, plan.updated_by = budget, forecast, result.user
            result.save(row, plan, new=new)


def _rollover_key(project, funder, from_year, amount, decision, note) -> tuple:
    return (project.pk, funder.pk, from_year, amount, decision.pk, note.strip())


def _save_rollovers(rows: list[ExtraRow], ctx: ImportContext, result: _SheetResult) -> None:
    """rollover_create's rules. A rollover is never changed: a row equal to one on record is that one."""
    known: dict[tuple, int] = {}
    for r in Rollover.objects.filter(project__deal=ctx.deal).select_related("project", "funder", "decision"):
        key = _rollover_key(r.project, r.funder, r.from_year, r.amount, r.decision, r.note)
        known[key] = known.get(key, 0) + 1
    for row in rows:
        v = row.values
        key = _rollover_key(v["project"], v["funder"], v["from_year"], v["amount"], v["decision"], v["note"])
        if known.get(key):
            known[key] -= 1
            result.count.unchanged += 1
            continue
        project = v["project"]
        errors = rollover_errors(project, v["funder"], v["from_year"], v["amount"])
        if problem := decision_error(v["decision"], project.deal_id, "Doorschuiven naar een volgend jaar"):
            errors["decision"] = problem
        if errors:
            result.errors(row, errors)
            continue
        rollover = Rollover(
            project=project,
            funder=v["funder"],
            from_year=v["from_year"],
            to_year=v["from_year"] + 1,
            amount=v["amount"],
            decision=v["decision"],
            note=v["note"],
            created_by=result.user,
        )
        result.save(row, rollover, new=True)


def _save_pending(rows: list[ExtraRow], ctx: ImportContext, result: _SheetResult) -> None:
    known = {(p.project_id, p.funder_id): p for p in PendingAmount.objects.filter(deal=ctx.deal)}
    for row in rows:
        project, funder, note = row.values["project"], row.values["funder"], row.values["note"]
        pending = known.get((project.pk if project else None, funder.pk))
        if pending is not None and pending.note == note:
            result.count.unchanged += 1
            continue
        new = pending is None
        pending = pending or PendingAmount(deal=ctx.deal, project=project, funder=funder)
        pending.note = note
        result.save(row, pending, new=new)


def _pledge_errors(v: dict) -> dict[str, str]:
    """cofinancing_pledge's rules for a new pledge in the workbook: the service's own pledge_errors."""
    return pledge_errors(
        project=v["project"], funder=v["funder"], amount=v["amount"], pledged_on=v["pledged_on"],
        before_deal_start=v["before_deal_start"], realised_on=v["realised_on"],
        evidence_reference=v["evidence_reference"],
    )  # fmt: skip


def _realise_errors(item: DirectCoFinancing, v: dict) -> dict[str, str]:
    """cofinancing_realise's checks, for a pledge on record that the workbook reports realised."""
    errors = date_errors(item.project, before_deal_start=item.before_deal_start, realised_on=v["realised_on"])
    if v["realised_on"] < item.pledged_on and "realised_on" not in errors:
        errors["realised_on"] = f"De realisatie ligt vóór de toezegging ({item.pledged_on:%d-%m-%Y})."
    errors.update(evidence_errors(v["evidence_reference"], None))
    return errors


COMPARED = ("status", "realised_on", "evidence_reference", "note")


def _known_cofinancing(row: ExtraRow, item: DirectCoFinancing, result: _SheetResult) -> None:
    v = row.values
    now = {"status": item.status, "realised_on": item.realised_on, "evidence_reference": evidence_text(item)}
    now["note"] = item.note
    changed = [a for a in COMPARED if now[a] != v[a]]
    if not changed:
        result.count.unchanged += 1
    elif (
        item.status == DirectCoFinancing.Status.PLEDGED
        and v["status"] == DirectCoFinancing.Status.REALISED
        and ("note" not in changed)
    ):
        if errors := _realise_errors(item, v):
            result.errors(row, errors)
            return
        item.status, item.realised_on, item.realised_by = v["status"], v["realised_on"], result.user
        item.evidence_reference = v["evidence_reference"]
        result.save(row, item, new=False)
    else:
        headers = ", ".join(result.sheet.column(a).header for a in changed)
        result.errors(row, {changed[0]: FIXED_COFINANCING.format(changed=headers)})


def _save_cofinancing(rows: list[ExtraRow], ctx: ImportContext, result: _SheetResult) -> None:
    """A row equal in project, financier, bedrag, toegezegd op and 'van vóór de deal' to one on record is that one."""
    known: dict[tuple, list[DirectCoFinancing]] = {}
    items = DirectCoFinancing.objects.filter(project__deal=ctx.deal).select_related("project__deal").order_by("pk")
    for item in items:
        key = (item.project_id, item.funder_id, item.amount, item.pledged_on, item.before_deal_start)
        known.setdefault(key, []).append(item)
    for row in rows:
        v = row.values
        key = (v["project"].pk, v["funder"].pk, v["amount"], v["pledged_on"], v["before_deal_start"])
        if known.get(key):
            _known_cofinancing(row, known[key].pop(0), result)
        elif errors := _pledge_errors(v):
            result.errors(row, errors)
        else:
            realised = v["realised_on"] is not None
            item = DirectCoFinancing(
                **{a: v[a] for a in ("project", "funder", "amount", "status", "pledged_on", "realised_on")},
                before_deal_start=v["before_deal_start"],
                evidence_reference=v["evidence_reference"],
                note=v["note"],
                created_by=result.user,
                realised_by=result.user if realised else None,
            )
            result.save(row, item, new=True)


SAVERS = {
    "jaarbegrotingen": _save_year_plans,
    "doorschuivingen": _save_rollovers,
    "cofinanciering": _save_cofinancing,
    "nog te bepalen": _save_pending,
    "programmalijnperiodes": save_line_periods,
    "financiers per programmalijn": save_funder_lines,
    "vouchers": save_vouchers,
    "governance": save_governance,
}
