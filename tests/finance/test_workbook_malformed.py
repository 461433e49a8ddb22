"""Files that are no workbook, too big, or malformed: a located Dutch message, in the browser and on
the command line, and nothing written. (The systematic corpus is in test_workbook_corpus.py.)"""

import io
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from finance.models import Booking, Funder, Tranche
from finance.workbook import workbook_export, workbook_import, workbook_template
from monitoring.models import Measurement
from monitoring.resources import import_measurements
from projects.models import ActionLine, Deal, Organisation, Programme, Project
from regiodeal.spreadsheets import inspect_xlsx
from tests.finance.workbook_corpus import write_xlsx

MODELS = (Deal, ActionLine, Programme, Project, Organisation, Funder, Booking, Tranche)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def template_with(change) -> bytes:
    wb = load_workbook(io.BytesIO(workbook_template()))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, replace.get(info.filename, source.read(info)))
    return out.getvalue()


def a_zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def macro_workbook() -> bytes:
    data = workbook_template()
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return rezip(data, {"[Content_Types].xml": types})


def rows_of(count: int, *, first_row: int = 1) -> bytes:
    """A one-sheet workbook of ``count`` rows (written fast, without openpyxl)."""
    return write_xlsx({"deal": [["code"]] * count}) if first_row == 1 else sparse_row(first_row)


def sparse_row(row: int) -> bytes:
    """A tiny file whose only row is number ``row``: openpyxl would read every row above it."""
    data = write_xlsx({"deal": [["code"]]})
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    xml = xml.replace(b'<row r="1"><c r="A1"', f'<row r="{row}"><c r="A{row}"'.encode())
    return rezip(data, {"xl/worksheets/sheet1.xml": xml})


