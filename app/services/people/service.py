"""What the People area does beyond its registers' generic service: the starting set of AIMS
roles, one person merged into another, what a person holds (asked before a delete), a
holder's competence state, and the area's figures for `status`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.models import AimsRole
from app.services import words
from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.people import authority, competence
from app.services.people.registers import (
    ACKNOWLEDGEMENTS,
    HOLDERS,
    PEOPLE,
    ROLES,
    TRAINING,
    VERIFICATIONS,
)
from app.services.registers import service as register
from app.services.registers.description import Register


@dataclass(frozen=True)
class StartingRole:
    template: str  # a key of registers.TEMPLATES
    title: str
    responsibilities: str
    authorities: tuple[str, ...] = ()
    reports_performance: bool = False
    top_management: bool = False


STARTING_ROLES = (
    StartingRole(
        "top_management",
        "Top management",
        "Directs the AIMS: sets the AI policy and objectives, provides the resources, "
        "decides which AI risks the organization accepts and reviews how the AIMS performs.",
        ("approve_policy", "accept_risk", "approve_soa", "approve_risk_criteria"),
        top_management=True,
    ),
    StartingRole(
        "aims_lead",
        "AIMS lead",
        "Runs the AIMS day to day: keeps its documents and records, coordinates the risk and "
        "impact work, and reports how the AIMS performs to top management.",
        reports_performance=True,
    ),
    StartingRole(
        "risk_owner",
        "AI risk owner",
        "Owns AI risks: sees that their treatment is carried out and reports their state. "
        "Accepting what remains is for management with that authority.",
    ),
    StartingRole(
        "impact_approver",
        "Impact assessment approver",
        "Reviews the impact assessments of AI systems and approves them when they are sound.",
        ("approve_impact_assessment",),
    ),
    StartingRole(
        "internal_auditor",
        "Internal auditor",
        "Audits the AIMS against the organization's own requirements and the standard, "
        "independently of the work audited.",
    ),
    StartingRole(
        "data_steward",
        "Data steward",
        "Looks after the data AI systems use: where it comes from, its quality, its "
        "preparation and who may use it.",
    ),
    StartingRole(
        "system_owner",
        "AI system owner",
        "Answers for one AI system through its life: its intended use, its controls, its "
        "monitoring and its retirement.",
    ),
)


def add_starting_roles(ef: EngagementFile) -> list[str]:
    """Add the starting roles not there yet (recognised by the role they began as, whatever
    they are called now); returns the IDs added, none when all are there."""
    if ef.read_only:
        raise FieldError("id", "The engagement is open read-only: nothing can be added.")
    there = _templates(ef)
    added = []
    for role in STARTING_ROLES:
        if role.template in there:
            continue
        values = {
            "title": role.title,
            "responsibilities": role.responsibilities,
            "authorities": ", ".join(role.authorities),
            "reports_performance": role.reports_performance,
            "top_management": role.top_management,
            "template": role.template,
        }
        added.append(register.create(ef, ROLES, values))
    return added


def missing_starting_roles(ef: EngagementFile) -> list[str]:
    """The titles of the starting roles the engagement does not have yet."""
    there = _templates(ef)
    return [r.title for r in STARTING_ROLES if r.template not in there]


def _templates(ef: EngagementFile) -> set[str]:
    """The starting roles the live roles began as."""
    with ef.reading() as session:
        query = select(AimsRole.template).where(AimsRole.deleted.is_(False))
        return {str(t) for t in session.scalars(query)}


# where a person's ID is named inside the People area: (register, field)
PERSON_LINKS: tuple[tuple[Register, str], ...] = (
    (HOLDERS, "person"),
    (TRAINING, "person"),
    (VERIFICATIONS, "person"),
    (ACKNOWLEDGEMENTS, "person"),
)


def merge_people(ef: EngagementFile, keep_id: str, drop_id: str) -> list[str]:
    """One person entered twice: everything naming `drop_id` names `keep_id` instead (each
    change in the history), then `drop_id` is deleted. Returns the IDs of the items moved."""
    if keep_id == drop_id:
        raise FieldError("id", f"{keep_id} cannot be merged into itself: give two people.")
    keep = register.get_item(ef, PEOPLE, keep_id)
    drop = register.get_item(ef, PEOPLE, drop_id)
    for person in (keep, drop):
        if person.deleted:
            raise FieldError("id", f"There is no person {person.id}.")
    moved = []
    for reg, name in PERSON_LINKS:
        for item in register.list_items(ef, reg):
            if item.values[name] == drop_id:
                register.update(ef, reg, item.id, {name: keep_id})
                moved.append(item.id)
    # (the owner names in the other areas are moved here too, once they name people)
    register.set_deleted(ef, PEOPLE, drop_id, True)
    return moved


def unmerge_people(ef: EngagementFile, keep_id: str, drop_id: str, moved: list[str]) -> None:
    """A merge taken back (undo): `drop_id` restored, the items moved naming it again."""
    register.set_deleted(ef, PEOPLE, drop_id, False)
    wanted = set(moved)
    for reg, name in PERSON_LINKS:
        for item in register.list_items(ef, reg):
            if item.id in wanted and item.values[name] == keep_id:
                register.update(ef, reg, item.id, {name: drop_id})


def what_they_hold(ef: EngagementFile, person_id: str) -> list[str]:
    """What deleting a person would leave without them, one line each: the roles they hold
    and the other items of the area naming them."""
    roles = {r.id: str(r.values["title"]) for r in register.list_items(ef, ROLES)}
    lines = []
    for reg, name in PERSON_LINKS:
        named = [i for i in register.list_items(ef, reg) if i.values[name] == person_id]
        if not named:
            continue
        if reg is HOLDERS:
            held = [f"{h.values['role']} {roles.get(str(h.values['role']), '')}" for h in named]
            lines.append(f"holds {', '.join(s.strip() for s in held)}")
        else:
            lines.append(
                f"is named by {words.count(len(named), reg.noun, reg.plural)} "
                f"({', '.join(i.id for i in named)})"
            )
    return lines


def analysis(ef: EngagementFile, today: dt.date | None = None) -> competence.Analysis:
    with ef.reading() as session:
        return competence.analyse(session, today or dt.date.today())


def holder_state(ef: EngagementFile, holding_id: str) -> str:
    """Whether a role holder is verified competent for the role today, and if not what is
    missing; "" for a holding not current (ended, not begun, or its person left)."""
    with ef.reading() as session:
        return competence.holder_state(session, holding_id, dt.date.today())


def performance_gap(ef: EngagementFile) -> bool:
    with ef.reading() as session:
        return competence.performance_gap(session)


def summary(ef: EngagementFile) -> dict[str, Any]:
    """The People section of `status --json`."""
    with ef.reading() as session:
        found = competence.analyse(session, dt.date.today())
        live = {
            reg.key: session.scalar(
                select(func.count()).select_from(reg.model).where(reg.model.deleted.is_(False))
            )
            for reg in (PEOPLE, ROLES)
        }
    return {
        "people": live[PEOPLE.key],
        "roles": live[ROLES.key],
        "roles_unassigned": found.count("roles", competence.UNHELD),
        "holders_unverified": found.count("role_holders", competence.UNVERIFIED),
        "training_unverified": found.count("training", competence.TRAINING_UNVERIFIED),
        "policy_unacknowledged": found.count("people", competence.NO_ACKNOWLEDGEMENT),
        "performance_reporting_assigned": found.performance_held,
        "approvals_without_authority": authority.approvals_without_authority(ef),
    }


def as_text(data: dict[str, Any]) -> str:
    reporting = "assigned" if data["performance_reporting_assigned"] else "NOT assigned"
    return (
        f"People:      {words.count(data['people'], 'person', 'people')}, "
        f"{words.count(data['roles'], 'AIMS role')} ({data['roles_unassigned']} held by "
        f"nobody); {words.count(data['holders_unverified'], 'role holder')} not verified "
        f"competent, {words.count(data['training_unverified'], 'training')} never verified, "
        f"{words.count(data['policy_unacknowledged'], 'holder')} without the current AI "
        f"policy acknowledged; performance reporting {reporting}"
    )
