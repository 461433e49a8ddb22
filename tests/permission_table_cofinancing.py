"""Permission-matrix entries for co-financing outside the kassier; merged into tests/permission_table.py."""

import datetime
from decimal import Decimal

from projects.models import Deal

# Readers of the project"s finance and its own penvoerder read; the coordinator and that
# penvoerder enter (an empty form: 400); a penvoerder of another project does not see it (404).
READ = {
    "anonymous": (302, 302),
    "coordinator": (200, 405),
    "tlm_own": (200, 405),
    "tlm_other": (403, 405),
    "kassier": (200, 405),
    "controller": (200, 405),
    "stuurgroep": (200, 405),
    "lead_own": (200, 405),
    "lead_other": (404, 405),
}
WRITE = {
    "anonymous": (302, 302),
    "coordinator": (405, 400),
    "tlm_own": (405, 403),
    "tlm_other": (405, 403),
    "kassier": (405, 403),
    "controller": (405, 403),
    "stuurgroep": (405, 403),
    "lead_own": (405, 400),
    "lead_other": (405, 404),
}
EXPECTED: dict[str, dict[str, tuple[int, int]]] = {
    "finance:cofinancing": READ,
    "finance:cofinancing-document": READ,
    "finance:cofinancing-pledge": WRITE,
    "finance:cofinancing-realise": WRITE,
}


def _sample(deal: Deal):
    """A pledge with an evidence document on the sample project, entered by the deal's coordinator."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from finance.models import DirectCoFinancing, Funder
    from projects import roles
    from tests.permission_table import _member, _object_project

    project = _object_project(deal)
    found = DirectCoFinancing.objects.filter(project=project, status="toegezegd").order_by("pk").first()
    if found:
        return found
    name = "cofinanciering/matrix/toezegging.pdf"  # one stable file, so repeated runs leave nothing behind
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"%PDF-1.4 matrix"))
    return DirectCoFinancing.objects.create(
        project=project,
        funder=Funder.objects.filter(deal=deal).exclude(category="rijk").order_by("order").first(),
        amount=Decimal("1000.00"),
        pledged_on=deal.start + datetime.timedelta(days=30),
        evidence_document=name,
        created_by=_member(deal, roles.COORDINATOR),
    )


def pk_for(name: str, deal: Deal) -> int | None:
    if name.startswith("finance:cofinancing-") and name != "finance:cofinancing-pledge":
        return _sample(deal).pk
    return None
