"""Prepare inputs: each expected input of a management review drafted from the engagement's
own figures as they stood on the review's date (or today for a review not dated), for the
consultant to edit. Notes already written are kept unless the consultant says to replace
them: a review's inputs are the minutes of what it was told."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Generator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ManagementReview, ReviewAction, ReviewInput
from app.services import words
from app.services.engagement import history, ids
from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.evaluation import figures
from app.services.evaluation.reviews import ACTIONS, INPUTS, TOPICS, review_date
from app.services.progress import Progress, finish
from app.services.registers.description import Item

_NOUNS = {
    "context_issue": ("issue", "issues"),
    "interested_party": ("interested party", "interested parties"),
    "party_requirement": ("party requirement", "party requirements"),
    "obligation": ("obligation", "obligations"),
}
# an audit line's result as the review reads it (the audits' own labels when they exist)
_RESULTS = {
    "conforming": ("line conforming", "lines conforming"),
    "minor": ("minor nonconformity", "minor nonconformities"),
    "major": ("major nonconformity", "major nonconformities"),
    "observation": ("observation", "observations"),
    "improvement": ("opportunity for improvement", "opportunities for improvement"),
    "not_audited": ("line not audited", "lines not audited"),
}


@dataclass(frozen=True)
class Draft:
    """What an input would say: its notes and the IDs of the items behind them."""

    topic: str
    notes: str
    links: tuple[str, ...] = ()


@dataclass
class Prepared:
    review: str
    as_of: dt.date
    since: dt.date | None
    filled: list[str] = field(default_factory=list)  # topics written
    kept: list[str] = field(default_factory=list)  # topics whose notes were left as written
    # for undo: input ID -> its notes and links before (None: the input was created)
    before: dict[str, tuple[str, str] | None] = field(default_factory=dict)


def _ids(counted: figures.Counted) -> str:
    if not counted.ids:
        return ""
    more = counted.count - len(counted.ids)
    return " (" + ", ".join(counted.ids) + (f" and {more} more" if more > 0 else "") + ")"


def _period(since: dt.date | None) -> str:
    return f"since the previous review ({since.isoformat()})" if since else "up to now"


_Drafted = tuple[dt.date, dt.date | None, list[Draft]]
_STEPS = len(TOPICS) + 1  # a step per topic, then the writing


def drafts(session: Session, review_id: str) -> _Drafted:
    """Each topic's draft for a review: (as of, previous review's date, drafts)."""
    return finish(_drafting(session, review_id))


def _drafting(session: Session, review_id: str) -> Generator[Progress, None, _Drafted]:
    """`drafts`, yielding progress as each topic's figures are read."""
    review = session.get(ManagementReview, review_id)
    if review is None or review.deleted:
        raise FieldError("id", f"There is no management review {review_id}.")
    # a review still to come is told the figures as they are today
    as_of = min(review_date({"held_on": review.held_on}), dt.date.today())
    previous = figures.previous_review(session, review_id, as_of)
    since = previous[1] if previous else None
    head = f"As of {as_of.isoformat()}"
    out: list[Draft] = []

    acts = figures.earlier_actions(session, as_of, since)
    if acts.total:
        text = (
            f"{head}: {words.count(acts.total, 'action')} from earlier reviews to report on; "
            f"{acts.done.count} done{_ids(acts.done)}, {acts.open.count} still open"
            f"{_ids(acts.open)}, {acts.overdue.count} of them past the due date"
            f"{_ids(acts.overdue)}."
        )
    elif previous:
        text = f"{head}: the previous review ({previous[0]}) decided no action still to report."
    else:
        text = f"{head}: this is the first review; no earlier actions to report on."
    out.append(Draft("previous_actions", text, acts.open.ids + acts.done.ids))
    yield len(out), _STEPS, f"Read {TOPICS[out[-1].topic].lower()}"

    for topic, entities in (
        ("issues", figures.ISSUE_ENTITIES),
        ("parties", figures.PARTY_ENTITIES),
    ):
        found = figures.changes(session, entities, as_of, since)
        if found.count:
            parts = [
                words.count(c.count, *_NOUNS[e]) + _ids(c)
                for e, c in found.by_entity.items()
                if c.count
            ]
            text = (
                f"{head}, changed {_period(since)}: {'; '.join(parts)}"
                f"; {found.created} of them newly recorded."
            )
        else:
            text = f"{head}: nothing recorded changed {_period(since)}."
        links = tuple(i for c in found.by_entity.values() for i in c.ids)
        out.append(Draft(topic, text, links))
        yield len(out), _STEPS, f"Read {TOPICS[out[-1].topic].lower()}"

    nc = figures.nonconformities(session, as_of, since)
    if not (nc.open.count or nc.raised_since or nc.closed_since or nc.actions_open):
        text = f"{head}: no nonconformity open, and none raised or closed {_period(since)}."
    else:
        text = (
            f"{head}: {words.count(nc.open.count, 'nonconformity', 'nonconformities')} open"
            f"{_ids(nc.open)}, {nc.major_open} major; {nc.overdue.count} past the due date"
            f"{_ids(nc.overdue)}. Raised {_period(since)}: {nc.raised_since}; closed: "
            f"{nc.closed_since}. Corrective actions: {nc.actions_open} open, "
            f"{nc.actions_overdue} overdue."
        )
    out.append(Draft("nonconformities", text, nc.open.ids))
    yield len(out), _STEPS, f"Read {TOPICS[out[-1].topic].lower()}"

    obj = figures.objectives(session, as_of)
    if obj.total:
        text = (
            f"{head}: {words.count(obj.total, 'objective')}; {obj.measured} measured against "
            f"the target, {obj.off_track.count} off track{_ids(obj.off_track)}; "
            f"{obj.not_measured.count} with a target but no measurement yet"
            f"{_ids(obj.not_measured)}."
        )
    else:
        text = f"{head}: no AI objective recorded, so nothing was measured."
    out.append(Draft("monitoring", text, obj.off_track.ids + obj.not_measured.ids))
    yield len(out), _STEPS, f"Read {TOPICS[out[-1].topic].lower()}"

    aud = figures.audits(session, as_of, since)
    if aud.done.count:
        lines = ", ".join(
            words.count(n, *_RESULTS.get(r, (r.replace("_", " "), r.replace("_", " ") + "s")))
            for r, n in sorted(aud.results.items(), key=lambda kv: _order(kv[0]))
        )
        text = (
            f"{head}: {words.count(aud.done.count, 'audit')} carried out {_period(since)}"
            f"{_ids(aud.done)}; their checklists: {lines or 'no lines'}."
        )
    else:
        text = f"{head}: no internal audit carried out {_period(since)}."
    out.append(Draft("audits", text, aud.done.ids))
    yield len(out), _STEPS, f"Read {TOPICS[out[-1].topic].lower()}"

    imp = figures.improvements(session, as_of, since)
    text = (
        f"{head}: {words.count(imp.decided_since.count, 'opportunity', 'opportunities')} "
        f"decided {_period(since)}{_ids(imp.decided_since)}; "
        f"{imp.undecided.count} awaiting a decision{_ids(imp.undecided)}."
    )
    out.append(Draft("improvement", text, imp.undecided.ids + imp.decided_since.ids))
    yield len(out), _STEPS, f"Read {TOPICS[out[-1].topic].lower()}"
    order = list(TOPICS)
    return as_of, since, sorted(out, key=lambda d: order.index(d.topic))


