"""The Stage 1 pack: one printable PDF of the engagement, of one of two kinds from the same
sections: the Stage 1 submission for the certification body (the facts as recorded, no gaps
and no readiness figures) or the readiness report for the client's management (with them).

One pass of reportlab's layout. Pages are kept until the end (the page count is known only
then), so "page X of Y", the table of contents' page numbers and the outline are drawn as the
pages are written out, instead of laying the whole pack out twice.

A generator: it yields progress (done, total, message) and stops at any yield when closed.
It writes to a temporary file beside the output and moves it into place at the end; a failure
or a cancel leaves no file behind."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

import app
from app.services import registry
from app.services.engagement import safe_output
from app.services.engagement.file import EngagementFile
from app.services.pack import blocks
from app.services.pack import data as pack_data
from app.services.pack import sections as pack_sections
from app.services.pack import settings as pack_settings
from app.services.pack import style as pack_style
from app.services.pack.style import BOLD, FONT, MUTED, RULE
from app.services.progress import Progress

PAGE_SIZES = {"a4": A4, "letter": LETTER}
_MARGIN_X = 17 * mm
_MARGIN_TOP = 22 * mm
_MARGIN_BOTTOM = 20 * mm
_PROGRESS_EVERY_S = 0.1


@dataclass(frozen=True)
class Result:
    path: Path
    pages: int
    sections: tuple[str, ...]
    kind: str = pack_settings.DEFAULT_KIND


@dataclass(frozen=True)
class _Furniture:
    """What every page carries: who it is for, how confidential, which page, and when."""

    client: str
    marking: str
    generated: str
    accent: str
    title: str


class _Contents(Flowable):  # type: ignore[misc]  # reportlab has no types
    """Room for the table of contents; the entries are drawn when the page numbers are known
    (see _PackCanvas.save). Splits across pages like any flowable."""

    LEADING = {0: 17.0, 1: 13.0}

    def __init__(self, entries: Sequence[tuple[int, str, str]]) -> None:
        super().__init__()
        self.entries = list(entries)  # (level, title, key)

    def _heights(self) -> list[float]:
        return [self.LEADING[min(level, 1)] for level, _, _ in self.entries]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        return availWidth, sum(self._heights())

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        used, fits = 0.0, 0
        for h in self._heights():
            if used + h > availHeight:
                break
            used, fits = used + h, fits + 1
        if fits == 0 or fits == len(self.entries):
            return []
        return [_Contents(self.entries[:fits]), _Contents(self.entries[fits:])]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        canvas.contents_at(x, y + sum(self._heights()), self.width, self.entries)


class _PackCanvas(Canvas):  # type: ignore[misc]
    """Keeps every page until save(), then writes each with its furniture, bookmarks and
    (on the contents pages) the entries with their page numbers."""

    furniture: _Furniture

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._marks: list[tuple[int, str, str, int, float]] = []  # page, key, title, level, y
        self._contents: list[tuple[int, float, float, float, list[tuple[int, str, str]]]] = []

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def mark(self, key: str, title: str, level: int, y: float) -> None:
        self._marks.append((len(self._pages) + 1, key, title, level, y))

    def contents_at(
        self, x: float, top: float, width: float, entries: list[tuple[int, str, str]]
    ) -> None:
        self._contents.append((len(self._pages) + 1, x, top, width, entries))

    def showPage(self) -> None:  # noqa: N802
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        page_of = {key: page for page, key, *_ in self._marks}
        marks: dict[int, list[tuple[str, str, int, float]]] = defaultdict(list)
        for page, key, title, level, y in self._marks:
            marks[page].append((key, title, level, y))
        contents: dict[int, list[tuple[float, float, float, list[tuple[int, str, str]]]]] = (
            defaultdict(list)
        )
        for page, *slot in self._contents:
            contents[page].append(tuple(slot))  # type: ignore[arg-type]
        for number, state in enumerate(self._pages, start=1):
            # the page's state would set the link count back, and link names would repeat
            links = getattr(self, "_annotationCount", 0)
            self.__dict__.update(state)
            self._annotationCount = links
            for key, title, level, y in marks[number]:
                self.bookmarkPage(key, fit="XYZ", left=0, top=y)
                self.addOutlineEntry(title, key, level=level, closed=level > 0)
            for x, top, width, entries in contents[number]:
                self._draw_contents(x, top, width, entries, page_of)
            self._draw_furniture(number, total)
            Canvas.showPage(self)
        self.showOutline()
        Canvas.save(self)

    def _draw_contents(
        self,
        x: float,
        top: float,
        width: float,
        entries: list[tuple[int, str, str]],
        page_of: dict[str, int],
    ) -> None:
        y = top
        for level, title, key in entries:
            leading = _Contents.LEADING[min(level, 1)]
            y -= leading
            font, size, indent = (BOLD, 9.5, 0.0) if level == 0 else (FONT, 8.5, 14.0)
            number = str(page_of.get(key, ""))
            self.setFont(font, size)
            self.setFillColor(pack_style.INK)
            self.drawString(x + indent, y + 3, title)
            self.drawRightString(x + width, y + 3, number)
            start = x + indent + self.stringWidth(title, font, size) + 4
            end = x + width - self.stringWidth(number, font, size) - 4
            if end > start:
                self.saveState()
                self.setStrokeColor(RULE)
                self.setDash(0.6, 2.4)
                self.line(start, y + 3, end, y + 3)
                self.restoreState()
            self.linkRect("", key, (x, y, x + width, y + leading), relative=0, thickness=0)

    def _draw_furniture(self, number: int, total: int) -> None:
        f = self.furniture
        width, height = self._pagesize
        left, right = _MARGIN_X, width - _MARGIN_X
        self.saveState()
        accent = HexColor(f.accent)
        if number == 1:
            self.setFillColor(accent)
            self.rect(0, height - 9 * mm, width, 9 * mm, stroke=0, fill=1)
        else:
            self.setFont(FONT, 7)
            self.setFillColor(MUTED)
            self.drawString(left, height - 13 * mm, f.title)
            self.drawRightString(right, height - 13 * mm, _fit(f.client, FONT, 7, width / 2))
            self.setStrokeColor(accent)
            self.setLineWidth(0.6)
            self.line(left, height - 14.5 * mm, right, height - 14.5 * mm)
        self.setStrokeColor(RULE)
        self.setLineWidth(0.4)
        self.line(left, 13 * mm, right, 13 * mm)
        self.setFont(FONT, 7)
        self.setFillColor(MUTED)
        client = _fit(f.client, FONT, 7, (right - left) * 0.35)
        self.drawString(left, 9 * mm, f"{client}  ·  {_fit(f.marking, BOLD, 7, 150)}")
        self.drawCentredString(width / 2 + 40, 9 * mm, f"Generated {f.generated}")
        self.setFont(BOLD, 7)
        self.drawRightString(right, 9 * mm, f"Page {number} of {total}")
        self.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Text cut with an ellipsis to fit a width (a client name in a footer)."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


_TITLES = {
    "submission": "ISO/IEC 42001 Stage 1 submission",
    "readiness": "ISO/IEC 42001 readiness report",
}


def paper_sizes(paper: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """The portrait and the landscape page of a paper."""
    return PAGE_SIZES[paper], landscape(PAGE_SIZES[paper])


def title_of(kind: str) -> str:
    """What the document is, at the top of every page after the cover."""
    return _TITLES[kind]


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    """Portrait pages, and landscape ones ("wide") for the registers with many columns."""

    def __init__(self, filename: str, paper: str, data: pack_data.PackData, kind: str) -> None:
        d = data.details
        super().__init__(
            filename,
            pagesize=PAGE_SIZES[paper],
            leftMargin=_MARGIN_X,
            rightMargin=_MARGIN_X,
            topMargin=_MARGIN_TOP,
            bottomMargin=_MARGIN_BOTTOM,
            title=f"{pack_settings.KINDS[kind]}: {d.client}",
            author=d.doc_author or d.consultant or "AIMS Prep",
            subject=title_of(kind),
            creator=f"AIMS Prep {app.__version__}",
            initialFontName=FONT,  # no base-14 font anywhere: every font is embedded
            initialFontSize=9,
            initialLeading=12,
        )
        frame = Frame(
            self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
        )  # fmt: skip
        wide_size = paper_sizes(paper)[1]
        self.wide_width = wide_size[0] - 2 * _MARGIN_X
        wide = Frame(
            _MARGIN_X, _MARGIN_BOTTOM, self.wide_width, wide_size[1] - _MARGIN_TOP - _MARGIN_BOTTOM,
            id="wide", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
        )  # fmt: skip
        self.addPageTemplates(
            [
                PageTemplate("cover", [frame], pagesize=PAGE_SIZES[paper]),
                PageTemplate("body", [frame], pagesize=PAGE_SIZES[paper]),
                PageTemplate("wide", [wide], pagesize=wide_size),
            ]
        )


def export(
    ef: EngagementFile,
    path: Path | str,
    sections: Sequence[str] | None = None,
    paper: str | None = None,
    kind: str | None = None,
) -> Generator[Progress, None, Result]:
    """Write the pack of `ef` to `path`: the Stage 1 submission unless `kind` says
    "readiness". Sections and paper default to the engagement's remembered choice (the
    sections this kind can hold). Returns what was written."""
    path = Path(path)
    settings = pack_settings.get(ef)
    kind_key = pack_settings.check_kind(kind)
    if sections is not None:
        chosen = pack_settings.check_kind_sections(kind_key, list(sections))
    else:
        chosen = settings.sections_of(kind_key)
    paper_key = str(pack_settings.FIELDS["paper"].coerce(paper or settings.paper))
    with safe_output.replacing(path, [ef.path]) as temp:
        data = yield from pack_data.load(ef, settings)
        pages = yield from _render(data, chosen, paper_key, kind_key, temp)
    return Result(path, pages, chosen, kind_key)


def flowables(
    data: pack_data.PackData,
    chosen: Sequence[str],
    frame_width: float,
    kind: str = pack_settings.DEFAULT_KIND,
    wide_width: float = 0.0,
) -> list[Flowable]:
    """The cover, the contents and the chosen sections, numbered in the pack's order."""
    st = pack_style.styles(data.settings.accent_or_default)
    ctx = blocks.Ctx(data, st, frame_width, kind, wide_width or frame_width)
    front = pack_sections.cover(ctx)  # first: the sections leave the width of their frame
    body: list[Flowable] = []
    for number, key in enumerate(chosen, start=1):
        ctx.number = number
        body += registry.pack_builder(key)(ctx)
    entries = [(f.level, f.title, f.key) for f in body if isinstance(f, blocks.Heading)]
    contents_heading = blocks.Heading("Contents", st.h1, "contents", "Contents", 0)
    cover_mark = blocks.Anchor("cover", "Cover")
    return [
        cover_mark,
        *front,
        NextPageTemplate("body"),
        PageBreak(),
        contents_heading,
        _Contents(entries),
        *body,
    ]


