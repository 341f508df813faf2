"""Nonconformities and their corrective actions (10.2), and opportunities for continual
improvement (10.1), described; and the life cycle of a nonconformity: raised (from an audit
line, or by hand), corrected, its cause found and acted on, the actions' effectiveness
reviewed (not effective reopens it), closed.

Closing without an effectiveness review is allowed: a client often closes the record once
the actions are done and judges their effect months later, and an imported register may hold
such closures. A lead auditor will not accept it as complete, though: NCR-02 flags it, at the
item and in the counts, until a review shows the actions worked. Closing after a review that
found them not effective is refused: that review reopened it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    Audit,
    AuditLine,
    CorrectiveAction,
    Improvement,
    Nonconformity,
    RequirementState,
)
from app.services import words
from app.services.engagement.errors import FieldError, RuleError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.registers import service as register
from app.services.registers.description import Item, Link, Register, Rule

SOURCES = {
    "internal_audit": "Internal audit",
    "external_audit": "External audit",
    "incident": "Incident",
    "complaint": "Complaint",
    "management_review": "Management review",
    "other": "Other",
}
GRADES = {"minor": "Minor", "major": "Major"}
METHODS = {
    "": "Not given",
    "five_whys": "5 whys",
    "fishbone": "Fishbone (cause and effect)",
    "fault_tree": "Fault tree",
    "other": "Other",
}
EFFECTIVE = {"": "Not reviewed", "yes": "Effective", "no": "Not effective"}
STATUSES = {"open": "Open", "closed": "Closed"}
DECISIONS = {
    "undecided": "Undecided",
    "adopted": "Adopted",
    "rejected": "Rejected",
    "deferred": "Deferred",
}
# an open nonconformity with no corrective action this long after it was raised: the cause
# is not being acted on (certification bodies ask for an action plan within weeks)
STALLED_DAYS = 60
_REVIEW = ("effectiveness_on", "effectiveness_by", "effective")


def _today() -> dt.date:
    return dt.date.today()


def _open(item: Item) -> bool:
    return item.values["status"] != "closed"


def _overdue(item: Item) -> bool:
    due = item.values["due_date"]
    return _open(item) and isinstance(due, dt.date) and due < _today()


def _closed_unreviewed(item: Item) -> bool:
    return not _open(item) and item.values["effective"] != "yes"


def _findings(session: Session) -> dict[str, list[str]]:
    """The rules that read a nonconformity's corrective actions: NCR-03 (actions, no root
    cause) and NCR-04 (open long, no action). Only the offenders are read, so a register of
    20,000 stays quick."""
    live = CorrectiveAction.deleted.is_(False)
    acted = select(CorrectiveAction.nonconformity).where(live)
    alive = Nonconformity.deleted.is_(False)
    found: dict[str, list[str]] = {}
    without_cause = select(Nonconformity.id).where(
        alive, func.trim(Nonconformity.root_cause) == "", Nonconformity.id.in_(acted)
    )
    for nc_id in session.scalars(without_cause):
        found.setdefault(str(nc_id), []).append("NCR-03")
    stalled = select(Nonconformity.id).where(
        alive,
        Nonconformity.status != "closed",
        Nonconformity.raised_on < _today() - dt.timedelta(days=STALLED_DAYS),
        Nonconformity.id.not_in(acted),
    )
    for nc_id in session.scalars(stalled):
        found.setdefault(str(nc_id), []).append("NCR-04")
    return found


def _changed(
    session: Session,
    model: type[Any],
    item_id: str,
    values: Mapping[str, object],
    names: Sequence[str],
) -> list[str]:
    """Which of `names` differ from what is stored (all of them for a new item)."""
    row = session.get(model, item_id) if item_id else None
    if row is None:
        return list(names)
    return [n for n in names if getattr(row, n) != values.get(n)]


def _later_of(changed: list[str], first: str, second: str) -> str:
    """The field to name when two dates disagree: the one just changed (the second if both)."""
    return first if first in changed and second not in changed else second


def _check_nonconformity(session: Session, v: Mapping[str, object], item_id: str) -> None:
    fields = ("raised_on", "due_date", "closed_on", "status", *_REVIEW, "source", "source_ref")
    changed = _changed(session, Nonconformity, item_id, v, fields)
    raised, due, closed = v["raised_on"], v["due_date"], v["closed_on"]
    if isinstance(raised, dt.date):
        if isinstance(due, dt.date) and due < raised:
            raise FieldError(
                _later_of(changed, "raised_on", "due_date"),
                f"The due date {due.isoformat()} is before the nonconformity was raised "
                f"({raised.isoformat()}): give a due date on or after it.",
            )
        if isinstance(closed, dt.date) and closed < raised:
            raise FieldError(
                _later_of(changed, "raised_on", "closed_on"),
                f"Closed on {closed.isoformat()}, before it was raised ({raised.isoformat()}): "
                "give the date it was really closed.",
            )
    if "source_ref" in changed:
        _once_per_line(session, Nonconformity, v, item_id, "nonconformity")
    _check_review(session, v, item_id, changed)
    if v["status"] == "closed" and closed is None:
        raise RuleError("closed_on", "Enter the date it was closed.", ("status", "closed_on"))
    if v["status"] != "closed" and closed is not None:
        raise RuleError(
            "status",
            "Set the status to Closed, or clear the closing date.",
            ("status", "closed_on"),
        )
    if v["status"] == "closed" and v["effective"] == "no" and "effective" in changed:
        raise FieldError(
            "effective",
            "Found not effective, a closed nonconformity is open again: record the review "
            "with Record effectiveness review, or set the status to Open and clear the "
            "closing date first.",
        )
    if v["status"] == "closed" and v["effective"] == "no" and changed:
        raise FieldError(
            "status",
            "The last effectiveness review found the actions not effective, which reopened "
            "it: review their effect again once the new actions are done, then close it.",
        )


def _once_per_line(
    session: Session, model: type[Any], v: Mapping[str, object], item_id: str, noun: str
) -> None:
    """An audit line raises one nonconformity, or one opportunity for improvement. (A
    reference to a whole audit, or to a line no longer there, may be shared.)"""
    ref = str(v["source_ref"])
    if v["source"] != "internal_audit" or not ref:
        return
    line = session.get(AuditLine, ref)
    if line is None or line.deleted:
        return
    twice = session.scalar(
        select(model.id).where(
            model.deleted.is_(False),
            model.source == "internal_audit",
            model.source_ref == ref,
            model.id != item_id,
        )
    )
    if twice is not None:
        raise FieldError(
            "source_ref",
            f"{twice} was already raised from audit line {ref}: one audit line raises one {noun}.",
        )


def _check_review(
    session: Session, v: Mapping[str, object], item_id: str, changed: list[str]
) -> None:
    """An effectiveness review is of actions already done: one dated before any of them is
    done, or while one is still open, is refused (checked when the review is recorded)."""
    on, effective = v["effectiveness_on"], v["effective"]
    if on is None and not effective and not str(v["effectiveness_by"]).strip():
        return  # not reviewed
    if on is None:
        raise RuleError("effectiveness_on", "Enter the date of the effectiveness review.", _REVIEW)
    if not effective:
        raise RuleError("effective", "Say whether the actions were effective.", _REVIEW)
    if not str(v["effectiveness_by"]).strip():
        raise RuleError("effectiveness_by", "Say who reviewed the effectiveness.", _REVIEW)
    if v["effective"] == "no" and not str(v["effectiveness_note"]).strip() and changed:
        raise RuleError(
            "effectiveness_note",
            "Say why the actions were not effective: the note is kept with the reopening.",
            (*_REVIEW, "effectiveness_note"),
        )
    if not set(_REVIEW) & set(changed):
        return
    assert isinstance(on, dt.date)
    raised = v["raised_on"]
    if isinstance(raised, dt.date) and on < raised:
        raise FieldError(
            "effectiveness_on",
            f"The effectiveness review ({on.isoformat()}) is before the nonconformity was "
            f"raised ({raised.isoformat()}).",
        )
    actions = session.execute(
        select(CorrectiveAction.id, CorrectiveAction.done_on).where(
            CorrectiveAction.deleted.is_(False), CorrectiveAction.nonconformity == item_id
        )
    ).all()
    open_actions = sorted(str(a) for a, done in actions if done is None)
    if open_actions:
        raise FieldError(
            "effectiveness_on",
            f"{', '.join(open_actions)} {'is' if len(open_actions) == 1 else 'are'} not done "
            "yet: review the effectiveness once every corrective action is done.",
        )
    later = sorted((done, str(a)) for a, done in actions if done is not None and done > on)
    if later:
        done, action = later[-1]
        raise FieldError(
            "effectiveness_on",
            f"{action} was done on {done.isoformat()}, after this review "
            f"({on.isoformat()}): the review comes after the actions it judges.",
        )


NONCONFORMITIES = Register(
    key="nonconformities",
    title="Nonconformities (10.2)",
    noun="nonconformity",
    plural="nonconformities",
    clause="10.2",
    model=Nonconformity,
    prefix="NC",
    fields=(
        FieldSpec("title", "Nonconformity", "text", required=True),
        FieldSpec("raised_on", "Raised on", "date"),
        FieldSpec("source", "Source", "choice", SOURCES),
        FieldSpec("source_ref", "Source reference (audit line or item ID)", "text"),
        FieldSpec("ref", "Clause or control", "ids"),
        FieldSpec("grade", "Grade", "choice", GRADES),
        FieldSpec("description", "What was found", "long"),
        FieldSpec("owner", "Owner", "text"),
        FieldSpec("due_date", "Due date", "date"),
        FieldSpec("correction", "Correction made", "long"),
        FieldSpec("root_cause", "Root cause", "long"),
        FieldSpec("root_cause_method", "Root cause found by", "choice", METHODS),
        FieldSpec("similar", "Similar nonconformities elsewhere (existing or possible)", "long"),
        FieldSpec("effectiveness_on", "Effectiveness reviewed on", "date"),
        FieldSpec("effectiveness_by", "Effectiveness reviewed by", "text"),
        FieldSpec("effective", "Actions effective", "choice", EFFECTIVE),
        FieldSpec("effectiveness_note", "Effectiveness review note", "long"),
        FieldSpec("status", "Status", "choice", STATUSES),
        FieldSpec("closed_on", "Closed on", "date"),
    ),
    columns=("title", "grade", "source", "status", "owner", "due_date", "raised_on"),
    filters=("status", "grade", "source"),
    links=(Link("ref", "clause or control", RequirementState, "id", many=False, catalog="any"),),
    rules=(
        Rule(
            "NCR-01",
            "Past its due date and not closed",
            "10.2",
            "minor",
            _overdue,
            "overdue",
            todo="Finish the corrective actions and close the nonconformity, or record a new "
            "due date with the reason in its notes.",
        ),
        Rule(
            "NCR-02",
            "Closed without an effectiveness review showing the actions worked",
            "10.2",
            "minor",  # one such closure; a register of them is a broken process (the count)
            _closed_unreviewed,
            "closed_without_effectiveness_review",
            todo="Check that the actions stopped it happening again and record it (Evaluation "
            "tab, Record effectiveness review…).",
        ),
        Rule(
            "NCR-03",
            "Corrective actions taken, but no root cause recorded",
            "10.2",
            "minor",
            counted_as="without_root_cause",
            todo="Find out why it happened and write the root cause, and how it was found, on "
            "the nonconformity.",
        ),
        Rule(
            "NCR-04",
            f"Open more than {STALLED_DAYS} days with no corrective action",
            "10.2",
            "observation",
            counted_as="without_corrective_action",
            todo="Decide the corrective actions, each with an owner and a due date (Corrective "
            "actions), or record why none is needed.",
        ),
    ),
    pack_columns=("title", "grade", "ref", "owner", "due_date", "root_cause"),
    counted_as="total",
    synonyms={
        "title": ("nonconformity", "finding", "nc"),
        "raised_on": ("date raised", "raised", "date"),
        "root_cause": ("cause",),
        "closed_on": ("date closed", "closed"),
    },
    signature=("grade", "root_cause", "correction"),
    empty_text=(
        "<h3>No nonconformities yet</h3><p>Raise them from the lines of an internal audit "
        "(the Raise from audit line button), or add those found by an external audit, an "
        "incident, a complaint or a management review.</p>"
    ),
    check=_check_nonconformity,
    findings=_findings,
)


def _check_action(session: Session, v: Mapping[str, object], item_id: str) -> None:
    nc = session.get(Nonconformity, str(v["nonconformity"]))
    if nc is None:
        return  # the link check has refused it already
    raised = nc.raised_on
    for name, label in (("due_date", "due date"), ("done_on", "done date")):
        date = v[name]
        if isinstance(raised, dt.date) and isinstance(date, dt.date) and date < raised:
            raise FieldError(
                name,
                f"The {label} {date.isoformat()} is before {nc.id} was raised "
                f"({raised.isoformat()}).",
            )
    reviewed = nc.effectiveness_on
    if nc.effective == "yes" and isinstance(reviewed, dt.date):
        done = v["done_on"]
        if not isinstance(done, dt.date) or done > reviewed:
            raise FieldError(
                "done_on",
                f"{nc.id}'s actions were reviewed effective on {reviewed.isoformat()}: an action "
                "not done by then was not part of that review. Record it as done by then, or "
                "raise a new nonconformity.",
            )


CORRECTIVE_ACTIONS = Register(
    key="corrective_actions",
    title="Corrective actions (10.2)",
    noun="corrective action",
    plural="corrective actions",
    clause="10.2",
    model=CorrectiveAction,
    prefix="CA",
    fields=(
        FieldSpec("action", "Action", "text", required=True),
        FieldSpec("nonconformity", "Nonconformity", "ids", required=True),
        FieldSpec("owner", "Owner", "text"),
        FieldSpec("due_date", "Due date", "date"),
        FieldSpec("done_on", "Done on", "date"),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("action", "nonconformity", "owner", "due_date", "done_on"),
    links=(Link("nonconformity", "nonconformity", Nonconformity, "title", many=False),),
    pack_columns=("action", "nonconformity", "owner", "due_date", "done_on"),
    counted_as="corrective_actions",
    synonyms={"action": ("corrective action",), "done_on": ("done", "completed on")},
    signature=("nonconformity", "done_on"),
    empty_text=(
        "<h3>No corrective actions yet</h3><p>For each nonconformity, add what is done "
        "against its root cause: who does it, by when, and when it was done.</p>"
    ),
    check=_check_action,
)


def _check_improvement(session: Session, v: Mapping[str, object], item_id: str) -> None:
    if "source_ref" in _changed(session, Improvement, item_id, v, ("source", "source_ref")):
        _once_per_line(session, Improvement, v, item_id, "opportunity for improvement")


IMPROVEMENTS = Register(
    key="improvements",
    title="Improvements (10.1)",
    noun="opportunity for improvement",
    plural="opportunities for improvement",
    clause="10.1",
    model=Improvement,
    prefix="OFI",
    fields=(
        FieldSpec("title", "Opportunity", "text", required=True),
        FieldSpec("source", "Source", "choice", SOURCES),
        FieldSpec("source_ref", "Source reference", "text"),
        FieldSpec("description", "Description", "long"),
        FieldSpec("decision", "Decision", "choice", DECISIONS),
        FieldSpec("decided_on", "Decided on", "date"),
        FieldSpec("owner", "Owner", "text"),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("title", "source", "decision", "decided_on", "owner"),
    filters=("decision", "source"),
    pack_columns=("title", "source", "decision", "decided_on", "owner"),
    counted_as="improvements",
    synonyms={"title": ("opportunity", "improvement", "ofi")},
    signature=("decision", "decided_on"),
    check=_check_improvement,
    empty_text=(
        "<h3>No opportunities for improvement yet</h3><p>Add what audits, reviews and staff "
        "suggest could work better, and what was decided about each.</p>"
    ),
)

REGISTERS = (NONCONFORMITIES, CORRECTIVE_ACTIONS, IMPROVEMENTS)


# the life cycle
def _grade_of(result: str) -> str | None:
    """The grade an audit line's result gives ("minor_nonconformity" -> "minor")."""
    for grade in ("major", "minor"):
        if grade in result:
            return grade
    return None


