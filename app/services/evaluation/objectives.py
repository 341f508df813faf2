"""AI objectives (6.2) and their monitoring (9.1), described: the objectives with what measures
them, the measurements over time, and whether each objective is on track.

Off track is counted and shown, not a gap rule: the standard asks that objectives be set,
measured at planned intervals and evaluated, not that every target be met. A missed target
recorded honestly is evidence that monitoring works; an auditor asks what was done about it
(a management review input, a nonconformity or an improvement), which those registers hold.
Flagging it as a gap would push clients to soften targets or stop measuring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Document, Measurement, Objective
from app.services import words
from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec, format_number, parse_number
from app.services.engagement.file import EngagementFile
from app.services.inventory.rules import add_months
from app.services.registers import service as register
from app.services.registers.description import Item, Link, Register, Rule

OFF_TRACK_NOTE = (
    "Off track is shown, not counted as a gap: the standard asks that objectives be measured "
    "and evaluated at planned intervals, not that every target be met. An auditor will ask "
    "what was done about a missed target (management review, corrective action)."
)
DIRECTIONS = {"at_least": "At least the target", "at_most": "At most the target"}
STATES = {"on_track": "On track", "off_track": "Off track", "not_judged": "Not judged"}


def _today() -> dt.date:
    return dt.date.today()


def number_of(value: object) -> float | None:
    """A measured value as a number, or None when it is none."""
    try:
        return parse_number("value", value, "Value")
    except FieldError:
        return None


# what an objective's rules read beyond its fields: its latest live measurement
def _derive(session: Session, items: list[Item]) -> None:
    query = select(
        Measurement.objective, Measurement.measured_on, Measurement.value, Measurement.number
    ).where(Measurement.deleted.is_(False))
    if len(items) == 1:
        query = query.where(Measurement.objective == items[0].id)
    latest: dict[str, tuple[dt.date, str, float | None]] = {}
    count: dict[str, int] = {}
    for objective, measured_on, value, number in session.execute(
        query.order_by(Measurement.measured_on, Measurement.created_at, Measurement.id)
    ):
        count[objective] = count.get(objective, 0) + 1
        if measured_on is not None:
            latest[objective] = (measured_on, value, number)
    for item in items:
        on, value, number = latest.get(item.id, (None, "", None))
        item.derived.update(
            measurements=count.get(item.id, 0),
            latest_on=on,
            latest_value=value,
            latest_number=number,
        )


@dataclass(frozen=True)
class Judgement:
    state: str  # a key of STATES
    why: str  # one line a consultant reads beside the objective


def judge(item: Item) -> Judgement:
    """On track or off track from the latest measurement, against the target and direction."""
    v, d = item.values, item.derived
    unit = f" {v['unit']}".rstrip()
    if not v["numeric"]:
        return Judgement("not_judged", "the measure is not a number: evaluate it by its notes.")
    if v["target"] is None:
        return Judgement("not_judged", "no target set.")
    last = d.get("latest_on")
    if not isinstance(last, dt.date):
        return Judgement("not_judged", "no measurement yet.")
    number = d.get("latest_number")
    target = float(v["target"])  # type: ignore[arg-type]
    side = "at least" if v["direction"] == "at_least" else "at most"
    wanted = f"target {side} {format_number(target)}{unit}"
    if not isinstance(number, float):
        return Judgement("not_judged", f"the latest value '{d['latest_value']}' is not a number.")
    met = number >= target if v["direction"] == "at_least" else number <= target
    on = last.isoformat()
    return Judgement(
        "on_track" if met else "off_track", f"{format_number(number)}{unit} on {on}, {wanted}."
    )


def off_track(item: Item) -> bool:
    return judge(item).state == "off_track"


def _without_measure(item: Item) -> bool:
    v = item.values
    return not str(v["measure"]).strip() or (bool(v["numeric"]) and v["target"] is None)


def _not_monitored(item: Item) -> bool:
    """Never measured, or its latest measurement older than its evaluation interval."""
    last = item.derived.get("latest_on")
    if not isinstance(last, dt.date):
        return True
    months = item.values["interval_months"]
    return isinstance(months, int) and add_months(last, months) < _today()


def _without_interval(item: Item) -> bool:
    return item.values["interval_months"] is None


NO_MEASURE = Rule(
    "MON-01",
    "No measure, or a numeric measure with no target",
    "6.2",
    "minor",
    _without_measure,
    "without_measure",
    todo="Say how the objective is measured and, for a number, the target to reach "
    "(Objectives, Measure and Target).",
)
NOT_MONITORED = Rule(
    "MON-02",
    "Not measured within its evaluation interval (or never measured)",
    "9.1",
    "minor",
    _not_monitored,
    "not_monitored",
    todo="Measure the objective and record the result (Evaluation tab, Record a measurement…).",
)
NO_INTERVAL = Rule(
    "MON-03",
    "No evaluation interval: say every how many months it is evaluated",
    "9.1",
    "minor",
    _without_interval,
    "without_interval",
    todo="Set how often the objective is evaluated (Objectives, Evaluated every (months)).",
)


def _check_objective(session: Session, values: dict[str, object], item_id: str) -> None:
    """A measure made a number while the objective's measurements hold words is refused,
    naming the first of them: their chart and on-track state would silently leave them out."""
    if not item_id or not values["numeric"]:
        return
    rows = session.execute(
        select(Measurement.id, Measurement.value)
        .where(Measurement.objective == item_id, Measurement.deleted.is_(False))
        .order_by(Measurement.id)
    )
    words_found = [(mid, value) for mid, value in rows if number_of(value) is None]
    if words_found:
        first, value = words_found[0]
        more = len(words_found) - 1
        raise FieldError(
            "numeric",
            f"{first} records '{value}', which is no number"
            + (f" (and {words.count(more, 'other measurement')})" if more else "")
            + ": give those measurements numbers first, or keep the measure in words.",
        )


OBJECTIVES = Register(
    key="objectives",
    title="Objectives (6.2)",
    noun="objective",
    plural="objectives",
    clause="6.2",
    model=Objective,
    prefix="OBJ",
    fields=(
        FieldSpec("title", "Objective", "text", required=True),
        FieldSpec("level", "Function or level", "text"),
        FieldSpec("measure", "Measure", "text"),
        FieldSpec("numeric", "The measure is a number", "bool", default=True),
        FieldSpec("target", "Target", "number"),
        FieldSpec("direction", "On track when the value is", "choice", DIRECTIONS),
        FieldSpec("unit", "Unit", "text"),
        FieldSpec("owner", "Owner", "text"),
        FieldSpec("due_date", "Due date", "date"),
        FieldSpec("resources", "Resources", "long"),
        FieldSpec("evaluation", "How it is evaluated", "long"),
        FieldSpec("interval_months", "Evaluated every (months)", "int", low=1, high=60),
        FieldSpec("documents", "Documents", "ids"),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("title", "owner", "target", "due_date"),
    signature=("measure", "target", "interval_months"),
    links=(Link("documents", "document", Document, "title"),),
    rules=(NO_MEASURE, NOT_MONITORED, NO_INTERVAL),
    pack_columns=("title", "level", "measure", "target", "unit", "owner", "interval_months"),
    counted_as="total",
    synonyms={
        "title": ("objective", "ai objective", "goal"),
        "measure": ("kpi", "metric", "indicator"),
        "interval_months": ("frequency (months)", "review frequency"),
    },
    empty_text=(
        "<h3>No objectives yet</h3><p>Add what the AIMS sets out to achieve, each with its "
        "measure, target, owner and how often it is evaluated: the share of models validated "
        "before release, complaints about automated decisions, staff trained.</p>"
    ),
    derive=_derive,
    check=_check_objective,
)


def _check_measurement(session: Session, values: dict[str, object], _item_id: str) -> None:
    """A measurement has a date, not in the future, and a number when its objective's
    measure is one; the number is stored beside the value as typed (whenever the value is
    one, so an objective whose measure is made a number later finds it)."""
    on = values["measured_on"]
    if on is None:
        raise FieldError("measured_on", "Measured on: give the date of the measurement.")
    if isinstance(on, dt.date) and on > _today():
        raise FieldError(
            "measured_on", f"Measured on: {on.isoformat()} is in the future; give the day it "
            "was measured.",
        )  # fmt: skip
    objective = session.get(Objective, str(values["objective"]))
    value = values["value"]
    if objective is None or not objective.numeric:  # words; a number kept for a later switch
        values["number"] = number_of(value)
        return
    try:
        values["number"] = parse_number("value", value, "Value")
    except FieldError:
        unit = f" in {objective.unit}" if objective.unit else ""
        raise FieldError(
            "value",
            f"Value: '{value}' is not a number, and {values['objective']} is measured by a "
            f"number{unit}. Type digits only, with a point for decimals (for example 92.5).",
        ) from None


MEASUREMENTS = Register(
    key="measurements",
    title="Measurements (9.1)",
    noun="measurement",
    plural="measurements",
    clause="9.1",
    model=Measurement,
    prefix="MEA",
    fields=(
        FieldSpec("objective", "Objective", "ids", required=True),
        FieldSpec("measured_on", "Measured on", "date"),
        FieldSpec("value", "Value", "text", required=True),
        FieldSpec("measured_by", "Measured by", "text"),
        FieldSpec("note", "Note", "long"),
    ),
    columns=("objective", "measured_on", "value", "measured_by"),
    signature=("measured_on", "measured_by"),
    links=(Link("objective", "objective", Objective, "title", many=False),),
    pack_columns=("objective", "measured_on", "value", "measured_by", "note"),
    synonyms={"measured_on": ("date", "measured"), "value": ("result", "actual")},
    empty_text=(
        "<h3>No measurements yet</h3><p>Record each measurement of an objective: the date, "
        "the value, who measured it. The objective's chart and its on-track state follow.</p>"
    ),
    id_width=4,
    check=_check_measurement,
    match_fields=("objective", "measured_on"),
)

REGISTERS = (OBJECTIVES, MEASUREMENTS)


@dataclass(frozen=True)
class Point:
    on: dt.date
    value: float


def series(ef: EngagementFile, objective_id: str) -> list[Point]:
    """An objective's numeric measurements in date order: what its chart draws."""
    with ef.reading() as session:
        rows = session.execute(
            select(Measurement.measured_on, Measurement.number)
            .where(Measurement.deleted.is_(False), Measurement.objective == objective_id)
            .order_by(Measurement.measured_on, Measurement.created_at, Measurement.id)
        ).all()
    return [Point(on, number) for on, number in rows if on is not None and number is not None]


