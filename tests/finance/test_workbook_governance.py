"""The deal workbook carries the deal's governance (issue [2/6] item 7): sheet 'governance'."""

from finance.workbook import workbook_export, workbook_import
from projects.models import GovernanceMember
from tests.finance.test_workbook_decisions import edited, rows_of


def _members(deal_code: str) -> list[tuple]:
    return sorted(
        GovernanceMember.objects.filter(deal__code=deal_code).values_list(
            "body", "name", "organisation", "role", "order"
        )
    )


def test_a_copy_has_the_same_members_and_importing_again_changes_nothing(deal, coordinator):
    data = workbook_export(deal=deal)
    assert len(rows_of(data, "governance")) == len(_members("cleantech")) > 0

    copied = workbook_import(data=data, user=coordinator, commit=True, deal_code="kopie")
    again = workbook_import(data=data, user=coordinator, commit=True)

    assert copied.saved and again.saved, [str(e) for e in (copied.errors + again.errors)[:5]]
    assert _members("kopie") == _members("cleantech")
    assert {c.sheet: (c.new, c.changed, c.unchanged) for c in again.counts}["governance"] == (
        0,
        0,
        len(_members("cleantech")),
    )


def test_a_changed_role_is_saved_and_a_new_member_added(deal, coordinator):
    data = workbook_export(deal=deal)
    first = rows_of(data, "governance")[0]
    data = edited(data, "governance", change={"rol": "vicevoorzitter"},
                  append=[{"orgaan": "werkgroep", "naam": "B. Nieuw", "organisatie": "Gemeente Epe"}])  # fmt: skip
    report = workbook_import(data=data, user=coordinator, commit=True)

    assert report.saved and {c.sheet: (c.new, c.changed) for c in report.counts}["governance"] == (1, 1)
    assert GovernanceMember.objects.get(deal=deal, body=first["orgaan"], name=first["naam"]).role == "vicevoorzitter"
    added = GovernanceMember.objects.get(deal=deal, name="B. Nieuw")
    assert (added.body, added.organisation, added.role, added.order) == ("werkgroep", "Gemeente Epe", "", 0)


def test_an_unknown_body_is_located_and_nothing_is_saved(deal, coordinator):
    before = _members("cleantech")
    row = {"orgaan": "raad van toezicht", "naam": "C. Onbekend"}
    report = workbook_import(
        data=edited(workbook_export(deal=deal), "governance", append=[row]), user=coordinator, commit=True
    )

    assert [(e.sheet, e.column) for e in report.errors] == [("governance", "orgaan")]
    assert "'raad van toezicht' is geen geldige waarde" in report.errors[0].message
    assert not report.saved and _members("cleantech") == before
