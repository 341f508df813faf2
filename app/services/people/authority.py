"""Whether whoever accepted or approved something was allowed to (5.3, 6.1.3): a residual
risk accepted, an impact assessment approved, the Statement of Applicability issued, the AI
policy approved, the risk criteria and the treatment plan signed off.

The name recorded (text, as typed) must find one person in People (case and spacing ignored)
who, through a role held on the day of the sign-off, holds the authority it needs. A name that
is nobody, or several people, shows no authority either: each is a finding in its own words.
A name may also be a role itself (a committee recorded as a role, "Executive Risk Committee"):
the role's authorities then count. With nobody in People at all every sign-off is unproven,
and the finding says how to prove it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    AimsRole,
    AISystem,
    Approval,
    Document,
    ImpactAssessment,
    Risk,
    RoleAssignment,
    SoaVersion,
)
from app.services import words
from app.services.engagement.file import EngagementFile
from app.services.gaps import GapRule
from app.services.people.names import AUTHORITIES, Directory
from app.services.people.spelling import normalized


@dataclass(frozen=True)
class Subject:
    """Something that needs a sign-off by someone allowed to give it."""

    authority: str  # a key of names.AUTHORITIES
    done: str  # what the name did: "accepted the residual risk"
    rule: GapRule


SUBJECTS: dict[str, Subject] = {
    "risk": Subject(
        "accept_risk",
        "accepted the residual risk",
        GapRule("PPL-06", "Residual risk accepted by someone without the authority", "6.1.3",
                "major",
                todo="Have the residual risk accepted by someone whose role may accept risk, "
                "or add that authority to the accepter's role (People tab, AIMS roles)."),
    ),
    "impact_assessment": Subject(
        "approve_impact_assessment",
        "approved the impact assessment",
        GapRule("PPL-07", "Impact assessment approved by someone without the authority",
                "6.1.4", "minor",
                todo="Have the assessment approved by someone whose role may approve impact "
                "assessments, or add that authority to the approver's role (People tab)."),
    ),
    "soa": Subject(
        "approve_soa",
        "approved the Statement of Applicability",
        GapRule("PPL-08", "Statement of Applicability approved by someone without the "
                "authority", "6.1.3", "minor",
                todo="Issue the SoA again, approved by someone whose role may approve it, or "
                "add that authority to the approver's role (People tab)."),
    ),
    "policy": Subject(
        "approve_policy",
        "approved the AI policy",
        GapRule("PPL-09", "AI policy approved by someone without the authority", "5.2",
                "major",
                todo="Have top management, through a role that may approve the AI policy, "
                "approve it and record who and when (Documents tab)."),
    ),
    "risk_criteria": Subject(
        "approve_risk_criteria",
        "approved the risk criteria",
        GapRule("PPL-10", "Risk criteria approved by someone without the authority", "6.1.1",
                "minor",
                todo="Have the criteria approved by someone whose role may approve them (Risks "
                "tab, Criteria…), or add that authority to the approver's role."),
    ),
    "treatment_plan": Subject(
        "approve_risk_criteria",
        "approved the risk treatment plan",
        GapRule("PPL-11", "Risk treatment plan approved by someone without the authority",
                "6.1.3", "major",
                todo="Have the plan approved by someone whose role may approve it (Risks tab, "
                "Treatment plan), or add that authority to the approver's role."),
    ),
}  # fmt: skip
RULES = {key: subject.rule for key, subject in SUBJECTS.items()}

# why a sign-off shows no authority
NO_PEOPLE, UNKNOWN, AMBIGUOUS, NOT_HELD, ROLE_WITHOUT, ROLE_EMPTY = (
    "no_people", "unknown", "ambiguous", "not_held", "role_without", "role_empty",
)  # fmt: skip


def may(authority: str) -> str:
    """'accept residual AI risk': what a role holding the authority may do."""
    label = AUTHORITIES[authority]
    return label[0].lower() + label[1:]


@dataclass(frozen=True)
class Finding:
    """A sign-off that shows no authority: what, which item, by whom, when, and why not."""

    subject: str  # a key of SUBJECTS
    item: str  # the risk, assessment or document ID, the SoA version number, the subject
    name: str  # as recorded
    on: dt.date | None
    problem: str  # NO_PEOPLE, UNKNOWN, AMBIGUOUS, NOT_HELD, ROLE_WITHOUT or ROLE_EMPTY
    candidates: tuple[str, ...] = ()  # the people an ambiguous name matches

    @property
    def rule(self) -> GapRule:
        return RULES[self.subject]

    @property
    def label(self) -> str:
        """The item as the pack's gap table names it."""
        if self.subject == "soa":
            return f"SoA version {self.item}"
        if self.subject in ("risk_criteria", "treatment_plan"):
            return self.rule.title.split(" approved")[0]
        return self.item

    @property
    def text(self) -> str:
        """What is wrong and what to do, in a sentence or two."""
        subject = SUBJECTS[self.subject]
        allowed = may(subject.authority)
        when = f" on {self.on.isoformat()}" if self.on else ""
        if self.problem == NO_PEOPLE:
            return (
                f"{self.name} {subject.done}, but nobody is recorded in People yet, so no "
                f"authority shows: add {self.name} to People with a role that may {allowed}."
            )
        if self.problem == UNKNOWN:
            return (
                f"“{self.name}” {subject.done}, but is nobody in People: correct the name, or "
                f"add them with a role that may {allowed} (a committee or a board: add it as "
                "a role that holds the authority)."
            )
        if self.problem == AMBIGUOUS:
            return (
                f"“{self.name}” {subject.done}, but {len(self.candidates)} people in People "
                f"have that name ({', '.join(self.candidates)}): tell them apart so the "
                "authority of the one who signed can be checked."
            )
        if self.problem == ROLE_WITHOUT:
            return (
                f"{self.name} (a role in People) {subject.done}{when}, but may not {allowed}: "
                "add the authority to the role, or have a role that holds it sign."
            )
        if self.problem == ROLE_EMPTY:
            return (
                f"{self.name} (a role in People) {subject.done}{when}, but nobody held that "
                "role then: record who sat on it, from when, in People."
            )
        if self.on is None:
            return (
                f"{self.name} {subject.done}, but holds no role that may {allowed}: give them "
                "such a role in People, or have someone who holds one sign."
            )
        return (
            f"{self.name} {subject.done}{when}, but held no role then that may {allowed}: "
            f"give them such a role in People (held from {self.on.isoformat()} or earlier), "
            "or have someone who holds one sign."
        )


