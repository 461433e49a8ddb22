"""Spreadsheet files in and out, shared by every import and export of the portal.

Out: ``escape_cell`` keeps a text that a spreadsheet program would run as a formula a text.
In: ``inspect_xlsx`` looks at an uploaded file before anything parses it (what kind of file,
how many rows, which cells are merged), so that a wrong or huge file gets a clear Dutch
message at once; ``read_xlsx`` then reads the sheets and marks every formula cell, so that
an import can refuse it where it stands instead of reading an empty or stale value.

This module lives in regiodeal/ because finance, monitoring and reports all use it and
none of them may import another for it.
"""

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import fromstring

# Spreadsheet programs execute a text cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A signed number ("-5", "+31", "-1.234,5") is a number to a spreadsheet, never a formula:
# it stays as it is, so that a CSV column of values keeps its negative numbers.
_PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d.,]*(?:[eE][+-]?\d+)?$")

# Whatever the row cap, a workbook that unpacks to more than this is refused before
# openpyxl loads its shared strings (a zip of a few MB can unpack to gigabytes).
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
_SCAN_CHUNK = 1024 * 1024

_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": None,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": None,
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": (
        "Dit is een Excel-werkmap met macro's (.xlsm). Macro's worden niet geïmporteerd: sla de werkmap in Excel op "
        "als 'Excel-werkmap (.xlsx)' en upload die."
    ),
    "application/vnd.ms-excel.template.macroEnabled.main+xml": (
        "Dit is een Excel-sjabloon met macro's (.xltm). Sla het in Excel op als 'Excel-werkmap (.xlsx)' en upload die."
    ),
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": (
        "Dit is een binaire Excel-werkmap (.xlsb). Sla de werkmap in Excel op als 'Excel-werkmap (.xlsx)' "
        "en upload die."
    ),
}
_SAVE_AS_XLSX = "Open het in Excel of LibreOffice en sla het op als 'Excel-werkmap (.xlsx)'."


class SpreadsheetError(ValueError):
    """A file that cannot be read as asked; the message says why, in Dutch, for the user."""


def escape_cell(value):
    """Text for an exported cell: a leading formula character gets a quote in front."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def unescape_cell(value):
    """The inverse of ``escape_cell``, so that an exported file imports unchanged."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


def escape_row(values) -> list:
    return [escape_cell(v) for v in values]


def dutch_number(number: int) -> str:
    return f"{number:,}".replace(",", ".")


@dataclass(frozen=True)
class Formula:
    """A formula cell as read from a workbook: never a value to import."""

    text: str

    def __str__(self) -> str:
        return self.text

    @property
    def message(self) -> str:
        shown = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return (
            f"Formule niet toegestaan ({shown}): de import neemt alleen ingevulde waarden over. "
            "Vervang de formule door haar uitkomst (kopiëren, dan Plakken speciaal > Waarden)."
        )


@dataclass
class SheetInfo:
    name: str
    path: str
    rows: int = 0  # the last row in the file, as the spreadsheet numbers it
    merged: list[str] = field(default_factory=list)  # ranges such as "A1:B1"


@dataclass
class RawSheet:
    """One sheet as read: ``rows[i]`` is spreadsheet row i + 1; a formula cell holds a Formula."""

    title: str
    rows: list[list]
    merged: list[str]


# ----------------------------------------------------------------------------- the file itself


def inspect_xlsx(data: bytes, *, max_rows: int) -> list[SheetInfo]:
    """The worksheets of an xlsx file, their row counts and merged ranges, without parsing a cell.

    Raises SpreadsheetError for a file that is no workbook, a workbook with macros, and a
    workbook with more than ``max_rows`` rows (all sheets together); the row count stops
    as soon as the cap is passed, so a huge file costs little.
    """
    archive = _open_zip(data)
    with archive:
        workbook_part = _workbook_part(archive)
        sheets = _sheet_parts(archive, workbook_part)
        total = 0
        for sheet in sheets:
            _scan_sheet(archive, sheet, before=total, max_rows=max_rows)
            total += sheet.rows
    return sheets


