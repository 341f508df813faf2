"""The clause checklist: each catalog point with the client's status, owner, dates and notes.

A point under an Annex A control has no status of its own: the control's SoA line is the one
truth about its implementation. The point shows it, and a status set on the point is written
to the SoA line (with the SoA's history), so the checklist, readiness and the SoA never
disagree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, literal, select
from sqlalchemy.orm import Session

from app.models import RequirementState, SoaEntry
from app.services.engagement import history
from app.services.engagement.errors import DamagedFileError, FieldError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.gaps import GapRule
from app.services.soa import service as soa

STATUSES = ("not_started", "in_progress", "implemented")
STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "implemented": "Implemented",
}
NO_OWNER = GapRule(
    "CHK-01", "Checklist point with no owner", "5.3", "minor",
    todo="Name the person answerable for the point (Clauses tab, Owner field).",
)  # fmt: skip
# A status nobody can show is a claim, not a fact: readiness counts it as work in progress.
NO_EVIDENCE = GapRule(
    "CHK-02", "Implemented, but no evidence named", "7.5.1", "minor",
    todo="Say where the proof of the point is (Clauses tab, Evidence field) or link a "
    "document to it; otherwise set it back to In progress.",
)  # fmt: skip
OVERDUE = GapRule(
    "CHK-03", "Open point past its due date", "6.2", "observation",
    todo="Finish the point, or agree a new date with its owner (Clauses tab, Due date field).",
)  # fmt: skip
# every rule of the checklist, in the order the pack and the panel list them
RULES = (NO_OWNER, NO_EVIDENCE, OVERDUE)
NOT_APPLICABLE = "Not applicable (excluded in the SoA)"
# What each counted status is worth in readiness: work started is not work done
WEIGHTS = {"not_started": 0.0, "in_progress": 0.5, "implemented": 1.0}
# How readiness is counted, in one sentence (the dashboard and the pack's readiness summary
# say it); app/services/readiness/figures.py counts it so.
CAP_PER_MAJOR = 10  # points a clause's ceiling loses for each of its open audit-failing gaps
READINESS_RULE = (
    "Implemented points count fully and points in progress half; a point marked implemented "
    "with no evidence named, or whose clause's mandatory documented information has no "
    "approved document linked, counts as in progress; points under a control the SoA excludes "
    f"are left out; and each open gap that would fail the audit takes {CAP_PER_MAJOR} points "
    "off its clause's ceiling of 100%."
)
ENTITY = "requirement"
# A control's SoA implementation status as a checklist status, and back. "Planned" is not yet
# work started; a point's "in progress" is a partial implementation.
FROM_SOA = {
    "not_started": "not_started",
    "planned": "not_started",
    "partial": "in_progress",
    "implemented": "implemented",
}
TO_SOA = {"not_started": "not_started", "in_progress": "partial", "implemented": "implemented"}


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
    # The Annex A control whose SoA line holds this point's status ("" for clauses 4 to 10),
    # with that line's decision and implementation status.
    control_id: str = ""
    soa_decision: str = ""
    soa_status: str = ""
    soa_evidence: str = ""  # the evidence references of the control's SoA line

    def value(self, field: str) -> object:
        return getattr(self, field)

    @property
    def applicable(self) -> bool:
        """A point under a control the SoA excludes needs no work and counts for nothing."""
        return self.soa_decision != "excluded"

    @property
    def has_evidence(self) -> bool:
        """Evidence named on the point, or on its control's SoA line."""
        return bool(self.evidence.strip() or self.soa_evidence.strip())

    @property
    def counted_status(self) -> str:
        """The status readiness counts: implemented with no evidence is still in progress."""
        if self.status == "implemented" and not self.has_evidence:
            return "in_progress"
        return self.status

    def overdue(self, today: dt.date | None = None) -> bool:
        """Still open (and needing work) when its due date has passed."""
        return bool(
            self.applicable
            and self.status != "implemented"
            and self.due_date is not None
            and self.due_date < (today or dt.date.today())
        )

    def gaps(self, today: dt.date | None = None) -> list[GapRule]:
        """The checklist's rules this point breaks. A point the SoA takes out of scope asks
        for nothing, not even an owner."""
        if self.retired or not self.applicable:
            return []
        found = []
        if not self.owner.strip():
            found.append(NO_OWNER)
        if self.status == "implemented" and not self.has_evidence:
            found.append(NO_EVIDENCE)
        if self.overdue(today):
            found.append(OVERDUE)
        return found

    @property
    def status_label(self) -> str:
        """The status in words; a control's point says it in the SoA's words."""
        if not self.control_id:
            return STATUS_LABELS[self.status]
        if not self.applicable:
            return NOT_APPLICABLE
        return soa.STATUSES[self.soa_status]


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


# control -> (SoA decision, implementation status, evidence references)
SoaLines = dict[str, tuple[str, str, str]]
_NO_LINE = ("undecided", "not_started", "")


# The checklist is the window's first page, so it is read through Core: the window paints
# before the ORM's first query sets up every mapper. Writes use the ORM like everywhere else.
_STATES = RequirementState.__table__
_SOA_LINES = SoaEntry.__table__


