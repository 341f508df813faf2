"""A form built from service field descriptions: one editor per field, edits reported one
field at a time (a text box when the user leaves it), errors shown at the field."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import AimsError
from app.services.fields import FieldSpec

_ERROR_STYLE = "border: 2px solid #b3261e;"


class _LongText(QPlainTextEdit):
    left = Signal()

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if self.document().isModified():
            self.document().setModified(False)
            self.left.emit()


class FieldForm(QWidget):
    edited = Signal(str, object)  # field name, raw value as typed

    def __init__(self, specs: list[FieldSpec], parent=None) -> None:
        super().__init__(parent)
        self.specs = {s.name: s for s in specs}
        self.editors: dict[str, QWidget] = {}
        self._loading = False
        layout = QFormLayout(self)
        for spec in specs:
            editor = self._make(spec)
            self.editors[spec.name] = editor
            layout.addRow(spec.label if spec.kind != "bool" else "", editor)
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error.hide()
        layout.addRow(self.error)

    def _make(self, spec: FieldSpec) -> QWidget:
        name = spec.name
        if spec.kind == "choice":
            box = QComboBox()
            for key, label in spec.choices.items():
                box.addItem(label, key)
            box.activated.connect(lambda _i, b=box: self._emit(name, b.currentData()))
            return box
        if spec.kind == "bool":
            check = QCheckBox(spec.label)
            check.toggled.connect(lambda on: self._emit(name, on))
            return check
        if spec.kind == "long":
            text = _LongText()
            text.setMaximumHeight(80)
            text.left.connect(lambda t=text: self._emit(name, t.toPlainText()))
            return text
        line = QLineEdit()
        if spec.kind == "date":
            line.setPlaceholderText("YYYY-MM-DD")
        line.editingFinished.connect(
            lambda ln=line: self._emit(name, ln.text()) if ln.isModified() else None
        )
        return line

    def _emit(self, name: str, value: object) -> None:
        if not self._loading:
            self.edited.emit(name, value)

    def set_values(self, values: dict[str, object]) -> None:
        self._loading = True
        try:
            self.clear_error()
            for name, editor in self.editors.items():
                value = values.get(name)
                if isinstance(editor, QComboBox):
                    editor.setCurrentIndex(editor.findData(value))
                elif isinstance(editor, QCheckBox):
                    editor.setChecked(bool(value))
                elif isinstance(editor, QPlainTextEdit):
                    editor.setPlainText(str(value or ""))
                elif isinstance(editor, QLineEdit):
                    text = value.isoformat() if isinstance(value, dt.date) else str(value or "")
                    editor.setText(text)
                    editor.setCursorPosition(0)  # show the start of a long value
                    editor.setModified(False)
        finally:
            self._loading = False

    def value(self, name: str) -> object:
        editor = self.editors[name]
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        return editor.text()

    def values(self) -> dict[str, object]:
        return {name: self.value(name) for name in self.editors}

    def show_error(self, field: str, message: str) -> None:
        self.clear_error()
        editor = self.editors.get(field)
        if editor is not None:
            editor.setStyleSheet(_ERROR_STYLE)
            editor.setFocus()
        self.error.setText(message)
        self.error.show()

    def clear_error(self) -> None:
        for editor in self.editors.values():
            editor.setStyleSheet("")
        self.error.hide()


class FormDialog(QDialog):
    """A small modal form: `save(values)` runs on OK; a FieldError keeps it open at the field."""

    def __init__(
        self, title: str, specs: list[FieldSpec], values: dict[str, object], save, parent=None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._save = save
        self.form = FieldForm(specs)
        self.form.set_values(values)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(buttons)

    def try_accept(self) -> None:
        try:
            self._save(self.form.values())
        except AimsError as exc:  # a refused field, or the file itself (moved, read-only)
            self.form.show_error(getattr(exc, "field", ""), exc.message)
            return
        self.accept()