def _order(result: str) -> int:
    keys = list(_RESULTS)
    return keys.index(result) if result in keys else len(keys)


def written_topics(ef: EngagementFile, review_id: str) -> list[str]:
    """The topics of a review whose inputs already hold notes (asked about before replacing)."""
    with ef.reading() as session:
        i = ReviewInput.__table__.c
        rows = session.execute(
            select(i.topic, i.notes).where(i.deleted.is_(False), i.review == review_id)
        )
        return [str(t) for t, notes in rows if str(notes or "").strip()]


def prepare_inputs(
    ef: EngagementFile, review_id: str, replace: bool | Collection[str] = False
) -> Prepared:
    """Fill each input of the review from the figures as of its date. An input whose notes
    are written is kept, unless `replace` is True or names its topic."""
    return finish(prepare_steps(ef, review_id, replace))


def prepare_steps(
    ef: EngagementFile, review_id: str, replace: bool | Collection[str] = False
) -> Generator[Progress, None, Prepared]:
    """`prepare_inputs` yielding progress; closed before its end (Cancel), it writes nothing:
    the one transaction it runs in is rolled back."""
    with ef.writing() as session:
        as_of, since, found = yield from _drafting(session, review_id)
        result = Prepared(review_id, as_of, since)
        i = ReviewInput.__table__.c
        existing = {
            str(row.topic): row
            for row in session.scalars(
                select(ReviewInput)
                .where(i.deleted.is_(False), i.review == review_id)
                .order_by(i.id)
            )
        }
        for draft in found:
            row = existing.get(draft.topic)
            links = ", ".join(draft.links)
            replacing = replace is True or (replace and draft.topic in replace)
            if row is not None and row.notes.strip() and not replacing:
                result.kept.append(draft.topic)
                continue
            if row is None:
                new_id = ids.next_free_id(session, ReviewInput, INPUTS.prefix, INPUTS.id_width)
                row = ReviewInput(
                    id=new_id,
                    review=review_id,
                    topic=draft.topic,
                    notes="",
                    links="",
                    deleted=False,
                    created_at=history.now(),
                )
                session.add(row)
                session.flush()
                history.record(
                    session, ef.actor, INPUTS.entity, new_id, "created", None, draft.topic
                )
                result.before[new_id] = None
            else:
                result.before[row.id] = (row.notes, row.links)
            for name, value in (("notes", draft.notes), ("links", links)):
                if getattr(row, name) != value:
                    history.record(
                        session, ef.actor, INPUTS.entity, row.id, name, getattr(row, name), value
                    )
                    setattr(row, name, value)
            result.filled.append(draft.topic)
        yield _STEPS, _STEPS, "Inputs written"
    return result


