"""What every gap rule of every area says of itself: an ID that stays put (the pack and the
dashboard cite it), a short title, the clause or control it is about and how grave an auditor
would find it."""

from __future__ import annotations

from dataclasses import dataclass, field

# how grave an auditor would find it: "major" would fail the audit (a major nonconformity is
# likely), "minor" is a minor nonconformity, "observation" a point the auditor notes
SEVERITIES = {"major": "Major", "minor": "Minor", "observation": "Observation"}
SEVERITY_MEANING = {
    "major": "Would fail the audit: a major nonconformity is likely",
    "minor": "A minor nonconformity",
    "observation": "An observation",
}


@dataclass(frozen=True)
class GapRule:
    id: str  # e.g. INV-01
    title: str
    ref: str  # the clause or control
    severity: str  # a key of SEVERITIES
    # what to do to close it, in a sentence (by keyword: a described register's Rule adds
    # positional fields after these)
    todo: str = field(default="", kw_only=True)

    @property
    def label(self) -> str:
        """As shown beside an item: 'INV-01 In scope, but no impact assessment'."""
        return f"{self.id} {self.title}"
