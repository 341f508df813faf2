"""Create, read, change and delete the items of any described register, with history: every
change checked field by field first, so a refusal names the field and what to write."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AdditionalControl
from app.services.engagement import history, ids
from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.registers.description import Item, Link, Register


def _item(reg: Register, row: Any, found: Mapping[str, Sequence[str]]) -> Item:
    values = {f.name: getattr(row, f.name) for f in reg.fields}
    return Item(row.id, values, bool(row.deleted), found.get(row.id, ()))


def _findings(reg: Register, session: Session) -> Mapping[str, Sequence[str]]:
    return reg.findings(session) if reg.findings is not None else {}


def list_items(ef: EngagementFile, reg: Register, deleted: bool = False) -> list[Item]:
    with ef.reading() as session:
        query = select(reg.model)
        if not deleted:
            query = query.where(reg.model.deleted.is_(False))
        found = _findings(reg, session)
        items = [_item(reg, row, found) for row in session.scalars(query)]
        if reg.derive is not None:
            reg.derive(session, items)
        return items


def get_item(ef: EngagementFile, reg: Register, item_id: str) -> Item:
    with ef.reading() as session:
        row = session.get(reg.model, item_id)
        if row is None:
            raise FieldError("id", f"There is no {reg.noun} {item_id}.")
        item = _item(reg, row, _findings(reg, session))
        if reg.derive is not None:
            reg.derive(session, [item])
        return item


def next_id(ef: EngagementFile, reg: Register) -> str:
    with ef.reading() as session:
        return ids.next_free_id(session, reg.model, reg.prefix, reg.id_width)


def split_ids(value: object) -> list[str]:
    return [part.strip() for part in str(value or "").replace(";", ",").split(",") if part.strip()]


def _check_link(ef: EngagementFile, session: Session, link: Link, label: str, value: object) -> str:
    """The IDs in a link field, each one checked: one that names nothing is refused. An ID
    followed by its item's name ("IP-003 Central Bank", as a list offers it) is the ID."""
    known = _names(ef, session, link)
    wanted = [_leading_id(part, known) for part in split_ids(value)]
    if len(wanted) > 1 and not link.many:
        raise FieldError(link.field, f"{label}: give one {link.target} ID, not {len(wanted)}.")
    missing = [w for w in wanted if w not in known]
    if missing:
        raise FieldError(
            link.field,
            f"{label}: there is no {link.target} {', '.join(missing)}. "
            f"Give the ID of an existing {link.target}.",
        )
    return ", ".join(dict.fromkeys(wanted))


def _names(ef: EngagementFile, session: Session, link: Link) -> dict[str, str]:
    """The live items a link may name: ID -> name."""
    if link.catalog == "points":
        return {p.id: p.title for p in ef.catalog.points}
    if link.catalog == "clauses":
        return {c.id: c.title for c in ef.catalog.clauses}
    if link.catalog in ("controls", "any"):  # Annex A, then the SoA's controls beyond it
        beyond = select(AdditionalControl.id, AdditionalControl.title).where(
            AdditionalControl.deleted.is_(False)
        )
        controls = {c.id: c.title for c in ef.catalog.controls}
        controls |= dict(session.execute(beyond).all())
        if link.catalog == "controls":
            return controls
        return (
            {c.id: c.title for c in ef.catalog.clauses}
            | {p.id: p.title for p in ef.catalog.points}
            | controls
        )
    model = link.model
    query = select(model.id, getattr(model, link.named_by)).where(model.deleted.is_(False))
    return {str(item_id): str(text) for item_id, text in session.execute(query)}


def linked_to(ef: EngagementFile, model: type[Any], item_id: str) -> list[tuple[Register, Item]]:
    """The items of every described register that name `item_id` of `model` in a link field
    (asked before a delete, and shown beside the item named)."""
    from app.services.registry import DESCRIBED  # the registry lists this module's users

    return [
        (reg, item)
        for reg in DESCRIBED
        for link in reg.links
        if link.model is model
        for item in list_items(ef, reg)
        if item_id in split_ids(item.values[link.field])
    ]


def _leading_id(text: str, known: dict[str, str]) -> str:
    first = text.split(maxsplit=1)[0]
    return first if text not in known and first in known else text


def link_names(ef: EngagementFile, reg: Register) -> dict[str, dict[str, str]]:
    """For each link field, the names of the items its IDs may name."""
    with ef.reading() as session:
        return {link.field: _names(ef, session, link) for link in reg.links}


def link_choices(ef: EngagementFile, reg: Register, name: str) -> list[str]:
    """What a link field offers to pick: each live item as "ID name"."""
    link = reg.link(name)
    if link is None:
        return []
    with ef.reading() as session:
        return [f"{item_id} {text}" for item_id, text in _names(ef, session, link).items()]


