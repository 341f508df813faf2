"""A described register as a table of the pack: the ID, then its pack columns headed by the
fields' labels; the readiness report adds the gaps each item has."""

from __future__ import annotations

from collections.abc import Mapping

from reportlab.platypus import Flowable

from app.services import words
from app.services.pack.blocks import Ctx
from app.services.pack.style import Column
from app.services.registers.description import Item, Register
from app.services.registers.service import split_ids

_WIDTHS = {
    "long": 2.6,
    "text": 1.5,
    "ids": 1.5,
    "choice": 1.1,
    "date": 0.9,
    "bool": 0.7,
    "int": 0.7,
    "number": 0.8,
}


def register_table(
    c: Ctx, reg: Register, items: list[Item], names: Mapping[str, str] | None = None
) -> list[Flowable]:
    """`names`: how the IDs in link fields read (an ID with its item's name)."""
    if not items:
        return [c.absent(f"No {reg.plural} recorded.", f"Record them in the {reg.title} register.")]
    spec = reg.spec
    columns = [Column("ID", 0.8)] + [
        Column(spec[n].label, _WIDTHS.get(spec[n].kind, 1.4)) for n in reg.pack_columns
    ]

    def cell(item: Item, name: str) -> str:
        if names is not None and reg.link(name) is not None:
            return "\n".join(names.get(x, x) for x in split_ids(item.values[name]))
        return spec[name].label_of(item.values[name])

    rows = [[i.id, *(cell(i, n) for n in reg.pack_columns)] for i in items]
    if c.gaps and reg.rules:
        columns.append(Column("Gaps", 1.8))
        for row, item in zip(rows, items, strict=True):
            row.append("; ".join(f"{r.id} {r.title}" for r in reg.gaps(item)))
    return c.table(columns, rows)


def summary_line(reg: Register, items: list[Item], gaps: bool) -> str:
    """'6 party requirements, 1 with a gap' (the gaps in the readiness report only)."""
    flagged = sum(1 for i in items if reg.gaps(i)) if gaps else 0
    return words.count(len(items), reg.noun, reg.plural) + (
        f", {flagged} with a gap" if flagged else ""
    )
