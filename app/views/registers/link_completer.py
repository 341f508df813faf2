"""A completer for a field of IDs (one, or several separated by commas): it offers the items
as "ID name", matches what is typed since the last comma anywhere in them, and puts in the ID
alone."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit


class LinkCompleter(QCompleter):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.choices = QStringListModel(self)  # owned here: Python would collect it otherwise
        self.setModel(self.choices)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)

    def set_choices(self, choices: list[str]) -> None:
        self.choices.setStringList(choices)

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
