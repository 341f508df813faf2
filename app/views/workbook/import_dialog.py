"""The preview of a workbook import: per sheet, what would be added, changed (field: old ->
new), in conflict (the user picks the value) and refused; and the mapping of a foreign
sheet's columns, which the user can correct and keep as a named mapping."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import words
from app.services.registry import AREA_BY_KIND
from app.services.workbook.cells import text_of
from app.services.workbook.importer import Plan, SheetPlan, short
from app.services.workbook.layout import (
    IGNORE,
    Layout,
    headers_at,
    likely_header_row,
    match_columns,
)
from app.services.workbook.read import RawSheet
from app.services.workbook.tables import Table
from app.views.common.text import esc
from app.views.common.widgets import BANNER_STYLE

SHOWN_PER_GROUP = 2_000
# What a sheet may be taken for: every area by its sheet's name, and the kinds recognised
# that have no register yet.
KIND_LABELS = {
    **{kind: area.sheet for kind, area in AREA_BY_KIND.items()},
    "inventory": "AI system inventory",
    "risks": "Risk register",
    "soa": "Statement of Applicability",
    "documents": "Documents (no register yet)",
    "people": "People (no register yet)",
    "unknown": "Not recognised",
}


class ImportDialog(QDialog):
    """Accept() with `skip_invalid` set says how to apply; `remap(sheet, layout)` asks the
    window to build the plan again with a corrected mapping."""

    def __init__(
        self,
        plan: Plan,
        remap: Callable[[str, Layout], None],
        mappings: tuple[Callable[[], None], Callable[[], None]] | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.plan = plan
        self.skip_invalid = False
        self._remap = remap
        self.category_items: list[QTreeWidgetItem] = []
        self.setWindowTitle(f"Import {plan.path.name}")
        self.resize(980, 640)
        layout = QVBoxLayout(self)
        source = (
            "a workbook exported from this engagement" if plan.own else "a client's own workbook"
        )
        layout.addWidget(
            QLabel(f"<b>{esc(plan.path.name)}</b>: {source}. Nothing has changed yet.")
        )
        for warning in plan.warnings:  # hidden sheets left out
            note = QLabel(esc(warning), wordWrap=True)
            note.setStyleSheet(BANNER_STYLE)
            layout.addWidget(note)
        self.tabs = QTabWidget()
        for sheet in plan.sheets:
            self.tabs.addTab(self._sheet_page(sheet), self._tab_title(sheet))
        layout.addWidget(self.tabs, 1)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.valid_button = buttons.addButton(
            "Import &valid rows only", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        if mappings is not None and not plan.own:
            use, keep = mappings
            buttons.addButton(
                "Use a saved mapping…", QDialogButtonBox.ButtonRole.ResetRole
            ).clicked.connect(use)
            buttons.addButton(
                "Save this mapping…", QDialogButtonBox.ButtonRole.ResetRole
            ).clicked.connect(keep)
        self.apply_button.clicked.connect(lambda: self._accept(False))
        self.valid_button.clicked.connect(lambda: self._accept(True))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update_buttons()

    @staticmethod
    def _tab_title(sheet: SheetPlan) -> str:
        flags = " ⚠" if sheet.errors else ""
        return f"{sheet.sheet}{flags}"

    def _sheet_page(self, sheet: SheetPlan) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        data = sheet.to_json()
        head = QHBoxLayout()
        head.addWidget(QLabel(
            f"{KIND_LABELS.get(sheet.kind, sheet.kind)}; {sheet.header_said}; "
            f"{words.count(sheet.rows, 'row')}: {data['added']} new, {data['updated']} changed, "
            f"{sheet.unchanged} unchanged, {len(sheet.conflicts)} in conflict, "
            f"{words.count(len(sheet.errors), 'error')}."
        ))  # fmt: skip
        head.addStretch(1)
        if not self.plan.own or sheet.table is None:
            button = QPushButton("Correct &mapping…")
            button.clicked.connect(lambda _=False, s=sheet: self._edit_mapping(s))
            head.addWidget(button)
        layout.addLayout(head)
        tree = QTreeWidget()
        tree.setHeaderLabels(["Row", "Item", "Field", "Now", "From the workbook"])
        tree.setAlternatingRowColors(True)
        tree.setUniformRowHeights(True)
        for title, rows in (("New items", sheet.added), ("Changes", sheet.updated)):
            group = self._group(tree, title, sum(1 for r in rows if not r.failed))
            shown = 0
            for row in (r for r in rows if not r.failed):
                shown += len(row.changes)
                if shown > SHOWN_PER_GROUP:  # a tree of 100,000 lines helps no one
                    more = f"… and more beyond the first {SHOWN_PER_GROUP:,} lines"
                    QTreeWidgetItem(group, ["", "", more])
                    break
                for change in row.changes:
                    item_name = row.key or row.item_id or "new"
                    cells = [str(row.row), item_name, change.label, short(change.old)]
                    QTreeWidgetItem(group, [*cells, short(change.new)])
        group = self._group(
            tree, "Conflicts: tick to take the workbook's value", len(sheet.conflicts)
        )
        for conflict in sheet.conflicts:
            now, theirs = short(text_of(conflict.app)), short(text_of(conflict.workbook))
            item = QTreeWidgetItem(
                group, [str(conflict.row), conflict.key, conflict.label, now, theirs]
            )
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(4, Qt.CheckState.Unchecked)
            item.setData(0, Qt.ItemDataRole.UserRole, conflict)
        if sheet.new_categories:
            self._category_group(tree, sheet)
        for title, issues in (("Errors", sheet.errors), ("Warnings", sheet.warnings)):
            group = self._group(tree, title, len(issues))
            for issue in issues:
                item = QTreeWidgetItem(
                    group, [str(issue.row or ""), "", issue.column, issue.message]
                )
                item.setToolTip(3, issue.message)
                item.setFirstColumnSpanned(False)
        tree.itemChanged.connect(self._conflict_ticked)
        for column, width in enumerate((80, 110, 170, 280)):
            tree.setColumnWidth(column, width)
        layout.addWidget(tree, 1)
        return page

    def _category_group(self, tree: QTreeWidget, sheet: SheetPlan) -> None:
        """Risk categories new to the engagement: the consultant ticks the AI-specific ones
        (Space on a line ticks it); the others are taken as classic IT or business ones."""
        group = self._group(
            tree,
            "New risk categories: tick the AI-specific ones (bias, drift, opacity...)",
            len(sheet.new_categories),
        )
        group.setExpanded(True)
        for name in sheet.new_categories:
            sheet.new_categories[name] = False  # asked: unticked is not AI-specific
            # the tick in the first column, where the arrow keys land
            item = QTreeWidgetItem(group, ["AI-specific", name])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            item.setData(1, Qt.ItemDataRole.UserRole, (sheet, name))
            self.category_items.append(item)

    @staticmethod
    def _group(tree: QTreeWidget, title: str, count: int) -> QTreeWidgetItem:
        group = QTreeWidgetItem(tree, [f"{title} ({count})"])
        group.setFirstColumnSpanned(True)
        group.setExpanded(0 < count <= 200)
        return group

    def _conflict_ticked(self, item: QTreeWidgetItem, column: int) -> None:
        category = item.data(1, Qt.ItemDataRole.UserRole)
        if category is not None and column == 0:
            sheet, name = category
            sheet.new_categories[name] = item.checkState(0) == Qt.CheckState.Checked
            return
        conflict = item.data(0, Qt.ItemDataRole.UserRole)
        if conflict is not None and column == 4:
            conflict.take_workbook = item.checkState(4) == Qt.CheckState.Checked
            self._update_buttons()

    def _update_buttons(self) -> None:
        changes, errors = self.plan.changes, self.plan.errors
        self.apply_button.setEnabled(changes > 0 and errors == 0)
        self.valid_button.setVisible(errors > 0)
        self.valid_button.setEnabled(changes > 0)
        self.summary.setText(
            f"{words.count(changes, 'item')} would change. "
            + (
                f"{words.count(errors, 'problem')} must be fixed in the workbook first, or "
                "import only the valid rows."
                if errors
                else "Import applies everything in one step (Undo takes it back)."
            )
        )

    def _accept(self, skip_invalid: bool) -> None:
        self.skip_invalid = skip_invalid
        self.accept()

    def _edit_mapping(self, sheet: SheetPlan) -> None:
        from app.views.common import dialogs

        layout = sheet.layout or Layout("unknown", 1, [])
        dialog = MappingDialog(sheet.sheet, layout, self, sheet.raw)
        if dialogs.run_dialog(dialog):
            self._remap(sheet.sheet, dialog.chosen())
            self.reject()


class MappingDialog(QDialog):
    """Which area a foreign sheet is, where its header is, and which column is which field."""

    def __init__(
        self, sheet: str, layout: Layout, parent=None, raw: RawSheet | None = None
    ) -> None:
        super().__init__(parent)
        self._raw = raw
        self.setWindowTitle(f"Mapping of sheet {sheet}")
        self.resize(620, 520)
        self._headers = list(layout.headers)
        header_row = layout.header_row
        if not self._headers and raw is not None:  # not recognised: the likeliest headings
            header_row = likely_header_row(raw)
            self._headers = headers_at(raw, header_row)
        box = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox()
        for kind in AREA_BY_KIND:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.kind.addItem(KIND_LABELS["unknown"], "unknown")
        self.kind.setCurrentIndex(max(0, self.kind.findData(layout.kind)))
        form.addRow("This sheet is", self.kind)
        self.header_row = QSpinBox()
        self.header_row.setRange(1, max(1, len(raw.rows)) if raw else 1)
        self.header_row.setValue(max(1, header_row))
        self.header_row.setEnabled(raw is not None)
        form.addRow("Headings are on row", self.header_row)
        box.addLayout(form)
        self.table = QTableWidget(len(self._headers), 2)
        self.table.setHorizontalHeaderLabels(["Column in the workbook", "Field in AIMS Prep"])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        box.addWidget(self.table, 1)
        self._fill(layout.columns)
        self.kind.currentIndexChanged.connect(lambda _: self._fill(None))
        self.header_row.valueChanged.connect(self._read_headers)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)

    def _read_headers(self, row: int) -> None:
        if self._raw is None:
            return
        self._headers = headers_at(self._raw, row)
        self.table.setRowCount(len(self._headers))
        self._fill(None)

    def _table(self) -> Table | None:
        kind = self.kind.currentData()
        return Table(AREA_BY_KIND[kind]) if kind in AREA_BY_KIND else None

    def _fill(self, columns: dict[int, str] | None) -> None:
        table = self._table()
        if columns is None:
            columns = match_columns(table, self._headers) if table else {}
        for index, header in enumerate(self._headers):
            label = _read_only_item(header or f"(column {index + 1}, no heading)")
            self.table.setItem(index, 0, label)
            combo = QComboBox()
            combo.addItem("(keep in the notes)", IGNORE)
            for column in table.columns if table else ():
                if column.editable or column.key == table.area.key.key:
                    combo.addItem(column.label, column.key)
            combo.setCurrentIndex(max(0, combo.findData(columns.get(index, IGNORE))))
            self.table.setCellWidget(index, 1, combo)

    def chosen(self) -> Layout:
        columns = {}
        for index in range(len(self._headers)):
            key = self.table.cellWidget(index, 1).currentData()
            if key:
                columns[index] = key
        return Layout(self.kind.currentData(), self.header_row.value(), self._headers, columns)


def _read_only_item(text: str):
    from PySide6.QtWidgets import QTableWidgetItem

    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item