def coerce(reg: Register, values: Mapping[str, object]) -> dict[str, object]:
    """Every field checked on its own; an unknown name is refused."""
    spec = reg.spec
    checked: dict[str, object] = {}
    for name, value in values.items():
        if name not in spec:
            raise FieldError(name, f"'{name}' is not a field of {reg.noun} items.")
        checked[name] = spec[name].coerce(value)
    return checked


def _linked(
    ef: EngagementFile, session: Session, reg: Register, values: dict[str, object]
) -> dict[str, object]:
    for name, value in values.items():
        link = reg.link(name)
        if link is not None:
            values[name] = _check_link(ef, session, link, reg.spec[name].label, value)
    return values


def defaults(reg: Register) -> dict[str, object]:
    empty: dict[str, object] = {}
    for f in reg.fields:
        if f.default is not None:
            empty[f.name] = f.default
        elif f.kind == "choice":
            empty[f.name] = next(iter(f.choices))
        elif f.kind == "bool":
            empty[f.name] = False
        elif f.kind in ("date", "int", "number"):
            empty[f.name] = None
        else:
            empty[f.name] = ""
    return empty


def create(ef: EngagementFile, reg: Register, values: Mapping[str, object]) -> str:
    """Add an item; `values` may carry an ID of the client's own, otherwise one is given."""
    wanted = str(values.get("id") or "").strip()
    fields = coerce(reg, {k: v for k, v in values.items() if k != "id"})
    missing = next((f for f in reg.fields if f.required and f.name not in fields), None)
    if missing is not None:  # (one given blank was refused by coerce)
        raise FieldError(missing.name, f"{missing.label} cannot be blank.")
    if wanted:
        ids.check_client_id(wanted)
    with ef.writing() as session:
        item_id = wanted or ids.next_free_id(session, reg.model, reg.prefix, reg.id_width)
        if session.get(reg.model, item_id) is not None:
            raise FieldError("id", f"The ID {item_id} is already used; choose another.")
        merged = {**defaults(reg), **_linked(ef, session, reg, fields)}
        if reg.check is not None:
            reg.check(session, merged, "")
        session.add(reg.model(id=item_id, created_at=history.now(), deleted=False, **merged))
        name = merged[reg.name_field]
        history.record(session, ef.actor, reg.entity, item_id, "created", None, name)
    return item_id


def update(
    ef: EngagementFile, reg: Register, item_id: str, changes: Mapping[str, object]
) -> dict[str, object]:
    """Change fields of one item in one transaction; returns the old values (for undo)."""
    checked = coerce(reg, changes)  # a required field left blank is refused here
    old: dict[str, object] = {}
    with ef.writing() as session:
        row = session.get(reg.model, item_id)
        if row is None or row.deleted:
            raise FieldError("id", f"There is no {reg.noun} {item_id}.")
        linked = _linked(ef, session, reg, checked)
        if reg.check is not None:
            merged = {**{f.name: getattr(row, f.name) for f in reg.fields}, **linked}
            reg.check(session, merged, item_id)
            linked = {n: v for n, v in merged.items() if n in linked or getattr(row, n) != v}
        for name, value in linked.items():
            if getattr(row, name) == value:
                continue
            if name not in reg.spec:  # a column the check derives: it follows the fields
                setattr(row, name, value)
                continue
            old[name] = getattr(row, name)
            setattr(row, name, value)
            history.record(session, ef.actor, reg.entity, item_id, name, old[name], value)
        if reg.name_field in old and reg.renamed is not None:  # (a person's owned items)
            reg.renamed(session, item_id, old[reg.name_field], linked[reg.name_field], ef.actor)
    return old


def set_deleted(ef: EngagementFile, reg: Register, item_id: str, deleted: bool) -> None:
    ef.set_deleted(reg.model, reg.entity, item_id, deleted, reg.noun)


def history_of(
    ef: EngagementFile, reg: Register, item_id: str, limit: int = 500
) -> list[history.Change]:
    with ef.reading() as session:
        return history.for_entity(session, reg.entity, item_id, limit)


def gaps_by_item(reg: Register, items: Iterable[Item]) -> dict[str, list[str]]:
    """Rule IDs each item breaks (items without gaps left out)."""
    found = {i.id: [r.id for r in reg.gaps(i)] for i in items}
    return {k: v for k, v in found.items() if v}


def counts(reg: Register, items: list[Item]) -> dict[str, int]:
    """What `status --json` says of the register: its items and each counted rule."""
    shown = {reg.counted_as or reg.key: len(items)}
    for rule in reg.rules:
        if rule.counted_as:
            shown[rule.counted_as] = sum(1 for i in items if rule.found_in(i))
    return shown
