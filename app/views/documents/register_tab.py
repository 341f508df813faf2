"""The document register: the described register's tab, with the selected document's attached
files between its gaps and its fields."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import QPushButton, QWidget

from app.services.documents import versions
from app.services.documents.register import DOCUMENTS
from app.services.engagement.file import EngagementFile
from app.services.people import authority
from app.views.common import dialogs
from app.views.common.text import esc
from app.views.documents.attachments_panel import AttachmentsPanel
from app.views.registers.tab import DescribedTab


class DocumentsTab(DescribedTab):
    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent=None) -> None:
        self.attachments = AttachmentsPanel(ef, undo_stack)  # the panel is built in super()
        self.version_button = QPushButton("New version…")
        self.version_button.setToolTip(
            "A new version of the selected document (Ctrl+Shift+V): a draft that supersedes "
            "it; the old one stays readable"
        )
        super().__init__(ef, undo_stack, DOCUMENTS, parent)
        self.version_button.clicked.connect(self.new_version)
        QShortcut(QKeySequence("Ctrl+Shift+V"), self, self.new_version)
        self.attachments.changed.connect(self.changed)

    def panel_extras(self) -> list[QWidget]:
        return [self.version_button, self.attachments]

    def show_current(self) -> None:
        super().show_current()
        without = authority.of_item(self.ef, "policy", self.current) if self.current else None
        if without is not None:  # the AI policy approved by someone not allowed to (PPL-09)
            shown = self.gaps.text() if self.gaps.isVisibleTo(self) else ""
            self.gaps.setText(
                (shown or "<b>Gaps an auditor will find</b>")
                + f"<br>• {esc(without.rule.label)} ({esc(without.rule.ref)})"
                + f"<br><small>{esc(without.text)}</small>"
            )
            self.gaps.show()
        self.version_button.setEnabled(self.current is not None and not self.ef.read_only)
        self.attachments.show_document(self.current)

    def new_version(self) -> None:
        old = self.current
        if old is None or self.ef.read_only:
            return
        version = dialogs.ask_text(self, f"New version of {old}", "Version of the new one:")
        if version is None:
            return
        saved, created = self.attempt(lambda: versions.new_version(self.ef, old, version))
        if not saved or not isinstance(created, str):
            return
        self.push_existence(f"New version of {old}", created, True, self._set_deleted)
        self.refresh(created, select=True)

    def shutdown(self) -> None:
        self.attachments.shutdown()
        super().shutdown()
