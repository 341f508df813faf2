"""The Evaluation and improvement tab: objectives, internal audit, nonconformities and
management reviews."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.services.engagement.file import EngagementFile
from app.services.evaluation.nonconformities import IMPROVEMENTS, NONCONFORMITIES
from app.services.evaluation.registers import REGISTERS
from app.services.registers.description import Register
from app.views.evaluation.nonconformities import ImprovementTab, NonconformityTab
from app.views.evaluation.objectives_tab import ObjectivesTab
from app.views.registers.page import RegistersPage
from app.views.registers.tab import DescribedTab

# registers whose tab shows more than their fields (register key -> its tab)
_OWN_TABS = {
    "objectives": ObjectivesTab,
}


class EvaluationPage(RegistersPage):
    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ef, undo_stack, REGISTERS, parent)

    def make_tab(self, reg: Register) -> DescribedTab:
        if reg is NONCONFORMITIES:  # with the steps of its life cycle
            return NonconformityTab(self.ef, self.undo_stack, reg)
        if reg is IMPROVEMENTS:
            return ImprovementTab(self.ef, self.undo_stack, reg)
        own = _OWN_TABS.get(reg.key)
        return own(self.ef, self.undo_stack) if own else super().make_tab(reg)