def _open_zip(data: bytes) -> zipfile.ZipFile:
    if not data:
        raise SpreadsheetError("Het bestand is leeg (0 bytes).")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise SpreadsheetError(f"Dit is een werkmap in het oude Excel-formaat (.xls). {_SAVE_AS_XLSX}")
    if data[:4] != b"PK\x03\x04":
        if _looks_like_text(data):
            raise SpreadsheetError(
                "Dit bestand is platte tekst (bijvoorbeeld CSV), geen Excel-werkmap, ook al heet het .xlsx. "
                + _SAVE_AS_XLSX
            )
        raise SpreadsheetError(f"Dit bestand is geen Excel-werkmap (.xlsx). {_SAVE_AS_XLSX}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise SpreadsheetError(
            "Dit bestand is beschadigd of onvolledig (geen geldig zip-archief). Sla de werkmap opnieuw op "
            "en upload haar nog eens."
        ) from None
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        archive.close()
        raise SpreadsheetError(
            f"Deze werkmap is uitgepakt {unpacked // (1024 * 1024)} MB; de grens is "
            f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB. Splits de werkmap."
        )
    return archive


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if e.start >= len(head) - 3:  # a character cut in two by the 4096 bytes looked at
            text = head[: e.start].decode("utf-8-sig")
        else:
            text = head.decode("cp1252", errors="replace")
    return all(c.isprintable() or c in "\r\n\t" for c in text)


def _read_part(archive: zipfile.ZipFile, name: str, *, limit: int = 16 * 1024 * 1024) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise SpreadsheetError(f"Deze werkmap is onvolledig: het onderdeel '{name}' ontbreekt.") from None
    if info.file_size > limit:
        raise SpreadsheetError(f"Deze werkmap is onleesbaar: het onderdeel '{name}' is te groot.")
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise SpreadsheetError(f"Deze werkmap is beschadigd: het onderdeel '{name}' is niet te lezen.") from None


def _xml(archive: zipfile.ZipFile, name: str):
    try:
        return fromstring(_read_part(archive, name))
    except SpreadsheetError:
        raise
    except Exception:  # a parse error of any of the XML libraries openpyxl may use
        raise SpreadsheetError(f"Deze werkmap is beschadigd: het onderdeel '{name}' is geen geldige XML.") from None


def _local(tag) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _workbook_part(archive: zipfile.ZipFile) -> str:
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        if "mimetype" in names and archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument"):
            raise SpreadsheetError(f"Dit is een OpenDocument-bestand (.ods), geen Excel-werkmap. {_SAVE_AS_XLSX}")
        raise SpreadsheetError("Dit is een zip-bestand, maar geen Excel-werkmap (.xlsx).")
    for element in _xml(archive, "[Content_Types].xml"):
        content_type = element.get("ContentType", "")
        if _local(element.tag) == "Override" and content_type in _MAIN_TYPES:
            if _MAIN_TYPES[content_type]:
                raise SpreadsheetError(_MAIN_TYPES[content_type])
            return element.get("PartName", "").lstrip("/")
    raise SpreadsheetError(
        "Dit is een Office-bestand (zip), maar geen Excel-werkmap (.xlsx); is het misschien een Word- of "
        "PowerPoint-bestand?"
    )


def _sheet_parts(archive: zipfile.ZipFile, workbook_part: str) -> list[SheetInfo]:
    folder, name = posixpath.split(workbook_part)
    targets = {}
    for rel in _xml(archive, posixpath.join(folder, "_rels", name + ".rels")):
        if rel.get("Type", "").endswith("/worksheet"):
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            targets[rel.get("Id")] = path
    sheets = []
    for element in _xml(archive, workbook_part).iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        if rel_id in targets:  # chartsheets and dialog sheets hold no rows
            sheets.append(SheetInfo(name=element.get("name", ""), path=targets[rel_id]))
    return sheets


_ROOT_PREFIX = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet\b")
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_MERGE_TAG = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\sref="([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)"')
_AFTER_TAG_NAME = (b" ", b">", b"/", b"\n", b"\t", b"\r")


