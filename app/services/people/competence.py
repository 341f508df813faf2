"""Competence and awareness (5.3, 7.2, 7.3), worked out across the People area's registers:
who holds which role today, whether each holder was found competent for what the role
requires, whether each training was followed by a verification, and whether each holder
acknowledged the AI policy's current version.

A holder is verified for a role when, for every competence the role requires, a verification
of that person covering that competence has the result "competent". A role that requires
nothing cannot verify anyone: its holders stay unverified until its competences are written."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from app.models import (
    AimsRole,
    CompetenceVerification,
    Document,
    Person,
    PolicyAcknowledgement,
    RoleAssignment,
    RoleCompetence,
    Training,
)
from app.services.gaps import GapRule
from app.services.people.spelling import normalized

UNVERIFIED = GapRule(
    "PPL-01", "Holds an AIMS role, but competence for it not verified", "7.2", "major",
    todo="Record, for each competence the role requires, how the person was found competent "
    "(People tab, Competence verifications).",
)  # fmt: skip
UNHELD = GapRule(
    "PPL-02", "Nobody holds this role today", "5.3", "major",
    todo="Assign the role to someone, from a date, and say how they were told (People tab, "
    "Role holders).",
)  # fmt: skip
TRAINING_UNVERIFIED = GapRule(
    "PPL-03", "Training recorded, but no verification that it made the person competent", "7.2",
    "minor",
    todo="Check what the person can do after the training and record it (People tab, "
    "Competence verifications, naming the training).",
)  # fmt: skip
NO_ACKNOWLEDGEMENT = GapRule(
    "PPL-04", "Holds an AIMS role, but has not acknowledged the current AI policy", "7.3", "minor",
    todo="Have the person confirm they read the current AI policy and record the version "
    "(People tab, Policy acknowledgements).",
)  # fmt: skip
NO_PERFORMANCE_ROLE = GapRule(
    "PPL-05", "No role is accountable for reporting the AIMS's performance to top management",
    "5.3", "major",
    todo="Give a role the duty of reporting the AIMS's performance to top management (People "
    "tab, AIMS roles) and assign it to someone.",
)  # fmt: skip
HOLDER_GONE = GapRule(
    # minor: the role itself is PPL-02 when nobody else holds it; this is the stale record
    "PPL-12", "Names a person or a role no longer in People", "5.3", "minor",
    todo="End the holding (Held until) or name who holds the role now (People tab, Role "
    "holders); Edit > Undo brings back a person deleted by mistake.",
)  # fmt: skip
RULES = (
    UNVERIFIED, UNHELD, TRAINING_UNVERIFIED, NO_ACKNOWLEDGEMENT, NO_PERFORMANCE_ROLE, HOLDER_GONE
)  # fmt: skip

# the stored statuses of a document no longer in force (documents/register.py)
_RETIRED = ("superseded", "withdrawn")


def _ids(value: object) -> list[str]:
    return [p.strip() for p in str(value or "").replace(";", ",").split(",") if p.strip()]


@dataclass
class Analysis:
    """What the area's rules find on a date, by register and item."""

    # register key -> item ID -> rule IDs ("people", "roles", "role_holders", "training")
    by_register: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: {k: {} for k in ("people", "roles", "role_holders", "training")}
    )
    # holding ID -> its competence state as a consultant reads it
    holder_state: dict[str, str] = field(default_factory=dict)
    verified_holdings: set[str] = field(default_factory=set)
    current_holdings: list[str] = field(default_factory=list)
    performance_roles: list[str] = field(default_factory=list)  # roles reporting performance
    performance_held: bool = False  # one of them held today
    policies: dict[str, str] = field(default_factory=dict)  # current AI policy ID -> version
    acknowledged: set[str] = field(default_factory=set)  # people with a current acknowledgement

    def flag(self, register: str, item_id: str, rule: GapRule) -> None:
        self.by_register[register].setdefault(item_id, []).append(rule.id)

    def count(self, register: str, rule: GapRule) -> int:
        return sum(1 for found in self.by_register[register].values() if rule.id in found)

    @property
    def performance_gap(self) -> bool:
        return not self.performance_roles


def _live(session: Session, model: Any) -> list[Any]:
    return list(session.scalars(select(model).where(model.deleted.is_(False))))


def current_policies(session: Session) -> dict[str, str]:
    """The AI policy as it stands: each live document marked as the AI policy, in force or a
    draft, that no later version supersedes -> its version."""
    docs = _live(session, Document)
    superseded = {d.supersedes for d in docs if d.supersedes}
    return {
        d.id: str(d.version)
        for d in docs
        if d.ai_policy and d.status not in _RETIRED and d.id not in superseded
    }


