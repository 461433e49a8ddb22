"""What stands between a tranche and its approval: each required condition and its state.

One function decides the state of a condition for a tranche (``_status``); the tranche page,
the project's conditions page and the approval gate in finance.services all read it, so the
screen says exactly what the gate enforces.

A "verslag over de vorige periode goedgekeurd" condition is read from the progress workflow
itself: the reporting period that ended last on or before the tranche's date must have an
approved verslag of the project. When no period has ended yet there is nothing to report on,
so the condition does not block (and the screen says so).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from finance.models import ConditionEvidence, ConditionType, ConditionWaiver, ProjectCondition, Tranche
from projects.models import ProgressReport, Project, ReportingPeriod

MISSING = "ontbreekt"
SUPPLIED = "bewijs aangeleverd"
CHECKED = "gecontroleerd"
WAIVED = "vrijgesteld"
REPORT_APPROVED = "verslag goedgekeurd"
NO_PERIOD = "nog geen periode"

BLOCKING = {MISSING, SUPPLIED}


@dataclass(frozen=True)
class ConditionStatus:
    condition: ProjectCondition
    state: str
    detail: str = ""
    evidence: ConditionEvidence | None = None
    waiver: ConditionWaiver | None = None

    @property
    def blocks(self) -> bool:
        return self.state in BLOCKING

    @property
    def label(self) -> str:
        if self.state == WAIVED:
            return f"vrijgesteld bij besluit {self.waiver.decision.number}"
        return self.state

    @property
    def name(self) -> str:
        return self.condition.condition_type.name


@dataclass
class _ReportFacts:
    """The deal's reporting periods (by end) and the periods with an approved verslag of the project."""

    periods: list[ReportingPeriod] = field(default_factory=list)
    approved_period_ids: set[int] = field(default_factory=set)

    def previous_period(self, day) -> ReportingPeriod | None:
        ended = [p for p in self.periods if p.end <= day]
        return ended[-1] if ended else None


def _conditions(project_id: int) -> list[ProjectCondition]:
    """Every condition of the project with its evidence and waivers (three queries)."""
    return list(
        ProjectCondition.objects.filter(project_id=project_id)
        .select_related("condition_type", "funder", "project")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=ConditionEvidence.objects.select_related("supplied_by", "checked_by", "tranche").order_by(
                    "supplied_at", "pk"
                ),
            ),
            Prefetch(
                "waivers",
                queryset=ConditionWaiver.objects.select_related("decision", "waived_by", "tranche").order_by(
                    "waived_at", "pk"
                ),
            ),
        )
        .order_by("condition_type__name", "from_number", "pk")
    )


def _report_facts(project: Project, conditions: list[ProjectCondition]) -> _ReportFacts:
    if not any(c.condition_type.kind == ConditionType.Kind.REPORT for c in conditions):
        return _ReportFacts()
    approved = ProgressReport.objects.filter(project=project, state=ProgressReport.State.APPROVED)
    return _ReportFacts(
        periods=list(ReportingPeriod.objects.filter(deal_id=project.deal_id).order_by("end")),
        approved_period_ids=set(approved.values_list("period_id", flat=True)),
    )


def _latest(evidence: list[ConditionEvidence], state: str) -> ConditionEvidence | None:
    matching = [e for e in evidence if e.state == state]
    return matching[-1] if matching else None


def _status(condition: ProjectCondition, tranche: Tranche, facts: _ReportFacts) -> ConditionStatus:
    waiver = next((w for w in condition.waivers.all() if w.tranche_id in (None, tranche.pk)), None)
    if condition.condition_type.kind == ConditionType.Kind.REPORT:
        period = facts.previous_period(tranche.date)
        if period is None:
            return ConditionStatus(condition, NO_PERIOD, "vóór de uitkeringsdatum is geen rapportageperiode afgelopen")
        if period.pk in facts.approved_period_ids:
            return ConditionStatus(condition, REPORT_APPROVED, f"het verslag over {period} is goedgekeurd")
        if waiver:
            return ConditionStatus(condition, WAIVED, waiver.note, waiver=waiver)
        return ConditionStatus(condition, MISSING, f"het verslag over {period} is nog niet goedgekeurd")
    evidence = list(condition.evidence.all())
    if checked := _latest(evidence, ConditionEvidence.State.CHECKED):
        when = checked.checked_at.strftime("%d-%m-%Y")
        return ConditionStatus(condition, CHECKED, f"door {checked.checked_by} op {when}", evidence=checked)
    if waiver:
        return ConditionStatus(condition, WAIVED, waiver.note, waiver=waiver)
    if supplied := _latest(evidence, ConditionEvidence.State.SUPPLIED):
        return ConditionStatus(condition, SUPPLIED, "wacht op controle door een controller", evidence=supplied)
    if rejected := _latest(evidence, ConditionEvidence.State.REJECTED):
        return ConditionStatus(condition, MISSING, f"bewijs afgekeurd: {rejected.rejection_reason}", evidence=rejected)
    return ConditionStatus(condition, MISSING, "nog geen bewijs aangeleverd")


def tranche_condition_states(tranche: Tranche) -> list[ConditionStatus]:
    """Every condition that applies to this tranche, with its state now."""
    conditions = [c for c in _conditions(tranche.project_id) if c.applies_to(tranche)]
    facts = _report_facts(tranche.project, conditions)
    return [_status(c, tranche, facts) for c in conditions]


def blocking_message(tranche: Tranche, states: list[ConditionStatus]) -> str | None:
    """Why the tranche cannot be approved yet, naming each condition; None when nothing blocks."""
    blocking = [s for s in states if s.blocks]
    if not blocking:
        return None
    reasons = "; ".join(f"voorwaarde '{s.name}' {s.label} ({s.detail})" for s in blocking)
    return (
        f"Tranche {tranche.number} van project {tranche.project.code} voor {tranche.funder} kan nog niet worden "
        f"goedgekeurd: {reasons}."
    )


@dataclass
class ProjectConditions:
    """The project's conditions page: every condition, and the pending tranches with their states."""

    conditions: list[ProjectCondition]
    pending: list[tuple[Tranche, list[ConditionStatus]]]


def project_conditions(project: Project) -> ProjectConditions:
    """A fixed number of queries however many conditions and pending tranches the project has."""
    conditions = _conditions(project.pk)
    pending = list(
        Tranche.objects.filter(project=project, status=Tranche.Status.PENDING)
        .select_related("funder", "project")
        .order_by("date", "pk")
    )
    facts = _report_facts(project, conditions)
    return ProjectConditions(
        conditions=conditions,
        pending=[(t, [_status(c, t, facts) for c in conditions if c.applies_to(t)]) for t in pending],
    )


def matching_condition(*, project: Project, tranche: Tranche, condition_type: ConditionType) -> ProjectCondition | None:
    """The project's condition of this type for this tranche's funder; the one that applies to it first."""
    candidates = list(
        ProjectCondition.objects.filter(project=project, condition_type=condition_type)
        .filter(Q(funder__isnull=True) | Q(funder_id=tranche.funder_id))
        .select_related("condition_type", "project")
        .order_by("from_number", "pk")
    )
    applying = [c for c in candidates if c.applies_to(tranche)]
    return (applying or candidates or [None])[0]
