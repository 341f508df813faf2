"""The sections of the Stage 1 pack, each built from the engagement's snapshot as flowables.

Each builder makes both kinds of document: the readiness report (Ctx.gaps true) adds what
the rules find and the readiness figures; the Stage 1 submission shows the facts only.

A section is one builder in BUILDERS under the key pack_settings.SECTIONS gives it; a new area
of the engagement joins the pack as one more of each. Column headings and values come from
the services' field descriptions, so the pack reads like the window."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from app.services import words
from app.services.clauses import documented_info, requirements
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import DETAIL_FIELDS
from app.services.inventory import impact
from app.services.inventory import rules as inventory_rules
from app.services.inventory import service as inventory
from app.services.pack import charts as pack_charts
from app.services.pack import settings as pack_settings
from app.services.pack.data import PackData
from app.services.pack.style import (
    ALERT,
    Column,
    Styles,
    Wrapper,
    box_style,
    key_values,
    tables,
)
from app.services.risks import rules as risk_rules
from app.services.risks import service as risks
from app.services.soa import service as soa

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


def _names(key: str | tuple[str, ...]) -> tuple[str, ...]:
    return (key,) if isinstance(key, str) else key


def _field_columns(fields: dict[str, FieldSpec], spec: Sequence[Spec]) -> list[Column]:
    """Columns headed by the fields' own labels."""
    return [Column(" / ".join(fields[n].label for n in _names(k)), w) for k, w in spec]


def _values(row: object, fields: dict[str, FieldSpec], spec: Sequence[Spec]) -> list[str]:
    cells = []
    for key, _ in spec:
        if isinstance(key, str):
            cells.append(fields[key].label_of(getattr(row, key)))
        else:
            found = (fields[n].label_of(getattr(row, n)) for n in key)
            cells.append("\n".join(v for v in found if v))
    return cells


def _flags(rules: dict[str, str], flags: Sequence[str]) -> str:
    return "; ".join(rules[f] for f in flags)


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


def _gap_rows(d: PackData) -> list[tuple[str, str, Sequence[str]]]:
    """(area, gap, items) for every rule of every area, found or not."""
    rows: list[tuple[str, str, Sequence[str]]] = [
        ("Checklist", "No owner", [p.id for p in d.points if not p.owner.strip()]),
    ]
    if not d.systems:
        rows.append(("Inventory", "No AI system recorded at all", []))
    rows += [
        ("Inventory", label, d.inventory_findings.by_rule[rule])
        for rule, label in inventory_rules.RULES.items()
    ]
    if not any(r.kind == "risk" for r in d.risks):
        rows.append(("Risks", "No risk recorded at all", []))
    rows += [
        ("Risks", label, d.risk_findings.by_rule[rule]) for rule, label in risk_rules.RULES.items()
    ]
    if d.risk_findings.cyber_only:
        rows.append(("Risks", "Only cyber-security categories: no AI-specific risk", []))
    rows += [("SoA", label, d.soa_findings[rule]) for rule, label in soa.RULES.items()]
    return rows


def _items(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:GAP_ITEMS_SHOWN])
    more = len(ids) - GAP_ITEMS_SHOWN
    return shown + (f" … and {more:,} more, marked in their section" if more > 0 else "")


def _readiness(c: Ctx) -> list[Flowable]:
    d = c.data
    out = [*c.h1(pack_settings.SECTIONS["readiness"]), _kpis(c), Spacer(1, 4 * mm)]
    out += c.h2("Readiness by clause")
    out.append(c.note("Implemented points count fully, points in progress count half."))
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
    open_count = sum(1 for _, _, ids in gaps if ids) + sum(
        1 for _, label, ids in gaps if not ids and "at all" in label
    )
    out.append(
        c.p(
            f"{open_count} of the {len(gaps)} checks below find something an auditor will ask "
            "about; each names the items behind it."
        )
    )
    rows = [
        (area, label, f"{len(ids):,}" if ids or "at all" not in label else "—", _items(ids))
        for area, label, ids in gaps
    ]
    columns = [Column("Area", 0.9), Column("Gap", 2.6), Column("Count", 0.7)]
    out += c.table([*columns, Column("Items", 5.5)], rows)
    return out


# documented information


