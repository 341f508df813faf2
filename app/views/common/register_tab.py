"""What the Inventory and Risks tabs share: a register loaded off the UI thread when the tab is
first shown, a searchable self-sorting table, and undo steps that replay service calls."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTableView,
    QWidget,
)

from app.services import words
from app.services.engagement.errors import AimsError, FieldError
from app.services.engagement.file import EngagementFile
from app.views.common import dialogs, shown_only, worker
from app.views.common.guard import STATUS
from app.views.common.row_table import ROW_ROLE, RowTableModel
from app.views.common.text import esc
from app.views.common.undo import AppliedCommand
from app.views.common.widgets import compact

_WARN = QBrush(QColor("#b3261e"))


class ListModel(QAbstractTableModel):
    """A short read-only list (a system's assessments, the treatment plan) of plain rows."""

    def __init__(
        self,
        headers: Sequence[str],
        cells: Callable[[Any], tuple[str, ...]],
        warn: Callable[[Any], bool] = lambda _r: False,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.headers, self._cells, self._warn = tuple(headers), cells, warn
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(row)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:  # a clipped cell in full
            return self._cells(row)[index.column()] or None
        if role == Qt.ItemDataRole.ForegroundRole and self._warn(row):
            return _WARN
        return None


class RegisterTab(QWidget):
    """Subclasses build their widgets, give `load()` (run on a worker thread) and
    `show_loaded(result)`, `refresh(row_id, select)` after an edit, and `show_current()`."""

    changed = Signal()
    loaded = Signal()

    def __init__(
        self, ef: EngagementFile, undo_stack: QUndoStack, model: RowTableModel, parent=None
    ) -> None:
        super().__init__(parent)
        self.ef = ef
        self.undo_stack = undo_stack
        self.model = model
        self.current: str | None = None
        self._task: worker.Task | None = None
        self._started = False

    # loading: when first shown, so an engagement opens without waiting for big registers
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.reload()

    def load(self) -> Callable[[], Any]:
        raise NotImplementedError

    def show_loaded(self, result: Any) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        self._task = worker.start(self.load(), self._loaded, self._load_failed)

    def shutdown(self) -> None:
        """Before the engagement closes: let a running load finish with the file, and start
        no other (removing the tabs may show this one on its way out)."""
        self._started = True
        if self._task is not None:
            self._task.cancel()
            self._task.wait()

    def is_loading(self) -> bool:
        return self._task is not None

    def _loaded(self, result: Any) -> None:
        try:
            self.show_loaded(result)
        except BaseException:
            self._task = None
            self.loaded.emit()  # whoever waits for the load is told, even if showing it failed
            raise
        # The first row's details on the next turn of the event loop: the window repaints
        # the table in between instead of freezing for both at once.
        QTimer.singleShot(0, self, self._select_first)  # not once the tab is gone

    def _select_first(self) -> None:
        self._task = None
        try:
            if self.current is None and self.model.rowCount():
                self.select(self.model.id_at(0))
            elif self.current is None:
                self.show_current()  # an empty register: say what to do, form disabled
        finally:
            self.loaded.emit()

    def _kept_selection(self) -> None:
        """After the table was reset (a reload, a filter): the row that was current stays
        current when it is still shown; otherwise the panel shows nothing selected, so no
        edit can land on a row the table no longer shows."""
        if self.current is not None and self.model.position(self.current) >= 0:
            self.select(self.current)
        else:
            self.show_current()

    def leave(self) -> None:
        """The user leaves the tab (or the file closes): edits the form holds are settled."""
        self.form.leave()

    # what the panel says with nothing to show
    empty_text = "<h3>Nothing here yet</h3>"

    def empty_heading(self, nothing_selected: str) -> str:
        """The heading with no row current: what to do, when the register is empty."""
        return self.empty_text if self.model.total() == 0 else nothing_selected

    def _load_failed(self, message: str) -> None:
        self._task = None
        self.count_label.setText(f"Could not load: {message}")
        self.loaded.emit()

    # widgets every register has
    def make_table(self, widths: Sequence[int]) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(24)
        table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate(widths):
            table.setColumnWidth(column, width)
        table.selectionModel().currentRowChanged.connect(lambda *_: self.show_current())
        self.model.modelReset.connect(self._kept_selection)
        self.table = table
        return table

    def make_search(self, placeholder: str) -> QLineEdit:
        self.search = QLineEdit(placeholderText=placeholder)
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(lambda: self.filter(text=self.search.text()))
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        return self.search

    def make_filter(self, items: list[tuple[str, str]], name: str) -> QComboBox:
        box = compact(QComboBox())
        for label, key in items:
            box.addItem(label, key)
        box.currentIndexChanged.connect(lambda _i: self.filter(**{name: box.currentData()}))
        return box

    def add_shortcuts(self, pairs: Sequence[tuple[QKeySequence, Callable[[], None]]]) -> None:
        for key, slot in pairs:
            action = QAction(self)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # selection and filters
    def filter(self, **values) -> None:
        current = self.current
        self.model.set_filter(**values)
        self.update_count()
        if current is not None and self.model.position(current) >= 0:
            self.select(current)

    noun = "entries"  # what the count under the table counts
    noun_one = "entry"  # and one of them

    def flagged_total(self) -> int | None:
        """Rows with gaps, when known without counting them on the UI thread."""
        return None

    has_rules = True  # whether the count says how many rows have gaps

    def update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total()
        noun = words.plural(total, self.noun_one, self.noun)
        text = f"{total} {noun}" if shown == total else f"{shown} of {total} {noun} shown"
        if self.has_rules:
            text += f"; {self.model.flagged_shown(self.flagged_total())} with gaps"
        self.count_label.setText(esc(text) + shown_only.note(self.only_why, self.model.only))

    # a jump from the dashboard: the items behind a figure or a gap, and back to all
    only_why = ""

    def show_only(self, ids: Iterable[str], why: str) -> None:
        """Show only these rows (what `why` names, e.g. a gap), until the user shows all."""
        self.only_why = why
        shown_only.follow(self.count_label, self.show_all)
        self.filter(only=frozenset(ids))
        lost = self.current is None or self.model.position(self.current) < 0
        if lost and self.model.rowCount():
            self.select(self.model.id_at(0))

    def show_all(self) -> None:
        self.only_why = ""
        self.filter(only=None)

    def show_current(self) -> None:
        raise NotImplementedError

    def refresh(self, row_id: str, select: bool = False) -> None:
        raise NotImplementedError

    def select(self, row_id: str, add: bool = False) -> None:
        """Select a row (or add it to the selection) and make it current; a row hidden by a
        jump's "only these" (an item just added, a search hit) brings every row back first."""
        at = self.model.position(row_id)
        if at < 0 and self.only_why:
            self.show_all()
            at = self.model.position(row_id)
        if at < 0:
            return
        index = self.model.index(at, 0)
        how = (
            QItemSelectionModel.SelectionFlag.Select
            if add
            else QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.table.selectionModel().setCurrentIndex(
            index, how | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)  # the selection change has filled the panel

    def reload_if_shown(self) -> None:
        """Another tab changed data this one shows: load again if it was loaded before."""
        if self._started and self._task is None:
            self.reload()

    def current_row(self) -> Any | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    # undo: every change went through a service first; these steps replay it
    def attempt(self, action: Callable[[], object]) -> tuple[bool, object]:
        """Run a service call for an edit: (saved, result). A refused value is shown at its
        field in the panel's form; any other refusal in a message."""
        try:
            return True, action()
        except FieldError as exc:
            self.form.show_error(exc.field, exc.message)
            STATUS.refused(exc.message)
        except AimsError as exc:
            dialogs.error(self, "Change not saved", exc.message)
            STATUS.refused(exc.message)
        return False, None

    def replay(
        self, row_id: str, action: Callable[[], object], select: bool = False
    ) -> Callable[[], None]:
        def run() -> None:
            try:
                action()
            except AimsError as exc:
                dialogs.error(self, "Could not undo or redo", exc.message)
                STATUS.refused(exc.message)
                return
            self.refresh(row_id, select)

        return run

    def save_with_undo(
        self,
        item_id: str,
        changes: dict[str, object],
        update: Callable[[dict[str, object]], dict[str, object]],
        labels: Callable[[str], str],
    ) -> None:
        """A form's edit through `update` (a service call giving back the old values), then
        one undo step that puts them back; nothing changed: the stored value shows again."""
        old = update(changes)
        if not old:
            self.show_current()  # the value as stored (e.g. without the spaces typed)
            return
        new = dict(changes)
        text = " and ".join(labels(f).lower() for f in changes)
        self.undo_stack.push(
            AppliedCommand(
                f"Change {text} of {item_id}",
                self.replay(item_id, lambda: update(old)),
                self.replay(item_id, lambda: update(new)),
            )
        )
        self.refresh(item_id)

    def push_existence(
        self,
        text: str,
        row_id: str,
        exists_after: bool,
        set_deleted: Callable[[EngagementFile, str, bool], None],
    ) -> None:
        """The undo step of an add (exists_after) or a delete: undo deletes or restores."""

        def existence(deleted: bool) -> Callable[[], None]:
            return self.replay(row_id, lambda: set_deleted(self.ef, row_id, deleted), True)

        self.undo_stack.push(
            AppliedCommand(text, existence(exists_after), existence(not exists_after))
        )
