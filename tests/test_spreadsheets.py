"""regiodeal/spreadsheets.py: what a file is and how many rows it has, before any cell is parsed."""

import io
import zipfile
from unittest import mock

import pytest

from regiodeal import spreadsheets
from regiodeal.spreadsheets import Formula, SpreadsheetError, inspect_xlsx, read_xlsx
from tests.finance.workbook_corpus import write_xlsx


def replace_sheet_xml(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, change(content) if info.filename == "xl/worksheets/sheet1.xml" else content)
    return out.getvalue()


def test_rows_and_merged_ranges_are_counted_across_chunk_boundaries(monkeypatch):
    monkeypatch.setattr(spreadsheets, "_SCAN_CHUNK", 97)  # many chunks, tags cut in every possible place
    rows = [["kenmerk", "bedrag"]] + [[f"B-{i}", i] for i in range(1, 300)]
    data = write_xlsx({"begroting": rows, "leeg": []}, merges={"begroting": ["A5:B5", "C7:D9"]})

    [budget, empty] = inspect_xlsx(data, max_rows=1000)

    assert (budget.name, budget.rows, budget.merged) == ("begroting", 300, ["A5:B5", "C7:D9"])
    assert (empty.name, empty.rows) == ("leeg", 0)


def test_prefixed_xml_and_row_breaks_are_counted_right():
    # Some writers (the OpenXML SDK) give every element a prefix; <rowBreaks> is no row.
    data = write_xlsx({"blad": [["a"], ["b"], ["c"]]})

    def prefixed(xml: bytes) -> bytes:
        xml = xml.replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=").replace(b"</worksheet>", b"</x:worksheet>")
        for tag in (b"sheetData", b"row", b"c", b"v", b"is", b"t"):
            xml = xml.replace(b"<" + tag + b" ", b"<x:" + tag + b" ").replace(b"<" + tag + b">", b"<x:" + tag + b">")
            xml = xml.replace(b"</" + tag + b">", b"</x:" + tag + b">")
        return xml.replace(b"</x:sheetData>", b'</x:sheetData><x:rowBreaks count="1"><x:brk id="2"/></x:rowBreaks>')

    [sheet] = inspect_xlsx(replace_sheet_xml(data, prefixed), max_rows=10)

    assert sheet.rows == 3


def test_a_row_number_far_down_counts_as_that_many_rows():
    data = replace_sheet_xml(write_xlsx({"blad": [["a"]]}), lambda xml: xml.replace(b'r="1"', b'r="5000"'))

    with pytest.raises(SpreadsheetError, match="voorbij rij 5.000"):
        inspect_xlsx(data, max_rows=4999)


def test_a_workbook_that_unpacks_too_big_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED_BYTES", 1000)
    data = write_xlsx({"blad": [["x" * 2000]]})

    with mock.patch("regiodeal.spreadsheets.load_workbook") as load, pytest.raises(SpreadsheetError, match="uitgepakt"):
        read_xlsx(data, max_rows=10)
    load.assert_not_called()


def test_read_xlsx_marks_formulas_with_and_without_a_stored_result():
    data = write_xlsx({"blad": [["a", "=1+1", "=2+2"]]}, cached={("blad", "C1"): "4"})

    [sheet] = read_xlsx(data, max_rows=10)

    assert sheet.rows == [["a", Formula("=1+1"), Formula("=2+2")]]


def test_a_text_file_with_a_character_cut_at_the_sample_edge_is_still_text():
    data = b"a" * 4095 + "é".encode()  # the 4096th byte is half of 'é'

    with pytest.raises(SpreadsheetError, match="platte tekst"):
        inspect_xlsx(data, max_rows=10)
