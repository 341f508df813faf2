"""The Context tab: issues, interested parties, their requirements and obligations, each a
described register on a tab of its own, and above them whether climate change was considered."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout

from app.services.context import climate
from app.services.context.registers import REGISTERS
from app.services.engagement.errors import AimsError
from app.services.engagement.file import EngagementFile
from app.views.common import dialogs
from app.views.common.field_form import FieldForm
from app.views.common.text import esc
from app.views.common.undo import AppliedCommand
from app.views.registers.page import RegistersPage


class ContextPage(RegistersPage):
    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__(ef, undo_stack, REGISTERS, parent)
        self.climate_form = FieldForm(list(climate.FIELDS.values()), save=self._save_climate)
        self.climate_form.editors["climate_issue"].setToolTip("The ID of the issue, e.g. ISS-006")
        self.climate_form.editors["climate_reason"].setMaximumHeight(44)
        self.climate_note = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        box = QGroupBox("Climate change (4.1)")
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.climate_note)
        box_layout.addWidget(self.climate_form)
        for tab in self.registers.values():
            tab.changed.connect(self._show_climate)  # a deleted issue may be the climate one
        self.page_layout.insertWidget(0, box)
        self._show_climate()

    def leave(self) -> None:
        self.climate_form.leave()
        super().leave()

    def reload_if_shown(self) -> None:
        super().reload_if_shown()
        self._show_climate()

    # climate change
    def _show_climate(self) -> None:
        answer = climate.get(self.ef)
        values = {name: getattr(answer, name) for name in climate.FIELDS}
        self.climate_form.set_values(values, "climate")
        self.climate_form.setEnabled(not self.ef.read_only)
        problem = answer.problem()
        self.climate_note.setText(
            f"<span style='color:#8c1d18'><b>{esc(climate.RULE.id)}</b> {esc(problem)}</span>"
            if problem
            else "Recorded: auditors ask every organization whether climate change matters."
        )

    def _save_climate(self, _item: object, changes: dict[str, object]) -> None:
        old = climate.update(self.ef, changes)
        if not old:
            self._show_climate()
            return
        new = dict(changes)

        def run(values: dict[str, object]) -> Callable[[], None]:
            def apply() -> None:
                try:
                    climate.update(self.ef, values)
                except AimsError as exc:
                    dialogs.error(self, "Could not undo or redo", exc.message)
                    return
                self._show_climate()
                self.changed.emit()

            return apply

        self.undo_stack.push(AppliedCommand("Change the climate change answer", run(old), run(new)))
        self._show_climate()
        self.changed.emit()
