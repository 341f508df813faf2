"""Where the data is on a sheet nobody here designed: the header row (often below title rows),
headers over several lines or merged cells, which area the sheet is about, and which column
holds which field. A user's correction is kept as a named mapping for the client's next
workbook."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from app.services.engagement.errors import WorkbookError
from app.services.registry import AREA_BY_KIND
from app.services.workbook.areas import KINDS_WITHOUT_REGISTER, Column
from app.services.workbook.cells import text_of
from app.services.workbook.read import RawSheet
from app.services.workbook.tables import Table, tables

SCAN_ROWS = 30
IGNORE = ""  # a column mapped to nothing


@dataclass
class Layout:
    kind: str  # an area kind, "people" or "unknown"
    header_row: int  # 1-based; 0 when none was found
    headers: list[str]  # the header text of each column, merged headers joined
    columns: dict[int, str] = field(default_factory=dict)  # column index -> field key

    def to_json(self) -> dict[str, object]:
        """As a mapping file holds it: every heading, "" for one kept in the notes."""
        columns = {h: self.columns.get(i, IGNORE) for i, h in enumerate(self.headers) if h}
        return {"kind": self.kind, "header_row": self.header_row, "columns": columns}


def normal(text: object) -> str:
    """Header text compared loosely: case, line breaks, brackets and punctuation ignored."""
    words = re.sub(r"\([^)]*\)|\[[^]]*\]", " ", text_of(text).lower())
    words = re.sub(r"[^\w/#&+]+", " ", words)
    return " ".join(words.split())


_NAMES: dict[str, tuple[list[tuple[str, str]], dict[str, str]]] = {}


def _names(table: Table) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(normalised name, field key) for every label and synonym, longest first; and the key
    of each name, the first of the longest. Made once a table: detecting a sheet's layout
    matches 30 rows against every table."""
    found = _NAMES.get(table.sheet)
    if found is None:
        names = [(normal(c.label), c.key) for c in table.columns]
        names += [(normal(s), c.key) for c in table.columns for s in c.synonyms]
        names.sort(key=lambda n: -len(n[0]))
        found = _NAMES[table.sheet] = (names, {name: key for name, key in reversed(names)})
    return found


_TABLES = [t for t in tables() if t.child is None]


# Words of a heading that asks for something instead of recording it ("Evidence to request",
# "Typical evidence", "Evidence required"): such a column filling an evidence field would make
# a point look evidenced when nothing has been seen.
_ASKING = frozenset(
    ("request", "requested", "required", "needed", "expected", "typical", "suggested",
     "example", "examples", "proposed", "planned")
)  # fmt: skip
_HEADING_WORDS = 10  # a heading longer than this is read only by an exact match


def _paragraph(normalised: str) -> bool:
    """A cell this long is data, whatever words it contains (the banner rows and long
    guidance cells of real client registers otherwise score as headings)."""
    return normalised.count(" ") >= _HEADING_WORDS


def _may_contain(column: Column, name: str, words: str) -> bool:
    """Whether a header (its normalised `words`) that merely contains `name` may fill
    `column`."""
    if column.spec is None:
        return True  # never imported: matching it only helps recognise the sheet
    said = set(words.split())
    if "evidence" in column.key and said & _ASKING:
        return False
    # "Next review date" is when a review falls: never the day a meeting was held, nor when
    # the work is due
    named = set(name.split())
    return not (column.spec.kind == "date" and any(w in said - named for w in ("review", "next")))


def match_columns(table: Table, headers: list[str]) -> dict[int, str]:
    """Each header to at most one field: exact names first, then a name the header contains
    (unless the header asks for the field rather than holds it, see `_may_contain`)."""
    names, exact = _names(table)
    normals = [normal(header) for header in headers]
    found: dict[int, str] = {}
    used: set[str] = set()
    for index, header in enumerate(normals):
        key = exact.get(header)
        if key and key not in used:
            found[index] = key
            used.add(key)
    for index, header in enumerate(normals):
        if index in found or not header or _paragraph(header):
            continue
        words = f" {header} "
        for name, key in names:
            if (
                key not in used
                and len(name) > 4
                and f" {name} " in words
                and _may_contain(table.by_key[key], name, words)
            ):
                found[index] = key
                used.add(key)
                break
    return found


def headers_at(sheet: RawSheet, row: int) -> list[str]:
    """The header texts of 1-based `row`; a merged group heading above is put in front."""
    cells = sheet.rows[row - 1] if 0 < row <= len(sheet.rows) else []
    texts = [" ".join(text_of(c).split()) for c in cells]
    for (top, left), (bottom, _right) in sheet.merged:  # a heading merged down onto this row
        if top < row - 1 <= bottom and left < len(texts) and not texts[left]:
            texts[left] = " ".join(text_of(sheet.rows[top][left]).split())
    for (top, left), (bottom, right) in sheet.merged:
        spans = right - left + 1
        if bottom == row - 2 and 1 < spans < sum(1 for t in texts if t):  # a group heading
            group = " ".join(text_of(sheet.rows[top][left]).split())
            if len(group) > 40:
                continue
            for col in range(left, min(right + 1, len(texts))):
                if group and texts[col] and not texts[col].lower().startswith(group.lower()):
                    texts[col] = f"{group} {texts[col]}"
    return texts


