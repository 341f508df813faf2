"""The certification plan: the milestones from the first gap assessment to recertification,
each with a date and whether it is reached.

Where a date comes from, in order of precedence:
- "set": the consultant typed it (a `milestone` row: the day reached, or a planned date);
- "record": the engagement's own records (the latest internal audit done, the latest
  management review held), which also mark the milestone reached;
- "details": the engagement details (the target Stage 1 date, the Stage 2 audit date). The
  plan writes a planned Stage 1 or Stage 2 date there, so there is one Stage 1 date for the
  plan, the dashboard's time left and the pack;
- "typical": computed from the typical duration for the organization's size.

The start is the day the AIMS began (engagement details) when it is given, else the day the
engagement file was made: the typical durations run from starting the AIMS work to Stage 1.
With no target Stage 1 date, Stage 1 is planned at the start plus the upper bound of the
typical range: a plan that promises the earliest date sets up a client to miss it.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace

from sqlalchemy import func, select

from app.models import Audit, ManagementReview, Milestone
from app.services import words
from app.services.engagement import history
from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.inventory.rules import add_months  # the one month arithmetic

# (key, short title), in the order they come
MILESTONES: tuple[tuple[str, str], ...] = (
    ("gap_assessment", "Gap assessment"),
    ("implementation", "AIMS implementation"),
    ("internal_audit", "Internal audit"),
    ("management_review", "Management review"),
    ("stage1", "Stage 1 audit"),
    ("stage2", "Stage 2 audit"),
    ("certificate", "Certificate"),
    ("surveillance_1", "Surveillance audit, year 1"),
    ("surveillance_2", "Surveillance audit, year 2"),
    ("recertification", "Recertification, year 3"),
)
TITLES: dict[str, str] = dict(MILESTONES)
SOURCES = {
    "typical": "Typical for the size",
    "set": "Set in the plan",
    "record": "From the records",
    "details": "Engagement details",
}

# Months from the start to Stage 1, by organization size (the seed article's figures).
TYPICAL_MONTHS: dict[str, tuple[int, int]] = {"small": (4, 6), "mid": (6, 12), "large": (12, 18)}
# An organization that already runs an ISO/IEC 27001 management system reuses most of it.
# Taken as the shorter of the two ranges: a small organization keeps its 4 to 6.
WITH_ISO27001 = (4, 8)
SIZE_WORDS = {"small": "a small", "mid": "a mid-size", "large": "a large"}

# Where the preparation milestones fall between the start and Stage 1, as a share of that
# time: the gap assessment early, most of the time for implementing, and the internal audit
# then the management review in the last quarter, both before Stage 1 (the auditor asks for
# their results there).
FRACTIONS = {
    "gap_assessment": 0.1,
    "implementation": 0.6,
    "internal_audit": 0.75,
    "management_review": 0.85,
}
STAGE2_AFTER = dt.timedelta(weeks=6)  # Stage 2 after Stage 1, when no Stage 2 date is given
CERTIFICATE_AFTER = dt.timedelta(weeks=6)  # the certification body's decision after Stage 2
# The certificate runs three years; recertification must be over before it expires, so it is
# planned three months ahead of the expiry.
RECERTIFY_BEFORE_EXPIRY_MONTHS = 3
_DETAIL_OF = {"stage1": "stage1_date", "stage2": "stage2_date"}
ENTITY = "milestone"  # in the history


class _Unset(enum.Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET


@dataclass(frozen=True)
class PlannedMilestone:
    key: str
    title: str
    date: dt.date | None
    done: bool
    source: str  # "typical", "set", "record" or "details"
    note: str = ""
    overdue: bool = False  # planned before today and not reached
    planned: dt.date | None = None  # the planned date (set or computed), reached or not


@dataclass(frozen=True)
class Plan:
    milestones: list[PlannedMilestone]
    typical: tuple[int, int]  # months from the start to Stage 1
    start: dt.date
    start_source: str  # "details" (the day the AIMS began) or "created" (the file's day)
    warning: str | None

    def get(self, key: str) -> PlannedMilestone:
        return next(m for m in self.milestones if m.key == key)

    def next(self, n: int) -> list[PlannedMilestone]:
        """The next `n` milestones not reached yet, soonest first."""
        order = {key: i for i, (key, _title) in enumerate(MILESTONES)}
        ahead = [m for m in self.milestones if not m.done]
        ahead.sort(key=lambda m: (m.date or dt.date.max, order[m.key]))
        return ahead[:n]


@dataclass(frozen=True)
class MilestoneValues:
    """What the consultant set on a milestone (its planned date, the day reached, a note)."""

    planned_on: dt.date | None = None
    done_on: dt.date | None = None
    note: str = ""


def typical_months(size: str, iso27001: bool) -> tuple[int, int]:
    """Months from the start to Stage 1 an organization of this size typically needs."""
    low, high = TYPICAL_MONTHS.get(size, TYPICAL_MONTHS["mid"])
    if iso27001:
        return min(low, WITH_ISO27001[0]), min(high, WITH_ISO27001[1])
    return low, high


def _who(size: str, iso27001: bool) -> str:
    if iso27001:
        return "an organization that already holds ISO/IEC 27001"
    return f"{SIZE_WORDS.get(size, SIZE_WORDS['mid'])} organization"


def _months(n: int) -> str:
    return words.count(n, "month")


def _rounded_months(days: int) -> int:
    return round(days / (365.25 / 12))


def _warning(
    start: dt.date, stage1: dt.date, typical: tuple[int, int], size: str, iso27001: bool
) -> str | None:
    """What a target Stage 1 date tighter than the typical range means, in months."""
    low, high = typical
    if stage1 >= add_months(start, low):
        return None
    needs = f"{_who(size, iso27001)} typically needs {low} to {high} months"
    if stage1 <= start:
        return (
            f"The target Stage 1 date ({stage1.isoformat()}) is not after the start on "
            f"{start.isoformat()}; {needs}."
        )
    # both in months rounded to the nearest, so what is left and what is short add up to the
    # low end of the range as a reader counts them
    days = (stage1 - start).days
    leaves = _months(_rounded_months(days)) if days >= 30 else words.count(days, "day")
    short = _rounded_months((add_months(start, low) - stage1).days)
    by = f"about {_months(short)} short" if short else "less than a month short"
    return (
        f"The target Stage 1 date leaves {leaves} from the start on {start.isoformat()}; "
        f"{needs}: {by}."
    )


def _records(ef: EngagementFile, today: dt.date) -> dict[str, dt.date]:
    """The days the engagement's records reach a milestone: the latest internal audit done,
    the latest management review held (on or before today). Two aggregate queries."""
    found: dict[str, dt.date] = {}
    with ef.reading() as session:
        audit = session.scalar(
            select(func.max(Audit.actual_on)).where(
                Audit.deleted.is_(False), Audit.status == "done", Audit.actual_on.is_not(None)
            )
        )
        review = session.scalar(
            select(func.max(ManagementReview.held_on)).where(
                ManagementReview.deleted.is_(False),
                ManagementReview.held_on.is_not(None),
                ManagementReview.held_on <= today,
            )
        )
    if audit is not None:
        found["internal_audit"] = audit
    if review is not None:
        found["management_review"] = review
    return found


def _rows(ef: EngagementFile) -> dict[str, MilestoneValues]:
    with ef.reading() as session:
        rows = session.scalars(select(Milestone)).all()
        return {r.key: MilestoneValues(r.planned_on, r.done_on, r.note) for r in rows}


def plan(ef: EngagementFile, today: dt.date | None = None) -> Plan:
    today = today or dt.date.today()
    d = ef.details
    if d.aims_started_on is not None:
        start, start_source = d.aims_started_on, "details"
    else:
        start, start_source = d.created_at.date(), "created"
    typical = typical_months(d.size, d.iso27001)
    rows = _rows(ef)
    records = _records(ef, today)
    out: dict[str, PlannedMilestone] = {}

    def place(key: str, computed: dt.date, source: str = "typical") -> dt.date:
        """The milestone's date and source, the consultant's and the records' first; the
        date the next milestones are placed from comes back."""
        row = rows.get(key, MilestoneValues())
        planned, note = row.planned_on or computed, row.note
        planned_from = source if row.planned_on is None else "set"
        if row.done_on is not None:
            shown = (row.done_on, True, "set")
        elif key in records:
            shown = (records[key], True, "record")
        else:
            shown = (planned, False, planned_from)
        out[key] = PlannedMilestone(key, TITLES[key], *shown, note, planned=planned)
        return shown[0]

    if d.stage1_date is not None:
        stage1 = place("stage1", d.stage1_date, "details")
    else:
        stage1 = place("stage1", add_months(start, typical[1]))
    span = max((stage1 - start).days, 0)
    for key, share in FRACTIONS.items():
        place(key, start + dt.timedelta(days=round(span * share)))
    if d.stage2_date is not None:
        stage2 = place("stage2", d.stage2_date, "details")
    else:
        stage2 = place("stage2", stage1 + STAGE2_AFTER)
    certificate = place("certificate", stage2 + CERTIFICATE_AFTER)
    place("surveillance_1", add_months(certificate, 12))
    place("surveillance_2", add_months(certificate, 24))
    place("recertification", add_months(certificate, 36 - RECERTIFY_BEFORE_EXPIRY_MONTHS))

    warning = None
    if d.stage1_date is not None and not out["stage1"].done:
        warning = _warning(start, d.stage1_date, typical, d.size, d.iso27001)
    milestones = [
        replace(m, overdue=not m.done and m.date is not None and m.date < today)
        for m in (out[key] for key, _title in MILESTONES)
    ]
    return Plan(milestones, typical, start, start_source, warning)


def next_milestones(
    ef: EngagementFile, n: int, today: dt.date | None = None
) -> list[PlannedMilestone]:
    return plan(ef, today).next(n)


def check_key(key: str) -> None:
    """Refuse a key that names no milestone, listing those that do."""
    if key not in TITLES:
        known = ", ".join(k for k, _title in MILESTONES)
        raise FieldError("key", f"'{key}' is not a milestone of the plan; use one of: {known}.")


def values_of(ef: EngagementFile, key: str) -> MilestoneValues:
    """What is set on a milestone now (the planned Stage 1 and Stage 2 dates are the
    engagement details'): what an undo puts back."""
    check_key(key)
    row = _rows(ef).get(key, MilestoneValues())
    if key in _DETAIL_OF:
        return MilestoneValues(getattr(ef.details, _DETAIL_OF[key]), row.done_on, row.note)
    return row


def set_milestone(
    ef: EngagementFile,
    key: str,
    *,
    planned_on: dt.date | None | _Unset = UNSET,
    done_on: dt.date | None | _Unset = UNSET,
    note: str | _Unset = UNSET,
    today: dt.date | None = None,
) -> MilestoneValues:
    """Set a milestone's planned date (None: back to the computed one), the day it was
    reached (None: not reached) or its note, with history; what was set before comes back.
    A planned Stage 1 or Stage 2 date is the engagement details' target date."""
    check_key(key)
    today = today or dt.date.today()
    title = TITLES[key]
    if isinstance(done_on, dt.date) and done_on > today:
        raise FieldError(
            "done_on",
            f"{title} cannot be reached on {done_on.isoformat()}, a day still to come: give "
            "the day it was reached, or a planned date instead.",
        )
    before = values_of(ef, key)
    changes: dict[str, object] = {}
    if not isinstance(planned_on, _Unset) and planned_on != before.planned_on:
        changes["planned_on"] = planned_on
    if not isinstance(done_on, _Unset) and done_on != before.done_on:
        changes["done_on"] = done_on
    if not isinstance(note, _Unset) and note.strip() != before.note:
        changes["note"] = note.strip()
    if not changes:
        return before
    # Two transactions when both change (a Stage 1 date and the day it was reached at once):
    # update_details reloads the details after its own commit.
    if "planned_on" in changes and key in _DETAIL_OF:
        ef.update_details(**{_DETAIL_OF[key]: changes.pop("planned_on")})
    if changes:
        _write_row(ef, key, changes)
    return before


def _write_row(ef: EngagementFile, key: str, changes: dict[str, object]) -> None:
    with ef.writing() as session:
        row = session.get(Milestone, key)
        if row is None:
            row = Milestone(key=key, planned_on=None, done_on=None, note="")
            session.add(row)
        for field, value in changes.items():
            old = getattr(row, field)
            setattr(row, field, value)
            history.record(session, ef.actor, ENTITY, key, field, old, value)


def as_json(p: Plan) -> list[dict[str, object]]:
    """The plan as `status --json` gives it."""
    return [
        {"milestone": m.key, "date": m.date.isoformat() if m.date else None, "done": m.done}
        for m in p.milestones
    ]


def as_text(p: Plan) -> str:
    """The plan as `aims-prep plan` prints it."""
    low, high = p.typical
    began = "the AIMS began" if p.start_source == "details" else "the engagement was made"
    lines = [
        f"Start: {p.start.isoformat()} (the day {began}); typically {low} to {high} months "
        "to Stage 1.",
    ]
    width = max(len(title) for _key, title in MILESTONES)
    for m in p.milestones:
        day = m.date.isoformat() if m.date else "-"
        state = "done" if m.done else "overdue" if m.overdue else "planned"
        lines.append(f"  {m.title:<{width}}  {day}  {state:<7}  {SOURCES[m.source].lower()}")
    if p.warning:
        lines.append(f"Warning: {p.warning}")
    return "\n".join(lines)
