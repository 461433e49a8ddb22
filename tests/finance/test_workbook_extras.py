"""The workbook carries year plans, rollovers, co-financing outside the kassier and amounts not known yet."""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from openpyxl import load_workbook

from finance.models_cofinancing import DirectCoFinancing
from finance.models_pending import PendingAmount
from finance.models_years import Rollover, YearPlan
from finance.services_cofinancing import cofinancing_pledge
from finance.services_years import rollover_create, year_plan_set
from finance.workbook import workbook_export, workbook_import, workbook_template
from finance.workbook_extras import EXTRA_SHEETS
from projects.models import Deal
from tests.finance.test_workbook_decisions import edited, rows_of

pytestmark = pytest.mark.django_db

MONEY_SHEETS = ["jaarbegrotingen", "doorschuivingen", "cofinanciering", "nog te bepalen"]  # what the fixture fills
EXTRA_NAMES = [
    "jaarbegrotingen",
    "doorschuivingen",
    "cofinanciering",
    "nog te bepalen",
    "programmalijnperiodes",
    "financiers per programmalijn",
    "vouchers",
    "governance",
]


@pytest.fixture
def extras(deal, coordinator):
    """The demo deal with what the extra sheets carry; the demo's begroting of 1110 x Rijk is 245.000."""
    project, other = deal.projects.get(code="1110"), deal.projects.get(code="1120")
    funders = {f.name: f for f in deal.funders.all()}
    rijk, decision = funders["Rijk"], deal.decisions.get(number="SG-2020-01")
    plan = {"project": project, "funder": rijk, "user": coordinator}
    year_plan_set(**plan, year=2021, budget=Decimal("100000.00"), forecast=Decimal("90000.00"))
    year_plan_set(**plan, year=2022, budget=Decimal("100000.00"), forecast=None)
    rollover_create(
        **plan, from_year=2021, amount=Decimal("25000.00"), decision=decision, note="Vertraging bouw"
    )  # fmt: skip
    cofinancing_pledge(
        project=project, funder=funders["Provincie Gelderland"], amount=Decimal("50000.00"),
        pledged_on=datetime.date(2021, 3, 1), user=coordinator, note="Toezegging GS",
    )  # fmt: skip
    cofinancing_pledge(
        project=project, funder=funders["Onderwijs"], amount=Decimal("20000.00"), pledged_on=datetime.date(2021, 2, 1),
        realised_on=datetime.date(2022, 5, 1), evidence_reference="FAC-2022-17", user=coordinator,
    )  # fmt: skip
    PendingAmount.objects.create(deal=deal, project=other, funder=funders["Provincie Overijssel"], note="Na Staten")
    PendingAmount.objects.create(deal=deal, project=None, funder=funders["Board"], note="")
    return deal


def finance_counts() -> dict[str, int]:
    models = [*apps.get_app_config("finance").get_models(), *apps.get_app_config("projects").get_models()]
    return {m._meta.label: m._base_manager.count() for m in models}


