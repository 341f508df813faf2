"""The Evaluation and improvement tab: objectives, internal audit, nonconformities and
management reviews."""

from __future__ import annotations

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from app.services.engagement.file import EngagementFile
from app.services.evaluation.registers import REGISTERS
from app.views.registers.page import RegistersPage


class EvaluationPage(RegistersPage):
    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ef, undo_stack, REGISTERS, parent)