def _opportunity(result: str) -> str | None:
    """An audit line's result that is an opportunity for improvement."""
    found = "opportunit" in result or "improvement" in result or result == "ofi"
    return "opportunity for improvement" if found else None


def _line(
    ef: EngagementFile, line_id: str, kind_of: Callable[[str], str | None], wanted: str
) -> tuple[AuditLine, str, dt.date | None]:
    """An audit line with its kind (a grade, or an opportunity) and the date of its audit;
    refused when it is not `wanted`."""
    with ef.reading() as session:
        line = session.get(AuditLine, line_id)
        if line is None or line.deleted:
            raise FieldError("source_ref", f"There is no audit line {line_id}.")
        kind = kind_of(line.result)
        if kind is None:
            raise FieldError(
                "source_ref",
                f"Audit line {line_id} is not {words.a(wanted)} (its result is "
                f"{line.result.replace('_', ' ')}).",
            )
        audit = session.get(Audit, line.audit)
        session.expunge(line)
        return line, kind, audit.actual_on if audit is not None else None


def raise_from_line(ef: EngagementFile, line_id: str, today: dt.date | None = None) -> str:
    """A nonconformity from an audit line found nonconforming: its clause or control, its
    grade and the audit's date come from the line; one line raises one nonconformity."""
    line_id = line_id.strip()
    line, grade, found = _line(ef, line_id, _grade_of, "minor or major nonconformity")
    ref = line.ref
    known = register.link_names(ef, NONCONFORMITIES)["ref"]
    values: dict[str, object] = {
        "title": (f"{ref} {line.title}".strip() if ref else line.title)
        or f"From audit line {line_id}",
        "source": "internal_audit",
        "source_ref": line_id,
        "ref": ref if ref in known else "",
        "grade": grade,
        "raised_on": found or today or _today(),
        "description": line.notes,
    }
    return register.create(ef, NONCONFORMITIES, values)


