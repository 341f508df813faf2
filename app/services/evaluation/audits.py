"""The internal audit programme, its audits and their checklists (9.2), described: everything
generic about them comes from here. An audit's checklist is drawn from its scope in the
catalog: for a clause, the checklist points under it; for a control, the control."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models import (
    AISystem,
    Audit,
    AuditLine,
    AuditProgramme,
    Document,
    Person,
    RequirementState,
    SoaEntry,
)
from app.services.engagement import history
from app.services.engagement.errors import FieldError, RuleError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.registers.description import Item, Link, Register
from app.services.registers.service import split_ids

STATUSES = {
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "cancelled": "Cancelled",
}
# what an auditor found at a line; "minor" and "major" are the nonconformity's grade
RESULTS = {
    "not_audited": "Not audited",
    "conforming": "Conforming",
    "minor": "Minor nonconformity",
    "major": "Major nonconformity",
    "observation": "Observation",
    "improvement": "Opportunity for improvement",
}
NOT_AUDITED = "not_audited"


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (29 February: the 28th). An audit held before this day of
    its planned date's year before is a typing slip (a wrong year), not an audit brought
    forward: refused at the field."""
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


def _check_programme(_session: Session, values: Mapping[str, object], _item_id: str) -> None:
    start, end = values.get("period_from"), values.get("period_to")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        raise RuleError(
            "period_to",
            f"The period cannot end ({end.isoformat()}) before it starts "
            f"({start.isoformat()}): give the last day of the programme's period.",
            ("period_from", "period_to"),
        )


def _check_audit(_session: Session, values: Mapping[str, object], _item_id: str) -> None:
    planned, actual = values.get("planned_on"), values.get("actual_on")
    if values.get("status") == "done" and not isinstance(actual, dt.date):
        raise RuleError(
            "actual_on",
            "An audit is done only once it was held: give its actual date.",
            ("status", "actual_on"),
        )
    if (
        isinstance(planned, dt.date)
        and isinstance(actual, dt.date)
        and actual < year_before(planned)
    ):
        raise RuleError(
            "actual_on",
            f"The actual date {actual.isoformat()} is more than a year before the planned "
            f"date {planned.isoformat()}: check the year of either date.",
            ("planned_on", "actual_on"),
        )


def _check_line(session: Session, values: Mapping[str, object], item_id: str) -> None:
    """A line keeps its audit and place (its ID says them: AUD-001-003); a new one (a row
    added to the workbook) names its audit and a place not taken."""
    audit, position = str(values.get("audit") or ""), values.get("position")
    if item_id:
        row = session.get(AuditLine, item_id)
        if row is not None and (row.audit, row.position) != (audit, position):
            field = "audit" if row.audit != audit else "position"
            raise FieldError(
                field,
                f"{item_id} stays line {row.position} of {row.audit}: change the audit's "
                "scope and draw its checklist again instead.",
            )
        return
    if not audit:
        raise FieldError("audit", "Name the audit this line belongs to.")
    if not isinstance(position, int):
        raise FieldError("position", "Give the line's position in its audit's checklist.")
    taken = session.execute(
        select(AuditLine.id).where(AuditLine.audit == audit, AuditLine.position == position)
    ).first()
    if taken is not None:
        raise FieldError("position", f"Position {position} of {audit} is taken: choose another.")


