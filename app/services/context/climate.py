"""Whether climate change was considered as an issue of the organization's context: since the
2024 amendments to the ISO management system standards, auditors ask every organization.
The answer is yes with the issue that records it, or no with the reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ContextFacts, ContextIssue
from app.services.engagement import history
from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.registers.description import Rule

ENTITY = "context_facts"
ANSWERS = {"": "Not decided yet", "yes": "Yes, as an issue", "no": "No, for a reason"}
FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in (
        FieldSpec("climate_change", "Climate change considered", "choice", ANSWERS),
        FieldSpec("climate_issue", "Issue that records it", "text"),
        FieldSpec("climate_reason", "Why it is not relevant", "long"),
    )
}
RULE = Rule(
    "CTX-03",
    "Climate change not considered as an issue of the context",
    "4.1",
    "minor",
    lambda _item: False,  # about the engagement, not an item: see `considered`
    todo="Answer whether climate change matters to the organization (Context tab): name the "
    "issue that records it, or say why it does not.",
)


@dataclass(frozen=True)
class Climate:
    climate_change: str
    climate_issue: str
    climate_reason: str
    issue_live: bool = True  # the issue named still exists (it may have been deleted since)

    @property
    def considered(self) -> bool:
        """Answered, and the answer holds: an issue named, or a reason given."""
        if self.climate_change == "yes":
            return bool(self.climate_issue) and self.issue_live
        if self.climate_change == "no":
            return bool(self.climate_reason.strip())
        return False

    def problem(self) -> str:
        """What is missing, in a sentence; empty when considered."""
        if self.climate_change == "yes" and not self.climate_issue:
            return "Name the issue that records climate change."
        if self.climate_change == "yes" and not self.issue_live:
            return f"Issue {self.climate_issue} was deleted: name the issue that records it."
        if self.climate_change == "no" and not self.climate_reason.strip():
            return "Say why climate change is not relevant to the AIMS."
        if not self.climate_change:
            return "Decide whether climate change is an issue for the AIMS."
        return ""


def get(ef: EngagementFile) -> Climate:
    with ef.reading() as session:
        row = session.get(ContextFacts, 1)
        if row is None:
            return Climate("", "", "")
        live = not row.climate_issue or _issue_live(session, row.climate_issue)
        return Climate(row.climate_change, row.climate_issue, row.climate_reason, live)


def _issue_live(session: Session, issue: str) -> bool:
    query = select(ContextIssue.id).where(ContextIssue.id == issue, ContextIssue.deleted.is_(False))
    return session.scalar(query) is not None


def update(ef: EngagementFile, changes: Mapping[str, object]) -> dict[str, object]:
    """Change the answer; returns the old values (for undo)."""
    checked: dict[str, object] = {}
    for name, value in changes.items():
        if name not in FIELDS:
            raise FieldError(name, f"'{name}' is not a field of the context.")
        checked[name] = FIELDS[name].coerce(value)
    old: dict[str, object] = {}
    with ef.writing() as session:
        issue = str(checked.get("climate_issue", "")).strip()
        if issue and not _issue_live(session, issue):
            raise FieldError(
                "climate_issue", f"There is no issue {issue}: give the ID of an issue."
            )
        row = session.get(ContextFacts, 1)
        if row is None:
            row = ContextFacts(id=1, climate_change="", climate_issue="", climate_reason="")
            session.add(row)
        for name, value in checked.items():
            if getattr(row, name) != value:
                old[name] = getattr(row, name)
                setattr(row, name, value)
                history.record(session, ef.actor, ENTITY, "1", name, old[name], value)
    return old
