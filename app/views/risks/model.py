"""The Risks tab's table: risks and opportunities with their levels and gaps."""

from __future__ import annotations

from typing import Any

from app.services.people import authority
from app.services.risks import service as risks
from app.services.risks.rules import RULES
from app.services.risks.service import RiskRow
from app.services.words import natural
from app.views.common.row_table import Column, RowTableModel, text, titled


def _label(header: str, name: str, choices: dict[str, str]) -> Column:
    keys = list(choices)
    return Column(
        header,
        lambda r, _i: choices.get(getattr(r, name), getattr(r, name)),
        lambda r, _i: keys.index(getattr(r, name)) if getattr(r, name) in keys else len(keys),
    )


# a risk's flags: the keys of the register's rules, and this one from People
WITHOUT_AUTHORITY = "accepted_without_authority"
RULE_OF = {**RULES, WITHOUT_AUTHORITY: authority.RULES["risk"]}
LABELS = {key: rule.label for key, rule in RULE_OF.items()}


def flags_text(flags: list[str]) -> str:
    return "; ".join(LABELS[f] for f in flags)


COLUMNS = [
    Column("ID", lambda r, _i: r.id, lambda r, _i: natural(r.id)),
    titled("Title", text("title")),
    Column("Gaps", lambda _r, f: flags_text(f), lambda _r, f: -len(f), warn=True),
    Column("Inherent", lambda r, _i: f"{r.inherent_level} ({r.inherent_score})",
           lambda r, _i: r.inherent_score),
    Column("Residual",
           lambda r, _i: f"{r.residual_level} ({r.residual_score})" if r.residual_score else "",
           lambda r, _i: r.residual_score or 0),
    titled("Category", text("category")),
    titled("Owner", text("owner")),
    _label("Treatment", "treatment", risks.TREATMENTS),
    Column("Accepted by", lambda r, _i: r.accepted_by, lambda r, _i: r.accepted_by.lower()),
    _label("Status", "status", risks.STATUSES),
    _label("Kind", "kind", risks.KINDS),
]  # fmt: skip
COL_GAPS = 2


def haystack(row: RiskRow) -> str:
    parts = (row.id, row.title, row.description, row.category, row.owner, row.source,
             " ".join(row.systems), " ".join(c.control_id for c in row.controls))  # fmt: skip
    return " ".join(parts).lower()


class RisksModel(RowTableModel):
    columns = COLUMNS
    empty_info: list[str] = []

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.kind = ""
        self.level = ""
        self.category = ""
        self.flagged_only = False
        self.cell: tuple[int, int] | None = None
        self.cell_residual = False

    def haystack(self, row: Any) -> str:
        return haystack(row)

    def filtering(self) -> bool:
        return bool(self.kind or self.level or self.category or self.flagged_only or self.cell)

    def accepts(self, row: RiskRow, info: list[str]) -> bool:
        if self.kind and row.kind != self.kind:
            return False
        if self.level and row.inherent_level != self.level:
            return False
        if self.category and row.category != self.category:
            return False
        if self.flagged_only and not info:
            return False
        if self.cell is not None:
            rated = (row.residual_likelihood, row.residual_impact)
            if not self.cell_residual or None in rated:
                rated = (row.inherent_likelihood, row.inherent_impact)
            return rated == self.cell and row.kind == "risk" and row.status != "closed"
        return True
