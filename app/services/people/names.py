"""How a typed or imported name finds its person, and what a person may do on a date.

Owners, assessors, approvers and acceptors in the other areas store a person's name as text
(what the consultant typed, kept in the history); a name names a person when it matches the
person's name ignoring case and spacing. Two people may share a name: such a name is
ambiguous and is reported, never guessed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AimsRole, Person, RoleAssignment
from app.services.people.spelling import name_key, normalized

# What a role may be allowed to do (stored as these keys, comma separated, on the role).
AUTHORITIES = {
    "accept_risk": "Accept residual AI risk",
    "approve_impact_assessment": "Approve impact assessments",
    "approve_policy": "Approve the AI policy",
    "approve_soa": "Approve the Statement of Applicability",
    "approve_risk_criteria": "Approve the risk criteria and treatment plan",
}


@dataclass(frozen=True)
class Match:
    """What a name names: one person (`person`), nobody, or several (`candidates`)."""

    name: str
    person: str = ""  # the person's ID when exactly one matches
    candidates: tuple[str, ...] = ()  # every person whose name matches

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


class Directory:
    """The live people of an engagement, read once, to match many names quickly."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            select(Person.id, Person.name, Person.email).where(Person.deleted.is_(False))
        ).all()
        self.names = {str(pid): str(name) for pid, name, _email in rows}
        self.emails = {str(pid): str(email) for pid, _name, email in rows}
        by_name: dict[str, list[str]] = defaultdict(list)
        for pid, name, _email in rows:
            by_name[normalized(name)].append(str(pid))
        self.by_name = dict(by_name)

    def key_of(self, name: object) -> str:
        """The key `name` finds its people by: its normalized form; or, when that names
        nobody, the name before a role in brackets if that names someone."""
        key = normalized(name)
        if key in self.by_name:
            return key
        shorter = name_key(name)
        return shorter if shorter in self.by_name else key

    def match(self, name: object) -> Match:
        key = self.key_of(name)
        found = tuple(self.by_name.get(key, ())) if key else ()
        return Match(str(name or ""), found[0] if len(found) == 1 else "", found)


def authorities_on(session: Session, person_id: str, on: dt.date | None) -> set[str]:
    """The authority keys a person holds through their roles on a date (any date when None):
    a holding counts from its from-date to its to-date, either open when blank."""
    query = (
        select(RoleAssignment.from_date, RoleAssignment.to_date, AimsRole.authorities)
        .join(AimsRole, AimsRole.id == RoleAssignment.role)
        .where(
            RoleAssignment.person == person_id,
            RoleAssignment.deleted.is_(False),
            AimsRole.deleted.is_(False),
        )
    )
    held: set[str] = set()
    for start, end, keys in session.execute(query):
        if on is not None and ((start and start > on) or (end and end < on)):
            continue
        held.update(k.strip() for k in str(keys).split(",") if k.strip())
    return held
