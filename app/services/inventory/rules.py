"""The inventory and impact assessment gaps auditors look for, computed from the data.

Each rule returns the IDs of the systems it flags, so the window can show the flag beside the
system and `status` can count it."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from app.services.engagement.file import EngagementFile
from app.services.gaps import GapRule
from app.services.inventory import impact
from app.services.inventory import service as inventory
from app.services.inventory.impact import AssessmentRow
from app.services.inventory.service import (
    BEFORE_LIVE,
    LIVE_STAGES,
    OUTSIDE_BUILT,
    THIRD_PARTY,
    LinkedRisk,
    SystemRow,
)
from app.services.risks import service as risks
from app.services.risks.criteria import Criteria

RULES = {
    # live and nothing finished: what fails an audit
    "no_assessment": GapRule(
        "INV-01", "Live and in scope, but no completed impact assessment", "6.1.4", "major",
        todo="Assess the system's impacts (Inventory tab, Add assessment…) with a result and "
        "a treatment, and have the assessment approved.",
    ),
    "assessed_after_deployment": GapRule(
        "INV-02", "First completed impact assessment dated after deployment", "8.4", "major",
        todo="Check the deployment and assessment dates; for a system live before the AIMS "
        "began, set when the AIMS began (Ctrl+E) and record an approved Retroactive assessment.",
    ),
    "stale_after_change": GapRule(
        "INV-03", "Data, vendor, use or oversight changed after the latest assessment", "8.4",
        "minor",
        todo="Reassess the system after the change (trigger 'Significant change') and have "
        "the new assessment approved.",
    ),
    "out_of_scope_without_reason": GapRule(
        "INV-04", "Left out of scope with no reason", "4.3", "minor",
        todo="Write why the system is outside the AIMS (Inventory tab, Reason for leaving out "
        "of scope), or bring it into scope.",
    ),
    "third_party_out_of_scope": GapRule(
        "INV-05", "Third-party or acquired AI left out of scope without a reason", "4.3",
        "major",
        todo="Bring the bought, embedded or acquired system into scope, or record why the "
        "AIMS does not cover it (Reason for leaving out of scope).",
    ),
    "not_live_without_assessment": GapRule(
        "INV-06", "Not live yet: impact assessment still to do before go-live", "8.4", "minor",
        todo="Plan the impact assessment so it is completed and approved before the system "
        "goes live (Inventory tab, Add assessment…).",
    ),
    "unapproved": GapRule(
        "INV-07", "Latest impact assessment not approved", "6.1.4", "minor",
        todo="Have someone with the authority approve the latest assessment (its Approved by "
        "and Approved on fields).",
    ),
    "empty": GapRule(
        "INV-08", "Latest impact assessment lacks impacts, a result or a treatment", "A.5.3",
        "minor",
        todo="Complete the latest assessment: list the impacts, write its result and the "
        "treatment decided (Inventory tab, Edit…).",
    ),
    "periodic_overdue": GapRule(
        "INV-09", "Impact assessment older than the reassessment interval", "8.4", "minor",
        todo="Reassess the system (trigger 'Periodic review') and have it approved, or change "
        "the reassessment interval in the risk criteria (Risks tab, Criteria…).",
    ),
    "in_scope_without_owner": GapRule(
        "INV-10", "In scope with no business owner", "A.3.2", "minor",
        todo="Name who answers for the system in the business (Inventory tab, Business owner).",
    ),
    "in_scope_without_intended_use": GapRule(
        "INV-11", "In scope with no intended use recorded", "A.9.4", "minor",
        todo="Describe what the system is meant to be used for, and by whom (Inventory tab, "
        "Intended use).",
    ),
    "vendor_unnamed": GapRule(
        "INV-12", "Bought or embedded, but no vendor named", "A.10.3", "minor",
        todo="Name the supplier of the system (Inventory tab, Vendor field).",
    ),
    "oversight_missing": GapRule(
        "INV-13", "Consequential or high-risk, with no human oversight recorded", "A.9.2",
        "major",
        todo="Describe who checks or can overrule the system's outputs, and how (Inventory "
        "tab, Human oversight).",
    ),
    "severe_without_risk": GapRule(
        "INV-14", "Severe impact assessed, but no risk names the system", "6.1.4", "minor",
        todo="Record a risk for the severe impact and link it to the system (Risks tab, "
        "Systems, controls and actions…).",
    ),
    "risks_on_out_of_scope": GapRule(
        "INV-15", "Risk above the threshold on a system left out of scope", "4.3", "minor",
        todo="Bring the system into scope, or explain in its out-of-scope reason who manages "
        "those risks outside the AIMS.",
    ),
}  # fmt: skip
EMPTY = GapRule(
    "INV-00", "No AI system recorded at all", "4.3", "major",
    todo="Record every AI system the organization builds, buys, embeds or uses (Inventory "
    "tab, Add system).",
)  # fmt: skip
# EU AI Act tiers that ask for human oversight whatever the decisions are
_OVERSIGHT_TIERS = ("high", "prohibited")
NO_START_DATE = (
    "When the AIMS began is not set (engagement details, Ctrl+E): without it a retroactive "
    "assessment cannot clear INV-02 for a system that was live before."
)
LIVE_BEFORE_START = (
    "It went live before the AIMS began: a completed assessment (approved, with impacts, a "
    "result and a treatment) with the trigger 'Retroactive' clears INV-02."
)


@dataclass(frozen=True)
class Findings:
    by_rule: dict[str, tuple[str, ...]]
    # the risks behind INV-15, which `status` counts (by_rule holds their systems)
    risks_on_out_of_scope: tuple[str, ...] = ()
    # systems flagged INV-02 that a retroactive assessment could clear once the AIMS start
    # date is set
    need_start_date: tuple[str, ...] = ()
    # systems flagged INV-02 that went live before the AIMS began: a retroactive assessment,
    # approved, would clear them
    live_before_start: tuple[str, ...] = ()

    def flags_for(self, system_id: str) -> list[str]:
        return [rule for rule, ids in self.by_rule.items() if system_id in ids]

    def by_system(self) -> dict[str, list[str]]:
        flags: dict[str, list[str]] = {}
        for rule, ids in self.by_rule.items():
            for system_id in ids:
                flags.setdefault(system_id, []).append(rule)
        return flags

    def count(self, rule: str) -> int:
        return len(self.by_rule[rule])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def top_severities(criteria: Criteria) -> int:
    """The lowest severity counted as severe: the top two levels of the impact scale."""
    return len(criteria.impact) - 1


def evaluate(
    systems: Sequence[SystemRow],
    assessments: Sequence[AssessmentRow],
    linked: Sequence[LinkedRisk],
    criteria: Criteria,
    aims_started_on: dt.date | None,
    today: dt.date | None = None,
) -> Findings:
    """`assessments`: the live impact assessments (impact.list_assessments); `linked`: the
    risks naming each system (inventory.linked_risks)."""
    today = today or dt.date.today()
    found: dict[str, list[str]] = {rule: [] for rule in RULES}
    own: dict[str, list[AssessmentRow]] = {}
    for a in sorted(assessments, key=lambda a: (a.assessed_on, a.id)):
        own.setdefault(a.system_id, []).append(a)
    risks_of: dict[str, list[LinkedRisk]] = {}
    for r in linked:
        risks_of.setdefault(r.system_id, []).append(r)
    out_of_scope_risks: list[str] = []
    need_start: list[str] = []
    live_before: list[str] = []
    severe = top_severities(criteria)
    for s in systems:
        if not s.in_scope:
            if not s.out_of_scope_reason.strip():
                found["out_of_scope_without_reason"].append(s.id)
                if s.source in OUTSIDE_BUILT:
                    found["third_party_out_of_scope"].append(s.id)
            above = [
                r.risk_id
                for r in risks_of.get(s.id, ())
                if r.live and criteria.above(r.inherent_score)
            ]
            if above:
                found["risks_on_out_of_scope"].append(s.id)
                out_of_scope_risks += above
            continue
        if s.stage == "decommissioned":  # retired: nothing more to do for it
            continue
        _record_facts(s, found)
        mine = own.get(s.id, [])
        if mine:
            latest = mine[-1]
            if not latest.approved:
                found["unapproved"].append(s.id)
            if latest.missing:
                found["empty"].append(s.id)
            if any(i.severity >= severe for i in latest.impacts) and not risks_of.get(s.id):
                found["severe_without_risk"].append(s.id)
        done = [a for a in mine if a.done]
        if not done:
            if s.stage in LIVE_STAGES:
                found["no_assessment"].append(s.id)
            elif s.stage in BEFORE_LIVE:
                found["not_live_without_assessment"].append(s.id)
            continue
        first, last = done[0].assessed_on, done[-1].assessed_on
        deployed = s.deployment_date
        if s.stage in LIVE_STAGES and deployed and first > deployed:
            retroactive = any(a.trigger == "retroactive" for a in done)
            if aims_started_on is None:
                found["assessed_after_deployment"].append(s.id)
                need_start.append(s.id)
            elif not (retroactive and deployed < aims_started_on):
                found["assessed_after_deployment"].append(s.id)
                if deployed < aims_started_on:
                    live_before.append(s.id)
        if s.changed_at and s.changed_at > last:
            found["stale_after_change"].append(s.id)
        if add_months(last, criteria.reassessment_months) < today:
            found["periodic_overdue"].append(s.id)
    return Findings(
        {rule: tuple(ids) for rule, ids in found.items()},
        tuple(dict.fromkeys(out_of_scope_risks)),
        tuple(need_start),
        tuple(live_before),
    )


def _record_facts(s: SystemRow, found: dict[str, list[str]]) -> None:
    """What an in-scope system must say of itself."""
    if not s.business_owner.strip():
        found["in_scope_without_owner"].append(s.id)
    if not s.intended_use.strip():
        found["in_scope_without_intended_use"].append(s.id)
    if s.source in THIRD_PARTY and not s.vendor.strip():
        found["vendor_unnamed"].append(s.id)
    if (s.consequential or s.ai_act_tier in _OVERSIGHT_TIERS) and not s.human_oversight.strip():
        found["oversight_missing"].append(s.id)


def read(ef: EngagementFile, system_id: str | None = None) -> Findings:
    """The findings of every system (or of one), read from the engagement."""
    if system_id is None:
        systems = inventory.list_systems(ef)
    else:
        row = inventory.get_system(ef, system_id)
        systems = [] if row.deleted else [row]
    return evaluate(
        systems,
        impact.list_assessments(ef, system_id),
        inventory.linked_risks(ef, system_id),
        risks.get_criteria(ef),
        ef.details.aims_started_on,
    )
