"""The table of a described register: the ID, the description's list columns, and the gaps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.services.registers.description import Item, Register
from app.services.registers.service import split_ids
from app.services.words import natural
from app.views.common.row_table import Column, Prepared, RowTableModel, prepare


def _column(reg: Register, name: str, model: DescribedModel) -> Column:
    spec = reg.spec[name]
    if reg.link(name) is not None:  # the IDs with their items' names

        def named(row: Item, _info: object) -> str:
            names = model.link_names.get(name, {})
            ids = split_ids(row.values[name])
            return ", ".join(f"{i} {names[i]}" if i in names else i for i in ids)

        return Column(spec.label, named, lambda r, i: named(r, i).lower())
    if spec.kind == "choice":
        order = list(spec.choices)
        return Column(
            spec.label,
            lambda r, _i: spec.label_of(r.values[name]),
            lambda r, _i: order.index(r.values[name]) if r.values[name] in order else len(order),
        )
    if spec.kind in ("int", "number"):  # blank last, then by size
        return Column(
            spec.label,
            lambda r, _i: spec.label_of(r.values[name]),
            lambda r, _i: (r.values[name] is None, r.values[name] or 0),
        )
    if spec.kind == "date":
        return Column(
            spec.label,
            lambda r, _i: spec.label_of(r.values[name]),
            lambda r, _i: r.values[name] or dt.date.max,
        )
    return Column(
        spec.label,
        lambda r, _i: spec.label_of(r.values[name]),
        lambda r, _i: str(r.values[name]).lower(),
    )


def haystack(item: Item) -> str:
    """What the search box looks in: the ID and every text the item holds."""
    return " ".join([item.id, *(str(v) for v in item.values.values() if v)]).lower()


def prepared(reg: Register, items: list[Item], model: DescribedModel | None = None) -> Prepared:
    """The rows with their gaps and search texts; given the model, also the sort keys of its
    columns that do not show linked items' names (those change when the names are read)."""
    data = prepare(items, {i.id: [r.id for r in reg.gaps(i)] for i in items}, haystack)
    if model is not None:
        for n in model.keyed_columns:
            key = model.columns[n].sort
            data.sort_keys[n] = {i: key(row, data.info[i]) for i, row in data.rows.items()}
    return data


class DescribedModel(RowTableModel):
    empty_info: list[str] = []

    def __init__(self, reg: Register, parent=None) -> None:
        super().__init__(parent)
        self.reg = reg
        titles = {r.id: r.label for r in reg.rules}
        self.columns = [
            Column("ID", lambda r, _i: r.id, lambda r, _i: natural(r.id)),
            *(_column(reg, n, self) for n in reg.columns),
        ]
        if reg.rules:
            self.columns.append(
                Column(
                    "Gaps",
                    lambda _r, i: "; ".join(titles[g] for g in i),
                    lambda _r, i: -len(i),
                    warn=True,
                )
            )
        # the columns sorted by keys computed once: all but those of link fields
        linked = {n + 1 for n, name in enumerate(reg.columns) if reg.link(name) is not None}
        self.keyed_columns = [n for n in range(1, len(self.columns)) if n not in linked]
        self.choices: dict[str, str] = {}  # filter field -> chosen value ("" for all)
        self.link_names: dict[str, dict[str, str]] = {}  # link field -> ID -> name
        self.flagged_only = False

    def haystack(self, row: Any) -> str:
        return haystack(row)

    def set_filter(self, **values) -> None:
        for name in list(values):
            if name in self.reg.spec:
                self.choices[name] = values.pop(name) or ""
        super().set_filter(**values)

    def filtering(self) -> bool:
        return self.flagged_only or any(self.choices.values())

    def accepts(self, row: Item, info: list[str]) -> bool:
        if any(v and row.values[n] != v for n, v in self.choices.items()):
            return False
        return not (self.flagged_only and not info)

    def gaps_of(self, info: list[str]) -> bool:
        return bool(info)

    def flagged_shown(self, flagged_total: int | None = None) -> int:
        if flagged_total is not None and self.rowCount() == self.total():
            return flagged_total
        # gaps_of is bool(info): counted without a Python call per row (50,000 of them)
        return sum(map(bool, map(self._info.get, self._visible)))
