"""The deal workbook carries the deal's condition types (issue [2/6] item 7): sheet 'voorwaarden'."""

import pytest

from finance.models import ConditionType
from finance.workbook import workbook_export, workbook_import
from tests.finance.test_workbook_decisions import edited, rows_of


def _types(deal_code: str) -> list[tuple]:
    return sorted(ConditionType.objects.filter(deal__code=deal_code).values_list("name", "kind", "description"))


def test_a_copy_has_the_deals_condition_types_in_the_importers_name(deal, coordinator):
    data = workbook_export(deal=deal)
    assert [r["naam"] for r in rows_of(data, "voorwaarden")] == [name for name, *_ in _types("cleantech")]

    report = workbook_import(data=data, user=coordinator, commit=True, deal_code="kopie")

    assert report.saved, [str(e) for e in report.errors[:5]]
    assert _types("kopie") == _types("cleantech") and len(_types("kopie")) == 3
    assert {t.created_by for t in ConditionType.objects.filter(deal__code="kopie")} == {coordinator}


def test_importing_again_changes_nothing_and_a_changed_description_is_updated(deal, coordinator):
    data = workbook_export(deal=deal)
    again = workbook_import(data=data, user=coordinator, commit=True)
    assert {c.sheet: (c.new, c.changed, c.unchanged) for c in again.counts}["voorwaarden"] == (0, 0, 3)

    first = rows_of(data, "voorwaarden")[0]["naam"]
    changed = workbook_import(
        data=edited(data, "voorwaarden", change={"wat geldt als bewijs": "Het getekende besluit."}),
        user=coordinator,
        commit=True,
    )
    assert changed.saved and {c.sheet: c.changed for c in changed.counts}["voorwaarden"] == 1
    assert ConditionType.objects.get(deal=deal, name=first).description == "Het getekende besluit."


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ({"naam": "Accountantsverklaring", "soort bewijs": "foto"}, "soort bewijs", "'foto' is geen geldige waarde"),
        ({"naam": "", "soort bewijs": "document"}, "naam", "Verplichte waarde ontbreekt."),
    ],
)
def test_a_bad_condition_type_is_located_and_nothing_is_saved(deal, coordinator, row, column, fragment):
    before = _types("cleantech")
    report = workbook_import(
        data=edited(workbook_export(deal=deal), "voorwaarden", append=[row]), user=coordinator, commit=True
    )

    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("voorwaarden", 5, column)]
    assert fragment in report.errors[0].message
    assert not report.saved and _types("cleantech") == before
