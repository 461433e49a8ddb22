"""The deal workbook carries vouchers (issue [2/6] items 2 and 7) under the rules of the browser and the
project's own voucher import. Twente's scheme V01 has a begroting of € 150.000 and seven vouchers, of
which € 90.500 toegekend or uitbetaald (reports/demo_twente.py)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from finance.models_vouchers import Voucher
from finance.workbook import workbook_export, workbook_import
from projects.models import Deal
from tests.finance.test_workbook_decisions import edited, rows_of


@pytest.fixture
def twente(db) -> Deal:
    return Deal.objects.get(code="twente")


@pytest.fixture
def coordinator_t(db) -> User:
    return User.objects.get(username="coordinator_t")


def _vouchers(deal_code: str) -> list[tuple]:
    return sorted(
        Voucher.objects.filter(project__deal__code=deal_code).values_list(
            "project__code", "recipient", "date", "amount", "status", "reference", "note"
        )
    )


def _row(**changes) -> dict:
    row = {"project": "V01", "ontvanger": "Nieuw Bedrijf BV", "datum": datetime.date(2020, 2, 3),
           "bedrag": Decimal("10000.00"), "status": "aangevraagd", "kenmerk": "", "toelichting": ""}  # fmt: skip
    return row | changes


def test_the_export_lists_every_voucher_and_the_projects_sheet_marks_the_scheme(twente):
    data = workbook_export(deal=twente)

    rows = rows_of(data, "vouchers")
    assert len(rows) == 7
    assert (rows[0]["project"], rows[0]["ontvanger"], rows[0]["bedrag"], rows[0]["status"]) == (
        "V01", "Kunststofwerk Hengelo BV", 15000, "uitbetaald",
    )  # fmt: skip
    assert {r["code"]: r["voucherregeling"] for r in rows_of(data, "projecten")}["V01"] == "ja"
    assert {r["code"]: r["voucherregeling"] for r in rows_of(data, "projecten")}["B01"] == "nee"


def test_a_copy_has_the_same_vouchers_and_importing_again_changes_nothing(twente, coordinator_t):
    data = workbook_export(deal=twente)
    copied = workbook_import(data=data, user=coordinator_t, commit=True, deal_code="twente-kopie")
    again = workbook_import(data=data, user=coordinator_t, commit=True)

    assert copied.saved and again.saved, [str(e) for e in (copied.errors + again.errors)[:5]]
    assert [v[1:] for v in _vouchers("twente-kopie")] == [v[1:] for v in _vouchers("twente")]
    assert {c.sheet: (c.new, c.changed, c.unchanged) for c in again.counts}["vouchers"] == (0, 0, 7)
    assert Voucher.objects.filter(project__deal=twente).count() == 7


def test_a_new_voucher_is_added_in_the_importers_name(twente, coordinator_t):
    data = edited(workbook_export(deal=twente), "vouchers", append=[_row(kenmerk="V-2020-01")])
    report = workbook_import(data=data, user=coordinator_t, commit=True)

    assert report.saved and {c.sheet: c.new for c in report.counts}["vouchers"] == 1
    voucher = Voucher.objects.get(project__deal=twente, reference="V-2020-01")
    assert (voucher.recipient, voucher.amount, voucher.created_by) == (
        "Nieuw Bedrijf BV",
        Decimal("10000.00"),
        coordinator_t,
    )
    assert voucher.history.latest().history_user == coordinator_t


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            _row(project="B01"),
            "Tabblad 'vouchers', rij 9, kolom 'project': Project B01 is geen voucherregeling; alleen een "
            "voucherregeling heeft vouchers.",
        ),
        (
            _row(status="toegekend", bedrag=Decimal("60000.00")),
            "Tabblad 'vouchers', rij 9, kolom 'bedrag': Met deze voucher van €\xa060.000,00 komt wat in regeling V01 "
            "is toegekend of uitbetaald op €\xa0150.500,00, meer dan de begroting (€\xa0150.000,00). Er is nog "
            "€\xa059.500,00 ruimte.",
        ),
        (
            _row(datum=datetime.date(2030, 1, 1)),
            "Tabblad 'vouchers', rij 9, kolom 'datum': De datum 01-01-2030 ligt buiten de looptijd van de deal "
            "(01-01-2018 t/m 30-06-2025, de financiële afsluiting).",
        ),
        (
            _row(ontvanger="Kunststofwerk Hengelo BV", bedrag=15000, status="uitbetaald",
                 datum=datetime.date(2019, 3, 12), toelichting="Kennis- of ontwikkelvraag (illustratief)"),
            "Tabblad 'vouchers', rij 9, kolom 'kenmerk': Deze voucher staat ook op rij 2; geef elke voucher een eigen "
            "kenmerk.",
        ),
    ],
)  # fmt: skip
def test_a_bad_voucher_row_is_located_and_nothing_is_saved(twente, coordinator_t, row, expected):
    data = edited(workbook_export(deal=twente), "vouchers", append=[row])
    before = _vouchers("twente")

    report = workbook_import(data=data, user=coordinator_t, commit=True)

    assert [str(e) for e in report.errors] == [expected]
    assert not report.saved and _vouchers("twente") == before


def _set(data: bytes, sheet: str, excel_row: int, header: str, value) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    headers = [c.value for c in wb[sheet][1]]
    wb[sheet].cell(row=excel_row, column=headers.index(header) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_voucher_on_record_is_not_changed_by_a_workbook(twente, coordinator_t):
    Voucher.objects.filter(project__deal=twente, recipient="Dronewerk Twente").update(reference="V-DRONE")
    data = workbook_export(deal=twente)
    excel_row = 2 + next(i for i, r in enumerate(rows_of(data, "vouchers")) if r["kenmerk"] == "V-DRONE")

    report = workbook_import(
        data=_set(data, "vouchers", excel_row, "status", "uitbetaald"), user=coordinator_t, commit=True
    )

    assert [str(e) for e in report.errors] == [
        f"Tabblad 'vouchers', rij {excel_row}, kolom 'kenmerk': Kenmerk 'V-DRONE' bestaat al in deze regeling met "
        "andere waarden (status 'toegekend' → 'uitbetaald'). Een voucher verandert in het portaal, niet met een "
        "werkmap."
    ]
    assert Voucher.objects.get(reference="V-DRONE").status == "toegekend"
