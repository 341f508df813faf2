"""A completer for a field of IDs (one, or several separated by commas): it offers the items
as "ID name", matches what is typed since the last comma anywhere in them, and puts in the ID
alone. With a `source`, the items are asked for when the field gets the focus (fresh, and
never while the user only moves from row to row: a register of 50,000 would freeze the window
on every selection)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)
from PySide6.QtWidgets import QCompleter, QLineEdit

from app.views.common.completion import complete


class LinkCompleter(QCompleter):
    def __init__(self, parent=None, source: Callable[[], list[str]] | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self.choices = QStringListModel(self)  # owned here: Python would collect it otherwise
        self.setModel(self.choices)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)

    def set_choices(self, choices: list[str]) -> None:
        self.choices.setStringList(choices)

    def attach_to(self, editor: QLineEdit) -> None:
        """Complete `editor`; with a source, its items are read each time it gets the focus."""
        complete(editor, self)
        if self._source is not None:
            self._watcher = _FocusWatcher(lambda: self.set_choices(self._source()), self)
            editor.installEventFilter(self._watcher)

    def _typed(self) -> tuple[str, str]:
        """(what stays before the last comma, what is being typed after it)."""
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        head, comma, tail = text.rpartition(",")
        return (head + comma + " " if comma else ""), tail.strip()

    def splitPath(self, path: str) -> list[str]:  # noqa: N802 (Qt's name)
        return [path.rpartition(",")[2].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802 (Qt's name)
        chosen = str(index.data()).split(maxsplit=1)[0]  # the ID, not its name
        return self._typed()[0] + chosen


class ChoicesCompleter(LinkCompleter):
    """For a field holding several of a few choices (a role's authorities): offers their
    labels and puts in the label picked, after those already there."""

    def __init__(self, labels: list[str], parent=None) -> None:
        super().__init__(parent)
        self.set_choices(labels)

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802 (Qt's name)
        return self._typed()[0] + str(index.data())


class _FocusWatcher(QObject):
    def __init__(self, on_focus: Callable[[], object], parent: QObject) -> None:
        super().__init__(parent)
        self._on_focus = on_focus

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.FocusIn:
            self._on_focus()
        return False
