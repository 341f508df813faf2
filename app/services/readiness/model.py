"""What the readiness services hand out: each rule's finding with the items behind it."""

from __future__ import annotations

from dataclasses import dataclass

from app.services.gaps import GapRule


@dataclass(frozen=True)
class Finding:
    """What one rule finds in the engagement today."""

    rule: GapRule
    # where the items open: a tab name ("inventory", "risks", "soa", "requirements") or a
    # described register's key ("documents", "people", "audit_lines"); "" when none
    kind: str
    items: tuple[str, ...] = ()
    whole: bool = False  # about the engagement as a whole (nothing recorded), not items
    note: str = ""  # what a rule about the whole says of this engagement
    area: str = ""  # as the pack's table of gaps names it: "Inventory", "People"
    # whether the items are IDs of `kind` (a jump shows just them); False: they are words
    # ("No AI policy approved...", "SoA version 3") and a jump opens the area whole
    by_id: bool = True

    @property
    def open(self) -> bool:
        return self.whole or bool(self.items)

    @property
    def count(self) -> int:
        """The items behind it; a rule about the whole counts one when open."""
        return len(self.items) or (1 if self.whole else 0)
