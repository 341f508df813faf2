"""Who in management approved the risk criteria or the treatment plan, in which role and when:
three fields typed with the keyboard (Tab moves between them), used by the criteria dialog and
the treatment plan view."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from app.services.engagement import approvals
from app.services.engagement.approvals import Approval
from app.services.people.authority import Finding
from app.views.common.people import PeopleNames
from app.views.common.text import esc

CLEAR = "clear"  # what `change()` returns when the approval is to be withdrawn


class ApprovalFields(QWidget):
    def __init__(self, subject: str, parent=None) -> None:
        super().__init__(parent)
        self.subject = subject
        self.state = QLabel(wordWrap=True)
        self.approved_by = QLineEdit(placeholderText="Name of the manager or body")
        self.role = QLineEdit(placeholderText="e.g. Chief Executive Officer")
        self.approved_on = QLineEdit(placeholderText="YYYY-MM-DD")
        self.note = QLineEdit(placeholderText="e.g. minutes of the risk committee")
        for name, edit in (("approved_by", self.approved_by), ("role", self.role),
                           ("approved_on", self.approved_on), ("note", self.note)):  # fmt: skip
            edit.setObjectName(f"{subject}_{name}")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.state)
        form.addRow("Approved by", self.approved_by)
        form.addRow("Role", self.role)
        form.addRow("Approved on", self.approved_on)
        form.addRow("Note", self.note)
        self._shown: tuple[str, ...] = ("", "", "", "")
        self._people: PeopleNames | None = None
        self._settled: tuple[str, str] | None = None

    def show_approval(
        self, approval: Approval | None, holds: bool, without: Finding | None = None
    ) -> None:
        """The approval in force in the fields; one of an earlier version is said, not filled
        in (approving again is a decision, not a key press). `without`: the approver shows no
        authority to approve it (People), said below."""
        what = approvals.SUBJECTS[self.subject]
        if approval is not None and holds:
            gap = (
                f"<br><b style='color:#b3261e'>{esc(without.rule.label)}</b><br>"
                f"<small>{esc(without.text)}</small>"
                if without is not None
                else ""
            )
            self.state.setText(f"<b>{esc(what)} approved</b> by {esc(approval.text())}.{gap}")
            values = (approval.approved_by, approval.role, approval.approved_on.isoformat(),
                      approval.note)  # fmt: skip
        else:
            earlier = (
                f" (approved by {esc(approval.text())} before the last change)" if approval else ""
            )
            self.state.setText(
                f"<b style='color:#b3261e'>{esc(what)} not approved by management</b>{earlier}."
            )
            values = ("", "", "", "")
        for edit, value in zip(self._edits(), values, strict=True):
            edit.setText(value)
        self._shown = values

    def offer_people(self, people: PeopleNames) -> None:
        """Who approved is a person: people's names offered as you type, a person's name
        taken as they spell it and a new one offered to People when the field is left."""
        people.completer(self.approved_by, self)
        self._people = people
        self.approved_by.editingFinished.connect(self._approver_left)

    def _approver_left(self) -> None:
        if self._people is None:
            return
        typed = self.approved_by.text()
        if not typed.strip() or typed.strip() == self._shown[0].strip():
            return
        if self._settled is not None and self._settled[0] == typed:
            return  # asked once
        text, note = self._people.settle(self, typed)
        self.approved_by.setText(text)
        self._settled = (text, text)
        if note:
            self.approved_by.setToolTip(note)

    def _edits(self) -> tuple[QLineEdit, ...]:
        return (self.approved_by, self.role, self.approved_on, self.note)

    def entered(self) -> tuple[str, ...]:
        return tuple(e.text().strip() for e in self._edits())

    def change(self, version: int | None = None) -> Approval | str | None:
        """What the user asks for: None (nothing changed), CLEAR (every field emptied) or the
        approval typed, checked (an AimsError says what to fix)."""
        self._approver_left()  # (Return records before the field is left)
        entered = self.entered()
        if entered == tuple(v.strip() for v in self._shown):
            return None
        if not any(entered):
            return CLEAR
        by, role, on, note = entered
        return approvals.check(self.subject, by, role, on, version, note)
