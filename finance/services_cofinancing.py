"""Writes for co-financing that bypasses the kassier: a pledge, and its realisation with evidence.

Neither is a booking: no kassier tranche is faked, so the ledger's uitgekeerd and besteed stay
what the kassier and the projects booked. A pledge is never edited; a realisation is a status
change that needs evidence (a reference or a document) and is kept in the history.
"""

from datetime import date as Date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from finance.models import Funder
from finance.models_cofinancing import DirectCoFinancing
from finance.permissions_cofinancing import NOT_ALLOWED, can_enter_cofinancing
from finance.saving import save_with_history
from finance.validators import validate_document
from projects.models import Project


def date_errors(project: Project, *, before_deal_start: bool, realised_on: Date | None) -> dict[str, str]:
    """An investment from before the deal counts only when marked so; other realisations fall in the deal."""
    deal = project.deal
    if realised_on is None:
        return (
            {"realised_on": "Een investering van vóór de deal is al gedaan: geef de datum."}
            if before_deal_start
            else {}
        )
    if realised_on > timezone.localdate():
        return {"realised_on": f"De datum van realisatie ({realised_on:%d-%m-%Y}) ligt in de toekomst."}
    if before_deal_start and realised_on >= deal.start:
        return {"realised_on": f"Een investering van vóór de deal ligt vóór de start ({deal.start:%d-%m-%Y})."}
    if not before_deal_start and realised_on < deal.start:
        return {
            "realised_on": f"{realised_on:%d-%m-%Y} ligt vóór de start van de deal ({deal.start:%d-%m-%Y}); "
            "vink 'investering van vóór de deal' aan als dat zo bedoeld is."
        }
    return {}


def evidence_errors(reference: str, document: UploadedFile | None) -> dict[str, str]:
    if document:
        try:
            validate_document(document)
        except ValidationError as e:
            return {"evidence_document": e.messages[0]}
        return {}
    if not reference.strip():
        return {"evidence_reference": "Gerealiseerde cofinanciering heeft bewijs nodig: een kenmerk of een document."}
    return {}


def pledge_errors(
    *,
    project: Project,
    funder: Funder,
    amount: Decimal | None,
    pledged_on: Date | None,
    before_deal_start: bool,
    realised_on: Date | None,
    evidence_reference: str,
    evidence_document: UploadedFile | None = None,
) -> dict[str, str]:
    """The rules of a new pledge (funder, amount, dates, evidence when realised): the page and the workbook."""
    errors: dict[str, str] = {}
    if funder.deal_id != project.deal_id:
        errors["funder"] = "Deze cofinancier hoort bij een andere deal."
    elif funder.category == Funder.Category.RIJK:
        errors["funder"] = "De bijdrage van het Rijk loopt via de regiokassier: registreer een tranche."
    if amount is None or amount <= 0:
        errors["amount"] = "Het bedrag moet groter dan nul zijn."
    if pledged_on and pledged_on > timezone.localdate():
        errors["pledged_on"] = f"De datum van de toezegging ({pledged_on:%d-%m-%Y}) ligt in de toekomst."
    errors.update(date_errors(project, before_deal_start=before_deal_start, realised_on=realised_on))
    if realised_on and pledged_on and realised_on < pledged_on and "realised_on" not in errors:
        errors["realised_on"] = "De realisatie ligt vóór de toezegging."
    if realised_on:
        errors.update(evidence_errors(evidence_reference, evidence_document))
    return errors


def cofinancing_pledge(
    *,
    project: Project,
    funder: Funder,
    amount: Decimal,
    pledged_on: Date,
    user: User,
    before_deal_start: bool = False,
    realised_on: Date | None = None,
    evidence_reference: str = "",
    evidence_document: UploadedFile | None = None,
    note: str = "",
) -> DirectCoFinancing:
    """A partner's share paid to the project directly; with ``realised_on`` it is realised at once (with evidence)."""
    if not can_enter_cofinancing(user, project):
        raise PermissionDenied(NOT_ALLOWED)
    errors = pledge_errors(
        project=project, funder=funder, amount=amount, pledged_on=pledged_on, before_deal_start=before_deal_start,
        realised_on=realised_on, evidence_reference=evidence_reference, evidence_document=evidence_document,
    )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    realised = realised_on is not None
    # One transaction: the pledge and its history row are written together or not at all.
    with transaction.atomic():
        item = DirectCoFinancing(
            project=project,
            funder=funder,
            amount=amount,
            pledged_on=pledged_on,
            status=DirectCoFinancing.Status.REALISED if realised else DirectCoFinancing.Status.PLEDGED,
            realised_on=realised_on,
            realised_by=user if realised else None,
            before_deal_start=before_deal_start,
            evidence_reference=evidence_reference.strip(),
            evidence_document=evidence_document or "",
            note=note.strip(),
            created_by=user,
        )
        save_with_history(item, user)
    return item


def cofinancing_realise(
    *,
    item: DirectCoFinancing,
    realised_on: Date,
    user: User,
    evidence_reference: str = "",
    evidence_document: UploadedFile | None = None,
) -> DirectCoFinancing:
    """toegezegd -> gerealiseerd, with the date the money came in and the evidence of it."""
    with transaction.atomic():
        locked = DirectCoFinancing.objects.select_for_update().select_related("project__deal").get(pk=item.pk)
        if not can_enter_cofinancing(user, locked.project):
            raise PermissionDenied(NOT_ALLOWED)
        if locked.status == DirectCoFinancing.Status.REALISED:
            raise ValidationError(
                {"realised_on": f"Deze cofinanciering is al gerealiseerd op {locked.realised_on:%d-%m-%Y}."}
            )
        errors = date_errors(locked.project, before_deal_start=locked.before_deal_start, realised_on=realised_on)
        if realised_on and realised_on < locked.pledged_on and "realised_on" not in errors:
            errors["realised_on"] = f"De realisatie ligt vóór de toezegging ({locked.pledged_on:%d-%m-%Y})."
        errors.update(evidence_errors(evidence_reference, evidence_document))
        if errors:
            raise ValidationError(errors)
        locked.status = DirectCoFinancing.Status.REALISED
        locked.realised_on = realised_on
        locked.realised_by = user
        locked.evidence_reference = evidence_reference.strip() or locked.evidence_reference
        if evidence_document:
            locked.evidence_document = evidence_document
        save_with_history(locked, user)
        return locked