def _documents(c: Ctx) -> list[Flowable]:
    entries = documented_info.index(c.data)
    missing = sum(1 for e in entries if e.missing)
    out = [*c.h1(pack_settings.SECTIONS["documents"])]
    if c.gaps:
        out.append(
            c.p(
                f"The documents and records ISO/IEC 42001 expects, and what in this engagement "
                f"answers each: {len(entries) - missing} of {len(entries)} have something, "
                f"{missing} are missing. A checklist point counts when its evidence field names "
                "a document or record."
            )
        )
    else:
        out.append(
            c.p(
                "The documents and records ISO/IEC 42001 expects, each with where it is found: "
                "the registers of this submission, or the documents named as evidence."
            )
        )
    out.append(Spacer(1, 3 * mm))

    def satisfied(e: documented_info.Entry) -> str:
        lines = [f"{s.item}: {s.detail if c.gaps else documented_info.plain(s.detail)}"
                 for s in e.sources[:4]]  # fmt: skip
        if len(e.sources) > 4:
            lines.append(f"and {len(e.sources) - 4} more")
        if e.note and c.gaps:  # about AIMS Prep itself: for the consultant's client only
            lines.append(e.note)
        return "\n".join(lines) or "No reference recorded"

    columns = [
        Column("ID", 0.8),
        Column("Clause", 1.1),
        Column("What must exist", 2.7),
        Column("Satisfied by" if c.gaps else "Where it is found", 4.5),
    ]
    rows = [[e.info.id, e.info.clause, f"{e.info.artefact} ({e.info.kind})", satisfied(e)]
            for e in entries]  # fmt: skip
    if not c.gaps:
        return out + c.table(columns, rows)
    for row, e in zip(rows, entries, strict=True):
        row.append("Missing" if e.missing else "Found")
    found = c.table([*columns, Column("Status", 0.9)], rows)
    for table in found:  # missing entries stand out (one table of 33 rows: cheap)
        table.setStyle(
            [("TEXTCOLOR", (4, n), (4, n), ALERT) for n, row in enumerate(table._cellvalues)
             if row[4] == "Missing"]
        )  # fmt: skip
    return out + found


# scope


def _scope(c: Ctx) -> list[Flowable]:
    d = c.data
    det = d.details
    out = [*c.h1(pack_settings.SECTIONS["scope"])]
    names = ("client", "size", "iso27001", "iso9001", "consultant", "certification_body",
             "stage1_date", "stage2_date")  # fmt: skip
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
            _field_columns(inventory.FIELDS, spec),
            (_values(s, inventory.FIELDS, spec) for s in outside),
        )
    return out


# checklist


def _checklist(c: Ctx) -> list[Flowable]:
    d = c.data
    out = [*c.h1(pack_settings.SECTIONS["checklist"])]
    if not d.points:
        return [*out, c.p("The checklist holds no points.", c.st.alert)]
    applicable = [p for p in d.points if p.applicable]
    excluded = len(d.points) - len(applicable)
    out.append(
        c.p(
            f"{words.count(len(d.points), 'point')}, "
            + ", ".join(
                f"{sum(1 for p in applicable if p.status == s)} {label.lower()}"
                for s, label in requirements.STATUS_LABELS.items()
            )
            + (f", {excluded} under a control the SoA excludes" if excluded else "")
            + ". A point under an Annex A control shows the status of the control's SoA line. "
            + _CUT_NOTE
        )
    )
    fields = requirements.FIELDS
    spec: list[Spec] = [("status", 1.3), ("owner", 1.8), ("due_date", 1.1), ("evidence", 2.7)]
    columns = [Column("Point", 1.2), Column("Title", 2.3), *_field_columns(fields, spec)]
    by_clause: dict[str, list[requirements.PointRow]] = {}
    for p in d.points:
        by_clause.setdefault(p.clause, []).append(p)
    for clause in sorted(by_clause, key=pack_charts.clause_order):
        out += c.h2(pack_charts.clause_title(d.catalog, clause))
        rows = ([p.id, p.title, p.status_label, *_values(p, fields, spec[1:])]
                for p in by_clause[clause])  # fmt: skip
        out += c.table(columns, rows)
    return out


_CUT_NOTE = "Texts longer than a cell allows end in […]; the engagement file holds them whole."

# inventory and impact assessments