def raise_improvement_from_line(ef: EngagementFile, line_id: str) -> str:
    """An opportunity for improvement from an audit line that found one; one per line."""
    line_id = line_id.strip()
    line, _kind, _found = _line(ef, line_id, _opportunity, "opportunity for improvement")
    title = f"{line.ref} {line.title}".strip() or f"From audit line {line_id}"
    values = {
        "title": title,
        "source": "internal_audit",
        "source_ref": line_id,
        "description": line.notes,
    }
    return register.create(ef, IMPROVEMENTS, values)


def review_changes(on: object, by: str, effective: bool, note: str = "") -> dict[str, object]:
    """The fields an effectiveness review sets; not effective reopens the nonconformity."""
    changes: dict[str, object] = {
        "effectiveness_on": on,
        "effectiveness_by": by,
        "effective": "yes" if effective else "no",
        "effectiveness_note": note,
    }
    if not effective:
        changes |= {"status": "open", "closed_on": None}
    return changes


def record_effectiveness(
    ef: EngagementFile, nc_id: str, on: object, by: str, effective: bool, note: str = ""
) -> dict[str, object]:
    """Record the review of whether the corrective actions worked. Not effective reopens
    the nonconformity (open again, no closing date); the note says why, and the history
    keeps both. Returns the old values (for undo)."""
    return register.update(ef, NONCONFORMITIES, nc_id, review_changes(on, by, effective, note))


