"""The floor of the pack benchmark (`python -m bench.pack_floor ROWS.pickle OUT.pdf PAPER`):
raw reportlab platypus rendering the pack's table rows, as given, as plain tables of 500 rows
in the same embedded font, the wide ones on landscape pages: no cover, charts, contents,
outline, styling or page furniture, and no reading of the engagement."""

from __future__ import annotations

import pickle
import sys

from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Table,
)

from app import paths

CHUNK = 500


def main(rows_path: str, out: str, paper: str) -> None:
    with open(rows_path, "rb") as fh:
        registers: list[tuple[list[float], list[list[str]], bool]] = pickle.load(fh)
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(paths.font_path("DejaVuSans.ttf"))))
    style = [("FONT", (0, 0), (-1, -1), "DejaVuSans", 7.0, 8.6)]
    story = []
    for widths, rows, wide in registers:
        story += [NextPageTemplate("wide" if wide else "tall"), PageBreak()]
        header, body = rows[0], rows[1:]
        for start in range(0, max(len(body), 1), CHUNK):
            chunk = [header, *body[start : start + CHUNK]]
            story.append(Table(chunk, colWidths=widths, repeatRows=1, style=style))
    size = A4 if paper == "a4" else LETTER
    doc = BaseDocTemplate(out, pagesize=size, initialFontName="DejaVuSans")

    def template(name: str, page: tuple[float, float]) -> PageTemplate:
        # the pack's own margins, so both lay out the same pages
        frame = Frame(17 * mm, 20 * mm, page[0] - 34 * mm, page[1] - 42 * mm, id=name,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip
        return PageTemplate(name, [frame], pagesize=page)

    doc.addPageTemplates([template("tall", size), template("wide", landscape(size))])
    doc.build(story)


if __name__ == "__main__":
    main(*sys.argv[1:4])
