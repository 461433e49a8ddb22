"""Every write to the conditions that gate the money. Keyword-only, atomic, validated, with history.

The coordinator keeps the deal's condition types and says which apply to which project; the
kassier, the coordinator or the project's penvoerder supplies evidence; a controller who did
not supply it checks it; a waiver needs a decision of the same deal. ``check_conditions_met``
is the gate that finance.services.tranche_approve runs before any money moves.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from finance.models import ConditionEvidence, ConditionType, ConditionWaiver, Funder, ProjectCondition, Tranche
from finance.permissions import (
    can_check_evidence,
    can_manage_conditions,
    can_supply_evidence,
    can_waive_condition,
)
from finance.saving import save_with_history
from finance.selectors_conditions import blocking_message, matching_condition, tranche_condition_states
from finance.validators import validate_document
from projects.models import Deal, Decision, Project


def condition_type_create(*, deal: Deal, name: str, kind: str, user: User, description: str = "") -> ConditionType:
    with transaction.atomic():
        if not can_manage_conditions(user, deal):
            raise PermissionDenied("Alleen de coördinator beheert de voorwaarden van de deal.")
        condition_type = ConditionType(
            deal=deal, name=name.strip(), kind=kind, description=description.strip(), created_by=user
        )
        save_with_history(condition_type, user)
        return condition_type


def project_condition_add(
    *,
    project: Project,
    condition_type: ConditionType,
    user: User,
    from_number: int = 1,
    funder: Funder | None = None,
    note: str = "",
) -> ProjectCondition:
    """From tranche ``from_number`` on (1: every tranche), for one funder or (None) for all."""
    with transaction.atomic():
        if not can_manage_conditions(user, project.deal):
            raise PermissionDenied("Alleen de coördinator bepaalt welke voorwaarden voor een project gelden.")
        condition = ProjectCondition(
            project=project,
            condition_type=condition_type,
            from_number=from_number,
            funder=funder,
            note=note.strip(),
            created_by=user,
        )
        save_with_history(condition, user)
        return condition


def _proof_errors(condition_type: ConditionType, reference: str, document: UploadedFile | None) -> str | None:
    """What is wrong with this proof for this kind of condition, or None."""
    name = condition_type.name
    if condition_type.kind == ConditionType.Kind.REPORT:
        return (
            f"Voor '{name}' levert niemand bewijs aan: het portaal kijkt zelf of het verslag over de vorige "
            "periode is goedgekeurd."
        )
    if condition_type.kind == ConditionType.Kind.DOCUMENT and not document:
        return f"Voor '{name}' is een document nodig."
    if condition_type.kind == ConditionType.Kind.REFERENCE and not reference:
        return f"Voor '{name}' is een kenmerk of vindplaats nodig."
    if document:
        try:
            validate_document(document)
        except ValidationError as e:
            return f"'{name}': {e.messages[0]}"
    return None


def _new_evidence(
    *,
    condition: ProjectCondition,
    user: User,
    reference: str,
    document: UploadedFile | None,
    note: str,
    tranche: Tranche | None,
) -> ConditionEvidence:
    if problem := _proof_errors(condition.condition_type, reference, document):
        raise ValidationError(problem)
    evidence = ConditionEvidence(
        condition=condition,
        tranche=tranche,
        reference=reference,
        document=document or "",
        note=note.strip(),
        supplied_by=user,
    )
    save_with_history(evidence, user)
    return evidence


def evidence_supply(
    *,
    condition: ProjectCondition,
    user: User,
    reference: str = "",
    document: UploadedFile | None = None,
    note: str = "",
) -> ConditionEvidence:
    """Evidence for a project's condition; it counts once a controller who did not supply it checks it."""
    with transaction.atomic():
        if not can_supply_evidence(user, condition.project):
            raise PermissionDenied(
                "Alleen de kassier, de coördinator of de penvoerder van het project levert bewijs aan."
            )
        return _new_evidence(
            condition=condition, user=user, reference=reference.strip(), document=document, note=note, tranche=None
        )


@dataclass
class EvidenceInput:
    """Evidence the kassier attaches when registering a tranche, for one of the project's conditions."""

    condition_type: ConditionType
    reference: str = ""
    document: UploadedFile | None = None


