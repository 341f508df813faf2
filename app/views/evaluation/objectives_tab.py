"""The objectives register: the described register's tab, with the selected objective's
on-track state and the chart of its measurements between its gaps and its fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.evaluation import objectives
from app.services.registers import service as register
from app.views.common import dialogs
from app.views.common.field_form import FormDialog
from app.views.common.row_table import Column
from app.views.common.text import esc
from app.views.common.undo import AppliedCommand
from app.views.evaluation.chart import ObjectiveChart
from app.views.registers.model import DescribedModel
from app.views.registers.tab import DescribedTab

_STYLES = {
    "on_track": "background:#e8f5e9; color:#1b5e20; padding:4px;",
    "off_track": "background:#fdecea; color:#8c1d18; padding:4px;",
    "not_judged": "background:#f3f4f5; color:#454f56; padding:4px;",
}


class ObjectivesTab(DescribedTab):
    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent=None) -> None:
        self.judgement = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.chart = ObjectiveChart()
        self.record_button = QPushButton("Record a measurement…")
        self.record_button.setToolTip(
            "A measurement of the selected objective (Ctrl+Shift+M): its date, value and who "
            "measured it; Ctrl+Z takes it back"
        )
        super().__init__(ef, undo_stack, objectives.OBJECTIVES, parent)
        self._add_state_column()
        self.record_button.clicked.connect(self.record_measurement)
        QShortcut(QKeySequence("Ctrl+Shift+M"), self, self.record_measurement)

    def _add_state_column(self) -> None:
        """On track or off track in the list, before the gaps (off track is no gap)."""
        model = cast(DescribedModel, self.model)
        at = 1 + len(self.reg.columns)
        order = list(objectives.STATES)
        column = Column(
            "On track",
            lambda r, _i: objectives.STATES[objectives.judge(r).state],
            lambda r, _i: order.index(objectives.judge(r).state),
        )
        model.beginResetModel()
        model.columns.insert(at, column)
        model.keyed_columns = [n + (n >= at) for n in model.keyed_columns] + [at]
        model.endResetModel()
        for n, width in enumerate((80, 220, 150, 60, 90, 90)):  # ID ... on track
            self.table.setColumnWidth(n, width)

    def panel_extras(self) -> list[QWidget]:
        return [self.judgement, self.chart, self.record_button]

    def show_current(self) -> None:
        super().show_current()
        shown = self.current is not None
        self.judgement.setVisible(shown)
        self.chart.setVisible(shown)
        self.record_button.setEnabled(shown and not self.ef.read_only)
        if self.current is None:
            return
        try:  # the item as stored, with its latest measurement
            item = register.get_item(self.ef, self.reg, self.current)
        except FieldError:
            return
        judged = objectives.judge(item)
        self.judgement.setStyleSheet(_STYLES[judged.state])
        self.judgement.setText(f"<b>{esc(objectives.STATES[judged.state])}</b> · {esc(judged.why)}")
        v = item.values
        target = v["target"] if v["numeric"] else None
        self.chart.show_series(
            objectives.series(self.ef, item.id) if v["numeric"] else [],
            target if isinstance(target, float) else None,
            v["direction"] == "at_least",
            str(v["unit"]),
            "No measurements to draw yet."
            if v["numeric"]
            else "The measure is not a number: nothing to draw.",
        )

    def record_measurement(self) -> None:
        """A measurement of the selected objective, in a small form; undone in one step."""
        objective = self.current
        if objective is None or self.ef.read_only:
            return
        reg = objectives.MEASUREMENTS
        created: list[str] = []
        dialog = FormDialog(
            f"Record a measurement of {objective}",
            [reg.spec[n] for n in ("measured_on", "value", "measured_by", "note")],
            {"measured_on": dt.date.today(), "value": "", "measured_by": "", "note": ""},
            lambda v: created.append(register.create(self.ef, reg, {**v, "objective": objective})),
            self,
        )
        if not dialogs.run_dialog(dialog) or not created:
            return
        made = created[0]

        def existence(deleted: bool) -> Callable[[], None]:
            return self.replay(objective, lambda: register.set_deleted(self.ef, reg, made, deleted))

        self.undo_stack.push(
            AppliedCommand(f"Record {made} of {objective}", existence(True), existence(False))
        )
        self.refresh(objective)
