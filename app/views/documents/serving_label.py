"""The line under an item that names the documents serving it (the Documents tab's links, seen
from the item)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.services.documents.serving import documents_serving
from app.services.engagement.file import EngagementFile
from app.views.common.text import esc


class ServingLabel(QLabel):
    def __init__(self, field: str, parent=None) -> None:
        super().__init__(parent, wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.field = field  # the document's link field that names such items

    def show_item(self, ef: EngagementFile, item_id: str | None) -> None:
        if item_id is None:
            self.setText("")
            return
        found = documents_serving(ef, self.field, item_id)
        self.setText(
            "<b>Documents:</b> "
            + ("; ".join(f"{esc(i)} {esc(t)}" for i, t in found) or "none linked (Documents tab)")
        )
