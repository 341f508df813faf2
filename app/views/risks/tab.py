"""The Risks tab: the AI risk register with its heat map, gaps, treatment and acceptance, the
treatment plan, and the criteria that score it all."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLayout,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services import words
from app.services.engagement import approvals
from app.services.engagement.approvals import Approval
from app.services.engagement.errors import AimsError, FieldError
from app.services.engagement.file import EngagementFile
from app.services.inventory import service as inventory
from app.services.people import authority
from app.services.risks import rules as risk_rules
from app.services.risks import service as risks
from app.services.risks.criteria import DEFAULT, Criteria
from app.services.risks.service import RiskRow
from app.services.soa import additional
from app.services.soa import service as soa
from app.views.common import dialogs, worker
from app.views.common.field_form import FieldForm
from app.views.common.guard import STATUS
from app.views.common.people import PeopleNames
from app.views.common.register_tab import ListModel, RegisterTab
from app.views.common.row_table import Prepared, prepare
from app.views.common.text import esc, history_html, shown_by_spec, todo_html
from app.views.common.undo import AppliedCommand
from app.views.common.widgets import detail_panel, list_and_panel
from app.views.documents.serving_label import ServingLabel
from app.views.risks.approval import CLEAR, ApprovalFields
from app.views.risks.dialogs import CategoriesDialog, CriteriaDialog, TreatmentDialog
from app.views.risks.heat_map import HeatMap
from app.views.risks.model import LABELS, RULE_OF, WITHOUT_AUTHORITY, RisksModel, haystack


@dataclass
class Overview:
    """What the tab shows beside the table: both heat maps, the plan, the gaps of the register
    as a whole (cyber-only, criteria or plan not approved)."""

    heat: dict[tuple[int, int], int]
    heat_residual: dict[tuple[int, int], int]
    plan: list[risk_rules.PlanItem]
    cyber_only: bool
    flagged: int  # risks with gaps
    whole: tuple[str, ...] = ()  # each other gap of the whole register found, as a sentence
    ai_share: float | None = None  # percent of live risks in AI-specific categories


def overview(
    rows: list[RiskRow], criteria: Criteria, categories: list[risks.Category],
    signoff: risk_rules.Signoff | None = None, unauthorised: Collection[str] = (),
) -> Overview:  # fmt: skip
    """`unauthorised`: the risks accepted without the authority (People), gaps too."""

    def counts(residual: bool) -> dict[tuple[int, int], int]:
        return {cell: len(ids) for cell, ids in risk_rules.heat_map(rows, residual).items()}

    findings = risk_rules.evaluate(rows, criteria, categories, signoff)
    return Overview(
        counts(False),
        counts(True),
        risk_rules.treatment_plan(rows),
        findings.cyber_only,
        len(set(findings.by_risk()) | set(unauthorised)),
        tuple(
            f"{rule.label}: {findings.whole_text(rule)}"
            for rule, found in findings.whole_found().items()
            if found and rule is not risk_rules.CYBER_ONLY  # that one has its banner
        ),
        findings.ai_share,
    )


Loaded = tuple[Prepared, Criteria, list[risks.Category], Overview, risk_rules.Signoff]


def load_risks(ef: EngagementFile) -> Loaded:
    """Everything the tab shows, ready to swap in; runs on a worker thread."""
    rows = risks.list_risks(ef)
    criteria = risks.get_criteria(ef)
    categories = risks.list_categories(ef)
    signoff = risk_rules.signoff(ef)
    flags = risk_rules.evaluate(rows, criteria, categories).by_risk()
    unauthorised = list(authority.by_item(ef, "risk"))
    for risk_id in unauthorised:
        flags.setdefault(risk_id, []).append(WITHOUT_AUTHORITY)
    prepared = prepare(rows, {r.id: flags.get(r.id, []) for r in rows}, haystack)
    shown = overview(rows, criteria, categories, signoff, unauthorised)
    return prepared, criteria, categories, shown, signoff


def _plan_cells(item: risk_rules.PlanItem) -> tuple[str, ...]:
    due = item.due_date.isoformat() if item.due_date else ""
    done = "Yes" if item.done else ("OVERDUE" if item.overdue else "No")
    return (item.owner, due, item.action, f"{item.risk_id} {item.risk_title}", done)


class RisksTab(RegisterTab):
    empty_text = (
        "<h3>No risks yet</h3><p>Add the first risk with <b>Add risk</b> (Insert) or an "
        "opportunity with <b>Add opportunity</b>, or import the client's own risk register "
        "with File &gt; Import Workbook (Ctrl+Shift+I).</p><p>The categories offered start "
        "from AI harms (bias, transparency, oversight), not only classic IT risks.</p>"
    )

    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__(ef, undo_stack, RisksModel(), parent)
        self.model.setParent(self)
        self.criteria = DEFAULT  # until the register is loaded (off the UI thread)
        self.categories: list[risks.Category] = []
        self.overview = Overview({}, {}, [], False, 0)
        self.signoff = risk_rules.Signoff()
        self._overview_task: worker.Task | None = None
        self._build()

    # layout
    def _build(self) -> None:
        bar = QHBoxLayout()
        self.add_button = QPushButton("Add risk")
        self.add_button.clicked.connect(lambda: self.add_risk("risk"))
        self.add_opportunity_button = QPushButton("Add opportunity")
        self.add_opportunity_button.clicked.connect(lambda: self.add_risk("opportunity"))
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_risk)
        self.criteria_button = QPushButton("Criteria…")
        self.criteria_button.clicked.connect(self.edit_criteria)
        self.categories_button = QPushButton("Categories…")
        self.categories_button.clicked.connect(self.edit_categories)
        self.add_shortcuts(
            [
                (QKeySequence(Qt.Key.Key_Insert), lambda: self.add_risk("risk")),
                (QKeySequence(QKeySequence.StandardKey.Delete), self.delete_risk),
            ]
        )
        self.make_search("Search risks, owners, systems, controls (Ctrl+F)")
        for widget in (
            self.add_button,
            self.add_opportunity_button,
            self.delete_button,
            self.criteria_button,
            self.categories_button,
        ):
            bar.addWidget(widget)
        bar.addWidget(self.search, 1)

        filters = QHBoxLayout()
        self.kind_filter = self.make_filter(
            [("Risks and opportunities", "")] + [(v, k) for k, v in risks.KINDS.items()], "kind"
        )
        self.level_filter = self.make_filter(
            [("All levels", "")] + [(b.name, b.name) for b in self.criteria.bands], "level"
        )
        self.category_filter = self.make_filter([("All categories", "")], "category")
        self.flagged = QCheckBox("Only risks with gaps")
        self.flagged.toggled.connect(lambda on: self.filter(flagged_only=on))
        self.cell_label = QLabel()
        self.clear_cell = QPushButton("Show all cells")
        self.clear_cell.clicked.connect(lambda: self.filter_cell(None))
        for item in (
            self.kind_filter,
            self.level_filter,
            self.category_filter,
            self.flagged,
            self.cell_label,
            self.clear_cell,
        ):
            filters.addWidget(item)
        filters.addStretch(1)
        self.cell_label.hide()
        self.clear_cell.hide()

        self.make_table([60, 300, 220, 110, 110, 200])
        self.plan = ListModel(
            ("Owner", "Due", "Action", "Risk", "Done"), _plan_cells, lambda i: i.overdue, self
        )
        plan_view = QTableView()
        plan_view.setModel(self.plan)
        plan_view.verticalHeader().hide()
        plan_view.horizontalHeader().setStretchLastSection(True)
        for column, width in ((0, 220), (1, 100), (2, 320), (3, 300)):
            plan_view.setColumnWidth(column, width)
        self.views = QTabWidget()
        self.views.addTab(self.table, "Register")
        self.views.addTab(self._plan_page(plan_view), "Treatment plan")
        self.count_label = QLabel("Loading the risk register…")
        list_and_panel(
            self, [bar, filters, self.views, self.count_label], self._build_panel(), [860, 560]
        )

    def _plan_page(self, plan_view: QTableView) -> QWidget:
        """The plan with its approval by management below it (6.1.3)."""
        self.plan_approval = ApprovalFields("treatment_plan")
        self.plan_approval.offer_people(PeopleNames(self.ef))
        self.plan_approve_button = QPushButton("Record approval")
        self.plan_approve_button.clicked.connect(self.record_plan_approval)
        for edit in self.plan_approval._edits():
            edit.returnPressed.connect(self.record_plan_approval)
        buttons = QHBoxLayout()
        buttons.addWidget(self.plan_approve_button)
        buttons.addStretch(1)
        self.plan_approval_error = QLabel(wordWrap=True)
        self.plan_approval_error.setStyleSheet("color: #b3261e; font-weight: bold;")
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(plan_view, 1)
        layout.addWidget(
            QLabel(
                "<b>Approval of the treatment plan</b> by designated management (empty every "
                "field and press Return to withdraw it)",
                wordWrap=True,
            )
        )
        layout.addWidget(self.plan_approval)
        layout.addLayout(buttons)
        layout.addWidget(self.plan_approval_error)
        return page

    def _build_category_question(self) -> QWidget:
        """Asked when the selected risk's category was typed (or imported) and nobody said
        yet whether it is AI-specific."""
        self.category_question = QWidget()
        self.category_question.setStyleSheet("background:#fff4e5;")
        row = QHBoxLayout(self.category_question)
        row.setContentsMargins(4, 4, 4, 4)
        self.category_question_label = QLabel(wordWrap=True)
        self.category_ai_button = QPushButton("AI-specific")
        self.category_not_ai_button = QPushButton("Not AI-specific")
        self.category_ai_button.clicked.connect(lambda: self.classify_current_category(True))
        self.category_not_ai_button.clicked.connect(lambda: self.classify_current_category(False))
        row.addWidget(self.category_question_label, 1)
        row.addWidget(self.category_ai_button)
        row.addWidget(self.category_not_ai_button)
        self.category_question.hide()
        return self.category_question

    def _build_panel(self) -> QWidget:
        self.heat_map = HeatMap()
        self.heat_map.cellClicked.connect(lambda lik, imp: self.filter_cell((lik, imp)))
        self.inherent_radio = QRadioButton("Inherent")
        self.residual_radio = QRadioButton("Residual")
        self.inherent_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.inherent_radio)
        group.addButton(self.residual_radio)
        self.residual_radio.toggled.connect(lambda _on: self._redraw_heat_map())
        self.cyber_only = QLabel(
            "<b>Only classic IT risk categories in this register.</b> Auditors expect AI harms "
            "too: bias, transparency, human oversight, safety, privacy, societal effects."
        )
        self.cyber_only.setWordWrap(True)
        self.cyber_only.setStyleSheet("background:#fdecea; color:#8c1d18; padding:4px;")
        self.cyber_only.hide()
        self.whole_gaps = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.whole_gaps.setStyleSheet("background:#fdecea; color:#8c1d18; padding:4px;")
        self.whole_gaps.hide()
        self.heading = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.gaps = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.gaps.setStyleSheet("background:#fdecea; color:#8c1d18; padding:4px;")
        self.form = FieldForm(list(risks.FIELDS.values()), save=self._save_fields)
        self.form.offer_people(PeopleNames(self.ef))
        self.category_completer = QCompleter([], self)
        self.category_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.form.editors["category"].setCompleter(self.category_completer)
        self.treatment_summary = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.treatment_button = QPushButton("Systems, controls and actions…")
        self.treatment_button.clicked.connect(self.edit_treatment)
        self.history_view = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.history_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        toggle = QHBoxLayout()
        toggle.addWidget(QLabel("<b>Heat map</b>: likelihood ↑ × impact →; click a cell to filter"))
        toggle.addStretch(1)
        toggle.addWidget(self.inherent_radio)
        toggle.addWidget(self.residual_radio)
        self.documents = ServingLabel("risks")  # the register's documents that serve it
        items: list[QWidget | QLayout] = [
            toggle,
            self.heat_map,
            self.whole_gaps,
            self.heading,
            self.gaps,
            self._build_category_question(),
            self.treatment_summary,
            self.treatment_button,
            self.documents,
            self.form,
        ]
        return detail_panel(items, self.history_view)

    # loading
    def load(self) -> Callable[[], Loaded]:
        ef = self.ef
        return lambda: load_risks(ef)

    def show_loaded(self, result: Loaded) -> None:
        prepared, self.criteria, self.categories, self.overview, self.signoff = result
        self.form.set_scales(
            {
                "likelihood": [level.label for level in self.criteria.likelihood],
                "impact": [level.label for level in self.criteria.impact],
            }
        )
        self.model.set_prepared(prepared)
        self._show_overview()
        self.category_completer.model().setStringList([c.name for c in self.categories])
        _refill(self.category_filter, "All categories", [c.name for c in self.categories])
        _refill(self.level_filter, "All levels", [b.name for b in self.criteria.bands])

    def _recount_overview(self) -> None:
        """Heat maps, plan and gap count again after an edit, off the UI thread (thousands
        of risks take a few hundred ms); only the latest recount is shown."""
        rows, criteria, categories = self.model.all_rows(), self.criteria, self.categories
        signoff = self.signoff
        task: worker.Task | None = None

        def done(result: Overview) -> None:
            if task is self._overview_task:
                self._overview_task = None
                self.overview = result
                self._show_overview()

        def failed(message: str) -> None:
            if task is self._overview_task:
                self._overview_task = None
                self.count_label.setText(message)

        def count() -> Overview:
            unauthorised = authority.by_item(self.ef, "risk")
            return overview(rows, criteria, categories, signoff, unauthorised)

        task = self._overview_task = worker.start(count, done, failed)

    def shutdown(self) -> None:
        super().shutdown()
        if self._overview_task is not None:  # its result would land on a closed tab
            self._overview_task.wait()
            self._overview_task = None

    def _show_overview(self) -> None:
        self._redraw_heat_map()
        self.plan.set_rows(self.overview.plan)
        self.cyber_only.setVisible(self.overview.cyber_only)
        share = self.overview.ai_share
        self.cyber_only.setText(
            (
                f"<b>AI-specific categories on only {share:g}% of the live risks</b> (under "
                f"{risk_rules.TOKEN_SHARE:g}% reads as a cyber-only register)."
                if share
                else "<b>Only classic IT risk categories in this register.</b>"
            )
            + " Auditors expect AI harms too: bias, transparency, human oversight, safety, "
            "privacy, societal effects."
        )
        self.whole_gaps.setVisible(bool(self.overview.whole))
        self.whole_gaps.setText(
            "<b>Gaps of the register as a whole</b><br>"
            + "<br>".join("• " + esc(text) for text in self.overview.whole)
        )
        self._show_plan_approval()
        self.update_count()

    def _show_plan_approval(self) -> None:
        approval = approvals.get(self.ef, "treatment_plan")
        without = authority.of_item(self.ef, "treatment_plan", "treatment_plan")
        self.plan_approval.show_approval(approval, self.signoff.plan_approved, without)
        self.plan_approval.setEnabled(not self.ef.read_only)
        self.plan_approve_button.setEnabled(not self.ef.read_only)

    def flagged_total(self) -> int | None:
        return self.overview.flagged

    def _redraw_heat_map(self) -> None:
        residual = self.residual_radio.isChecked()
        self.heat_map.set_data(
            self.criteria, self.overview.heat_residual if residual else self.overview.heat
        )
        if (
            self.model.cell is not None
            and self.model.cell_residual != self.residual_radio.isChecked()
        ):
            self.filter_cell(self.model.cell)

    def filter_cell(self, cell: tuple[int, int] | None) -> None:
        self.heat_map.selected = cell
        self.heat_map.update()
        self.cell_label.setVisible(cell is not None)
        self.clear_cell.setVisible(cell is not None)
        if cell is not None:
            which = "residual" if self.residual_radio.isChecked() else "inherent"
            self.cell_label.setText(f"Cell: likelihood {cell[0]}, impact {cell[1]} ({which})")
        self.filter(cell=cell, cell_residual=self.residual_radio.isChecked())

    # selection and panel
    def show_current(self) -> None:
        row: RiskRow | None = self.current_row()
        self.current = row.id if row else None
        writable = row is not None and not self.ef.read_only
        for widget in (self.form, self.treatment_button, self.delete_button):
            widget.setEnabled(writable)
        for widget in (
            self.add_button,
            self.add_opportunity_button,
            self.criteria_button,
            self.categories_button,
        ):
            widget.setEnabled(not self.ef.read_only)
        if row is None:
            self.heading.setText(self.empty_heading("<h3>No risk selected</h3>"))
            self.gaps.hide()
            self.category_question.hide()
            self.form.set_values({})
            self.treatment_summary.setText("")
            self.documents.show_item(self.ef, None)
            self.history_view.setText("")
            return
        self.documents.show_item(self.ef, row.id)
        source = next((c.attribution for c in self.categories if c.name == row.category), "")
        credit = f"<br><small>Category from {esc(source)}</small>" if source else ""
        self.heading.setText(f"<h3>{esc(row.id)}: {esc(row.title)}</h3>{esc(row.category)}{credit}")
        category = next((c for c in self.categories if c.name == row.category), None)
        asking = category is not None and not category.classified and not self.ef.read_only
        self.category_question.setVisible(asking)
        if asking:
            self.category_question_label.setText(
                f"Is the category “{row.category}” AI-specific (a harm that comes from AI, such "
                "as bias, drift or opacity), or a classic IT or business one?"
            )
        flags = self.model.info_of(row.id)
        self.gaps.setVisible(bool(flags))
        self.gaps.setText(
            "<b>Gaps an auditor will find</b><br>"
            + "<br>".join("• " + esc(LABELS[f]) + todo_html(RULE_OF[f].todo) for f in flags)
            + self._authority_text(row.id, flags)
        )
        self.form.set_values(row.values(), row.id)
        lines = soa.list_lines(self.ef)  # Annex A and the controls beyond it
        decisions = {x.control_id: x.decision for x in lines}
        titles = {x.control_id: x.title for x in lines}
        controls = "".join(
            f"<br>• {esc(c.control_id)} {esc(titles.get(c.control_id, ''))}: "
            f"{esc(c.reason)}"
            + (
                " <b style='color:#b3261e'>(excluded in the SoA)</b>"
                if decisions.get(c.control_id) == "excluded"
                else ""
            )
            for c in row.controls
        )
        actions = "".join(
            f"<br>• {esc(a.action)} ({esc(a.owner)}, "
            f"{a.due_date.isoformat() if a.due_date else 'no date'}"
            f"{', done' if a.done else ''})"
            for a in row.actions
        )
        self.treatment_summary.setText(
            f"<b>AI systems:</b> {esc(', '.join(row.systems)) or 'none'}"
            f"<br><b>Controls:</b>{controls or ' none'}<br><b>Actions:</b>{actions or ' none'}"
        )
        self.history_view.setText(self._history_html(row.id))

    def _history_html(self, risk_id: str) -> str:
        labels = {name: spec.label for name, spec in risks.FIELDS.items()}
        changes = risks.history_of(self.ef, risk_id, limit=50)
        return history_html(changes, labels, shown_by_spec(risks.FIELDS))

    def _authority_text(self, risk_id: str, flags: list[str]) -> str:
        """Who accepted and why no authority shows, below the gap it raises."""
        if WITHOUT_AUTHORITY not in flags:
            return ""
        found = authority.of_item(self.ef, "risk", risk_id)
        return f"<br><small>{esc(found.text)}</small>" if found else ""

    def refresh_panel(self) -> None:
        if self.current is not None:
            self.show_current()

    # editing: service first, then an undo step that replays it
    def refresh(self, risk_id: str, select: bool = False) -> None:
        try:
            row: RiskRow | None = risks.get_risk(self.ef, risk_id)
        except FieldError:
            row = None
        self.categories = risks.list_categories(self.ef)
        flags = (
            risk_rules.evaluate([row], self.criteria, self.categories).flags_for(risk_id)
            if row
            else []
        )
        if row and authority.of_item(self.ef, "risk", risk_id):
            flags.append(WITHOUT_AUTHORITY)
        self.model.update_row(risk_id, row, flags)
        self.update_count()
        self._recount_overview()
        if select and row is not None:
            self.select(risk_id)
        elif risk_id == self.current:
            self.show_current()
        self.changed.emit()

    def _save(
        self, row: RiskRow, values: dict[str, Any], systems, controls, actions, text: str
    ) -> bool:
        """A risk saved with its links; a refusal is shown (at its field when it has one)."""
        return self.attempt(lambda: self._write(row, values, systems, controls, actions, text))[0]

    def _write(
        self, row: RiskRow, values: dict[str, Any], systems, controls, actions, text: str
    ) -> None:
        """Save through the service (raising its refusal), then the undo step."""
        _, before = risks.save_risk(self.ef, row.id, values, systems, controls, actions)
        assert before is not None
        self.undo_stack.push(
            AppliedCommand(
                text,
                self.replay(row.id, lambda: risks.restore(self.ef, before)),
                self.replay(
                    row.id,
                    lambda: risks.save_risk(self.ef, row.id, values, systems, controls, actions),
                ),
            )
        )
        self.refresh(row.id)

    def _save_fields(self, risk_id: object, changes: dict[str, object]) -> None:
        """The form's edit of one field, or of a set a rule wants together (the residual
        rating, the acceptance): one service call, one undo step."""
        row = self.model.row(risk_id) if isinstance(risk_id, str) else None
        if row is None:
            raise FieldError("id", "Select a risk first.")
        changed = {f: v for f, v in changes.items() if _shown(v) != _shown(getattr(row, f))}
        if not changed:
            self.show_current()  # the value as stored
            return
        labels = " and ".join(risks.FIELDS[f].label.lower() for f in changed)
        values = {**row.values(), **changed}
        self._write(
            row, values, row.systems, row.controls, row.actions, f"Change {labels} of {row.id}"
        )

    def edit_treatment(self) -> None:
        row = self.model.row(self.current) if self.current else None
        if row is None or self.ef.read_only:
            return
        systems = [(s.id, s.name) for s in inventory.list_systems(self.ef)]

        def save(chosen, controls, actions) -> None:  # a refusal is shown in the dialog
            self._write(
                row, row.values(), chosen, controls, actions, f"Change treatment of {row.id}"
            )

        dialogs.run_dialog(
            TreatmentDialog(row, systems, self.ef.catalog, save, self, additional.choices(self.ef))
        )

    def add_risk(self, kind: str) -> None:
        if self.ef.read_only:
            return
        values = {
            "kind": kind,
            "title": f"New {risks.KINDS[kind].lower()}",  # rated 1 x 1 by the service
            "owner": "",
        }
        try:
            new_id, _ = risks.save_risk(self.ef, None, values)
        except AimsError as exc:
            dialogs.error(self, "Not added", exc.message)
            return
        self.push_existence(f"Add {new_id}", new_id, True, risks.set_deleted)
        self.refresh(new_id, select=True)
        self.form.editors["title"].setFocus()

    def delete_risk(self) -> None:
        risk_id = self.current
        if risk_id is None or self.ef.read_only:
            return
        row = self.current_row()
        actions = len(row.actions) if row is not None else 0
        if actions and not dialogs.confirm(
            self,
            "Delete risk",
            f"Delete {risk_id} with its {words.count(actions, 'treatment action')}? "
            "Edit > Undo (Ctrl+Z) brings them back.",
        ):
            return
        try:
            risks.set_deleted(self.ef, risk_id, True)
        except AimsError as exc:
            dialogs.error(self, "Not deleted", exc.message)
            return
        self.push_existence(f"Delete {risk_id}", risk_id, False, risks.set_deleted)
        self.refresh(risk_id)

    # criteria and categories
    def edit_criteria(self) -> None:
        if self.ef.read_only:
            return
        approval = approvals.get(self.ef, "risk_criteria")
        without = authority.of_item(self.ef, "risk_criteria", "risk_criteria")
        dialog = CriteriaDialog(
            self.criteria, self, approval, self.signoff.criteria_approved, without
        )
        dialog.approval.offer_people(PeopleNames(self.ef))
        if not dialogs.run_dialog(dialog):
            return
        change = dialog.approval_change

        def approve() -> None:  # of the criteria as they now stand
            if change is not None:
                versioned = (
                    change
                    if isinstance(change, str)
                    else dataclasses.replace(
                        change, subject_version=risks.criteria_version(self.ef)
                    )
                )
                self.record_approval("risk_criteria", versioned)

        if dialog.criteria != self.criteria:
            self.apply_criteria(dialog.criteria, approve)
        else:
            approve()

    def record_plan_approval(self) -> None:
        """The plan view's fields: an approval recorded (or withdrawn) as typed."""
        self.plan_approval_error.setText("")
        try:
            change = self.plan_approval.change()
        except AimsError as exc:
            self.plan_approval_error.setText(exc.message)
            return
        if change is not None:
            self.record_approval("treatment_plan", change)

    def record_approval(self, subject: str, change: Approval | str) -> None:
        """Set or withdraw (CLEAR) an approval: one undo step, then the gaps counted again."""
        what = approvals.SUBJECTS[subject].lower()

        def write(new: Approval | None) -> Approval | None:
            if new is None:
                return approvals.clear(self.ef, subject)
            return approvals.set_approval(self.ef, new)

        new = None if change == CLEAR else change
        assert not isinstance(new, str)
        try:
            before = write(new)
        except AimsError as exc:
            dialogs.error(self, "Approval not recorded", exc.message)
            return
        self.undo_stack.push(
            AppliedCommand(
                f"{'Withdraw approval of' if new is None else 'Approve'} the {what}",
                lambda: self._quietly(lambda: approvals.restore(self.ef, subject, before)),
                lambda: self._quietly(lambda: write(new)),
            )
        )
        self._signoff_changed()

    def _signoff_changed(self) -> None:
        self.signoff = risk_rules.signoff(self.ef)
        self._show_plan_approval()
        self._recount_overview()
        self.changed.emit()

    def classify_current_category(self, ai_specific: bool) -> None:
        row = self.model.row(self.current) if self.current else None
        category = next((c for c in self.categories if row and c.name == row.category), None)
        if category is None or self.ef.read_only:
            return
        self.classify_category(category.id, ai_specific)

    def classify_category(self, category_id: int, ai_specific: bool) -> None:
        """Say whether a category is AI-specific: one undo step (undo asks again)."""
        try:
            old = risks.classify_category(self.ef, category_id, ai_specific)
        except AimsError as exc:
            dialogs.error(self, "Category not changed", exc.message)
            return
        self.undo_stack.push(
            AppliedCommand(
                "Mark a category " + ("AI-specific" if ai_specific else "not AI-specific"),
                lambda: self._quietly(lambda: risks.classify_category(self.ef, category_id, *old)),
                lambda: self._quietly(
                    lambda: risks.classify_category(self.ef, category_id, ai_specific)
                ),
            )
        )
        self.reload()
        self.changed.emit()

    def apply_criteria(self, new: Criteria, after: Callable[[], None] | None = None) -> None:
        """Save criteria and re-score every risk off the UI thread, with progress and Cancel."""
        old = self.criteria
        progress = QProgressDialog("Re-scoring risks…", "Cancel", 0, 100, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        ef = self.ef

        def done(_result) -> None:
            progress.close()
            self.undo_stack.push(
                AppliedCommand(
                    "Change risk criteria",
                    lambda: self.apply_criteria_quietly(old),
                    lambda: self.apply_criteria_quietly(new),
                )
            )
            if after is not None:
                after()
            self.reload()
            self.changed.emit()

        def failed(message: str) -> None:
            progress.close()
            STATUS.refused(message)
            dialogs.error(self, "Criteria not changed", message)

        def show(count: int, total: int, _message: str) -> None:
            progress.setValue(int(100 * count / total) if total else 100)

        task = worker.start(lambda: risks.change_criteria(ef, new), done, failed, show)
        task.signals.cancelled.connect(progress.close)
        progress.canceled.connect(task.cancel)
        self._criteria_task = task

    def apply_criteria_quietly(self, criteria: Criteria) -> None:
        """Undo/redo of a criteria change: re-score in place (the register is reloaded)."""
        try:
            for _ in risks.change_criteria(self.ef, criteria):
                pass
        except AimsError as exc:
            dialogs.error(self, "Could not undo or redo", exc.message)
            STATUS.refused(exc.message)
            return
        self.reload()
        self.changed.emit()

    def edit_categories(self) -> None:
        if self.ef.read_only:
            return

        def rename(category_id: int, name: str) -> None:
            old = risks.rename_category(self.ef, category_id, name)
            self.undo_stack.push(
                AppliedCommand(
                    f"Rename category {old}",
                    lambda: self._quietly(lambda: risks.rename_category(self.ef, category_id, old)),
                    lambda: self._quietly(
                        lambda: risks.rename_category(self.ef, category_id, name)
                    ),
                )
            )

        def merge(source: int, target: int) -> None:
            moved = risks.merge_category(self.ef, source, target)

            def redo() -> None:  # the risks moved by the latest merge are the ones to move back
                moved[:] = risks.merge_category(self.ef, source, target)

            self.undo_stack.push(
                AppliedCommand(
                    "Merge categories",
                    lambda: self._quietly(lambda: risks.unmerge_category(self.ef, source, moved)),
                    lambda: self._quietly(redo),
                )
            )

        dialogs.run_dialog(
            CategoriesDialog(
                risks.list_categories(self.ef), rename, merge, self, self.classify_category
            )
        )
        self.reload()

    def _quietly(self, action: Callable[[], object]) -> None:
        try:
            action()
        except AimsError as exc:
            dialogs.error(self, "Could not undo or redo", exc.message)
        self.reload()


def _shown(value: object) -> str:
    """A value as text, to tell an edit from what is stored (a date typed, a number)."""
    return "" if value is None else str(value)


def _refill(combo: QComboBox, everything: str, choices: list[str]) -> None:
    """New choices for a filter, keeping the one picked when it still exists."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(everything, "")
    for choice in choices:
        combo.addItem(choice, choice)
    combo.setCurrentIndex(max(combo.findData(current), 0))
    combo.blockSignals(False)
