"""The pack's own sections (the cover, the readiness summary, the documented information and
the scope), each built from the engagement's snapshot as flowables; each area builds its own
section in its package, and the registry puts them in order.

Each builder makes both kinds of document: the readiness report (Ctx.gaps true) adds what
the rules find and the readiness figures; the Stage 1 submission shows the facts only."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
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

from app.services import registry, words
from app.services.clauses import requirements
from app.services.context import climate
from app.services.documents import attachments, mandatory
from app.services.documents.register import DOCUMENTS
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import DETAIL_FIELDS
from app.services.evaluation import audit_rules, reviews
from app.services.gaps import SEVERITIES, GapRule
from app.services.inventory import rules as inventory_rules
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
from app.services.people import authority
from app.services.people import competence as people_rules
from app.services.risks import rules as risk_rules
from app.services.soa import service as soa

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
    implemented = sum(1 for p in d.points if p.status == "implemented")
    systems_flagged = len(d.inventory_findings.by_system())
    live = [r for r in d.risks if r.kind == "risk" and r.status != "closed"]
    above = sum(1 for r in live if d.criteria.above(r.inherent_score))
    included = sum(1 for x in d.soa_draft if x.decision == "included")
    issued = d.soa_issued
    tiles = [
        (f"{d.readiness:g}%", "readiness of the checklist"),
        (f"{implemented}/{len(d.points)}", "checklist points implemented"),
        (f"{len(d.systems):,}", f"AI systems, {systems_flagged:,} with gaps"),
        (f"{len(live):,}", f"live risks, {above:,} above the threshold"),
        (f"{included}/{len(d.soa_draft)}", "controls included"),
        (f"v{issued.number}" if issued else "Draft", "SoA issued" if issued else "SoA not issued"),
    ]
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


@dataclass(frozen=True)
class _Gap:
    area: str
    rule: GapRule
    items: Sequence[str]
    whole: bool = False  # about the engagement as a whole (an empty register), not items
    note: str = ""  # what a rule about the whole says of this engagement, in the Items column

    @property
    def found(self) -> bool:
        return self.whole or bool(self.items)


def _gap_rows(d: PackData) -> list[_Gap]:
    """Every rule of every area, found or not, with the items behind it."""
    found = {p.id: p.gaps() for p in d.points}
    rows = [
        _Gap("Checklist", rule, [pid for pid, gaps in found.items() if rule in gaps])
        for rule in requirements.RULES
    ]
    if not d.systems:
        rows.append(_Gap("Inventory", inventory_rules.EMPTY, [], whole=True))
    rows += [
        _Gap("Inventory", rule, d.inventory_findings.by_rule[key])
        for key, rule in inventory_rules.RULES.items()
    ]
    if not any(r.kind == "risk" for r in d.risks):
        rows.append(_Gap("Risks", risk_rules.EMPTY, [], whole=True))
    rows += [
        _Gap("Risks", rule, d.risk_findings.by_rule[key]) for key, rule in risk_rules.RULES.items()
    ]
    rows += [  # cyber-only, criteria and plan not approved
        _Gap("Risks", rule, [], True, d.risk_findings.whole_text(rule))
        for rule, found in d.risk_findings.whole_found().items() if found
    ]  # fmt: skip
    rows += [_Gap("SoA", rule, d.soa_findings[key]) for key, rule in soa.RULES.items()]
    if d.last_review is None:
        rows.append(_Gap("Management reviews", reviews.NONE_HELD, [], whole=True))
    for reg in registry.DESCRIBED:  # every rule of every described register
        items = d.registers.get(reg.key, [])
        rows += [_Gap(reg.name, r, [i.id for i in items if r.found_in(i)]) for r in reg.rules]
    performance = d.people.performance_gap
    rows.append(_Gap("People", people_rules.NO_PERFORMANCE_ROLE, [], whole=performance))
    rows.append(_Gap("Context", climate.RULE, [], whole=not d.climate.considered))
    rows.append(
        _Gap(
            "Documents", attachments.HASH_MISMATCH, [m.attachment.document_id for m in d.mismatches]
        )
    )
    missing = [e.info.id for e in d.required if e.state in ("missing", "draft_only")]
    rows.append(_Gap("Documents", mandatory.MISSING, missing))
    rows += [  # sign-offs without the authority
        _Gap("People", rule, [f.label for f in d.without_authority if f.subject == key])
        for key, rule in authority.RULES.items()
    ]
    rows += audit_gap_rows(d.audit_findings)
    return rows


def audit_gap_rows(found: audit_rules.Findings | None) -> list[_Gap]:
    """The internal audit's rules: the whole-engagement ones when found, then the
    programmes with clauses or controls not covered and the lines audited by their owner."""
    if found is None:
        return []
    notes = {audit_rules.AI_NOT_COVERED: "Not covered: " + ", ".join(found.ai_missing)}
    rows = [
        _Gap("Internal audit", r, [], whole=True, note=notes.get(r, ""))
        for r, hit in found.whole().items()
        if hit
    ]
    rows.append(_Gap("Internal audit", audit_rules.NOT_COVERED, list(found.not_covered)))
    lines = [i for ids in found.not_independent.values() for i in ids]
    rows.append(_Gap("Internal audit", audit_rules.NOT_INDEPENDENT, lines))
    return rows


def readiness_section(c: Ctx) -> list[Flowable]:
    d = c.data
    out = [*c.h1(pack_settings.SECTIONS["readiness"]), _kpis(c), Spacer(1, 4 * mm)]
    out += c.h2("Readiness by clause")
    out.append(c.note(requirements.READINESS_RULE))
    out.append(pack_charts.readiness_bars(d.readiness_by_clause, d.catalog, c.width, c.st.accent))
    out += c.h2("Risk heat map")
    out.append(
        c.note(
            "Live risks by likelihood (up) and impact (across). Residual places a treated risk "
            "at its residual rating, an untreated one where it is. "
            f"Acceptance threshold: scores above {d.criteria.threshold}."
        )
    )
    out.append(pack_charts.heat_maps(d.risks, d.criteria, c.width))
    out += c.h2("Statement of Applicability decisions")
    lines = d.soa_draft
    out.append(c.note("The draft as it stands today, whether or not a version was issued."))
    out.append(pack_charts.soa_decisions(lines, c.width, c.st.accent))
    out += c.h2("Open gaps")
    gaps = _gap_rows(d)
    open_count = sum(1 for g in gaps if g.found)
    out.append(
        c.p(
            f"{open_count} of the {len(gaps)} checks below find something an auditor will ask "
            "about; each names the items behind it."
        )
    )
    rows = [
        (g.area, g.rule.label, g.rule.ref, SEVERITIES[g.rule.severity],
         "—" if g.whole else f"{len(g.items):,}", g.note or item_list(g.items))
        for g in gaps
    ]  # fmt: skip
    columns = [Column("Area", 0.9), Column("Gap", 2.6), Column("Clause", 0.6)]
    columns += [Column("Severity", 0.8), Column("Count", 0.6)]
    out += c.table([*columns, Column("Items", 4.2)], rows)
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
