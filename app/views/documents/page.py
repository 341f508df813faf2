"""The Documents tab: the register (with attachments) and the mandatory checklist."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.services.engagement.file import EngagementFile
from app.views.documents.mandatory_tab import MandatoryTab
from app.views.documents.register_tab import DocumentsTab
from app.views.registers.tab import DescribedTab


class DocumentsPage(QWidget):
    changed = Signal()
    loaded = Signal()

    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__(parent)
        self.ef = ef
        self.register_tab = DocumentsTab(ef, undo_stack)
        self.mandatory_tab = MandatoryTab(ef, undo_stack)
        self.register_tab.changed.connect(self.changed)
        self.register_tab.changed.connect(self._mandatory_stale)
        self.register_tab.loaded.connect(self.loaded)
        self.mandatory_tab.changed.connect(self.changed)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.register_tab, "Register (7.5)")
        self.tabs.addTab(self.mandatory_tab, "Required by the standard")
        self.tabs.currentChanged.connect(self._switched)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _mandatory_stale(self) -> None:
        if self.tabs.currentWidget() is self.mandatory_tab:
            self.mandatory_tab.reload()
        else:
            self.mandatory_tab.loaded_once = False

    def _switched(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.mandatory_tab:
            self.register_tab.leave()
            if not self.mandatory_tab.loaded_once:
                self.mandatory_tab.reload()

    # what the main window asks of a tab
    def current_tab(self) -> DescribedTab:
        return self.register_tab

    def leave(self) -> None:
        self.register_tab.leave()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.register_tab)
        self.register_tab.focus_search()

    def shutdown(self) -> None:
        self.register_tab.shutdown()

    def is_loading(self) -> bool:
        return self.register_tab.is_loading()

    def reload_if_shown(self) -> None:
        self.register_tab.reload_if_shown()
        self._mandatory_stale()

    def show_required(self) -> None:
        """The checklist of the documented information the standard asks for."""
        self.tabs.setCurrentWidget(self.mandatory_tab)

    def show_register(self, key: str) -> DescribedTab:
        self.tabs.setCurrentWidget(self.register_tab)
        return self.register_tab