def _scan_sheet(archive: zipfile.ZipFile, sheet: SheetInfo, *, before: int, max_rows: int) -> None:
    """Counts the rows and finds merged ranges by scanning the sheet's XML as a stream; stops with
    a message once the sheets so far (``before`` rows) and this one pass ``max_rows``.

    Plain byte counts, not a regular expression per row: this runs before every import and
    must stay cheap for a sheet of 100.000 rows. A sheet's rows are the number of row tags, or
    the number of the last one if higher (rows may be left out); read_xlsx checks again while
    it reads, for a file whose rows are out of order.
    """
    count, tail, token = 0, b"", None
    try:
        with archive.open(sheet.path) as stream:
            while chunk := stream.read(_SCAN_CHUNK):
                buffer = tail + chunk
                end = buffer.rfind(b">") + 1  # a tag is never cut in two: scan up to the last '>'
                part, tail = buffer[:end], buffer[end:][-4096:]
                if token is None:
                    root = _ROOT_PREFIX.search(part)
                    if root is None:  # no row comes before the root element
                        continue
                    token = b"<" + (root.group(1) + b":" if root.group(1) else b"") + b"row"
                count += sum(part.count(token + after) for after in _AFTER_TAG_NAME)
                sheet.rows = max(count, sheet.rows, _last_row_number(part, token))
                if b"mergeCell" in part:
                    sheet.merged.extend(m.decode("ascii").upper() for m in _MERGE_TAG.findall(part))
                if before + sheet.rows > max_rows:
                    raise SpreadsheetError(
                        f"Te veel rijen: het bestand mag hoogstens {dutch_number(max_rows)} rijen hebben (alle "
                        f"tabbladen samen), maar tabblad '{sheet.name}' loopt al tot voorbij rij "
                        f"{dutch_number(sheet.rows)}. Er is niets ingelezen; splits het bestand in kleinere delen."
                    )
    except SpreadsheetError:
        raise
    except KeyError:
        raise SpreadsheetError(f"Deze werkmap is onvolledig: tabblad '{sheet.name}' ontbreekt.") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise SpreadsheetError(f"Deze werkmap is beschadigd: tabblad '{sheet.name}' is niet te lezen.") from None


def _last_row_number(part: bytes, token: bytes) -> int:
    start = part.rfind(token)
    while start >= 0 and part[start + len(token) : start + len(token) + 1] not in _AFTER_TAG_NAME:
        start = part.rfind(token, 0, start)  # "<rowBreaks" is no row
    if start < 0:
        return 0
    number = _ROW_NUMBER.search(part, start, part.find(b">", start) + 1)
    return int(number.group(1)) if number else 0


def csv_line_count_check(content: bytes, *, max_rows: int) -> None:
    """Refuses a CSV file of more than ``max_rows`` lines before it is decoded or parsed."""
    lines = content.count(b"\n") + (0 if content.endswith(b"\n") else 1)
    if lines > max_rows:
        raise SpreadsheetError(
            f"Te veel rijen: het bestand heeft {dutch_number(lines)} regels; de grens is {dutch_number(max_rows)}. "
            "Er is niets gelezen; splits het bestand in kleinere delen."
        )


# ----------------------------------------------------------------------------- the cells


def read_xlsx(data: bytes, *, max_rows: int) -> list[RawSheet]:
    """Every worksheet with its rows, after ``inspect_xlsx`` has admitted the file.

    Formulas are read as formulas (``Formula``), not as the value Excel stored with them:
    a workbook written by a program often has no stored value, and reading it as empty
    would silently lose what the cell meant.
    """
    infos = {info.name: info for info in inspect_xlsx(data, max_rows=max_rows)}
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as e:  # openpyxl raises many kinds for a file it cannot read
        raise SpreadsheetError(f"Deze werkmap is onleesbaar ({e.__class__.__name__}). {_SAVE_AS_XLSX}") from None
    sheets = []
    try:
        for ws in book.worksheets:
            info = infos.get(ws.title)
            sheets.append(RawSheet(ws.title, _read_rows(ws, max_rows=max_rows), info.merged if info else []))
    finally:
        book.close()
    return sheets


def _read_rows(ws, *, max_rows: int) -> list[list]:
    # Without this, openpyxl pads every row to the width the file claims (up to 16.384
    # columns); each row now is as wide as its last filled cell.
    ws.reset_dimensions()
    rows = []
    try:
        for cells in ws.iter_rows():
            rows.append([Formula(_formula_text(c.value)) if c.data_type == "f" else c.value for c in cells])
            if len(rows) > max_rows:  # rows out of order: openpyxl fills the gap with empty rows
                raise SpreadsheetError(
                    f"Te veel rijen: tabblad '{ws.title}' loopt tot voorbij rij {dutch_number(max_rows)}, de grens "
                    "voor het hele bestand. Er is niets ingelezen; splits het bestand in kleinere delen."
                )
    except SpreadsheetError:
        raise
    except Exception as e:  # a cell openpyxl cannot parse (malformed XML, a number that is none)
        raise SpreadsheetError(
            f"Tabblad '{ws.title}' is onleesbaar vanaf rij {len(rows) + 1} ({e.__class__.__name__}). {_SAVE_AS_XLSX}"
        ) from None
    return rows


def _formula_text(value) -> str:
    text = getattr(value, "text", value)  # an ArrayFormula keeps its formula in .text
    return str(text or "")


def column_letter(index: int) -> str:
    """0-based position -> spreadsheet column letter (0 -> A)."""
    return get_column_letter(index + 1)
