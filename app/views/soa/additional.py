"""Controls beyond Annex A, kept from the SoA tab: a small dialog listing them, with the ID,
title and source of the selected one to edit. Insert starts a new one, Return saves, Delete
deletes the selected one; every change is an undo step (Ctrl+Z works in the dialog too)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from app.services.engagement.errors import AimsError
from app.services.engagement.file import EngagementFile
from app.services.soa import additional
from app.services.soa.additional import Additional
from app.views.common.guard import STATUS
from app.views.common.register_tab import ListModel
from app.views.common.undo import AppliedCommand


class AdditionalControlsDialog(QDialog):
    def __init__(
        self,
        ef: EngagementFile,
        undo_stack: QUndoStack,
        changed: Callable[[], None],
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.ef, self.undo_stack, self._changed = ef, undo_stack, changed
        self.setWindowTitle("Controls beyond Annex A")
        self.resize(720, 440)
        self.model = ListModel(
            ("ID", "Title", "Source"), lambda a: (a.id, a.title, a.source), parent=self
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 130)
        self.table.setColumnWidth(1, 300)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self.id_edit = QLineEdit(placeholderText="e.g. 27001-A.5.15 or CP-01")
        self.title_edit = QLineEdit(placeholderText="what the control does")
        self.source_edit = QLineEdit(placeholderText='e.g. "ISO/IEC 27001 A.5.15", "Client policy"')
        form = QFormLayout()
        form.addRow("&ID", self.id_edit)
        form.addRow("&Title", self.title_edit)
        form.addRow("&Source", self.source_edit)
        self.message = QLabel(wordWrap=True)
        self.message.setStyleSheet("color:#8c1d18;")
        self.new_button = QPushButton("&New")
        self.new_button.setToolTip("Start a new control (Insert)")
        self.new_button.clicked.connect(lambda: self.start_new())
        self.save_button = QPushButton("Sa&ve")
        self.save_button.setToolTip("Save the ID, title and source (Return)")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setToolTip("Delete the selected control (Delete)")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.delete_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        self.save_button.setAutoDefault(True)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Controls the organization needs beyond Annex A (from ISO/IEC 27001, a sector "
                "code or its own policies). The SoA decides on them like on any control and "
                "risk treatments can select them.",
                wordWrap=True,
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addWidget(close)
        QShortcut(QKeySequence(Qt.Key.Key_Insert), self, lambda: self.start_new())
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.delete_selected)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_stack.undo)
        QShortcut(QKeySequence.StandardKey.Redo, self, self.undo_stack.redo)
        self.undo_stack.indexChanged.connect(self._after_undo)
        self.finished.connect(lambda _r: self.undo_stack.indexChanged.disconnect(self._after_undo))
        self.read_only = ef.read_only
        for widget in (self.new_button, self.save_button, self.delete_button):
            widget.setEnabled(not self.read_only)
        self.reload()
        self.start_new()

    # the list
    def reload(self, select: str | None = None) -> None:
        self.model.set_rows(additional.list_additional(self.ef))
        ids = [a.id for a in self.model.rows]
        if select in ids:
            self.table.selectRow(ids.index(select))
        self._show_selected()

    def selected(self) -> Additional | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _show_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.id_edit.setText(row.id)
        self.id_edit.setReadOnly(True)  # risks and the SoA name it by its ID
        self.id_edit.setToolTip("The ID stays: risks and the SoA name the control by it")
        self.title_edit.setText(row.title)
        self.source_edit.setText(row.source)
        self.message.setText("")

    def start_new(self, focus: bool = True) -> None:
        self.table.clearSelection()
        self.table.selectionModel().clearCurrentIndex()
        for edit in (self.id_edit, self.title_edit, self.source_edit):
            edit.clear()
        self.id_edit.setReadOnly(False)
        self.id_edit.setToolTip("")
        self.message.setText("")
        if focus:
            self.id_edit.setFocus()

    def _after_undo(self, _index: int) -> None:
        current = self.selected()
        self.reload(current.id if current else None)

    # changes
    def _run(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except AimsError as exc:
            self.message.setText(exc.message)
            STATUS.refused(exc.message)
            return False
        self.message.setText("")
        return True

    def _push(self, text: str, undo: Callable[[], object], redo: Callable[[], object]) -> None:
        def replay(action: Callable[[], object]) -> Callable[[], None]:
            def run() -> None:
                if self._run(action):
                    self._changed()

            return run

        self.undo_stack.push(AppliedCommand(text, replay(undo), replay(redo)))
        self._changed()

    def save(self) -> None:
        if self.read_only:
            return
        values = {
            "id": self.id_edit.text(),
            "title": self.title_edit.text(),
            "source": self.source_edit.text(),
        }
        row = self.selected()
        if row is None:
            added: list[str] = []
            if not self._run(lambda: added.append(additional.add(self.ef, values))):
                return
            new_id = added[0]
            self._push(
                f"Add control {new_id}",
                lambda: additional.set_deleted(self.ef, new_id, True),
                lambda: additional.set_deleted(self.ef, new_id, False),
            )
            self.reload(new_id)
            return
        old: list[dict[str, str]] = []
        if not self._run(lambda: old.append(additional.update(self.ef, row.id, values))):
            return
        self.reload(row.id)
        now = self.selected()
        if now is not None and (now.title, now.source) != (row.title, row.source):
            self._push(
                f"Edit control {row.id}",
                lambda: additional.update(self.ef, row.id, old[0]),
                lambda: additional.update(self.ef, row.id, values),
            )

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None or self.read_only:
            return
        if not self._run(lambda: additional.set_deleted(self.ef, row.id, True)):
            return
        self._push(
            f"Delete control {row.id}",
            lambda: additional.set_deleted(self.ef, row.id, False),
            lambda: additional.set_deleted(self.ef, row.id, True),
        )
        self.reload()
        self.start_new(focus=False)  # Delete again, or Ctrl+Z, from the list
