"""The Inventory tab: every AI system of the client, its gaps, and its impact assessments."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QTableView,
    QWidget,
)

from app.services import words
from app.services.context import summary as context_summary
from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.inventory import impact
from app.services.inventory import rules as inventory_rules
from app.services.inventory import service as inventory
from app.services.people import authority
from app.services.risks import service as risks
from app.views.common import dialogs
from app.views.common.field_form import FieldForm, FormDialog
from app.views.common.people import PeopleNames
from app.views.common.register_tab import ListModel, RegisterTab
from app.views.common.row_table import Prepared, prepare
from app.views.common.text import esc, history_html, shown_by_spec, todo_html
from app.views.common.undo import AppliedCommand
from app.views.common.widgets import detail_panel, list_and_panel
from app.views.documents.serving_label import ServingLabel
from app.views.inventory.assessment_dialog import AssessmentDialog
from app.views.inventory.model import SystemInfo, SystemsModel, haystack


def load_inventory(ef: EngagementFile) -> Prepared:
    """Everything the table shows, ready to swap in; runs on a worker thread."""
    systems = inventory.list_systems(ef)
    assessments = impact.list_assessments(ef)
    findings = inventory_rules.evaluate(
        systems,
        assessments,
        inventory.linked_risks(ef),
        risks.get_criteria(ef),
        ef.details.aims_started_on,
    )
    counts = Counter(a.system_id for a in assessments)
    return prepare(systems, _infos(findings, {s.id: counts[s.id] for s in systems}), haystack)


def _infos(findings: inventory_rules.Findings, counts: Mapping[str, int]) -> dict[str, SystemInfo]:
    """What the table shows beside each system of `counts` (its number of assessments)."""
    flags = findings.by_system()
    need, before = set(findings.need_start_date), set(findings.live_before_start)
    return {i: SystemInfo(n, flags.get(i, []), i in need, i in before) for i, n in counts.items()}


def _assessment_cells(r: impact.AssessmentRow) -> tuple[str, ...]:
    approved = r.approved_by + (f" ({r.approved_on.isoformat()})" if r.approved_on else "")
    return (
        r.id,
        r.assessed_on.isoformat(),
        impact.TRIGGERS.get(r.trigger, r.trigger),
        r.assessor,
        str(len(r.impacts)),
        approved,
    )


class InventoryTab(RegisterTab):
    noun = "AI systems"
    noun_one = "AI system"
    empty_text = (
        "<h3>No AI systems yet</h3><p>Add the client's first AI system with <b>Add system</b> "
        "(Insert), or import the client's own register with File &gt; Import Workbook "
        "(Ctrl+Shift+I).</p><p>Count the systems bought from vendors and those built into "
        "other tools too: auditors look for them.</p>"
    )

    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__(ef, undo_stack, SystemsModel(), parent)
        self.model.setParent(self)
        self._build()

    # layout
    def _build(self) -> None:
        self.add_button = QPushButton("Add system")
        self.add_button.setToolTip("Add an AI system (Insert)")
        self.add_button.clicked.connect(self.add_system)
        self.duplicate_button = QPushButton("Duplicate")
        self.duplicate_button.setToolTip("Duplicate the selected system (Ctrl+D)")
        self.duplicate_button.clicked.connect(self.duplicate_system)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected system (Delete); Ctrl+Z brings it back")
        self.delete_button.clicked.connect(self.delete_system)
        self.add_shortcuts(
            [
                (QKeySequence(Qt.Key.Key_Insert), self.add_system),
                (QKeySequence("Ctrl+D"), self.duplicate_system),
                (QKeySequence(QKeySequence.StandardKey.Delete), self.delete_system),
            ]
        )
        self.make_search("Search systems, owners, vendors (Ctrl+F)")
        self.scope_filter = self.make_filter(
            [("All systems", ""), ("In scope", "in"), ("Out of scope", "out")], "scope"
        )
        self.source_filter = self.make_filter(
            [("All sources", "")] + [(v, k) for k, v in inventory.SOURCES.items()], "source"
        )
        self.stage_filter = self.make_filter(
            [("All stages", "")] + [(v, k) for k, v in inventory.STAGES.items()], "stage"
        )
        self.flagged = QCheckBox("Only systems with gaps")
        self.flagged.toggled.connect(lambda on: self.filter(flagged_only=on))
        bar = QHBoxLayout()
        for button in (self.add_button, self.duplicate_button, self.delete_button):
            bar.addWidget(button)
        bar.addWidget(self.search, 1)
        filters = QHBoxLayout()
        for widget in (self.scope_filter, self.source_filter, self.stage_filter, self.flagged):
            filters.addWidget(widget)
        filters.addStretch(1)

        self.make_table([80, 220, 250, 110, 170, 150])
        self.count_label = QLabel("Loading AI systems…")

        list_and_panel(
            self, [bar, filters, self.table, self.count_label], self._build_panel(), [820, 580]
        )

    def _build_panel(self) -> QWidget:
        self.heading = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.gaps = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.gaps.setStyleSheet("background:#fdecea; color:#8c1d18; padding:4px;")
        self.form = FieldForm(
            [spec for name, spec in inventory.FIELDS.items() if name != "id"],
            save=self._save_fields,
        )
        self.form.offer_people(PeopleNames(self.ef))
        self.assessments = ListModel(
            ("ID", "Date", "Trigger", "Assessor", "Impacts", "Approved by"),
            _assessment_cells,
            warn=lambda r: r.id in self._without_authority,
            parent=self,
        )
        self._without_authority: dict[str, authority.Finding] = {}
        self.assessment_table = QTableView()
        self.assessment_table.setModel(self.assessments)
        self.assessment_table.verticalHeader().hide()
        self.assessment_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.assessment_table.setMaximumHeight(140)
        self.assessment_table.horizontalHeader().setStretchLastSection(True)
        self.assessment_table.verticalHeader().setDefaultSectionSize(22)
        self.assessment_table.doubleClicked.connect(lambda _i: self.edit_assessment())
        self.add_assessment_button = QPushButton("Add assessment…")
        self.add_assessment_button.clicked.connect(self.add_assessment)
        self.edit_assessment_button = QPushButton("Edit…")
        self.edit_assessment_button.clicked.connect(self.edit_assessment)
        self.delete_assessment_button = QPushButton("Delete")
        self.delete_assessment_button.clicked.connect(self.delete_assessment)
        buttons = QHBoxLayout()
        for b in (
            self.add_assessment_button,
            self.edit_assessment_button,
            self.delete_assessment_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.history_view = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.history_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # the obligations register (Context tab) names the systems each law or contract covers
        self.obligations = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.documents = ServingLabel("systems")  # the register's documents that serve it

        items: list[QWidget | QLayout] = [
            self.heading,
            self.gaps,
            self.obligations,
            self.documents,
            QLabel("<b>Impact assessments</b>"),
            self.assessment_table,
            buttons,
            self.form,
        ]
        return detail_panel(items, self.history_view, 320)

    # loading
    def load(self) -> Callable[[], Prepared]:
        ef = self.ef
        return lambda: load_inventory(ef)

    def show_loaded(self, result: Prepared) -> None:
        self.model.set_prepared(result)
        self.update_count()

    def show_current(self) -> None:
        row = self.current_row()
        self.current = row.id if row else None
        writable = row is not None and not self.ef.read_only
        for widget in (
            self.form,
            self.add_assessment_button,
            self.edit_assessment_button,
            self.delete_assessment_button,
        ):
            widget.setEnabled(writable)
        self.duplicate_button.setEnabled(writable)
        self.delete_button.setEnabled(writable)
        self.add_button.setEnabled(not self.ef.read_only)
        if row is None:
            self.heading.setText(
                self.empty_heading(
                    "<h3>No AI system selected</h3>Add the client's AI systems, "
                    "including those bought from vendors or built into other tools."
                )
            )
            self.gaps.hide()
            self.obligations.setText("")
            self.documents.show_item(self.ef, None)
            self.form.set_values({})
            self.assessments.set_rows([])
            self.history_view.setText("")
            return
        self.heading.setText(f"<h3>{esc(row.id)}: {esc(row.name)}</h3>")
        flags = self.model.flags_of(row.id)
        assessments = impact.list_assessments(self.ef, row.id)
        ids = [a.id for a in assessments]
        found = authority.findings(self.ef, "impact_assessment", ids) if ids else []
        self._without_authority = {f.item: f for f in found}
        self.gaps.setVisible(bool(flags) or bool(self._without_authority))
        info = self.model.info_of(row.id)
        notes = [
            text
            for text, shown in (
                (inventory_rules.NO_START_DATE, info.needs_start_date),
                (inventory_rules.LIVE_BEFORE_START, info.live_before_start),
            )
            if shown
        ]
        note = "".join(f"<br><i>{esc(text)}</i>" for text in notes)
        self.gaps.setText(
            "<b>Gaps an auditor will find</b><br>"
            + "<br>".join(
                f"• {esc(rule.label)}{todo_html(rule.todo)}"
                for rule in (inventory_rules.RULES[f] for f in flags)
            )
            + note
            + "".join(
                f"<br>• {esc(f.rule.label)} ({esc(item)})<br><small>{esc(f.text)}</small>"
                for item, f in self._without_authority.items()
            )
        )
        obligations = context_summary.obligations_of(self.ef, row.id)
        self.obligations.setText(
            "<b>Obligations that apply</b> (Context tab): "
            + (", ".join(f"{esc(i)} {esc(t)}" for i, t in obligations) or "none recorded")
        )
        self.documents.show_item(self.ef, row.id)
        self.form.set_values({name: getattr(row, name) for name in inventory.EDITABLE}, row.id)
        self.assessments.set_rows(assessments)
        self.history_view.setText(self._history_html(row.id))

    def _history_html(self, system_id: str) -> str:
        labels = {name: spec.label for name, spec in inventory.FIELDS.items()}
        changes = inventory.history_of(self.ef, system_id, limit=50)
        return history_html(changes, labels, shown_by_spec(inventory.FIELDS))

    # editing (every change: service first, then an undo step that replays it)
    def refresh(self, system_id: str, select: bool = False) -> None:
        try:
            row = inventory.get_system(self.ef, system_id)
        except FieldError:
            row = None
        if row is not None and row.deleted:
            row = None
        info = SystemInfo()
        if row is not None:
            findings = inventory_rules.read(self.ef, system_id)
            count = len(impact.list_assessments(self.ef, system_id))
            info = _infos(findings, {system_id: count})[system_id]
        self.model.update_row(system_id, row, info)
        self.update_count()
        if select and row is not None:
            self.select(system_id)
        elif system_id == self.current:
            self.show_current()
        self.changed.emit()

    def _save_fields(self, system_id: object, changes: dict[str, object]) -> None:
        """The form's edit of one field, or of a set a rule wants together: one undo step."""
        if not isinstance(system_id, str):
            raise FieldError("id", "Select an AI system first.")
        self.save_with_undo(
            system_id,
            changes,
            lambda values: inventory.update_system(self.ef, system_id, values),
            lambda name: inventory.FIELDS[name].label,
        )

    def add_system(self) -> None:
        if self.ef.read_only:
            return
        created: list[str] = []
        specs = [inventory.FIELDS[name] for name in ("id", "name", "source", "business_owner")]
        values: dict[str, object] = {
            "id": inventory.next_id(self.ef),
            "name": "",
            "source": "in_house",
        }
        dialog = FormDialog(
            "Add an AI system",
            specs,
            values,
            lambda v: created.append(inventory.create_system(self.ef, v)),
            self,
            people=PeopleNames(self.ef),
        )
        if dialogs.run_dialog(dialog) and created:
            new_id = created[0]
            self.push_existence(f"Add {new_id}", new_id, True, inventory.set_deleted)
            self.refresh(new_id, select=True)

    def duplicate_system(self) -> None:
        if self.current is None or self.ef.read_only:
            return
        source = self.current
        saved, new_id = self.attempt(lambda: inventory.duplicate_system(self.ef, source))
        if saved:
            self.push_existence(
                f"Duplicate {source} as {new_id}", str(new_id), True, inventory.set_deleted
            )
            self.refresh(str(new_id), select=True)

    def delete_system(self) -> None:
        system_id = self.current
        if system_id is None or self.ef.read_only:
            return
        assessments = len(impact.list_assessments(self.ef, system_id))
        obligations = [i for i, _t in context_summary.obligations_of(self.ef, system_id)]
        named = f" The obligations {', '.join(obligations)} name it." if obligations else ""
        if (assessments or obligations) and not dialogs.confirm(
            self,
            "Delete AI system",
            f"Delete {system_id}"
            + (f" with its {words.count(assessments, 'impact assessment')}" if assessments else "")
            + f"?{named} Edit > Undo (Ctrl+Z) brings {'them' if assessments else 'it'} back.",
        ):
            return
        if not self.attempt(lambda: inventory.set_deleted(self.ef, system_id, True))[0]:
            return
        self.push_existence(f"Delete {system_id}", system_id, False, inventory.set_deleted)
        self.refresh(system_id)

    # assessments
    def _selected_assessment(self) -> impact.AssessmentRow | None:
        index = self.assessment_table.currentIndex()
        rows: list[impact.AssessmentRow] = self.assessments.rows
        if not index.isValid():
            return rows[-1] if rows else None  # the latest, when none is picked
        return rows[index.row()]

    def add_assessment(self) -> None:
        system_id = self.current
        if system_id is None:
            return
        created: list[str] = []

        def save(values, impacts) -> None:
            created.append(impact.create_assessment(self.ef, system_id, values, impacts))

        if self._open_dialog(f"New impact assessment of {system_id}", None, save) and created:
            aid = created[0]
            self.undo_stack.push(
                AppliedCommand(
                    f"Add impact assessment {aid}",
                    self.replay(system_id, lambda: impact.set_deleted(self.ef, aid, True)),
                    self.replay(system_id, lambda: impact.set_deleted(self.ef, aid, False)),
                )
            )
            self.refresh(system_id)

    def edit_assessment(self) -> None:
        system_id, row = self.current, self._selected_assessment()
        if system_id is None or row is None or self.ef.read_only:
            return
        saved: list[tuple[Any, ...]] = []

        def save(values, impacts) -> None:
            before = impact.update_assessment(self.ef, row.id, values, impacts)
            saved.append((before, dict(values), [dict(i) for i in impacts]))

        if self._open_dialog(f"Impact assessment {row.id}", row, save) and saved:
            before, values, impacts = saved[0]
            old_impacts = [dict(i.__dict__) for i in before.impacts]
            self.undo_stack.push(
                AppliedCommand(
                    f"Edit impact assessment {row.id}",
                    self.replay(
                        system_id,
                        lambda: impact.update_assessment(
                            self.ef, row.id, before.values(), old_impacts
                        ),
                    ),
                    self.replay(
                        system_id,
                        lambda: impact.update_assessment(self.ef, row.id, values, impacts),
                    ),
                )
            )
            self.refresh(system_id)

    def delete_assessment(self) -> None:
        system_id, row = self.current, self._selected_assessment()
        if system_id is None or row is None or self.ef.read_only:
            return
        if row.impacts and not dialogs.confirm(
            self,
            "Delete impact assessment",
            f"Delete {row.id} with its {words.count(len(row.impacts), 'impact')}? "
            "Edit > Undo (Ctrl+Z) brings them back.",
        ):
            return
        if not self.attempt(lambda: impact.set_deleted(self.ef, row.id, True))[0]:
            return
        self.undo_stack.push(
            AppliedCommand(
                f"Delete impact assessment {row.id}",
                self.replay(system_id, lambda: impact.set_deleted(self.ef, row.id, False)),
                self.replay(system_id, lambda: impact.set_deleted(self.ef, row.id, True)),
            )
        )
        self.refresh(system_id)

    def _open_dialog(self, title: str, row, save) -> bool:
        criteria = risks.get_criteria(self.ef)
        dialog = AssessmentDialog(title, row, save, criteria, self, PeopleNames(self.ef))
        return bool(dialogs.run_dialog(dialog))
