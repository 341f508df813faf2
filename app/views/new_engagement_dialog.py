"""The form for a new engagement: the facts the consultant knows on day one."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
)


class NewEngagementDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New engagement")
        self.client = QLineEdit(placeholderText="Client organization")
        self.size_box = QComboBox()
        for key, label in (
            ("small", "Small (1-50 staff, 1-3 AI systems)"),
            ("mid", "Mid-size (50-500 staff)"),
            ("large", "Large enterprise"),
        ):
            self.size_box.addItem(label, key)
        self.size_box.setCurrentIndex(1)
        self.iso27001 = QCheckBox("Holds ISO/IEC 27001")
        self.iso9001 = QCheckBox("Holds ISO 9001")
        self.consultant = QLineEdit()
        self.scope = QPlainTextEdit(
            placeholderText="Which AI systems, units and sites are in scope"
        )
        self.scope.setMaximumHeight(90)
        self.stage1 = QDateEdit(calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.stage1.setDate(QDate.currentDate().addMonths(6))
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e")
        form = QFormLayout(self)
        form.addRow("Client", self.client)
        form.addRow("Size", self.size_box)
        form.addRow("", self.iso27001)
        form.addRow("", self.iso9001)
        form.addRow("Consultant", self.consultant)
        form.addRow("Scope", self.scope)
        form.addRow("Target Stage 1", self.stage1)
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        if not self.client.text().strip():
            self.message.setText("Enter the client's name.")
            self.client.setFocus()
            return
        self.accept()

    def values(self) -> dict[str, object]:
        qdate = self.stage1.date()
        return {
            "client": self.client.text().strip(),
            "size": self.size_box.currentData(),
            "iso27001": self.iso27001.isChecked(),
            "iso9001": self.iso9001.isChecked(),
            "consultant": self.consultant.text().strip(),
            "scope_statement": self.scope.toPlainText().strip(),
            "stage1_date": dt.date(qdate.year(), qdate.month(), qdate.day()),
        }
