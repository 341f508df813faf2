"""Reading a client's workbook (.xlsx, .xlsm, .ods, .csv) into plain rows, safely.

A workbook is a zip of XML written by someone else. Before any sheet is parsed, the zip is
walked once: declared and actual decompressed sizes, member count, DTDs and entity
declarations, and each sheet's declared dimension are checked, so a zip bomb or an XML entity
bomb is refused in a moment and without filling the memory. Macros are never run: only cell
values are read."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from app.services.errors import WorkbookError

MAX_FILE = 200 * 1024 * 1024  # bytes on disk
MAX_UNZIPPED = 1024 * 1024 * 1024  # all members, decompressed
MAX_RATIO = 200  # decompressed / compressed, per large member
MAX_MEMBERS = 5_000
MAX_ROWS = 250_000
MAX_COLUMNS = 500
MAX_CELL = 32_767  # Excel's own limit for one cell
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"')
_CHUNK = 1 << 20
SUFFIXES = (".xlsx", ".xlsm", ".ods", ".csv")


@dataclass
class RawSheet:
    name: str
    rows: list[list[object]]  # row 1 of the sheet is rows[0]; column A is [0]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    hidden: bool = False
    # (row, column), 0-based, of formulas saved without their result: they read as empty,
    # though the cell is not empty (a program that writes formulas but never calculates)
    uncached: set[tuple[int, int]] = field(default_factory=set)


def read_workbook(path: Path) -> list[RawSheet]:
    """Every sheet of the workbook at `path`, or WorkbookError saying what to do."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise WorkbookError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise WorkbookError(f"{path} is a folder, not a workbook.") from None
    except OSError as exc:
        raise WorkbookError(f"{path} cannot be read: {exc.strerror}.") from None
    if size > MAX_FILE:
        raise WorkbookError(
            f"{path.name} is {size / 2**20:.0f} MB; workbooks up to {MAX_FILE // 2**20} "
            "MB can be imported. Split it, or remove pictures and unused sheets."
        )
    if head.startswith(_OLE):
        if _ENCRYPTED in path.read_bytes():
            raise WorkbookError(
                f"{path.name} is protected by a password. Open it in your spreadsheet program, "
                "remove the password (save without encryption), and import that copy."
            )
        raise WorkbookError(
            f"{path.name} is an old-style .xls workbook. Open it in your spreadsheet program "
            "and save it as .xlsx (Excel Workbook), then import that file."
        )
    if path.suffix.lower() == ".csv":
        return [_read_csv(path)]
    if not head.startswith(b"PK"):
        raise WorkbookError(
            f"{path.name} is not a workbook this app can read. Save it as .xlsx, .ods or .csv."
        )
    _check_zip(path)
    sheets = _read_zipped(path)
    uncached = _uncached_formulas(path)
    for sheet in sheets:
        sheet.uncached = uncached.get(sheet.name, set())
    return sheets


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_CELL_MOST = 8 * MAX_CELL + 4096  # bytes of the longest cell: its text in UTF-8, escaped


def _uncached_formulas(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Per sheet name, the cells of an .xlsx holding a formula without a saved result. The
    sheets were checked by _check_zip already; each is read in chunks, never whole."""
    found: dict[str, set[tuple[int, int]]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for member, name in _sheet_names(archive).items():
                if member in archive.namelist():
                    cells = _scan_sheet(archive, member)
                    if cells:
                        found[name] = cells
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}  # .ods, or not readable this way: calamine's values stand
    return found


def _scan_sheet(archive: zipfile.ZipFile, member: str) -> set[tuple[int, int]]:
    cells: set[tuple[int, int]] = set()
    rest = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            data = rest + chunk
            if b"<f" not in data:  # no formula here: keep enough for a cell cut in two
                rest = data[-_CELL_MOST:]
                continue
            end = 0
            for match in _CELL.finditer(data):
                end = match.end()
                inner = match.group(2)
                if inner and b"<f" in inner and not _VALUE.search(inner):
                    ref = _REF.search(match.group(1))
                    if ref:
                        column = _column_number(ref.group(1).decode()) - 1
                        cells.add((int(ref.group(2)) - 1, column))
            rest = data[end:] if end else data[-_CELL_MOST:]
    return cells


def _check_zip(path: Path) -> None:
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise WorkbookError(
                    f"{name} holds {len(members):,} parts; this is not an ordinary workbook, "
                    "so it is refused."
                )
            if sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise WorkbookError(_bomb(name))
            sheet_names = _sheet_names(archive)
            total = 0
            for member in members:
                shown = sheet_names.get(member.filename)
                shown = f"sheet {shown}" if shown else member.filename
                total += _check_member(archive, member, name, shown)
                if total > MAX_UNZIPPED:
                    raise WorkbookError(_bomb(name))
    except zipfile.BadZipFile:
        raise WorkbookError(
            f"{name} is damaged (truncated or corrupt): ask the client to save and send it again."
        ) from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise WorkbookError(f"{name} cannot be unpacked ({exc}); save it again as .xlsx.") from None


_ELEMENT = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\b[^>]*>")
_ATTRIBUTE = re.compile(rb'([\w:]+)="([^"]*)"')


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Member path -> the sheet's name, so a message names the sheet the user sees."""
    try:
        book = archive.open("xl/workbook.xml").read(2**20)
        rels = archive.open("xl/_rels/workbook.xml.rels").read(2**20)
    except KeyError:
        return {}

    def elements(data: bytes) -> list[dict[bytes, bytes]]:
        return [dict(_ATTRIBUTE.findall(m.group(0))) for m in _ELEMENT.finditer(data)]

    targets = {e.get(b"Id"): e.get(b"Target", b"").decode(errors="replace") for e in elements(rels)}
    found = {}
    for sheet in elements(book):
        target = targets.get(sheet.get(b"r:id"), "").lstrip("/")
        member = target if target.startswith("xl/") else f"xl/{target}"
        found[member] = sheet.get(b"name", b"").decode(errors="replace").replace("&amp;", "&")
    return found


def _check_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, shown: str) -> int:
    """Decompress one member in chunks (never whole), stopping at the first broken limit."""
    read = 0
    limit = max(member.compress_size * MAX_RATIO, 10 * 2**20)
    xml = member.filename.endswith((".xml", ".rels"))
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            if xml:
                _check_xml(tail + chunk, read == 0, shown, name)
                tail = chunk[-16:]
            read += len(chunk)
            if read > limit or read > MAX_UNZIPPED:
                raise WorkbookError(_bomb(name))
    return read


