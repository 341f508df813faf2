"""The selected document's attached files: attach (button or drag and drop), open with the
system's viewer, export, remove (undo-able) and check against their SHA-256. Reading and
writing the bytes runs off the UI thread with progress and Cancel."""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app.services import words
from app.services.documents import attachments
from app.services.documents.attachments import AttachmentRow
from app.services.engagement.errors import AimsError
from app.services.engagement.file import EngagementFile
from app.services.progress import Progress
from app.views.common import dialogs, worker
from app.views.common.guard import STATUS
from app.views.common.undo import AppliedCommand


def _size(n: int) -> str:
    if n < 1024:
        return words.count(n, "byte")
    if n < 1024 * 1024:
        return f"{n / 1024:,.1f} KB"
    return f"{n / (1024 * 1024):,.1f} MB"


class AttachmentsPanel(QGroupBox):
    changed = Signal()

    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__("Attached files", parent)
        self.ef, self.undo_stack = ef, undo_stack
        self.document_id: str | None = None
        self.task: worker.Task | None = None
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["File", "Size", "SHA-256"])
        self.list.setRootIsDecorated(False)
        self.list.setMinimumHeight(70)
        self.list.setMaximumHeight(140)
        self.list.itemActivated.connect(lambda *_: self.open_selected())
        self.note = QLabel(wordWrap=True)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text, tip, slot in (
            ("attach", "Attach…", "Attach files (Ctrl+Shift+A), or drop them here", self.attach),
            ("open", "Open", "Open the selected file with its viewer (Return)", self.open_selected),
            ("export", "Export…", "Write the selected file into a folder", self.export),
            (
                "export_all",
                "Export all…",
                "Write every attached file of the engagement into a folder",
                self.export_all,
            ),
            ("remove", "Remove", "Remove the selected file; Ctrl+Z brings it back", self.remove),
            ("verify", "Check all", "Check every attached file against its SHA-256", self.verify),
        ):
            button = self.buttons[key] = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        QShortcut(QKeySequence("Ctrl+Shift+A"), self, self.attach)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.list)
        layout.addWidget(self.note)
        self.setAcceptDrops(True)
        self.show_document(None)

    # what the tab asks
    def show_document(self, document_id: str | None) -> None:
        self.document_id = document_id
        self.list.clear()
        rows = attachments.list_attachments(self.ef, document_id) if document_id else []
        for row in rows:
            item = QTreeWidgetItem([row.name, _size(row.size), row.sha256[:16] + "…"])
            item.setToolTip(2, row.sha256)
            item.setData(0, Qt.ItemDataRole.UserRole, row)
            self.list.addTopLevelItem(item)
        writable = document_id is not None and not self.ef.read_only
        self.buttons["attach"].setEnabled(writable)
        self.buttons["remove"].setEnabled(writable and bool(rows))
        self.buttons["open"].setEnabled(bool(rows))
        self.buttons["export"].setEnabled(bool(rows))
        self.buttons["export_all"].setEnabled(document_id is not None)
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        self.note.setText("" if rows or document_id is None else "No file attached yet.")

    def selected(self) -> AttachmentRow | None:
        item = self.list.currentItem()
        row = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return row if isinstance(row, AttachmentRow) else None

    # drag and drop
    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802  (Qt's name)
        if event.mimeData().hasUrls() and self.buttons["attach"].isEnabled():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.attach_files(paths)

    # the actions
    def attach(self) -> None:
        if self.document_id is None or self.ef.read_only:
            return
        paths = dialogs.choose_files(self, f"Attach files to {self.document_id}")
        self.attach_files(paths)

    def attach_files(self, paths: list[Path]) -> None:
        doc = self.document_id
        if doc is None or not paths or self.ef.read_only:
            return
        large = [p for p in paths if p.is_file() and os.stat(p).st_size > attachments.LIMIT]
        allow = bool(large) and dialogs.confirm(
            self,
            "Attach large files",
            f"{', '.join(p.name for p in large)}: over the {_size(attachments.LIMIT)} limit "
            "for one attachment. The engagement file grows by as much. Attach anyway?",
        )
        if large and not allow:
            paths = [p for p in paths if p not in large]
        ef = self.ef
        added: list[AttachmentRow] = []
        problems: list[str] = []

        def steps() -> Generator[Progress, None, None]:
            for path in paths:  # each file its own transaction: one refused keeps the rest
                try:
                    added.append((yield from attachments.attach(ef, doc, path, allow)))
                except AimsError as exc:
                    problems.append(exc.message)

        def done(_result: object) -> None:
            self._ended(problems, "Not every file was attached")
            if added:
                self._push_attached(added)

        # cancelled: the file being read is not stored; those before it are, and undo-able
        def cancelled() -> None:
            if added:
                self._push_attached(added)

        self._run(steps, f"Attaching to {doc}…", done, cancelled)

    def _push_attached(self, added: list[AttachmentRow]) -> None:
        ef = self.ef

        def mark(deleted: bool) -> Callable[[], None]:
            def run() -> None:
                for a in added:
                    if not self._quietly(lambda a=a: attachments.set_deleted(ef, a.id, deleted)):
                        return

            return run

        names = ", ".join(a.name for a in added)
        self.undo_stack.push(AppliedCommand(f"Attach {names}", mark(True), mark(False)))
        self.show_document(self.document_id)
        self.changed.emit()

    def open_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        ef = self.ef

        def done(path: Path) -> None:
            self._ended([], "")
            if not dialogs.open_with_system(path):
                dialogs.error(self, "Cannot open", f"No program opens {row.name}; it is at {path}.")

        self._run(lambda: attachments.open_copy(ef, row.id), f"Opening {row.name}…", done)

    def export(self) -> None:
        row = self.selected()
        if row is not None:
            self._export([row], f"Export {row.name} into")

    def export_all(self) -> None:
        self._export(None, "Export every attached file into")

    def _export(self, rows: list[AttachmentRow] | None, title: str) -> None:
        """Into a folder the user picks; None: every attachment of the engagement."""
        folder = dialogs.choose_folder(self, title)
        if folder is None:
            return
        ef = self.ef

        def done(result: attachments.Exported) -> None:
            self._ended([m.text for m in result.failed], "Some files failed their check")
            wrote = result.as_text().splitlines()[0].removesuffix(".")
            self.note.setText(f"{wrote} into {folder}.")

        self._run(lambda: attachments.export(ef, folder, rows), "Exporting…", done)

    def remove(self) -> None:
        row = self.selected()
        if row is None or self.ef.read_only:
            return
        if not self._quietly(lambda: attachments.set_deleted(self.ef, row.id, True)):
            return

        def mark(deleted: bool) -> Callable[[], None]:
            def run() -> None:
                self._quietly(lambda: attachments.set_deleted(self.ef, row.id, deleted))

            return run

        self.undo_stack.push(AppliedCommand(f"Remove {row.name}", mark(False), mark(True)))
        self.show_document(self.document_id)
        self.changed.emit()

    def verify(self) -> None:
        ef = self.ef

        def done(found: list[attachments.Mismatch]) -> None:
            self._ended([], "")
            if found:
                dialogs.error(
                    self,
                    "Attachments failing their check",
                    "\n".join(m.text for m in found)
                    + "\n\nAttach these files again from their originals.",
                )
            else:
                dialogs.info(
                    self, "Attachments checked", "Every attached file matches its SHA-256."
                )

        self._run(lambda: attachments.verify(ef), "Checking attached files…", done)

    # plumbing
    def _quietly(self, action: Callable[[], object]) -> bool:
        try:
            action()
        except AimsError as exc:
            dialogs.error(self, "Change not saved", exc.message)
            STATUS.refused(exc.message)
            return False
        self.show_document(self.document_id)
        self.changed.emit()
        return True

    def _ended(self, problems: list[str], title: str) -> None:
        if problems:
            STATUS.refused(problems[0])
            dialogs.error(self, title, "\n".join(problems))

    def _run(
        self,
        fn: Callable[[], Any],
        label: str,
        done: Callable[[Any], None],
        on_cancel: Callable[[], object] | None = None,
    ) -> None:
        # each run closes its own dialog, and quietly: close() emits `canceled`, which must
        # not cancel a later run
        progress = QProgressDialog(label, "Cancel", 0, 1000, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)

        def close() -> None:
            progress.canceled.disconnect()
            progress.close()

        def finished(result: object) -> None:
            close()
            done(result)

        def failed(message: str) -> None:
            close()
            STATUS.refused(message)
            dialogs.error(self, "Not done", message)

        def show(count: int, total: int, message: str) -> None:
            progress.setLabelText(message)
            progress.setValue(int(1000 * count / total) if total else 1000)

        def cancelled() -> None:
            close()
            self.show_document(self.document_id)
            if on_cancel is not None:
                on_cancel()

        task = self.task = worker.start(fn, finished, failed, show)
        task.signals.cancelled.connect(cancelled)
        progress.canceled.connect(task.cancel)

    def shutdown(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task.wait()
