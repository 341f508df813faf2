"""The one catalogue of gap rules: the six audit-failing gaps first, then every rule of every
area in the order of the areas. The dashboard, `status`, the pack and the workbook's
Instructions read this list; no area keeps its own."""

from __future__ import annotations

from app.services import registry
from app.services.gaps import GapRule

# The five gaps that fail certification audits most often (the second is two rules). Their
# IDs are words, not numbers: `status --json` and the dashboard name them as they are.
NO_INVENTORY = GapRule(
    "no-ai-inventory", "No AI system inventory, or no system in scope", "4.3", "major",
    todo="Record every AI system the organization builds, buys or uses, and bring those the AIMS "
    "covers into scope.",
)  # fmt: skip
ASSESSMENT_MISSING = GapRule(
    "impact-assessment-missing", "AI system in scope with no approved impact assessment",
    "6.1.4", "major",
    todo="Complete the impact assessment of each system in scope and have it approved.",
)  # fmt: skip
ASSESSMENT_LATE = GapRule(
    "impact-assessment-after-deployment",
    "Deployed before its first impact assessment, with no retroactive one recorded", "8.4",
    "major",
    todo="For each system live before it was assessed, record a retroactive assessment (trigger "
    "'Retroactive') and have it approved.",
)  # fmt: skip
THIRD_PARTY = GapRule(
    "third-party-out-of-scope",
    "Third-party AI system left out of scope without a reason, or while it decides", "4.3",
    "major",
    todo="Bring vendor, embedded and acquired systems into scope, or record why each is out; a "
    "system used in consequential decisions belongs in scope.",
)  # fmt: skip
COMPETENCE = GapRule(
    "competence-records-missing", "AIMS role holder without verified competence", "7.2",
    "major",
    todo="Record for each role holder how their competence for the role was verified (People tab).",
)  # fmt: skip
LEADERSHIP = GapRule(
    "leadership-evidence-missing", "Top management cannot show that it governs the AIMS",
    "5.1", "major",
    todo="Have top management approve the AI policy, hold a management review with top management "
    "attending, and give a role the duty of reporting AIMS performance.",
)  # fmt: skip
FAILING: tuple[GapRule, ...] = (
    NO_INVENTORY, ASSESSMENT_MISSING, ASSESSMENT_LATE, THIRD_PARTY, COMPETENCE, LEADERSHIP,
)  # fmt: skip

RULES: tuple[GapRule, ...] = (*FAILING, *registry.GAP_RULES)
BY_ID: dict[str, GapRule] = {r.id: r for r in RULES}
