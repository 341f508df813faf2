"""Match owners to People from the People tab: off the UI thread, with progress and Cancel,
then the report of what was matched, what is no person yet and what is ambiguous."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMenu, QProgressDialog, QToolButton, QWidget

from app.services.engagement.file import EngagementFile
from app.services.people import owners
from app.services.people.owners import MatchReport
from app.views.common import dialogs, worker
from app.views.common.guard import STATUS


class MatchOwners:
    """The People tab's "Match owners" button and what it runs."""

    def __init__(self, parent: QWidget, ef: EngagementFile, done: Callable[[], None]) -> None:
        self.parent, self.ef, self.done = parent, ef, done
        self.task: worker.Task | None = None
        self.progress: QProgressDialog | None = None
        self.report: MatchReport | None = None
        self.button = QToolButton(parent)
        self.button.setText("Match owners to People")
        self.button.setToolTip(
            "Match every owner, assessor, approver and acceptor of every tab to a person"
        )
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self.button)
        self.match_action = menu.addAction("Match owners to People", lambda: self.run(False))
        self.add_action = menu.addAction(
            "Match owners, adding new names to People", lambda: self.run(True)
        )
        self.button.setMenu(menu)
        self.button.clicked.connect(lambda: self.run(False))
        self.button.setEnabled(not ef.read_only)
        self.note = QLabel(parent)  # what the last run did, in one line

    def run(self, add_new: bool) -> None:
        if self.ef.read_only or self.task is not None:
            return
        progress = self.progress = QProgressDialog(
            "Matching owners to People…", "Cancel", 0, 100, self.parent
        )
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        ef = self.ef

        def finished(report: MatchReport) -> None:
            self._end()
            self.report = report
            self.note.setText(report.summary().splitlines()[0])
            self.done()
            dialogs.info(self.parent, "Owners matched to People", report.summary())

        def failed(message: str) -> None:
            self._end()
            STATUS.refused(message)
            dialogs.error(self.parent, "Owners not matched", message)

        def cancelled() -> None:
            self._end()
            self.note.setText("Matching owners cancelled: nothing was changed.")

        def show(done: int, total: int, message: str) -> None:
            progress.setLabelText(message)
            progress.setValue(int(100 * done / total) if total else 100)

        task = worker.start(lambda: owners.match_owners(ef, add_new), finished, failed, show)
        task.signals.cancelled.connect(cancelled)
        progress.canceled.connect(task.cancel)
        self.task = task

    def _end(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
        self.progress, self.task = None, None

    def shutdown(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task.wait()