@dataclass(frozen=True)
class ActionLine:
    """A corrective action as shown beside its nonconformity."""

    id: str
    action: str
    owner: str
    due_date: dt.date | None
    done_on: dt.date | None


def actions_of(ef: EngagementFile, nc_id: str) -> list[ActionLine]:
    """The live corrective actions of one nonconformity, in ID order."""
    with ef.reading() as session:
        rows = session.execute(
            select(
                CorrectiveAction.id,
                CorrectiveAction.action,
                CorrectiveAction.owner,
                CorrectiveAction.due_date,
                CorrectiveAction.done_on,
            ).where(CorrectiveAction.deleted.is_(False), CorrectiveAction.nonconformity == nc_id)
        ).all()
    return sorted((ActionLine(*row) for row in rows), key=lambda a: words.natural(a.id))


def lines_to_raise(ef: EngagementFile, improvements: bool = False) -> list[tuple[str, str]]:
    """Audit lines found nonconforming (or, `improvements`, finding an opportunity for
    improvement) that nothing was raised from yet: (line ID, "ref title, what it found")."""
    model: type[Any] = Improvement if improvements else Nonconformity
    kind_of = _opportunity if improvements else _grade_of
    with ef.reading() as session:
        raised = set(
            session.scalars(
                select(model.source_ref).where(
                    model.deleted.is_(False), model.source == "internal_audit"
                )
            )
        )
        lines = session.execute(
            select(AuditLine.id, AuditLine.ref, AuditLine.title, AuditLine.result)
            .where(AuditLine.deleted.is_(False))
            .order_by(AuditLine.audit, AuditLine.position)
        ).all()
    return [
        (str(i), f"{ref} {title}".strip() + f", {kind}")
        for i, ref, title, result in lines
        if i not in raised and (kind := kind_of(str(result))) is not None
    ]


