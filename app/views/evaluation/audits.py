"""The internal audit's tabs: the audits, flagged where an auditor audits their own work, with
their checklist drawn and printed from here; and the checklist of one audit at a time (never
the lines of every audit at once)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import words
from app.services.engagement.file import EngagementFile
from app.services.evaluation import audit_rules, worksheet
from app.services.evaluation import audits as service
from app.services.evaluation.audits import AUDITS, LINES, PROGRAMMES
from app.services.registers import service as register
from app.services.registers.description import Item, Register
from app.views.common import dialogs, worker
from app.views.common.guard import STATUS
from app.views.common.row_table import Column, Prepared
from app.views.common.text import esc
from app.views.registers.model import DescribedModel, prepared
from app.views.registers.tab import DescribedTab

_TITLES = {r.id: r.label for r in audit_rules.RULES}


class FlaggedModel(DescribedModel):
    """A described register's table with a Gaps column for the internal audit's rules,
    whose findings span registers (the owners of what a line covers)."""

    def __init__(self, reg: Register, parent=None) -> None:
        super().__init__(reg, parent)
        self.columns.append(
            Column(
                "Gaps",
                lambda _r, i: "; ".join(_TITLES.get(g, g) for g in i),
                lambda _r, i: -len(i),
                warn=True,
            )
        )
        self.keyed_columns.append(len(self.columns) - 1)


def _with_findings(data: Prepared, gaps: dict[str, list[str]]) -> Prepared:
    for item_id in data.rows:
        data.info[item_id] = list(data.info.get(item_id, [])) + gaps.get(item_id, [])
    return data


def _flag_text(rule_ids: list[str], extra: str = "") -> str:
    lines = [f"• {esc(_TITLES.get(g, g))}" for g in rule_ids]
    return "<b>Gaps an auditor will find</b><br>" + "<br>".join(lines) + extra


class _Flagged(DescribedTab):
    """What both tabs share: findings read with the rows, kept with each row's info."""

    model_class = FlaggedModel

    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, reg: Register, parent=None):
        super().__init__(ef, undo_stack, reg, parent)
        self.has_rules = True
        self.flagged.show()
        self.findings: audit_rules.Findings | None = None

    def gaps_of_rows(self, found: audit_rules.Findings) -> dict[str, list[str]]:
        raise NotImplementedError

    def show_loaded(self, result: Any) -> None:
        rows, names, self.findings = result
        super().show_loaded((rows, names))

    def show_current(self) -> None:
        super().show_current()
        row = self.current_row()
        if row is None:
            return
        found = self.model.info_of(row.id) or []
        if found:
            self.gaps.setText(_flag_text(list(found), self.flag_detail(row)))
            self.gaps.show()

    def flag_detail(self, row: Item) -> str:
        return ""

    def refresh(self, item_id: str, select: bool = False) -> None:
        super().refresh(item_id, select)
        self._recheck()

    def _recheck(self) -> None:
        """The rules again, off the UI thread, after an edit: each row's flags updated."""
        fn = self.read_findings()

        def done(found: audit_rules.Findings) -> None:
            self.findings = found
            gaps = self.gaps_of_rows(found)
            for item_id in list(self.model.visible_ids()):
                row = self.model.row(item_id)
                own = [r.id for r in self.reg.gaps(row)] if row is not None else []
                info = own + gaps.get(item_id, [])
                if row is not None and info != (self.model.info_of(item_id) or []):
                    self.model.update_row(item_id, row, info)
            self.update_count()
            if self.current is not None:
                self.show_current()

        worker.start(fn, done, STATUS.refused)

    def read_findings(self) -> Callable[[], audit_rules.Findings]:
        raise NotImplementedError

    def read_items(self) -> Callable[[], list[Item]]:
        raise NotImplementedError

    def load(self) -> Callable[[], Any]:
        """The rows with the findings in their info (and the Gaps column's sort keys)."""
        ef, reg = self.ef, self.reg
        model = cast(DescribedModel, self.model)
        findings, items, gaps_of = self.read_findings(), self.read_items(), self.gaps_of_rows

        def run() -> tuple[Prepared, dict[str, dict[str, str]], audit_rules.Findings]:
            found = findings()
            rows = _with_findings(prepared(reg, items(), model), gaps_of(found))
            for n in model.keyed_columns:
                key = model.columns[n].sort
                rows.sort_keys[n] = {i: key(r, rows.info[i]) for i, r in rows.rows.items()}
            return rows, register.link_names(ef, reg), found

        return run


