"""The Clauses tab: the checklist as a tree, filters, and a side panel to edit points."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QTreeView,
    QWidget,
)

from app.services import words
from app.services.clauses import requirements
from app.services.engagement.errors import AimsError, FieldError
from app.services.engagement.file import EngagementFile
from app.services.soa import service as soa
from app.views.clauses.model import (
    COL_ID,
    COL_OWNER,
    COL_STATUS,
    NO_OWNER,
    POINT_ROLE,
    WITH_GAPS,
    ClausesFilter,
    ClausesModel,
    same_name,
)
from app.views.common import dialogs, shown_only, worker
from app.views.common.field_form import DateEdit, LineEdit, LongText
from app.views.common.guard import STATUS
from app.views.common.text import esc, history_html, short, todo_html
from app.views.common.undo import AppliedCommand
from app.views.common.widgets import WrappedLabel, compact, detail_panel, list_and_panel
from app.views.documents.serving_label import ServingLabel
from app.views.registers.link_completer import _FocusWatcher

_FIELD_LABELS = {
    "status": "status",
    "owner": "owner",
    "due_date": "due date",
    "notes": "notes",
    "evidence": "evidence",
}


class ClausesTab(QWidget):
    """Needs an open engagement and the window's undo stack."""

    changed = Signal()
    jump_to_control = Signal(str)  # an Annex A control, to show in the SoA tab

    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__(parent)
        self.ef = ef
        self.undo_stack = undo_stack
        self.catalog = ef.catalog
        self.model = ClausesModel(self.catalog, requirements.list_points(ef), self)
        self.proxy = ClausesFilter(self.catalog, self)
        self.proxy.setSourceModel(self.model)
        self._loading = False
        self._build()
        self._refresh_owner_choices()
        self.tree.expandAll()
        if self.model.point_ids():  # the side panel is useful from the first moment
            self.select_point(self.model.point_ids()[0])  # fills the panel
        else:
            self._show_selection()

    # layout
    def _build(self) -> None:
        self.search = QLineEdit(placeholderText="Search points, notes, owners (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(lambda: self._apply_filter(text=self.search.text()))
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", "")
        for key, label in requirements.STATUS_LABELS.items():
            self.status_filter.addItem(label, key)
        self.status_filter.addItem("Points with a gap", WITH_GAPS)
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self._apply_filter(status=self.status_filter.currentData())
        )
        self.owner_filter = QComboBox()
        self.owner_filter.currentIndexChanged.connect(
            lambda _i: self._apply_filter(owner=self.owner_filter.currentData() or "")
        )
        self.clause_filter = QComboBox()
        self.clause_filter.addItem("All clauses and controls", "")
        for clause in self.catalog.clauses:
            if clause.parent is None:
                self.clause_filter.addItem(f"{clause.id} {clause.title}", clause.id)
        for objective in self.catalog.objectives:
            if any(p.ref.startswith(objective.id + ".") for p in self.catalog.points):
                self.clause_filter.addItem(f"{objective.id} {objective.title}", objective.id)
        self.clause_filter.currentIndexChanged.connect(
            lambda _i: self._apply_filter(clause=self.clause_filter.currentData())
        )
        for combo in (self.status_filter, self.owner_filter, self.clause_filter):
            compact(combo)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.owner_filter, 1)
        filters.addWidget(self.clause_filter, 2)

        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(COL_ID, Qt.SortOrder.AscendingOrder)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setAlternatingRowColors(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        header = self.tree.header()
        for column, width in ((COL_ID, 150), (1, 330), (COL_STATUS, 175), (COL_OWNER, 175)):
            header.resizeSection(column, width)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._show_selection())
        self.count_label = QLabel()
        list_and_panel(self, [filters, self.tree, self.count_label], self._build_panel())

        self._update_count()

    def _build_panel(self) -> QWidget:
        self.heading = WrappedLabel(textFormat=Qt.TextFormat.RichText)
        # the checklist's rules the selected point breaks
        self.gap_note = WrappedLabel(textFormat=Qt.TextFormat.RichText)
        self.gap_note.setStyleSheet("background:#fde7e9; padding:4px;")
        self.gap_note.hide()
        self.guidance = WrappedLabel(textFormat=Qt.TextFormat.RichText)
        self.guidance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_edit = QComboBox()
        self._status_choices(requirements.STATUS_LABELS)
        self.status_edit.activated.connect(
            lambda _i: self._edit("status", self.status_edit.currentData())
        )
        self.owner_edit = LineEdit()
        self.owner_edit.setPlaceholderText("Who is responsible")
        self.owner_completer = QCompleter([], self)
        self.owner_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.owner_edit.setCompleter(self.owner_completer)
        self._owner_watcher = _FocusWatcher(self._offer_people, self)
        self.owner_edit.installEventFilter(self._owner_watcher)
        self._owner_settled: tuple[str, str, str] | None = None
        self._names_task: worker.Task | None = None
        self.owner_note = QLabel(wordWrap=True)  # a typed owner who is no person yet
        self.owner_note.setStyleSheet("color: #5f6368;")
        self.owner_note.hide()
        self.due_edit = DateEdit()
        # Only a change counts (typed, or picked from the list or the calendar): leaving the
        # box shown blank for a mixed selection must not clear every owner.
        for name, line in (("owner", self.owner_edit), ("due_date", self.due_edit)):
            line.editingFinished.connect(lambda n=name, ln=line: self._line_left(n, ln))
            line.picked.connect(lambda n=name, ln=line: self._line_left(n, ln))
        self.notes_edit = LongText(placeholderText="What was discussed, what is missing")
        self.notes_edit.committed.connect(lambda text: self._edit("notes", text))
        self.evidence_edit = LongText(placeholderText="Document IDs, links, file names")
        self.evidence_edit.committed.connect(lambda text: self._edit("evidence", text))
        for box in (self.notes_edit, self.evidence_edit):
            box.setMinimumHeight(60)
            box.setMaximumHeight(120)
        # A refused value is shown under its own field.
        self.field_errors = {name: QLabel(wordWrap=True) for name in _FIELD_LABELS}
        for message in self.field_errors.values():
            message.setStyleSheet("color: #b3261e; font-weight: bold;")
            message.hide()
        self.history_view = WrappedLabel(textFormat=Qt.TextFormat.RichText)
        self.history_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # A control's point shows its SoA line: the status set here is the line's.
        self.soa_note = WrappedLabel(textFormat=Qt.TextFormat.RichText)
        self.soa_note.setStyleSheet("background:#e8f0fe; padding:4px;")
        self.soa_note.linkActivated.connect(self.jump_to_control.emit)
        form = QFormLayout()
        for name, editor in self._field_editors().items():
            form.addRow(_FIELD_LABELS[name].capitalize(), editor)
            form.addRow(self.field_errors[name])
            if name == "status":
                form.addRow(self.soa_note)
            if name == "owner":
                form.addRow(self.owner_note)
        # the register's documents linked to the point (Documents tab): the evidence is a note
        self.documents = ServingLabel("points")
        form.addRow("Documents", self.documents)
        self.editors = QWidget()
        self.editors.setLayout(form)

        items = [self.heading, self.gap_note, self.guidance, self.editors]
        return detail_panel(items, self.history_view)

    def _line_left(self, field: str, line: LineEdit) -> None:
        if not line.is_changed():
            return
        if field != "owner" or self.ef.read_only or not self.selected_ids():
            self._edit(field, line.text())
            return
        from app.views.common.people import PeopleNames  # (not needed at start-up)

        typed = line.text()
        if self._owner_settled and self._owner_settled[0] == typed:  # Return, then leaving
            text, note = self._owner_settled[1:]
        else:
            text, note = PeopleNames(self.ef).settle(self, typed)
            self._owner_settled = (typed, text, note)
        line.setText(text)
        self._edit(field, text)
        if note and self.field_errors["owner"].isHidden():
            self.owner_note.setText(note)
            self.owner_note.show()

    def _offer_people(self) -> None:
        """The owner field offers people's names with the owners already used; the names
        are read off the UI thread (5,000 of them, the first time with the people service)."""
        from app.views.common.people import PeopleNames  # (not needed at start-up)

        if self._names_task is not None:
            return

        def done(names: list[str]) -> None:
            self._names_task = None
            used = self.owner_completer.model().stringList()
            known = {same_name(n) for n in used}
            more = [n for n in names if same_name(n) not in known]
            self.owner_completer.model().setStringList(sorted([*used, *more], key=str.lower))

        def failed(_message: str) -> None:  # the file went away: nothing more to offer
            self._names_task = None

        self._names_task = worker.start(PeopleNames(self.ef).names, done, failed)

    def selected_ids(self) -> list[str]:
        ids = []
        for index in self.tree.selectionModel().selectedRows(0):
            point = index.data(POINT_ROLE)
            if point is not None:
                ids.append(point.id)
        return ids

    def select_point(self, point_id: str) -> None:
        source = self.model.index_for(point_id)
        index = self.proxy.mapFromSource(source)
        if index.isValid():
            self.tree.selectionModel().select(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)

    def refresh_panel(self) -> None:
        self._show_selection()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _show_selection(self) -> None:
        ids = self.selected_ids()
        self._clear_field_error()
        self._loading = True
        try:
            self._fill_panel(ids)
            self._show_soa_line(ids)
            self._show_gaps(ids)
        finally:
            self._loading = False

    def _show_soa_line(self, ids: list[str]) -> None:
        row = self.model.index_for(ids[0]).data(POINT_ROLE) if len(ids) == 1 else None
        self.soa_note.setVisible(bool(row and row.control_id))
        if row is None or not row.control_id:
            return
        decision = soa.DECISIONS[row.soa_decision]
        self.soa_note.setText(
            f"<b>SoA line of <a href='{esc(row.control_id)}'>{esc(row.control_id)}</a>:</b> "
            f"{esc(decision)}, {esc(soa.STATUSES[row.soa_status].lower())}.<br>"
            "The status of this point is the control's implementation status in the SoA; "
            "setting it here sets it there."
            + ("" if row.applicable else " The SoA excludes the control: no work is needed.")
        )

    def _show_gaps(self, ids: list[str]) -> None:
        row = self.model.index_for(ids[0]).data(POINT_ROLE) if len(ids) == 1 else None
        gaps = row.gaps() if row is not None else []
        self.gap_note.setVisible(bool(gaps))
        self.gap_note.setText(
            "<b>Gaps an auditor will raise</b><br>"
            + "<br>".join(
                f"{esc(rule.label)} ({esc(rule.ref)}){todo_html(rule.todo)}" for rule in gaps
            )
            + (
                "<br>Readiness counts this point as in progress until evidence is named."
                if requirements.NO_EVIDENCE in gaps
                else ""
            )
        )

    def reload_controls(self) -> None:
        """The SoA changed: the points under Annex A controls show their lines again."""
        rows = [p for p in requirements.list_points(self.ef) if p.control_id]
        self.model.update_rows(rows)
        self.proxy.invalidate()
        self._show_selection()
        self._update_count()

    def _fill_panel(self, ids: list[str]) -> None:
        writable = not self.ef.read_only
        self.owner_note.hide()
        self._owner_settled = None
        if not ids:
            self.heading.setText(
                "<h3>Select a checklist point</h3>"
                "Pick a point in the tree to see what to ask and to record the "
                "client's answer. Select several to set status or owner at once."
            )
            self.editors.setEnabled(False)
            self._set_combo(self.status_edit, None)  # no other point's answer left showing
            for line in (self.owner_edit, self.due_edit, self.notes_edit, self.evidence_edit):
                line.show_text("")
            self.documents.show_item(self.ef, None)
            self.guidance.setText("")
            self.history_view.setText("")
            return
        self.editors.setEnabled(writable)
        rows = [self.model.index_for(i).data(POINT_ROLE) for i in ids]
        if len(rows) > 1:
            self.heading.setText(
                f"<h3>{len(rows)} points selected</h3>Status and owner apply to all of them."
            )
            self._status_choices(requirements.STATUS_LABELS)
            self._set_combo(
                self.status_edit, rows[0].status if len({r.status for r in rows}) == 1 else None
            )
            owners = {r.owner for r in rows}
            self.owner_edit.show_text(owners.pop() if len(owners) == 1 else "")
            for widget in (self.due_edit, self.notes_edit, self.evidence_edit):
                widget.setEnabled(False)
            self.due_edit.show_text("")
            self.notes_edit.show_text("")
            self.evidence_edit.show_text("")
            self.documents.show_item(self.ef, None)
            self.guidance.setText("")
            self.history_view.setText("")
            return
        row = rows[0]
        for widget in (self.due_edit, self.notes_edit, self.evidence_edit):
            widget.setEnabled(True)
        # a control's point offers the SoA's statuses: it sets the line's, "planned" included
        self._status_choices(soa.STATUSES if row.control_id else requirements.STATUS_LABELS)
        self._set_combo(self.status_edit, row.soa_status if row.control_id else row.status)
        self.owner_edit.show_text(row.owner)
        self.due_edit.show_text(row.due_date.isoformat() if row.due_date else "")
        self.notes_edit.show_text(row.notes)
        self.evidence_edit.show_text(row.evidence)
        self.documents.show_item(self.ef, row.id)
        self.heading.setText(
            f"<h3>{esc(row.id)}: {esc(row.title)}</h3>"
            f"<span style='color:#555'>{esc(row.ref)} "
            f"{esc(self.catalog.ref_title(row.ref))}</span>"
        )
        self.guidance.setText(self._guidance_html(row.id, row.ref, row.soa_decision))
        self.history_view.setText(self._history_html(row.id))

    def _documentation_note(self, ref: str, decision: str) -> str:
        """Mandatory documented information; under a control, only while the SoA includes it."""
        if ref not in self.catalog.control_by_id:
            return "Documented information is mandatory here."
        if decision == "included":
            return f"Documented information is mandatory here: the SoA includes {ref}."
        if decision == "excluded":
            return f"No documented information is needed: the SoA excludes {ref}."
        return f"Documented information becomes mandatory here once the SoA includes {ref}."

    def _guidance_html(self, point_id: str, ref: str, decision: str = "") -> str:
        point = self.catalog.point_by_id.get(point_id)
        if point is None:
            return "<i>This point was dropped by a catalog upgrade; the client's work is kept.</i>"
        parts = [
            f"<p><b>What it takes</b><br>{esc(point.requirement)}</p>",
            f"<p><b>Ask the client</b><br>{esc(point.question)}</p>",
            f"<p><b>Typical evidence</b><br>{esc(point.evidence)}</p>",
        ]
        if point.documented_information:
            parts.append(f"<p><b>{esc(self._documentation_note(ref, decision))}</b></p>")
        if point.common_gap:
            parts.append(
                "<p style='background:#fff4ce; padding:4px'><b>Common gap auditors probe</b><br>"
                f"{esc(point.common_gap)}</p>"
            )
        clause = self.catalog.clause_by_id.get(ref)
        if self.ef.details.iso27001 and clause is not None:
            parts.append(
                f"<p><b>Reuse from the ISO 27001 system</b><br>{esc(clause.iso27001_reuse)}</p>"
            )
        return "".join(parts)

    def _history_html(self, point_id: str) -> str:
        changes = requirements.history_of(self.ef, point_id, limit=50)
        return history_html(changes, _FIELD_LABELS, _shown)

    def _status_choices(self, labels: Mapping[str, str]) -> None:
        box = self.status_edit
        if [box.itemData(i) for i in range(box.count())] == list(labels):
            return
        box.clear()
        for key, label in labels.items():
            box.addItem(label, key)

    @staticmethod
    def _set_combo(combo: QComboBox, key: str | None) -> None:
        combo.setCurrentIndex(combo.findData(key) if key else -1)

    # editing
    def _edit(self, field: str, value: object) -> None:
        if self._loading:
            return
        ids = self.selected_ids()
        if not ids or self.ef.read_only:
            return
        rows = {i: self.model.index_for(i).data(POINT_ROLE) for i in ids}
        soa_words = field == "status" and value in soa.STATUSES  # a control's point's choice
        try:
            new = value if soa_words else requirements.coerce(field, value)
        except FieldError as exc:
            self._show_field_error(field, exc.message)
            return
        targets = {i: new for i, row in rows.items() if _current(row, field, soa_words) != new}
        if not targets:
            self._show_selection()  # the value as stored (e.g. without the spaces typed)
            return
        try:
            old = requirements.set_values(self.ef, field, targets)
        except AimsError as exc:
            self._show_field_error(field, exc.message)
            return
        self._clear_field_error()
        label = _FIELD_LABELS[field]
        text = (
            f"Set {label} of {next(iter(targets))}"
            if len(targets) == 1
            else f"Set {label} of {len(targets)} points"
        )
        self.undo_stack.push(
            AppliedCommand(
                text, lambda: self._apply(field, old), lambda: self._apply(field, targets)
            )
        )
        self._after_change(list(targets))

    def _apply(self, field: str, values: Mapping[str, object]) -> None:
        """Used by undo/redo: write the values and refresh what shows them."""
        try:
            requirements.set_values(self.ef, field, values)
        except AimsError as exc:
            dialogs.error(self, "Could not undo or redo", exc.message)
            STATUS.refused(exc.message)
            return
        self._after_change(list(values))

    def _after_change(self, ids: list[str]) -> None:
        self.model.update_rows([requirements.get_point(self.ef, i) for i in ids])
        self._refresh_owner_choices()
        self.proxy.invalidate()
        self._show_selection()
        self._update_count()
        self.changed.emit()

    def _field_editors(self) -> dict[str, QWidget]:
        return {
            "status": self.status_edit,
            "owner": self.owner_edit,
            "due_date": self.due_edit,
            "notes": self.notes_edit,
            "evidence": self.evidence_edit,
        }

    def _show_field_error(self, field: str, message: str) -> None:
        """A refused value: the message under its field, the field marked; nothing saved."""
        self._clear_field_error()
        editor = self._field_editors()[field]
        editor.setStyleSheet("border: 2px solid #b3261e;")
        self.field_errors[field].setText(message)
        self.field_errors[field].show()
        editor.setFocus()
        STATUS.refused(message)

    @property
    def field_error(self) -> QLabel:
        """The message shown, if any (under the field it is about)."""
        shown = [label for label in self.field_errors.values() if not label.isHidden()]
        return shown[0] if shown else self.field_errors["status"]

    def _clear_field_error(self) -> None:
        for editor in self._field_editors().values():
            editor.setStyleSheet("")
        for label in self.field_errors.values():
            label.hide()

    def set_selected(self, field: str, value: object) -> None:
        """Set a field on the selection, as the side panel and context menu do."""
        self._edit(field, value)

    def _context_menu(self, pos) -> None:
        if not self.selected_ids() or self.ef.read_only:
            return
        menu = QMenu(self)
        status_menu = menu.addMenu("Set status")
        for key, label in requirements.STATUS_LABELS.items():
            status_menu.addAction(label, lambda k=key: self.set_selected("status", k))
        menu.addAction("Set owner…", self.owner_edit.setFocus)
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    # filters
    def _apply_filter(self, **kwargs) -> None:
        self.proxy.set_filters(**kwargs)
        self.tree.expandAll()
        self._update_count()

    def _refresh_owner_choices(self) -> None:
        # one entry per person, whatever the spellings typed (the most used one shown)
        spelled: dict[str, dict[str, int]] = {}
        for p in _all_points(self.model):
            if p.owner:
                counts = spelled.setdefault(same_name(p.owner), {})
                counts[p.owner] = counts.get(p.owner, 0) + 1
        owners = sorted((max(c, key=c.__getitem__) for c in spelled.values()), key=str.lower)
        current = self.owner_filter.currentData()
        self.owner_filter.blockSignals(True)
        self.owner_filter.clear()
        self.owner_filter.addItem("All owners", "")
        self.owner_filter.addItem("(no owner)", NO_OWNER)
        for owner in owners:
            self.owner_filter.addItem(owner, owner)
        index = self.owner_filter.findData(current)
        self.owner_filter.setCurrentIndex(max(index, 0))
        self.owner_filter.blockSignals(False)
        self.owner_completer.model().setStringList(owners)

    def _update_count(self) -> None:
        total = len(self.model.point_ids())
        noun = words.plural(total, "point")
        if not self.proxy.active():  # every point shown: no need to walk the tree for them
            self.count_label.setText(f"{total} {noun}")
            return
        shown = _count_points(self.proxy, QModelIndex())
        only = shown_only.note(self.only_why, self.proxy.only)
        self.count_label.setText(f"{shown} of {total} {noun} shown{only}")

    # jumps from the dashboard
    only_why = ""

    def show_only(self, ids: Iterable[str], why: str) -> None:
        """Only these points (a gap's), until the user shows all again."""
        self.only_why = why
        shown_only.follow(self.count_label, self.show_all)
        self._apply_filter(only=frozenset(ids))

    def show_all(self) -> None:
        self.only_why = ""
        self._apply_filter(only=None)

    def show_filtered(self, *, owner: str = "", clause: str = "") -> None:
        """Every filter cleared, then the owner's or the clause's points."""
        self.show_all()
        self.search.clear()
        self.status_filter.setCurrentIndex(0)
        for combo, value in ((self.owner_filter, owner), (self.clause_filter, clause)):
            at = combo.findData(value)
            if combo is self.owner_filter and value and at < 0:  # the person, spelled another way
                wanted = same_name(value)
                spelled = [same_name(combo.itemData(i) or "") for i in range(combo.count())]
                at = spelled.index(wanted) if wanted in spelled else -1
            if value and at < 0:  # an owner typed no point holds any more
                combo.addItem(value, value)
                at = combo.count() - 1
            combo.setCurrentIndex(max(at, 0))


def _current(row: requirements.PointRow, field: str, soa_words: bool) -> object:
    """What an edit is compared with: a control's point's status in the SoA's words."""
    return row.soa_status if soa_words and row.control_id else row.value(field)


def _all_points(model: ClausesModel) -> list[requirements.PointRow]:
    return [model.index_for(i).data(POINT_ROLE) for i in model.point_ids()]


def _count_points(model, parent: QModelIndex) -> int:
    total = 0
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        total += 1 if index.data(POINT_ROLE) is not None else _count_points(model, index)
    return total


def _shown(field: str, value: str | None) -> str:
    if field == "status" and value:
        # a control's point shows its SoA line's status changes, in the SoA's words
        return requirements.STATUS_LABELS.get(value) or soa.STATUSES.get(value, value)
    return short(value)
