"""Table model of AI systems. It sorts and filters itself (over plain Python lists) instead of
going through QSortFilterProxyModel: with thousands of rows, the proxy's per-comparison calls
into Python would block the window for seconds."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services import inventory
from app.services.inventory import SystemRow
from app.services.inventory_rules import RULES

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
_RED = QBrush(QColor("#b3261e"))


def _flags_text(flags: list[str]) -> str:
    return "; ".join(RULES[f] for f in flags)


# (header, value for display, value for sorting)
Column = tuple[
    str, Callable[[SystemRow, int, list[str]], str], Callable[[SystemRow, int, list[str]], Any]
]


def _choice(field: str) -> Callable[[SystemRow, int, list[str]], str]:
    spec = inventory.FIELDS[field]
    return lambda r, _n, _f: spec.label_of(getattr(r, field))


def _text(field: str) -> Callable[[SystemRow, int, list[str]], str]:
    return lambda r, _n, _f: str(getattr(r, field))


def _sort_text(field: str) -> Callable[[SystemRow, int, list[str]], Any]:
    return lambda r, _n, _f: str(getattr(r, field)).lower()


COLUMNS: list[Column] = [
    ("ID", _text("id"), lambda r, _n, _f: _natural(r.id)),
    ("Name", _text("name"), _sort_text("name")),
    ("Gaps", lambda _r, _n, f: _flags_text(f), lambda _r, _n, f: -len(f)),
    ("Stage", _choice("stage"), lambda r, _n, _f: list(inventory.STAGES).index(r.stage)),
    ("Source", _choice("source"), _sort_text("source")),
    ("Vendor", _text("vendor"), _sort_text("vendor")),
    ("Business owner", _text("business_owner"), _sort_text("business_owner")),
    ("Role", _choice("role"), _sort_text("role")),
    (
        "Deployed",
        lambda r, _n, _f: r.deployment_date.isoformat() if r.deployment_date else "",
        lambda r, _n, _f: r.deployment_date or dt.date.max,
    ),
    (
        "EU AI Act",
        _choice("ai_act_tier"),
        lambda r, _n, _f: list(inventory.TIERS).index(r.ai_act_tier),
    ),
    ("In scope", _choice("in_scope"), lambda r, _n, _f: not r.in_scope),
    ("Assessments", lambda _r, n, _f: str(n), lambda _r, n, _f: n),
]
COL_GAPS = 2


_DIGITS = re.compile(r"(\d+)")


def _natural(text: str) -> tuple[object, ...]:
    """AIS-9 before AIS-10."""
    return tuple(int(p) if p.isdigit() else p.lower() for p in _DIGITS.split(text))


@dataclass
class Prepared:
    """What the model holds, built on a worker thread so the UI thread only swaps it in."""

    rows: dict[str, SystemRow]
    counts: dict[str, int]
    flags: dict[str, list[str]]
    haystack: dict[str, str]
    order: list[str]  # all IDs, sorted by ID
    sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)


def prepare(rows: list[SystemRow], counts: dict[str, int], flags: dict[str, list[str]]) -> Prepared:
    ordered = sorted(rows, key=lambda r: _natural(r.id))
    return Prepared(
        rows={r.id: r for r in ordered},
        counts=counts,
        flags=flags,
        haystack={r.id: _haystack(r) for r in ordered},
        order=[r.id for r in ordered],
    )


class SystemsModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: dict[str, SystemRow] = {}
        self._counts: dict[str, int] = {}
        self._flags: dict[str, list[str]] = {}
        self._haystack: dict[str, str] = {}
        self._visible: list[str] = []
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)
        self.text = ""
        self.scope = ""  # "", "in", "out"
        self.source = ""
        self.stage = ""
        self.flagged_only = False

    # data in
    def set_prepared(self, data: Prepared) -> None:
        self.beginResetModel()
        self._rows, self._counts, self._flags = data.rows, data.counts, data.flags
        self._haystack = data.haystack
        self._visible = self._filtered()  # keeps the ID order prepared off the UI thread
        if self._sort != data.sort:
            self._sort_visible()
        self.endResetModel()

    def update_row(
        self, row: SystemRow | None, system_id: str, count: int, flags: list[str]
    ) -> None:
        """One system changed, appeared (add, undo of delete) or went away (row None)."""
        if row is None:
            self._rows.pop(system_id, None)
        else:
            self._rows[system_id] = row
            self._counts[system_id] = count
            self._flags[system_id] = flags
            self._haystack[system_id] = _haystack(row)
        if system_id in self._visible and self._accepts(system_id):
            at = self._visible.index(system_id)
            self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))
        else:
            self.refilter()

    def row(self, system_id: str) -> SystemRow | None:
        return self._rows.get(system_id)

    def flags_of(self, system_id: str) -> list[str]:
        return self._flags.get(system_id, [])

    def total(self) -> int:
        return len(self._rows)

    def position(self, system_id: str) -> int:
        return self._visible.index(system_id) if system_id in self._visible else -1

    def id_at(self, row: int) -> str:
        return self._visible[row]

    # filter and sort
    def set_filter(self, **values) -> None:
        for name, value in values.items():
            setattr(self, name, value.strip().lower() if name == "text" else value)
        self.refilter()

    def refilter(self) -> None:
        self.beginResetModel()
        self._visible = self._filtered()
        self._sort_visible()
        self.endResetModel()

    def _accepts(self, system_id: str) -> bool:
        row = self._rows.get(system_id)
        if row is None:
            return False
        if self.scope and row.in_scope != (self.scope == "in"):
            return False
        if self.source and row.source != self.source:
            return False
        if self.stage and row.stage != self.stage:
            return False
        if self.flagged_only and not self._flags.get(system_id):
            return False
        return not self.text or self.text in self._haystack[system_id]

    def _filtered(self) -> list[str]:
        return [i for i in self._rows if self._accepts(i)]

    def _sort_visible(self) -> None:
        column, order = self._sort
        key = COLUMNS[column][2]
        self._visible.sort(
            key=lambda i: key(self._rows[i], self._counts.get(i, 0), self._flags.get(i, [])),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sort_visible()
        self.layoutChanged.emit()

    # Qt model interface
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        system_id = self._visible[index.row()]
        row = self._rows[system_id]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()][1](
                row, self._counts.get(system_id, 0), self._flags.get(system_id, [])
            )
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == COL_GAPS:
            return _RED
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_GAPS:
            return _flags_text(self._flags.get(system_id, [])) or None
        return None


def _haystack(row: SystemRow) -> str:
    return " ".join(
        str(v) for v in (row.id, row.name, row.description, row.business_owner, row.vendor,
                         row.intended_use, row.affected_parties)
    ).lower()  # fmt: skip
