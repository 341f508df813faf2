"""One search across every register: IDs, titles, owners, notes, evidence, every text an item
holds. Each hit names the item that opens it (an impact assessment opens its AI system)."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass

from app.services import registry
from app.services.engagement.file import EngagementFile
from app.services.workbook.areas import Area, Row
from app.services.workbook.cells import text_of

LIMIT = 500  # hits shown: more say "refine the search"


@dataclass(frozen=True)
class Hit:
    kind: str  # the area's kind
    area: str  # as a person names it (the sheet's name)
    item_id: str
    name: str
    field: str  # the label of the field the text was found in
    text: str  # the found text, cut around the match
    opens: tuple[str, str]  # (area kind, item ID) to show


def _texts(area: Area, row: Row) -> list[tuple[str, str]]:
    """(label, text) of every field searched: the ID and the fields the engagement holds."""
    found = []
    for column in area.columns:
        if column.spec is None and column is not area.key and column.key != area.name_field:
            continue  # guidance from the catalog, not the engagement's own words
        value = row.get(column.key)
        text = ", ".join(text_of(v) for v in value) if isinstance(value, tuple) else text_of(value)
        if text:
            found.append((column.label, text))
    return found


def _cut(text: str, at: int, width: int = 90) -> str:
    start = max(0, at - width // 3)
    piece = " ".join(text[start : start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def search(
    ef: EngagementFile, query: str
) -> Generator[tuple[int, int, str], None, tuple[list[Hit], bool]]:
    """Items holding every word of `query` (case aside); yields progress per area.
    Returns (hits, whether more were found than LIMIT)."""
    words = query.lower().split()
    hits: list[Hit] = []
    if not words:
        return hits, False
    areas = registry.AREAS
    for n, area in enumerate(areas):
        yield n, len(areas), f"Searching {area.sheet}"
        for item_id, row in area.load(ef).items():
            texts = _texts(area, row)
            whole = " ".join(t for _l, t in texts).lower()
            if not all(w in whole for w in words):
                continue
            label, text = next(((lb, t) for lb, t in texts if words[0] in t.lower()), texts[0])
            opens = (
                (area.parent[0], str(row.get(area.parent[1])))
                if area.parent
                else (area.kind, item_id)
            )
            hits.append(
                Hit(area.kind, area.sheet, item_id, text_of(row.get(area.name_field)), label,
                    _cut(text, text.lower().find(words[0])), opens)
            )  # fmt: skip
            if len(hits) > LIMIT:
                return hits[:LIMIT], True
    return hits, False
