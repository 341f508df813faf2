"""The pack's own sections (the cover, the readiness summary, the documented information and
the scope), each built from the engagement's snapshot as flowables; each area builds its own
section in its package, and the registry puts them in order.

Each builder makes both kinds of document: the readiness report (Ctx.gaps true) adds what
the rules find and the readiness figures; the Stage 1 submission shows the facts only."""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Image,
    Paragraph,
    Spacer,
    Table,
)

from app.services import words
from app.services.documents import attachments, mandatory
from app.services.documents.register import DOCUMENTS
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import DETAIL_FIELDS
from app.services.gaps import SEVERITIES
from app.services.inventory import service as inventory
from app.services.pack import charts as pack_charts
from app.services.pack import settings as pack_settings
from app.services.pack.blocks import (
    Ctx,
    Spec,
    field_columns,
    field_values,
    item_list,
)
from app.services.pack.data import PackData
from app.services.pack.style import (
    ALERT,
    Column,
    box_style,
)
from app.services.readiness import dashboard, plan

# cover and readiness


def cover(c: Ctx) -> list[Flowable]:
    d, s = c.data, c.data.settings
    out: list[Flowable] = [Spacer(1, 16 * mm)]
    if s.logo:
        logo = Image(io.BytesIO(s.logo))
        scale = min(50 * mm / logo.imageWidth, 22 * mm / logo.imageHeight)
        logo.drawWidth, logo.drawHeight = logo.imageWidth * scale, logo.imageHeight * scale
        logo.hAlign = "LEFT"
        out += [logo, Spacer(1, 10 * mm)]
    else:
        out.append(Spacer(1, 14 * mm))
    scope = d.details.scope_statement.strip()
    if len(scope) > 700:
        scope = scope[:700].rsplit(" ", 1)[0] + " […]"
    out += [
        c.p(f"ISO/IEC 42001  ·  {pack_settings.KINDS[c.kind]}", c.st.cover_kicker),
        Spacer(1, 4 * mm),
        c.p(d.details.client, c.st.cover_title),
        Spacer(1, 6 * mm),
        c.p(scope or "No scope statement has been recorded yet.", c.st.cover_text),
        Spacer(1, 10 * mm),
    ]
    audit = _detail_facts(d, ("certification_body", "stage1_date", "stage2_date", "consultant"))
    generated = ("Generated", d.generated.strftime("%Y-%m-%d %H:%M"))
    catalog = ("Catalog", f"{d.catalog.standard}, catalog {d.catalog.version}")
    if c.gaps:  # the client's own report: as of when it was made
        out.append(c.facts([*audit, ("Status as of", generated[1]), catalog,
                            ("Confidentiality", s.marking)]))  # fmt: skip
    else:
        out += [c.facts([*audit, catalog, ("Confidentiality", s.marking)]), Spacer(1, 6 * mm)]
        out += [c.p("Document control", c.st.h2), c.facts(document_control(d) + [generated])]
    box = Table(
        [[c.p(s.marking.upper(), c.st.cover_kicker)]],
        colWidths=[c.width],
        style=box_style(
            ("BOX", (0, 0), (-1, -1), 0.8, c.st.accent),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ),
    )
    return [*out, Spacer(1, 14 * mm), box]


def _shown(spec: FieldSpec, value: object) -> str:
    if value is None or value == "":
        return "Not set" if spec.kind == "date" else "Not recorded"
    return spec.label_of(value)


def _detail(d: PackData, name: str) -> str:
    return _shown(DETAIL_FIELDS[name], getattr(d.details, name))


def _detail_facts(d: PackData, names: Sequence[str]) -> list[tuple[str, str]]:
    return [(DETAIL_FIELDS[n].label, _detail(d, n)) for n in names]


def document_control(d: PackData) -> list[tuple[str, str]]:
    """Version, author, reviewer, approver and date of the submission; the author is the
    consultant unless someone else is named."""
    author = d.details.doc_author.strip() or d.details.consultant.strip()
    return [
        ("Version", d.document_version),
        ("Author", author or "Not recorded"),
        ("Reviewer", _detail(d, "doc_reviewer")),
        ("Approver", _detail(d, "doc_approver")),
        ("Date", _detail(d, "doc_date")),
    ]