def likely_header_row(sheet: RawSheet) -> int:
    """For a sheet no area was recognised on: the first of the top rows with the most
    headings (text cells), 1 when there are none."""
    best, best_count = 1, 0
    for row in range(1, min(SCAN_ROWS, len(sheet.rows)) + 1):
        count = sum(1 for c in sheet.rows[row - 1] if isinstance(c, str) and c.strip())
        if count > best_count:
            best, best_count = row, count
    return best


def detect(sheet: RawSheet) -> Layout:
    """The likeliest header row and kind of a foreign sheet."""
    best = Layout("unknown", 0, [])
    best_score = 1  # at least two recognised headers are needed
    for row in range(1, min(SCAN_ROWS, len(sheet.rows)) + 1):
        headers = headers_at(sheet, row)
        if sum(1 for h in headers if h) < 2:
            continue
        for table in _TABLES:
            columns = match_columns(table, headers)
            if not set(columns.values()) & table.area.signature:
                continue
            score = len(columns) + (1 if table.area.key.key in columns.values() else 0)
            if score > best_score:
                best, best_score = Layout(table.kind, row, headers, columns), score
        for kind, words in KINDS_WITHOUT_REGISTER.items():
            score = sum(
                1 for h in headers if not _paragraph(n := normal(h)) and any(w in n for w in words)
            )
            if score >= max(best_score, 2):
                best, best_score = Layout(kind, row, headers, {}), score
    return best


def apply_saved(sheet: RawSheet, saved: dict[str, object]) -> Layout:
    """A layout from a named mapping: its header row and column names, matched to this sheet."""
    kind = str(saved.get("kind", "unknown"))
    row = int(str(saved.get("header_row", 0)))
    headers = headers_at(sheet, row)
    named = saved.get("columns", {})
    assert isinstance(named, dict)
    columns = {i: str(named[h]) for i, h in enumerate(headers) if h in named and named[h] != IGNORE}
    try:
        _check_fields(sheet.name, kind, columns.values())
    except ValueError as exc:
        raise WorkbookError(f"The mapping cannot be used: {exc}.") from None
    return Layout(kind, row, headers, columns)


# named mappings


def load_mapping(path: Path) -> dict[str, dict[str, object]]:
    """A mapping file: {"sheets": {sheet name: {"kind", "header_row", "columns"}}}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "sheets" not in data:
            raise TypeError('it must hold {"sheets": {sheet name: layout}}')
        sheets = data["sheets"]
        if not isinstance(sheets, dict) or not all(isinstance(v, dict) for v in sheets.values()):
            raise TypeError("'sheets' must map sheet names to layouts")
        for name, layout in sheets.items():
            int(layout.get("header_row", 0))
            if not isinstance(layout.get("columns", {}), dict):
                raise TypeError("'columns' must map headers to fields")
            _check_fields(name, str(layout.get("kind", "unknown")), layout["columns"].values())
        return sheets
    except FileNotFoundError:
        raise WorkbookError(f"The mapping file {path} does not exist.") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise WorkbookError(f"The mapping file {path} cannot be used ({exc}).") from None


def _check_fields(sheet: str, kind: str, fields: object) -> None:
    """ValueError naming a kind or field the sheet's area does not have."""
    if kind not in AREA_BY_KIND and kind not in KINDS_WITHOUT_REGISTER and kind != "unknown":
        raise ValueError(f"sheet {sheet} is said to be '{kind}', which is no area")
    table = next((t for t in _TABLES if t.kind == kind), None)
    known = {c.key for c in table.columns} if table else set()
    unknown = sorted({str(f) for f in fields} - known - {IGNORE}) if table else []  # type: ignore[attr-defined]
    if unknown:
        raise ValueError(f"sheet {sheet}: a {kind} sheet has no field {', '.join(unknown)}")


def save_mapping(path: Path, layouts: dict[str, Layout]) -> None:
    data = {"sheets": {name: layout.to_json() for name, layout in layouts.items()}}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


# rows that are not data

_PLACEHOLDER = re.compile(r"^(\[.*\]|<.*>|e\.g\..*|example.*|tbd|xx+|n/a|-+|…|\.\.\.)$", re.I)
_SUMMARY = {"total", "totals", "summary", "average", "count", "subtotal", "grand total"}
_SUMMARY_WORD = re.compile("total|summary|average|count")  # in each of them: a quick test


def is_data_row(sheet: RawSheet, row_index: int, width: int) -> bool:
    """False for empty rows, template placeholders ([R-XX-01], [1-5]), totals and section
    headings (one cell spread over most of the row)."""
    # the filled cells are read only as far as the tests need: the first, and whether
    # there is a second (and, while every one so far is a placeholder, the next)
    first, several, placeholders = "", False, True
    for cell in sheet.rows[row_index][:width]:
        text = text_of(cell) if cell is not None else ""
        if not text:
            continue
        if not first:
            first, placeholders = text, bool(_PLACEHOLDER.match(text))
            continue
        several = True
        if not placeholders or not _PLACEHOLDER.match(text):
            placeholders = False
            break
    if not first or placeholders:
        return False
    first = first.lower()
    if _SUMMARY_WORD.search(first) and normal(first) in _SUMMARY:
        return False
    if not several and width > 3:
        for (top, left), (bottom, right) in sheet.merged:
            if top <= row_index <= bottom and right - left + 1 >= width // 2:
                return False
    return True