def close(ef: EngagementFile, nc_id: str, on: object) -> dict[str, object]:
    """Close a nonconformity on a date (refused before it was raised). Returns the old
    values (for undo)."""
    if on is None or str(on).strip() == "":
        raise FieldError("closed_on", "Enter the date it was closed.")
    return register.update(ef, NONCONFORMITIES, nc_id, {"status": "closed", "closed_on": on})


def reviewed(item: Item) -> bool:
    """Closing it now leaves no gap: a review found its actions effective."""
    return item.values["effective"] == "yes"


def summary(ef: EngagementFile) -> dict[str, int]:
    """What `status --json` says under `nonconformities`."""
    items = register.list_items(ef, NONCONFORMITIES)
    counted = register.counts(NONCONFORMITIES, items)
    improvements = register.list_items(ef, IMPROVEMENTS)
    return {
        "total": len(items),
        "open": sum(1 for i in items if _open(i)),
        "major_open": sum(1 for i in items if _open(i) and i.values["grade"] == "major"),
        **{k: v for k, v in counted.items() if k != "total"},
        "corrective_actions": _live_actions(ef),
        "improvements": len(improvements),
        "improvements_undecided": sum(
            1 for i in improvements if i.values["decision"] == "undecided"
        ),
    }


def _live_actions(ef: EngagementFile) -> int:
    with ef.reading() as session:
        query = select(func.count()).where(CorrectiveAction.deleted.is_(False))
        return int(session.scalar(query) or 0)


_OFI = "opportunity for improvement"


def as_text(data: dict[str, int]) -> str:
    return (
        "Nonconformities: "
        + words.count(data["total"], "nonconformity", "nonconformities")
        + f" ({data['open']} open, {data['major_open']} of them major) with "
        + words.count(data["corrective_actions"], "corrective action")
        + f"; {data['overdue']} past the due date, "
        f"{data['closed_without_effectiveness_review']} closed without an effectiveness "
        f"review, {data['without_root_cause']} with actions but no root cause, "
        f"{data['without_corrective_action']} open over {STALLED_DAYS} days with no action; "
        + words.count(data["improvements"], _OFI, "opportunities for improvement")
        + f" ({data['improvements_undecided']} undecided)"
    )
