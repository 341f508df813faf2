"""The standard's mandatory documented information as a checklist: each entry with what
satisfies it, and the documents the consultant links to it (typed or picked by ID or title).
Nothing is found by guessing: an entry is satisfied by a linked document or a register fact
that is itself the documented information, and says which."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.documents import mandatory
from app.services.documents.register import DOCUMENTS
from app.services.engagement.errors import AimsError
from app.services.engagement.file import EngagementFile
from app.services.registers import service as register
from app.views.common import dialogs
from app.views.common.guard import STATUS
from app.views.common.text import esc
from app.views.common.undo import AppliedCommand
from app.views.registers.link_completer import LinkCompleter

_STATE_COLOURS = {
    "missing": "#8c1d18", "draft_only": "#8c1d18", "not_required": "#6b6b6b",
    "satisfied": "#1d5e20",
}  # fmt: skip
_COLUMNS = ["Entry", "Clause", "What must exist", "Satisfied by"]


class MandatoryTab(QWidget):
    changed = Signal()

    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__(parent)
        self.ef, self.undo_stack = ef, undo_stack
        self.entries: dict[str, mandatory.RequiredEntry] = {}
        self.summary = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(_COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnWidth(0, 70)
        self.tree.setColumnWidth(1, 110)
        self.tree.setColumnWidth(2, 420)
        self.tree.currentItemChanged.connect(lambda *_: self._show_entry())
        self.detail = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.documents = QLineEdit()
        self.documents.setPlaceholderText("Document IDs, separated by commas; Return saves")
        self.documents.setToolTip("Type a document's ID or title to pick it; Return saves")
        self.completer = LinkCompleter(
            self, lambda: register.link_choices(self.ef, DOCUMENTS, "supersedes")
        )
        self.completer.attach_to(self.documents)
        self.documents.returnPressed.connect(self._save)
        form = QFormLayout()
        form.addRow("Documents that satisfy it:", self.documents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addLayout(form)
        self.loaded_once = False

    def reload(self) -> None:
        current = self._current_id()
        self.entries = {e.info.id: e for e in mandatory.list_entries(self.ef)}
        self.tree.clear()
        for entry in self.entries.values():
            item = QTreeWidgetItem(
                [entry.info.id, entry.info.clause, entry.info.what, entry.state_text]
            )
            item.setForeground(3, QBrush(QColor(_STATE_COLOURS[entry.state])))
            item.setData(0, Qt.ItemDataRole.UserRole, entry.info.id)
            self.tree.addTopLevelItem(item)
            if entry.info.id == current:
                self.tree.setCurrentItem(item)
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        counts = mandatory.counts(list(self.entries.values()))
        missing = counts["mandatory_missing"]
        self.summary.setText(
            f"<b>{missing} of {counts['mandatory_total']}</b> entries have no document linked"
            + (f" ({esc(mandatory.MISSING.id)})" if missing else "")
            + f"; {counts['mandatory_not_required']} not required (control excluded in the SoA)."
        )
        self.loaded_once = True

    def _current_id(self) -> str | None:
        item = self.tree.currentItem()
        return str(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else None

    def _show_entry(self) -> None:
        entry = self.entries.get(self._current_id() or "")
        self.documents.setEnabled(entry is not None and not self.ef.read_only)
        if entry is None:
            self.detail.setText("")
            self.documents.clear()
            return
        self.detail.setText(
            f"<b>{esc(entry.info.id)} ({esc(entry.info.clause)})</b>: {esc(entry.info.what)}"
            f"<br>Usually: {esc(entry.info.artefact)}. <i>{esc(entry.state_text)}</i>"
        )
        self.documents.setText(", ".join(d.id for d in entry.documents))

    def _save(self) -> None:
        entry_id = self._current_id()
        if entry_id is None or self.ef.read_only:
            return
        wanted = register.split_ids(self.documents.text())
        wanted = [w.split(maxsplit=1)[0] for w in wanted]
        old = self._apply(entry_id, wanted)
        if old is None:
            return
        before = register.split_ids(old)
        if before == wanted:
            return

        def undo() -> None:
            self._apply(entry_id, before)

        def redo() -> None:
            self._apply(entry_id, wanted)

        self.undo_stack.push(AppliedCommand(f"Link documents to {entry_id}", undo, redo))

    def _apply(self, entry_id: str, ids: list[str]) -> str | None:
        try:
            old = mandatory.set_documents(self.ef, entry_id, ids)
        except AimsError as exc:
            dialogs.error(self, "Documents not linked", exc.message)
            STATUS.refused(exc.message)
            return None
        self.reload()
        self.changed.emit()
        return old