class ProgrammesTab(_Flagged):
    """The programmes, each flagged with the clauses and controls not audited in its period."""

    def read_findings(self) -> Callable[[], audit_rules.Findings]:
        ef = self.ef
        return lambda: audit_rules.findings(ef)

    def read_items(self) -> Callable[[], list[Item]]:
        ef, reg = self.ef, self.reg
        return lambda: register.list_items(ef, reg)

    def gaps_of_rows(self, found: audit_rules.Findings) -> dict[str, list[str]]:
        return {p: [audit_rules.NOT_COVERED.id] for p in found.not_covered}

    def flag_detail(self, row: Item) -> str:
        missing = self.findings.not_covered.get(row.id, ()) if self.findings else ()
        return f"<br>Not audited yet in its period: {esc(', '.join(missing))}" if missing else ""


class AuditsTab(_Flagged):
    open_checklist = Signal(str)

    def panel_extras(self) -> list[QWidget]:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.whole = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.whole.setStyleSheet("background:#fff4e5; color:#7a4100; padding:4px;")
        self.whole.hide()
        buttons = QHBoxLayout()
        self.draw_button = QPushButton("Draw checklist")
        self.draw_button.setToolTip("Draw the audit's checklist from its scope in the catalog")
        self.draw_button.clicked.connect(self.draw)
        self.open_button = QPushButton("Open checklist")
        self.open_button.clicked.connect(self._open)
        self.print_button = QPushButton("Export worksheet…")
        self.print_button.setToolTip("Write the audit's checklist as a printable PDF")
        self.print_button.clicked.connect(self.export_worksheet)
        for b in (self.draw_button, self.open_button, self.print_button):
            buttons.addWidget(b)
        self.note = QLabel(wordWrap=True)  # what the last draw or export did
        layout.addWidget(self.whole)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        return [box]

    def _open(self) -> None:
        if self.current is not None:
            self.open_checklist.emit(self.current)

    def read_items(self) -> Callable[[], list[Item]]:
        ef, reg = self.ef, self.reg
        return lambda: register.list_items(ef, reg)

    def read_findings(self) -> Callable[[], audit_rules.Findings]:
        ef = self.ef
        return lambda: audit_rules.findings(ef)

    def gaps_of_rows(self, found: audit_rules.Findings) -> dict[str, list[str]]:
        return {a: [audit_rules.NOT_INDEPENDENT.id] for a in found.not_independent}

    def show_loaded(self, result: Any) -> None:
        super().show_loaded(result)
        self._show_whole()

    def _show_whole(self) -> None:
        found = self.findings
        if found is None:
            return
        said = []
        if found.no_audit_before_stage1:
            said.append(esc(audit_rules.NO_AUDIT.label))
        if not found.ai_covered:
            said.append(
                f"{esc(audit_rules.AI_NOT_COVERED.label)}: "
                f"not yet {esc(', '.join(found.ai_missing))}"
            )
        if found.not_covered:
            said.append(
                f"{esc(audit_rules.NOT_COVERED.id)} "
                f"{found.not_covered_count} clauses or controls the programme must cover, "
                "not audited in its period"
            )
        self.whole.setVisible(bool(said))
        self.whole.setText("<b>The audit programme</b><br>" + "<br>".join(f"• {s}" for s in said))

    def flag_detail(self, row: Item) -> str:
        found = self.findings
        lines = found.not_independent.get(row.id, ()) if found else ()
        if not lines:
            return ""
        names = sorted({found.owner_of_line[i] for i in lines}) if found else []
        return (
            f"<br>{len(lines)} of its lines audited by their owner ({esc(', '.join(names))}): "
            f"{esc(', '.join(lines[:12]))}{' …' if len(lines) > 12 else ''}"
        )

    def show_current(self) -> None:
        super().show_current()
        on = self.current is not None
        for b in (self.draw_button, self.open_button, self.print_button):
            b.setEnabled(on)
        self.draw_button.setEnabled(on and not self.ef.read_only)

    def draw(self) -> None:
        audit_id = self.current
        if audit_id is None or self.ef.read_only:
            return
        ok, result = self.attempt(lambda: service.draw_checklist(self.ef, audit_id))
        if not ok:
            return
        added, removed = cast(tuple[int, int], result)
        self.note.setText(
            f"{audit_id}: {words.count(added, 'line')} added to the checklist, {removed} removed."
        )
        self.refresh(audit_id)
        self.open_checklist.emit(audit_id)

    def export_worksheet(self) -> None:
        audit_id = self.current
        if audit_id is None:
            return
        path = dialogs.choose_pdf_path(self, "Export audit worksheet", f"{audit_id} worksheet.pdf")
        if path is None:
            return
        progress = QProgressDialog(f"Writing the worksheet of {audit_id}…", "Cancel", 0, 100, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        ef = self.ef

        def done(count: int) -> None:
            progress.close()
            self.note.setText(
                f"Wrote the worksheet of {audit_id} ({words.count(count, 'line')}) to {path}."
            )

        def failed(message: str) -> None:
            progress.close()
            STATUS.refused(message)
            dialogs.error(self, "Worksheet not written", message)

        def show(n: int, total: int, _message: str) -> None:
            progress.setValue(int(100 * n / total) if total else 100)

        task = worker.start(lambda: worksheet.export(ef, audit_id, path), done, failed, show)
        task.signals.cancelled.connect(progress.close)
        progress.canceled.connect(task.cancel)
        self._worksheet_task = task


class AuditLinesTab(_Flagged):
    """One audit's checklist: the audit chosen above the table (or opened from the audits)."""

    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, reg: Register, parent=None):
        self.audit_id = ""
        super().__init__(ef, undo_stack, reg, parent)
        self.add_button.hide()  # lines come from the audit's scope: Draw checklist
        self.table.setColumnWidth(0, 110)  # AUD-001-003 whole
        self.picker = QComboBox()
        self.picker.setToolTip("The audit whose checklist is shown")
        self._picker_ids: list[str] = []  # by position: one call fills 2,000 labels
        self._again = False  # another audit was asked for while a load ran
        self._wanted = ""  # the line to select once its audit's checklist is loaded
        self.loaded.connect(self._load_again)
        self.picker.activated.connect(lambda i: self.show_audit(self._picker_ids[i]))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Audit:"))
        bar.addWidget(self.picker, 1)
        column = self.table.parentWidget()
        layout = column.layout() if column is not None else None
        if isinstance(layout, QVBoxLayout):
            layout.insertLayout(0, bar)

    def showEvent(self, event) -> None:
        if not self._started:
            self._fill_picker()
        super().showEvent(event)

    def _fill_picker(self) -> None:
        choices = service.audit_choices(self.ef)
        self._picker_ids = [audit_id for audit_id, _t in choices]
        self.picker.clear()
        self.picker.addItems([f"{audit_id} {title}" for audit_id, title in choices])
        if not self.audit_id and choices:
            self.audit_id = choices[0][0]
        if self.audit_id in self._picker_ids:
            self.picker.setCurrentIndex(self._picker_ids.index(self.audit_id))

    def show_audit(self, audit_id: str) -> None:
        """Show this audit's checklist (from the picker, or Open checklist on an audit)."""
        self.audit_id = audit_id or ""
        self.current = None
        if self._started:
            self._fill_picker()
            if self._task is None:
                self.reload()
            else:
                self._again = True

    def _load_again(self) -> None:
        if self._again:
            self._again = False
            self.reload()
        elif self._wanted and self.model.position(self._wanted) >= 0:
            wanted, self._wanted = self._wanted, ""
            super().select(wanted)

    def select(self, row_id: str, add: bool = False) -> None:
        """A line of another audit (a search hit) brings its audit's checklist first."""
        if self.model.position(row_id) >= 0 or add:
            super().select(row_id, add)
            return
        audit_id = service.audit_of_line(self.ef, row_id)
        if audit_id and audit_id != self.audit_id:
            self._wanted = row_id
            self.show_audit(audit_id)

    def read_items(self) -> Callable[[], list[Item]]:
        ef, audit_id = self.ef, self.audit_id
        return lambda: service.lines_of(ef, audit_id) if audit_id else []

    def read_findings(self) -> Callable[[], audit_rules.Findings]:
        ef, audit_id = self.ef, self.audit_id
        return lambda: audit_rules.evaluate(audit_rules.read(ef, audit_id or "-"))

    def gaps_of_rows(self, found: audit_rules.Findings) -> dict[str, list[str]]:
        return {
            line: [audit_rules.NOT_INDEPENDENT.id]
            for lines in found.not_independent.values()
            for line in lines
        }

    def flag_detail(self, row: Item) -> str:
        name = self.findings.owner_of_line.get(row.id, "") if self.findings else ""
        if not name:
            return ""
        return f"<br>{esc(name)} owns what this line covers: give it another auditor."


TABS: dict[str, type[DescribedTab]] = {
    PROGRAMMES.key: ProgrammesTab,
    AUDITS.key: AuditsTab,
    LINES.key: AuditLinesTab,
}


def connect(page: Any) -> None:
    """Open checklist (and Draw checklist) on an audit shows its lines on their tab."""
    audits, lines = page.registers.get(AUDITS.key), page.registers.get(LINES.key)
    if isinstance(audits, AuditsTab) and isinstance(lines, AuditLinesTab):

        def opened(audit_id: str) -> None:
            lines.show_audit(audit_id)
            page.show_register(LINES.key)

        audits.open_checklist.connect(opened)
