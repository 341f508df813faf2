"""The preview of the client's own people records (a role register, a RACI matrix, an AI
policy acknowledgement log) before anything is added to People."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout

from app.services.people.client_records import Plan
from app.views.common.text import esc


class PeopleImportDialog(QDialog):
    def __init__(self, plan: Plan, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import {plan.source} into People")
        self.resize(820, 520)
        layout = QVBoxLayout(self)
        kinds = " and ".join(sorted({lay.kind for lay in plan.layouts}))
        layout.addWidget(
            QLabel(
                f"<b>{esc(plan.source)}</b> reads as the client's {esc(kinds)}. Nothing has "
                "changed yet. Authorities (who may accept risk or approve) are not read from "
                "the text: set them on the roles in People afterwards.",
                wordWrap=True,
            )
        )
        self.preview = QPlainTextEdit(plan.as_text(), readOnly=True)
        self.preview.setObjectName("people_preview")
        layout.addWidget(self.preview, 1)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton(
            "&Add to People", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setEnabled(plan.has_changes)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
