"""The deal workbook carries programme lines (issue [2/6] item 7): the lines, each project's line, each
line's own window and peildatum per period, and which financier finances which line; bad rows are located
and nothing is saved. The Twente demo is the deal with lines."""

import datetime

import pytest

from finance.models import Funder
from finance.workbook import workbook_export, workbook_import
from projects.models import Deal, ProgrammeLine, ProgrammeLinePeriod, Project
from tests.finance.test_workbook_decisions import edited, rows_of


@pytest.fixture
def twente(db) -> Deal:
    return Deal.objects.get(code="twente")


@pytest.fixture
def coordinator_t(db):
    from django.contrib.auth.models import User

    return User.objects.get(username="coordinator_t")


def _line_state(deal_code: str) -> tuple:
    lines = sorted(ProgrammeLine.objects.filter(deal__code=deal_code).values_list("code", "name"))
    periods = sorted(
        ProgrammeLinePeriod.objects.filter(programme_line__deal__code=deal_code).values_list(
            "programme_line__code", "period__name", "start", "end", "reference_date"
        )
    )
    projects = sorted(Project.objects.filter(deal__code=deal_code).values_list("code", "programme_line__code"))
    funders = sorted(
        Funder.objects.filter(deal__code=deal_code, programme_lines__isnull=False).values_list(
            "name", "programme_lines__code"
        )
    )
    return lines, periods, projects, funders


def test_the_export_writes_the_lines_their_periods_and_their_funders(twente):
    data = workbook_export(deal=twente)

    assert [(r["code"], r["naam"]) for r in rows_of(data, "programmalijnen")] == [
        ("AvT", "Agenda voor Twente"), ("RDT", "Regio Deal Twente"),
    ]  # fmt: skip
    assert {r["code"]: r["programmalijn"] for r in rows_of(data, "projecten")}["B01"] == "RDT"
    periods = [
        (r["programmalijn"], r["periode"], r["t/m"], r["financiële peildatum"])
        for r in rows_of(data, "programmalijnperiodes")
    ]
    assert periods == [
        ("AvT", "2019-2020", datetime.datetime(2019, 12, 31), datetime.datetime(2019, 12, 31)),
        ("RDT", "2019-2020", datetime.datetime(2020, 5, 31), datetime.datetime(2020, 3, 31)),
    ]
    assert [(r["financier"], r["programmalijn"]) for r in rows_of(data, "financiers per programmalijn")] == [
        ("Rijk", "RDT"), ("Provincie Overijssel", "AvT"), ("Provincie Overijssel", "RDT"),
        ("Twentse gemeenten", "AvT"), ("Twentse gemeenten", "RDT"), ("Ondernemers en onderwijs", "RDT"),
    ]  # fmt: skip


def test_a_copy_of_twente_has_the_same_lines_periods_projects_and_funders(twente, coordinator_t):
    report = workbook_import(
        data=workbook_export(deal=twente), user=coordinator_t, commit=True, deal_code="twente-kopie"
    )

    assert report.saved, [str(e) for e in report.errors[:5]]
    assert _line_state("twente-kopie") == _line_state("twente")
    assert len(_line_state("twente-kopie")[1]) == 2


def test_importing_twentes_export_again_changes_nothing(twente, coordinator_t):
    before = _line_state("twente")
    report = workbook_import(data=workbook_export(deal=twente), user=coordinator_t, commit=True)

    assert report.saved, [str(e) for e in report.errors[:5]]
    counts = {c.sheet: (c.new, c.changed, c.unchanged) for c in report.counts}
    assert counts["programmalijnen"] == (0, 0, 2)
    assert counts["programmalijnperiodes"] == (0, 0, 2)
    assert counts["financiers per programmalijn"] == (0, 0, 6)
    assert _line_state("twente") == before


def test_a_changed_peildatum_is_saved(twente, coordinator_t):
    data = edited(
        workbook_export(deal=twente),
        "programmalijnperiodes",
        change={"financiële peildatum": datetime.date(2019, 11, 30)},
    )
    report = workbook_import(data=data, user=coordinator_t, commit=True)

    assert report.saved and {c.sheet: c.changed for c in report.counts}["programmalijnperiodes"] == 1
    avt = ProgrammeLinePeriod.objects.get(programme_line__deal=twente, programme_line__code="AvT")
    assert avt.reference_date == datetime.date(2019, 11, 30)


@pytest.mark.parametrize(
    ("sheet", "row", "expected"),
    [
        (
            "projecten",
            None,  # the first project's line changed to an unknown code
            "Tabblad 'projecten', rij 2, kolom 'programmalijn': Onbekende programmalijn 'XYZ': staat niet in "
            "tabblad 'programmalijnen' en niet in de deal.",
        ),
        (
            "programmalijnperiodes",
            {"programmalijn": "RDT", "periode": "2019-2020", "start": datetime.date(2019, 5, 1),
             "t/m": datetime.date(2020, 5, 31), "financiële peildatum": datetime.date(2020, 3, 31)},
            "Tabblad 'programmalijnperiodes', rij 4, kolom 'periode': Dubbel: dezelfde programmalijn, periode staan "
            "ook op rij 3 van dit tabblad.",
        ),
        (
            "programmalijnperiodes",
            {"programmalijn": "RDT", "periode": "2030", "start": datetime.date(2019, 5, 1),
             "t/m": datetime.date(2020, 5, 31), "financiële peildatum": datetime.date(2020, 3, 31)},
            "Tabblad 'programmalijnperiodes', rij 4, kolom 'periode': Onbekende periode '2030': staat niet in "
            "tabblad 'periodes' en niet in de deal.",
        ),
        (
            "financiers per programmalijn",
            {"financier": "Rijk", "programmalijn": "AVX"},
            "Tabblad 'financiers per programmalijn', rij 8, kolom 'programmalijn': Onbekende programmalijn 'AVX': "
            "staat niet in tabblad 'programmalijnen' en niet in de deal.",
        ),
    ],
)  # fmt: skip
def test_a_bad_line_row_is_located_and_nothing_is_saved(twente, coordinator_t, sheet, row, expected):
    export = workbook_export(deal=twente)
    data = (
        edited(export, sheet, change={"programmalijn": "XYZ"}) if row is None else edited(export, sheet, append=[row])
    )
    before = _line_state("twente")

    report = workbook_import(data=data, user=coordinator_t, commit=True)

    assert [str(e) for e in report.errors] == [expected]
    assert not report.saved
    assert _line_state("twente") == before


def test_a_peildatum_before_the_lines_window_is_refused_where_it_stands(twente, coordinator_t):
    data = edited(
        workbook_export(deal=twente),
        "programmalijnperiodes",
        change={"financiële peildatum": datetime.date(2019, 1, 1)},
    )
    report = workbook_import(data=data, user=coordinator_t, commit=True)

    assert [str(e) for e in report.errors] == [
        "Tabblad 'programmalijnperiodes', rij 2, kolom 'financiële peildatum': De financiële peildatum ligt vóór de "
        "start van de periode."
    ]
    assert ProgrammeLinePeriod.objects.get(programme_line__deal=twente, programme_line__code="AvT").reference_date == (
        datetime.date(2019, 12, 31)
    )
