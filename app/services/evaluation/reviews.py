"""Management reviews (9.3), described: the reviews with their attendees and outputs, the
inputs each review considers (one per expected topic) and the actions it decided.

A review is held once its date is today or earlier; one dated later is planned. The rules:
MRV-01 no review held at all (about the engagement, not an item); MRV-02 a held review with
an expected input that has no notes; MRV-03 a review none of whose attendees holds, on its
date, a role marked top management; MRV-04 an action a review decided that is past its due
date and not done: counted, since the next review must report it and an auditor reads an
action left late as a review that changed nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Document, ManagementReview, Person, ReviewAction, ReviewInput
from app.services import words
from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec
from app.services.evaluation import figures
from app.services.gaps import GapRule
from app.services.registers.description import Item, Link, Register, Rule
from app.services.registers.service import split_ids

# What a review is expected to consider (9.3.2), in the order the minutes take them
TOPICS = {
    "previous_actions": "Where the actions of earlier reviews stand",
    "issues": "Changes in the issues inside and outside the organization",
    "parties": "Changes in what interested parties need and expect",
    "nonconformities": "Nonconformities and corrective actions",
    "monitoring": "Monitoring and measurement results",
    "audits": "Audit results",
    "improvement": "Opportunities to improve the AIMS continually",
}


def _today() -> dt.date:
    return dt.date.today()


def held(values: Mapping[str, object]) -> bool:
    """Held (its date today or earlier), not merely planned."""
    on = values.get("held_on")
    return isinstance(on, dt.date) and on <= _today()


def review_date(values: Mapping[str, object]) -> dt.date:
    """The date a review's figures and attendees' roles are read on: its own, or today."""
    on = values.get("held_on")
    return on if isinstance(on, dt.date) else _today()


def _action_overdue(item: Item) -> bool:
    due = item.values["due_date"]
    return item.values["done_on"] is None and isinstance(due, dt.date) and due < _today()


NONE_HELD = GapRule(
    "MRV-01", "No management review held yet", "9.3.1", "major",
    todo="Hold a management review with top management before Stage 1 and record it with its "
    "date, attendees and inputs (Evaluation tab).",
)  # fmt: skip
# these two read other registers (the inputs, the attendees' roles): `_findings` says
MISSING_INPUT = Rule(
    # minor: a review held with top management that skipped a topic is a partial review, not
    # the missing one MRV-01 is
    "MRV-02", "An expected input has no notes", "9.3.2", "minor", counted_as="missing_inputs",
    todo="Write what the review was told on each expected topic (Review inputs; Prepare "
    "inputs lists them).",
)  # fmt: skip
NO_TOP_MANAGEMENT = Rule(
    "MRV-03",
    "No attendee holds a top management role on the review's date",
    "9.3.1",
    "major",
    counted_as="without_top_management",
    todo="Record the top management attendees of the review, and mark their role Top "
    "management (People tab, AIMS roles).",
)
ACTION_OVERDUE = Rule(
    "MRV-04",
    "Past its due date and not done",
    "9.3.3",
    "minor",
    _action_overdue,
    "actions_overdue",
    todo="Carry out the action and record when it was done, or agree a new due date with its "
    "owner (Review actions).",
)


def noted_topics(session: Session) -> dict[str, set[str]]:
    """Each review's topics whose input holds notes."""
    ri = ReviewInput.__table__.c
    noted: dict[str, set[str]] = {}
    query = select(ri.review, ri.topic, ri.notes).where(ri.deleted.is_(False))
    for review, topic, notes in session.execute(query):
        if str(notes or "").strip():
            noted.setdefault(str(review), set()).add(str(topic))
    return noted


