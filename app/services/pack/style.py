"""The pack's typography and tables: DejaVu Sans embedded (accents, Greek, Cyrillic), one
table style for every register, and long registers cut into tables of a few hundred rows
with the header repeated on each page.

Cells are plain text wrapped here, not Paragraphs: a Paragraph per cell makes a register of
20,000 risks several times slower, and the columns need nothing but wrapping."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import chain, islice

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Table, TableStyle

from app import paths

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
INK = colors.HexColor("#1d2329")
MUTED = colors.HexColor("#5b6570")
RULE = colors.HexColor("#c9d0d6")
SHADE = colors.HexColor("#f3f5f7")
HEAD = colors.HexColor("#e6eaee")
ALERT = colors.HexColor("#a4262c")
CELL_SIZE = 7.0
CELL_LEADING = 8.6
CHUNK_ROWS = 400  # rows per Table: one Table of 10,000 rows lays out ~3x slower than chunks
MAX_CELL_LINES = 14  # a cell taller than this is cut, saying so: the file holds the rest
_PAD = 2.5


@cache
def register_fonts() -> None:
    """Register DejaVu Sans once per process; reportlab embeds the glyphs a pack uses."""
    pdfmetrics.registerFont(TTFont(FONT, str(paths.font_path("DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(paths.font_path("DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


@dataclass(frozen=True)
class Styles:
    accent: colors.Color
    body: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle
    alert: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    cover_kicker: ParagraphStyle
    cover_title: ParagraphStyle
    cover_text: ParagraphStyle


def styles(accent_hex: str) -> Styles:
    register_fonts()
    accent = colors.HexColor(accent_hex)
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=9, leading=12.5, textColor=INK, alignment=TA_LEFT
    )
    return Styles(
        accent=accent,
        body=body,
        small=ParagraphStyle("small", body, fontSize=8, leading=10.5),
        note=ParagraphStyle("note", body, fontSize=8, leading=10.5, textColor=MUTED),
        alert=ParagraphStyle("alert", body, textColor=ALERT),
        h1=ParagraphStyle(
            "h1", body, fontName=BOLD, fontSize=16, leading=20, textColor=accent, spaceAfter=8
        ),
        h2=ParagraphStyle(
            "h2", body, fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=10, spaceAfter=4
        ),
        cover_kicker=ParagraphStyle(
            "kicker", body, fontName=BOLD, fontSize=10, leading=14, textColor=accent
        ),
        cover_title=ParagraphStyle("cover", body, fontName=BOLD, fontSize=26, leading=31),
        cover_text=ParagraphStyle("cover_text", body, fontSize=10, leading=14),
    )


class Wrapper:
    """Greedy word wrap with measured widths, each distinct word measured once."""

    def __init__(self, font: str = FONT, size: float = CELL_SIZE) -> None:
        self.font = font
        self.size = size
        self._widths: dict[str, float] = {}
        self.space = pdfmetrics.stringWidth(" ", font, size)
        # No character of DejaVu Sans at this size is wider than this: text shorter than the
        # column by this measure needs no measuring at all.
        self._widest = pdfmetrics.stringWidth("W", font, size) * 1.25

    def width(self, word: str) -> float:
        found = self._widths.get(word)
        if found is None:
            found = self._widths[word] = pdfmetrics.stringWidth(word, self.font, self.size)
        return found

    def lines(self, text: str, width: float) -> list[str]:
        out: list[str] = []
        for paragraph in text.splitlines() or [""]:
            if len(paragraph) * self._widest <= width:
                out.append(paragraph)
                continue
            line: list[str] = []
            used = 0.0
            for word in paragraph.split():
                w = self.width(word)
                if w > width:  # a word longer than the column is cut where it must be
                    if line:
                        out.append(" ".join(line))
                    out.extend(self._cut(word, width))
                    line, used = [], 0.0
                    continue
                if line and used + self.space + w > width:
                    out.append(" ".join(line))
                    line, used = [word], w
                else:
                    used += (self.space if line else 0.0) + w
                    line.append(word)
            if line:
                out.append(" ".join(line))
        return out

    def _cut(self, word: str, width: float) -> list[str]:
        pieces, current = [], ""
        for char in word:
            if current and self.width(current + char) > width:
                pieces.append(current)
                current = ""
            current += char
        return [*pieces, current] if current else pieces

    def cell(self, text: str, width: float, max_lines: int = MAX_CELL_LINES) -> str:
        """Text wrapped to the width; past max_lines the last line kept ends in […]."""
        text = text.strip()
        if "\n" not in text and len(text) * self._widest <= width:
            return text
        found = self.lines(text, width)
        if len(found) > max_lines:
            found = found[:max_lines]
            words = found[-1].split()
            while words and self.width(" ".join(words) + " […]") > width:
                words.pop()
            found[-1] = " ".join([*words, "[…]"])
        return "\n".join(found)


_SAMPLE_ROWS = 200  # rows measured for the columns' least widths


@dataclass(frozen=True)
class Column:
    label: str
    weight: float  # share of the frame's width


@cache
def _bold_wrapper(size: float) -> Wrapper:
    return Wrapper(BOLD, size)


@cache
def _table_style(accent_hex: str) -> TableStyle:
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT, CELL_SIZE, CELL_LEADING),
            ("FONT", (0, 0), (-1, 0), BOLD, CELL_SIZE, CELL_LEADING),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor(accent_hex)),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, SHADE]),
            ("LINEBELOW", (0, -1), (-1, -1), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
            ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )


def tables(
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    frame_width: float,
    accent_hex: str,
    wrapper: Wrapper,
) -> list[Table]:
    """A register as tables of CHUNK_ROWS rows, each with the header row repeated on every
    page it spans. Values are shown as given (str); None reads as blank."""
    rows = iter(rows)
    sample = [["" if v is None else str(v) for v in row] for row in islice(rows, _SAMPLE_ROWS)]
    bold = _bold_wrapper(wrapper.size)
    widths = _widths(columns, sample, frame_width, wrapper, bold)
    inner = [w - 2 * _PAD for w in widths]
    header = [bold.cell(c.label, w, 6) for c, w in zip(columns, inner, strict=True)]
    wrapping = list(enumerate(inner))
    style = _table_style(accent_hex)
    out: list[Table] = []
    chunk: list[list[str]] = []

    def flush() -> None:
        if chunk:
            out.append(Table([header, *chunk], colWidths=widths, repeatRows=1, style=style))
            chunk.clear()

    for row in chain(sample, rows):
        cells = ["" if v is None else str(v) for v in row]
        for i, width in wrapping:
            if cells[i]:
                cells[i] = wrapper.cell(cells[i], width)
        chunk.append(cells)
        if len(chunk) == CHUNK_ROWS:
            flush()
    flush()
    return out


def _widths(
    columns: Sequence[Column], sample: list[list[str]], frame_width: float,
    wrapper: Wrapper, bold: Wrapper,
) -> list[float]:  # fmt: skip
    """Column widths by weight, but never narrower than the longest word in the column's
    heading or (a sample of) its values, so words such as "Implemented" are not cut; the room
    comes from the columns that have some to spare."""
    total = sum(c.weight for c in columns)
    widths = [frame_width * c.weight / total for c in columns]
    cap = frame_width / 4
    least = []
    for i, column in enumerate(columns):
        words = [bold.width(w) for w in column.label.split()]
        words += [wrapper.width(w) for row in sample for w in row[i].split()]
        least.append(min(max(words, default=0.0) + 2 * _PAD + 0.5, cap))
    short = sum(max(0.0, m - w) for m, w in zip(least, widths, strict=True))
    spare = sum(max(0.0, w - m) for m, w in zip(least, widths, strict=True))
    if short <= 0 or spare <= 0:
        return widths
    take = min(1.0, short / spare)
    return [m if w < m else w - (w - m) * take for m, w in zip(least, widths, strict=True)]


def box_style(*commands: tuple[object, ...]) -> TableStyle:
    """A table style that never falls back to reportlab's default font (not embedded)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8), *commands])


def key_values(
    pairs: Sequence[tuple[str, str]], frame_width: float, label_share: float = 0.3
) -> Table:
    """A two-column block of facts (label, value), for the cover and the engagement details."""
    label_w = frame_width * label_share
    value_w = frame_width - label_w
    labels, values = Wrapper(BOLD, 8.5), Wrapper(FONT, 8.5)
    data = [[labels.cell(k, label_w - 2 * _PAD), values.cell(v, value_w - 2 * _PAD, 40)]
            for k, v in pairs]  # fmt: skip
    return Table(
        data,
        colWidths=[label_w, value_w],
        style=TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8.5, 11),
                ("FONT", (0, 0), (0, -1), BOLD, 8.5, 11),
                ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
                ("TEXTCOLOR", (1, 0), (1, -1), INK),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
    )
