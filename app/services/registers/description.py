"""What a register is, said once: its fields, its list, its rules and where it shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.services.engagement.fields import FieldSpec
from app.services.gaps import GapRule


class Item:
    """One item of a register: its ID and its stored values, read as attributes (`item.owner`)
    so the generic tables and forms take it like any other row. `found`: the IDs of the rules
    spanning registers it breaks, as its register's `findings` said when it was read;
    `derived`: what its register's `derive` read elsewhere (an objective's latest
    measurement), for its rules and what it shows; never a field, never written."""

    __slots__ = ("id", "values", "deleted", "found", "derived")

    def __init__(
        self,
        item_id: str,
        values: Mapping[str, object],
        deleted: bool = False,
        found: Sequence[str] = (),
        derived: Mapping[str, object] | None = None,
    ) -> None:
        self.id = item_id
        self.values = dict(values)
        self.deleted = deleted
        self.found = tuple(found)
        self.derived: dict[str, object] = dict(derived or {})

    def __getattr__(self, name: str) -> object:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Item) and (self.id, self.values, self.deleted) == (
            other.id,
            other.values,
            other.deleted,
        )

    def __repr__(self) -> str:
        return f"Item({self.id!r}, {self.values!r})"


def _never(_item: Item) -> bool:
    return False


@dataclass(frozen=True)
class Rule(GapRule):
    """A gap an auditor would raise against one item of a described register. A rule that
    needs other items (other registers) leaves `applies` out: its register's `findings` says
    which items break it."""

    applies: Callable[[Item], bool] = _never  # True: the item has this gap
    counted_as: str = ""  # the key `status --json` counts it under

    def found_in(self, item: Item) -> bool:
        return self.id in item.found or self.applies(item)


@dataclass(frozen=True)
class Link:
    """A field holding IDs of items elsewhere (one, or several separated by commas)."""

    field: str
    target: str  # what the IDs name, as a person says it: "risk", "AI system"
    model: type[Any]  # the items the IDs name
    named_by: str  # their field that names them for a person
    many: bool = True
    # "points", "clauses", "controls" or "any" (a clause, a point or a control): the items are
    # the catalog's, named by its titles (the model then only says whose IDs they are, for
    # `linked_to`)
    catalog: str = ""


@dataclass(frozen=True)
class Register:
    key: str  # the command line's name and the status key: "issues"
    title: str  # "Issues (4.1)"
    noun: str  # "issue"
    plural: str  # "issues"
    clause: str  # where the standard asks for it
    model: type[Any]
    prefix: str  # IDs: PREFIX-001
    fields: tuple[FieldSpec, ...]  # without the ID
    columns: tuple[str, ...]  # the list's columns after the ID
    filters: tuple[str, ...] = ()  # choice fields offered as filters
    rules: tuple[Rule, ...] = ()
    links: tuple[Link, ...] = ()
    sheet: str = ""  # the workbook sheet's name (default: the title without the clause)
    pack_columns: tuple[str, ...] = ()  # the pack table's columns after the ID
    counted_as: str = ""  # the key `status --json` counts its items under
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # foreign headers
    # a foreign sheet is taken for this register only if one of these columns is found on it
    signature: tuple[str, ...] = ()
    empty_text: str = ""  # what the tab says while the register is empty
    # the fields that together find the item a workbook row without an ID is about (default:
    # the name field; a measurement needs its objective and its date)
    match_fields: tuple[str, ...] = ()
    id_width: int = 3
    # rules spanning several fields or registers, run on the item's merged values before a
    # create or an update is written (session, values, the item's ID or "" when new); raises
    # FieldError naming the field to fix. A form still fills field by field: it is asked only
    # when the item is saved.
    # it may fill a field left blank with a default drawn from other items (a policy
    # acknowledgement's version): what it sets in `values` is written with the rest; a
    # column that is no field (a measurement's value as a number) follows its fields, with
    # no history of its own.
    check: Callable[[Any, dict[str, object], str], None] | None = None
    # the gaps of rules spanning registers (session -> item ID -> rule IDs), read with the items
    findings: Callable[[Any], Mapping[str, Sequence[str]]] | None = None
    # values read beyond the item's own fields (other registers, today's date) that its rules
    # and its tab read: given the session and the items just read, fills each one's `derived`
    derive: Callable[[Any, list[Item]], None] | None = None
    # what follows when an item's name changes (session, ID, old name, new name, actor): a
    # person's new name carried into the owner fields of every area
    renamed: Callable[[Any, str, object, object, str], object] | None = None

    @property
    def entity(self) -> str:
        """How the change history names its items."""
        return str(self.model.__tablename__)

    @property
    def spec(self) -> dict[str, FieldSpec]:
        return {f.name: f for f in self.fields}

    @property
    def name_field(self) -> str:
        return self.fields[0].name

    @property
    def matched_by(self) -> tuple[str, ...]:
        return self.match_fields or (self.name_field,)

    @property
    def name(self) -> str:
        """The title without its clause: "Issues"."""
        return self.title.split(" (")[0]

    @property
    def sheet_name(self) -> str:
        return self.sheet or self.name

    def link(self, name: str) -> Link | None:
        return next((k for k in self.links if k.field == name), None)

    def gaps(self, item: Item) -> list[Rule]:
        return [rule for rule in self.rules if rule.found_in(item)]
