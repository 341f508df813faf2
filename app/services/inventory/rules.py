"""The inventory and impact assessment gaps auditors look for, computed from the data.

Each rule returns the IDs of the systems it flags, so the window can show the flag beside the
system and `status` can count it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.services.gaps import GapRule
from app.services.inventory.service import LIVE_STAGES, OUTSIDE_BUILT, SystemRow

RULES = {
    "no_assessment": GapRule("INV-01", "In scope, but no impact assessment", "6.1.4", "major"),
    "assessed_after_deployment": GapRule(
        "INV-02", "First impact assessment dated after deployment", "8.4", "major"
    ),
    "stale_after_change": GapRule(
        "INV-03", "Stage or intended use changed after the latest assessment", "8.4", "minor"
    ),
    "out_of_scope_without_reason": GapRule(
        "INV-04", "Left out of scope with no reason", "4.3", "minor"
    ),
    "third_party_out_of_scope": GapRule(
        "INV-05", "Third-party or acquired AI left out of scope without a reason", "4.3", "major"
    ),
}
EMPTY = GapRule("INV-00", "No AI system recorded at all", "4.3", "major")


@dataclass(frozen=True)
class Findings:
    by_rule: dict[str, tuple[str, ...]]

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


def evaluate(systems: Sequence[SystemRow], dates: Mapping[str, Sequence[dt.date]]) -> Findings:
    """`dates`: the dates of each system's live impact assessments (impact.dates_by_system)."""
    found: dict[str, list[str]] = {rule: [] for rule in RULES}
    for s in systems:
        own = dates.get(s.id, [])
        if not s.in_scope:
            if not s.out_of_scope_reason.strip():
                found["out_of_scope_without_reason"].append(s.id)
                if s.source in OUTSIDE_BUILT:
                    found["third_party_out_of_scope"].append(s.id)
            continue
        if not own:
            found["no_assessment"].append(s.id)
            continue
        first, latest = min(own), max(own)
        if s.stage in LIVE_STAGES and s.deployment_date and first > s.deployment_date:
            found["assessed_after_deployment"].append(s.id)
        if s.changed_at and s.changed_at > latest:
            found["stale_after_change"].append(s.id)
    return Findings({rule: tuple(ids) for rule, ids in found.items()})
