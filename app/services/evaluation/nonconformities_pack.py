"""Nonconformities in the pack: the open ones with their corrective actions, the closed ones
counted, and the opportunities for improvement with their decisions."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.services import words
from app.services.catalog.content import Catalog
from app.services.evaluation.nonconformities import (
    CORRECTIVE_ACTIONS,
    IMPROVEMENTS,
    NONCONFORMITIES,
)
from app.services.pack import settings as pack_settings
from app.services.pack.blocks import Ctx
from app.services.registers.pack import register_table, summary_line


def closed_text(closed: int, unreviewed: int) -> str:
    """'3 nonconformities closed, 1 of them without an effectiveness review.'"""
    text = f"{words.count(closed, 'nonconformity', 'nonconformities')} closed"
    if unreviewed:
        text += f", {unreviewed} of them without a review showing the actions worked"
    return text + "."


def nonconformities_section(c: Ctx) -> list[Flowable]:
    d = c.data
    out = [*c.h1(pack_settings.SECTIONS["nonconformities"], wide=True)]
    items = d.registers.get(NONCONFORMITIES.key, [])
    open_items = [i for i in items if i.values["status"] != "closed"]
    closed = [i for i in items if i.values["status"] == "closed"]
    titles = {i.id: f"{i.id} {i.values['title']}" for i in items}
    used = {str(i.values["ref"]) for i in open_items if i.values["ref"]}
    refs = {ref: f"{ref} {_title(d.catalog, ref)}".strip() for ref in used}
    out += c.h2(f"Open nonconformities (clause {NONCONFORMITIES.clause})")
    if open_items:
        majors = sum(1 for i in open_items if i.values["grade"] == "major")
        out.append(
            c.p(
                summary_line(NONCONFORMITIES, open_items, c.gaps).replace(
                    "nonconformit", "open nonconformit", 1
                )
                + (f", {majors} major" if majors else "")
                + "."
            )
        )
        out += register_table(c, NONCONFORMITIES, open_items, refs)
    else:
        out.append(c.p("No nonconformity is open."))
    if closed:
        unreviewed = sum(1 for i in closed if i.values["effective"] != "yes")
        out.append(c.p(closed_text(len(closed), unreviewed)))
    shown = {i.id for i in open_items}
    actions = [
        a for a in d.registers.get(CORRECTIVE_ACTIONS.key, []) if a.values["nonconformity"] in shown
    ]
    out += c.h2("Corrective actions on the open nonconformities")
    if actions or open_items:
        out += register_table(c, CORRECTIVE_ACTIONS, actions, titles)
    out += c.h2(f"Opportunities for improvement (clause {IMPROVEMENTS.clause})")
    improvements = d.registers.get(IMPROVEMENTS.key, [])
    if improvements:
        out.append(c.p(summary_line(IMPROVEMENTS, improvements, c.gaps) + "."))
    out += register_table(c, IMPROVEMENTS, improvements)
    return out


def _title(catalog: Catalog, ref: str) -> str:
    """A clause's, control's or checklist point's title."""
    point = catalog.point_by_id.get(ref)
    return point.title if point is not None else catalog.ref_title(ref)