_INVENTORY_TABLES: tuple[tuple[str, tuple[Spec, ...]], ...] = (
    (
        "Systems",
        (
            ("id", 0.9), ("name", 1.7), ("business_owner", 1.4), ("role", 1.2),
            (("source", "vendor"), 1.4), ("ai_act_tier", 1.0),
            (("stage", "deployment_date"), 1.25), ("in_scope", 0.75),
        ),
    ),
    (
        "Purpose and use",
        (
            ("id", 0.9), ("description", 2.0), ("intended_use", 2.0),
            ("foreseeable_misuse", 1.6), ("affected_parties", 1.4), ("consequential", 1.0),
            (("ai_act_note", "out_of_scope_reason"), 1.6),
        ),
    ),
    (
        "Data and oversight",
        (
            ("id", 0.9), ("training_data", 1.6), ("inference_data", 1.5),
            ("data_provenance", 1.5), ("data_quality", 1.4), ("bias_checks", 1.4),
            ("human_oversight", 1.6),
        ),
    ),
)  # fmt: skip


def _inventory(c: Ctx) -> list[Flowable]:
    d = c.data
    out = [*c.h1(pack_settings.SECTIONS["inventory"], wide=True)]
    if not d.systems:
        return [
            *out,
            c.absent(
                "No AI system has been recorded.",
                "Auditors start with the inventory: every AI system the client builds, buys, "
                "finds embedded in other tools or acquired.",
            ),
        ]
    fields = inventory.FIELDS
    flags = d.inventory_findings.by_system()
    third = sum(1 for s in d.systems if s.third_party)
    gaps = f"; {len(flags):,} with a gap" if c.gaps else ""
    out.append(
        c.p(f"{words.count(len(d.systems), 'AI system')}, {third:,} of them third-party{gaps}. "
            + _CUT_NOTE)
    )  # fmt: skip
    for n, (title, spec) in enumerate(_INVENTORY_TABLES):
        out += c.h2(title)
        columns = _field_columns(fields, spec)
        rows: Iterable[Sequence[object]]
        if n == 0 and c.gaps:  # the gaps go with the first table, beside the system's name
            columns.append(Column("Gaps", 1.8))
            rows = (
                [*_values(s, fields, spec), _flags(inventory_rules.RULES, flags.get(s.id, ()))]
                for s in d.systems
            )
        else:
            rows = (_values(s, fields, spec) for s in d.systems)
        out += c.table(columns, rows)
    return out


def _impact(c: Ctx) -> list[Flowable]:
    d = c.data
    out = [*c.h1(pack_settings.SECTIONS["impact"], wide=True)]
    findings = d.inventory_findings.by_rule
    without = findings["no_assessment"]
    if c.gaps:
        out.append(
            c.p(
                f"{words.count(len(d.assessments), 'impact assessment')} recorded. "
                f"{words.count(len(without), 'AI system')} in scope without one; "
                f"{len(findings['assessed_after_deployment']):,} first assessed after "
                f"deployment; {len(findings['stale_after_change']):,} changed since the latest "
                "assessment."
            )
        )
        if without:
            out.append(c.note("In scope without an impact assessment: " + _items(without)))
    elif d.assessments:
        assessed = len({a.system_id for a in d.assessments})
        out.append(
            c.p(
                f"{words.count(len(d.assessments), 'impact assessment')} of "
                f"{words.count(assessed, 'AI system')}, each with its impacts on individuals, "
                "groups and society."
            )
        )
    if not d.assessments:
        return [*out, c.absent("No impact assessment has been recorded.", "")]
    fields, ifields = impact.FIELDS, impact.IMPACT_FIELDS
    names_by_id = {s.id: s.name for s in d.systems}
    before: list[Spec] = [(("assessed_on", "trigger"), 1.2), ("assessor", 1.1)]
    after: list[Spec] = [("treatment", 1.8), ("result", 1.5), (("approved_by", "approved_on"), 1.3)]

    def impacts(a: impact.AssessmentRow) -> str:
        return "\n".join(
            f"{ifields['scope'].label_of(i.scope)}: {i.description} "
            f"({ifields['severity'].label} {i.severity}, "
            f"{ifields['likelihood'].label} {i.likelihood})"
            for i in a.impacts
        )

    columns = [
        Column("ID", 0.9),
        Column("AI system", 1.5),
        *_field_columns(fields, before),
        Column("Impacts", 2.8),
        *_field_columns(fields, after),
    ]
    rows = (
        [
            a.id,
            f"{a.system_id} {names_by_id.get(a.system_id, '')}",
            *_values(a, fields, before),
            impacts(a),
            *_values(a, fields, after),
        ]
        for a in d.assessments
    )
    return out + c.table(columns, rows)


# risks


