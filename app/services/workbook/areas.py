"""What an area says of its workbook sheet: its columns, how to read its items as rows and how
to write a row back through the area's own service. Export, import and their tests share this
one description; each area keeps its own in its package (`risks/sheet.py`) and the registry
lists them, so the workbook engine names no area."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.workbook.cells import text_of, to_stored

Row = dict[str, object]
Matcher = Callable[[Row], str | None]
CreateMany = Callable[[EngagementFile, list[tuple[str | None, Row]], bool], list[str | FieldError]]


@dataclass(frozen=True)
class Column:
    """One column: `spec` None means shown for reference and never imported."""

    key: str
    label: str
    spec: FieldSpec | None = None
    width: int = 18
    synonyms: tuple[str, ...] = ()
    to_cell: Callable[[object], object] | None = None
    from_cell: Callable[[object], object] | None = None
    # guidance for the client (never imported): a client's own column matched to it is kept
    # in the notes of a foreign sheet's rows
    guidance: bool = False

    @property
    def editable(self) -> bool:
        return self.spec is not None

    def cell(self, stored: object) -> object:
        """The stored value as the sheet shows it."""
        if self.to_cell is not None:
            return self.to_cell(stored)
        if self.spec is None or stored is None:
            return stored
        if self.spec.kind in ("choice", "bool", "choices"):
            return self.spec.label_of(stored)
        return stored

    def stored(self, cell: object) -> object:
        """A cell as the field stores it, or FieldError."""
        if self.from_cell is not None:
            return self.from_cell(cell)
        assert self.spec is not None
        return to_stored(self.spec, cell)

    @property
    def choices(self) -> list[str]:
        """Labels offered in the sheet's drop-down list."""
        if self.spec is None or self.to_cell is not None:
            return []
        if self.spec.kind == "bool":
            return ["Yes", "No"]
        if self.spec.kind == "choice":
            return list(self.spec.choices.values())
        return []


@dataclass(frozen=True)
class Child:
    """Items listed under a parent on a sheet of their own (impacts, treatment actions): the
    parent's row holds them as a tuple of rows under `field`."""

    field: str
    sheet: str
    noun: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Area:
    kind: str
    entity: str  # as the change history names it
    sheet: str
    noun: str
    columns: tuple[Column, ...]  # the first is the ID
    load: Callable[[EngagementFile], dict[str, Row]]
    # (engagement, ID or None for a new item, the whole row, the row before or None) -> ID
    save: Callable[[EngagementFile, str | None, Row, Row | None], str]
    # (engagement, ID, deleted): takes back an add and puts it back; None: rows cannot be added
    set_deleted: Callable[[EngagementFile, str, bool], None] | None
    extras: str  # the long-text field that keeps a foreign workbook's unmapped columns
    children: tuple[Child, ...] = ()
    # a foreign row without a known ID: (engagement, current items by ID) -> a matcher of
    # rows (row -> item ID or None), made once per sheet so each row is found in one look-up
    match: Callable[[EngagementFile, dict[str, Row]], Matcher] | None = None
    # (name field, long field): a new item from a foreign sheet without a name takes the
    # first sentence of the long field
    name_from: tuple[str, str] | None = None
    matched_by: str = ""  # what `match` compares, as the preview says it
    # a foreign sheet is taken for this area only if one of these columns is found on it
    signature: frozenset[str] = frozenset()
    # (area kind, field): an item shown inside another area's item (an assessment inside
    # its AI system): the field holds that item's ID
    parent: tuple[str, str] | None = None
    named_by: str = ""  # the field that names an item, when it is not name or title
    # many new items at once, each checked as `save` checks one: (engagement, [(a client's
    # own ID or None, the whole row)], write: False for a trial run that needs every check
    # and no rows) -> for each, its ID or the FieldError refusing it
    create_many: CreateMany | None = None
    # (values read from a row, the item as it is now or None): the area's own reading of a
    # row, settled before the import compares it (the SoA's one justification column)
    settle: Callable[[Row, Row | None], None] | None = None

    @property
    def name_field(self) -> str:
        """The field that names an item for a person."""
        keys = [c.key for c in self.columns]
        found = (k for k in ("name", "title", "system_id") if k in keys)
        return self.named_by or next(found, self.key.key)

    @property
    def key(self) -> Column:
        return self.columns[0]

    def field_labels(self) -> dict[str, str]:
        labels = {c.key: c.label for c in self.columns}
        labels.update({child.field: child.noun for child in self.children})
        return labels


def spec_columns(
    fields: Mapping[str, FieldSpec], synonyms: Mapping[str, Sequence[str]]
) -> list[Column]:
    return [
        Column(
            name, spec.label, spec, 44 if spec.kind == "long" else 18, tuple(synonyms.get(name, ()))
        )
        for name, spec in fields.items()
        if name != "id"
    ]


def changed(before: Row | None, row: Row, names: Sequence[str]) -> dict[str, object]:
    return {n: row[n] for n in names if n in row and (before is None or before.get(n) != row[n])}


def canonical(value: object) -> str:
    """One text per stored value, for fingerprints and comparisons."""
    if isinstance(value, tuple | list):
        return json.dumps(
            [
                canonical(v) if not isinstance(v, dict) else {k: canonical(x) for k, x in v.items()}
                for v in value
            ],
            ensure_ascii=False,
        )
    return text_of(value) if not isinstance(value, bool) else ("yes" if value else "no")


def loosely(value: object) -> str:
    """Text compared as a person would: case and spacing aside."""
    return " ".join(text_of(value).lower().split())


def same(*fields: str) -> Callable[[EngagementFile, dict[str, Row]], Matcher]:
    """A matcher: the item whose `fields` all read the same (case and spacing aside; the
    first such item when several do; a row with one of them blank matches nothing). The
    items are indexed once, not scanned for each row."""

    def key(item: Row) -> object:
        if len(fields) == 1:  # most registers: their name, no tuple per row
            return loosely(item.get(fields[0])) or None
        found = tuple(loosely(item.get(f)) for f in fields)
        return found if all(found) else None

    def matcher(_ef: EngagementFile, items: dict[str, Row]) -> Matcher:
        index: dict[object, str] = {}
        for item_id, item in items.items():
            found = key(item)
            if found is not None:
                index.setdefault(found, item_id)

        def match(row: Row) -> str | None:
            wanted = key(row)
            return index.get(wanted) if wanted is not None else None

        return match

    return matcher


# Kinds the importer recognises that have no register in the engagement yet.
KINDS_WITHOUT_REGISTER = {
    "people": (
        "named individual",
        "role",
        "employee",
        "training",
        "competence",
        "reports to",
        "acknowledged",
    ),
}
