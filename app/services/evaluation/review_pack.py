"""The pack's section on the last management review held: when and who (by the roles they
held that day), what it was told on each expected input, what it decided and its actions."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.services import words
from app.services.evaluation.reviews import (
    ACTIONS,
    INPUTS,
    NONE_HELD,
    REVIEWS,
    TOPICS,
    held,
)
from app.services.pack import settings as pack_settings
from app.services.pack.blocks import Ctx
from app.services.pack.style import Column
from app.services.registers.description import Item
from app.services.registers.pack import register_table


def review_section(c: Ctx) -> list[Flowable]:
    d = c.data
    out = [*c.h1(pack_settings.SECTIONS["review"])]
    last = d.last_review
    reviews = d.registers.get(REVIEWS.key, [])
    if last is None:
        planned = len(reviews)
        out.append(
            c.absent(
                "No management review has been held yet"
                + (f" ({words.count(planned, 'review')} planned)." if planned else "."),
                f"Certification bodies expect one before Stage 2 ({NONE_HELD.id}, clause "
                f"{NONE_HELD.ref}): hold it with top management and record its minutes.",
            )
        )
        return out
    review = last.review
    v = review.values
    inputs = {
        str(i.values["topic"]): i
        for i in d.registers.get(INPUTS.key, [])
        if i.values["review"] == review.id
    }
    docs = {i.id: str(i.values["title"]) for i in d.registers.get("documents", [])}
    minutes = str(v["minutes"])
    out.append(
        c.facts(
            [
                ("Review", f"{review.id} {v['title']}"),
                ("Held on", REVIEWS.spec["held_on"].label_of(v["held_on"])),
                ("Minutes", f"{minutes} {docs.get(minutes, '')}".strip() or "Not recorded"),
                ("Reviews held", str(sum(1 for r in reviews if held(r.values)))),
            ]
        )
    )
    if c.gaps:
        missing = "; ".join(
            label for t, label in TOPICS.items() if not _notes(inputs.get(t)).strip()
        )
        for rule in REVIEWS.gaps(review):
            said = f": {missing}" if rule.counted_as == "missing_inputs" else ""
            out.append(c.absent(f"{rule.id} {rule.title}{said}.", f"(clause {rule.ref})"))

    out += c.h2("Attendees by role")
    if last.attendees:
        rows = [
            (a.id, a.name, ", ".join(a.roles) or "No AIMS role that day",
             "Yes" if a.top_management else "No")
            for a in last.attendees
        ]  # fmt: skip
        out += c.table(
            [Column("ID", 0.8), Column("Name", 1.6), Column("Roles held", 2.4),
             Column("Top management", 1.0)],
            rows,
        )  # fmt: skip
    else:
        out.append(c.absent("No attendee recorded.", "Record who attended, by person."))

    out += c.h2("Inputs considered")
    lines: list[tuple[str, str, str]] = []
    for topic, label in TOPICS.items():
        item = inputs.get(topic)
        notes = _notes(item).strip()
        links = str(item.values["links"]) if item else ""
        lines.append((label, notes or "Not covered", links))
    out += c.table([Column("Input", 1.8), Column("What the review was told", 4.0),
                    Column("Items", 1.2)], lines)  # fmt: skip

    out += c.h2("Decisions")
    out.append(
        c.facts(
            [
                (REVIEWS.spec[n].label, str(v[n]).strip() or "None recorded")
                for n in ("decisions", "changes", "resources")
            ]
        )
    )

    out += c.h2("Actions")
    actions = [a for a in d.registers.get(ACTIONS.key, []) if a.values["review"] == review.id]
    if actions:
        out.append(c.p(words.count(len(actions), "action") + " decided at this review."))
    out += register_table(c, ACTIONS, actions)
    return out


def _notes(item: Item | None) -> str:
    return str(item.values["notes"]) if item is not None else ""
