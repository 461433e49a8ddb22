"""The malformed-workbook corpus: no exception, nothing written, every message located.

The corpus (tests/finance/workbook_corpus.py) is generated in memory from an export of the
demo deal; each case is imported for real (commit=True) and must be refused.
"""

import logging

import pytest

from finance.models import Booking, Funder, Tranche
from finance.workbook import UNEXPECTED, workbook_export, workbook_import
from projects.models import ActionLine, Deal, Organisation, Programme, Project
from tests.finance.workbook_corpus import CORPUS_DEAL, base_book, build_cases, case_ids

MODELS = (Deal, ActionLine, Programme, Project, Organisation, Funder, Booking, Tranche)
# Messages about a sheet as a whole have no row.
SHEET_LEVEL = ("Onbekend tabblad", "twee keer in de werkmap", "Het tabblad 'deal' ontbreekt")
IDS = case_ids()


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        export = workbook_export(deal=Deal.objects.get(code="cleantech"))
    base = base_book(export)
    return base, {case.id: case for case in build_cases(base)}


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_corpus_holds_at_least_200_malformed_workbooks(corpus):
    _base, cases = corpus
    assert len(IDS) == len(set(IDS)) >= 200
    assert set(IDS) == set(cases)


def test_the_corpus_starts_from_a_valid_workbook_of_a_new_deal(corpus, coordinator):
    base, _cases = corpus

    report = workbook_import(data=base.to_bytes(), user=coordinator, commit=False)

    assert report.errors == []
    assert report.deal_code == CORPUS_DEAL and report.deal_is_new
    # The demo's structure, cut to the project of its earliest uitkering, 1120 (15-02-2021), plus the first
    # project row (1110), and to the funders 1120 uses (fixtures/cleantech.json): Rijk (also the first row),
    # Provincie Gelderland, Onderwijs and Privaat; 1120 has 4 begrotingen, 4 toekenningen, 2 uitkeringen and
    # 1 besteding.
    assert {c.sheet: c.new for c in report.counts} == {
        "deal": 1,
        "actielijnen": 2,
        "programma's": 6,
        "programmalijnen": 1,
        "projecten": 2,
        "financiers": 4,
        "periodes": 2,
        "besluiten": 1,
        "voorwaarden": 3,  # the demo's plan van aanpak, samenwerkingsovereenkomst, verslag vorige periode
        "begroting": 4,
        "toekenningen": 4,
        "uitkeringen": 2,
        "bestedingen": 1,
        "governance": 20,  # the demo's stuurgroep, werkgroep, themalijnmanagers and kassier (fixtures/cleantech.json)
    }


@pytest.mark.parametrize("case_id", IDS)
def test_a_malformed_workbook_is_refused_with_located_messages_and_writes_nothing(corpus, coordinator, caplog, case_id):
    base, cases = corpus
    case = cases[case_id]
    book = base.copy()
    case.mutate(book)
    data = book.to_bytes()
    before = row_counts()

    with caplog.at_level(logging.ERROR):
        report = workbook_import(data=data, user=coordinator, commit=True)

    assert not report.saved and report.errors
    assert row_counts() == before
    assert not Deal.objects.filter(code=CORPUS_DEAL).exists()
    messages = [str(e) for e in report.errors]
    assert not caplog.records, messages  # nothing went to the last-resort handler
    for error in report.errors:
        assert error.sheet and error.message, messages
        assert UNEXPECTED not in error.message and "Onverwachte fout" not in error.message, messages
        assert error.row or any(m in error.message for m in SHEET_LEVEL), f"no row: {error}"
    located = [
        e
        for e in report.errors
        if (e.sheet, e.row, e.column) == (case.sheet, case.row, case.column) and case.fragment in e.message
    ]
    assert located, f"expected at {case.sheet}/{case.row}/{case.column} '{case.fragment}'; got {messages}"
