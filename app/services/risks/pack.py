"""The risk criteria and the risk register with its treatment plan in the pack."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Spacer,
)

from app.services import words
from app.services.engagement import approvals
from app.services.pack import settings as pack_settings
from app.services.pack.blocks import (
    Ctx,
    Spec,
    field_columns,
    field_values,
    flag_text,
)
from app.services.pack.style import (
    Column,
)
from app.services.risks import rules as risk_rules
from app.services.risks import service as risks

# risks


def criteria_section(c: Ctx) -> list[Flowable]:
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
    out += _approval(c, "risk_criteria")
    return out


def _approval(c: Ctx, subject: str) -> list[Flowable]:
    """The approval's sentence; a missing one is a gap, said only where gaps are."""
    found = c.data.approvals.get(subject)
    f = c.data.risk_findings
    holds = f.criteria_approved if subject == "risk_criteria" else f.plan_approved
    if not (found is not None and holds) and not c.gaps:
        return []
    return [Spacer(1, 3 * mm), c.p(_approval_text(c, subject))]


def _approval_text(c: Ctx, subject: str) -> str:
    """Who approved the criteria or the plan; said plainly when nobody did (or it changed)."""
    what = approvals.SUBJECTS[subject]
    found = c.data.approvals.get(subject)
    f = c.data.risk_findings
    holds = f.criteria_approved if subject == "risk_criteria" else f.plan_approved
    if found is not None and holds:
        return f"{what} approved by {found.text()}." + (f" {found.note}" if found.note else "")
    if found is not None:
        return f"{what} approved by {found.text()}, but changed since: not approved as they stand."
    return f"{what}: not approved by management yet."


def _rating(likelihood: int | None, impact_: int | None, score: int | None, level: str) -> str:
    if likelihood is None or impact_ is None or score is None:
        return ""
    return f"{likelihood} x {impact_} = {score}\n{level}"


def risks_section(c: Ctx) -> list[Flowable]:
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
        f"{summary['residual_unaccepted']:,}; {summary['without_owner']:,} without an owner; "
        f"{summary['treatment_without_control_or_action']:,} treated with no control or action, "
        f"residual not rated on {summary['residual_not_rated']:,}, "
        f"{summary['review_overdue']:,} past their review date, "
        f"{words.count(summary['actions_overdue'], 'action')} overdue, "
        f"{words.count(summary['opportunities_without_action'], 'opportunity', 'opportunities')}"
        " with no action"
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
        *field_columns(fields, first),
        Column("Inherent", 1.2),
        *field_columns(fields, [("treatment", 1.25)]),
        Column("Residual", 1.2),
        *field_columns(fields, last),
        *([Column("Gaps", 1.4)] if c.gaps else []),
    ]
    rows: Iterable[Sequence[object]] = (
        [
            r.id if r.kind == "risk" else f"{r.id}\n{fields['kind'].label_of(r.kind)}",
            *field_values(r, fields, first),
            _rating(r.inherent_likelihood, r.inherent_impact, r.inherent_score, r.inherent_level),
            fields["treatment"].label_of(r.treatment),
            _rating(r.residual_likelihood, r.residual_impact, r.residual_score, r.residual_level),
            *field_values(r, fields, last),
            *([flag_text(risk_rules.RULES, flags.get(r.id, ()))] if c.gaps else []),
        ]
        for r in d.risks
    )
    out += c.table(columns, rows)
    out += c.h2("Risk details")
    middle: list[Spec] = [
        ("description", 1.8), ("source", 1.1), ("affected_parties", 1.2),
    ]  # fmt: skip
    notes: list[Spec] = [
        ("assessed_on", 0.9), ("review_date", 0.9),
        (("residual_comment", "acceptance_comment"), 1.5),
    ]  # fmt: skip
    columns = [
        Column("ID", 0.9),
        *field_columns(fields, middle),
        Column("AI systems", 1.0),
        *field_columns(fields, [("existing_controls", 1.1)]),
        Column("Annex A controls selected", 1.7),
        *field_columns(fields, notes),
    ]
    rows = (
        [
            r.id,
            *field_values(r, fields, middle),
            ", ".join(r.systems),
            r.existing_controls,
            "\n".join(f"{x.control_id}: {x.reason}" if x.reason else x.control_id
                      for x in r.controls),
            *field_values(r, fields, notes),
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
    out += _approval(c, "treatment_plan")
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