def _during(start: dt.date | None, end: dt.date | None, on: dt.date | None) -> bool:
    """A holding from `start` to `end` (either open when blank) covers the day `on` (any
    day when None)."""
    return on is None or not ((start and start > on) or (end and end < on))


def _keys(keys: object) -> set[str]:
    return {k.strip() for k in str(keys).split(",") if k.strip()}


class Checker:
    """The people and roles of an engagement, read once, to check many sign-offs."""

    def __init__(self, session: Session) -> None:
        self.directory = Directory(session)
        # every holding at once (one query, not one per sign-off): person -> (from, to, keys)
        self.holdings: dict[str, list[tuple[dt.date | None, dt.date | None, set[str]]]] = {}
        # a role's holdings by its title, for a committee named as the one who signed
        self.terms: dict[str, list[tuple[dt.date | None, dt.date | None]]] = {}
        self.roles: dict[str, set[str]] = {}
        for title, keys in session.execute(
            select(AimsRole.title, AimsRole.authorities).where(AimsRole.deleted.is_(False))
        ):
            self.roles.setdefault(normalized(title), set()).update(_keys(keys))
        for person, start, end, keys, title in session.execute(
            select(RoleAssignment.person, RoleAssignment.from_date, RoleAssignment.to_date,
                   AimsRole.authorities, AimsRole.title)
            .join(AimsRole, AimsRole.id == RoleAssignment.role)
            .where(RoleAssignment.deleted.is_(False), AimsRole.deleted.is_(False))
        ):  # fmt: skip
            self.holdings.setdefault(str(person), []).append((start, end, _keys(keys)))
            self.terms.setdefault(normalized(title), []).append((start, end))

    def held_on(self, person: str, on: dt.date | None) -> set[str]:
        """names.authorities_on, from the holdings read once."""
        held: set[str] = set()
        for start, end, keys in self.holdings.get(person, ()):
            if _during(start, end, on):
                held |= keys
        return held

    def check(self, subject: str, item: str, name: str, on: dt.date | None) -> Finding | None:
        """None when `name` held the authority `subject` needs on `on` (any day when None)."""
        authority = SUBJECTS[subject].authority
        if not self.directory.names and not self.roles:
            return Finding(subject, item, name, on, NO_PEOPLE)
        match = self.directory.match(name)  # "Priya Shah (Chief Risk Officer)" finds her
        if match.ambiguous:
            return Finding(subject, item, name, on, AMBIGUOUS, match.candidates)
        if match.person:
            if authority in self.held_on(match.person, on):
                return None
            return Finding(subject, item, name, on, NOT_HELD)
        role = self.roles.get(normalized(name))
        if role is not None:
            if authority not in role:
                return Finding(subject, item, name, on, ROLE_WITHOUT)
            held = any(_during(a, b, on) for a, b in self.terms.get(normalized(name), ()))
            return None if held else Finding(subject, item, name, on, ROLE_EMPTY)
        return Finding(subject, item, name, on, UNKNOWN)


