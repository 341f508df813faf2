"""The internal audit in the pack: the programme and what it has covered, the audits with
their results, and the findings (nonconformities, observations, opportunities)."""

from __future__ import annotations

from collections import Counter

from reportlab.platypus import Flowable

from app.services import words
from app.services.evaluation import audit_rules
from app.services.evaluation.audits import AUDITS, LINES, PROGRAMMES, RESULTS
from app.services.pack import settings as pack_settings
from app.services.pack.blocks import Ctx
from app.services.pack.style import Column
from app.services.registers.pack import register_table, summary_line
from app.services.registers.service import split_ids

# what the pack lists line by line: the findings, not the conforming lines
_FINDINGS = ("major", "minor", "observation", "improvement")


def audit_section(c: Ctx) -> list[Flowable]:
    d = c.data
    found = d.audit_findings or audit_rules.Findings(0, 0, True, ())
    out = [*c.h1(pack_settings.SECTIONS["internal_audit"], wide=True)]
    programmes = d.registers.get(PROGRAMMES.key, [])
    audits = d.registers.get(AUDITS.key, [])
    lines = d.registers.get(LINES.key, [])
    out += c.h2(f"{PROGRAMMES.name} (clause {PROGRAMMES.clause})")
    if programmes:
        out.append(c.p(summary_line(PROGRAMMES, programmes, False) + "."))
    out += register_table(c, PROGRAMMES, programmes)
    for prg in programmes:
        missing = found.not_covered.get(prg.id, ())
        if missing:
            out.append(
                c.absent(
                    f"{prg.id}: not audited yet in its period: {', '.join(missing)}.",
                    f"Plan audits that reach them ({audit_rules.NOT_COVERED.id}).",
                )
            )
        else:
            out.append(c.p(f"{prg.id}: every clause and control it names was audited."))
    out += c.h2(f"{AUDITS.name} (clause {AUDITS.clause})")
    if audits:
        out.append(
            c.p(
                f"{summary_line(AUDITS, audits, False)}: {found.done} done, "
                f"{found.planned} planned."
            )
        )
    out += register_table(c, AUDITS, audits)
    out += c.h2("Results by audit")
    by_audit: dict[str, Counter[str]] = {}
    for line in lines:
        by_audit.setdefault(str(line.values["audit"]), Counter())[str(line.values["result"])] += 1
    columns = [Column("Audit", 0.9), Column("Lines", 0.6)]
    columns += [Column(label, 0.9) for label in RESULTS.values()]
    rows = [
        [a.id, f"{sum(by_audit.get(a.id, Counter()).values()):,}"]
        + [f"{by_audit.get(a.id, Counter())[k]:,}" for k in RESULTS]
        for a in audits
    ]
    out += c.table(columns, rows) if rows else [c.p("No audits recorded.")]
    out += c.h2("Findings")
    shown = [line for line in lines if line.values["result"] in _FINDINGS]
    if shown:
        out.append(c.p(words.count(len(shown), "finding") + " (conforming lines left out)."))
        spec = LINES.spec
        out += c.table(
            [Column("Line", 0.9), Column("Point or control", 0.8), Column("Checklist line", 2.0),
             Column("Result", 1.1), Column("Notes", 3.0), Column("Evidence", 0.9)],
            [[i.id, str(i.values["ref"]), str(i.values["title"]),
              spec["result"].label_of(i.values["result"]), str(i.values["notes"]),
              ", ".join(split_ids(i.values["evidence"]))] for i in shown],
        )  # fmt: skip
    else:
        out.append(c.p("No nonconformity, observation or opportunity recorded."))
    out += c.h2("Coverage of the AI-specific requirements")
    if found.ai_covered:
        out.append(
            c.p(
                "Audits done before the target Stage 1 date covered clauses "
                f"{', '.join(audit_rules.AI_CLAUSES)} and Annex A controls."
            )
        )
    else:
        out.append(
            c.absent(
                f"Not yet covered by an audit done before Stage 1: {', '.join(found.ai_missing)}.",
                f"Auditors look for these first ({audit_rules.AI_NOT_COVERED.id}).",
            )
        )
    if found.no_audit_before_stage1:
        out.append(
            c.absent(
                "No internal audit was done before the target Stage 1 date.",
                f"Hold one ({audit_rules.NO_AUDIT.id}).",
            )
        )
    if c.gaps and found.not_independent:
        flagged = ", ".join(i for ids in found.not_independent.values() for i in ids[:30])
        out.append(
            c.absent(
                f"{words.count(found.not_independent_count, 'line')} audited by the owner of "
                f"what it covers: {flagged}.",
                f"Give them another auditor ({audit_rules.NOT_INDEPENDENT.id}).",
            )
        )
    return out
