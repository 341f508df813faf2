"""What auditors find in a risk register, computed from it: risks above the threshold with no
treatment, residual risk nobody accepted or nobody rated, treatments with nothing behind them,
risks nobody owns or nobody reassessed in time, overdue actions, opportunities nobody acts on,
a register of cyber risks only, and criteria or a treatment plan management never approved.
Also the heat map and the treatment plan, which are views of the same rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.services.engagement import approvals
from app.services.engagement.file import EngagementFile
from app.services.gaps import GapRule
from app.services.risks import service as risks
from app.services.risks.criteria import DEFAULT, Criteria
from app.services.risks.service import Category, RiskRow

RULES = {
    "untreated": GapRule(
        "RSK-01", "Above the acceptance threshold with no treatment decided", "6.1.3", "major",
        todo="Decide how the risk is treated (modify, avoid, share or retain) and name the "
        "controls or actions behind it (Risks tab, Treatment).",
    ),
    "residual_unaccepted": GapRule(
        "RSK-02", "Treated, residual still above the threshold, and not accepted", "6.1.3",
        "major",
        todo="Treat the risk further, or have someone with the authority accept what is left "
        "(Residual risk accepted by, Accepted on).",
    ),
    "without_owner": GapRule(
        "RSK-03", "No risk owner", "6.1.2", "minor",
        todo="Name the person accountable for managing the risk (Risks tab, Risk owner).",
    ),
    "treatment_without_control_or_action": GapRule(
        "RSK-07", "Treatment chosen, but no control and no action behind it", "6.1.3", "major",
        todo="Link the controls that treat the risk or plan the actions (Risks tab, Systems, "
        "controls and actions…).",
    ),
    "residual_not_rated": GapRule(
        "RSK-08", "Treated, residual not rated", "6.1.3", "minor",
        todo="Rate the likelihood and impact left once the treatment works (Residual "
        "likelihood and impact).",
    ),
    "review_overdue": GapRule(
        "RSK-09", "Past its review date and not reassessed since", "8.2", "minor",
        todo="Reassess the risk, then update its Assessed on date and set the next Review date.",
    ),
    "actions_overdue": GapRule(
        "RSK-10", "A treatment action is overdue", "8.3", "minor",
        todo="Finish the action and mark it done, or agree a new due date with its owner "
        "(Risks tab, Treatment plan).",
    ),
    "category_unclassified": GapRule(
        "RSK-11", "Category not classified AI-specific or not", "6.1.2", "observation",
        todo="Say whether the category is AI-specific (Risks tab, AI-specific or Not "
        "AI-specific).",
    ),
    "opportunity_without_action": GapRule(
        "RSK-12", "Opportunity with no action planned", "6.1.1", "minor",
        todo="Plan at least one action to take up the opportunity, with an owner and a due "
        "date, or close it.",
    ),
}  # fmt: skip
EMPTY = GapRule(
    "RSK-00", "No risk recorded at all", "6.1.2", "major",
    todo="Assess the risks of the AI systems in scope and record them (Risks tab, Add risk).",
)  # fmt: skip
CYBER_ONLY = GapRule(
    "RSK-04",
    "Only cyber-security categories, or AI-specific ones on a token share of the risks",
    "6.1.2",
    "major",
    todo="Assess the risks particular to AI (bias, opacity, misuse, drift, harm to people) "
    "under AI-specific categories (Risks tab, Categories…).",
)  # fmt: skip
CRITERIA_UNAPPROVED = GapRule(
    "RSK-05", "Risk criteria not approved by management", "6.1.2", "minor",
    todo="Adapt the scales and threshold to the client and record management's approval "
    "(Risks tab, Criteria…).",
)  # fmt: skip
PLAN_UNAPPROVED = GapRule(
    "RSK-06", "Risk treatment plan not approved by management", "6.1.3", "major",
    todo="Have management approve the plan (Risks tab, Treatment plan).",
)  # fmt: skip
TOKEN_SHARE = 10.0  # AI-specific categories on fewer live risks than this (percent): cyber-only
_ACTING = {"modify", "avoid", "share"}  # treatments that need something done


def _live(row: RiskRow) -> bool:
    return row.kind == "risk" and row.status != "closed"


@dataclass(frozen=True)
class Signoff:
    """What management approved, as the rules read it."""

    criteria_approved: bool = False
    plan_approved: bool = False


def signoff(ef: EngagementFile) -> Signoff:
    """The approvals in force (the criteria's only while the criteria are the version that
    was approved)."""
    return Signoff(
        approvals.is_approved(ef, "risk_criteria", risks.criteria_version(ef)),
        approvals.is_approved(ef, "treatment_plan"),
    )


def _overdue(action: risks.Action, today: dt.date) -> bool:
    return not action.done and action.due_date is not None and action.due_date < today


@dataclass(frozen=True)
class Findings:
    by_rule: dict[str, tuple[str, ...]]
    cyber_only: bool
    ai_share: float | None = None  # percent of live risks in AI-specific categories
    criteria_approved: bool = False
    criteria_default: bool = False  # the app's criteria, never adapted
    plan_approved: bool = False
    plan_needed: bool = False  # some treatment or action decided: a plan to approve
    actions_overdue: int = 0

    @property
    def criteria_gap(self) -> bool:
        return not self.criteria_approved

    @property
    def plan_gap(self) -> bool:
        return self.plan_needed and not self.plan_approved

    def whole_found(self) -> dict[GapRule, bool]:
        """Each rule about the register as a whole, and whether it is found."""
        return {
            CYBER_ONLY: self.cyber_only,
            CRITERIA_UNAPPROVED: self.criteria_gap,
            PLAN_UNAPPROVED: self.plan_gap,
        }

    def whole_text(self, rule: GapRule) -> str:
        """What a rule about the whole register says of this one, in a sentence."""
        if rule is CYBER_ONLY:
            share = f"{self.ai_share:g}%" if self.ai_share is not None else "none"
            return (
                f"AI-specific categories on {share} of the live risks (under "
                f"{TOKEN_SHARE:g}% reads as a cyber-only register)."
            )
        if rule is CRITERIA_UNAPPROVED:
            return (
                "The app's default criteria, never adapted to the client nor approved."
                if self.criteria_default
                else "No management approval of the criteria in force (changed since, or "
                "never approved)."
            )
        return "Nobody in management has signed it off yet."

    def flags_for(self, risk_id: str) -> list[str]:
        return [rule for rule, ids in self.by_rule.items() if risk_id in ids]

    def by_risk(self) -> dict[str, list[str]]:
        flags: dict[str, list[str]] = {}
        for rule, ids in self.by_rule.items():
            for risk_id in ids:
                flags.setdefault(risk_id, []).append(rule)
        return flags


def evaluate(
    rows: Sequence[RiskRow],
    criteria: Criteria,
    categories: Sequence[Category],
    approved: Signoff | None = None,
    today: dt.date | None = None,
) -> Findings:
    """Every rule over the register; `approved` says what management signed off (nothing
    when not given), `today` the day overdue dates are counted from."""
    today = today or dt.date.today()
    approved = approved or Signoff()
    found: dict[str, list[str]] = {rule: [] for rule in RULES}
    unclassified = {c.name for c in categories if not c.classified}
    overdue_actions = 0
    for r in rows:
        late = sum(1 for a in r.actions if _overdue(a, today))
        overdue_actions += late
        if late:
            found["actions_overdue"].append(r.id)
        if r.status == "closed":
            continue
        if r.category in unclassified:
            found["category_unclassified"].append(r.id)
        if r.kind == "opportunity" and not r.actions:
            found["opportunity_without_action"].append(r.id)
        if r.kind != "risk":
            continue
        _risk_rules(r, criteria, today, found)
    live = [r for r in rows if _live(r)]
    ai_names = {c.name for c in categories if c.ai_specific and c.classified}
    ai = sum(1 for r in live if r.category in ai_names)
    undecided = sum(1 for r in live if r.category in unclassified)
    share = round(100.0 * ai / len(live), 1) if live else None
    # a category nobody classified yet is not taken for a cyber one (RSK-11 asks about it)
    cyber_only = bool(live) and 100.0 * (ai + undecided) / len(live) < TOKEN_SHARE
    return Findings(
        {rule: tuple(ids) for rule, ids in found.items()},
        cyber_only,
        share,
        approved.criteria_approved,
        criteria == DEFAULT,
        approved.plan_approved,
        any(r.treatment or r.actions for r in rows if r.status != "closed"),
        overdue_actions,
    )


def _risk_rules(
    r: RiskRow, criteria: Criteria, today: dt.date, found: dict[str, list[str]]
) -> None:
    """The rules of one live risk (not an opportunity)."""
    if not r.owner.strip():
        found["without_owner"].append(r.id)
    if r.treatment in _ACTING and not r.controls and not r.actions:
        found["treatment_without_control_or_action"].append(r.id)
    # a retained risk keeps its inherent rating; the other treatments need a residual one
    rated = r.residual_score is not None or r.treatment == "retain"
    if r.treatment in _ACTING and r.residual_score is None:
        found["residual_not_rated"].append(r.id)
    if (
        r.review_date is not None
        and r.review_date < today
        and not (r.assessed_on is not None and r.assessed_on >= r.review_date)
    ):
        found["review_overdue"].append(r.id)
    if not criteria.above(r.inherent_score):
        return
    if not r.treatment:
        found["untreated"].append(r.id)
    elif rated and criteria.above(r.current_score) and not r.accepted_by:
        found["residual_unaccepted"].append(r.id)


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
    rows: Sequence[RiskRow],
    criteria: Criteria,
    categories: Sequence[Category],
    approved: Signoff | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    findings = evaluate(rows, criteria, categories, approved, today)
    live = [r for r in rows if _live(r)]
    levels = Counter(r.inherent_level for r in live)
    count = {rule: len(ids) for rule, ids in findings.by_rule.items()}
    used = {r.category for r in rows if r.status != "closed"}
    return {
        "total": len([r for r in rows if r.kind == "risk"]),
        "opportunities": len([r for r in rows if r.kind == "opportunity"]),
        "above_threshold": sum(1 for r in live if criteria.above(r.inherent_score)),
        "untreated": count["untreated"],
        "residual_unaccepted": count["residual_unaccepted"],
        "without_owner": count["without_owner"],
        "by_level": {band.name.lower(): levels.get(band.name, 0) for band in criteria.bands},
        "cyber_only": findings.cyber_only,
        "ai_specific_percent": findings.ai_share,
        "treatment_without_control_or_action": count["treatment_without_control_or_action"],
        "residual_not_rated": count["residual_not_rated"],
        "review_overdue": count["review_overdue"],
        "actions_overdue": findings.actions_overdue,  # actions, on this many risks:
        "risks_with_actions_overdue": count["actions_overdue"],
        "unclassified_categories": sum(
            1 for c in categories if not c.classified and c.name in used
        ),
        "opportunities_without_action": count["opportunity_without_action"],
        "criteria_approved": findings.criteria_approved,
        "criteria_default": findings.criteria_default,
        "plan_approved": findings.plan_approved,
    }
