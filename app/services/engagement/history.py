"""The append-only change history: written inside the same transaction as the change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import HistoryEntry


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    actor: str
    entity: str
    entity_id: str
    field: str
    old: str | None
    new: str | None


def as_text(value: object) -> str | None:
    """How a value is written into the history: dates as ISO, booleans as yes/no."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def record(
    session: Session,
    actor: str,
    entity: str,
    entity_id: str,
    field: str,
    old: object,
    new: object,
    at: dt.datetime | None = None,
) -> None:
    session.add(HistoryEntry(**entry(actor, entity, entity_id, field, old, new, at)))


def entry(
    actor: str,
    entity: str,
    entity_id: str,
    field: str,
    old: object,
    new: object,
    at: dt.datetime | None = None,
) -> dict[str, object]:
    """One entry as the history table's row holds it (`record` adds it to a session; a bulk
    insert of many new items inserts these rows as they are)."""
    return {
        "at": at or now(),
        "actor": actor,
        "entity": entity,
        "entity_id": entity_id,
        "field": field,
        "old": as_text(old),
        "new": as_text(new),
    }


def for_entity(session: Session, entity: str, entity_id: str, limit: int = 500) -> list[Change]:
    """Newest first. Read through Core: the checklist, the window's first page, shows the
    history of its first point before the ORM has set up its mappers."""
    h = HistoryEntry.__table__.c
    rows = session.execute(
        select(h.at, h.actor, h.entity, h.entity_id, h.field, h.old, h.new)
        .where(h.entity == entity, h.entity_id == entity_id)
        .order_by(h.id.desc())
        .limit(limit)
    )
    return [Change(*row) for row in rows]


def changed_since(session: Session, since: dt.datetime) -> set[tuple[str, str]]:
    """(entity, ID) of everything changed at or after `since`."""
    query = select(HistoryEntry.entity, HistoryEntry.entity_id).where(HistoryEntry.at >= since)
    return {(entity, entity_id) for entity, entity_id in session.execute(query.distinct())}