def _kpis(c: Ctx) -> Table:
    d = c.data
    board = d.dashboard
    failing = sum(1 for g in board.failing if g.open)
    majors = sum(1 for g in board.found if g.open and g.rule.severity == "major")
    left = board.days_left
    issued = d.soa_issued
    tiles = [
        (f"{d.readiness:g}%", "readiness of the checklist"),
        (f"{failing} of {len(board.failing)}", "audit-failing gaps open"),
        (f"{majors:,}", "major gaps open across all rules"),
        ("—" if left is None else f"{left:,}",
         "no target Stage 1 date" if left is None
         else ("days to Stage 1" if left >= 0 else "days since the Stage 1 date")),
        (f"v{issued.number}" if issued else "Draft", "SoA issued" if issued else "SoA not issued"),
    ]  # fmt: skip
    big = c.st.cover_kicker.clone("kpi", fontSize=15, leading=18)
    cells = [[Paragraph(escape(v), big), Paragraph(escape(t), c.st.note)] for v, t in tiles]
    width = c.width / len(tiles)
    return Table(
        [[cell[0] for cell in cells], [cell[1] for cell in cells]],
        colWidths=[width] * len(tiles),
        style=box_style(
            ("LINEABOVE", (0, 0), (-1, 0), 1.5, c.st.accent),
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f7f9fa")),
            ("LINEAFTER", (0, 0), (-2, -1), 3, colors.white),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, 0), 6),
            ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
        ),
    )


_OWNERS_SHOWN = 25  # the owners with the most overdue and open work; the rest counted


def readiness_section(c: Ctx) -> list[Flowable]:
    """The dashboard on paper: the same figures, from the same snapshot, in the same order."""
    d = c.data
    board = d.dashboard
    f = board.figures
    out = [*c.h1(pack_settings.SECTIONS["readiness"]), _kpis(c), Spacer(1, 4 * mm)]
    out += c.h2("The gaps that fail certification audits")
    rows = [
        (g.rule.title, g.rule.ref, "Open" if g.open else "Met",
         f"{len(g.items):,}" if g.items else ("—" if not g.open else "whole engagement"),
         (g.note or item_list(g.items)) if g.open else "", g.rule.todo if g.open else "")
        for g in board.failing
    ]  # fmt: skip
    columns = [Column("Gap", 2.4), Column("Clause", 0.6), Column("State", 0.6)]
    columns += [Column("Count", 0.7), Column("Items", 2.6), Column("What to do", 2.8)]
    found = c.table(columns, rows)
    for table in found:  # the open ones stand out
        table.setStyle(
            [("TEXTCOLOR", (2, n), (2, n), ALERT) for n, row in enumerate(table._cellvalues)
             if row[2] == "Open"]
        )  # fmt: skip
    out += found
    out += c.h2("Readiness by clause")
    out.append(c.note(f.rule))
    out.append(pack_charts.readiness_bars(f.by_clause, d.catalog, c.width, c.st.accent))
    out += c.h2("Work by owner")
    owners = sorted(f.by_owner.items(), key=lambda kv: (-kv[1].overdue, -kv[1].open, kv[0]))
    out.append(
        c.note(
            "Checklist points, risk treatment actions, corrective actions and management "
            "review actions, by the person who owns them; open counts the overdue ones too."
            + (f" The {_OWNERS_SHOWN} with the most overdue and open work are listed, of "
               f"{len(owners):,}." if len(owners) > _OWNERS_SHOWN else "")
        )
    )  # fmt: skip
    out += c.table(
        [Column("Owner", 3.0), Column("Open", 1.0), Column("Overdue", 1.0), Column("Done", 1.0)],
        [(o, f"{w.open:,}", f"{w.overdue:,}", f"{w.done:,}") for o, w in owners[:_OWNERS_SHOWN]],
    )
    out += c.h2("Coverage and the audit cycle")
    tiles = [*dashboard.coverage_tiles(f), *dashboard.cycle_tiles(f)]
    out += c.table([Column("Figure", 1.2), Column("What it counts", 6.0)],
                   [(t.value, t.label) for t in tiles])  # fmt: skip
    out += c.h2("Risk heat map")
    out.append(
        c.note(
            "Live risks by likelihood (up) and impact (across). Residual places a treated risk "
            "at its residual rating, an untreated one where it is. "
            f"Acceptance threshold: scores above {d.criteria.threshold}."
        )
    )
    out.append(pack_charts.heat_maps(f.heat.inherent, f.heat.residual, d.criteria, c.width))
    out += c.h2("Statement of Applicability decisions")
    out.append(c.note("The draft as it stands today, whether or not a version was issued."))
    out.append(pack_charts.soa_decisions(d.soa_draft, c.width, c.st.accent))
    out += _plan(c)
    out += c.h2("Open gaps")
    others = board.other_open
    quiet = [g.rule.id for g in board.found[len(board.failing) :] if not g.open]
    out.append(
        c.p(
            f"{len(others)} of the {len(board.found) - len(board.failing)} other checks find "
            "something an auditor will ask about, gravest first; each names the items behind "
            "it and what to do."
        )
    )
    listed = [
        (g.area, g.rule.label, g.rule.ref, SEVERITIES[g.rule.severity],
         "—" if g.whole and not g.items else f"{len(g.items):,}",
         g.note or item_list(g.items), g.rule.todo)
        for g in others
    ]  # fmt: skip
    columns = [Column("Area", 0.8), Column("Gap", 2.7), Column("Clause", 0.55)]
    columns += [Column("Severity", 0.75), Column("Count", 0.5), Column("Items", 2.1)]
    out += c.table([*columns, Column("What to do", 2.6)], listed)
    if quiet:
        out.append(Spacer(1, 2 * mm))
        out.append(c.note("Checks that find nothing today: " + ", ".join(quiet) + "."))
    return out


