"""Sign-offs by designated management of one subject of the AIMS (the risk criteria, the risk
treatment plan, ...): who approved it, in which role, when, and which version of the subject.
A subject that has versions reads as not approved once it changed after the sign-off."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.models import Approval as ApprovalModel
from app.services.engagement import history
from app.services.engagement.errors import FieldError, RuleError
from app.services.engagement.fields import parse_date
from app.services.engagement.file import EngagementFile

ENTITY = "approval"
SUBJECTS = {
    "risk_criteria": "Risk criteria",
    "treatment_plan": "Risk treatment plan",
}
_FIELDS = ("approved_by", "approved_on")


@dataclass(frozen=True)
class Approval:
    subject: str
    approved_by: str
    role: str
    approved_on: dt.date
    subject_version: int | None = None
    note: str = ""

    def holds_for(self, version: int | None) -> bool:
        """Still valid for the subject at `version` (a subject without versions: always)."""
        return self.subject_version is None or version is None or self.subject_version == version

    def text(self) -> str:
        """As the history, the window and the pack say it: 'Jo Bloggs (CEO), 2026-03-01'."""
        role = f" ({self.role})" if self.role else ""
        return f"{self.approved_by}{role}, {self.approved_on.isoformat()}"


def _subject(subject: str) -> str:
    if subject not in SUBJECTS:
        raise FieldError("subject", f"'{subject}' is not something management approves here.")
    return subject


def get(ef: EngagementFile, subject: str) -> Approval | None:
    with ef.reading() as session:
        row = session.get(ApprovalModel, _subject(subject))
        if row is None or row.approved_on is None or not row.approved_by.strip():
            return None
        return Approval(row.subject, row.approved_by, row.role, row.approved_on,
                        row.subject_version, row.note)  # fmt: skip


def is_approved(ef: EngagementFile, subject: str, version: int | None = None) -> bool:
    found = get(ef, subject)
    return found is not None and found.holds_for(version)


def check(
    subject: str, approved_by: str, role: str, approved_on: object, version: int | None = None,
    note: str = "",
) -> Approval:  # fmt: skip
    """An approval as given, refused with the field to fix: a name and a date are needed."""
    _subject(subject)
    when = parse_date("approved_on", approved_on, "Approved on")
    if not approved_by.strip():
        raise RuleError("approved_by", "Say who approved it, or clear the approval.", _FIELDS)
    if when is None:
        raise RuleError("approved_on", "Enter the date it was approved.", _FIELDS)
    if when > dt.date.today():
        raise FieldError("approved_on", "An approval cannot be dated in the future.")
    return Approval(subject, approved_by.strip(), role.strip(), when, version, note.strip())


def set_approval(ef: EngagementFile, approval: Approval) -> Approval | None:
    """Record (or replace) the approval of its subject; returns the one before, for undo."""
    checked = check(approval.subject, approval.approved_by, approval.role,
                    approval.approved_on, approval.subject_version, approval.note)  # fmt: skip
    return _write(ef, checked.subject, checked)


def clear(ef: EngagementFile, subject: str) -> Approval | None:
    """Withdraw the approval of a subject; returns the one before, for undo."""
    return _write(ef, _subject(subject), None)


def restore(ef: EngagementFile, subject: str, before: Approval | None) -> None:
    """Undo of a set or a clear: the approval as it was (or none)."""
    _write(ef, _subject(subject), before)


def _write(ef: EngagementFile, subject: str, new: Approval | None) -> Approval | None:
    before = get(ef, subject)
    if before == new:
        return before
    with ef.writing() as session:
        row = session.get(ApprovalModel, subject)
        if new is None:
            if row is not None:
                session.delete(row)
        else:
            if row is None:
                row = ApprovalModel(subject=subject)
                session.add(row)
            row.approved_by, row.role, row.approved_on = new.approved_by, new.role, new.approved_on
            row.subject_version, row.note = new.subject_version, new.note
        history.record(
            session, ef.actor, ENTITY, subject, "approval",
            before.text() if before else None, new.text() if new else None,
        )  # fmt: skip
    return before


def history_of(ef: EngagementFile, subject: str, limit: int = 50) -> list[history.Change]:
    with ef.reading() as session:
        return history.for_entity(session, ENTITY, _subject(subject), limit)
