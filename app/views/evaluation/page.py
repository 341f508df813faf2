"""The Evaluation and improvement tab: objectives, internal audit, nonconformities and
management reviews."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.services.engagement.file import EngagementFile
from app.services.evaluation.nonconformities import IMPROVEMENTS, NONCONFORMITIES
from app.services.evaluation.registers import REGISTERS
from app.services.evaluation.reviews import REVIEWS
from app.services.registers.description import Register
from app.views.evaluation import audits
from app.views.evaluation.nonconformities import ImprovementTab, NonconformityTab
from app.views.evaluation.objectives_tab import ObjectivesTab
from app.views.evaluation.reviews import ReviewsTab
from app.views.registers.page import RegistersPage
from app.views.registers.tab import DescribedTab

# registers whose tab shows more than their fields (register key -> its tab, one line each)
_OWN_TABS: dict[str, Callable[[EngagementFile, QUndoStack, Register], DescribedTab]] = {
    "objectives": lambda ef, undo, _reg: ObjectivesTab(ef, undo),
    **audits.TABS,
}


class EvaluationPage(RegistersPage):
    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ef, undo_stack, REGISTERS, parent)
        audits.connect(self)

    def make_tab(self, reg: Register) -> DescribedTab:
        if reg is REVIEWS:  # its inputs as a checklist, Prepare inputs, its actions
            return ReviewsTab(self.ef, self.undo_stack, reg)
        if reg is NONCONFORMITIES:  # with the steps of its life cycle
            return NonconformityTab(self.ef, self.undo_stack, reg)
        if reg is IMPROVEMENTS:
            return ImprovementTab(self.ef, self.undo_stack, reg)
        own = _OWN_TABS.get(reg.key)
        return own(self.ef, self.undo_stack, reg) if own else super().make_tab(reg)
