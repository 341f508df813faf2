"""Dialog to record or edit one impact assessment, with its list of impacts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
)

from app.services import impact
from app.services.errors import FieldError
from app.views.field_form import FieldForm

AnyIndex = QModelIndex | QPersistentModelIndex
_KEYS = ("scope", "description", "severity", "likelihood")


class ImpactsModel(QAbstractTableModel):
    """The impacts being edited, as plain dicts; checked by the service when saved."""

    def __init__(self, impacts: list[dict[str, object]], parent=None) -> None:
        super().__init__(parent)
        self.impacts = impacts

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.impacts)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(_KEYS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return impact.IMPACT_FIELDS[_KEYS[section]].label + (" (1-5)" if section >= 2 else "")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key = _KEYS[index.column()]
        value = self.impacts[index.row()][key]
        if role == Qt.ItemDataRole.DisplayRole:
            return impact.IMPACT_FIELDS[key].label_of(value)
        if role == Qt.ItemDataRole.EditRole:
            return value
        return None

    def setData(self, index: AnyIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        self.impacts[index.row()][_KEYS[index.column()]] = value
        self.dataChanged.emit(index, index)
        return True

    def add(self) -> None:
        self.beginInsertRows(QModelIndex(), len(self.impacts), len(self.impacts))
        self.impacts.append(
            {"scope": "individuals", "description": "", "severity": 3, "likelihood": 3}
        )
        self.endInsertRows()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.impacts):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.impacts[row]
            self.endRemoveRows()


class _ScopeDelegate(QStyledItemDelegate):
    def createEditor(self, parent, option, index):
        box = QComboBox(parent)
        for key, label in impact.SCOPES.items():
            box.addItem(label, key)
        return box

    def setEditorData(self, editor, index) -> None:
        editor.setCurrentIndex(editor.findData(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.currentData())


class AssessmentDialog(QDialog):
    """`save(values, impacts)` is called on OK; a FieldError keeps the dialog open at the field."""

    def __init__(self, title: str, row: impact.AssessmentRow | None, save, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(640, 560)
        self._save = save
        self.form = FieldForm(list(impact.FIELDS.values()))
        values = row.values() if row else {"assessed_on": dt.date.today(), "trigger": "initial"}
        self.form.set_values(values)
        impacts = [dict(i.__dict__) for i in row.impacts] if row else []
        self.impacts = ImpactsModel(impacts, self)
        self.table = QTableView()
        self.table.setModel(self.impacts)
        self.table.setItemDelegateForColumn(0, _ScopeDelegate(self.table))
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(0, 150)
        self.table.setColumnWidth(1, 280)
        add = QPushButton("Add impact")
        add.clicked.connect(self.impacts.add)
        remove = QPushButton("Remove impact")
        remove.clicked.connect(lambda: self.impacts.remove(self.table.currentIndex().row()))
        self.message = QLabel(wordWrap=True)
        self.message.setStyleSheet("color: #b3261e; font-weight: bold;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(add)
        row_buttons.addWidget(remove)
        row_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(QLabel("<b>Impacts</b> on individuals or groups, and on society"))
        layout.addWidget(self.table)
        layout.addLayout(row_buttons)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def try_accept(self) -> None:
        try:
            self._save(self.form.values(), self.impacts.impacts)
        except FieldError as exc:
            if exc.field in self.form.editors:
                self.form.show_error(exc.field, exc.message)
            else:
                self.message.setText(exc.message)
            return
        self.accept()
