"""The checks an .xlsx, .xlsm or .ods package passes before any sheet is parsed.

A workbook is a zip of XML written by someone else. It is walked once, member by member, in
chunks: member names (two of the same name, names that climb out of the package), declared
and actual decompressed sizes, member count, any DTD or entity declaration in any part (each
part decoded by its byte-order mark and XML declaration first, so UTF-16 hides nothing), and
each worksheet's size by the cells it actually holds (not the dimension it declares), so a
zip bomb, an XML entity bomb or one cell far out in the grid is refused in a moment and
without filling the memory."""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from app.services.errors import WorkbookError

MAX_UNZIPPED = 1024 * 1024 * 1024  # all members, decompressed
MAX_RATIO = 200  # decompressed / compressed, per large member
MAX_MEMBERS = 5_000
MAX_ROWS = 250_000
MAX_COLUMNS = 500
# cells of the grid a sheet spans (rows x columns, from A1 to its farthest cell): the reader
# holds the whole grid in memory
MAX_CELLS = 5_000_000
_CHUNK = 1 << 20
_CARRY = 1 << 20  # text kept between chunks while no tag ends in it

_DIMENSION = re.compile(r'<(?:\w+:)?dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"')
_CELL_ROW = re.compile(r'<(?:\w+:)?c\s(?:[^>]*?\s)?r="[A-Z]{1,7}(\d{1,12})"')
_CELL_COLUMN = re.compile(r'<(?:\w+:)?c\s(?:[^>]*?\s)?r="([A-Z]{1,7})\d')
_ROW = re.compile(r'<(?:\w+:)?row\s(?:[^>]*?\s)?r="(\d{1,12})"')
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.I)
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# "<?" in an encoding without a byte-order mark (XML 1.0, appendix F)
_SNIFFED = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)


@dataclass
class SheetSize:
    rows: int = 0  # the farthest row holding a cell (1-based)
    columns: int = 0  # the farthest column


def check_package(data: bytes, name: str) -> None:
    """WorkbookError (saying what is wrong and what to do) unless the zip in `data` is safe
    to hand to the parser."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise WorkbookError(
                    f"{name} holds {len(members):,} parts; this is not an ordinary workbook, "
                    "so it is refused."
                )
            _check_names([m.filename for m in members], name)
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


def _check_names(names: list[str], name: str) -> None:
    """Part names are unique (compared without case, as the package format does) and stay
    inside the package."""
    twice = [n for n, count in Counter(n.lower() for n in names).items() if count > 1]
    if twice:
        raise WorkbookError(
            f"{name} is not a valid workbook: it holds two parts named '{twice[0]}', so which "
            "one is the workbook cannot be told. Ask the client to save it again as .xlsx."
        )
    for member in names:
        parts = member.replace("\\", "/").split("/")
        if member.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", member):
            raise WorkbookError(
                f"{name} is not a valid workbook: its part '{member}' points outside the "
                "package, which spreadsheet programs never write, so the file is refused as "
                "unsafe."
            )


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
    limit = max(member.compress_size * MAX_RATIO, 10 * 2**20)
    read = 0
    worksheet = member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
    size = SheetSize()
    with archive.open(member) as stream:

        def chunks() -> Iterator[bytes]:
            nonlocal read
            while chunk := stream.read(_CHUNK):
                read += len(chunk)
                if read > limit or read > MAX_UNZIPPED:
                    raise WorkbookError(_bomb(name))
                yield chunk

        first = True
        for text in _texts(chunks(), member.filename):
            if _DTD.search(text):
                raise WorkbookError(
                    f"{name} declares XML entities in {shown}; spreadsheet programs never "
                    "write that, so the file is refused as unsafe."
                )
            if worksheet:
                if first and (found := _DIMENSION.search(text)):
                    rows, columns = int(found[2]), column_number(found[1])
                    if rows > MAX_ROWS or columns > MAX_COLUMNS:
                        raise WorkbookError(too_big(name, shown, rows, columns))
                _measure(text, size, name, shown)
            first = False
    return read


def _texts(chunks: Iterator[bytes], member: str) -> Iterator[str]:
    """A part as text, decoded by its byte-order mark or XML declaration (UTF-8 when it has
    neither, or for a part that is not XML), in pieces cut after a '>' so that no tag is ever
    split between two pieces."""
    decoder: codecs.IncrementalDecoder | None = None
    carry = ""
    for chunk in chunks:
        if decoder is None:
            decoder = codecs.getincrementaldecoder(_encoding(chunk, member))(errors="replace")
        text = carry + decoder.decode(chunk)
        cut = text.rfind(">") + 1
        if cut == 0 and len(text) < _CARRY:
            carry = text
            continue
        if cut == 0:  # no tag ends in a whole megabyte: the next piece overlaps this one
            carry = text[-64:]
            yield text
            continue
        carry = text[cut:]
        yield text[:cut]
    if decoder is not None:
        yield carry + decoder.decode(b"", final=True)


def _encoding(head: bytes, member: str) -> str:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    for start, encoding in _SNIFFED:
        if head.startswith(start):
            return encoding
    declared = _DECLARED.match(head)
    if declared:
        encoding = declared[1].decode("ascii").lower()
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise WorkbookError(
                f"{member} is written in the encoding '{encoding}', which no spreadsheet "
                "program uses; save the workbook again as .xlsx."
            ) from None
        return encoding
    return "utf-8"


def _measure(text: str, size: SheetSize, name: str, shown: str) -> None:
    """Grow `size` by the cells (and rows) in `text`; refuse as soon as the sheet is over a
    limit. (Two passes of a regular expression: a loop over every cell would take longer
    than reading the sheet does.)"""
    rows = _CELL_ROW.findall(text) + _ROW.findall(text)
    if rows:
        size.rows = max(size.rows, max(map(int, rows)))
    columns = set(_CELL_COLUMN.findall(text))
    if columns:
        size.columns = max(size.columns, max(map(column_number, columns)))
    if size.rows > MAX_ROWS or size.columns > MAX_COLUMNS:
        raise WorkbookError(too_far(name, shown, size.rows, size.columns))
    if size.rows * size.columns > MAX_CELLS:
        raise WorkbookError(too_many(name, shown, size.rows, size.columns))


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _bomb(name: str) -> str:
    return (
        f"{name} unpacks to far more data than a workbook of its size can hold (a "
        "'zip bomb'); it is refused. Ask for the workbook saved again as .xlsx."
    )


def too_big(name: str, sheet: str, rows: int, columns: int) -> str:
    return (
        f"{name}: {sheet} has {rows:,} rows and {columns:,} columns; at most "
        f"{MAX_ROWS:,} rows and {MAX_COLUMNS} columns can be imported. Remove unused rows "
        "and columns, or split the sheet."
    )


def too_far(name: str, sheet: str, rows: int, columns: int) -> str:
    return (
        f"{name}: {sheet} has cells as far as row {rows:,} and column "
        f"{column_letter(columns - 1)}; at most {MAX_ROWS:,} rows and {MAX_COLUMNS} "
        "columns can be imported. Delete the rows and columns after the data (a stray cell "
        "far below or to the right counts too), or split the sheet."
    )


def too_many(name: str, sheet: str, rows: int, columns: int) -> str:
    return (
        f"{name}: {sheet} spans {rows:,} rows by {columns:,} columns, more than "
        f"the {MAX_CELLS:,} cells (rows times columns) that can be imported from one sheet. "
        "Delete unused rows and columns, or split the sheet."
    )


def column_letter(index: int) -> str:
    """0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
