"""The document register: the described register's tab, with the selected document's attached
files between its gaps and its fields."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.services.documents.register import DOCUMENTS
from app.services.engagement.file import EngagementFile
from app.views.documents.attachments_panel import AttachmentsPanel
from app.views.registers.tab import DescribedTab


class DocumentsTab(DescribedTab):
    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent=None) -> None:
        self.attachments = AttachmentsPanel(ef, undo_stack)  # the panel is built in super()
        super().__init__(ef, undo_stack, DOCUMENTS, parent)
        self.attachments.changed.connect(self.changed)

    def panel_extras(self) -> list[QWidget]:
        return [self.attachments]

    def show_current(self) -> None:
        super().show_current()
        self.attachments.show_document(self.current)

    def shutdown(self) -> None:
        self.attachments.shutdown()
        super().shutdown()