def analyse(session: Session, today: dt.date) -> Analysis:
    found = Analysis()
    people = {p.id: p for p in _live(session, Person)}
    roles = {r.id: r for r in _live(session, AimsRole)}
    required: dict[str, list[RoleCompetence]] = defaultdict(list)
    for rc in _live(session, RoleCompetence):
        required[rc.role].append(rc)
    verifications = _live(session, CompetenceVerification)
    competent: dict[str, set[str]] = defaultdict(set)  # person -> competences verified
    for v in verifications:
        if v.result == "competent":
            competent[v.person].update(_ids(v.competences))

    holders_of: dict[str, set[str]] = defaultdict(set)  # role -> people holding it today
    role_holders: set[str] = set()  # people holding any role today
    for h in _live(session, RoleAssignment):
        person, role = people.get(h.person), roles.get(h.role)
        if (h.from_date and h.from_date > today) or (h.to_date and h.to_date < today):
            continue
        if person is None or role is None:  # deleted since: the holding says nothing true
            found.flag("role_holders", h.id, HOLDER_GONE)
            continue
        if person.status == "left":
            continue
        found.current_holdings.append(h.id)
        holders_of[role.id].add(person.id)
        role_holders.add(person.id)
        verified, found.holder_state[h.id] = _state(role, required[role.id], competent[person.id])
        if verified:
            found.verified_holdings.add(h.id)
        else:
            found.flag("role_holders", h.id, UNVERIFIED)

    for role in roles.values():
        if not holders_of.get(role.id):
            found.flag("roles", role.id, UNHELD)
        if role.reports_performance:
            found.performance_roles.append(role.id)
            found.performance_held = found.performance_held or bool(holders_of.get(role.id))

    for t in _live(session, Training):
        if not _training_verified(t, verifications):
            found.flag("training", t.id, TRAINING_UNVERIFIED)

    found.policies = current_policies(session)
    for ack in _live(session, PolicyAcknowledgement):
        version = found.policies.get(ack.document)
        if version is not None and normalized(ack.version) == normalized(version):
            found.acknowledged.add(ack.person)
    for person_id in sorted(role_holders - found.acknowledged):
        found.flag("people", person_id, NO_ACKNOWLEDGEMENT)
    return found


def _state(role: AimsRole, needs: list[RoleCompetence], competent: set[str]) -> tuple[bool, str]:
    """Whether a holder of `role` verified competent for `competent` is verified, in words."""
    missing = [rc for rc in needs if rc.id not in competent]
    if not needs:
        return False, (
            f"{role.id} {role.title} requires no competence yet, so nobody can be verified "
            "for it: record what it requires under Required competence."
        )
    if missing:
        named = "; ".join(f"{rc.id} {rc.competence}" for rc in missing)
        return False, f"Not verified for: {named}."
    return True, f"Verified competent for all {len(needs)} required."


def holder_state(session: Session, holding_id: str, today: dt.date) -> str:
    """One holding's competence state (as `analyse` gives it, read for that holding alone);
    "" when it is not current: ended, not begun, deleted, or its person left."""
    h = session.get(RoleAssignment, holding_id)
    if h is None or h.deleted:
        return ""
    person, role = session.get(Person, h.person), session.get(AimsRole, h.role)
    if person is None or role is None or person.deleted or role.deleted:
        return ""
    if person.status == "left" or (h.from_date and h.from_date > today):
        return ""
    if h.to_date and h.to_date < today:
        return ""
    needs = list(
        session.scalars(
            select(RoleCompetence).where(
                RoleCompetence.role == role.id, RoleCompetence.deleted.is_(False)
            )
        )
    )
    verified = session.scalars(
        select(CompetenceVerification.competences).where(
            CompetenceVerification.person == person.id,
            CompetenceVerification.result == "competent",
            CompetenceVerification.deleted.is_(False),
        )
    )
    return _state(role, needs, {c for text in verified for c in _ids(text)})[1]


def holder_counts(session: Session, today: dt.date) -> tuple[int, int]:
    """(current role holdings, those verified), as `analyse` counts them, by aggregate
    queries for the dashboard: a holding is verified when its role requires a competence and
    every one it requires is in a "competent" verification of the holder (the verification's
    competence IDs, a comma or semicolon list, matched as whole IDs)."""
    ra, person, role = RoleAssignment.__table__.c, Person.__table__.c, AimsRole.__table__.c
    rc, v = RoleCompetence.__table__.c, CompetenceVerification.__table__.c
    current = (
        select(ra.id, ra.role, ra.person)
        .join(Person, Person.id == ra.person)
        .join(AimsRole, AimsRole.id == ra.role)
        .where(
            ra.deleted.is_(False),
            person.deleted.is_(False),
            person.status != "left",
            role.deleted.is_(False),
            or_(ra.from_date.is_(None), ra.from_date <= today),
            or_(ra.to_date.is_(None), ra.to_date >= today),
        )
        .subquery()
    )
    holders = session.scalar(select(func.count()).select_from(current)) or 0
    listed = literal(",") + func.replace(func.replace(v.competences, ";", ","), " ", "") + ","
    # each holding's needs, each covered (1) or not (0) by a verification of the holder
    needs = (
        select(
            current.c.id.label("holding"),
            func.max(case((v.id.is_not(None), 1), else_=0)).label("covered"),
        )
        .join(RoleCompetence, and_(rc.role == current.c.role, rc.deleted.is_(False)))
        .outerjoin(
            CompetenceVerification,
            and_(
                v.person == current.c.person,
                v.result == "competent",
                v.deleted.is_(False),
                listed.like(literal("%,") + rc.id + ",%"),
            ),
        )
        .group_by(current.c.id, rc.id)
        .subquery()
    )
    verified = (
        select(needs.c.holding).group_by(needs.c.holding).having(func.min(needs.c.covered) == 1)
    )
    return int(holders), int(
        session.scalar(select(func.count()).select_from(verified.subquery())) or 0
    )


def performance_gap(session: Session) -> bool:
    """No live role is accountable for reporting the AIMS's performance (PPL-05)."""
    query = select(AimsRole.id).where(
        AimsRole.deleted.is_(False), AimsRole.reports_performance.is_(True)
    )
    return session.scalar(query.limit(1)) is None


def _training_verified(t: Training, verifications: list[CompetenceVerification]) -> bool:
    """A verification names the training, or verifies that person for a competence the
    training addresses on or after the day of the training."""
    addressed = set(_ids(t.competences))
    for v in verifications:
        if v.training == t.id:
            return True
        if v.person != t.person or not addressed & set(_ids(v.competences)):
            continue
        if t.taken_on is None or v.verified_on is None or v.verified_on >= t.taken_on:
            return True
    return False