def all_series(ef: EngagementFile) -> dict[str, list[Point]]:
    """Every objective's series at once."""
    return series_of(register.list_items(ef, MEASUREMENTS))


def series_of(measurements: list[Item]) -> dict[str, list[Point]]:
    """The numeric measurements by objective, each in date order (the pack's charts)."""
    found: dict[str, list[Point]] = {}
    for item in sorted(measurements, key=_measured_order):
        on, number = item.values["measured_on"], number_of(item.values["value"])
        if isinstance(on, dt.date) and number is not None:
            found.setdefault(str(item.values["objective"]), []).append(Point(on, number))
    return found


def _measured_order(item: Item) -> tuple[Any, ...]:
    return (item.values["measured_on"] or dt.date.min, words.natural(item.id))


def summary(ef: EngagementFile) -> dict[str, int]:
    """What `status --json` says of the objectives."""
    items = register.list_items(ef, OBJECTIVES)
    return {
        **register.counts(OBJECTIVES, items),
        "off_track": sum(1 for i in items if off_track(i)),
        "measurements": len(register.list_items(ef, MEASUREMENTS)),
    }


def as_text(data: Mapping[str, int]) -> str:
    return (
        f"Objectives:  {words.count(data['total'], 'objective')} "
        f"({words.count(data['measurements'], 'measurement')}): "
        f"{data['off_track']} off track, {data['without_measure']} with no measure or target, "
        f"{data['not_monitored']} not measured within the interval, "
        f"{data['without_interval']} with no evaluation interval"
    )
