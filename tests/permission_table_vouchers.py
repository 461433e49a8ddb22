"""Permission-matrix entries for the vouchers pages; merged into tests/permission_table.py.

EXPECTED has the same shape as there: {url name: {persona: (GET status, POST status)}};
pk_for(name, deal) returns the sample object's pk for this module's URL names with a pk,
or None for names it does not know.

Vouchers are read by whoever reads the project's money and by its penvoerder; only the
coordinator and the project's penvoerder write them (an empty POST then gets the form back
with errors: 400). The other themalijnmanager may open the project but not its money: 403;
the other penvoerder cannot see the project at all: 404.
"""

from projects.models import Deal

ANONYMOUS = {"anonymous": (302, 302)}


def _row(*, writer: tuple[int, int], reader: tuple[int, int], outsider: tuple[int, int]) -> dict:
    """writer: coordinator and own penvoerder; reader: finance readers without write; outsider: the other penvoerder."""
    return {
        **ANONYMOUS,
        "coordinator": writer,
        "tlm_own": reader,
        # Reads the project but not its money: refused wherever a reader is let in.
        "tlm_other": tuple(405 if status == 405 else 403 for status in reader),
        "kassier": reader,
        "controller": reader,
        "stuurgroep": reader,
        "lead_own": writer,
        "lead_other": outsider,
    }


EXPECTED: dict[str, dict[str, tuple[int, int]]] = {
    "finance:voucher-list": _row(writer=(200, 405), reader=(200, 405), outsider=(404, 405)),
    "finance:voucher-add": _row(writer=(405, 400), reader=(405, 403), outsider=(405, 404)),
    "finance:voucher-status": _row(writer=(405, 400), reader=(405, 403), outsider=(405, 404)),
    "finance:voucher-import": _row(writer=(200, 400), reader=(403, 403), outsider=(404, 404)),
    "finance:voucher-import-confirm": _row(writer=(405, 302), reader=(405, 403), outsider=(405, 404)),
    "finance:voucher-template": _row(writer=(200, 405), reader=(403, 405), outsider=(404, 405)),
}

SAMPLE_REFERENCE = "MATRIX-VOUCHER"


def _sample_voucher(deal: Deal):
    """A requested voucher on the deal's sample project (1310 in cleantech), made a voucher scheme for it."""
    from finance.models_vouchers import Voucher
    from tests.permission_table import _object_project

    project = _object_project(deal)
    if not project.is_voucher_scheme:
        type(project).objects.filter(pk=project.pk).update(is_voucher_scheme=True)
    voucher = Voucher.objects.filter(project=project, reference=SAMPLE_REFERENCE).first()
    return voucher or Voucher.objects.create(
        project=project, recipient="Matrix BV", date=deal.start, amount=1, reference=SAMPLE_REFERENCE
    )


def pk_for(name: str, deal: Deal) -> int | None:
    if name == "finance:voucher-status":
        return _sample_voucher(deal).pk
    return None
