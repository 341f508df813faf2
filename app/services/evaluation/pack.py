"""Objectives and monitoring in the pack: the objectives, each with its chart of
measurements against the target and its on-track state, then every measurement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from app.services import words
from app.services.engagement.fields import format_number
from app.services.evaluation import objectives as obj
from app.services.pack import settings as pack_settings
from app.services.pack.blocks import Ctx
from app.services.pack.style import ALERT, FONT, MUTED, RULE
from app.services.registers.description import Item
from app.services.registers.pack import register_table, summary_line

_ON = colors.HexColor("#2e7d32")
_LINE = colors.HexColor("#1f5f8b")


def _text(x: float, y: float, text: str, size: float = 6.5, **kw: object) -> String:
    kw.setdefault("fillColor", MUTED)
    return String(x, y, text, fontName=FONT, fontSize=size, **kw)


def objective_chart(
    points: Sequence[obj.Point], target: float | None, at_least: bool, unit: str, width: float
) -> Drawing:
    """The measurements as a line over time, the target dashed across; each point green on
    the target's side, red off it."""
    height, left, bottom, right, top = 70.0, 34.0, 12.0, 6.0, 6.0
    d = Drawing(width, height, initialFontName=FONT, initialFontSize=6.5)
    box_w, box_h = width - left - right, height - bottom - top
    values = [p.value for p in points] + ([target] if target is not None else [])
    low, high = min(values), max(values)
    pad = (high - low) * 0.15 or max(abs(high) * 0.1, 1.0)
    low, high = low - pad, high + pad
    first, last = points[0].on, points[-1].on
    span = max((last - first).days, 1)

    def x_of(on: dt.date) -> float:
        return left + box_w * ((on - first).days / span if last != first else 0.5)

    def y_of(value: float) -> float:
        return bottom + box_h * (value - low) / (high - low)

    d.add(Line(left, bottom, left + box_w, bottom, strokeColor=RULE, strokeWidth=0.6))
    d.add(Line(left, bottom, left, bottom + box_h, strokeColor=RULE, strokeWidth=0.6))
    for value in (low + pad, high - pad):
        d.add(_text(left - 3, y_of(value) - 2, format_number(round(value, 2)), textAnchor="end"))
    d.add(_text(left, 2, first.isoformat()))
    if last != first:
        d.add(_text(left + box_w, 2, last.isoformat(), textAnchor="end"))
    if target is not None:
        y = y_of(target)
        d.add(Line(left, y, left + box_w, y, strokeColor=ALERT, strokeWidth=0.7,
                   strokeDashArray=[3, 2]))  # fmt: skip
        side = "≥" if at_least else "≤"
        label = f"target {side} {format_number(target)} {unit}".rstrip()
        d.add(_text(left + 4, y + 2, label, fillColor=ALERT))  # the latest point is on the right
    line = [c for p in points for c in (x_of(p.on), y_of(p.value))]
    if len(points) > 1:
        d.add(PolyLine(line, strokeColor=_LINE, strokeWidth=1.2))
    for p in points:
        met = target is None or (p.value >= target if at_least else p.value <= target)
        d.add(Circle(x_of(p.on), y_of(p.value), 2.2, fillColor=_ON if met else ALERT,
                     strokeColor=colors.white, strokeWidth=0.4))  # fmt: skip
    return d


def _objective_block(c: Ctx, item: Item, points: Sequence[obj.Point]) -> Flowable:
    v = item.values
    judged = obj.judge(item)
    parts: list[Flowable] = [c.p(f"{item.id}  {v['title']}", c.st.h2)]
    if judged.state != "not_judged" or c.gaps:  # the submission states facts, not advice
        style = c.st.alert if judged.state == "off_track" else c.st.body
        parts.append(c.p(f"{obj.STATES[judged.state]}: {judged.why}", style))
    last = item.derived.get("latest_on")
    latest = (
        f"{item.derived['latest_value']} {v['unit'] if v['numeric'] else ''}".rstrip()
        + f" on {last.isoformat()}"
        if isinstance(last, dt.date)
        else "None yet"
    )
    facts = [
        ("Function or level", str(v["level"]) or "—"),
        ("Measure", str(v["measure"]) or "Not recorded"),
        ("Owner", str(v["owner"]) or "Not recorded"),
        ("Latest measurement", latest),
        ("Evaluated every", words.count(v["interval_months"], "month")
         if isinstance(v["interval_months"], int) else "Not set"),
        ("How it is evaluated", str(v["evaluation"]) or "Not recorded"),
    ]  # fmt: skip
    parts.append(c.facts(facts))
    if v["numeric"] and points:
        target = v["target"] if isinstance(v["target"], float) else None
        parts.append(Spacer(1, 2 * mm))
        parts.append(objective_chart(
            points, target, v["direction"] == "at_least", str(v["unit"]), c.width * 0.7
        ))  # fmt: skip
    elif v["numeric"]:
        parts.append(c.note("No measurements yet: nothing to draw."))
    if c.gaps:
        gaps = obj.OBJECTIVES.gaps(item)
        if gaps:
            parts.append(c.p("Gaps: " + "; ".join(g.label for g in gaps), c.st.alert))
    return KeepTogether(parts)


def objectives_section(c: Ctx) -> list[Flowable]:
    d = c.data
    out = [*c.h1(pack_settings.SECTIONS["objectives"])]
    items = sorted(d.registers.get(obj.OBJECTIVES.key, []), key=lambda i: words.natural(i.id))
    measurements = d.registers.get(obj.MEASUREMENTS.key, [])
    out += c.h2(f"{obj.OBJECTIVES.name} (clause {obj.OBJECTIVES.clause})")
    if not items:
        out.append(c.absent("No AI objectives recorded.", "Set them, each with its measure, "
                            "target, owner and evaluation interval (clause 6.2)."))  # fmt: skip
        return out
    judged = [obj.judge(i).state for i in items]
    out.append(
        c.p(
            summary_line(obj.OBJECTIVES, items, c.gaps)
            + f"; {judged.count('on_track')} on track, {judged.count('off_track')} off track, "
            f"{judged.count('not_judged')} not judged (no number, target or measurement yet)."
        )
    )
    if c.gaps:  # the readiness report says why off track is no gap
        out.append(c.note(obj.OFF_TRACK_NOTE))
    series = obj.series_of(measurements)
    for item in items:
        out.append(_objective_block(c, item, series.get(item.id, [])))
        out.append(Spacer(1, 3 * mm))
    out += c.h2(f"{obj.MEASUREMENTS.name} (clause {obj.MEASUREMENTS.clause})")
    names = {i.id: f"{i.id} {i.values['title']}" for i in items}
    ordered = sorted(measurements, key=lambda i: (str(i.values["objective"]), words.natural(i.id)))
    if ordered:
        out.append(c.p(summary_line(obj.MEASUREMENTS, ordered, False) + "."))
    out += register_table(c, obj.MEASUREMENTS, ordered, names)
    return out
