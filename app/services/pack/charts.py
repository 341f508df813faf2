"""The readiness summary's pictures, drawn as vector shapes in the embedded font: readiness by
clause, the risk heat maps (inherent and residual) and the SoA's decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Rect, String
from reportlab.lib import colors

from app.services.catalog.content import Catalog
from app.services.pack.style import BOLD, FONT, INK, MUTED, RULE, SHADE, Wrapper
from app.services.readiness.plan import PlannedMilestone
from app.services.risks import heat_colours
from app.services.risks.criteria import Criteria
from app.services.soa import service as soa


def _text(
    x: float, y: float, text: str, size: float = 7.5, bold: bool = False, **kw: object
) -> String:
    kw.setdefault("fillColor", INK)
    return String(x, y, text, fontName=BOLD if bold else FONT, fontSize=size, **kw)


def _drawing(width: float, height: float) -> Drawing:
    # The renderer starts from a default font (Helvetica, never embedded) unless told.
    return Drawing(width, height, initialFontName=FONT, initialFontSize=7)


def clause_order(key: str) -> tuple[int, int, int]:
    """Clauses 4-10 first, then the Annex A objectives, each in number order."""
    annex = key.startswith("A.")
    numbers = [int(p) for p in key.removeprefix("A.").split(".") if p.isdigit()] or [0]
    return (1 if annex else 0, numbers[0], numbers[1] if len(numbers) > 1 else 0)


def clause_title(catalog: Catalog, key: str) -> str:
    return catalog.top_title(key)


def readiness_bars(
    by_clause: Mapping[str, float], catalog: Catalog, width: float, accent: colors.Color
) -> Drawing:
    keys = sorted(by_clause, key=clause_order)
    bar_h, gap, top = 10.0, 5.0, 14.0
    label_w = width * 0.44
    bar_w = width - label_w - 40
    height = top + len(keys) * (bar_h + gap) + 4
    d = _drawing(width, height)
    d.add(_text(label_w, height - 9, "0%", 6.5, fillColor=MUTED))
    d.add(_text(label_w + bar_w, height - 9, "100%", 6.5, textAnchor="end", fillColor=MUTED))
    wrapper = Wrapper(FONT, 7.5)
    for n, key in enumerate(keys):
        y = height - top - (n + 1) * (bar_h + gap) + gap
        label = wrapper.lines(clause_title(catalog, key), label_w - 8)[0]
        d.add(_text(0, y + 2.5, label))
        d.add(Rect(label_w, y, bar_w, bar_h, fillColor=SHADE, strokeColor=None))
        value = by_clause[key]
        if value > 0:
            d.add(Rect(label_w, y, bar_w * value / 100, bar_h, fillColor=accent, strokeColor=None))
        d.add(_text(label_w + bar_w + 4, y + 2.5, f"{value:g}%", bold=True))
    if not keys:
        d.add(_text(0, height - top - 10, "No checklist points."))
    return d


def _band_colour(criteria: Criteria, score: int) -> colors.Color:
    return colors.HexColor(heat_colours.band_colour(criteria, score))


def _grid(
    d: Drawing,
    x0: float,
    y0: float,
    size: float,
    criteria: Criteria,
    cells: Mapping[tuple[int, int], int],
    title: str,
) -> None:
    rows, cols = len(criteria.likelihood), len(criteria.impact)
    cell = size / max(rows, cols)
    left, bottom = x0 + 16, y0 + 22.0
    d.add(_text(left, bottom + rows * cell + 8, title, 8.5, bold=True))
    for li in range(1, rows + 1):
        for ii in range(1, cols + 1):
            x, y = left + (ii - 1) * cell, bottom + (li - 1) * cell
            fill = heat_colours.band_colour(criteria, criteria.score(li, ii))
            d.add(
                Rect(
                    x, y, cell, cell, fillColor=colors.HexColor(fill),
                    strokeColor=colors.white, strokeWidth=1.2,
                )
            )  # fmt: skip
            count = cells.get((li, ii), 0)
            if count:
                ink = colors.HexColor(heat_colours.text_colour(fill))
                d.add(
                    _text(
                        x + cell / 2, y + cell / 2 - 3, f"{count:,}", 7.5, True,
                        textAnchor="middle", fillColor=ink,
                    )
                )  # fmt: skip
        d.add(_text(left - 4, bottom + (li - 0.5) * cell - 3, str(li), 7, textAnchor="end"))
    for ii in range(1, cols + 1):
        d.add(_text(left + (ii - 0.5) * cell, bottom - 9, str(ii), 7, textAnchor="middle"))
    d.add(_text(left + cols * cell / 2, y0 + 2, "Impact", 7, fillColor=MUTED, textAnchor="middle"))
    # The likelihood axis title reads upwards, turned a quarter about its own anchor.
    axis = Group(_text(0, 0, "Likelihood", 7, fillColor=MUTED, textAnchor="middle"))
    axis.transform = (0, 1, -1, 0, x0 + 4, bottom + rows * cell / 2)
    d.add(axis)


def heat_maps(
    inherent: Mapping[tuple[int, int], int],
    residual: Mapping[tuple[int, int], int],
    criteria: Criteria,
    width: float,
) -> Drawing:
    """Live risks by likelihood and impact (counts by cell), before and after treatment, side
    by side, with the level bands' colours under them."""
    grid = min(160.0, width / 2 - 40)
    legend = 16.0
    d = _drawing(width, grid + 42 + legend)
    for n, (title, cells) in enumerate((("Inherent", inherent), ("Residual", residual))):
        _grid(d, n * width / 2, legend, grid, criteria, cells, title)
    x = 16.0
    for band in criteria.bands:
        d.add(Rect(x, 2, 8, 8, fillColor=_band_colour(criteria, band.upto), strokeColor=None))
        label = f"{band.name} (scores up to {band.upto})"
        d.add(_text(x + 12, 3, label, 7))
        x += 30 + Wrapper(FONT, 7).width(label)
    return d


