"""An editable table of small records (plain dicts) inside a dialog: impacts, scale levels,
level bands, selected controls, actions. The service checks the values when the dialog saves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QTableView

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Field:
    key: str
    header: str
    show: Callable[[Any], str] = str
    choices: dict[str, str] | None = None  # edited with a drop-down


class EditTableModel(QAbstractTableModel):
    def __init__(self, fields: list[Field], rows: list[dict[str, Any]], blank: dict[str, Any],
                 parent=None) -> None:  # fmt: skip
        super().__init__(parent)
        self.fields = fields
        self.rows = rows
        self._blank = blank

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.fields)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.fields[section].header
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        field = self.fields[index.column()]
        value = self.rows[index.row()][field.key]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if field.choices is not None:
                shown = field.choices.get(value, value)
            else:
                shown = "" if value is None else field.show(value)
            if role == Qt.ItemDataRole.ToolTipRole:  # a clipped cell in full
                return str(shown) or None
            return shown
        if role == Qt.ItemDataRole.EditRole:
            return value
        return None

    def setData(self, index: AnyIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        self.rows[index.row()][self.fields[index.column()].key] = value
        self.dataChanged.emit(index, index)
        return True

    def add(self) -> None:
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(dict(self._blank))
        self.endInsertRows()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()


class _ChoiceDelegate(QStyledItemDelegate):
    def __init__(self, choices: dict[str, str], parent=None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent, option, index):
        box = QComboBox(parent)
        for key, label in self.choices.items():
            box.addItem(label, key)
        return box

    def setEditorData(self, editor, index) -> None:
        editor.setCurrentIndex(editor.findData(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.currentData())


def edit_table(model: EditTableModel, widths: list[int] | None = None) -> QTableView:
    """A table view for the model, with drop-downs where a field has choices."""
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    for column, field in enumerate(model.fields):
        if field.choices is not None:
            view.setItemDelegateForColumn(column, _ChoiceDelegate(field.choices, view))
    for column, width in enumerate(widths or []):
        view.setColumnWidth(column, width)
    return view
