"""The certification plan on the dashboard: a timeline of the milestones, then a table where
the planned date and the day reached are typed (Return saves, Escape drops), each edit one
undo step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.engagement.errors import AimsError, FieldError
from app.services.engagement.fields import parse_date
from app.services.engagement.file import EngagementFile
from app.services.readiness import plan as plans
from app.services.readiness.plan import Plan, PlannedMilestone
from app.views.common import dialogs
from app.views.common.field_form import DateEdit
from app.views.common.guard import STATUS
from app.views.common.undo import AppliedCommand
from app.views.common.widgets import BANNER_STYLE

AnyIndex = QModelIndex | QPersistentModelIndex
_DONE, _PLANNED, _LATE = QColor("#2e7d32"), QColor("#1f5f8b"), QColor("#c62828")
_AXIS, _MUTED, _TODAY = QColor("#9aa5ad"), QColor("#5f6b73"), QColor("#c77700")
_ERROR_TEXT = "color: #b3261e; font-weight: bold;"
_ROWS = 3  # rows of labels on each side of the axis

TITLE, PLANNED, DONE, SOURCE = range(4)
HEADERS = ("Milestone", "Planned date", "Reached on", "Date from")
_FIELDS = {PLANNED: ("planned_on", "planned date"), DONE: ("done_on", "day reached")}


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


class TimelineChart(QWidget):
    """The milestones on a time axis: reached ones filled, overdue ones red, today a line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.milestones: list[PlannedMilestone] = []
        self.today = dt.date.today()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(40 + 2 * _ROWS * self.fontMetrics().height())

    def sizeHint(self) -> QSize:
        return QSize(640, self.minimumHeight())

    def show_plan(self, plan: Plan, today: dt.date) -> None:
        self.milestones = [m for m in plan.milestones if m.date is not None]
        self.today = today
        text = self.describe()
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self.update()

    def describe(self) -> str:
        """The chart in words (its tooltip, and what a screen reader is told)."""
        parts = []
        for m in self.milestones:
            state = "reached" if m.done else "overdue" if m.overdue else "planned"
            parts.append(f"{m.title} {state} {_iso(m.date)}")
        return "; ".join(parts)

    def paintEvent(self, _event: QPaintEvent) -> None:
        if not self.milestones:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = QRectF(self.rect()).adjusted(16, 8, -16, -8)
        days = [m.date for m in self.milestones if m.date] + [self.today]
        first, last = min(days), max(days)
        span = max((last - first).days, 1)
        axis_y = box.center().y()

        def x_of(day: dt.date) -> float:
            return box.left() + box.width() * (day - first).days / span

        painter.setPen(QPen(_AXIS, 2))
        painter.drawLine(QPointF(box.left(), axis_y), QPointF(box.right(), axis_y))
        metrics = painter.fontMetrics()
        today_x = x_of(self.today)
        painter.setPen(QPen(_TODAY, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(today_x, box.top()), QPointF(today_x, box.bottom()))
        painter.drawText(QPointF(today_x + 3, box.bottom() - metrics.descent()), "today")
        # each label in the first lane (above, below, then farther out) where it overlaps
        # no earlier label, so close milestones stay readable
        ends = [float("-inf")] * (2 * _ROWS)
        for m in sorted(self.milestones, key=lambda m: m.date or dt.date.max):
            assert m.date is not None
            x = x_of(m.date)
            colour = _DONE if m.done else _LATE if m.overdue else _PLANNED
            label = f"{m.title} {m.date.strftime('%b %Y')}"
            width = metrics.horizontalAdvance(label)
            left = min(max(x - width / 2, box.left()), box.right() - width)
            lane = next((n for n, end in enumerate(ends) if left > end + 6), len(ends) - 1)
            ends[lane] = left + width
            row, above = lane // 2, lane % 2 == 0
            offset = 10 + row * metrics.height()
            reach = -offset if above else offset
            y = axis_y + reach + (-metrics.descent() if above else metrics.ascent())
            painter.setPen(QPen(_AXIS, 1))
            painter.drawLine(QPointF(x, axis_y), QPointF(x, axis_y + reach))
            painter.setPen(QPen(colour, 2))
            painter.setBrush(colour if m.done else QColor("white"))
            painter.drawEllipse(QPointF(x, axis_y), 5, 5)
            painter.setPen(_LATE if m.overdue else _MUTED)
            painter.drawText(QPointF(left, y), label)
        painter.end()


class PlanModel(QAbstractTableModel):
    """The milestones, one a row; the planned date and the day reached are editable."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[PlannedMilestone] = []
        self.read_only = False
        self.save: Callable[[str, int, str], bool] | None = None  # set by the panel

    def set_plan(self, plan: Plan) -> None:
        self.beginResetModel()
        self.rows = list(plan.milestones)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in _FIELDS and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        m = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == TITLE:
                return m.title
            if column == PLANNED:
                return _iso(m.planned)
            if column == DONE:
                return _iso(m.date) if m.done else ""
            return plans.SOURCES[m.source]
        if role == Qt.ItemDataRole.ForegroundRole and m.overdue and column == PLANNED:
            return _LATE
        if role == Qt.ItemDataRole.ToolTipRole:
            if m.overdue:
                return f"{m.title} was planned for {_iso(m.planned)} and is not reached yet."
            return m.note or None
        return None

    def setData(self, index: AnyIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.save is None:
            return False
        if str(value).strip() == str(self.data(index)):
            return False  # nothing changed: no save, no undo step
        return self.save(self.rows[index.row()].key, index.column(), str(value))


class _DateDelegate(QStyledItemDelegate):
    """Dates typed in the app's date field: Return commits, Escape drops the edit."""

    def createEditor(self, parent, option, index):
        editor = DateEdit(parent)
        editor.picked.connect(lambda: self.commitData.emit(editor))
        return editor

    def setEditorData(self, editor, index) -> None:
        editor.show_text(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.text())


class PlanPanel(QWidget):
    """The plan of one engagement; `changed` after every saved edit (undo and redo too)."""

    changed = Signal()

    def __init__(
        self, ef: EngagementFile, undo_stack: QUndoStack, parent=None, *, read: bool = True
    ) -> None:
        """`read` False: the plan comes with the window's count (show_plan), so nothing is
        queried before the first paint."""
        super().__init__(parent)
        self.ef = ef
        self.undo_stack = undo_stack
        self.plan: Plan | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(BANNER_STYLE)
        self.warning.hide()
        self.chart = TimelineChart()
        self.model = PlanModel(self)
        self.model.read_only = ef.read_only
        self.model.save = self._save
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        delegate = _DateDelegate(self.table)
        for column in _FIELDS:
            self.table.setItemDelegateForColumn(column, delegate)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (PLANNED, DONE, SOURCE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR_TEXT)
        self.error.hide()
        hint = QLabel(
            "Type a planned date over the computed one, or the day a milestone was reached "
            "(YYYY-MM-DD; empty the planned date to go back to the computed one)."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6368;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, self.warning, self.chart, self.table, self.error, hint):
            layout.addWidget(widget)
        if read:
            self.reload()

    def reload(self) -> None:
        today = dt.date.today()
        self.show_plan(plans.plan(self.ef, today), today)

    def show_plan(self, plan: Plan, today: dt.date) -> None:
        """A plan computed already (the dashboard's count after an edit)."""
        self.plan = plan
        low, high = self.plan.typical
        began = "the AIMS began" if self.plan.start_source == "details" else "the file was made"
        self.heading.setText(
            f"<b>Certification plan</b>: from {self.plan.start.isoformat()} (the day {began}); "
            f"typically {low} to {high} months to Stage 1."
        )
        self.warning.setText(self.plan.warning or "")
        self.warning.setVisible(bool(self.plan.warning))
        self.chart.show_plan(self.plan, today)
        current = self.table.currentIndex()
        self.model.set_plan(self.plan)
        if current.isValid():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))
        rows = self.model.rowCount()
        height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(rows))
        self.table.setFixedHeight(height)

    def _save(self, key: str, column: int, text: str) -> bool:
        field, what = _FIELDS[column]
        title = plans.TITLES[key]
        try:
            value = parse_date(field, text, f"{title}, {what}")
            old = self._set(key, field, value)
        except FieldError as exc:
            self._refused(exc.message)
            return False
        except AimsError as exc:
            dialogs.error(self, "Change not saved", exc.message)
            STATUS.refused(exc.message)
            return False
        before = getattr(old, field)
        if before == value:
            return False
        self.error.hide()
        self.undo_stack.push(
            AppliedCommand(
                f"{title}: {what} {_iso(value) or 'cleared'}",
                self._replay(key, field, before),
                self._replay(key, field, value),
            )
        )
        self._after()
        return True

    def _replay(self, key: str, field: str, value: dt.date | None):
        def run() -> None:
            try:
                self._set(key, field, value)
            except AimsError as exc:
                dialogs.error(self, "Could not undo or redo", exc.message)
                STATUS.refused(exc.message)
                return
            self._after()

        return run

    def _set(self, key: str, field: str, value: dt.date | None) -> plans.MilestoneValues:
        if field == "planned_on":
            return plans.set_milestone(self.ef, key, planned_on=value)
        return plans.set_milestone(self.ef, key, done_on=value)

    def _refused(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        STATUS.refused(message)

    def _after(self) -> None:
        # the model is reset once the editor has closed, not from inside its setData
        QTimer.singleShot(0, self, self._reload_and_tell)

    def _reload_and_tell(self) -> None:
        self.reload()
        self.changed.emit()
