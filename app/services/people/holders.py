"""Adding people, roles, holdings and acknowledgements inside one transaction, each with its
history line, finding what is already there by name first (case and spacing ignored), so an
import or a demo run twice adds nothing twice. Used by the import of the client's own people
records and by the demo."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AimsRole, Person, PolicyAcknowledgement, RoleAssignment
from app.services.engagement import history, ids
from app.services.people.registers import ACKNOWLEDGEMENTS, HOLDERS, PEOPLE, ROLES
from app.services.people.spelling import normalized
from app.services.registers.description import Register


def _next(session: Session, reg: Register) -> str:
    """The register's next free ID (PER-009, ROLE-08, RH-012): the same as the tab gives."""
    return ids.next_free_id(session, reg.model, reg.prefix, reg.id_width)


def find_role(session: Session, title: str) -> str:
    """The live role of that title (case and spacing ignored), or ''."""
    key = normalized(title)
    for rid, found in session.execute(
        select(AimsRole.id, AimsRole.title).where(AimsRole.deleted.is_(False))
    ):
        if normalized(found) == key:
            return str(rid)
    return ""


def add_person(session: Session, actor: str, name: str, **fields: object) -> str:
    pid = _next(session, PEOPLE)
    session.add(Person(id=pid, name=name, created_at=history.now(), deleted=False, **fields))
    history.record(session, actor, PEOPLE.entity, pid, "created", None, name)
    return pid


def add_role(session: Session, actor: str, title: str, **fields: object) -> str:
    rid = _next(session, ROLES)
    session.add(AimsRole(id=rid, title=title, created_at=history.now(), deleted=False, **fields))
    history.record(session, actor, ROLES.entity, rid, "created", None, title)
    return rid


def holds(session: Session, role: str, person: str) -> bool:
    """Whether the person holds (or held) the role at some time."""
    return (
        session.scalar(
            select(RoleAssignment.id).where(
                RoleAssignment.role == role,
                RoleAssignment.person == person,
                RoleAssignment.deleted.is_(False),
            )
        )
        is not None
    )


def add_holding(
    session: Session, actor: str, role: str, person: str,
    start: dt.date | None = None, end: dt.date | None = None, notes: str = "",
) -> str:  # fmt: skip
    hid = _next(session, HOLDERS)
    session.add(
        RoleAssignment(id=hid, role=role, person=person, from_date=start, to_date=end,
                       notes=notes, created_at=history.now(), deleted=False)
    )  # fmt: skip
    history.record(session, actor, HOLDERS.entity, hid, "created", None, f"{person} as {role}")
    return hid


def add_acknowledgement(
    session: Session, actor: str, person: str, document: str, version: str,
    on: dt.date | None, how: str, evidence: str, notes: str = "",
) -> str:  # fmt: skip
    aid = _next(session, ACKNOWLEDGEMENTS)
    session.add(
        PolicyAcknowledgement(
            id=aid, person=person, document=document, version=version, acknowledged_on=on,
            how=how, evidence=evidence, notes=notes, created_at=history.now(), deleted=False,
        )
    )  # fmt: skip
    history.record(
        session, actor, ACKNOWLEDGEMENTS.entity, aid, "created", None, f"{person} {version}"
    )
    return aid