PROGRAMMES = Register(
    key="audit_programmes",
    title="Audit programmes (9.2.2)",
    noun="audit programme",
    plural="audit programmes",
    clause="9.2.2",
    model=AuditProgramme,
    prefix="PRG",
    id_width=2,
    fields=(
        FieldSpec("title", "Programme", "text", required=True),
        FieldSpec("period_from", "Period from", "date"),
        FieldSpec("period_to", "Period to", "date"),
        FieldSpec("frequency", "Frequency", "text"),
        FieldSpec("methods", "Methods", "long"),
        FieldSpec("responsibilities", "Responsibilities", "long"),
        FieldSpec("clauses", "Clauses to cover in the period", "ids"),
        FieldSpec("controls", "Controls to cover in the period", "ids"),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("title", "period_from", "period_to", "frequency"),
    links=(
        Link("clauses", "clause", RequirementState, "id", catalog="clauses"),
        Link("controls", "control", SoaEntry, "control_id", catalog="controls"),
    ),
    signature=("period_from", "period_to", "frequency"),
    pack_columns=("title", "period_from", "period_to", "frequency", "clauses", "controls"),
    synonyms={"title": ("audit programme", "programme", "program")},
    check=_check_programme,
    empty_text=(
        "<h3>No audit programme yet</h3><p>Add the programme of internal audits: its period, "
        "how often audits are held, how, who is responsible, and which clauses and controls "
        "it must cover in the period.</p>"
    ),
)

AUDITS = Register(
    key="audits",
    title="Audits (9.2)",
    noun="audit",
    plural="audits",
    clause="9.2",
    model=Audit,
    prefix="AUD",
    fields=(
        FieldSpec("title", "Audit", "text", required=True),
        FieldSpec("programme", "Programme", "ids"),
        FieldSpec("status", "Status", "choice", STATUSES),
        FieldSpec("planned_on", "Planned date", "date"),
        FieldSpec("actual_on", "Actual date", "date"),
        FieldSpec("clauses", "Clauses in scope", "ids"),
        FieldSpec("controls", "Controls in scope", "ids"),
        FieldSpec("systems", "AI systems in scope", "ids"),
        FieldSpec("sites", "Sites", "text"),
        FieldSpec("criteria", "Audit criteria", "long"),
        FieldSpec("lead_auditor", "Lead auditor", "ids"),
        FieldSpec("team", "Audit team", "ids"),
        FieldSpec("report", "Report", "ids"),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("title", "status", "planned_on", "actual_on", "lead_auditor"),
    filters=("status",),
    links=(
        Link("programme", "audit programme", AuditProgramme, "title", many=False),
        Link("clauses", "clause", RequirementState, "id", catalog="clauses"),
        Link("controls", "control", SoaEntry, "control_id", catalog="controls"),
        Link("systems", "AI system", AISystem, "name"),
        Link("lead_auditor", "person", Person, "name", many=False),
        Link("team", "person", Person, "name"),
        Link("report", "document", Document, "title", many=False),
    ),
    signature=("planned_on", "actual_on", "lead_auditor"),
    pack_columns=("title", "status", "planned_on", "actual_on", "clauses", "controls"),
    synonyms={
        "title": ("audit", "internal audit"),
        "planned_on": ("planned", "plan date"),
        "actual_on": ("actual", "held on", "date held"),
    },
    check=_check_audit,
    empty_text=(
        "<h3>No audits yet</h3><p>Add each internal audit with its planned date and scope "
        "(clauses, controls, AI systems, sites), then draw its checklist from the scope.</p>"
    ),
)

LINES = Register(
    key="audit_lines",
    title="Audit lines (9.2)",
    noun="audit line",
    plural="audit lines",
    clause="9.2",
    model=AuditLine,
    prefix="LN",
    fields=(
        FieldSpec("title", "Checklist line", "text", required=True),
        FieldSpec("audit", "Audit", "ids"),
        FieldSpec("position", "Position", "int", low=1, high=99_999),
        FieldSpec("ref", "Point or control", "text"),
        FieldSpec("result", "Result", "choice", RESULTS),
        FieldSpec("auditor", "Auditor", "ids"),
        FieldSpec("notes", "Notes", "long"),
        FieldSpec("evidence", "Evidence", "ids"),
    ),
    columns=("ref", "title", "result", "auditor"),
    filters=("result",),
    links=(
        Link("audit", "audit", Audit, "title", many=False),
        Link("auditor", "person", Person, "name", many=False),
        Link("evidence", "document", Document, "title"),
    ),
    # only a sheet with an audit's column and the line's position is taken for its lines (a
    # foreign sheet of controls and evidence references is not a checklist)
    signature=("audit", "position"),
    pack_columns=("ref", "title", "result", "notes"),
    synonyms={"title": ("checklist item",), "ref": ("checklist point",)},
    check=_check_line,
    empty_text=(
        "<h3>No checklist yet</h3><p>Select an audit with its scope set and draw its checklist.</p>"
    ),
)

REGISTERS = (PROGRAMMES, AUDITS, LINES)


def line_id(audit_id: str, position: int) -> str:
    return f"{audit_id}-{position:03d}"


def scope_refs(ef: EngagementFile, clauses: object, controls: object) -> list[tuple[str, str]]:
    """The checklist a scope draws, in catalog order: (point or control ID, title). A clause
    brings every point under it (its sub-clauses' too); a clause without points, itself."""
    cat = ef.catalog
    wanted: dict[str, str] = {}
    for clause in split_ids(clauses):
        under = [p for p in cat.points if _under(p.ref, clause)]
        if not under and clause in cat.clause_by_id:
            wanted.setdefault(clause, cat.clause_by_id[clause].title)
        for point in under:
            wanted.setdefault(point.id, point.title)
    titles = {c.id: c.title for c in cat.controls}
    for control in split_ids(controls):
        wanted.setdefault(control, titles.get(control, control))
    return list(wanted.items())


def _under(ref: str, clause: str) -> bool:
    return ref == clause or ref.startswith(clause + ".")


def draw_checklist(ef: EngagementFile, audit_id: str) -> tuple[int, int]:
    """Draw (or draw again) an audit's checklist from its scope; returns (lines added, lines
    removed). A line already answered (a result, notes, evidence or an auditor) is kept even
    when its point left the scope; an untouched line no longer in scope is removed. Lines keep
    their positions, so their IDs (AUD-001-003) never change; new ones come after the last."""
    with ef.writing() as session:
        audit = session.get(Audit, audit_id)
        if audit is None or audit.deleted:
            raise FieldError("id", f"There is no audit {audit_id}.")
        wanted = scope_refs(ef, audit.clauses, audit.controls)
        if not wanted:
            raise FieldError(
                "clauses",
                f"{audit_id} has no clauses or controls in its scope: set its scope first.",
            )
        rows = list(session.scalars(select(AuditLine).where(AuditLine.audit == audit_id)))
        by_ref = {r.ref: r for r in rows}
        keep = {ref for ref, _t in wanted}
        removed = 0
        for row in rows:
            touched = row.result != NOT_AUDITED or row.notes or row.evidence or row.auditor
            if row.ref not in keep and not row.deleted and not touched:
                row.deleted = True
                removed += 1
        position = max((r.position for r in rows), default=0)
        fresh: list[dict[str, object]] = []
        back = 0  # lines removed once and in scope again: they come back as they were
        now = history.now()
        for ref, title in wanted:
            kept = by_ref.get(ref)
            if kept is not None:
                if kept.deleted:
                    kept.deleted = False
                    back += 1
                continue
            position += 1
            fresh.append(
                {
                    "id": line_id(audit_id, position),
                    "audit": audit_id,
                    "position": position,
                    "ref": ref,
                    "title": title[:200],
                    "result": NOT_AUDITED,
                    "auditor": "",
                    "notes": "",
                    "evidence": "",
                    "deleted": False,
                    "created_at": now,
                }
            )
        if fresh:
            session.execute(insert(AuditLine), fresh)
        added = len(fresh) + back
        if added or removed:
            history.record(
                session,
                ef.actor,
                AUDITS.entity,
                audit_id,
                "checklist",
                None,
                f"{added} lines added, {removed} removed",
            )
    return added, removed


def lines_of(ef: EngagementFile, audit_id: str) -> list[Item]:
    """One audit's live lines in checklist order (the window shows these, never all)."""
    names = [f.name for f in LINES.fields]
    with ef.reading() as session:
        query = (
            select(AuditLine)
            .where(AuditLine.audit == audit_id, AuditLine.deleted.is_(False))
            .order_by(AuditLine.position)
        )
        return [Item(r.id, {n: getattr(r, n) for n in names}) for r in session.scalars(query)]


def audit_choices(ef: EngagementFile) -> list[tuple[str, str]]:
    """Every live audit with its title, in ID order (no count of lines: a count over 400,000
    lines would hold the window)."""
    with ef.reading() as session:
        audits = session.execute(
            select(Audit.id, Audit.title).where(Audit.deleted.is_(False)).order_by(Audit.id)
        ).all()
    return [(str(a), str(t)) for a, t in audits]


def audit_of_line(ef: EngagementFile, line: str) -> str:
    """The audit a live line belongs to ("" when there is no such line)."""
    with ef.reading() as session:
        found = session.execute(
            select(AuditLine.audit).where(AuditLine.id == line, AuditLine.deleted.is_(False))
        ).scalar()
    return str(found or "")
