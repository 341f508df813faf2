"""The inventory and the impact assessments in the pack."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportlab.platypus import (
    Flowable,
)

from app.services import words
from app.services.inventory import impact
from app.services.inventory import rules as inventory_rules
from app.services.inventory import service as inventory
from app.services.pack import settings as pack_settings
from app.services.pack.blocks import (
    CUT_NOTE,
    Ctx,
    Spec,
    field_columns,
    field_values,
    flag_text,
    item_list,
)
from app.services.pack.style import (
    Column,
)

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


def inventory_section(c: Ctx) -> list[Flowable]:
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
            + CUT_NOTE)
    )  # fmt: skip
    for n, (title, spec) in enumerate(_INVENTORY_TABLES):
        out += c.h2(title)
        columns = field_columns(fields, spec)
        rows: Iterable[Sequence[object]]
        if n == 0 and c.gaps:  # the gaps go with the first table, beside the system's name
            columns.append(Column("Gaps", 1.8))
            rows = (
                [
                    *field_values(s, fields, spec),
                    flag_text(inventory_rules.RULES, flags.get(s.id, ())),
                ]
                for s in d.systems
            )
        else:
            rows = (field_values(s, fields, spec) for s in d.systems)
        out += c.table(columns, rows)
    return out


def impact_section(c: Ctx) -> list[Flowable]:
    d = c.data
    out = [*c.h1(pack_settings.SECTIONS["impact"], wide=True)]
    findings = d.inventory_findings.by_rule
    without = findings["no_assessment"]
    if c.gaps:

        def n(rule: str) -> str:
            return f"{len(findings[rule]):,}"

        out.append(
            c.p(
                f"{words.count(len(d.assessments), 'impact assessment')} recorded; only an "
                "approved one with its impacts, result and treatment counts as done. "
                f"{words.count(len(without), 'live AI system')} in scope without a completed "
                f"one; {n('not_live_without_assessment')} still to assess before go-live; "
                f"{n('assessed_after_deployment')} first assessed after deployment; "
                f"{n('stale_after_change')} changed since the latest assessment; "
                f"{n('periodic_overdue')} due for reassessment (every "
                f"{words.count(d.criteria.reassessment_months, 'month')}); "
                f"{n('unapproved')} whose latest assessment is not approved and {n('empty')} "
                f"whose latest lacks impacts, a result or a treatment; "
                f"{n('severe_without_risk')} with a severe impact and no risk on the system."
            )
        )
        if without:
            out.append(c.note("Live without a completed impact assessment: " + item_list(without)))
        if d.inventory_findings.need_start_date:
            out.append(c.note(inventory_rules.NO_START_DATE))
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

    scales = {name: impact.scale_of(d.criteria, name) for name in ("severity", "likelihood")}

    def rated(name: str, value: int) -> str:
        labels = scales[name]
        shown = f" {labels[value - 1]}" if 1 <= value <= len(labels) else ""
        return f"{ifields[name].label} {value}{shown}"

    def impacts(a: impact.AssessmentRow) -> str:
        return "\n".join(
            f"{ifields['scope'].label_of(i.scope)}: {i.description} "
            f"({rated('severity', i.severity)}, {rated('likelihood', i.likelihood)})"
            for i in a.impacts
        )

    columns = [
        Column("ID", 0.9),
        Column("AI system", 1.5),
        *field_columns(fields, before),
        Column("Impacts", 2.8),
        *field_columns(fields, after),
    ]
    rows = (
        [
            a.id,
            f"{a.system_id} {names_by_id.get(a.system_id, '')}",
            *field_values(a, fields, before),
            impacts(a),
            *field_values(a, fields, after),
        ]
        for a in d.assessments
    )
    return out + c.table(columns, rows)