def _plan(c: Ctx) -> list[Flowable]:
    p = c.data.dashboard.plan
    out = [*c.h2("Certification plan")]
    low, high = p.typical
    out.append(
        c.note(
            f"From {p.start.isoformat()}, typically {low} to {high} months to Stage 1 for this "
            "organization. Dates follow the records where they exist (an internal audit done, "
            "a management review held) and the dates set in the plan."
        )
    )
    if p.warning:
        out.append(c.absent(p.warning, "Agree a later date or plan the work tighter."))
    out.append(pack_charts.plan_timeline(p.milestones, c.data.dashboard.today, c.width,
                                         c.st.accent))  # fmt: skip
    out += c.table(
        [Column("#", 0.3), Column("Milestone", 2.6), Column("Date", 1.2), Column("State", 1.0),
         Column("Where the date comes from", 2.4)],
        [(str(n), m.title, m.date.isoformat() if m.date else "Not set",
          "Done" if m.done else ("Overdue" if m.overdue else "Planned"), plan.SOURCES[m.source])
         for n, m in enumerate(p.milestones, start=1)],
    )  # fmt: skip
    return out


# documented information


def documents_section(c: Ctx) -> list[Flowable]:
    """The honest index: each entry satisfied only by a document the consultant linked, or a
    register fact that is that documented information; then the register with every attached
    file's SHA-256, so the auditor can check the copy received is the copy kept."""
    d = c.data
    entries = d.required
    counts = mandatory.counts(entries)
    missing, spared = counts["mandatory_missing"], counts["mandatory_not_required"]
    out = [*c.h1(pack_settings.SECTIONS["documents"])]
    if c.gaps:
        out.append(
            c.p(
                "The documents and records ISO/IEC 42001 expects: "
                f"{len(entries) - missing - spared} of {len(entries)} are linked to a document "
                "of the register or are a record the engagement keeps, {missing} are missing"
                + (f", {spared} not required (the SoA excludes their controls)" if spared else "")
                + ". Nothing counts because some text mentions it: each link was made by hand."
            )
        )
    else:
        out.append(
            c.p(
                "The documents and records ISO/IEC 42001 expects, each with the document of the "
                "register below, or the record of this submission, that satisfies it."
            )
        )
    out.append(Spacer(1, 3 * mm))
    columns = [
        Column("ID", 0.8),
        Column("Clause", 1.1),
        Column("What must exist", 2.7),
        Column("Satisfied by" if c.gaps else "Where it is found", 4.5),
    ]
    rows = [[e.info.id, e.info.clause, f"{e.info.artefact} ({e.info.kind})", e.state_text]
            for e in entries]  # fmt: skip
    if c.gaps:
        for row, e in zip(rows, entries, strict=True):
            row.append(_REQUIRED_STATES[e.state])
        found = c.table([*columns, Column("Status", 0.9)], rows)
        for table in found:  # missing entries stand out
            table.setStyle(
                [("TEXTCOLOR", (4, n), (4, n), ALERT) for n, row in enumerate(table._cellvalues)
                 if row[4] == "Missing"]
            )  # fmt: skip
        out += found
    else:
        out += c.table(columns, rows)
    return out + _document_register(c)


