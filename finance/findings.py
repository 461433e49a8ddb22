"""Findings: what looks wrong in a deal's data, each in one Dutch sentence with a link to its cause.

One small function per kind; ``deal_findings`` runs them in a fixed order and sorts the result by
kind (FINDING_KINDS), keeping each kind's own order. Figures come from the one finance selector
(``deal_figures``); a caller that has them already (the dashboard) passes them in. Nine queries
whatever the size of the deal: the five of deal_figures, the late payouts and bestedingen, the public
co-financing outside the kassier, the tranches waiting or approved above the budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from finance.models import Booking, Funder, Tranche
from finance.selectors import CENT, DealFigures, Figures, _Urls, booking_list_url, deal_figures
from finance.selectors_cofinancing import public_cofinancing_outside_kassier
from projects.models import Deal, Project
from projects.templatetags.money import format_euro

PENDING_TOO_LONG_DAYS = 14

FINDING_KINDS = {
    "besteed_boven_uitgekeerd": "Besteed meer dan uitgekeerd",
    "uitgekeerd_boven_begroot": "Uitgekeerd meer dan begroot",
    "uitgekeerd_boven_gecommitteerd": "Uitgekeerd meer dan gecommitteerd (toegekend)",
    "zonder_begroting": "Boekingen voor een financier zonder begroting op dit project",
    "tranche_wacht": f"Tranche wacht langer dan {PENDING_TOO_LONG_DAYS} dagen op goedkeuring",
    "einddatum_voorbij": "Project voorbij de einddatum met begroting die niet is uitgekeerd",
    "na_afsluiting": "Project of boeking na de financiële afsluiting van de deal",
    "cofinanciering_te_laag": "Publieke cofinanciering lager dan de bijdrage van het Rijk",
    "tranche_overschrijding": "Tranche goedgekeurd boven de begroting",
}


@dataclass
class Finding:
    soort: str  # a key of FINDING_KINDS
    omschrijving: str
    project: Project | None = None
    funder: Funder | None = None
    amount: Decimal | None = None
    url: str | None = None

    @property
    def soort_label(self) -> str:
        return FINDING_KINDS[self.soort]


class _Scope:
    """What every kind of finding reads: the deal, its figures as of the ijkdatum, and the links."""

    def __init__(self, deal: Deal, as_of: date, today: date, figures: DealFigures):
        self.deal, self.as_of, self.today, self.figures = deal, as_of, today, figures
        self.urls = _Urls(deal)
        self.funders = {row.funder.pk: row.funder for row in figures.per_funder}
        self.projects = figures.projects

    def bookings_url(self, project: Project | None = None, funder: Funder | None = None, *, whole_deal=False, **extra):
        """The bookings behind a finding; without a project those of the deal level, or all (``whole_deal``)."""
        return booking_list_url(
            self.deal,
            base=self.urls.bookings,
            project=project.code if project else None,
            dealniveau="1" if project is None and not whole_deal else None,
            financier=funder.pk if funder else None,
            tot=self.as_of.isoformat(),
            **extra,
        )

    def cells(self):
        """(project or None, funder, where in words, figures) per project x funder, by code and funder order."""
        projects, funders = self.projects, self.funders
        for (project_id, funder_id), cell in sorted(
            self.figures._cells.items(),
            key=lambda item: (projects[item[0][0]].code if item[0][0] else "", funders[item[0][1]].order),
        ):
            project = projects.get(project_id)
            where = f"project {project.code} {project.name}" if project else "dealniveau (buiten programma's)"
            yield project, funders[funder_id], where, cell


def deal_findings(*, deal: Deal, as_of: date, today: date, figures: DealFigures | None = None) -> list[Finding]:
    """Data-quality findings of a deal: figures as of ``as_of``; waiting times measured up to ``today``."""
    scope = _Scope(deal, as_of, today, figures or deal_figures(deal=deal, as_of=as_of))
    findings = [
        *_spent_beyond_paid_per_funder(scope),
        *_cell_budget_findings(scope),
        *_spent_beyond_paid_per_cell(scope),
        *_project_dates(scope),
        *_after_closing(scope),
        *_rijk_match(scope),
        *_tranches(scope),
    ]
    order = list(FINDING_KINDS)
    findings.sort(key=lambda f: order.index(f.soort))
    return findings


def _spent_beyond_paid_per_funder(scope: _Scope) -> list[Finding]:
    """Per funder over the whole deal (the Tabel 1 view): besteed more than uitgekeerd."""
    return [
        Finding(
            "besteed_boven_uitgekeerd",
            f"Van {row.funder} is in de hele deal {format_euro(row.figures.besteed)} besteed, "
            f"{format_euro(row.figures.besteed - row.figures.uitgekeerd)} meer dan uitgekeerd "
            f"({format_euro(row.figures.uitgekeerd)}).",
            None,
            row.funder,
            row.figures.besteed - row.figures.uitgekeerd,
            scope.bookings_url(funder=row.funder, whole_deal=True),
        )
        for row in scope.figures.per_funder
        if row.figures.besteed > row.figures.uitgekeerd
    ]


def _cell_budget_findings(scope: _Scope) -> list[Finding]:
    """Per project x funder, the first that applies: no begroting, paid beyond it, paid beyond the toekenning."""
    findings = []
    for project, funder, where, cell in scope.cells():
        url = scope.bookings_url(project, funder)
        finding = (
            _without_budget(cell, where, project, funder, url)
            or _paid_beyond_budget(cell, where, project, funder, url)
            or _paid_beyond_commitment(cell, where, project, funder, url)
        )
        if finding:
            findings.append(finding)
    return findings


def _without_budget(cell: Figures, where: str, project, funder, url: str) -> Finding | None:
    if cell.begroot > 0 or not (cell.gecommitteerd or cell.uitgekeerd or cell.besteed):
        return None
    parts = [
        f"{label} {format_euro(value)}"
        for label, value in (
            ("gecommitteerd", cell.gecommitteerd),
            ("uitgekeerd", cell.uitgekeerd),
            ("besteed", cell.besteed),
        )
        if value
    ]
    return Finding(
        "zonder_begroting",
        f"{funder} heeft geen begroting op {where}, maar wel {', '.join(parts)}.",
        project,
        funder,
        max(cell.uitgekeerd, cell.besteed, cell.gecommitteerd),
        url,
    )


def _paid_beyond_budget(cell: Figures, where: str, project, funder, url: str) -> Finding | None:
    if cell.uitgekeerd <= cell.begroot:
        return None
    return Finding(
        "uitgekeerd_boven_begroot",
        f"{funder} keerde op {where} {format_euro(cell.uitgekeerd)} uit, "
        f"{format_euro(cell.uitgekeerd - cell.begroot)} meer dan begroot ({format_euro(cell.begroot)}).",
        project,
        funder,
        cell.uitgekeerd - cell.begroot,
        url,
    )


def _paid_beyond_commitment(cell: Figures, where: str, project, funder, url: str) -> Finding | None:
    """Within the begroting, a payout still needs a toekenning that covers it."""
    if cell.uitgekeerd <= cell.gecommitteerd:
        return None
    return Finding(
        "uitgekeerd_boven_gecommitteerd",
        f"{funder} keerde op {where} {format_euro(cell.uitgekeerd)} uit, "
        f"{format_euro(cell.uitgekeerd - cell.gecommitteerd)} meer dan gecommitteerd "
        f"({format_euro(cell.gecommitteerd)}).",
        project,
        funder,
        cell.uitgekeerd - cell.gecommitteerd,
        url,
    )


def _spent_beyond_paid_per_cell(scope: _Scope) -> list[Finding]:
    return [
        Finding(
            "besteed_boven_uitgekeerd",
            f"Op {where} is van {funder} {format_euro(cell.besteed)} besteed, "
            f"{format_euro(cell.besteed - cell.uitgekeerd)} meer dan uitgekeerd ({format_euro(cell.uitgekeerd)}).",
            project,
            funder,
            cell.besteed - cell.uitgekeerd,
            scope.bookings_url(project, funder),
        )
        for project, funder, where, cell in scope.cells()
        if cell.besteed > cell.uitgekeerd
    ]


def _project_dates(scope: _Scope) -> list[Finding]:
    """A project past its end with begroting not paid out; a project planned beyond the financial closing."""
    deal, findings = scope.deal, []
    rows = {row.pk: row for row in scope.figures.per_project}
    for project in scope.projects.values():
        row, url = rows[project.pk], scope.urls.project(project.code)
        if project.end and project.end < scope.as_of and row.total.nog_uit_te_keren > 0:
            findings.append(
                Finding(
                    "einddatum_voorbij",
                    f"Project {project.code} {project.name} is volgens planning afgerond op {project.end:%d-%m-%Y}, "
                    f"maar {format_euro(row.total.nog_uit_te_keren)} van de begroting is nog niet uitgekeerd.",
                    project,
                    None,
                    row.total.nog_uit_te_keren,
                    url,
                )
            )
        if project.end and project.end > deal.financial_closing_date:
            findings.append(
                Finding(
                    "na_afsluiting",
                    f"Project {project.code} {project.name} loopt volgens planning tot {project.end:%d-%m-%Y}, na de "
                    f"financiële afsluiting van de deal ({deal.financial_closing_date:%d-%m-%Y}).",
                    project,
                    None,
                    None,
                    url,
                )
            )
    return findings


def _after_closing(scope: _Scope) -> list[Finding]:
    """Payouts and bestedingen dated after the financial closing (up to the ijkdatum), per project x funder x kind."""
    deal = scope.deal
    late = (
        Booking.objects.filter(
            deal=deal,
            kind__in=[Booking.Kind.PAYOUT, Booking.Kind.EXPENDITURE],
            date__gt=deal.financial_closing_date,
            date__lte=scope.as_of,
        )
        .order_by()
        .values("project_id", "funder_id", "kind")
        .annotate(total=Sum("amount"))
    )
    findings = []
    for item in late:
        project, funder = scope.projects.get(item["project_id"]), scope.funders[item["funder_id"]]
        where = f"project {project.code}" if project else "dealniveau"
        findings.append(
            Finding(
                "na_afsluiting",
                f"{Booking.Kind(item['kind']).label} van {funder} op {where} gedateerd na de financiële afsluiting "
                f"van de deal ({deal.financial_closing_date:%d-%m-%Y}).",
                project,
                funder,
                Decimal(item["total"]).quantize(CENT),
                scope.bookings_url(project, funder, soort=item["kind"]),
            )
        )
    return findings


def _rijk_match(scope: _Scope) -> list[Finding]:
    """Public co-financing (begroot, plus what is paid to projects outside the kassier) at least the Rijk's."""
    rijk = scope.figures.per_category["rijk"].begroot
    outside = public_cofinancing_outside_kassier(deal=scope.deal, as_of=scope.as_of)
    publiek = scope.figures.per_category["publiek"].begroot + outside
    if publiek >= rijk:
        return []
    including = f", waarvan {format_euro(outside)} buiten de kassier om" if outside else ""
    return [
        Finding(
            "cofinanciering_te_laag",
            f"De publieke cofinanciering van de deal ({format_euro(publiek)}{including}) is "
            f"{format_euro(rijk - publiek)} lager dan de bijdrage van het Rijk ({format_euro(rijk)}); "
            "het Rijk vraagt minstens evenveel.",
            None,
            None,
            rijk - publiek,
            booking_list_url(
                scope.deal, base=scope.urls.bookings, soort=Booking.Kind.BUDGET, tot=scope.as_of.isoformat()
            ),
        )
    ]


