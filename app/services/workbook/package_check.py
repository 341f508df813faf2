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

from app.services.engagement.errors import WorkbookError

MAX_UNZIPPED = 1024 * 1024 * 1024  # all members, decompressed
MAX_RATIO = 200  # decompressed / compressed, per large member
MAX_MEMBERS = 5_000
MAX_ROWS = 250_000
MAX_COLUMNS = 500
# cells of the grid a sheet spans (rows x columns, from A1 to its farthest cell): the reader
# holds the whole grid in memory
MAX_CELLS = 5_000_000
CHUNK = 1 << 20
_CARRY = 1 << 20  # text kept between chunks while no tag ends in it

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"')
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
# A cell beyond column T or row 250,000 (or a row tag beyond it): an ordinary sheet of up to
# 20 columns has none, and is measured by this one search; any other is measured exactly.
_OVER = rb"0*(?:\d{7,}|[3-9]\d{5}|2[6-9]\d{4}|25[1-9]\d{3}|250[1-9]\d\d|2500[1-9]\d|25000[1-9])"
_SUSPECT = re.compile(rb'r="(?:(?:[A-Z]{2,7}|[U-Z])\d|[A-Z]{0,7}' + _OVER + rb'")')
_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)[\s>/]([^>]*)")
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Z]*)(\d*)["']""")
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
    row: int = 0  # where the walk is: a row or cell without a reference follows the last
    column: int = 0


class _UnevenSheetError(Exception):
    """The sheet needs measuring cell by cell."""


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
            names = sheet_names(archive)
            total = 0
            for member in members:
                shown = names.get(member.filename)
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


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
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
    worksheet = member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
    try:
        return _walk_member(archive, member, name, shown, "quick" if worksheet else "")
    except _UnevenSheetError:
        return _walk_member(archive, member, name, shown, "exact")


def _walk_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, shown: str, measure: str
) -> int:
    limit = max(member.compress_size * MAX_RATIO, 10 * 2**20)
    read = 0
    size = SheetSize()
    with archive.open(member) as stream:

        def chunks() -> Iterator[bytes]:
            nonlocal read
            while chunk := stream.read(CHUNK):
                read += len(chunk)
                if read > limit or read > MAX_UNZIPPED:
                    raise WorkbookError(_bomb(name))
                yield chunk

        first = True
        for text in _texts(chunks(), member.filename):
            if b"<!" in text and _DTD.search(text):
                raise WorkbookError(
                    f"{name} declares XML entities in {shown}; spreadsheet programs never "
                    "write that, so the file is refused as unsafe."
                )
            if first and measure and (found := _DIMENSION.search(text)):
                rows, columns = int(found[2]), column_number(found[1])
                if rows > MAX_ROWS or columns > MAX_COLUMNS:
                    raise WorkbookError(too_big(name, shown, rows, columns))
            if measure == "quick" and (_SUSPECT.search(text) or _unreferenced(text)):
                raise _UnevenSheetError
            if measure == "exact":
                _measure(text, size, name, shown)
            first = False
    return read


def _unreferenced(text: bytes) -> bool:
    """Some cell or row may have no reference (its place is then the one after the last), or
    tags carry a namespace prefix: the quick count cannot tell where they are."""
    tags = sum(text.count(t) for t in (b"<c ", b"<c>", b"<c/>", b"<row ", b"<row>"))
    if not tags and b":c " in text:
        return True
    return tags > text.count(b' r="')


def _texts(chunks: Iterator[bytes], member: str) -> Iterator[bytes]:
    """A part as UTF-8, decoded by its byte-order mark or XML declaration (UTF-8 when it has
    neither, or for a part that is not XML) and encoded again where it was not UTF-8, in
    pieces cut after a '>' so that no tag is ever split between two pieces."""
    decoder: codecs.IncrementalDecoder | None = None
    utf8 = True
    carry = b""
    for chunk in chunks:
        if decoder is None:
            encoding = _encoding(chunk, member)
            utf8 = codecs.lookup(encoding).name in ("utf-8", "ascii")
            decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        data = chunk if utf8 else decoder.decode(chunk).encode("utf-8", "replace")
        text = carry + data
        cut = text.rfind(b">") + 1
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
        yield carry + (b"" if utf8 else decoder.decode(b"", final=True).encode("utf-8", "replace"))


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


def _measure(text: bytes, size: SheetSize, name: str, shown: str) -> None:
    """Walk the rows and cells in `text`, growing `size`; refuse as soon as the sheet is over a
    limit. A row or cell without a reference is the one after the last."""
    for found in _TAG.finditer(text):
        ref = _REF.search(b" " + found[2])
        letters, digits = (ref[1], ref[2]) if ref else (b"", b"")
        if found[1] == b"row":
            size.row = int(digits) if digits else size.row + 1
            size.column = 0
            continue
        size.column = column_number(letters) if letters else size.column + 1
        row = int(digits) if digits else max(size.row, 1)
        if row > size.rows or size.column > size.columns:
            size.rows, size.columns = max(size.rows, row), max(size.columns, size.column)
            if size.rows > MAX_ROWS or size.columns > MAX_COLUMNS:
                raise WorkbookError(too_far(name, shown, size.rows, size.columns))
            if size.rows * size.columns > MAX_CELLS:
                raise WorkbookError(too_many(name, shown, size.rows, size.columns))


def column_number(letters: str | bytes) -> int:
    """A -> 1, AA -> 27."""
    number = 0
    for letter in letters.encode() if isinstance(letters, str) else letters:
        number = number * 26 + letter - 64
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
