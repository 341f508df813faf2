"""The clause checklist: each catalog point with the client's status, owner, dates and notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from app.models import RequirementState
from app.services import history
from app.services.engagement_file import EngagementFile
from app.services.errors import DamagedFileError, FieldError
from app.services.fields import FieldSpec

STATUSES = ("not_started", "in_progress", "implemented")
STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "implemented": "Implemented",
}
ENTITY = "requirement"


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


FIELDS = {
    "status": FieldSpec("status", "Status", "choice", STATUS_LABELS),
    "owner": FieldSpec("owner", "Owner", "text"),
    "due_date": FieldSpec("due_date", "Due date", "date"),
    "notes": FieldSpec("notes", "Notes", "long"),
    "evidence": FieldSpec("evidence", "Evidence", "long"),
}


def coerce(field: str, value: object) -> object:
    """The stored form of a value typed by a user or read from a file, or FieldError."""
    spec = FIELDS.get(field)
    if spec is None:
        raise FieldError(field, f"'{field}' cannot be edited on a checklist point.")
    return spec.coerce(value)


def _row(ef: EngagementFile, state: RequirementState) -> PointRow:
    if state.status not in STATUS_LABELS:
        raise DamagedFileError(
            f"Checklist point {state.id} has the unknown status '{state.status}'; the file is "
            "damaged. Open a backup copy."
        )
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


def history_of(ef: EngagementFile, point_id: str, limit: int = 500) -> list[history.Change]:
    with ef.reading() as session:
        return history.for_entity(session, ENTITY, point_id, limit)