def _tranches(scope: _Scope) -> list[Finding]:
    """A tranche waiting too long for a controller; one approved above the budget, with its reason."""
    tranches = (
        Tranche.objects.filter(project__deal=scope.deal)
        .filter(
            Q(
                status=Tranche.Status.PENDING,
                registered_at__date__lt=scope.today - timedelta(days=PENDING_TOO_LONG_DAYS),
            )
            | (Q(status=Tranche.Status.APPROVED) & ~Q(override_reason=""))
        )
        .select_related("override_decision")
        .order_by("registered_at")
    )
    return [_tranche_finding(scope, tranche) for tranche in tranches]


def _tranche_finding(scope: _Scope, tranche: Tranche) -> Finding:
    project, funder = scope.projects.get(tranche.project_id), scope.funders[tranche.funder_id]
    url = reverse("finance:tranche-detail", args=[scope.deal.code, tranche.pk])
    what = f"Tranche {tranche.number} van project {project.code} voor {funder} ({format_euro(tranche.amount)})"
    if tranche.status == Tranche.Status.PENDING:
        days = (scope.today - timezone.localdate(tranche.registered_at)).days
        return Finding(
            "tranche_wacht", f"{what} wacht al {days} dagen op goedkeuring.", project, funder, tranche.amount, url
        )
    return Finding(
        "tranche_overschrijding",
        f"{what} is boven de begroting goedgekeurd{_by_decision(tranche.override_decision)}. "
        f"Reden: {tranche.override_reason}",
        project,
        funder,
        tranche.amount,
        url,
    )


def _by_decision(decision) -> str:
    # Overrides from before decisions were records have none.
    return f" bij besluit {decision.number} ({decision.date:%d-%m-%Y})" if decision else ""
