"""A tab of the main window made of described registers, each on a tab of its own (People,
Evaluation and improvement). An area with more than its registers (a chart, a checklist) adds
its widgets around or beside them in its own page built on this one."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.services.engagement.file import EngagementFile
from app.services.registers.description import Register
from app.views.registers.tab import DescribedTab


class RegistersPage(QWidget):
    changed = Signal()
    loaded = Signal()

    def __init__(
        self,
        ef: EngagementFile,
        undo_stack: QUndoStack,
        registers: Sequence[Register],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ef, self.undo_stack = ef, undo_stack
        self.tabs = QTabWidget()
        self.registers: dict[str, DescribedTab] = {}
        for reg in registers:
            self.add_register(self.make_tab(reg))
        self.tabs.currentChanged.connect(self._left)
        self._shown: QWidget | None = self.tabs.currentWidget()
        self.page_layout = QVBoxLayout(self)
        self.page_layout.setContentsMargins(0, 0, 0, 0)
        self.page_layout.addWidget(self.tabs, 1)

    def make_tab(self, reg: Register) -> DescribedTab:
        """The tab of one register (a page may give a register a tab of its own kind)."""
        return DescribedTab(self.ef, self.undo_stack, reg)

    def add_register(self, tab: DescribedTab) -> None:
        tab.changed.connect(self.changed)
        tab.loaded.connect(self.loaded)
        self.registers[tab.reg.key] = tab
        self.tabs.addTab(tab, tab.reg.title)

    # what the main window asks of a tab
    def current_tab(self) -> DescribedTab:
        widget = self.tabs.currentWidget()
        assert isinstance(widget, DescribedTab)
        return widget

    def leave(self) -> None:
        if isinstance(self.tabs.currentWidget(), DescribedTab):
            self.current_tab().leave()

    def _left(self, _index: int) -> None:
        if isinstance(self._shown, DescribedTab):
            self._shown.leave()
        self._shown = self.tabs.currentWidget()
        if isinstance(self._shown, DescribedTab):  # another register may have changed its links
            self._shown.reload_if_shown()

    def focus_search(self) -> None:
        if isinstance(self.tabs.currentWidget(), DescribedTab):
            self.current_tab().focus_search()

    def shutdown(self) -> None:
        for tab in self.registers.values():
            tab.shutdown()

    def is_loading(self) -> bool:
        return any(tab.is_loading() for tab in self.registers.values())

    def reload_if_shown(self) -> None:
        for tab in self.registers.values():
            tab.reload_if_shown()

    def show_register(self, key: str) -> DescribedTab:
        """Bring a register's tab to the front (a search hit, a screenshot's item)."""
        tab = self.registers[key]
        self.tabs.setCurrentWidget(tab)
        return tab
