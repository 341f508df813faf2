"""The tables a workbook holds: one per area, plus one per child list (impacts, treatment
actions), each keyed so that export and import address the same rows the same way."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.registry import AREAS
from app.services.workbook.areas import Area, Child, Column, Row, canonical
from app.services.workbook.cells import text_of

PARENT = "parent"
NUMBER = "no"


@dataclass(frozen=True)
class Table:
    area: Area
    child: Child | None = None

    @property
    def sheet(self) -> str:
        return self.child.sheet if self.child else self.area.sheet

    @property
    def kind(self) -> str:
        return self.area.kind

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        if self.child is None:
            return self.area.columns
        owner = f"{self.area.noun[0].upper()}{self.area.noun[1:]} ID"
        return (
            Column(PARENT, owner, FieldSpec(PARENT, owner, "text", required=True), 14),
            Column(NUMBER, "No.", width=6, from_cell=_number),
            *self.child.columns,
        )

    @cached_property
    def by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    @property
    def id_keys(self) -> tuple[str, ...]:
        """Columns that say which item a row is: locked on the sheet."""
        return (NUMBER,) if self.child else (self.area.key.key,)

    def rows(self, items: dict[str, Row]) -> dict[str, Row]:
        """The table's rows by key, from the area's items as `Area.load` gives them."""
        if self.child is None:
            return items
        found: dict[str, Row] = {}
        for item_id, item in items.items():
            children: tuple[Row, ...] = item.get(self.child.field) or ()  # type: ignore[assignment]
            for number, child in enumerate(children, start=1):
                found[child_key(item_id, number)] = {PARENT: item_id, NUMBER: number, **child}
        return found


def tables() -> Iterator[Table]:
    for area in AREAS:
        yield Table(area)
        for child in area.children:
            yield Table(area, child)


def child_key(parent: str, number: int) -> str:
    return f"{parent}#{number}"


def _number(cell: object) -> int | None:
    text = text_of(cell)
    if not text:
        return None  # a new row
    if not text.isdigit():
        raise FieldError(
            NUMBER, f"No. '{text}' is not the row's number: keep the number it was exported "
            "with, or leave it empty for a new row.",
        )  # fmt: skip
    return int(text)


def fingerprint(value: object) -> str:
    """A short, stable digest of a stored value: what the metadata sheet keeps of each cell."""
    text = value.strip() if type(value) is str else canonical(value)
    return f"{zlib.crc32(text.encode()):08x}"


def row_digest(cells: Sequence[object]) -> str:
    """A digest of a row's cells as a spreadsheet gives them back: an imported row with the
    same digest, of an item not changed in the app since, needs no closer look."""
    text = "\x1f".join(c.strip() if type(c) is str else text_of(c) for c in cells)
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


class Items(dict[str, dict[str, Row]]):
    """Each area's items by kind, read from the engagement when first asked for: an import
    of an unchanged workbook never needs them."""

    def __init__(self, ef: EngagementFile) -> None:
        super().__init__()
        self.ef = ef

    def __missing__(self, kind: str) -> dict[str, Row]:
        area = next(a for a in AREAS if a.kind == kind)
        self[kind] = found = area.load(self.ef)
        return found