def soa_decisions(lines: Sequence[soa.SoaLine], width: float, accent: colors.Color) -> Drawing:
    """Two stacked bars: every control's decision; then how far the included ones are."""
    decided = [
        (label, sum(1 for x in lines if x.decision == key), colour)
        for (key, label), colour in zip(
            soa.DECISIONS.items(), (colors.HexColor("#b9c2cb"), accent, colors.HexColor("#8a8f94")),
            strict=True,
        )
    ]  # fmt: skip
    included = [x for x in lines if x.decision == "included"]
    shades = ("#e3e7eb", "#c5d3e0", "#8fb0cc", accent.hexval().replace("0x", "#"))
    progress = [
        (label, sum(1 for x in included if x.status == key), colors.HexColor(shade))
        for (key, label), shade in zip(soa.STATUSES.items(), shades, strict=True)
    ]
    height = 96.0
    d = _drawing(width, height)
    bar_x, bar_w = 120.0, width - 130
    for n, (title, parts, total) in enumerate(
        (
            (f"Decisions ({len(lines)} controls)", decided, len(lines)),
            (f"Included: status ({len(included)})", progress, len(included)),
        )
    ):
        y = height - 30 - n * 44
        d.add(_text(0, y + 4, title, 7.5, True))
        x = bar_x
        d.add(Rect(bar_x, y, bar_w, 14, fillColor=SHADE, strokeColor=RULE, strokeWidth=0.3))
        legend_x = bar_x
        for label, count, colour in parts:
            if total and count:
                w = bar_w * count / total
                d.add(
                    Rect(x, y, w, 14, fillColor=colour, strokeColor=colors.white, strokeWidth=0.8)
                )
                x += w
            d.add(Rect(legend_x, y - 13, 7, 7, fillColor=colour, strokeColor=None))
            entry = f"{label} {count}"
            d.add(_text(legend_x + 10, y - 12, entry, 7))
            legend_x += 22 + Wrapper(FONT, 7).width(entry)
    return d


def plan_timeline(
    milestones: Sequence[PlannedMilestone], today: dt.date, width: float, accent: colors.Color
) -> Drawing:
    """The certification plan on a time axis: each milestone a dot (filled once done) with its
    number in the table below, the years marked, and today's date as a line."""
    dated = [(n, m, m.date) for n, m in enumerate(milestones, start=1) if m.date is not None]
    height = 58.0
    d = _drawing(width, height)
    if not dated:
        d.add(_text(0, height / 2, "No milestone has a date yet."))
        return d
    first = min([today, *(day for _n, _m, day in dated)])
    last = max([today, *(day for _n, _m, day in dated)])
    span = max((last - first).days, 1)
    left, right, axis_y = 12.0, width - 12.0, 24.0

    def x_of(day: dt.date) -> float:
        return left + (right - left) * (day - first).days / span

    d.add(Rect(left, axis_y - 0.5, right - left, 1, fillColor=RULE, strokeColor=None))
    for year in range(first.year + 1, last.year + 1):  # a tick at each new year
        x = x_of(dt.date(year, 1, 1))
        d.add(Rect(x - 0.3, axis_y - 4, 0.6, 8, fillColor=MUTED, strokeColor=None))
        d.add(_text(x, 4, str(year), 6, fillColor=MUTED, textAnchor="middle"))
    red = colors.HexColor("#b3261e")
    now = x_of(today)
    d.add(Rect(now - 0.5, 12, 1, height - 14, fillColor=red, strokeColor=None))
    d.add(_text(now + 2, height - 8, f"today {today.isoformat()}", 6, fillColor=red))
    previous = -100.0
    level = 0
    for n, m, day in dated:
        x = x_of(day)
        level = level + 1 if x - previous < 9 else 0  # close dots: numbers stacked up
        previous = x
        d.add(Circle(x, axis_y, 3, fillColor=accent if m.done else colors.white,
                     strokeColor=accent, strokeWidth=1))  # fmt: skip
        d.add(_text(x, axis_y + 6 + 7 * (level % 3), str(n), 6.5, True, textAnchor="middle"))
    return d