def _criteria(c: Ctx) -> list[Flowable]:
    crit = c.data.criteria
    out = [*c.h1(pack_settings.SECTIONS["criteria"])]
    out.append(
        c.p(
            f"A risk's score is its likelihood times its impact ({len(crit.likelihood)} x "
            f"{len(crit.impact)} levels, scores 1 to {crit.max_score}). Scores above "
            f"{crit.threshold} are not acceptable without treatment."
        )
    )
    columns = [Column("Level", 0.6), Column("Label", 1.6), Column("Meaning", 6.0)]
    for title, scale in (("Likelihood scale", crit.likelihood), ("Impact scale", crit.impact)):
        out += c.h2(title)
        out += c.table(columns, ((n, lv.label, lv.description) for n, lv in enumerate(scale, 1)))
    out += c.h2("Level bands and acceptance")
    low = 1
    rows = []
    for band in crit.bands:
        state = "Acceptable" if band.upto <= crit.threshold else "Needs treatment"
        if low <= crit.threshold < band.upto:
            state = f"Acceptable up to {crit.threshold}, treatment needed above"
        rows.append((band.name, f"{low} to {band.upto}", state))
        low = band.upto + 1
    out += c.table([Column("Band", 1.5), Column("Scores", 1.5), Column("Acceptance", 5.0)], rows)
    return out


def _rating(likelihood: int | None, impact_: int | None, score: int | None, level: str) -> str:
    if likelihood is None or impact_ is None or score is None:
        return ""
    return f"{likelihood} x {impact_} = {score}\n{level}"


def _risks(c: Ctx) -> list[Flowable]:
    d = c.data
    fields = risks.FIELDS
    out = [*c.h1(pack_settings.SECTIONS["risks"], wide=True)]
    summary = risk_rules.summary(d.risks, d.criteria, d.categories)
    if not d.risks:
        return [
            *out,
            c.absent(
                "No risk has been recorded.",
                "The register must show AI risks assessed against the criteria, not only IT "
                "security risks.",
            ),
        ]
    found = (
        f"; {summary['above_threshold']:,} live risks above the threshold, "
        f"{summary['untreated']:,} of them untreated; residual risk not accepted on "
        f"{summary['residual_unaccepted']:,}; {summary['without_owner']:,} without an owner"
    )
    out.append(
        c.p(
            f"{words.count(summary['total'], 'risk')} and "
            f"{words.count(summary['opportunities'], 'opportunity', 'opportunities')}"
            f"{found if c.gaps else ''}. Ratings read likelihood x impact = score, then the level."
        )
    )
    flags = d.risk_findings.by_risk()
    out += c.h2("Register")
    first: list[Spec] = [("title", 1.7), ("category", 1.3), ("owner", 1.3)]
    last: list[Spec] = [(("accepted_by", "accepted_on"), 1.3), ("status", 1.15)]
    columns = [
        Column("ID", 0.9),
        *_field_columns(fields, first),
        Column("Inherent", 1.2),
        *_field_columns(fields, [("treatment", 1.25)]),
        Column("Residual", 1.2),
        *_field_columns(fields, last),
        *([Column("Gaps", 1.4)] if c.gaps else []),
    ]
    rows: Iterable[Sequence[object]] = (
        [
            r.id if r.kind == "risk" else f"{r.id}\n{fields['kind'].label_of(r.kind)}",
            *_values(r, fields, first),
            _rating(r.inherent_likelihood, r.inherent_impact, r.inherent_score, r.inherent_level),
            fields["treatment"].label_of(r.treatment),
            _rating(r.residual_likelihood, r.residual_impact, r.residual_score, r.residual_level),
            *_values(r, fields, last),
            *([_flags(risk_rules.RULES, flags.get(r.id, ()))] if c.gaps else []),
        ]
        for r in d.risks
    )
    out += c.table(columns, rows)
    out += c.h2("Risk details")
    middle: list[Spec] = [
        ("description", 2.4), ("source", 1.1), ("affected_parties", 1.2),
    ]  # fmt: skip
    notes: list[Spec] = [("review_date", 1.0), (("residual_comment", "acceptance_comment"), 1.5)]
    columns = [
        Column("ID", 0.9),
        *_field_columns(fields, middle),
        Column("AI systems", 1.0),
        *_field_columns(fields, [("existing_controls", 1.4)]),
        Column("Annex A controls selected", 1.7),
        *_field_columns(fields, notes),
    ]
    rows = (
        [
            r.id,
            *_values(r, fields, middle),
            ", ".join(r.systems),
            r.existing_controls,
            "\n".join(f"{x.control_id}: {x.reason}" if x.reason else x.control_id
                      for x in r.controls),
            *_values(r, fields, notes),
        ]
        for r in d.risks
    )  # fmt: skip
    out += c.table(columns, rows)
    out += c.h2("Treatment plan")
    overdue = sum(1 for i in d.plan if i.overdue)
    late = f"; {overdue:,} overdue" if c.gaps else ""
    out.append(
        c.p(f"{words.count(len(d.plan), 'action')} by owner and due date{late}.")
        if d.plan
        else c.absent("No treatment action has been recorded.", "")
    )
    plan_rows = (
        (
            i.owner or "No owner",
            i.due_date.isoformat() if i.due_date else "",
            f"{i.risk_id} {i.risk_title}",
            i.action,
            "Done" if i.done else "Overdue" if i.overdue and c.gaps else "Open",
        )
        for i in d.plan
    )
    columns = [Column("Owner", 1.5), Column("Due date", 1.0), Column("Risk", 2.2)]
    out += c.table([*columns, Column("Action", 3.5), Column("State", 0.9)], plan_rows)
    used = {r.category for r in d.risks}
    credits = sorted({cat.attribution for cat in d.categories
                      if cat.attribution and cat.name in used})  # fmt: skip
    if credits:
        out.append(Spacer(1, 3 * mm))
        out.append(c.note("Risk categories drawn from: " + "; ".join(credits) + "."))
    return out


