"""The clause checklist: each catalog point with the client's status, owner, dates and notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from app.models import RequirementState
from app.services import history
from app.services.engagement_file import EngagementFile
from app.services.errors import FieldError

STATUSES = ("not_started", "in_progress", "implemented")
STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "implemented": "Implemented",
}
EDITABLE_FIELDS = ("status", "owner", "due_date", "notes", "evidence")
ENTITY = "requirement"
_MAX_TEXT = 20_000
_MAX_OWNER = 200


@dataclass(frozen=True)
class PointRow:
    """A checklist point as the user sees it: catalog text plus the engagement's state."""

    id: str
    ref: str
    clause: str
    title: str
    status: str
    owner: str
    due_date: dt.date | None
    notes: str
    evidence: str
    retired: bool

    def value(self, field: str) -> object:
        return getattr(self, field)


def parse_date(field: str, value: object) -> dt.date | None:
    """Accept a date or ISO text; refuse dates that cannot be, with what to type instead."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    else:
        try:
            parsed = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise FieldError(
                field, f"'{value}' is not a date. Write it as YYYY-MM-DD, e.g. 2027-03-31."
            ) from None
    if not 1990 <= parsed.year <= 2100:
        raise FieldError(
            field, f"{parsed.isoformat()} is out of range: use a year from 1990 to 2100."
        )
    return parsed


def coerce(field: str, value: object) -> object:
    """The stored form of a value typed by a user or read from a file, or FieldError."""
    if field == "status":
        text = str(value or "").strip()
        by_label = {label.lower(): key for key, label in STATUS_LABELS.items()}
        key = text if text in STATUSES else by_label.get(text.lower())
        if key is None:
            raise FieldError(
                field, f"'{text}' is not a status. Use one of: {', '.join(STATUS_LABELS.values())}."
            )
        return key
    if field == "due_date":
        return parse_date(field, value)
    if field == "owner":
        text = str(value or "").strip()
        if len(text) > _MAX_OWNER:
            raise FieldError(field, f"An owner name is at most {_MAX_OWNER} characters.")
        return text
    if field in ("notes", "evidence"):
        text = str(value or "")
        if len(text) > _MAX_TEXT:
            raise FieldError(field, f"Keep {field} under {_MAX_TEXT:,} characters.")
        return text
    raise FieldError(field, f"'{field}' cannot be edited on a checklist point.")


def _row(ef: EngagementFile, state: RequirementState) -> PointRow:
    point = ef.catalog.point_by_id.get(state.id)
    ref = point.ref if point else ""
    return PointRow(
        id=state.id,
        ref=ref,
        clause=ef.catalog.top_clause(ref) if ref else "",
        title=point.title if point else state.id,
        status=state.status,
        owner=state.owner,
        due_date=state.due_date,
        notes=state.notes,
        evidence=state.evidence,
        retired=state.retired,
    )


def list_points(ef: EngagementFile) -> list[PointRow]:
    """Every point in catalog order; points retired by a catalog upgrade come last."""
    order = {p.id: i for i, p in enumerate(ef.catalog.points)}
    with ef.reading() as session:
        states = session.scalars(select(RequirementState)).all()
        rows = [_row(ef, s) for s in states]
    return sorted(rows, key=lambda r: (r.retired, order.get(r.id, len(order)), r.id))


def get_point(ef: EngagementFile, point_id: str) -> PointRow:
    with ef.reading() as session:
        state = session.get(RequirementState, point_id)
        if state is None:
            raise FieldError("id", f"There is no checklist point {point_id}.")
        return _row(ef, state)


def set_values(ef: EngagementFile, field: str, values: Mapping[str, object]) -> dict[str, object]:
    """Set one field on several points in one transaction; returns the old values (for undo).

    Every value is checked before anything is written, so a bad one saves nothing."""
    coerced = {pid: coerce(field, v) for pid, v in values.items()}
    old: dict[str, object] = {}
    with ef.writing() as session:
        now = history.now()
        for pid, value in coerced.items():
            state = session.get(RequirementState, pid)
            if state is None:
                raise FieldError("id", f"There is no checklist point {pid}.")
            previous = getattr(state, field)
            old[pid] = previous
            if previous != value:
                setattr(state, field, value)
                state.updated_at = now
                history.record(session, ef.actor, ENTITY, pid, field, previous, value, now)
    return old


def history_of(ef: EngagementFile, point_id: str) -> list[history.Change]:
    with ef.reading() as session:
        return history.for_entity(session, ENTITY, point_id)
