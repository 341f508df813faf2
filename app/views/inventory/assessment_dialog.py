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
from app.services.risks.criteria import Criteria
from app.views.common.edit_table import EditTableModel, Field, edit_table
from app.views.common.field_form import FieldForm
from app.views.common.people import PeopleNames


def impact_fields(criteria: Criteria) -> list[Field]:
    """Severity and likelihood offered on the engagement's scales, each level by its label."""

    def levels(name: str) -> dict[int, str]:
        return {n: f"{n} {label}" for n, label in enumerate(impact.scale_of(criteria, name), 1)}

    return [
        Field("scope", "Impact on", choices=impact.SCOPES),
        Field("description", "Impact"),
        Field("severity", "Severity", choices=levels("severity")),  # type: ignore[arg-type]
        Field("likelihood", "Likelihood", choices=levels("likelihood")),  # type: ignore[arg-type]
    ]


def blank_impact(criteria: Criteria) -> dict[str, object]:
    """A new impact starts in the middle of both scales, for the assessor to move."""
    middle = {
        name: (len(impact.scale_of(criteria, name)) + 1) // 2 for name in ("severity", "likelihood")
    }
    return {"scope": "individuals", "description": "", **middle}


class AssessmentDialog(QDialog):
    """`save(values, impacts)` is called on OK; a FieldError keeps the dialog open at the field."""

    def __init__(
        self,
        title: str,
        row: impact.AssessmentRow | None,
        save,
        criteria: Criteria,
        parent=None,
        people: PeopleNames | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(640, 560)
        self._save = save
        self.form = FieldForm(list(impact.FIELDS.values()))
        if people is not None:  # the assessor and the approver are people
            self.form.offer_people(people)
        values = row.values() if row else {"assessed_on": dt.date.today(), "trigger": "initial"}
        self.form.set_values(values)
        impacts = [dict(i.__dict__) for i in row.impacts] if row else []
        self.impacts = EditTableModel(
            impact_fields(criteria), impacts, blank_impact(criteria), self
        )
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
