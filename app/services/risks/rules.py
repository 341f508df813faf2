"""What auditors find in a risk register, computed from it: risks above the threshold with no
treatment, residual risk nobody accepted, risks nobody owns, and a register of cyber risks only.
Also the heat map and the treatment plan, which are views of the same rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.services.gaps import GapRule
from app.services.risks.criteria import Criteria
from app.services.risks.service import Category, RiskRow

RULES = {
    "untreated": GapRule(
        "RSK-01", "Above the acceptance threshold with no treatment decided", "6.1.3", "major"
    ),
    "residual_unaccepted": GapRule(
        "RSK-02",
        "Treated, residual still above the threshold, and not accepted",
        "6.1.3",
        "major",
    ),
    "without_owner": GapRule("RSK-03", "No risk owner", "6.1.2", "minor"),
}
EMPTY = GapRule("RSK-00", "No risk recorded at all", "6.1.2", "major")
CYBER_ONLY = GapRule(
    "RSK-04", "Only cyber-security categories: no AI-specific risk", "6.1.2", "major"
)


def _live(row: RiskRow) -> bool:
    return row.kind == "risk" and row.status != "closed"


@dataclass(frozen=True)
class Findings:
    by_rule: dict[str, tuple[str, ...]]
    cyber_only: bool

    def flags_for(self, risk_id: str) -> list[str]:
        return [rule for rule, ids in self.by_rule.items() if risk_id in ids]

    def by_risk(self) -> dict[str, list[str]]:
        flags: dict[str, list[str]] = {}
        for rule, ids in self.by_rule.items():
            for risk_id in ids:
                flags.setdefault(risk_id, []).append(rule)
        return flags


def evaluate(
    rows: Sequence[RiskRow], criteria: Criteria, categories: Sequence[Category]
) -> Findings:
    found: dict[str, list[str]] = {rule: [] for rule in RULES}
    for r in rows:
        if not _live(r):
            continue
        if not r.owner.strip():
            found["without_owner"].append(r.id)
        if not criteria.above(r.inherent_score):
            continue
        if not r.treatment:
            found["untreated"].append(r.id)
        elif criteria.above(r.current_score) and not r.accepted_by:
            found["residual_unaccepted"].append(r.id)
    ai_names = {c.name for c in categories if c.ai_specific}
    risks = [r for r in rows if r.kind == "risk"]
    cyber_only = bool(risks) and not any(r.category in ai_names for r in risks)
    return Findings({rule: tuple(ids) for rule, ids in found.items()}, cyber_only)


def heat_map(rows: Sequence[RiskRow], residual: bool = False) -> dict[tuple[int, int], list[str]]:
    """Risk IDs by (likelihood, impact) cell; residual uses the residual rating where there is
    one and the inherent rating otherwise (an untreated risk stays where it is)."""
    cells: dict[tuple[int, int], list[str]] = {}
    for r in rows:
        if not _live(r):
            continue
        if residual and r.residual_likelihood is not None and r.residual_impact is not None:
            cell = (r.residual_likelihood, r.residual_impact)
        else:
            cell = (r.inherent_likelihood, r.inherent_impact)
        cells.setdefault(cell, []).append(r.id)
    return cells


@dataclass(frozen=True)
class PlanItem:
    risk_id: str
    risk_title: str
    action: str
    owner: str
    due_date: dt.date | None
    done: bool
    overdue: bool


def treatment_plan(rows: Sequence[RiskRow], today: dt.date | None = None) -> list[PlanItem]:
    """Every treatment action, by owner then due date; open ones past their date are overdue."""
    today = today or dt.date.today()
    items = [
        PlanItem(r.id, r.title, a.action, a.owner, a.due_date, a.done,
                 not a.done and a.due_date is not None and a.due_date < today)
        for r in rows
        for a in r.actions
    ]  # fmt: skip
    return sorted(items, key=lambda i: (i.owner.lower(), i.due_date or dt.date.max, i.risk_id))


def summary(
    rows: Sequence[RiskRow], criteria: Criteria, categories: Sequence[Category]
) -> dict[str, Any]:
    findings = evaluate(rows, criteria, categories)
    risks = [r for r in rows if _live(r)]
    levels = Counter(r.inherent_level for r in risks)
    return {
        "total": len([r for r in rows if r.kind == "risk"]),
        "opportunities": len([r for r in rows if r.kind == "opportunity"]),
        "above_threshold": sum(1 for r in risks if criteria.above(r.inherent_score)),
        "untreated": len(findings.by_rule["untreated"]),
        "residual_unaccepted": len(findings.by_rule["residual_unaccepted"]),
        "without_owner": len(findings.by_rule["without_owner"]),
        "by_level": {band.name.lower(): levels.get(band.name, 0) for band in criteria.bands},
        "cyber_only": findings.cyber_only,
    }
