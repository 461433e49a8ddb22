"""Every change to who holds which role in which deal goes through these functions.

Nobody grants a role to themselves; kassier and controller become active only after a
second coordinator of the deal confirms; one person never holds kassier and controller in
the same deal. Every change is a row in the assignment's history (simple_history): old and
new status, who, when.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from projects import roles
from projects.models import Deal, RoleAssignment

Status = RoleAssignment.Status


def can_manage_roles(user: User, deal: Deal) -> bool:
    """The deal's coordinators; the portal's superuser too, so a deal with one coordinator
    can still get a second pair of eyes on a kassier or controller."""
    return user.is_superuser or roles.has_role(user, deal, roles.COORDINATOR)


def _check_manager(user: User, deal: Deal | None) -> None:
    allowed = user.is_superuser if deal is None else can_manage_roles(user, deal)
    if not allowed:
        raise PermissionDenied("Alleen de coördinator van deze deal beheert de rollen.")


def _check_exclusive(user: User, deal: Deal, role: str) -> None:
    for pair in roles.EXCLUSIVE_PAIRS:
        if role not in pair:
            continue
        other = pair[1] if role == pair[0] else pair[0]
        open_other = RoleAssignment.objects.filter(
            user=user, deal=deal, role=other, status__in=[Status.PENDING, Status.ACTIVE]
        )
        if open_other.exists():
            raise ValidationError(
                f"{user.get_full_name() or user.username} is al {roles.ROLE_LABELS[other].lower()} in deze deal; "
                f"dezelfde persoon kan niet ook {roles.ROLE_LABELS[role].lower()} zijn (functiescheiding)."
            )


def sync_beheer_access(user: User) -> None:
    """Beheer (the admin) is for users who coordinate some deal; nobody else is staff."""
    coordinates = RoleAssignment.objects.filter(user=user, role=roles.COORDINATOR, status=Status.ACTIVE).exists()
    group, _ = Group.objects.get_or_create(name=roles.BEHEER_GROUP)
    if coordinates:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    if not user.is_superuser and user.is_staff != coordinates:
        user.is_staff = coordinates
        user.save(update_fields=["is_staff"])
    roles.forget_roles(user)


@dataclass
class RoleScope:
    """What a themalijnmanager manages or a penvoerder leads, within the deal."""

    action_lines: list = field(default_factory=list)
    programmes: list = field(default_factory=list)
    projects: list = field(default_factory=list)


def _check_scope(deal: Deal | None, role: str, scope: RoleScope) -> None:
    chosen = [*scope.action_lines, *scope.programmes, *scope.projects]
    if any(item.deal_id != getattr(deal, "pk", None) for item in chosen):
        raise ValidationError("Kies actielijnen, programma's en projecten van deze deal.")
    if role == roles.THEME_MANAGER and not (scope.action_lines or scope.programmes):
        raise ValidationError("Kies voor een themalijnmanager ten minste één actielijn of programma.")
    if role == roles.LEAD and not scope.projects:
        raise ValidationError("Kies voor een penvoerder ten minste één project.")
    if role not in (roles.THEME_MANAGER, roles.LEAD) and chosen:
        raise ValidationError("Alleen themalijnmanagers en penvoerders krijgen actielijnen, programma's of projecten.")


def _apply_scope(user: User, role: str, scope: RoleScope) -> None:
    # The M2M fields keep their own history (simple_history m2m_fields), so who got which
    # programme when stays visible there too.
    if role == roles.THEME_MANAGER:
        for item in [*scope.action_lines, *scope.programmes]:
            item.theme_managers.add(user)
    elif role == roles.LEAD:
        for project in scope.projects:
            project.lead_users.add(user)


def _remove_scope(assignment: RoleAssignment) -> None:
    user, deal = assignment.user, assignment.deal
    if assignment.role == roles.THEME_MANAGER:
        for line in deal.action_lines.filter(theme_managers=user):
            line.theme_managers.remove(user)
        for programme in deal.programmes.filter(theme_managers=user):
            programme.theme_managers.remove(user)
    elif assignment.role == roles.LEAD:
        for project in deal.projects.filter(lead_users=user):
            project.lead_users.remove(user)


def role_grant(
    *, deal: Deal | None, user: User, role: str, by: User, note: str = "", scope: RoleScope | None = None
) -> RoleAssignment:
    """Give ``user`` a role in ``deal``; kassier and controller wait for a second coordinator."""
    with transaction.atomic():
        _check_manager(by, deal)
        if role not in roles.ROLE_LABELS:
            raise ValidationError("Onbekende rol.")
        if user.pk == by.pk:
            raise ValidationError("U kunt uzelf geen rol geven; vraag een andere coördinator.")
        if (role == roles.MINISTRY) != (deal is None):
            raise ValidationError("De leesrol van het ministerie geldt voor alle deals; andere rollen voor één deal.")
        scope = scope or RoleScope()
        _check_scope(deal, role, scope)
        # Serialise grants per user so two requests cannot both pass the checks below.
        User.objects.select_for_update().get(pk=user.pk)
        if deal is not None:
            _check_exclusive(user, deal, role)
        open_roles = RoleAssignment.objects.filter(status__in=[Status.PENDING, Status.ACTIVE])
        if open_roles.filter(user=user, deal=deal, role=role).exists():
            raise ValidationError("Deze gebruiker heeft deze rol in deze deal al (of die wacht op bevestiging).")
        needs_second = role in roles.CONFIRMED_ROLES
        assignment = RoleAssignment(
            user=user,
            deal=deal,
            role=role,
            granted_by=by,
            note=note,
            status=Status.PENDING if needs_second else Status.ACTIVE,
        )
        assignment._history_user = by
        assignment.save()
        _apply_scope(user, role, scope)
        sync_beheer_access(user)
        return assignment


def _decide(assignment: RoleAssignment, by: User, status: str) -> RoleAssignment:
    _check_manager(by, assignment.deal)
    if assignment.status != Status.PENDING:
        raise ValidationError("Deze roltoewijzing wacht niet (meer) op bevestiging.")
    if by.pk in (assignment.granted_by_id, assignment.user_id):
        raise ValidationError("Een tweede coördinator bevestigt: niet wie de rol toekende en niet wie hem krijgt.")
    assignment.status = status
    assignment.confirmed_by = by
    assignment.decided_at = timezone.now()
    assignment._history_user = by
    assignment.save()
    sync_beheer_access(assignment.user)
    return assignment


def role_confirm(*, assignment: RoleAssignment, by: User) -> RoleAssignment:
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        _check_exclusive_active(assignment)
        return _decide(assignment, by, Status.ACTIVE)


def _check_exclusive_active(assignment: RoleAssignment) -> None:
    for pair in roles.EXCLUSIVE_PAIRS:
        if assignment.role in pair:
            other = [r for r in pair if r != assignment.role]
            if RoleAssignment.objects.filter(
                user=assignment.user_id, deal=assignment.deal_id, role__in=other, status=Status.ACTIVE
            ).exists():
                raise ValidationError("Functiescheiding: deze persoon heeft de andere kasrol al in deze deal.")


def role_refuse(*, assignment: RoleAssignment, by: User) -> RoleAssignment:
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        return _decide(assignment, by, Status.REFUSED)


def role_end(*, assignment: RoleAssignment, by: User) -> RoleAssignment:
    """End a role (or withdraw a pending grant); the row stays for the history."""
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        _check_manager(by, assignment.deal)
        if assignment.status not in (Status.PENDING, Status.ACTIVE):
            raise ValidationError("Deze rol is al beëindigd of geweigerd.")
        assignment.status = Status.ENDED
        assignment.ended_by = by
        assignment.ended_at = timezone.now()
        assignment._history_user = by
        assignment.save()
        _remove_scope(assignment)
        sync_beheer_access(assignment.user)
        return assignment


def assign_without_review(*, deal: Deal | None, user: User, role: str) -> RoleAssignment:
    """For setup commands only (demo data, the first coordinator of a new deal): active at once.

    Not reachable from a page; the portal's own screens always go through role_grant.
    """
    assignment, _ = RoleAssignment.objects.get_or_create(user=user, deal=deal, role=role, status=Status.ACTIVE)
    sync_beheer_access(user)
    return assignment
