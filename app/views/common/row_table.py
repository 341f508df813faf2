"""A table model over plain row objects that sorts and filters itself (over Python lists)
instead of going through QSortFilterProxyModel: with thousands of rows, the proxy's
per-comparison calls into Python would block the window for seconds.

Each row has an ID and an `info` value beside it (counts, gap flags) that columns may show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.words import natural

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
_WARN = QBrush(QColor("#b3261e"))
Cell = Callable[[Any, Any], Any]  # (row, info) -> value


@dataclass(frozen=True)
class Column:
    header: str
    display: Cell
    sort: Cell
    warn: bool = False  # shown in red (gaps)


def text(field: str) -> Column:
    return Column(
        field, lambda r, _i: str(getattr(r, field)), lambda r, _i: str(getattr(r, field)).lower()
    )


def titled(header: str, column: Column) -> Column:
    return Column(header, column.display, column.sort, column.warn)


@dataclass
class Prepared:
    """What the model holds, built on a worker thread so the UI thread only swaps it in."""

    rows: dict[str, Any]  # in natural ID order
    info: dict[str, Any]
    haystack: dict[str, str]
    id_keys: dict[str, tuple[object, ...]]  # natural sort keys of the IDs, computed once
    # column -> ID -> sort key, for the columns whose keys were computed off the UI thread
    sort_keys: dict[int, dict[str, Any]] = field(default_factory=dict)


def prepare(rows: list[Any], info: dict[str, Any], haystack: Callable[[Any], str]) -> Prepared:
    keys = {r.id: natural(r.id) for r in rows}
    ordered = sorted(rows, key=lambda r: keys[r.id])
    return Prepared(
        rows={r.id: r for r in ordered},
        info=info,
        haystack={r.id: haystack(r) for r in ordered},
        id_keys=keys,
    )


class RowTableModel(QAbstractTableModel):
    """Subclasses give the columns, a default `info`, and `accepts` for their own filters."""

    columns: list[Column] = []
    empty_info: Any = None

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: dict[str, Any] = {}
        self._info: dict[str, Any] = {}
        self._haystack: dict[str, str] = {}
        self._id_keys: dict[str, tuple[object, ...]] = {}
        self._sort_keys: dict[int, dict[str, Any]] = {}
        self._visible: list[str] = []
        self._sort: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)
        self.text = ""
        # the rows a jump from the dashboard asked for (a gap's items); None: no such limit
        self.only: frozenset[str] | None = None

    def accepts(self, row: Any, info: Any) -> bool:
        return True

    def filtering(self) -> bool:
        """Whether any filter of the subclass is set (none: every row shows, no checks)."""
        return False

    def haystack(self, row: Any) -> str:
        raise NotImplementedError

    # data in
    def set_prepared(self, data: Prepared) -> None:
        self.beginResetModel()
        self._rows, self._info, self._haystack = data.rows, data.info, data.haystack
        self._id_keys, self._sort_keys = data.id_keys, data.sort_keys
        self._visible = self._filtered()  # keeps the ID order prepared off the UI thread
        if self._sort != (0, Qt.SortOrder.AscendingOrder):
            self._sort_visible()
        self.endResetModel()

    def update_row(self, row_id: str, row: Any | None, info: Any = None) -> None:
        """One row changed, appeared (add, undo of delete) or went away (row None)."""
        if row is None:
            self._rows.pop(row_id, None)
        else:
            self._rows[row_id] = row
            self._info[row_id] = info
            self._haystack[row_id] = self.haystack(row)
            self._id_keys[row_id] = natural(row_id)
            for column, keys in self._sort_keys.items():
                keys[row_id] = self.columns[column].sort(row, self.info_of(row_id))
        if row_id in self._visible and self._accepts(row_id):
            at = self._visible.index(row_id)
            self.dataChanged.emit(self.index(at, 0), self.index(at, len(self.columns) - 1))
        else:
            self.refilter()

    def row(self, row_id: str) -> Any | None:
        return self._rows.get(row_id)

    def info_of(self, row_id: str) -> Any:
        return self._info.get(row_id, self.empty_info)

    def all_rows(self) -> list[Any]:
        return list(self._rows.values())

    def total(self) -> int:
        return len(self._rows)

    def position(self, row_id: str) -> int:
        return self._visible.index(row_id) if row_id in self._visible else -1

    def id_at(self, row: int) -> str:
        return self._visible[row]

    def visible_ids(self) -> list[str]:
        return list(self._visible)

    def gaps_of(self, info: Any) -> bool:
        """Whether a row's info holds audit gaps (subclasses say where they keep them)."""
        return bool(info)

    def flagged_shown(self, flagged_total: int | None = None) -> int:
        """How many shown rows have gaps; `flagged_total`, when counted off the UI thread,
        stands for all of them while every row shows."""
        if flagged_total is not None and len(self._visible) == len(self._rows):
            return flagged_total
        info, empty, gaps = self._info, self.empty_info, self.gaps_of
        return sum(1 for i in self._visible if gaps(info.get(i, empty)))

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

    def _accepts(self, row_id: str) -> bool:
        row = self._rows.get(row_id)
        if row is None or (self.text and self.text not in self._haystack[row_id]):
            return False
        if self.only is not None and row_id not in self.only:
            return False
        return self.accepts(row, self.info_of(row_id))

    def _filtered(self) -> list[str]:
        if self.only is not None:
            return [i for i in self._rows if i in self.only and self._accepts(i)]
        if not self.text and not self.filtering():
            return list(self._rows)
        if not self.filtering():  # text only: the cheap check alone
            text, haystack = self.text, self._haystack
            return [i for i in self._rows if text in haystack[i]]
        return [i for i in self._rows if self._accepts(i)]

    def _sort_visible(self) -> None:
        column, order = self._sort
        reverse = order == Qt.SortOrder.DescendingOrder
        if column == 0:  # the ID: keys computed once, not on every sort
            self._visible.sort(key=self._id_keys.__getitem__, reverse=reverse)
            return
        keys = self._sort_keys.get(column)
        if keys is not None:  # computed once, off the UI thread
            self._visible.sort(key=keys.__getitem__, reverse=reverse)
            return
        key, rows, info, empty = self.columns[column].sort, self._rows, self._info, self.empty_info
        self._visible.sort(key=lambda i: key(rows[i], info.get(i, empty)), reverse=reverse)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == self._sort:
            return  # QTableView.sortByColumn asks twice (itself, and via the header)
        self.layoutAboutToBeChanged.emit()
        # The selection and current row follow their rows to the new places.
        kept = [(p, self._visible[p.row()]) for p in self.persistentIndexList() if p.isValid()]
        self._sort = (column, order)
        self._sort_visible()
        if kept:
            place = {row_id: n for n, row_id in enumerate(self._visible)}
            for index, row_id in kept:
                self.changePersistentIndex(index, self.index(place[row_id], index.column()))
        self.layoutChanged.emit()

    # Qt model interface
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        row_id = self._visible[index.row()]
        row = self._rows[row_id]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row, self.info_of(row_id))
        if role == ROW_ROLE:
            return row
        if column.warn and role == Qt.ItemDataRole.ForegroundRole:
            return _WARN
        if role == Qt.ItemDataRole.ToolTipRole:  # the full text of a clipped cell
            return str(column.display(row, self.info_of(row_id))) or None
        return None
