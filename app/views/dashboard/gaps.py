"""The dashboard's gaps: the six that fail audits, each open or met with a button to its
items, and a table of the other open gaps, gravest first, each row opening its items."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import words
from app.services.gaps import SEVERITIES
from app.services.readiness.model import Finding
from app.views.common.text import esc
from app.views.dashboard.parts import MET_COLOUR, OPEN_COLOUR, AnyIndex, ListModel


def why(f: Finding) -> str:
    """How the tab the items open in names what it shows: 'the items of INV-01'."""
    return f"the items of {f.rule.id}"


class FailingGaps(QGroupBox):
    """The six audit-failing gaps, in the issue's order."""

    show_items = Signal(str, list, str)  # kind, IDs, why

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("The gaps that fail certification audits", parent)
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(1, 1)
        self.states: list[QLabel] = []
        self.titles: list[QLabel] = []
        self.buttons: list[QPushButton] = []
        self.found: list[Finding] = []

    def show_found(self, found: Sequence[Finding]) -> None:
        self.found = list(found)
        while len(self.buttons) < len(found):  # made once; the same six after each refresh
            row = len(self.buttons)
            state, title = QLabel(), QLabel(wordWrap=True)
            button = QPushButton()
            button.clicked.connect(lambda _=False, n=row: self._open(n))
            self.grid.addWidget(state, row, 0)
            self.grid.addWidget(title, row, 1)
            self.grid.addWidget(button, row, 2)
            self.states.append(state)
            self.titles.append(title)
            self.buttons.append(button)
        shown = zip(found, self.states, self.titles, self.buttons, strict=False)
        for f, state, title, button in shown:
            colour = OPEN_COLOUR if f.open else MET_COLOUR
            state.setText(f'<b style="color:{colour}">{"Open" if f.open else "Met"}</b>')
            detail = f.note or ", ".join(f.items[:6]) + (" …" if len(f.items) > 6 else "")
            title.setText(
                f"<b>{esc(f.rule.title)}</b> <span style='color:#5f6b73'>({esc(f.rule.id)}, "
                f"{esc(f.rule.ref)})</span>"
                + (f"<br>{esc(detail)}" if f.open and detail else "")
                + (f"<br><i>{esc(f.rule.todo)}</i>" if f.open else "")
            )
            title.setToolTip(f.rule.todo)
            button.setText(_button_text(f))
            button.setEnabled(bool(f.kind))

    def _open(self, row: int) -> None:
        f = self.found[row]
        self.show_items.emit(f.kind, shown_ids(f), why(f))


def shown_ids(f: Finding) -> list[str]:
    """What a jump shows alone: the items, when they are IDs; else the whole area."""
    return list(f.items) if f.by_id else []


def _button_text(f: Finding) -> str:
    if f.items and f.by_id:
        return f"Show {words.count(len(f.items), 'item')}"
    return "Open the area"


class GapsModel(ListModel):
    HEADERS = ("Gap", "Title", "Clause", "Severity", "Count", "What to do")

    @property
    def found(self) -> list[Finding]:
        return self.rows

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        f = self.found[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            count = "whole engagement" if f.whole and not f.items else f"{len(f.items):,}"
            values = (f.rule.id, f.rule.title, f.rule.ref, SEVERITIES[f.rule.severity], count,
                      f.rule.todo)  # fmt: skip
            return values[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            shown = f.note or ", ".join(f.items[:20]) + (" …" if len(f.items) > 20 else "")
            return f"{f.rule.label}\n{shown}\n{f.rule.todo}".strip()
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and f.rule.severity == "major":
            return QBrush(QColor(OPEN_COLOUR))
        return None


class OtherGaps(QGroupBox):
    """The other open gaps, gravest first; Return or a double-click opens a row's items."""

    show_items = Signal(str, list, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Other open gaps, gravest first", parent)
        self.model = GapsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((90, 330, 60, 90, 110)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setMinimumHeight(260)
        self.table.activated.connect(self._open)  # Return, double-click
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)

    def show_found(self, found: Sequence[Finding]) -> None:
        self.model.set_rows(found)
        by = {s: sum(1 for f in found if f.rule.severity == s) for s in SEVERITIES}
        self.summary.setText(
            f"{words.count(len(found), 'open gap')}: {by['major']} would fail the audit, "
            f"{by['minor']} minor, {words.count(by['observation'], 'observation')}. "
            "Return or a double-click opens a gap's items."
        )

    def _open(self, index: QModelIndex) -> None:
        f = self.model.found[index.row()]
        if f.kind:
            self.show_items.emit(f.kind, shown_ids(f), why(f))