# Statement of Applicability


def _soa(c: Ctx) -> list[Flowable]:
    d = c.data
    fields = soa.FIELDS
    issued = d.soa_issued
    lines = d.soa_lines
    title = pack_settings.SECTIONS["soa"]
    out = [*c.h1(title if issued else f"{title} (draft)", wide=True)]
    if issued:
        banner = (
            f"Issued version {issued.number}, issued {issued.issued_on.isoformat()} and "
            f"approved by {issued.approved_by}. "
            + (
                f"The draft has {words.count(len(d.soa_changes), 'change')} since; they are listed "
                "after the table."
                if d.soa_changes
                else "The draft has not changed since."
            )
        )
    else:
        banner = (
            "DRAFT: no version of the Statement of Applicability has been issued yet. This is "
            "the working draft as it stands today."
        )
    out.append(
        Table(
            [[c.p(banner, c.st.body)]],
            colWidths=[c.width],
            style=box_style(
                ("LINEBEFORE", (0, 0), (0, -1), 3, c.st.accent if issued else ALERT),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f7f9fa")),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ),
        )
    )
    out.append(Spacer(1, 3 * mm))
    flags = soa.flags_by_control(soa.evaluate(list(lines), d.soa_selected))
    spec: list[Spec] = [(("status", "target_date"), 1.2), ("owner", 1.2), ("evidence", 1.2)]
    columns = [
        Column("Control", 0.8),
        Column("Title", 1.5),
        Column(f"{fields['decision'].label} / Reasons", 1.2),
        Column("Reason or justification", 1.7),
        *_field_columns(fields, [("implementation", 2.2)]),
        *_field_columns(fields, spec),
        Column("Selected by risks", 0.9),
        *([Column("Gaps", 1.2)] if c.gaps else []),
    ]
    rows = (
        [
            x.control_id,
            x.title,
            "\n".join(v for v in (fields["decision"].label_of(x.decision), x.reasons()) if v),
            x.justification if x.decision == "excluded" else x.reason_text,
            x.implementation if x.decision == "included" else "",
            *_values(x, fields, spec),
            _items([rid for rid, _ in d.soa_selected.get(x.control_id, ())]),
            *([_flags(soa.RULES, flags.get(x.control_id, ()))] if c.gaps else []),
        ]
        for x in lines
    )
    out += c.table(columns, rows)
    if issued and d.soa_changes:
        out += c.h2(f"Changes in the draft since version {issued.number}")
        change_cols = [Column("Control", 0.9), Column("Field", 1.8), Column("Was", 3.0),
                       Column("Now", 3.0)]  # fmt: skip
        out += c.table(change_cols, ((x.control_id, x.field, x.old, x.new) for x in d.soa_changes))
    return out


BUILDERS: dict[str, Callable[[Ctx], list[Flowable]]] = {
    "readiness": _readiness,
    "documents": _documents,
    "scope": _scope,
    "checklist": _checklist,
    "inventory": _inventory,
    "impact": _impact,
    "criteria": _criteria,
    "risks": _risks,
    "soa": _soa,
}
assert BUILDERS.keys() == pack_settings.SECTIONS.keys(), "one builder per section"
