"""A form built from service field descriptions: one editor per field, errors shown at the
field they are about.

In a panel (a `save` callback given) each field is saved when the user leaves it. A value a
rule across fields refuses (a residual likelihood without its impact, an acceptance date
without who accepted) is not an error yet: the form holds it, marked "not saved yet", and
saves it together with the rest of the set, in one service call and one undo step, once the
user has filled it in. Whatever is still held when the form's item is left (another row, another
tab, the file closed) is tried once more; if the rule still refuses it the user is told it was
not saved. In a dialog (no callback) the values are read together on OK."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QPoint, QRect, QStringListModel, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.engagement.errors import AimsError, FieldError, RuleError
from app.services.engagement.fields import FieldSpec, format_number
from app.views.common import dialogs
from app.views.common.completion import keys_follow_focus
from app.views.common.guard import STATUS

if TYPE_CHECKING:  # the people service loads with the first form that offers people
    from app.views.common.people import PeopleNames

_ERROR_STYLE = "border: 2px solid #b3261e;"
_PENDING_STYLE = "border: 2px solid #c77700;"
_ERROR_TEXT = "color: #b3261e; font-weight: bold;"
_PENDING_TEXT = "color: #8a5300; font-weight: bold;"
_NOTE_TEXT = "color: #5f6368;"

Save = Callable[[object, dict[str, object]], object]  # (item, changes); raises AimsError


class LineEdit(QLineEdit):
    """One line that counts as edited when its text differs from what was shown (a
    completer's pick sets the text without marking it modified); Escape puts the shown text
    back. `picked` is a value chosen from a list (a completer, a calendar): saved at once."""

    picked = Signal()
    reverted = Signal()  # Escape: the typed value is dropped

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.shown = ""

    def show_text(self, text: str) -> None:
        self.shown = text
        self.setText(text)
        self.setCursorPosition(0)  # the start of a long value
        self.setModified(False)

    def is_changed(self) -> bool:
        return self.text() != self.shown

    def setCompleter(self, completer: QCompleter) -> None:  # noqa: N802 (Qt's name)
        super().setCompleter(completer)
        keys_follow_focus(self)  # keys typed after Tab closed the list: to the next field
        completer.activated.connect(lambda _text: self.picked.emit())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.is_changed():
            self.setText(self.shown)
            event.accept()
            self.reverted.emit()
            return
        super().keyPressEvent(event)


def _calendar_icon() -> QIcon:
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#444"))
    painter.drawRect(QRect(1, 2, 13, 12))
    painter.fillRect(QRect(2, 3, 12, 3), QColor("#b3261e"))
    for x in (4, 7, 10):
        for y in (8, 11):
            painter.fillRect(QRect(x, y, 2, 2), QColor("#444"))
    painter.end()
    return QIcon(pixmap)


class DateEdit(LineEdit):
    """A date typed as YYYY-MM-DD, or picked in a calendar (the button, or Alt+Down);
    left empty for no date."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("YYYY-MM-DD")
        self.setClearButtonEnabled(True)
        action = self.addAction(_calendar_icon(), QLineEdit.ActionPosition.TrailingPosition)
        action.setToolTip("Pick a date in a calendar (Alt+Down)")
        action.triggered.connect(self.open_calendar)
        self.calendar: QCalendarWidget | None = None

    def open_calendar(self) -> None:
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.setGridVisible(True)
            self.calendar.activated.connect(self._pick)  # Return or a double click
            self.calendar.clicked.connect(self._pick)
        try:
            start = dt.date.fromisoformat(self.text().strip())
        except ValueError:
            start = dt.date.today()
        self.calendar.setSelectedDate(QDate(start.year, start.month, start.day))
        self.calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        self.calendar.show()
        self.calendar.setFocus()

    def _pick(self, date: QDate) -> None:
        if self.calendar is not None:
            self.calendar.hide()
        self.setText(date.toString("yyyy-MM-dd"))
        self.setFocus()
        self.picked.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = event.key() == Qt.Key.Key_Down and (
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if alt_down or event.key() == Qt.Key.Key_F4:
            self.open_calendar()
            return
        super().keyPressEvent(event)


_LEADING_NUMBER = re.compile(r"\s*(\d+)")


class RatingEdit(LineEdit):
    """A rating on the engagement's scale, shown with its label ("3 - Possible"): type the
    number or part of the label, or pick from the list (the button, or Alt+Down)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.labels: list[str] = []
        self._choices = QStringListModel(self)
        completer = QCompleter(self._choices, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        # Imported here: building QStyle's Python type (its many enums) costs the window's
        # first paint ~5 ms, and only the risk ratings use it.
        from PySide6.QtWidgets import QStyle

        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown)
        action = self.addAction(icon, QLineEdit.ActionPosition.TrailingPosition)
        action.setToolTip("Choose from the scale (Alt+Down)")
        action.triggered.connect(self.open_list)

    def set_labels(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self._choices.setStringList([self.display(n) for n in range(1, len(labels) + 1)])

    def display(self, value: object) -> str:
        if isinstance(value, int) and 1 <= value <= len(self.labels):
            return f"{value} - {self.labels[value - 1]}"
        return "" if value is None else str(value)

    def rating(self) -> object:
        """The number typed or picked; the text itself when it is neither (the service then
        says what is wrong with it)."""
        text = self.text().strip()
        match = _LEADING_NUMBER.match(text)
        if match:
            return int(match.group(1))
        by_label = {label.lower(): n for n, label in enumerate(self.labels, start=1)}
        return by_label.get(text.lower(), text)

    def open_list(self) -> None:
        completer = self.completer()
        completer.setCompletionPrefix("")
        completer.complete()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and (event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.open_list()
            return
        super().keyPressEvent(event)


class LongText(QPlainTextEdit):
    """Several lines, reported when the user leaves the box. Tab moves on to the next field
    (a tab character has no place in a register); Escape puts the shown text back."""

    left = Signal()
    committed = Signal(str)  # the same moment, with the text
    reverted = Signal()  # Escape: the typed text is dropped

    def __init__(self, parent=None, **kwargs) -> None:
        super().__init__(parent, **kwargs)
        self.setTabChangesFocus(True)
        self.shown = ""

    def show_text(self, text: str) -> None:
        self.shown = text
        self.setPlainText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.toPlainText() != self.shown:
            self.setPlainText(self.shown)
            self.document().setModified(False)
            event.accept()
            self.reverted.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if self.document().isModified():
            self.document().setModified(False)
            self.left.emit()
            self.committed.emit(self.toPlainText())


class FieldForm(QWidget):
    edited = Signal(str, object)  # a field the user changed (name, value as typed)

    def __init__(self, specs: list[FieldSpec], parent=None, save: Save | None = None) -> None:
        super().__init__(parent)
        self.specs = {s.name: s for s in specs}
        self.editors: dict[str, QWidget] = {}
        self.messages: dict[str, QLabel] = {}
        self._save = save
        self._loading = False
        self.item: object = None  # what the values shown belong to (a row's ID)
        self._values: dict[str, object] = {}
        self.pending: dict[str, object] = {}  # held until their rule is satisfied
        self._rules: list[frozenset[str]] = []  # fields held together
        self._hint: tuple[str, str] | None = None  # (field to fill, what the rule says)
        self._people: PeopleNames | None = None  # names offered in the person fields
        self.person_fields: set[str] = set()
        self._settled_names: dict[str, tuple[str, str, str]] = {}  # name: (typed, saved, note)
        layout = QFormLayout(self)
        for spec in specs:
            editor = self._make(spec)
            self.editors[spec.name] = editor
            layout.addRow(spec.label if spec.kind != "bool" else "", editor)
            message = QLabel(wordWrap=True)
            message.hide()
            self.messages[spec.name] = message
            layout.addRow(message)
        self._general = QLabel(wordWrap=True)
        self._general.setStyleSheet(_ERROR_TEXT)
        self._general.hide()
        layout.addRow(self._general)

    @property
    def error(self) -> QLabel:
        """The message shown (at its field, or below the form when it names no field)."""
        for label in self.messages.values():
            if not label.isHidden():
                return label
        return self._general

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
            text = LongText()
            text.setMaximumHeight(80)
            text.left.connect(lambda t=text: self._emit(name, t.toPlainText()))
            text.reverted.connect(lambda: self._drop(name))
            return text
        line: LineEdit
        if spec.kind == "date":
            line = DateEdit()
        elif spec.scale:
            line = RatingEdit()
        else:
            line = LineEdit()
        line.editingFinished.connect(lambda ln=line: self._line_left(name, ln))
        line.picked.connect(lambda ln=line: self._line_left(name, ln))
        line.reverted.connect(lambda: self._drop(name))
        return line

    def _line_left(self, name: str, line: LineEdit) -> None:
        if not line.is_changed():
            return
        if name in self.person_fields and self._people is not None:
            self._person_left(name, line, self._people)
            return
        self._emit(name, self.value(name))

    def offer_people(self, people: PeopleNames) -> None:
        """People's names in every field that names a person (owner, assessor, approver...):
        offered as you type; a name typed is saved as the person spells it, and a new one
        offered to People."""
        from app.services.people.person_fields import PERSON_FIELDS

        self._people = people
        for name, spec in self.specs.items():
            editor = self.editors[name]
            if name in PERSON_FIELDS and spec.kind == "text":
                assert isinstance(editor, LineEdit)
                people.completer(editor, self)
                editor.setToolTip("A person: type part of a name to pick from People")
                self.person_fields.add(name)

    def _person_left(self, name: str, line: LineEdit, people: PeopleNames) -> None:
        typed = line.text()
        known = self._settled_names.get(name)
        if known is not None and known[0] == typed:  # Return, then leaving: asked once
            saved, note = known[1], known[2]
        else:
            saved, note = people.settle(self, typed)
            self._settled_names[name] = (typed, saved, note)
        if saved != typed:
            line.setText(saved)
        self._emit(name, saved)
        label = self.messages[name]
        if note and label.isHidden():  # (an error shown there says more)
            label.setStyleSheet(_NOTE_TEXT)
            label.setText(note)
            label.show()

    def set_scales(self, scales: Mapping[str, Sequence[str]]) -> None:
        """The labels of each rating scale ("likelihood", "impact"), shown in its editors."""
        for name, spec in self.specs.items():
            editor = self.editors[name]
            if isinstance(editor, RatingEdit) and spec.scale in scales:
                editor.set_labels(scales[spec.scale])
        if self._values:
            self.set_values(self._values, self.item)

    # values in and out
    def set_values(self, values: Mapping[str, object], item: object = None) -> None:
        """Show an item's values; held edits of another item are settled first."""
        if self.pending and item != self.item:
            self.leave()
        self.item = item
        self._values = dict(values)
        self._settled_names.clear()
        self._loading = True
        try:
            self.clear_error()
            for name, editor in self.editors.items():
                stored = values.get(name)
                if self.specs[name].kind == "choices":  # by their labels, as typed
                    stored = self.specs[name].label_of(stored)
                self._show(editor, self.pending.get(name, stored))
                if name in self.pending and isinstance(editor, (LineEdit, LongText)):
                    editor.shown = self._text_of(editor, stored)
        finally:
            self._loading = False
        self._show_pending()

    @staticmethod
    def _text_of(editor: QWidget, value: object) -> str:
        if isinstance(editor, RatingEdit):
            return editor.display(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, float):  # a number field's 92.0 reads 92
            return format_number(value)
        return "" if value is None else str(value)

    def _show(self, editor: QWidget, value: object) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(editor.findData(value))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, LongText):
            editor.show_text(str(value or ""))
        elif isinstance(editor, LineEdit):
            editor.show_text(self._text_of(editor, value))

    def value(self, name: str) -> object:
        editor = self.editors[name]
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        if isinstance(editor, RatingEdit):
            return editor.rating()
        assert isinstance(editor, QLineEdit)
        return editor.text()

    def values(self) -> dict[str, object]:
        return {name: self.value(name) for name in self.editors}

    # saving, field by field or a set held together
    def _emit(self, name: str, value: object) -> None:
        if self._loading:
            return
        self.edited.emit(name, value)
        if self._save is None:  # a dialog: saved together on OK
            return
        submitted = {name: value, **{n: self.pending[n] for n in self._related(name)}}
        while True:
            for held in submitted:
                self.pending.pop(held, None)
            order = list(self.specs)
            submitted = dict(sorted(submitted.items(), key=lambda kv: order.index(kv[0])))
            try:
                self._save(self.item, dict(submitted))
            except RuleError as exc:
                more = {n: self.pending[n] for n in exc.fields if n in self.pending}
                if more.keys() - submitted.keys():
                    submitted.update(more)  # the rule reads held values too: try them along
                    continue
                self._hold(submitted, exc)
            except FieldError as exc:
                self._restore(submitted, name)
                self.show_error(exc.field, exc.message)
                STATUS.refused(exc.message)
            except AimsError as exc:  # the file itself: moved, read-only, damaged
                self._restore(submitted, name)
                dialogs.error(self, "Change not saved", exc.message)
                STATUS.refused(exc.message)
            else:
                self._settled()
            return

    def _drop(self, name: str) -> None:
        """Escape on a held value: it is given up, the stored one shows again."""
        if name in self.pending:
            del self.pending[name]
            self._settled()

    def _related(self, name: str) -> set[str]:
        """Held fields that share a rule with this one (through other held fields too)."""
        found, grew = {name}, True
        while grew:
            grew = False
            for rule in self._rules:
                if rule & found and not rule <= found:
                    found |= rule
                    grew = True
        return (found - {name}) & self.pending.keys()

    def _restore(self, submitted: Mapping[str, object], edited: str) -> None:
        """A refusal of the edited field: what was held along stays held."""
        self.pending.update({k: v for k, v in submitted.items() if k != edited})
        self._show_pending()

    def _hold(self, submitted: Mapping[str, object], exc: RuleError) -> None:
        self.pending.update(submitted)
        self._rules.append(frozenset(exc.fields) | frozenset(submitted))
        self._hint = (exc.field, exc.message)
        self._show_pending()

    def _settled(self) -> None:
        self._rules = [r for r in self._rules if r & self.pending.keys()]
        if not self.pending:
            self._hint = None
        self._show_pending()

    def _show_pending(self) -> None:
        for name, editor in self.editors.items():
            if name in self.pending:
                if editor.styleSheet() != _PENDING_STYLE:
                    editor.setStyleSheet(_PENDING_STYLE)
            elif editor.styleSheet() == _PENDING_STYLE:
                editor.setStyleSheet("")
        if self.pending and self._hint is not None:
            field, message = self._hint
            label = self.messages.get(field, self._general)
            for other in (*self.messages.values(), self._general):
                if other is not label and other.styleSheet() == _PENDING_TEXT:
                    other.hide()
            label.setStyleSheet(_PENDING_TEXT)
            label.setText(f"Not saved yet: {message}")
            label.show()
            STATUS.set_pending(self, f"{self._what()}: {message}")
        else:
            for label in (*self.messages.values(), self._general):
                if label.styleSheet() == _PENDING_TEXT:
                    label.hide()
            STATUS.set_pending(self, None)

    def _what(self) -> str:
        labels = ", ".join(self.specs[n].label.lower() for n in self.pending if n in self.specs)
        return f"{self.item} {labels}" if self.item else labels

    def leave(self) -> None:
        """The form's item is left (another row, tab or file): held edits are saved now, or
        the user is told they were not."""
        if not self.pending or self._save is None:
            return
        changes, what = dict(self.pending), self._what()
        self.pending.clear()
        self._rules.clear()
        self._hint = None
        try:
            self._save(self.item, changes)
        except AimsError as exc:
            STATUS.refused(f"{what}: {exc.message}")
            dialogs.error(
                self,
                "Change not saved",
                f"{what[:1].upper() + what[1:]} was not saved: {exc.message}\n\nThe stored "
                "value is shown again; enter the whole set together to save it.",
            )
            self._show_pending()
            if self._values:
                self.set_values(self._values, self.item)  # what is really stored
            return
        self._show_pending()

    # messages at the fields
    def show_error(self, field: str, message: str) -> None:
        self.clear_error()
        editor = self.editors.get(field)
        label = self.messages.get(field, self._general)
        label.setStyleSheet(_ERROR_TEXT)
        label.setText(message)
        label.show()
        if editor is not None:
            editor.setStyleSheet(_ERROR_STYLE)
            editor.setFocus()

    def clear_error_of(self, name: str) -> None:
        """A refused field edited since: its message goes (it comes back if OK refuses it)."""
        label = self.messages.get(name)
        if label is not None and label.styleSheet() == _ERROR_TEXT:
            label.hide()
        editor = self.editors.get(name)
        if editor is not None and name not in self.pending and editor.styleSheet():
            editor.setStyleSheet("")

    def clear_error(self) -> None:
        for name, editor in self.editors.items():
            if name not in self.pending and editor.styleSheet():
                editor.setStyleSheet("")  # only when set: a restyled combo rebuilds its list
        for label in (*self.messages.values(), self._general):
            if label.styleSheet() != _PENDING_TEXT:
                label.hide()


class FormDialog(QDialog):
    """A small modal form: `save(values)` runs on OK; a FieldError keeps it open at the field."""

    def __init__(
        self,
        title: str,
        specs: list[FieldSpec],
        values: dict[str, object],
        save,
        parent=None,
        people: PeopleNames | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._save = save
        self.form = FieldForm(specs)
        if people is not None:
            self.form.offer_people(people)
        self.form.set_values(values)
        self.form.edited.connect(lambda name, _value: self.form.clear_error_of(name))
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
            STATUS.refused(exc.message)
            return
        self.accept()