def _check_xml(chunk: bytes, first: bool, shown: str, name: str) -> None:
    if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
        raise WorkbookError(
            f"{name} declares XML entities in {shown}; spreadsheet programs never write that, "
            "so the file is refused as unsafe."
        )
    found = _DIMENSION.search(chunk) if first else None
    if found:
        rows, columns = int(found[2]), _column_number(found[1].decode())
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise WorkbookError(_too_big(name, shown, rows, columns))


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _bomb(name: str) -> str:
    return (
        f"{name} unpacks to far more data than a workbook of its size can hold (a "
        "'zip bomb'); it is refused. Ask for the workbook saved again as .xlsx."
    )


def _too_big(name: str, sheet: str, rows: int, columns: int) -> str:
    return (
        f"{name}: {sheet} has {rows:,} rows and {columns:,} columns; at most "
        f"{MAX_ROWS:,} rows and {MAX_COLUMNS} columns can be imported. Remove unused rows "
        "and columns, or split the sheet."
    )


def _read_zipped(path: Path) -> list[RawSheet]:
    import python_calamine as calamine

    try:
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            if sheet.total_height > MAX_ROWS or sheet.total_width > MAX_COLUMNS:
                raise WorkbookError(
                    _too_big(path.name, f"sheet {meta.name}", sheet.total_height, sheet.total_width)
                )
            rows: list[list[object]] = sheet.to_python(skip_empty_area=False)  # type: ignore[assignment]
            merged = list(sheet.merged_cell_ranges or [])
            hidden = meta.visible != calamine.SheetVisibleEnum.Visible
            sheets.append(_checked(RawSheet(meta.name, rows, merged, hidden), path.name))
        workbook.close()
    except calamine.PasswordError:
        raise WorkbookError(
            f"{path.name} is protected by a password. Remove the "
            "password in your spreadsheet program and import that copy."
        ) from None
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError) as exc:
        raise WorkbookError(
            f"{path.name} is damaged or not a workbook ({exc}). Open it "
            "in your spreadsheet program and save it again as .xlsx."
        ) from None
    if not sheets:
        raise WorkbookError(f"{path.name} has no sheets with cells.")
    return sheets


def _read_csv(path: Path) -> RawSheet:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise WorkbookError(f"{path.name} is not a text file; a .csv must be plain text.")
    sample = text[:20_000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE))  # _checked says which cell
    rows: list[list[object]] = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            if number > MAX_ROWS or len(row) > MAX_COLUMNS:
                raise WorkbookError(
                    _too_big(path.name, f"sheet {path.stem}", max(number, len(rows)), len(row))
                )
            rows.append(list(row))
    except csv.Error as exc:
        raise WorkbookError(f"{path.name} is not a readable .csv ({exc}).") from None
    return _checked(RawSheet(path.stem, rows), path.name)


def _checked(sheet: RawSheet, name: str) -> RawSheet:
    for r, row in enumerate(sheet.rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, str) and len(value) > MAX_CELL:
                raise WorkbookError(
                    f"{name}: sheet {sheet.name}, row {r}, column {column_letter(c)}: the cell "
                    f"holds {len(value):,} characters; at most {MAX_CELL:,} can be imported."
                )
    return sheet


def column_letter(index: int) -> str:
    """0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
