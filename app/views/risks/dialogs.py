"""Dialogs of the Risks tab: the risk criteria, a risk's treatment (systems, controls,
actions), and the category list (rename, merge)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.catalog.content import Catalog
from app.services.engagement.approvals import Approval
from app.services.engagement.errors import AimsError, FieldError
from app.services.engagement.fields import parse_bool, parse_date
from app.services.people.authority import Finding
from app.services.risks.criteria import Band, Criteria, Level, validate
from app.services.risks.service import Action, Category, ControlChoice, RiskRow
from app.views.common.edit_table import EditTableModel, Field, edit_table
from app.views.risks.approval import ApprovalFields


def _message() -> QLabel:
    label = QLabel(wordWrap=True)
    label.setStyleSheet("color: #b3261e; font-weight: bold;")
    return label


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.try_accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def _table_with_buttons(model: EditTableModel, widths: list[int]) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    view = edit_table(model, widths)
    layout.addWidget(view)
    row = QHBoxLayout()
    add, remove = QPushButton("Add"), QPushButton("Remove")
    add.clicked.connect(model.add)
    remove.clicked.connect(lambda: model.remove(view.currentIndex().row()))
    row.addWidget(add)
    row.addWidget(remove)
    row.addStretch(1)
    layout.addLayout(row)
    return box


class CriteriaDialog(QDialog):
    """Edit the scales, bands and threshold, and record management's approval; `criteria`
    holds the result when accepted, `approval_change` what to do with the approval (see
    ApprovalFields.change: None, CLEAR or the approval typed)."""

    def __init__(
        self, current: Criteria, parent=None, approval: Approval | None = None,
        approval_holds: bool = False, without: Finding | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Risk criteria")
        self.resize(760, 760)
        self.criteria = current
        self.approval_change: Approval | str | None = None
        self.approval = ApprovalFields("risk_criteria", self)
        self.approval.show_approval(approval, approval_holds, without)
        level_fields = [Field("label", "Label"), Field("description", "Description")]
        self.likelihood = EditTableModel(
            level_fields,
            [vars(lv).copy() for lv in current.likelihood],
            {"label": "", "description": ""},
            self,
        )
        self.impact = EditTableModel(
            level_fields,
            [vars(lv).copy() for lv in current.impact],
            {"label": "", "description": ""},
            self,
        )
        self.bands = EditTableModel(
            [Field("name", "Band"), Field("upto", "Up to score")],
            [vars(b).copy() for b in current.bands],
            {"name": "", "upto": current.max_score},
            self,
        )
        self.threshold = QSpinBox(minimum=1, maximum=99, value=current.threshold)
        self.reassessment = QSpinBox(
            minimum=1, maximum=60, value=current.reassessment_months, suffix=" months"
        )
        self.message = _message()
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Likelihood</b> (1 = lowest)"), 0, 0)
        grid.addWidget(QLabel("<b>Impact</b> (1 = lowest)"), 0, 1)
        grid.addWidget(_table_with_buttons(self.likelihood, [130]), 1, 0)
        grid.addWidget(_table_with_buttons(self.impact, [130]), 1, 1)
        form = QFormLayout()
        form.addRow(QLabel("<b>Level bands</b> of likelihood × impact, lowest first"))
        form.addRow(_table_with_buttons(self.bands, [160]))
        form.addRow("Acceptance threshold: scores above", self.threshold)
        form.addRow("Reassess each AI system's impact assessment every", self.reassessment)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(form)
        layout.addWidget(QLabel("Saving re-scores every risk; the change is kept in the history."))
        layout.addWidget(
            QLabel("<b>Approval by management</b> (a change of the criteria needs a new approval)")
        )
        layout.addWidget(self.approval)
        layout.addWidget(self.message)
        layout.addWidget(_buttons(self))

    def build(self) -> Criteria:
        try:
            bands = tuple(Band(str(b["name"]), int(b["upto"])) for b in self.bands.rows)
        except (TypeError, ValueError):
            raise FieldError("bands", "Each band ends at a whole-number score.") from None
        return Criteria(
            likelihood=tuple(
                Level(str(r["label"]), str(r["description"])) for r in self.likelihood.rows
            ),
            impact=tuple(Level(str(r["label"]), str(r["description"])) for r in self.impact.rows),
            bands=bands,
            threshold=self.threshold.value(),
            reassessment_months=self.reassessment.value(),
        )

    def try_accept(self) -> None:
        try:
            criteria = self.build()
            validate(criteria)
            self.approval_change = self.approval.change()
        except AimsError as exc:
            self.message.setText(exc.message)
            return
        self.criteria = criteria
        self.accept()


class TreatmentDialog(QDialog):
    """A risk's affected systems, selected controls (with reasons) and actions.
    `save(systems, controls, actions)` runs on OK; a FieldError keeps the dialog open."""

    def __init__(
        self,
        row: RiskRow,
        systems: list[tuple[str, str]],
        catalog: Catalog,
        save,
        parent=None,
        controls: dict[str, str] | None = None,  # ID -> label; Annex A when not given
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Treatment of {row.id}")
        self.resize(820, 640)
        self._save = save
        self.systems = QStandardItemModel(self)
        for system_id, name in systems:
            item = QStandardItem(f"{system_id}  {name}")
            item.setData(system_id, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setCheckState(
                Qt.CheckState.Checked if system_id in row.systems else Qt.CheckState.Unchecked
            )
            self.systems.appendRow(item)
        system_view = QListView()
        system_view.setModel(self.systems)
        system_view.setMaximumHeight(130)
        controls = controls or {c.id: f"{c.id} {c.title}" for c in catalog.controls}
        self.controls = EditTableModel(
            [Field("control_id", "Control", choices=controls), Field("reason", "Why")],
            [{"control_id": c.control_id, "reason": c.reason} for c in row.controls],
            {"control_id": catalog.controls[0].id, "reason": ""},
            self,
        )
        self.action_rows = EditTableModel(
            [
                Field("action", "Action"),
                Field("owner", "Owner"),
                Field("due_date", "Due (YYYY-MM-DD)"),
                Field("done", "Done", choices={"no": "No", "yes": "Yes"}),
            ],
            [
                {
                    "action": a.action,
                    "owner": a.owner,
                    "due_date": a.due_date.isoformat() if a.due_date else "",
                    "done": "yes" if a.done else "no",
                }
                for a in row.actions
            ],
            {"action": "", "owner": row.owner, "due_date": "", "done": "no"},
            self,
        )
        self.message = _message()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Affected AI systems</b>"))
        layout.addWidget(system_view)
        layout.addWidget(
            QLabel("<b>Controls selected</b> (Annex A or beyond), each with its reason")
        )
        layout.addWidget(_table_with_buttons(self.controls, [320]))
        layout.addWidget(QLabel("<b>Other actions</b>"))
        layout.addWidget(_table_with_buttons(self.action_rows, [300, 160, 130]))
        layout.addWidget(self.message)
        layout.addWidget(_buttons(self))

    def chosen_systems(self) -> list[str]:
        items = (self.systems.item(i) for i in range(self.systems.rowCount()))
        return [
            i.data(Qt.ItemDataRole.UserRole)
            for i in items
            if i.checkState() == Qt.CheckState.Checked
        ]

    def try_accept(self) -> None:
        try:
            controls = [
                ControlChoice(str(c["control_id"]), str(c["reason"])) for c in self.controls.rows
            ]
            actions = [
                Action(
                    str(a["action"]),
                    str(a["owner"]),
                    parse_date("actions", a["due_date"], "Due"),
                    parse_bool("actions", a["done"], "Done"),
                )
                for a in self.action_rows.rows
            ]
            self._save(self.chosen_systems(), controls, actions)
        except AimsError as exc:
            self.message.setText(exc.message)
            return
        self.accept()


class CategoriesDialog(QDialog):
    """Rename a category, merge it into another (its risks move there), or say whether it is
    AI-specific (`classify(category_id, ai_specific)`)."""

    def __init__(
        self, categories: list[Category], rename, merge, parent=None, classify=None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Risk categories")
        self._rename, self._merge, self._classify = rename, merge, classify
        self.category = QComboBox()
        self.target = QComboBox()
        for c in categories:
            label = c.name + ("" if c.classified and c.ai_specific else f"  ({c.kind_text})")
            self.category.addItem(label, c.id)
            self.target.addItem(label, c.id)
        self.kind = QComboBox()
        self.kind.addItem("AI-specific", True)
        self.kind.addItem("Not AI-specific (classic IT or business)", False)
        self.new_name = QLineEdit()
        self.category.currentIndexChanged.connect(
            lambda _i: self.new_name.setText(self.category.currentText().split("  (")[0])
        )
        self.new_name.setText(self.category.currentText().split("  (")[0])
        rename_button, merge_button = QPushButton("Rename"), QPushButton("Merge into")
        rename_button.clicked.connect(self._do_rename)
        merge_button.clicked.connect(self._do_merge)
        self.classify_button = QPushButton("Mark as")
        self.classify_button.clicked.connect(self._do_classify)
        self.message = _message()
        self.attribution = QLabel(
            "Seeded from ISO/IEC 42001 Annex C (names), the NIST AI RMF 1.0 (public domain) and "
            "the MIT AI Risk Repository v3 (CC BY 4.0)."
        )
        self.attribution.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Category", self.category)
        form.addRow(rename_button, self.new_name)
        form.addRow(merge_button, self.target)
        if classify is not None:
            form.addRow(self.classify_button, self.kind)
        form.addRow(self.message)
        form.addRow(self.attribution)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        form.addRow(close)

    def _do_rename(self) -> None:
        try:
            self._rename(self.category.currentData(), self.new_name.text())
        except AimsError as exc:
            self.message.setText(exc.message)
            return
        self.accept()

    def _do_classify(self) -> None:
        try:
            self._classify(self.category.currentData(), bool(self.kind.currentData()))
        except AimsError as exc:
            self.message.setText(exc.message)
            return
        self.accept()

    def _do_merge(self) -> None:
        try:
            self._merge(self.category.currentData(), self.target.currentData())
        except AimsError as exc:
            self.message.setText(exc.message)
            return
        self.accept()