def _render(
    data: pack_data.PackData, chosen: Sequence[str], paper: str, kind: str, temp: Path
) -> Generator[Progress, None, int]:
    doc = _Doc(str(temp), paper, data, kind)
    furniture = _Furniture(
        client=data.details.client,
        marking=data.settings.marking,
        generated=data.generated.strftime("%Y-%m-%d %H:%M"),
        accent=data.settings.accent_or_default,
        title=title_of(kind),
    )

    class Canvas_(_PackCanvas):  # noqa: N801  (one class per pack: the furniture is its own)
        pass

    Canvas_.furniture = furniture
    yield 0, 1, "Preparing the sections"
    story = flowables(data, chosen, doc.width, kind, doc.wide_width)
    total = len(story)
    # BaseDocTemplate.build() lays out every flowable in one call; this is the same loop,
    # paused between flowables so the caller sees progress and can cancel.
    doc._startBuild(str(temp), Canvas_)
    canvas = doc.canv
    assert isinstance(canvas, _PackCanvas)
    canvas._doctemplate = doc
    last = time.perf_counter()
    try:
        while story:
            doc.clean_hanging()
            doc.handle_flowable(story)
            now = time.perf_counter()
            if now - last >= _PROGRESS_EVERY_S:
                last = now
                done = max(0, total - len(story))
                yield done, total, f"Laying out page {canvas.page_count + 1}"
    finally:
        del canvas._doctemplate
    yield total, total, "Writing the PDF"
    doc._endBuild()
    return canvas.page_count
