"""The SoA tab: the 38 Annex A controls with decision, reasons, status and owner, the risks
that call for each, bulk edits, and issued versions with the changes since the last one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QWidget,
)

from app.services import words
from app.services.clauses import requirements
from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.people import authority
from app.services.soa import service as soa
from app.services.soa.service import SoaLine
from app.views.common import dialogs
from app.views.common.field_form import FieldForm, FormDialog
from app.views.common.people import PeopleNames
from app.views.common.register_tab import ListModel, RegisterTab
from app.views.common.row_table import (
    Column,
    Prepared,
    RowTableModel,
    natural,
    prepare,
    text,
    titled,
)
from app.views.common.text import esc, history_html, shown_by_spec, todo_html
from app.views.common.undo import AppliedCommand
from app.views.common.widgets import detail_panel, list_and_panel
from app.views.documents.serving_label import ServingLabel
from app.views.soa.additional import AdditionalControlsDialog

Info = tuple[list[str], int]  # gap flags, number of risks selecting the control


def _flags_text(flags: list[str]) -> str:
    return "; ".join(soa.RULES[f].label for f in flags)


COLUMNS = [
    Column(
        "Control",
        lambda r, _i: r.control_id,
        lambda r, _i: (r.additional, *natural(r.control_id)),  # Annex A first
    ),
    titled("Title", text("title")),
    Column("Gaps", lambda _r, i: _flags_text(i[0]), lambda _r, i: -len(i[0]), warn=True),
    Column("Decision", lambda r, _i: soa.DECISIONS[r.decision], lambda r, _i: r.decision),
    Column("Reasons", lambda r, _i: r.reasons(), lambda r, _i: r.reasons()),
    Column(
        "Status",
        lambda r, _i: soa.STATUSES[r.status],
        lambda r, _i: list(soa.STATUSES).index(r.status),
    ),
    titled("Owner", text("owner")),
    Column(
        "Target",
        lambda r, _i: r.target_date.isoformat() if r.target_date else "",
        lambda r, _i: r.target_date.isoformat() if r.target_date else "9999",
    ),
    Column("Risks", lambda _r, i: str(i[1]) if i[1] else "", lambda _r, i: i[1]),
]


def _haystack(line: SoaLine) -> str:
    return " ".join(
        (
            line.control_id,
            line.title,
            line.owner,
            line.reason_text,
            line.justification,
            line.evidence,
        )
    ).lower()


class SoaModel(RowTableModel):
    columns = COLUMNS
    empty_info: Info = ([], 0)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.decision = ""
        self.objective = ""
        self.flagged_only = False

    def haystack(self, row: Any) -> str:
        return _haystack(row)

    def filtering(self) -> bool:
        return bool(self.decision or self.objective or self.flagged_only)

    def gaps_of(self, info: Info) -> bool:
        return bool(info[0])

    def accepts(self, row: SoaLine, info: Info) -> bool:
        if self.decision and row.decision != self.decision:
            return False
        if self.objective and row.objective != self.objective:
            return False
        return not (self.flagged_only and not info[0])


def load_soa(ef: EngagementFile) -> tuple[Prepared, dict[str, list[tuple[str, str]]]]:
    lines = soa.list_lines(ef)
    selected = soa.risks_by_control(ef)
    flags = soa.flags_by_control(soa.evaluate(lines, selected))
    info = {
        x.control_id: (flags.get(x.control_id, []), len(selected.get(x.control_id, [])))
        for x in lines
    }
    prepared = prepare(lines, info, _haystack)
    # the controls beyond Annex A after the Annex A ones, whatever their IDs
    prepared.id_keys = {x.control_id: (x.additional, *natural(x.control_id)) for x in lines}
    prepared.rows = {x.control_id: prepared.rows[x.control_id] for x in lines}
    return prepared, selected


_LINE_CELLS = ("Control", "Decision", "Reasons", "Justification", "Status", "Owner", "Evidence")


def _issued_cells(x: SoaLine) -> tuple[str, ...]:
    return (
        f"{x.control_id} {x.title}",
        soa.DECISIONS[x.decision],
        x.reasons(),
        x.justification,
        soa.STATUSES[x.status],
        x.owner,
        x.evidence,
    )


class SoaTab(RegisterTab):
    noun = "controls"
    noun_one = "control"
    jump_to_risk = Signal(str)
    jump_to_point = Signal(str)  # a checklist point, to show in the Clauses tab

    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__(ef, undo_stack, SoaModel(), parent)
        self.model.setParent(self)
        self.selected_by_risks: dict[str, list[tuple[str, str]]] = {}
        self._build()

    def _build(self) -> None:
        self.owner_button = QPushButton("Set owner…")
        self.owner_button.setToolTip("Set the owner of every selected control")
        self.owner_button.clicked.connect(self.bulk_owner)
        self.status_button = QPushButton("Set status")
        menu = QMenu(self.status_button)
        for key, label in soa.STATUSES.items():
            menu.addAction(label, lambda k=key: self.bulk_set("status", k))
        self.status_button.setMenu(menu)
        self.issue_button = QPushButton("Issue version…")
        self.issue_button.clicked.connect(self.issue_version)
        self.additional_button = QPushButton("Beyond Annex A…")
        self.additional_button.setToolTip("Add, edit or delete controls beyond Annex A")
        self.additional_button.clicked.connect(self.manage_additional)
        bar = QHBoxLayout()
        buttons = (self.owner_button, self.status_button, self.issue_button, self.additional_button)
        for button in buttons:
            bar.addWidget(button)
        bar.addWidget(self.make_search("Search controls, owners, reasons (Ctrl+F)"), 1)
        self.decision_filter = self.make_filter(
            [("All decisions", "")] + [(v, k) for k, v in soa.DECISIONS.items()], "decision"
        )
        self.objective_filter = self.make_filter(
            [("All objectives", "")]
            + [(f"{o.id} {o.title}", o.id) for o in self.ef.catalog.objectives]
            + [(soa.ADDITIONAL, soa.ADDITIONAL)],
            "objective",
        )
        self.flagged = QCheckBox("Only controls with gaps")
        self.flagged.toggled.connect(lambda on: self.filter(flagged_only=on))
        filters = QHBoxLayout()
        for widget in (self.decision_filter, self.objective_filter, self.flagged):
            filters.addWidget(widget)
        filters.addStretch(1)
        table = self.make_table([70, 300, 240, 90, 220, 150, 200])
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.changes = ListModel(
            ("Control", "Field", "Last issued", "Draft"),
            lambda c: (c.control_id, c.field, c.old, c.new),
            parent=self,
        )
        self.issued = ListModel(_LINE_CELLS, _issued_cells, parent=self)
        self.views = QTabWidget()
        self.views.addTab(table, "Draft")
        self.views.addTab(_list_view(self.changes, [80, 200, 250]), "Changes since issue")
        self.views.addTab(_list_view(self.issued, [300, 90, 200, 250, 150, 150]), "Last issued")
        self.count_label = QLabel("Loading the Statement of Applicability…")
        # the version in force signed by someone People does not show allowed to (PPL-08)
        self.issued_gap = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.issued_gap.setStyleSheet("background:#fdecea; color:#8c1d18; padding:4px;")
        self.issued_gap.hide()
        list_and_panel(
            self,
            [bar, filters, self.views, self.issued_gap, self.count_label],
            self._build_panel(),
            [860, 540],
        )

    def _build_panel(self) -> QWidget:
        self.heading = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.gaps = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.gaps.setStyleSheet("background:#fdecea; color:#8c1d18; padding:4px;")
        self.guidance = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.risk_links = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.risk_links.linkActivated.connect(self.jump_to_risk.emit)
        self.point_links = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.point_links.setStyleSheet("background:#e8f0fe; padding:4px;")
        self.point_links.linkActivated.connect(self.jump_to_point.emit)
        self.form = FieldForm(list(soa.FIELDS.values()), save=self._save_fields)
        self.form.offer_people(PeopleNames(self.ef))
        self.history_view = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.documents = ServingLabel("controls")  # the register's documents that serve it
        items = [
            self.heading,
            self.gaps,
            self.guidance,
            self.risk_links,
            self.point_links,
            self.documents,
            self.form,
        ]
        return detail_panel(items, self.history_view)

    # loading
    def load(self) -> Callable[[], tuple[Prepared, dict[str, list[tuple[str, str]]]]]:
        ef = self.ef
        return lambda: load_soa(ef)

    def show_loaded(self, result: tuple[Prepared, dict[str, list[tuple[str, str]]]]) -> None:
        prepared, self.selected_by_risks = result
        self.model.set_prepared(prepared)
        self._show_versions()
        self.update_count()

    def _show_versions(self) -> None:
        issued = soa.last_issued(self.ef)
        self.changes.set_rows(soa.changes_since_issued(self.ef, self.model.all_rows()))
        self.issued.set_rows(list(issued.lines) if issued else [])
        count = len(self.changes.rows)
        without = authority.of_item(self.ef, "soa", str(issued.number)) if issued else None
        self.issued_gap.setVisible(without is not None)
        if without is not None:
            self.issued_gap.setText(
                f"<b>{esc(without.rule.label)}</b> (version {esc(without.item)})<br>"
                f"<small>{esc(without.text)}</small>"
            )
        if issued is None:  # the whole draft is new: nothing was issued to compare with
            self.views.setTabText(1, f"Not issued yet: {words.count(count, 'change')}")
            self.views.setTabText(2, "No version issued")
            return
        self.views.setTabText(1, f"Changes since v{issued.number} ({count})")
        self.views.setTabText(
            2, f"Issued v{issued.number}, {issued.issued_on}, {issued.approved_by}"
        )

    # selection and panel
    def selected_ids(self) -> list[str]:
        return [self.model.id_at(i.row()) for i in self.table.selectionModel().selectedRows()]

    def show_current(self) -> None:
        line: SoaLine | None = self.current_row()
        self.current = line.control_id if line else None
        writable = not self.ef.read_only
        self.form.setEnabled(line is not None and writable)
        for button in (self.owner_button, self.status_button, self.issue_button):
            button.setEnabled(writable)
        self.additional_button.setEnabled(True)  # the list can be read in a read-only file
        if line is None:
            self.heading.setText("<h3>Select a control</h3>")
            for label in (self.gaps, self.guidance, self.risk_links, self.history_view):
                label.setText("")
            self.point_links.hide()
            self.gaps.hide()
            self.documents.show_item(self.ef, None)
            self.form.set_values({})
            return
        control = self.ef.catalog.control_by_id.get(line.control_id)
        if control is None:  # a control beyond Annex A: its source instead of the guidance
            where = f"{soa.ADDITIONAL}; source: {line.source}"
            self.guidance.setText(
                "<p>A control the organization keeps beyond Annex A. Its ID, title and source "
                "are edited with <i>Beyond Annex A…</i>.</p>"
            )
        else:
            objective = next(o for o in self.ef.catalog.objectives if o.id == control.objective)
            where = f"{objective.id} {objective.title}"
            self.guidance.setText(
                f"<p><b>What it expects</b><br>{esc(control.summary)}</p>"
                f"<p><b>Typical evidence</b><br>{esc(control.evidence)}</p>"
                f"<p><b>Suggested documentation</b><br>{esc(control.documentation)}</p>"
            )
        self.heading.setText(
            f"<h3>{esc(line.control_id)}: {esc(line.title)}</h3>"
            f"<span style='color:#555'>{esc(where)}</span>"
        )
        flags = self.model.info_of(line.control_id)[0]
        self.gaps.setVisible(bool(flags))
        shared = soa.same_reason_count(self.model.all_rows(), line)
        self.gaps.setText(
            "<b>Gaps an auditor will find</b><br>"
            + "<br>".join(
                "• "
                + esc(
                    f"{soa.RULES[f].id} The same reason on {shared} controls"
                    if f == "same_reason"
                    else soa.RULES[f].label
                )
                + todo_html(soa.RULES[f].todo)
                for f in flags
            )
        )
        links = self.selected_by_risks.get(line.control_id, [])
        self.risk_links.setText(
            "<b>Selected by the treatment of</b><br>"
            + (
                "<br>".join(f'<a href="{esc(r)}">{esc(r)}</a> {esc(t)}' for r, t in links)
                or "no risk"
            )
        )
        self._show_points(line)
        self.documents.show_item(self.ef, line.control_id)
        self.form.set_values(line.values(), line.control_id)
        labels = {name: spec.label for name, spec in soa.FIELDS.items()}
        changes = soa.history_of(self.ef, line.control_id)
        self.history_view.setText(history_html(changes, labels, shown_by_spec(soa.FIELDS)))

    def _show_points(self, line: SoaLine) -> None:
        """The checklist points of the control, whose status is this line's."""
        points = requirements.points_of_control(self.ef, line.control_id)
        self.point_links.setVisible(bool(points))
        self.point_links.setText(
            "<b>Checklist</b> (its status is this line's implementation status)<br>"
            + "<br>".join(
                f'<a href="{esc(p.id)}">{esc(p.id)}</a> {esc(p.title)}: '
                + (
                    soa.STATUSES[p.soa_status].lower()
                    if p.applicable
                    else "no work needed while the control is excluded"
                )
                + (f", owner {esc(p.owner)}" if p.owner else ", no owner")
                + (f", due {p.due_date.isoformat()}" if p.due_date else "")
                for p in points
            )
        )

    # editing
    def refresh(self, row_id: str, select: bool = False) -> None:
        """Any SoA edit may change other lines' gaps (none today) and the change list: reload
        the 38 lines in place."""
        prepared, self.selected_by_risks = load_soa(self.ef)
        selected = self.selected_ids()
        self.model.set_prepared(prepared)
        self._show_versions()
        self.update_count()
        for n, control_id in enumerate(selected or [row_id]):
            self.select(control_id, add=n > 0)
        self.changed.emit()

    def _apply(self, field: str, values: Mapping[str, object]) -> None:
        self.attempt(lambda: self._write(field, values))

    def _write(self, field: str, values: Mapping[str, object]) -> None:
        """Save through the service (raising its refusal), then the undo step."""
        label = soa.FIELDS[field].label.lower()
        old = soa.set_values(self.ef, field, values)
        first = next(iter(values))
        text = (
            f"Set {label} of {first}"
            if len(values) == 1
            else f"Set {label} of {len(values)} controls"
        )
        self.undo_stack.push(
            AppliedCommand(
                text,
                self.replay(first, lambda: soa.set_values(self.ef, field, old)),
                self.replay(first, lambda: soa.set_values(self.ef, field, dict(values))),
            )
        )
        self.refresh(first)

    def _save_fields(self, control_id: object, changes: dict[str, object]) -> None:
        line = self.model.row(control_id) if isinstance(control_id, str) else None
        if line is None:
            raise FieldError("control", "Select a control first.")
        for field, value in changes.items():  # no rule of the SoA spans fields
            if str(line.values()[field] or "") != str(value or ""):
                self._write(field, {line.control_id: value})

    def bulk_set(self, field: str, value: object) -> None:
        ids = self.selected_ids()
        if ids and not self.ef.read_only:
            self._apply(field, dict.fromkeys(ids, value))

    def bulk_owner(self) -> None:
        ids = self.selected_ids()
        if not ids or self.ef.read_only:
            return
        owner = dialogs.ask_text(
            self, "Set owner", f"Owner of the {words.count(len(ids), 'selected control')}:"
        )
        if owner is not None:
            self.bulk_set("owner", owner)

    def issue_version(self) -> None:
        """Issuing is a formal record: it is kept even when later edits are undone. A draft
        that is not complete is refused before the form opens, with what to fix."""
        if self.ef.read_only:
            return
        blocked = soa.blocking(self.model.all_rows(), self.selected_by_risks)
        if blocked:
            dialogs.error(self, "The SoA cannot be issued yet", soa.blocking_message(blocked))
            return
        specs = [
            FieldSpec("approved_by", "Approved by", "text", required=True),
            FieldSpec("issued_on", "Issued on", "date"),
        ]
        issued: list[int] = []
        dialog = FormDialog(
            "Issue the Statement of Applicability",
            specs,
            {},
            lambda v: issued.append(soa.issue(self.ef, str(v["approved_by"]), v["issued_on"])),
            self,
            people=PeopleNames(self.ef),
        )
        dialog.setMinimumWidth(560)
        if dialogs.run_dialog(dialog) and issued:
            self.refresh(self.current or "A.2.2")
            without = authority.of_item(self.ef, "soa", str(issued[0]))
            dialogs.info(
                self,
                "SoA issued",
                f"Version {issued[0]} of the Statement of Applicability is issued."
                + (f"\n\n{without.rule.label}: {without.text}" if without else ""),
            )

    def manage_additional(self) -> None:
        """The controls beyond Annex A, in their own dialog; the SoA follows each change."""
        dialog = AdditionalControlsDialog(
            self.ef, self.undo_stack, lambda: self.refresh(self.current or "A.2.2"), self
        )
        dialogs.run_dialog(dialog)


def _list_view(model: ListModel, widths: list[int]) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.setWordWrap(False)
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    return view
