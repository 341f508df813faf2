"""An audit's printable worksheet: its plan and scope, then every checklist line with the
question to ask, the result to tick and room for the auditor's notes. One PDF, written beside
the target and moved into place when whole (a failure or a cancel leaves nothing)."""

from __future__ import annotations

from collections.abc import Generator
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from app.models import Audit, Person
from app.services.engagement import safe_output
from app.services.engagement.errors import AimsError
from app.services.engagement.file import EngagementFile
from app.services.evaluation.audits import AUDITS, NOT_AUDITED, RESULTS, lines_of
from app.services.pack import style as pack_style
from app.services.pack.style import Column, Wrapper
from app.services.progress import Progress
from app.services.registers.service import split_ids

CHUNK = 500  # lines per table: one table of thousands of rows lays out far slower
NOTE_LINES = 4  # blank lines left under a line's notes for the auditor to write in
# the boxes of a line not answered yet, one result a line
_BOXES = "\n".join(
    f"☐ {label}" for label in ("Conforming", "Minor NC", "Major NC", "Observation", "Improvement")
)
_COLUMNS = (
    Column("#", 0.35),
    Column("Point or control", 0.9),
    Column("What to check", 3.2),
    Column("Result", 1.6),
    Column("Auditor", 0.9),
    Column("Notes and evidence", 3.0),
)


def export(ef: EngagementFile, audit_id: str, path: Path | str) -> Generator[Progress, None, int]:
    """Write the worksheet of `audit_id` to `path`; returns how many lines it holds."""
    with ef.reading() as session:
        audit = session.get(Audit, audit_id)
        if audit is None or audit.deleted:
            raise AimsError(f"There is no audit {audit_id}. Give the ID of an existing audit.")
        people = {p.id: p.name for p in session.query(Person).filter(Person.deleted.is_(False))}
        facts = _facts(audit, people)
        title = f"{audit.id}: {audit.title}"
    lines = lines_of(ef, audit_id)
    if not lines:
        raise AimsError(f"{audit_id} has no checklist yet: draw it from the audit's scope first.")
    total = len(lines) // CHUNK + 2
    yield 0, total, "Reading the checklist"
    st = pack_style.styles("#1f5f8b")
    page = landscape(A4)
    width = page[0] - 24 * mm
    wrapper = Wrapper()
    cat = ef.catalog
    body: list[Flowable] = [
        Paragraph(f"Internal audit worksheet — {_esc(title)}", st.h1),
        Paragraph(_esc(ef.details.client), st.body),
        Spacer(1, 3 * mm),
        pack_style.key_values(facts, width, 0.18),
        Spacer(1, 3 * mm),
        Paragraph(_esc("Tick one result per line (NC: nonconformity)."), st.note),
        Spacer(1, 2 * mm),
    ]
    rows: list[list[str]] = []
    for line in lines:
        v = line.values
        point = cat.point_by_id.get(str(v["ref"]))
        ask = f"{v['title']}\n{point.question}" if point is not None else str(v["title"])
        result = RESULTS.get(str(v["result"]), "") if v["result"] != NOT_AUDITED else ""
        notes = str(v["notes"])
        evidence = ", ".join(split_ids(v["evidence"]))
        written = "\n".join(t for t in (notes, f"Evidence: {evidence}" if evidence else "") if t)
        rows.append(
            [
                str(v["position"]),
                str(v["ref"]),
                ask,
                result or _BOXES,
                people.get(str(v["auditor"]), str(v["auditor"])),
                written + "\n" * NOTE_LINES,
            ]
        )
    for n in range(0, len(rows), CHUNK):
        body += pack_style.tables(_COLUMNS, rows[n : n + CHUNK], width, "#1f5f8b", wrapper)
        yield n // CHUNK + 1, total, f"Laying out lines {n + 1} to {min(n + CHUNK, len(rows))}"
    with safe_output.replacing(Path(path), [ef.path]) as temp:
        doc = SimpleDocTemplate(
            str(temp),
            pagesize=page,
            leftMargin=12 * mm,
            rightMargin=12 * mm,
            topMargin=12 * mm,
            bottomMargin=12 * mm,
            title=f"Audit worksheet {title}",
            author="AIMS Prep",
        )
        doc.build(body)
    yield total, total, "Written"
    return len(rows)


def _facts(audit: Audit, people: dict[str, str]) -> list[tuple[str, str]]:
    spec = AUDITS.spec

    def named(ids: str) -> str:
        return ", ".join(f"{i} {people[i]}" if i in people else i for i in split_ids(ids))

    return [
        (spec["status"].label, spec["status"].label_of(audit.status)),
        (spec["planned_on"].label, spec["planned_on"].label_of(audit.planned_on)),
        (spec["actual_on"].label, spec["actual_on"].label_of(audit.actual_on) or "—"),
        (spec["clauses"].label, audit.clauses or "—"),
        (spec["controls"].label, audit.controls or "—"),
        (spec["systems"].label, audit.systems or "—"),
        (spec["sites"].label, audit.sites or "—"),
        (spec["criteria"].label, audit.criteria or "—"),
        (spec["lead_auditor"].label, named(audit.lead_auditor) or "—"),
        (spec["team"].label, named(audit.team) or "—"),
    ]


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