def evidence_at_registration(*, tranche: Tranche, items: list[EvidenceInput], user: User) -> list[ConditionEvidence]:
    """Called by tranche_register inside its transaction: an error rolls back the tranche too."""
    created = []
    for i, item in enumerate(items, start=1):
        condition = matching_condition(project=tranche.project, tranche=tranche, condition_type=item.condition_type)
        if condition is None:
            raise ValidationError(
                f"Bewijs {i}: voorwaarde '{item.condition_type}' geldt niet voor project {tranche.project.code} "
                f"en {tranche.funder}."
            )
        try:
            created.append(
                _new_evidence(
                    condition=condition,
                    user=user,
                    reference=item.reference.strip(),
                    document=item.document,
                    note="",
                    tranche=tranche,
                )
            )
        except ValidationError as e:
            raise ValidationError(f"Bewijs {i}: {e.messages[0]}") from e
    return created


def evidence_check(*, evidence: ConditionEvidence, user: User, approve: bool, reason: str = "") -> ConditionEvidence:
    """A controller approves the evidence (the condition is then met) or rejects it with a reason."""
    with transaction.atomic():
        locked = (
            ConditionEvidence.objects.select_for_update(of=("self",))
            .select_related("condition__project", "condition__condition_type")
            .get(pk=evidence.pk)
        )
        if locked.state != ConditionEvidence.State.SUPPLIED:
            raise ValidationError(f"Dit bewijs is al {locked.get_state_display().lower()}.")
        if not can_check_evidence(user, locked):
            if locked.supplied_by_id == user.pk:
                raise PermissionDenied(
                    "U heeft dit bewijs zelf aangeleverd; een controller die dat niet deed, controleert het."
                )
            raise PermissionDenied("Alleen een controller van deze deal controleert bewijs.")
        reason = reason.strip()
        if not approve and not reason:
            raise ValidationError({"reason": "Geef de reden waarom het bewijs wordt afgekeurd."})
        locked.state = ConditionEvidence.State.CHECKED if approve else ConditionEvidence.State.REJECTED
        locked.checked_by = user
        locked.checked_at = timezone.now()
        locked.rejection_reason = "" if approve else reason
        save_with_history(locked, user)
        return locked


def condition_waive(
    *,
    condition: ProjectCondition,
    decision: Decision | None,
    user: User,
    tranche: Tranche | None = None,
    note: str = "",
) -> ConditionWaiver:
    """A decision of the deal waives the condition for one tranche or (tranche None) for the whole project."""
    with transaction.atomic():
        project = condition.project
        if not can_waive_condition(user, project.deal):
            raise PermissionDenied("Alleen de coördinator legt een vrijstelling vast.")
        if decision is None:
            raise ValidationError({"decision": "Een vrijstelling hoort bij een besluit: kies het besluit."})
        if decision.deal_id != project.deal_id:
            raise ValidationError({"decision": f"Besluit {decision.number} hoort bij een andere deal."})
        if tranche is not None:
            if tranche.project_id != project.pk or not condition.applies_to(tranche):
                raise ValidationError(
                    {"tranche": f"Voorwaarde '{condition.condition_type}' geldt niet voor deze tranche."}
                )
            if tranche.status != Tranche.Status.PENDING:
                state = tranche.get_status_display().lower()
                raise ValidationError({"tranche": f"Tranche {tranche.number} is al {state}."})
        if condition.waivers.filter(Q(tranche__isnull=True) | Q(tranche=tranche)).exists():
            raise ValidationError(f"Voorwaarde '{condition.condition_type}' is hiervoor al vrijgesteld.")
        waiver = ConditionWaiver(
            condition=condition, tranche=tranche, decision=decision, note=note.strip(), waived_by=user
        )
        save_with_history(waiver, user)
        return waiver


def check_conditions_met(tranche: Tranche) -> None:
    """The gate: refuse while a required condition lacks checked evidence, an approved verslag or a waiver."""
    if message := blocking_message(tranche, tranche_condition_states(tranche)):
        raise ValidationError(message)
