"""Reading a client's workbook (.xlsx, .xlsm, .ods, .csv) into plain rows, safely.

Only a regular file is read, and never more than MAX_FILE bytes of it. A zipped workbook
passes the checks of `package_check` before any sheet is parsed; a .csv is decoded by
`csv_read`. Macros are never run: only cell values are read."""

from __future__ import annotations

import errno
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from app.services.engagement.errors import WorkbookError
from app.services.workbook.csv_read import read_csv
from app.services.workbook.ods_layout import OdsSheet, ods_layout
from app.services.workbook.package_check import (
    CHUNK,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    check_package,
    column_number,
    sheet_names,
    too_big,
)
from app.services.workbook.package_check import (
    column_letter as column_letter,
)

MAX_FILE = 200 * 1024 * 1024  # bytes on disk, and at most this much is ever read
MAX_CELL = 32_767  # Excel's own limit for one cell
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
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
    data = read_capped(path)
    if not data:
        raise WorkbookError(
            f"{path.name}: the file is empty (0 bytes). Ask the client to save the workbook "
            "again and send that copy."
        )
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise WorkbookError(
                f"{path.name} is protected by a password. Open it in your spreadsheet program, "
                "remove the password (save without encryption), and import that copy."
            )
        raise WorkbookError(
            f"{path.name} is an old-style .xls workbook. Open it in your spreadsheet program "
            "and save it as .xlsx (Excel Workbook), then import that file."
        )
    if path.suffix.lower() == ".csv":
        rows = read_csv(data, path.stem, path.name, MAX_ROWS, MAX_COLUMNS, MAX_CELLS)
        return [_checked(RawSheet(path.stem, rows), path.name)]
    if not data.startswith(b"PK"):
        raise WorkbookError(
            f"{path.name} is not a workbook this app can read. Save it as .xlsx, .ods or .csv."
        )
    check_package(data, path.name)
    sheets = _read_zipped(path, data)
    uncached = _uncached_formulas(data)
    for sheet in sheets:
        sheet.uncached = uncached.get(sheet.name, set())
    return sheets


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_CELL_MOST = 8 * MAX_CELL + 4096  # bytes of the longest cell: its text in UTF-8, escaped


def _uncached_formulas(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Per sheet name, the cells of an .xlsx holding a formula without a saved result. The
    package was checked by check_package already; each sheet is read in chunks, never whole."""
    found: dict[str, set[tuple[int, int]]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member, name in sheet_names(archive).items():
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
        while chunk := stream.read(CHUNK):
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
                        column = column_number(ref.group(1).decode()) - 1
                        cells.add((int(ref.group(2)) - 1, column))
            rest = data[end:] if end else data[-_CELL_MOST:]
    return cells


def read_capped(path: Path) -> bytes:
    """The bytes of a regular file, at most MAX_FILE of them. A named pipe, a device (a link
    to /dev/zero) or a socket is refused before it is opened for reading: it could block, or
    never end."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise WorkbookError(f"{path} does not exist.") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise WorkbookError(f"{path} is a link that leads back to itself (a loop).") from None
        raise WorkbookError(f"{path} cannot be read: {exc.strerror}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise WorkbookError(f"{path} is a folder, not a workbook.")
    if not stat.S_ISREG(info.st_mode):
        raise WorkbookError(_not_a_file(path, info.st_mode))
    if info.st_size > MAX_FILE:
        raise WorkbookError(_too_large(path, info.st_size))
    try:
        # without blocking, and checked again once open: what was stat-ed may have been swapped
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise WorkbookError(f"{path} cannot be read: {exc.strerror}.") from None
    with os.fdopen(handle, "rb") as stream:
        mode = os.fstat(stream.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise WorkbookError(_not_a_file(path, mode))
        try:
            data = stream.read(MAX_FILE + 1)
        except OSError as exc:
            raise WorkbookError(f"{path} cannot be read: {exc.strerror}.") from None
    if len(data) > MAX_FILE:  # it grew while being read
        raise WorkbookError(_too_large(path, len(data)))
    return data


def _not_a_file(path: Path, mode: int) -> str:
    what = (
        "a named pipe"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    return f"{path} is {what}, not a workbook file; save the workbook as a file and import that."


def _too_large(path: Path, size: int) -> str:
    return (
        f"{path.name} is {size / 2**20:.0f} MB; workbooks up to {MAX_FILE // 2**20} "
        "MB can be imported. Split it, or remove pictures and unused sheets."
    )


def _read_zipped(path: Path, data: bytes) -> list[RawSheet]:
    import python_calamine as calamine

    ods = ods_layout(data, path.name)  # the reader knows no merged cells in an .ods
    try:  # the bytes that were checked, not the file again (it may have changed since)
        workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in workbook.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            if sheet.total_height > MAX_ROWS or sheet.total_width > MAX_COLUMNS:
                raise WorkbookError(
                    too_big(path.name, f"sheet {meta.name}", sheet.total_height, sheet.total_width)
                )
            rows: list[list[object]] = sheet.to_python(skip_empty_area=False)  # type: ignore[assignment]
            merged = list(sheet.merged_cell_ranges or ods.get(meta.name, OdsSheet()).merged)
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


def _checked(sheet: RawSheet, name: str) -> RawSheet:
    for r, row in enumerate(sheet.rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, str) and len(value) > MAX_CELL:
                raise WorkbookError(
                    f"{name}: sheet {sheet.name}, row {r}, column {column_letter(c)}: the cell "
                    f"holds {len(value):,} characters; at most {MAX_CELL:,} can be imported."
                )
    return sheet
