"""What the reader does not tell of an OpenDocument spreadsheet (.ods, as LibreOffice saves
it): each sheet's merged cells, and how far its cells with content reach, read from
content.xml before the sheets are parsed.

Rows and cells carry repeat counts (LibreOffice writes a million empty rows as one element),
so a sheet's size is known only by walking them; one cell with content far out in the grid
is refused here, before the reader builds the grid."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import iterparse

from app.services.engagement.errors import WorkbookError
from app.services.workbook.package_check import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, too_far, too_many

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")

Merge = tuple[tuple[int, int], tuple[int, int]]  # ((top, left), (bottom, right)), 0-based


@dataclass
class OdsSheet:
    merged: list[Merge] = field(default_factory=list)
    rows: int = 0  # the farthest row with content (1-based)
    columns: int = 0


def ods_layout(data: bytes, name: str) -> dict[str, OdsSheet]:
    """Sheet name -> its merges and extent; WorkbookError for a sheet over the limits."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if "content.xml" not in archive.namelist():
            return {}
        with archive.open("content.xml") as stream:
            return _walk(stream, name)


def _number(element: object, attribute: str) -> int:
    value = element.get(f"{_TABLE}{attribute}", "1")  # type: ignore[attr-defined]
    return max(1, int(value)) if value.isdigit() else 1


def _walk(stream: io.BufferedIOBase | object, name: str) -> dict[str, OdsSheet]:
    sheets: dict[str, OdsSheet] = {}
    sheet = OdsSheet()
    title = ""
    row = column = 0
    repeat_rows = 1
    try:
        for event, element in iterparse(stream, events=("start", "end")):  # type: ignore[arg-type]
            tag = element.tag
            if event == "start":
                if tag == f"{_TABLE}table":
                    title = element.get(f"{_TABLE}name", "")
                    sheet, row = OdsSheet(), 0
                    sheets[title] = sheet
                elif tag == f"{_TABLE}table-row":
                    column, repeat_rows = 0, _number(element, "number-rows-repeated")
                continue
            if tag in _CELLS:
                repeat = _number(element, "number-columns-repeated")
                if element.get(f"{_OFFICE}value-type") or len(element):
                    sheet.rows = max(sheet.rows, row + repeat_rows)
                    sheet.columns = max(sheet.columns, column + repeat)
                    _check(sheet, title, name)
                across = _number(element, "number-columns-spanned")
                down = _number(element, "number-rows-spanned")
                if across > 1 or down > 1:
                    sheet.merged.append(((row, column), (row + down - 1, column + across - 1)))
                column += repeat
                element.clear()
            elif tag == f"{_TABLE}table-row":
                row += repeat_rows
                element.clear()
    except SyntaxError as exc:  # xml.etree's ParseError
        raise WorkbookError(
            f"{name} is damaged ({exc}). Open it in your spreadsheet program and save it again."
        ) from None
    return sheets


def _check(sheet: OdsSheet, title: str, name: str) -> None:
    if sheet.rows > MAX_ROWS or sheet.columns > MAX_COLUMNS:
        raise WorkbookError(too_far(name, f"sheet {title}", sheet.rows, sheet.columns))
    if sheet.rows * sheet.columns > MAX_CELLS:
        raise WorkbookError(too_many(name, f"sheet {title}", sheet.rows, sheet.columns))
