"""The engagement's own figures as they stood on a date: what a management review is told
(open nonconformities, objectives off track, audit results, changes to the context, the
status of earlier reviews' actions, improvements). Every figure is one aggregate query over
its table, read through Core so thousands of audits and nonconformities cost one pass each;
kept in one module so the status, the pack and the rules can ask the same questions.

"As of" a date means what the dates recorded on the items say: a nonconformity raised on or
before the date and not closed by it is open; a measurement taken on or before it is the
latest one known; an item with no date is taken as known since it was created."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Date, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from app.models import (
    AimsRole,
    Audit,
    AuditLine,
    CorrectiveAction,
    HistoryEntry,
    Improvement,
    ManagementReview,
    Measurement,
    Nonconformity,
    Objective,
    ReviewAction,
    RoleAssignment,
)

# How many item IDs a figure carries for its links (the counts are always whole)
LINKED = 12

# an improvement still to decide: none taken yet, or put off
AWAITING = ("undecided", "deferred")

# The context registers a review hears the changes of, by the input that reports them
ISSUE_ENTITIES = ("context_issue",)
PARTY_ENTITIES = ("interested_party", "party_requirement", "obligation")


@dataclass(frozen=True)
class Counted:
    """A number of items, with the IDs of the first few of them."""

    count: int = 0
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Nonconformities:
    open: Counted = Counted()
    overdue: Counted = Counted()
    major_open: int = 0
    raised_since: int = 0  # raised in the period (since the previous review)
    closed_since: int = 0
    actions_open: int = 0
    actions_overdue: int = 0


@dataclass(frozen=True)
class Objectives:
    total: int = 0
    measured: int = 0  # with a numeric measurement on or before the date and a target
    off_track: Counted = Counted()
    not_measured: Counted = Counted()


@dataclass(frozen=True)
class Audits:
    done: Counted = Counted()  # with an actual date in the period
    results: dict[str, int] = field(default_factory=dict)  # line result -> lines


@dataclass(frozen=True)
class Changes:
    by_entity: dict[str, Counted] = field(default_factory=dict)  # entity -> items changed
    created: int = 0  # of those, items first recorded in the period

    @property
    def count(self) -> int:
        return sum(c.count for c in self.by_entity.values())


@dataclass(frozen=True)
class Actions:
    total: int = 0  # actions of earlier reviews still to report on
    done: Counted = Counted()
    open: Counted = Counted()
    overdue: Counted = Counted()


@dataclass(frozen=True)
class Improvements:
    decided_since: Counted = Counted()
    undecided: Counted = Counted()


def _known_by(date_col: Any, created: Any, as_of: dt.date) -> Any:
    """Recorded by the date: its own date on or before it, or no date and created by then."""
    return or_(
        date_col <= as_of,
        and_(date_col.is_(None), cast(created, Date) <= as_of),
    )


def _ids_and_count(session: Session, model: Any, where: Iterable[Any]) -> Counted:
    conditions = list(where)
    count = session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0
    if not count:
        return Counted()
    key = model.__table__.c.id
    ids = session.scalars(select(key).where(*conditions).order_by(key).limit(LINKED))
    return Counted(int(count), tuple(str(i) for i in ids))


def nonconformities(session: Session, as_of: dt.date, since: dt.date | None) -> Nonconformities:
    n = Nonconformity.__table__.c
    live = [n.deleted.is_(False), _known_by(n.raised_on, n.created_at, as_of)]
    # closed by the date; one marked closed with no date given counts as closed
    still_open = or_(and_(n.closed_on.is_(None), n.status != "closed"), n.closed_on > as_of)
    opened = _ids_and_count(session, Nonconformity, [*live, still_open])
    overdue = _ids_and_count(
        session, Nonconformity, [*live, still_open, n.due_date.is_not(None), n.due_date < as_of]
    )

    def after(col: Any) -> Any:  # in the period: after the previous review, if any
        return col > since if since else col.is_not(None)

    row = session.execute(
        select(
            func.coalesce(func.sum(case((and_(still_open, n.grade == "major"), 1), else_=0)), 0),
            func.coalesce(func.sum(case((after(n.raised_on), 1), else_=0)), 0),
            func.coalesce(
                func.sum(case((and_(n.closed_on <= as_of, after(n.closed_on)), 1), else_=0)), 0
            ),
        ).where(*live)
    ).one()
    a = CorrectiveAction.__table__.c
    acts = session.execute(
        select(
            func.count(),
            func.coalesce(
                func.sum(case((and_(a.due_date.is_not(None), a.due_date < as_of), 1), else_=0)),
                0,
            ),
        ).where(
            a.deleted.is_(False),
            cast(a.created_at, Date) <= as_of,
            or_(a.done_on.is_(None), a.done_on > as_of),
        )
    ).one()
    return Nonconformities(
        opened, overdue, int(row[0]), int(row[1]), int(row[2]), int(acts[0]), int(acts[1])
    )


def objectives(session: Session, as_of: dt.date) -> Objectives:
    """Each live objective against its latest numeric measurement on or before the date:
    off track when the value is on the wrong side of the target."""
    o, m = Objective.__table__.c, Measurement.__table__.c
    latest = (
        select(
            m.objective,
            m.number,
            func.row_number()
            .over(partition_by=m.objective, order_by=(m.measured_on.desc(), m.created_at.desc()))
            .label("rank"),
        )
        .where(m.deleted.is_(False), m.measured_on <= as_of, m.number.is_not(None))
        .subquery()
    )
    known = [o.deleted.is_(False)]  # (an objective's measurements carry the dates)
    total = session.scalar(select(func.count()).select_from(Objective).where(*known)) or 0
    rows = session.execute(
        select(o.id, o.target, o.direction, latest.c.number)
        .outerjoin(latest, and_(latest.c.objective == o.id, latest.c.rank == 1))
        .where(*known, o.target.is_not(None))
        .order_by(o.id)
    ).all()
    measured = [r for r in rows if r.number is not None]
    off = [
        r.id
        for r in measured
        if (r.number > r.target if r.direction == "at_most" else r.number < r.target)
    ]
    unmeasured = [r.id for r in rows if r.number is None]
    return Objectives(
        int(total),
        len(measured),
        Counted(len(off), tuple(off[:LINKED])),
        Counted(len(unmeasured), tuple(unmeasured[:LINKED])),
    )


def audits(session: Session, as_of: dt.date, since: dt.date | None) -> Audits:
    """The audits carried out in the period (an actual date after `since`, up to the date)
    and their lines by result."""
    a, line = Audit.__table__.c, AuditLine.__table__.c
    period = [
        a.deleted.is_(False),
        a.status != "cancelled",
        a.actual_on.is_not(None),
        a.actual_on <= as_of,
    ]
    if since is not None:
        period.append(a.actual_on > since)
    done = _ids_and_count(session, Audit, period)
    results: dict[str, int] = {}
    if done.count:
        query = (
            select(line.result, func.count())
            .join(Audit, Audit.id == line.audit)
            .where(*period, line.deleted.is_(False))
            .group_by(line.result)
        )
        results = {str(result): int(n) for result, n in session.execute(query)}
    return Audits(done, results)


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max)


def changes(
    session: Session, entities: tuple[str, ...], as_of: dt.date, since: dt.date | None
) -> Changes:
    """The items of the given registers changed (created, edited or deleted) in the period,
    as the change history records them."""
    h = HistoryEntry.__table__.c
    where = [h.entity.in_(entities), h.at <= _end_of(as_of)]
    if since is not None:
        where.append(h.at > _end_of(since))
    rows = session.execute(
        select(
            h.entity,
            h.entity_id,
            func.max(case((h.field == "created", 1), else_=0)),
        )
        .where(*where)
        .group_by(h.entity, h.entity_id)
        .order_by(h.entity, h.entity_id)
    ).all()
    grouped: dict[str, list[str]] = {}
    for entity, item_id, _created in rows:
        grouped.setdefault(str(entity), []).append(str(item_id))
    return Changes(  # in the order the registers were asked for
        {e: Counted(len(ids), tuple(ids[:LINKED])) for e in entities if (ids := grouped.get(e))},
        sum(int(created) for *_rest, created in rows),
    )


def previous_review(session: Session, review_id: str, on: dt.date) -> tuple[str, dt.date] | None:
    """The latest live review held before `on` (not the review itself): its ID and date."""
    r = ManagementReview.__table__.c
    row = session.execute(
        select(r.id, r.held_on)
        .where(r.deleted.is_(False), r.id != review_id, r.held_on.is_not(None), r.held_on < on)
        .order_by(r.held_on.desc(), r.id.desc())
        .limit(1)
    ).first()
    return (str(row[0]), row[1]) if row else None


def earlier_actions(session: Session, as_of: dt.date, since: dt.date | None) -> Actions:
    """The actions decided at reviews held before the date, left out those already reported
    done at the previous review (done on or before `since`): done by the date, still open,
    and open past their due date."""
    act, rev = ReviewAction.__table__.c, ManagementReview.__table__.c
    where = [
        act.deleted.is_(False),
        rev.deleted.is_(False),
        rev.held_on.is_not(None),
        rev.held_on < as_of,
    ]
    if since is not None:
        where.append(or_(act.done_on.is_(None), act.done_on > since))
    rows = session.execute(
        select(act.id, act.done_on, act.due_date)
        .join(ManagementReview, ManagementReview.id == act.review)
        .where(*where)
        .order_by(act.id)
    ).all()
    done = [r.id for r in rows if r.done_on is not None and r.done_on <= as_of]
    still = [r for r in rows if r.done_on is None or r.done_on > as_of]
    late = [r.id for r in still if r.due_date is not None and r.due_date < as_of]

    def counted(ids: list[str]) -> Counted:
        return Counted(len(ids), tuple(ids[:LINKED]))

    return Actions(len(rows), counted(done), counted([r.id for r in still]), counted(late))


def improvements(session: Session, as_of: dt.date, since: dt.date | None) -> Improvements:
    i = Improvement.__table__.c
    known = [i.deleted.is_(False), cast(i.created_at, Date) <= as_of]
    decided = [*known, i.decision.not_in(AWAITING), i.decided_on <= as_of]
    if since is not None:
        decided.append(i.decided_on > since)
    pending = [
        *known,
        or_(
            i.decision.in_(AWAITING),
            i.decided_on.is_(None),
            i.decided_on > as_of,
        ),
    ]
    return Improvements(
        _ids_and_count(session, Improvement, decided),
        _ids_and_count(session, Improvement, pending),
    )


def top_management_on(session: Session, person_ids: Iterable[str], on: dt.date) -> set[str]:
    """Which of these people hold, on the date, a role marked top management."""
    wanted = [p for p in person_ids if p]
    if not wanted:
        return set()
    ra, role = RoleAssignment.__table__.c, AimsRole.__table__.c
    query = (
        select(ra.person)
        .join(AimsRole, AimsRole.id == ra.role)
        .where(
            ra.person.in_(wanted),
            ra.deleted.is_(False),
            role.deleted.is_(False),
            role.top_management.is_(True),
            or_(ra.from_date.is_(None), ra.from_date <= on),
            or_(ra.to_date.is_(None), ra.to_date >= on),
        )
    )
    return {str(p) for p in session.scalars(query)}


def holders_on(session: Session, person_ids: Iterable[str], on: dt.date) -> dict[str, list[str]]:
    """Each person's role titles held on the date (attendees by role, in the pack)."""
    wanted = [p for p in person_ids if p]
    if not wanted:
        return {}
    ra, role = RoleAssignment.__table__.c, AimsRole.__table__.c
    query = (
        select(ra.person, role.title)
        .join(AimsRole, AimsRole.id == ra.role)
        .where(
            ra.person.in_(wanted),
            ra.deleted.is_(False),
            role.deleted.is_(False),
            or_(ra.from_date.is_(None), ra.from_date <= on),
            or_(ra.to_date.is_(None), ra.to_date >= on),
        )
        .order_by(role.title)
    )
    held: dict[str, list[str]] = {}
    for person, title in session.execute(query):
        held.setdefault(str(person), []).append(str(title))
    return held