_REQUIRED_STATES = {
    "missing": "Missing", "draft_only": "Missing", "satisfied": "Found",
    "not_required": "Not required",
}  # fmt: skip


def _document_register(c: Ctx) -> list[Flowable]:
    d = c.data
    docs = d.registers.get(DOCUMENTS.key, [])
    out = [*c.h2("Document register")]
    if not docs:
        return [*out, c.p("No document is in the register yet.")]
    bad = {m.attachment.id: m for m in d.mismatches}
    files: dict[str, list[str]] = {}
    for a in d.attachments:
        check = f" FAILED ITS CHECK: {bad[a.id].reason}" if a.id in bad else ""
        files.setdefault(a.document_id, []).append(
            f"{a.name} ({a.size:,} bytes) SHA-256 {a.sha256}{check}"
        )
    if bad:
        out.append(
            c.p(
                f"{words.count(len(bad), 'attached file')} no longer "
                f"{'matches' if len(bad) == 1 else 'match'} the SHA-256 recorded when attached "
                f"({attachments.HASH_MISMATCH.id}): "
                + "; ".join(m.text for m in d.mismatches)
                + ". Attach them again from their originals."
            )
        )
    spec = DOCUMENTS.spec
    rows = [
        (i.id, str(i.values["title"]), spec["kind"].label_of(i.values["kind"]),
         str(i.values["version"]), spec["status"].label_of(i.values["status"]),
         ", ".join(x for x in (str(i.values["approved_by"]),
                               spec["approved_on"].label_of(i.values["approved_on"])) if x),
         "\n".join(files.get(i.id, ())) or str(i.values["location"]))
        for i in docs
    ]  # fmt: skip
    columns = [Column("ID", 0.8), Column("Title", 2.0), Column("Kind", 0.9)]
    columns += [Column("Version", 0.7), Column("Status", 0.9), Column("Approved", 1.4)]
    return out + c.table(
        [*columns, Column("Attached files (SHA-256), or where it lives", 4.0)], rows
    )


# scope


def scope_section(c: Ctx) -> list[Flowable]:
    d = c.data
    det = d.details
    out = [*c.h1(pack_settings.SECTIONS["scope"])]
    names = ("client", "size", "iso27001", "iso9001", "consultant", "certification_body",
             "stage1_date", "stage2_date", "aims_started_on")  # fmt: skip
    out.append(c.facts(_detail_facts(d, names)))
    out += c.h2(DETAIL_FIELDS["scope_statement"].label)
    scope = det.scope_statement.strip()
    if scope:
        out += [c.p(part.strip()) for part in scope.split("\n\n") if part.strip()]
    else:
        out.append(
            c.absent(
                "No scope statement has been recorded.",
                "Stage 1 starts from the documented scope: record it in the engagement details.",
            )
        )
    out += c.h2("AI systems and the scope")
    in_scope = [s for s in d.systems if s.in_scope]
    outside = [s for s in d.systems if not s.in_scope]
    if not d.systems:
        out.append(c.absent("The inventory holds no AI system yet.",
                            "Nothing shows what the scope covers."))  # fmt: skip
        return out
    out.append(
        c.p(
            f"{words.count(len(d.systems), 'AI system')} in the inventory: {len(in_scope):,} in "
            f"scope, {len(outside):,} left out"
            + (", listed below with the reason recorded." if outside else ".")
        )
    )
    if outside:
        spec: list[Spec] = [("id", 0.9), ("name", 2.2), (("source", "vendor"), 2.0),
                            ("out_of_scope_reason", 3.6)]  # fmt: skip
        out += c.table(
            field_columns(inventory.FIELDS, spec),
            (field_values(s, inventory.FIELDS, spec) for s in outside),
        )
    return out
