"""The Nonconformities register's tab: the described register with the steps of a
nonconformity's life: raise one from an audit line, record the review of whether its
corrective actions worked (not effective reopens it), close it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.evaluation import nonconformities as nc
from app.services.registers import service as register
from app.views.common import dialogs
from app.views.common.field_form import FormDialog
from app.views.common.text import esc
from app.views.registers.tab import DescribedTab

_SPEC = nc.NONCONFORMITIES.spec
_REVIEW = [
    _SPEC["effectiveness_on"],
    _SPEC["effectiveness_by"],
    FieldSpec(
        "effective",
        "Were the actions effective?",
        "choice",
        {"yes": "Effective", "no": "Not effective (reopens it)"},
    ),  # fmt: skip
    FieldSpec("effectiveness_note", "Note (say why when not effective)", "long"),
]

_UNREVIEWED = next(
    r for r in nc.NONCONFORMITIES.rules if r.counted_as == "closed_without_effectiveness_review"
)


class NonconformityTab(DescribedTab):
    def panel_extras(self) -> list[QWidget]:
        self.raise_button = QPushButton("Raise from audit line…")
        self.raise_button.setToolTip(
            "Raise a nonconformity from an audit line found nonconforming: its clause or "
            "control, grade and date come from the line"
        )
        self.raise_button.clicked.connect(self.raise_from_line)
        self.review_button = QPushButton("Record effectiveness review…")
        self.review_button.setToolTip(
            "Whether the corrective actions worked; not effective reopens the nonconformity"
        )
        self.review_button.clicked.connect(self.record_review)
        self.close_button = QPushButton("Close…")
        self.close_button.clicked.connect(self.close_item)
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        for button in (self.raise_button, self.review_button, self.close_button):
            row.addWidget(button)
        row.addStretch(1)
        self.actions_view = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        return [bar, self.actions_view]

    def show_current(self) -> None:
        super().show_current()
        row = self.current_row()
        writable = not self.ef.read_only
        self.raise_button.setEnabled(writable)
        self.review_button.setEnabled(writable and row is not None)
        self.close_button.setEnabled(
            writable and row is not None and row.values["status"] != "closed"
        )
        self.actions_view.setText(_actions_html(nc.actions_of(self.ef, row.id)) if row else "")

    def raise_from_line(self) -> None:
        raise_from_line(self, nc.lines_to_raise(self.ef), nc.raise_from_line, "nonconforming")

    def record_review(self) -> None:
        item_id = self.current
        if item_id is None or self.ef.read_only:
            return
        row = register.get_item(self.ef, self.reg, item_id)
        values = {
            "effectiveness_on": dt.date.today(),
            "effectiveness_by": row.values["effectiveness_by"],
            "effective": "yes",
            "effectiveness_note": "",
        }

        def save(v: dict[str, object]) -> None:
            changes = nc.review_changes(
                v["effectiveness_on"],
                str(v["effectiveness_by"]),
                v["effective"] == "yes",
                str(v["effectiveness_note"]),
            )
            self._save_fields(item_id, changes)

        dialog = FormDialog(f"Effectiveness review of {item_id}", _REVIEW, values, save, self)
        dialogs.run_dialog(dialog)

    def close_item(self) -> None:
        item_id = self.current
        if item_id is None or self.ef.read_only:
            return
        row = register.get_item(self.ef, self.reg, item_id)
        dialog = FormDialog(
            f"Close {item_id}",
            [_SPEC["closed_on"]],
            {"closed_on": dt.date.today()},
            lambda v: self._save_fields(item_id, {"status": "closed", "closed_on": v["closed_on"]}),
            self,
        )
        if not nc.reviewed(row):
            warning = QLabel(
                "No effectiveness review has found its corrective actions effective yet. It "
                "can be closed, but an auditor will ask how you know the actions worked "
                f"({_UNREVIEWED.id} shows until a review does).",
                wordWrap=True,
            )
            dialog.layout().insertWidget(0, warning)
        dialogs.run_dialog(dialog)


class ImprovementTab(DescribedTab):
    def panel_extras(self) -> list[QWidget]:
        self.raise_button = QPushButton("Raise from audit line…")
        self.raise_button.setToolTip(
            "Record an opportunity for improvement an audit line found, with the line as its source"
        )
        self.raise_button.clicked.connect(self.raise_from_line)
        return [self.raise_button]

    def show_current(self) -> None:
        super().show_current()
        self.raise_button.setEnabled(not self.ef.read_only)

    def raise_from_line(self) -> None:
        lines = nc.lines_to_raise(self.ef, improvements=True)
        raise_from_line(
            self, lines, nc.raise_improvement_from_line, "finding an opportunity for improvement"
        )


def raise_from_line(
    tab: DescribedTab,
    lines: list[tuple[str, str]],
    make: Callable[[EngagementFile, str], str],
    found: str,
) -> None:
    """Pick an audit line nothing was raised from yet, and raise the item from it."""
    if tab.ef.read_only:
        return
    if not lines:
        dialogs.info(
            tab,
            "Raise from audit line",
            f"No audit line {found} is waiting: each has been raised already, or the audits "
            "found none.",
        )
        return
    shown = [f"{line_id}  {text}" for line_id, text in lines]
    chosen = dialogs.choose_item(tab, "Raise from audit line", f"Audit line {found}:", shown)
    if chosen is None:
        return
    saved, new_id = tab.attempt(lambda: make(tab.ef, chosen.split()[0]))
    if saved and isinstance(new_id, str):
        tab.push_existence(f"Raise {new_id}", new_id, True, tab._set_deleted)
        tab.refresh(new_id, select=True)


def _actions_html(actions: list[nc.ActionLine]) -> str:
    """Its corrective actions (added and edited on the Corrective actions tab)."""
    if not actions:
        return "<b>Corrective actions:</b> none yet (add them on the Corrective actions tab)"
    lines = []
    for a in actions:
        due = f", due {a.due_date.isoformat()}" if a.due_date else ""
        done = f"done {a.done_on.isoformat()}" if a.done_on else "<b>not done</b>"
        owner = f"{esc(a.owner)}, " if a.owner else ""
        lines.append(f"• {esc(a.id)} {esc(a.action)} ({owner}{done}{due})")
    return "<b>Corrective actions</b><br>" + "<br>".join(lines)