def undo_prepared(ef: EngagementFile, done: Prepared) -> None:
    """Put the inputs back as they were before `prepare_inputs` (the window's undo)."""
    from app.services.registers import service as register

    for input_id, old in done.before.items():
        if old is None:
            register.set_deleted(ef, INPUTS, input_id, True)
        else:
            register.update(ef, INPUTS, input_id, {"notes": old[0], "links": old[1]})


def redo_prepared(ef: EngagementFile, done: Prepared) -> Prepared:
    """Prepare again after an undo: the inputs created come back, then are filled."""
    from app.services.registers import service as register

    for input_id, old in done.before.items():
        if old is None:
            register.set_deleted(ef, INPUTS, input_id, False)
    return prepare_inputs(ef, done.review, replace=done.filled)


def as_text(done: Prepared) -> str:
    """What the command line says after preparing."""
    since = f", since the previous review on {done.since.isoformat()}" if done.since else ""
    lines = [f"{done.review}: inputs as of {done.as_of.isoformat()}{since}."]
    if done.filled:
        lines.append(
            f"Filled {words.count(len(done.filled), 'input')}: "
            + "; ".join(TOPICS[t] for t in done.filled)
        )
    if done.kept:
        lines.append(
            f"Kept {words.count(len(done.kept), 'input')} already written: "
            + "; ".join(TOPICS[t] for t in done.kept)
            + " (--replace writes over them)"
        )
    return "\n".join(lines)


def inputs_of(ef: EngagementFile, review_id: str) -> dict[str, Item]:
    """A review's live inputs by topic (the window's checklist)."""
    i = ReviewInput.__table__.c
    with ef.reading() as session:
        rows = session.execute(
            select(i.id, i.topic, i.review, i.notes, i.links)
            .where(i.deleted.is_(False), i.review == review_id)
            .order_by(i.id)
        ).all()
    found: dict[str, Item] = {}
    for row in rows:
        values = {"topic": row.topic, "review": row.review, "notes": row.notes, "links": row.links}
        found.setdefault(str(row.topic), Item(str(row.id), values))
    return found


def actions_of(ef: EngagementFile, review_id: str) -> list[Item]:
    """The actions a review decided, in ID order."""
    a = ReviewAction.__table__.c
    names = [f.name for f in ACTIONS.fields]
    with ef.reading() as session:
        rows = session.execute(
            select(a.id, *(a[n] for n in names))
            .where(a.deleted.is_(False), a.review == review_id)
            .order_by(a.id)
        ).all()
    return [Item(str(r[0]), dict(zip(names, r[1:], strict=True))) for r in rows]
