"""A client's .csv as rows of text: its encoding and its separator found, whatever program
wrote it.

Excel and LibreOffice write UTF-8 (with or without a byte-order mark), Windows-1252 in
Western Europe, or UTF-16 with a byte-order mark ("Unicode text", and PowerShell's
Export-Csv); European settings separate with semicolons (the comma is their decimal mark)."""

from __future__ import annotations

import codecs
import csv
import io

from app.services.engagement.errors import WorkbookError
from app.services.workbook.package_check import too_many

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, name: str) -> str:
    """The text of a .csv: by its byte-order mark; UTF-16 without one when every other byte
    of its start is NUL; else UTF-8, else Windows-1252."""
    encoding = next((e for bom, e in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        head = data[:4096]
        if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and not head[::2].count(0):
            encoding = "utf-16-le"
        elif len(head) >= 4 and head[::2].count(0) > len(head) // 4 and not head[1::2].count(0):
            encoding = "utf-16-be"
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError:
        if encoding is not None:
            raise WorkbookError(
                f"{name} is not readable text ({encoding} that breaks off); save it again as "
                "CSV UTF-8."
            ) from None
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise WorkbookError(f"{name} is not a text file; a .csv must be plain text.")
    return text


def read_csv(
    data: bytes, sheet: str, name: str, max_rows: int, max_columns: int, max_cells: int
) -> list[list[object]]:
    """The rows of the .csv in `data` (file `name`, shown as sheet `sheet`); the grid (rows
    times the widest row) stays within `max_cells`."""
    text = decode(data, name)
    if not text.strip():
        raise WorkbookError(
            f"{name}: the file is empty (no text). Ask the client to save the sheet again as "
            ".csv and send that copy."
        )
    dialect = _dialect(text[:20_000])
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # the caller names the cell
    rows: list[list[object]] = []
    width = 0
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            width = max(width, len(row))
            if number > max_rows or len(row) > max_columns:
                raise WorkbookError(
                    f"{name}: sheet {sheet} has {max(number, len(rows)):,} rows and {len(row):,} "
                    f"columns; at most {max_rows:,} rows and {max_columns} columns can be "
                    "imported. Remove unused rows and columns, or split the sheet."
                )
            if number * width > max_cells:
                raise WorkbookError(too_many(name, f"sheet {sheet}", number, width))
            rows.append(list(row))
    except csv.Error as exc:
        raise WorkbookError(f"{name} is not a readable .csv ({exc}).") from None
    return rows


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    """The separator of the header line wins: a European file's semicolons, even where its
    text holds commas (decimal commas, lists)."""
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in ";\t,"}
    best = max(counts, key=lambda d: counts[d])
    try:
        found = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        found = None
    if found is not None and found.delimiter == best:
        return found
    if counts[best] == 0:
        return found or csv.excel

    class Header(csv.excel):
        delimiter = best

    return Header