def without_sheets(data: bytes, names: list[str]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    for name in names:
        del wb[name]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ----------------------------------------------------------------------------- template and export


def test_the_template_has_the_extra_sheets_with_headers_only():
    wb = load_workbook(io.BytesIO(workbook_template()))
    assert wb.sheetnames[-(len(EXTRA_NAMES) + 1) :] == [*EXTRA_NAMES, "Toelichting"]
    for sheet in EXTRA_SHEETS:
        assert [c.value for c in wb[sheet.name][1]] == [c.header for c in sheet.columns]
        assert wb[sheet.name].max_row == 1
    explained = {(r[0], r[1]) for r in wb["Toelichting"].iter_rows(values_only=True) if r and len(r) > 2}
    assert ("cofinanciering", "kenmerk bewijs") in explained


def test_the_export_writes_each_extra_row(extras):
    data = workbook_export(deal=extras)
    assert rows_of(data, "jaarbegrotingen") == [
        {"project": "1110", "financier": "Rijk", "jaar": 2021, "begroting": 100000, "prognose": 90000},
        {"project": "1110", "financier": "Rijk", "jaar": 2022, "begroting": 100000, "prognose": None},
    ]
    assert rows_of(data, "doorschuivingen") == [
        {"project": "1110", "financier": "Rijk", "van jaar": 2021, "bedrag": 25000, "besluit": "SG-2020-01",
         "toelichting": "Vertraging bouw"},
    ]  # fmt: skip
    assert [r["status"] for r in rows_of(data, "cofinanciering")] == ["gerealiseerd", "toegezegd"]
    assert [(r["project"], r["financier"]) for r in rows_of(data, "nog te bepalen")] == [
        ("1120", "Provincie Overijssel"),
        (None, "Board"),
    ]


# ----------------------------------------------------------------------------- round trip


def test_a_round_trip_into_a_new_deal_keeps_every_extra_row(extras, coordinator):
    report = workbook_import(data=workbook_export(deal=extras), user=coordinator, commit=True, deal_code="kopie")

    assert report.saved, [str(e) for e in report.errors[:5]]
    assert {c.sheet: c.new for c in report.counts if c.sheet in MONEY_SHEETS} == {
        "jaarbegrotingen": 2, "doorschuivingen": 1, "cofinanciering": 2, "nog te bepalen": 2,
    }  # fmt: skip
    copy = Deal.objects.get(code="kopie")
    plans = YearPlan.objects.filter(project__deal=copy).order_by("year")
    assert list(plans.values_list("project__code", "funder__name", "year", "budget", "forecast")) == [
        ("1110", "Rijk", 2021, Decimal("100000.00"), Decimal("90000.00")),
        ("1110", "Rijk", 2022, Decimal("100000.00"), None),
    ]
    assert list(
        Rollover.objects.filter(project__deal=copy).values_list(
            "project__code", "funder__name", "from_year", "to_year", "amount", "decision__number",
            "decision__deal__code", "note", "created_by__username",
        )
    ) == [
        ("1110", "Rijk", 2021, 2022, Decimal("25000.00"), "SG-2020-01", "kopie", "Vertraging bouw", "coordinator")
    ]  # fmt: skip
    fields = (
        "project__code", "funder__name", "amount", "status", "pledged_on", "realised_on", "before_deal_start",
        "evidence_reference", "note", "created_by__username", "realised_by__username",
    )  # fmt: skip
    assert list(DirectCoFinancing.objects.filter(project__deal=copy).order_by("pledged_on").values_list(*fields)) == [
        ("1110", "Onderwijs", Decimal("20000.00"), "gerealiseerd", datetime.date(2021, 2, 1),
         datetime.date(2022, 5, 1), False, "FAC-2022-17", "", "coordinator", "coordinator"),
        ("1110", "Provincie Gelderland", Decimal("50000.00"), "toegezegd", datetime.date(2021, 3, 1), None, False,
         "", "Toezegging GS", "coordinator", None),
    ]  # fmt: skip
    pending = PendingAmount.objects.filter(deal=copy).order_by("project__code")
    assert list(pending.values_list("project__code", "funder__name", "funder__deal__code", "note")) == [
        ("1120", "Provincie Overijssel", "kopie", "Na Staten"),
        (None, "Board", "kopie", ""),
    ]


def test_importing_the_export_again_changes_nothing(extras, coordinator):
    before = finance_counts()
    report = workbook_import(data=workbook_export(deal=extras), user=coordinator, commit=True)

    assert report.saved, [str(e) for e in report.errors[:5]]
    assert {c.sheet: (c.new, c.changed, c.unchanged) for c in report.counts if c.sheet in MONEY_SHEETS} == {
        name: (0, 0, 2) for name in MONEY_SHEETS
    } | {"doorschuivingen": (0, 0, 1)}
    assert finance_counts() == before


def test_a_check_without_saving_counts_the_rows_and_writes_nothing(extras, coordinator):
    data = workbook_export(deal=extras)
    before = finance_counts()

    report = workbook_import(data=data, user=coordinator, commit=False, deal_code="kopie")

    assert report.errors == [] and not report.saved
    assert {c.sheet: c.new for c in report.counts if c.sheet in EXTRA_NAMES}["jaarbegrotingen"] == 2
    assert finance_counts() == before


def test_a_pledge_on_record_is_realised_by_the_workbook(extras, coordinator):
    data = workbook_export(deal=extras)
    pledge = {"gerealiseerd op": datetime.date(2023, 1, 10), "status": "gerealiseerd", "kenmerk bewijs": "BV-9"}
    wb = load_workbook(io.BytesIO(data))
    ws = wb["cofinanciering"]
    headers = [c.value for c in ws[1]]
    for header, value in pledge.items():
        ws.cell(row=3, column=headers.index(header) + 1, value=value)  # row 3: the pledge of Provincie Gelderland
    out = io.BytesIO()
    wb.save(out)

    report = workbook_import(data=out.getvalue(), user=coordinator, commit=True)

    assert report.saved, [str(e) for e in report.errors[:5]]
    item = DirectCoFinancing.objects.get(project__deal=extras, funder__name="Provincie Gelderland")
    realised = (item.status, item.realised_on, item.evidence_reference)
    assert realised == ("gerealiseerd", datetime.date(2023, 1, 10), "BV-9")


# ----------------------------------------------------------------------------- row errors: nothing saved


ROW = {"project": "1110", "financier": "Rijk"}


@pytest.mark.parametrize(
    "sheet, row, expected",
    [
        (
            "jaarbegrotingen",
            {**ROW, "jaar": 2021, "begroting": Decimal("300000")},
            "Tabblad 'jaarbegrotingen', rij 2, kolom 'begroting': De jaarbegrotingen van project 1110 voor Rijk "
            "komen samen op €\u00a0300.000,00, meer dan de begroting in de boekhouding (€\u00a0245.000,00). "
            "Voor 2021 is nog €\u00a0245.000,00 beschikbaar; verhoog eerst de begroting (Begroting wijzigen) "
            "als er meer nodig is.",
        ),
        (
            "jaarbegrotingen",
            {**ROW, "jaar": 2031, "begroting": Decimal("1000")},
            "Tabblad 'jaarbegrotingen', rij 2, kolom 'jaar': Kies een jaar van de deal: 2020 t/m 2025.",
        ),
        (
            "doorschuivingen",
            {**ROW, "van jaar": 2021, "bedrag": Decimal("1000")},
            "Tabblad 'doorschuivingen', rij 2, kolom 'besluit': Verplichte waarde ontbreekt.",
        ),
        (
            "doorschuivingen",
            {**ROW, "van jaar": 2021, "bedrag": Decimal("1000"), "besluit": "SG-2020-01"},
            "Tabblad 'doorschuivingen', rij 2, kolom 'bedrag': In 2021 bleef van Rijk op project 1110 €\u00a00,00 "
            "onbesteed; €\u00a01.000,00 is meer dan dat.",
        ),
        (
            "cofinanciering",
            {**ROW, "bedrag": Decimal("500"), "toegezegd op": datetime.date(2021, 1, 5)},
            "Tabblad 'cofinanciering', rij 2, kolom 'financier': De bijdrage van het Rijk loopt via de "
            "regiokassier: registreer een tranche.",
        ),
        (
            "cofinanciering",
            {"project": "1110", "financier": "Onderwijs", "bedrag": Decimal("500"), "status": "gerealiseerd",
             "toegezegd op": datetime.date(2021, 1, 5), "gerealiseerd op": datetime.date(2021, 6, 1)},
            "Tabblad 'cofinanciering', rij 2, kolom 'kenmerk bewijs': Gerealiseerde cofinanciering heeft bewijs "
            "nodig: een kenmerk of een document.",
        ),
        (
            "cofinanciering",
            {"project": "1110", "financier": "Onderwijs", "bedrag": Decimal("500"), "status": "gerealiseerd",
             "toegezegd op": datetime.date(2021, 1, 5)},
            "Tabblad 'cofinanciering', rij 2, kolom 'gerealiseerd op': Gerealiseerde cofinanciering heeft een "
            "datum van realisatie.",
        ),
        (
            "nog te bepalen",
            {"project": "", "financier": "Gemeente Nergens"},
            "Tabblad 'nog te bepalen', rij 2, kolom 'financier': Onbekende financier 'Gemeente Nergens': staat "
            "niet in tabblad 'financiers' en niet in de deal.",
        ),
    ],
)  # fmt: skip
def test_a_bad_row_is_located_and_nothing_is_saved(deal, coordinator, sheet, row, expected):
    data = edited(workbook_export(deal=deal), sheet, append=[row])
    before = finance_counts()

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert [str(e) for e in report.errors] == [expected]
    assert not report.saved
    assert finance_counts() == before


def test_a_bad_extra_row_also_keeps_a_new_deal_from_being_created(deal, coordinator):
    bad = {"project": "1110", "financier": "Rijk", "van jaar": 2021, "bedrag": Decimal("1")}
    data = edited(workbook_export(deal=deal), "doorschuivingen", append=[bad])
    before = finance_counts()

    report = workbook_import(data=data, user=coordinator, commit=True, deal_code="kopie")

    assert [(e.sheet, e.row, e.column) for e in report.errors] == [("doorschuivingen", 2, "besluit")]
    assert finance_counts() == before and not Deal.objects.filter(code="kopie").exists()


def test_the_same_year_twice_is_a_double(deal, coordinator):
    rows = [{**ROW, "jaar": 2021, "begroting": Decimal("10")}, {**ROW, "jaar": 2021, "begroting": Decimal("20")}]
    report = workbook_import(data=edited(workbook_export(deal=deal), "jaarbegrotingen", append=rows),
                             user=coordinator, commit=False)  # fmt: skip
    assert [str(e) for e in report.errors] == [
        "Tabblad 'jaarbegrotingen', rij 3, kolom 'jaar': Dubbel: dezelfde project, financier, jaar staan ook op "
        "rij 2 van dit tabblad."
    ]


def test_a_closed_years_plan_on_record_stays(extras, coordinator):
    data = edited(workbook_export(deal=extras), "jaarbegrotingen", change={"begroting": Decimal("90000")})
    report = workbook_import(data=data, user=coordinator, commit=True)
    assert [(e.row, e.column) for e in report.errors] == [(2, "jaar")]
    assert "2021 is afgesloten" in report.errors[0].message
    assert YearPlan.objects.get(project__deal=extras, year=2021).budget == Decimal("100000.00")


# ----------------------------------------------------------------------------- older workbooks


def test_a_workbook_without_the_extra_sheets_still_imports(extras, coordinator):
    old = without_sheets(workbook_export(deal=extras), EXTRA_NAMES)

    into_new = workbook_import(data=old, user=coordinator, commit=True, deal_code="kopie")
    assert into_new.saved, [str(e) for e in into_new.errors[:5]]
    assert not YearPlan.objects.filter(project__deal__code="kopie").exists()

    before = finance_counts()
    again = workbook_import(data=old, user=coordinator, commit=True)
    assert again.saved and finance_counts() == before  # nothing of the deal's own extras is removed


def test_an_empty_extra_sheet_means_nothing_of_that_kind(deal, coordinator):
    wb = load_workbook(io.BytesIO(without_sheets(workbook_export(deal=deal), ["nog te bepalen"])))
    wb.create_sheet("nog_te_bepalen")  # empty, and spelled as in the issue
    out = io.BytesIO()
    wb.save(out)
    report = workbook_import(data=out.getvalue(), user=coordinator, commit=False)
    assert report.errors == []