def _findings(session: Session) -> dict[str, list[str]]:
    """MRV-02 (a held review with a topic no input covers) and MRV-03 (no attendee holding a
    top management role on the review's date), by review."""
    r = ManagementReview.__table__.c
    noted = noted_topics(session)
    found: dict[str, list[str]] = {}
    rows = session.execute(select(r.id, r.held_on, r.attendees).where(r.deleted.is_(False)))
    for review_id, held_on, attendees in rows:
        values = {"held_on": held_on}
        gaps = []
        if held(values) and any(t not in noted.get(review_id, set()) for t in TOPICS):
            gaps.append(MISSING_INPUT.id)
        people = split_ids(attendees)
        if not figures.top_management_on(session, people, review_date(values)):
            gaps.append(NO_TOP_MANAGEMENT.id)
        if gaps:
            found[str(review_id)] = gaps
    return found


REVIEWS = Register(
    key="reviews",
    title="Management reviews (9.3)",
    noun="management review",
    plural="management reviews",
    clause="9.3",
    model=ManagementReview,
    prefix="MR",
    id_width=2,
    fields=(
        FieldSpec("title", "Title", "text", required=True),
        FieldSpec("held_on", "Held on (or planned for)", "date"),
        FieldSpec("attendees", "Attendees", "ids"),
        FieldSpec("decisions", "Decisions on improvement opportunities", "long"),
        FieldSpec("changes", "Decisions on changes to the AIMS", "long"),
        FieldSpec("resources", "Resources decided", "long"),
        FieldSpec("minutes", "Minutes (document)", "ids"),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("title", "held_on", "attendees"),
    links=(
        Link("attendees", "person", Person, "name"),
        Link("minutes", "document", Document, "title", many=False),
    ),
    rules=(MISSING_INPUT, NO_TOP_MANAGEMENT),
    pack_columns=("title", "held_on", "attendees", "minutes"),
    counted_as="total",
    sheet="Management reviews",
    synonyms={
        "title": ("review", "meeting"),
        "held_on": ("date", "meeting date", "review date"),
        "attendees": ("participants", "present"),
    },
    signature=("attendees", "held_on"),
    empty_text=(
        "<h3>No management reviews yet</h3><p>Plan the first review with top management: "
        "add it with its date and attendees, then Prepare inputs fills what the review is "
        "told from the engagement's own figures.</p>"
    ),
    findings=_findings,
)


def _input_check(session: Any, values: Mapping[str, object], item_id: str) -> None:
    """One input per topic of a review: a second one for the same topic is refused."""
    i = ReviewInput.__table__.c
    taken = session.scalar(
        select(i.id).where(
            i.deleted.is_(False),
            i.review == values["review"],
            i.topic == values["topic"],
            i.id != item_id,
        )
    )
    if taken:
        raise FieldError(
            "topic",
            f"{values['review']} already has {taken} for this topic: write in that input's "
            "notes, or choose another topic.",
        )


INPUTS = Register(
    key="review_inputs",
    title="Review inputs (9.3.2)",
    noun="review input",
    plural="review inputs",
    clause="9.3.2",
    model=ReviewInput,
    prefix="MRI",
    fields=(
        FieldSpec("topic", "Topic", "choice", TOPICS),
        FieldSpec("review", "Review", "ids", required=True),
        FieldSpec("notes", "What the review was told", "long"),
        FieldSpec("links", "Items it refers to (IDs)", "text"),
    ),
    columns=("review", "topic", "notes"),
    filters=("topic",),
    links=(Link("review", "management review", ManagementReview, "title", many=False),),
    pack_columns=("review", "topic", "notes"),
    sheet="Review inputs",
    signature=("topic", "review"),
    check=_input_check,
)


def _action_check(session: Any, values: Mapping[str, object], _item_id: str) -> None:
    """An action is decided at its review: it cannot be done before the review was held."""
    done = values.get("done_on")
    wanted = values.get("review")
    review = session.get(ManagementReview, wanted) if wanted else None
    decided = review.held_on if review is not None else None
    if isinstance(done, dt.date) and decided is not None and done < decided:
        raise FieldError(
            "done_on",
            f"Done on ({done.isoformat()}) is before {wanted} decided it on "
            f"{decided.isoformat()}: give the day it was done, on or after the review.",
        )


ACTIONS = Register(
    key="review_actions",
    title="Review actions (9.3.3)",
    noun="review action",
    plural="review actions",
    clause="9.3.3",
    model=ReviewAction,
    prefix="MRA",
    fields=(
        FieldSpec("action", "Action", "text", required=True),
        FieldSpec("review", "Decided at review", "ids", required=True),
        FieldSpec("owner", "Owner", "text"),
        FieldSpec("due_date", "Due", "date"),
        FieldSpec("done_on", "Done on", "date"),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("action", "review", "owner", "due_date", "done_on"),
    links=(Link("review", "management review", ManagementReview, "title", many=False),),
    rules=(ACTION_OVERDUE,),
    pack_columns=("action", "owner", "due_date", "done_on"),
    sheet="Review actions",
    synonyms={"owner": ("responsible", "who"), "due_date": ("due date", "deadline")},
    signature=("done_on", "review"),
    check=_action_check,
)

REGISTERS = (REVIEWS, INPUTS, ACTIONS)


def summary(reviews: list[Item], actions: list[Item]) -> dict[str, Any]:
    """What `status --json` says of the reviews (the items as the register reads them)."""
    done = [r for r in reviews if held(r.values)]
    dates = [d for r in done if isinstance(d := r.values["held_on"], dt.date)]
    return {
        "total": len(reviews),
        "held": len(done),
        "planned": len(reviews) - len(done),
        "last_date": max(dates).isoformat() if dates else None,
        "missing_inputs": sum(1 for r in reviews if MISSING_INPUT.found_in(r)),
        "without_top_management": sum(1 for r in reviews if NO_TOP_MANAGEMENT.found_in(r)),
        "actions_overdue": sum(1 for a in actions if ACTION_OVERDUE.applies(a)),
    }


def as_text(data: dict[str, Any]) -> str:
    last = data["last_date"]
    return (
        f"Reviews:     {words.count(data['total'], 'management review')}: {data['held']} held"
        + (f" (last on {last})" if last else ", none yet")
        + f", {data['planned']} planned; {data['missing_inputs']} missing an expected input, "
        f"{data['without_top_management']} without top management; "
        f"{words.count(data['actions_overdue'], 'action')} from reviews overdue"
    )


def status(ef: Any) -> dict[str, Any]:
    """The `management_reviews` block of `status --json`."""
    from app.services.registers import service as register

    return summary(register.list_items(ef, REVIEWS), register.list_items(ef, ACTIONS))


@dataclass(frozen=True)
class Attendee:
    id: str
    name: str
    roles: tuple[str, ...]  # the role titles held on the review's date
    top_management: bool


@dataclass(frozen=True)
class LastReview:
    """The latest review held, with its attendees by role (the pack's section)."""

    review: Item
    attendees: tuple[Attendee, ...]


def attendees(ef: Any, review: Item) -> tuple[Attendee, ...]:
    """A review's attendees with the roles each held on its date."""
    on = review_date(review.values)
    people = split_ids(review.values["attendees"])
    with ef.reading() as session:
        names = dict(
            session.execute(select(Person.id, Person.name).where(Person.id.in_(people))).all()
        )
        roles = figures.holders_on(session, people, on)
        top = figures.top_management_on(session, people, on)
    return tuple(
        Attendee(p, str(names.get(p, p)), tuple(roles.get(p, ())), p in top) for p in people
    )


def last_review(ef: Any) -> LastReview | None:
    from app.services.registers import service as register

    held_ones = [r for r in register.list_items(ef, REVIEWS) if held(r.values)]
    if not held_ones:
        return None
    review = max(held_ones, key=lambda r: (r.values["held_on"], r.id))
    return LastReview(review, attendees(ef, review))
