"""Search every register at once (Ctrl+Shift+F): type, and the hits come in off the UI thread;
Return or a double click opens the item in its area."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QDialog, QLabel, QLineEdit, QTableView, QVBoxLayout

from app.services import words
from app.services.engagement.file import EngagementFile
from app.services.registers.search import Hit, search
from app.views.common import worker
from app.views.common.register_tab import ListModel


class SearchDialog(QDialog):
    def __init__(
        self, ef: EngagementFile, open_item: Callable[[str, str], None], parent=None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search every register")
        self.resize(820, 460)
        self.ef, self._open_item = ef, open_item
        self._task: worker.Task | None = None
        self.query = QLineEdit(placeholderText="IDs, titles, owners, notes, evidence…")
        self.query.setClearButtonEnabled(True)
        self.hits = ListModel(
            ("Area", "ID", "Name", "Found in", "Text"),
            lambda h: (h.area, h.item_id, h.name, h.field, h.text),
            parent=self,
        )
        self.table = QTableView()
        self.table.setModel(self.hits)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((130, 80, 220, 140)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        self.count = QLabel("Type to search.")
        layout = QVBoxLayout(self)
        for widget in (self.query, self.table, self.count):
            layout.addWidget(widget)
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self._start)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.query.returnPressed.connect(self.open_current)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.query.hasFocus():
            self.table.setFocus()  # the arrows move through the hits
            if not self.table.currentIndex().isValid() and self.hits.rowCount():
                self.table.selectRow(0)
                return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.hasFocus():
            self.open_current()
            return
        super().keyPressEvent(event)

    def _start(self) -> None:
        if self._task is not None:
            self._task.cancel()
        text = self.query.text()
        if not text.strip():
            self.hits.set_rows([])
            self.count.setText("Type to search.")
            return
        self.count.setText("Searching…")
        ef = self.ef
        task: worker.Task | None = None

        def done(result: tuple[list[Hit], bool]) -> None:
            if task is self._task:
                self._task = None
                self._show(*result)

        def failed(message: str) -> None:
            if task is self._task:
                self._task = None
                self.count.setText(f"Could not search: {message}")

        task = self._task = worker.start(lambda: search(ef, text), done, failed)

    def _show(self, hits: list[Hit], more: bool) -> None:
        self.hits.set_rows(hits)
        if hits:
            self.table.selectRow(0)
        found = words.count(len(hits), "item")
        self.count.setText(
            f"{found} found"
            + ("; more match: add a word to narrow the search" if more else "")
            + (". Return opens the selected one." if hits else "")
        )

    def wait(self) -> None:
        """For tests: let a search in progress finish and show."""
        self._timer.stop()
        if self.query.text().strip() and self._task is None and not self.hits.rows:
            self._start()
        while self._task is not None:
            self._task.wait()
            QCoreApplication.sendPostedEvents()

    def open_current(self) -> None:
        index = self.table.currentIndex()
        rows: list[Hit] = self.hits.rows
        if not rows:
            return
        hit = rows[index.row()] if index.isValid() else rows[0]
        self.accept()
        self._open_item(*hit.opens)

    def done(self, result: int) -> None:  # noqa: D102 (Qt's name)
        if self._task is not None:
            self._task.cancel()
            self._task.wait()
        super().done(result)
