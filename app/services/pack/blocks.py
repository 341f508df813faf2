"""What every section of the pack is built with: headings that make the outline, the
building context (styles, widths, which document), and tables of field values headed by the
fields' own labels, so the pack reads like the window."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Table,
)

from app.services.engagement.fields import FieldSpec
from app.services.gaps import GapRule
from app.services.pack import settings as pack_settings
from app.services.pack.data import PackData
from app.services.pack.style import (
    Column,
    Styles,
    Wrapper,
    key_values,
    tables,
)

GAP_ITEMS_SHOWN = 30


class Heading(Paragraph):  # type: ignore[misc]  # reportlab has no types
    """A heading that tells the canvas where it is drawn: the outline (bookmarks) and the
    table of contents are made from these marks."""

    def __init__(self, text: str, style: object, key: str, title: str, level: int) -> None:
        super().__init__(escape(text), style)
        self.key, self.title, self.level = key, title, level

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        mark = getattr(canvas, "mark", None)
        if mark is not None:
            mark(self.key, self.title, self.level, y + self.height + 6)
        super().drawOn(canvas, x, y, _sW)


class Anchor(Flowable):  # type: ignore[misc]
    """A bookmark with no heading drawn (the cover)."""

    def __init__(self, key: str, title: str) -> None:
        super().__init__()
        self.key, self.title = key, title

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        canvas.mark(self.key, self.title, 0, y)


@dataclass
class Ctx:
    data: PackData
    st: Styles
    width: float  # of the frame the section being built is laid out in
    kind: str = pack_settings.DEFAULT_KIND
    wide_width: float = 0.0  # of the landscape frame, for the registers with many columns
    number: int = 0
    _sub: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        self.wrapper = Wrapper()
        self.accent_hex = self.data.settings.accent_or_default
        self.portrait_width = self.width
        self.wide_width = self.wide_width or self.width

    @property
    def gaps(self) -> bool:
        """Show what the rules find and the readiness figures (the readiness report only)."""
        return self.kind == "readiness"

    def h1(self, title: str, wide: bool = False) -> list[Flowable]:
        """A section's heading on a new page: a landscape one when `wide`."""
        self._sub = 0
        self.width = self.wide_width if wide else self.portrait_width
        text = f"{self.number}  {title}"
        page = NextPageTemplate("wide" if wide else "body")
        return [page, PageBreak(), Heading(text, self.st.h1, f"s{self.number}", text, 0)]

    def h2(self, title: str) -> list[Flowable]:
        self._sub += 1
        text = f"{self.number}.{self._sub}  {title}"
        key = f"s{self.number}.{self._sub}"
        return [CondPageBreak(40 * mm), Heading(text, self.st.h2, key, text, 1)]

    def p(self, text: str, style: object | None = None) -> Paragraph:
        return Paragraph(escape(text), style or self.st.body)

    def note(self, text: str) -> Paragraph:
        return Paragraph(escape(text), self.st.note)

    def absent(self, fact: str, advice: str) -> Paragraph:
        """Something the engagement does not hold yet: in the readiness report with what to
        do about it, in red; in the submission the plain fact."""
        if self.gaps:
            return Paragraph(escape(f"{fact} {advice}"), self.st.alert)
        return Paragraph(escape(fact), self.st.body)

    def table(self, columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> list[Table]:
        return tables(columns, rows, self.width, self.accent_hex, self.wrapper)

    def facts(self, pairs: Sequence[tuple[str, str]]) -> Table:
        return key_values(pairs, self.width)


# A column of field values: one field, or several stacked in one cell ("Source / Vendor").
Spec = tuple[str | tuple[str, ...], float]


def spec_names(key: str | tuple[str, ...]) -> tuple[str, ...]:
    return (key,) if isinstance(key, str) else key


def field_columns(fields: dict[str, FieldSpec], spec: Sequence[Spec]) -> list[Column]:
    """Columns headed by the fields' own labels."""
    return [Column(" / ".join(fields[n].label for n in spec_names(k)), w) for k, w in spec]


def field_values(row: object, fields: dict[str, FieldSpec], spec: Sequence[Spec]) -> list[str]:
    cells = []
    for key, _ in spec:
        if isinstance(key, str):
            cells.append(fields[key].label_of(getattr(row, key)))
        else:
            found = (fields[n].label_of(getattr(row, n)) for n in key)
            cells.append("\n".join(v for v in found if v))
    return cells


def flag_text(rules: Mapping[str, GapRule], flags: Sequence[str]) -> str:
    return "; ".join(rules[f].label for f in flags)


CUT_NOTE = "Texts longer than a cell allows end in […]; the engagement file holds them whole."


def item_list(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:GAP_ITEMS_SHOWN])
    more = len(ids) - GAP_ITEMS_SHOWN
    return shown + (f" … and {more:,} more, marked in their section" if more > 0 else "")