def _row(ef: EngagementFile, state: Row[Any], soa_lines: SoaLines) -> PointRow:
    point = ef.catalog.point_by_id.get(state.id)
    ref = point.ref if point else ""
    control_id = ref if ref in ef.catalog.control_by_id and not state.retired else ""
    decision, soa_status, soa_evidence = soa_lines.get(control_id, _NO_LINE)
    if control_id:
        # an excluded control's point asks for no work, whatever the line says
        status = "not_started" if decision == "excluded" else FROM_SOA.get(soa_status, soa_status)
    else:
        status = state.status
        decision = soa_status = soa_evidence = ""
    if status not in STATUS_LABELS:
        raise DamagedFileError(
            f"Checklist point {state.id} has the unknown status '{status}'; the file is "
            "damaged. Open a backup copy."
        )
    return PointRow(
        id=state.id,
        ref=ref,
        clause=ef.catalog.top_clause(ref) if ref else "",
        title=point.title if point else state.id,
        status=status,
        owner=state.owner,
        due_date=state.due_date,
        notes=state.notes,
        evidence=state.evidence,
        retired=state.retired,
        control_id=control_id,
        soa_decision=decision,
        soa_status=soa_status,
        soa_evidence=soa_evidence,
    )


def _soa_lines(session: Session) -> SoaLines:
    """Decision, implementation status and evidence of each control with a stored SoA line."""
    c = _SOA_LINES.c
    rows = session.execute(select(c.control_id, c.decision, c.status, c.evidence))
    return {
        control_id: (decision, status, evidence) for control_id, decision, status, evidence in rows
    }


def list_points(ef: EngagementFile) -> list[PointRow]:
    """Every point in catalog order; points retired by a catalog upgrade come last."""
    order = {p.id: i for i, p in enumerate(ef.catalog.points)}
    with ef.reading() as session:
        states = session.execute(select(_STATES)).all()
        lines = _soa_lines(session)
        rows = [_row(ef, s, lines) for s in states]
    return sorted(rows, key=lambda r: (r.retired, order.get(r.id, len(order)), r.id))


def counted_points(ef: EngagementFile, session: Session) -> list[PointRow]:
    """The live points as readiness counts them, their notes left unread: one narrow pass
    over the checklist (as many rows as the catalog has points, whatever the engagement's
    size) and the SoA lines, in the caller's session."""
    c = _STATES.c
    columns = (c.id, c.status, c.owner, c.due_date, c.evidence, c.retired)
    states = session.execute(
        select(*columns, literal("").label("notes")).where(c.retired.is_(False))
    ).all()
    lines = _soa_lines(session)
    return [_row(ef, s, lines) for s in states]


def points_of_control(ef: EngagementFile, control_id: str) -> list[PointRow]:
    """The checklist points whose status is this control's SoA line."""
    ids = [p.id for p in ef.catalog.points if p.ref == control_id]
    return [get_point(ef, i) for i in ids]


def get_point(ef: EngagementFile, point_id: str) -> PointRow:
    with ef.reading() as session:
        state = session.execute(select(_STATES).where(_STATES.c.id == point_id)).first()
        if state is None:
            raise FieldError("id", f"There is no checklist point {point_id}.")
        return _row(ef, state, _soa_lines(session))


def set_values(ef: EngagementFile, field: str, values: Mapping[str, object]) -> dict[str, object]:
    """Set one field on several points in one transaction; returns the old values (for undo).

    Every value is checked before anything is written, so a bad one saves nothing. The status
    of a control's point goes to the control's SoA line ("in progress" is "partially
    implemented" there); the SoA's own words ("planned") are taken too, and the old values come
    back in them, so an undo puts the line back exactly."""
    controls = _controls_of(ef, values) if field == "status" else {}
    coerced = {
        pid: _soa_status(v) if pid in controls else coerce(field, v) for pid, v in values.items()
    }
    old: dict[str, object] = {}
    with ef.writing() as session:
        now = history.now()
        lines = _soa_lines(session)
        for pid, value in coerced.items():
            state = session.get(RequirementState, pid)
            if state is None:
                raise FieldError("id", f"There is no checklist point {pid}.")
            if pid in controls:
                old[pid] = _write_soa_status(session, ef.actor, controls[pid], str(value), lines)
                continue
            previous = getattr(state, field)
            old[pid] = previous
            if previous != value:
                setattr(state, field, value)
                state.updated_at = now
                history.record(session, ef.actor, ENTITY, pid, field, previous, value, now)
    return old


def _controls_of(ef: EngagementFile, values: Mapping[str, object]) -> dict[str, str]:
    """The control of each point among `values` that has one."""
    found = {}
    for pid in values:
        point = ef.catalog.point_by_id.get(pid)
        if point is not None and point.ref in ef.catalog.control_by_id:
            found[pid] = point.ref
    return found


def _soa_status(value: object) -> str:
    """A checklist status, or the SoA's own word for a status the checklist has not
    ("planned", "partial")."""
    try:
        return str(coerce("status", value))
    except FieldError:
        try:
            return str(soa.FIELDS["status"].coerce(value))
        except FieldError:
            pass
        raise


def _write_soa_status(
    session: Session, actor: str, control_id: str, value: str, lines: SoaLines
) -> str:
    """Write a point's status to its control's line; the line's old status comes back."""
    decision, current, evidence = lines.get(control_id, _NO_LINE)
    wanted = value if value in soa.STATUSES else TO_SOA[value]
    if wanted != current:
        soa.write(session, actor, "status", {control_id: wanted})
        lines[control_id] = (decision, wanted, evidence)
    return current


def history_of(ef: EngagementFile, point_id: str, limit: int = 500) -> list[history.Change]:
    """Newest first; a control's point shows its status changes from the SoA line too."""
    point = ef.catalog.point_by_id.get(point_id)
    control_id = point.ref if point and point.ref in ef.catalog.control_by_id else ""
    with ef.reading() as session:
        changes = history.for_entity(session, ENTITY, point_id, limit)
        if control_id:
            changes += [
                c
                for c in history.for_entity(session, soa.ENTITY, control_id, limit)
                if c.field == "status"
            ]
    return sorted(changes, key=lambda c: c.at, reverse=True)[:limit]
