"""Dialog to record or edit one impact assessment, with its list of impacts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from app.services.engagement.errors import AimsError
from app.services.inventory import impact
from app.views.common.edit_table import EditTableModel, Field, edit_table
from app.views.common.field_form import FieldForm

IMPACT_FIELDS = [
    Field("scope", "Impact on", choices=impact.SCOPES),
    Field("description", "Impact"),
    Field("severity", "Severity (1-5)"),
    Field("likelihood", "Likelihood (1-5)"),
]
BLANK_IMPACT = {"scope": "individuals", "description": "", "severity": 3, "likelihood": 3}


class AssessmentDialog(QDialog):
    """`save(values, impacts)` is called on OK; a FieldError keeps the dialog open at the field."""

    def __init__(self, title: str, row: impact.AssessmentRow | None, save, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(640, 560)
        self._save = save
        self.form = FieldForm(list(impact.FIELDS.values()))
        values = row.values() if row else {"assessed_on": dt.date.today(), "trigger": "initial"}
        self.form.set_values(values)
        impacts = [dict(i.__dict__) for i in row.impacts] if row else []
        self.impacts = EditTableModel(IMPACT_FIELDS, impacts, BLANK_IMPACT, self)
        self.table = edit_table(self.impacts, [150, 280, 100])
        add = QPushButton("Add impact")
        add.clicked.connect(self.impacts.add)
        remove = QPushButton("Remove impact")
        remove.clicked.connect(lambda: self.impacts.remove(self.table.currentIndex().row()))
        self.message = QLabel(wordWrap=True)
        self.message.setStyleSheet("color: #b3261e; font-weight: bold;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(add)
        row_buttons.addWidget(remove)
        row_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(QLabel("<b>Impacts</b> on individuals or groups, and on society"))
        layout.addWidget(self.table)
        layout.addLayout(row_buttons)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def try_accept(self) -> None:
        try:
            self._save(self.form.values(), self.impacts.rows)
        except AimsError as exc:  # a refused field, or the file itself (moved, read-only)
            field = getattr(exc, "field", "")
            if field in self.form.editors:
                self.form.show_error(field, exc.message)
            else:
                self.message.setText(exc.message)
            return
        self.accept()