def _signoffs(
    session: Session, only: str = "", items: Collection[str] = ()
) -> Iterator[tuple[str, str, str, dt.date | None]]:
    """Every sign-off recorded: (subject, item, name, date); of one subject (`only`), or of
    some items of it (`items`), when given."""

    def wanted(subject: str) -> bool:
        return not only or only == subject

    def rows(key: Any, name: Any, day: Any, *where: Any, join: Any = None) -> Iterator[Any]:
        query = select(key, name, day).where(func.trim(name) != "", *where)
        if join is not None:
            query = query.join(*join)
        if items:
            query = query.where(key.in_(list(items)))
        return iter(session.execute(query.order_by(key)))

    if wanted("risk"):
        for rid, by, on in rows(
            Risk.id, Risk.accepted_by, Risk.accepted_on, Risk.deleted.is_(False)
        ):
            yield "risk", rid, by, on
    if wanted("impact_assessment"):
        ia = ImpactAssessment
        for aid, by, on in rows(
            ia.id, ia.approved_by, ia.approved_on, ia.deleted.is_(False),
            AISystem.deleted.is_(False), join=(AISystem, AISystem.id == ia.system_id),
        ):  # fmt: skip
            yield "impact_assessment", aid, by, on
    # the version in force: the ones it superseded are history
    latest = session.scalars(select(SoaVersion).order_by(SoaVersion.number.desc())).first()
    if wanted("soa") and latest is not None and (not items or str(latest.number) in items):
        yield "soa", str(latest.number), latest.approved_by, latest.issued_on
    if wanted("policy"):
        doc = Document
        for did, by, on in rows(
            doc.id, doc.approved_by, doc.approved_on, doc.deleted.is_(False),
            doc.ai_policy.is_(True),
        ):  # fmt: skip
            yield "policy", did, by, on
    for subject in ("risk_criteria", "treatment_plan"):
        row = session.get(Approval, subject) if wanted(subject) else None
        if row is not None and row.approved_by.strip() and row.approved_on is not None:
            yield subject, subject, row.approved_by, row.approved_on


def findings(ef: EngagementFile, only: str = "", items: Collection[str] = ()) -> list[Finding]:
    """Every sign-off of the engagement that shows no authority, subject by subject (of one
    subject, or some items of it, when given)."""
    with ef.reading() as session:
        checker = Checker(session)
        signoffs = list(_signoffs(session, only, items))
        found = [checker.check(s, i, str(by).strip(), on) for s, i, by, on in signoffs]
    return [f for f in found if f is not None]


def by_item(ef: EngagementFile, subject: str) -> dict[str, Finding]:
    """The findings of one subject by item (risk ID, assessment ID, version number, ...)."""
    return {f.item: f for f in findings(ef, subject)}


def of_item(ef: EngagementFile, subject: str, item: str) -> Finding | None:
    """The finding of one item, or None: what its detail panel shows."""
    return next(iter(findings(ef, subject, [item])), None)


def approvals_without_authority(ef: EngagementFile) -> int:
    """`status --json`'s people.approvals_without_authority."""
    return len(findings(ef))


def as_text(count: int) -> str:
    """The status line."""
    return (
        f"Authority:   {words.count(count, 'sign-off')} (acceptances and approvals) by "
        "someone People does not show allowed to"
    )
