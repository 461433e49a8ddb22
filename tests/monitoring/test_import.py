"""Import of metingen: dry run, Dutch row-level errors (sheet, row, column), all or nothing."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from monitoring.models import Indicator, Measurement
from monitoring.resources import import_measurements

pytestmark = pytest.mark.django_db

HEADER = ["indicator", "datum", "periode_vanaf", "waarde", "tekst", "bron"]


def xlsx(rows, title="Metingen") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv(rows) -> bytes:
    lines = [";".join(HEADER)] + [";".join(str(c) for c in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_dry_run_saves_nothing_and_the_commit_saves_all(deal, coordinator):
    content = xlsx(
        [["1320-O1", dt.date(2022, 12, 31), None, 180, None, "Loket"], ["AL2-BV", "01-01-2023", "", "54.100", "", ""]]
    )
    before = Measurement.objects.count()
    report = import_measurements(deal=deal, user=coordinator, content=content, filename="m.xlsx", commit=False)
    assert report.ok and report.new == 2 and not report.committed
    assert Measurement.objects.count() == before
    report = import_measurements(deal=deal, user=coordinator, content=content, filename="m.xlsx", commit=True)
    assert report.committed
    assert Measurement.objects.get(indicator__code="AL2-BV", date=dt.date(2023, 1, 1)).value == Decimal(54100)
    new = Measurement.objects.get(indicator__code="1320-O1", date=dt.date(2022, 12, 31))
    assert new.status == Measurement.Status.DRAFT and new.entered_by == coordinator and new.value == 180


def test_errors_name_sheet_row_and_column_and_nothing_is_saved(deal, coordinator):
    content = xlsx(
        [
            ["1320-O1", dt.date(2023, 1, 31), None, 10, None, None],  # fine, but not saved
            ["XX-99", dt.date(2023, 1, 31), None, 1, None, None],
            ["1320-O1", "gisteren", None, 1, None, None],
            ["1320-O2", dt.date(2023, 1, 31), None, "veel", None, None],
        ],
        title="Blad1",
    )
    before = Measurement.objects.count()
    report = import_measurements(deal=deal, user=coordinator, content=content, filename="m.xlsx", commit=True)
    assert not report.committed
    assert Measurement.objects.count() == before
    messages = [str(e) for e in report.errors]
    assert "blad 'Blad1', rij 3, kolom 'indicator': Indicator 'XX-99' bestaat niet in deze deal." in messages
    assert any(m.startswith("blad 'Blad1', rij 4, kolom 'datum': 'gisteren' is geen datum") for m in messages)
    assert any(m.startswith("blad 'Blad1', rij 5, kolom 'waarde': 'veel' is geen getal") for m in messages)


def test_an_approved_meting_is_not_overwritten(deal, coordinator):
    content = csv([["1320-O1", "01-07-2022", "", "999", "", ""]])  # the demo's approved 124
    report = import_measurements(deal=deal, user=coordinator, content=content, filename="m.csv", commit=True)
    assert [str(e) for e in report.errors] == [
        "rij 2, kolom 'datum': Op deze datum is al een goedgekeurde meting voor deze indicator; "
        "die blijft zoals hij is."
    ]
    assert Measurement.objects.get(indicator__code="1320-O1", date=dt.date(2022, 7, 1)).value == 124


def test_missing_value_for_a_quantitative_indicator(deal, coordinator):
    report = import_measurements(
        deal=deal,
        user=coordinator,
        content=csv([["1320-O1", "2023-01-31", "", "", "", ""]]),
        filename="m.csv",
        commit=False,
    )
    assert [str(e) for e in report.errors] == [
        "rij 2, kolom 'waarde': Vul een waarde in: deze indicator is kwantitatief."
    ]


def test_wrong_file_and_missing_columns(deal, coordinator):
    report = import_measurements(deal=deal, user=coordinator, content=b"x", filename="m.pdf", commit=False)
    assert "extensie .xlsx of .csv" in str(report.errors[0])
    report = import_measurements(
        deal=deal, user=coordinator, content=b"code;waarde\n1;2\n", filename="m.csv", commit=False
    )
    assert "indicator, datum ontbreken" in str(report.errors[0])
    report = import_measurements(
        deal=deal, user=coordinator, content=b"PK\x03\x04rubbish", filename="m.xlsx", commit=False
    )
    assert "beschadigd of onvolledig (geen geldig zip-archief)" in str(report.errors[0])


def test_dutch_numbers_in_csv(deal, coordinator):
    rows = [["AL2-BV", "2023-01-01", "", "54.100", "", ""], ["BW-01", "2023-12-31", "", "88,5", "", ""]]
    report = import_measurements(deal=deal, user=coordinator, content=csv(rows), filename="m.csv", commit=True)
    assert report.committed, report.errors
    assert Measurement.objects.get(indicator__code="AL2-BV", date=dt.date(2023, 1, 1)).value == Decimal(54100)
    assert Measurement.objects.get(indicator__code="BW-01", date=dt.date(2023, 12, 31)).value == Decimal("88.5")


def test_browser_import_preview_then_confirm(deal, coordinator, client_for):
    client = client_for(coordinator)
    url = reverse("monitoring:measurement-import", args=[deal.code])
    upload = io.BytesIO(csv([["1340-O1", "2023-03-01", "", "650", "", "Vindstage"]]))
    upload.name = "metingen.csv"
    response = client.post(url, {"file": upload})
    assert "Voorbeeld: 1 nieuwe" in response.content.decode()
    assert not Indicator.objects.get(code="1340-O1").measurements.filter(date=dt.date(2023, 3, 1)).exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert Indicator.objects.get(code="1340-O1").measurements.get(date=dt.date(2023, 3, 1)).value == 650


def test_browser_import_is_for_the_coordinator_only(deal, theme_manager, steering, client_for):
    url = reverse("monitoring:measurement-import", args=[deal.code])
    assert client_for(theme_manager).get(url).status_code == 403
    assert client_for(steering).get(url).status_code == 403


def test_export_round_trips_through_the_import(deal, coordinator, client_for):
    response = client_for(coordinator).get(reverse("monitoring:measurement-export", args=[deal.code, "xlsx"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == tuple(HEADER)
    assert ("1320-O1", "2022-07-01") in {(r[0], r[1]) for r in rows}
    csv_response = client_for(coordinator).get(reverse("monitoring:measurement-export", args=[deal.code, "csv"]))
    assert "1320-O1" in csv_response.content.decode("utf-8-sig")


def test_import_command_dry_run_and_errors(deal, coordinator, tmp_path):
    good = tmp_path / "goed.csv"
    good.write_bytes(csv([["1340-O1", "2023-04-01", "", "660", "", ""]]))
    call_command("import_metingen", "cleantech", str(good), "--gebruiker", "coordinator")
    assert not Measurement.objects.filter(indicator__code="1340-O1", date=dt.date(2023, 4, 1)).exists()
    call_command("import_metingen", "cleantech", str(good), "--gebruiker", "coordinator", "--opslaan")
    assert Measurement.objects.filter(indicator__code="1340-O1", date=dt.date(2023, 4, 1)).exists()
    bad = tmp_path / "fout.csv"
    bad.write_bytes(csv([["XX", "2023-04-01", "", "1", "", ""]]))
    with pytest.raises(CommandError, match="1 fout"):
        call_command("import_metingen", "cleantech", str(bad), "--gebruiker", "coordinator", "--opslaan")
    with pytest.raises(CommandError, match="geen coördinator"):
        call_command("import_metingen", "cleantech", str(good), "--gebruiker", "stuurgroep")