NOT_A_WORKBOOK = [
    ("leeg", lambda: b"", "Het bestand is leeg (0 bytes)"),
    ("csv-als-xlsx", lambda: b"kenmerk;project;bedrag\nB-1;1110;100\n", "platte tekst (bijvoorbeeld CSV)"),
    ("xlsm", macro_workbook, "Excel-werkmap met macro's (.xlsm)"),
    ("geen-zip", lambda: bytes(range(256)) * 8, "geen Excel-werkmap (.xlsx)"),
    ("zip-zonder-werkmap", lambda: a_zip({"foto.txt": b"hallo"}), "een zip-bestand, maar geen Excel-werkmap"),
    (
        "word-bestand",
        lambda: a_zip(
            {
                "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.wordprocessingml.document.main+xml"/></Types>'
            }
        ),
        "maar geen Excel-werkmap",
    ),
    ("oud-xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "oude Excel-formaat (.xls)"),
    (
        "ods",
        lambda: a_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
        "OpenDocument-bestand (.ods)",
    ),
    ("afgebroken", lambda: workbook_template()[:3000], "beschadigd of onvolledig"),
    ("rij-een-miljoen", lambda: sparse_row(1_048_576), "Te veel rijen"),
]


@pytest.mark.parametrize("name, make, fragment", NOT_A_WORKBOOK, ids=[c[0] for c in NOT_A_WORKBOOK])
def test_a_file_that_is_no_readable_workbook_gets_one_dutch_message_and_writes_nothing(
    coordinator, name, make, fragment
):
    before = row_counts()

    report = workbook_import(data=make(), user=coordinator, commit=True)

    assert not report.saved
    [error] = report.errors
    assert fragment in error.message
    assert str(error).startswith("Werkmap: ")
    assert row_counts() == before


# ----------------------------------------------------------------------------- row cap


def test_a_workbook_above_the_row_cap_is_refused_before_any_cell_is_parsed(settings, coordinator):
    settings.WORKBOOK_MAX_ROWS = 50
    data = rows_of(60)

    with mock.patch("regiodeal.spreadsheets.load_workbook", side_effect=AssertionError("parsed")) as load:
        report = workbook_import(data=data, user=coordinator, commit=True)

    load.assert_not_called()
    [error] = report.errors
    assert "Te veel rijen: het bestand mag hoogstens 50 rijen hebben" in error.message
    assert "tabblad 'deal'" in error.message


def test_the_row_cap_admits_the_benchmark_workbook_and_refuses_the_attack(settings):
    # The sheets of bench/workbook_import.py's workbook (100.000 bookings, 1000 projects), row by row.
    shape = {"deal": 2, "actielijnen": 3, "programma's": 7, "projecten": 1001, "financiers": 18}
    shape |= {"begroting": 3483, "toekenningen": 3483, "uitkeringen": 46339, "bestedingen": 46699, "Toelichting": 84}
    bench = write_xlsx({name: [[1]] * rows for name, rows in shape.items()})
    assert sum(info.rows for info in inspect_xlsx(bench, max_rows=settings.WORKBOOK_MAX_ROWS)) == 101_119

    attack = write_xlsx({"bestedingen": [[1]] * 200_000})
    with pytest.raises(ValueError, match="Te veel rijen"):
        inspect_xlsx(attack, max_rows=settings.WORKBOOK_MAX_ROWS)


def test_metingen_above_the_row_cap_are_refused_before_parsing(settings, deal, coordinator):
    settings.MEASUREMENTS_MAX_ROWS = 10
    lines = b"indicator;datum;waarde\n" + b"1320-O1;01-01-2023;1\n" * 11
    with mock.patch("monitoring.resources.csv.reader", side_effect=AssertionError("parsed")):
        report = import_measurements(deal=deal, user=coordinator, content=lines, filename="m.csv", commit=True)
    assert "Te veel rijen" in str(report.errors[0])

    xlsx = write_xlsx({"Metingen": [["indicator", "datum", "waarde"]] + [["1320-O1", "01-01-2023", 1]] * 11})
    with mock.patch("regiodeal.spreadsheets.load_workbook", side_effect=AssertionError("parsed")):
        report = import_measurements(deal=deal, user=coordinator, content=xlsx, filename="m.xlsx", commit=True)
    assert "Te veel rijen" in str(report.errors[0])


def test_a_formula_or_merged_cell_in_a_metingen_file_is_refused_where_it_stands(deal, coordinator):
    before = Measurement.objects.count()
    rows = [["indicator", "datum", "waarde", "bron"], ["1320-O1", "31-12-2022", 180, '="Loket"']]
    data = write_xlsx({"Metingen": rows}, merges={"Metingen": ["B3:C3"]})

    report = import_measurements(deal=deal, user=coordinator, content=data, filename="m.xlsx", commit=True)

    messages = [str(e) for e in report.errors]
    assert any(m.startswith("blad 'Metingen', rij 2, kolom 'bron': Formule niet toegestaan") for m in messages)
    assert any(m.startswith("blad 'Metingen', rij 3, kolom 'B': Samengevoegde cellen (B3:C3)") for m in messages)
    assert Measurement.objects.count() == before


# ----------------------------------------------------------------------------- the cases


def test_an_empty_sheet_is_a_located_message_not_a_type_error(coordinator):
    data = template_with(lambda wb: wb["projecten"].delete_rows(1, 2))

    report = workbook_import(data=data, user=coordinator, commit=True)

    assert not report.saved
    assert (report.errors[0].sheet, report.errors[0].row) == ("projecten", 1)
    assert "Het tabblad is leeg" in report.errors[0].message


def test_a_title_row_above_the_header_is_a_located_message_naming_the_header_row(coordinator):
    def title(wb):
        wb["begroting"].insert_rows(1)
        wb["begroting"]["A1"] = "Begroting 2023"

    report = workbook_import(data=template_with(title), user=coordinator, commit=True)

    assert [str(e) for e in report.errors] == [
        "Tabblad 'begroting', rij 1: Hier hoort de kopregel, maar die staat op rij 2 (rij 1 bevat "
        "'Begroting 2023'). Verwijder de rij boven de kopregel."
    ]
    assert not report.saved


def test_a_formula_in_an_optional_column_is_refused_not_stored_empty(coordinator):
    data = template_with(lambda wb: wb["begroting"].cell(row=2, column=7, value='="zie "&"bijlage"'))

    report = workbook_import(data=data, user=coordinator, commit=True)

    [error] = report.errors
    assert (error.sheet, error.row, error.column) == ("begroting", 2, "toelichting")
    assert error.message.startswith('Formule niet toegestaan (="zie "&"bijlage")')
    assert not Deal.objects.filter(code="voorbeeld").exists()


def test_a_formula_without_a_stored_value_is_a_formula_not_a_missing_value(coordinator):
    data = template_with(lambda wb: wb["begroting"].cell(row=2, column=4, value="=40000*2"))

    [error] = workbook_import(data=data, user=coordinator, commit=False).errors

    assert (error.sheet, error.row, error.column) == ("begroting", 2, "bedrag")
    assert "Formule niet toegestaan" in error.message and "ontbreekt" not in error.message


def test_a_row_doubled_in_a_reimport_is_a_double_with_both_rows_not_unchanged_twice(coordinator, deal):
    wb = load_workbook(io.BytesIO(workbook_export(deal=deal)))
    budget = wb["begroting"]
    budget.append([c.value for c in budget[2]])
    out = io.BytesIO()
    wb.save(out)
    before = row_counts()

    report = workbook_import(data=out.getvalue(), user=coordinator, commit=True)

    kenmerk = budget["A2"].value
    assert [str(e) for e in report.errors] == [
        f"Tabblad 'begroting', rij {budget.max_row}, kolom 'kenmerk': Dubbel: kenmerk '{kenmerk}' staat ook op "
        "rij 2 van dit tabblad."
    ]
    assert {c.sheet: c.unchanged for c in report.counts}["begroting"] == budget.max_row - 2
    assert row_counts() == before


def test_a_tranche_number_beyond_the_database_column_is_a_message_not_a_data_error(coordinator):
    data = template_with(lambda wb: wb["uitkeringen"].cell(row=2, column=4, value=2**31))

    report = workbook_import(data=data, user=coordinator, commit=True)

    [error] = report.errors
    assert (error.sheet, error.row, error.column) == ("uitkeringen", 2, "tranchenummer")
    assert error.message == "'2147483648' is te groot: hoogstens 2147483647."


def test_an_amount_beyond_the_database_column_is_a_message(coordinator):
    data = template_with(lambda wb: wb["begroting"].cell(row=2, column=4, value=1e15))

    [error] = workbook_import(data=data, user=coordinator, commit=True).errors

    assert (error.sheet, error.row, error.column) == ("begroting", 2, "bedrag")
    assert "te groot: hoogstens 999.999.999.999,99" in error.message


# ----------------------------------------------------------------------------- command line


@pytest.fixture
def formula_workbook(tmp_path):
    path = tmp_path / "werkmap.xlsx"
    path.write_bytes(template_with(lambda wb: wb["begroting"].cell(row=2, column=4, value="=1+1")))
    return path


def test_import_command_prints_each_message_with_its_location(formula_workbook, capsys, coordinator):
    with pytest.raises(CommandError, match="niets opgeslagen"):
        call_command("import_workbook", str(formula_workbook), "--user", "coordinator")

    assert "Tabblad 'begroting', rij 2, kolom 'bedrag': Formule niet toegestaan (=1+1)" in capsys.readouterr().err


def test_import_command_says_what_is_wrong_with_a_file_that_is_no_workbook(tmp_path, capsys, coordinator):
    path = tmp_path / "werkmap.xlsx"
    path.write_bytes(b"kenmerk;bedrag\nB-1;100\n")

    with pytest.raises(CommandError):
        call_command("import_workbook", str(path), "--user", "coordinator")

    assert "Werkmap: Dit bestand is platte tekst (bijvoorbeeld CSV)" in capsys.readouterr().err


def test_import_command_without_user_only_checks_and_says_so(tmp_path, capsys, coordinator):
    path = tmp_path / "werkmap.xlsx"
    path.write_bytes(workbook_template())  # with a payout: a check needs no user

    call_command("import_workbook", str(path))

    out = capsys.readouterr().out
    assert "Geen --user opgegeven: alleen een controle, er wordt niets opgeslagen." in out
    assert "Controle zonder fouten; er is niets opgeslagen (geen --user)." in out
    assert not Deal.objects.filter(code="voorbeeld").exists()

    call_command("import_workbook", str(path), "--user", "coordinator")
    assert Deal.objects.get(code="voorbeeld").projects.count() == 1
    assert "Werkmap geïmporteerd." in capsys.readouterr().out


# ----------------------------------------------------------------------------- browser


@pytest.fixture
def upload_dir(settings, tmp_path):
    settings.WORKBOOK_UPLOAD_DIR = tmp_path / "uploads"
    return settings.WORKBOOK_UPLOAD_DIR


def _upload(client, data: bytes, name: str):
    return client.post(
        reverse("finance:workbook-import"),
        {"werkmap": SimpleUploadedFile(name, data, content_type="application/octet-stream")},
    )


@pytest.mark.parametrize(
    "name, make, fragment",
    [
        ("werkmap.xlsm", macro_workbook, "Een werkmap met macro&#x27;s wordt niet geïmporteerd"),
        ("stiekem.xlsx", macro_workbook, "Excel-werkmap met macro&#x27;s (.xlsm)"),
        ("csv.xlsx", lambda: b"kenmerk;bedrag\nB-1;100\n", "platte tekst (bijvoorbeeld CSV)"),
        ("oud.xls", lambda: b"\xd0\xcf\x11\xe0", "het oude Excel-formaat"),
        ("groot.xlsx", lambda: rows_of(60), "Te veel rijen"),
    ],
)
def test_upload_of_a_wrong_file_says_why_on_the_form_and_keeps_nothing(
    client_for, coordinator, upload_dir, settings, name, make, fragment
):
    settings.WORKBOOK_MAX_ROWS = 50

    response = _upload(client_for(coordinator), make(), name)

    assert response.status_code == 200
    assert fragment in response.content.decode()
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_preview_lists_a_formula_at_sheet_row_and_column_and_offers_no_import(client_for, coordinator, upload_dir):
    data = template_with(lambda wb: wb["bestedingen"].cell(row=2, column=8, value="=A1"))

    response = _upload(client_for(coordinator), data, "werkmap.xlsx")

    content = response.content.decode()
    assert '<td>bestedingen</td><td class="num">2</td><td>toelichting</td><td>Formule niet toegestaan (=A1)' in content
    assert 'action="/financien/werkmap/bevestigen/"' not in content
