"""The Inventory tab's table: AI systems with their assessment count and gaps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.services.inventory import service as inventory
from app.services.inventory.rules import RULES
from app.services.inventory.service import SystemRow
from app.services.words import natural
from app.views.common.row_table import Column, RowTableModel, text, titled


@dataclass(frozen=True)
class SystemInfo:
    assessments: int = 0
    flags: list[str] = field(default_factory=list)
    # flagged as assessed after deployment while the engagement says nothing of when the AIMS
    # began (a retroactive assessment could clear it)
    needs_start_date: bool = False
    live_before_start: bool = False  # flagged INV-02, but a retroactive assessment would clear


def _choice(header: str, name: str) -> Column:
    spec = inventory.FIELDS[name]
    return Column(
        header, lambda r, _i: spec.label_of(getattr(r, name)), lambda r, _i: str(getattr(r, name))
    )


def _order(header: str, name: str, choices: dict[str, str]) -> Column:
    keys = list(choices)
    return Column(header, _choice(header, name).display, lambda r, _i: keys.index(getattr(r, name)))


def flags_text(flags: list[str]) -> str:
    return "; ".join(RULES[f].label for f in flags)


COLUMNS = [
    Column("ID", lambda r, _i: r.id, lambda r, _i: natural(r.id)),
    titled("Name", text("name")),
    Column("Gaps", lambda _r, i: flags_text(i.flags), lambda _r, i: -len(i.flags), warn=True),
    _order("Stage", "stage", inventory.STAGES),
    _choice("Source", "source"),
    titled("Vendor", text("vendor")),
    titled("Business owner", text("business_owner")),
    _choice("Role", "role"),
    Column(
        "Deployed",
        lambda r, _i: r.deployment_date.isoformat() if r.deployment_date else "",
        lambda r, _i: r.deployment_date or dt.date.max,
    ),
    _order("EU AI Act", "ai_act_tier", inventory.TIERS),
    Column("In scope", lambda r, _i: "Yes" if r.in_scope else "No", lambda r, _i: not r.in_scope),
    Column("Assessments", lambda _r, i: str(i.assessments), lambda _r, i: i.assessments),
]
COL_GAPS = 2


def haystack(row: SystemRow) -> str:
    return " ".join(
        str(v) for v in (row.id, row.name, row.description, row.business_owner, row.vendor,
                         row.intended_use, row.affected_parties)
    ).lower()  # fmt: skip


class SystemsModel(RowTableModel):
    columns = COLUMNS
    empty_info = SystemInfo()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.scope = ""  # "", "in", "out"
        self.source = ""
        self.stage = ""
        self.flagged_only = False

    def haystack(self, row: Any) -> str:
        return haystack(row)

    def filtering(self) -> bool:
        return bool(self.scope or self.source or self.stage or self.flagged_only)

    def accepts(self, row: SystemRow, info: SystemInfo) -> bool:
        if self.scope and row.in_scope != (self.scope == "in"):
            return False
        if self.source and row.source != self.source:
            return False
        if self.stage and row.stage != self.stage:
            return False
        return not (self.flagged_only and not info.flags)

    def gaps_of(self, info: SystemInfo) -> bool:
        return bool(info.flags)

    def flags_of(self, system_id: str) -> list[str]:
        return list(self.info_of(system_id).flags)
