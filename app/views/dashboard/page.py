"""The dashboard, the window's first page: where the client stands and what would fail the
audit. It shows what the window's count computed after the last edit (the main window
hands it each new count), so the page never reads the file itself nor freezes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import words
from app.services.engagement.file import EngagementFile
from app.views.clauses.model import NO_OWNER as NO_OWNER_FILTER
from app.views.common.text import esc
from app.views.common.widgets import WrappedLabel
from app.views.dashboard.parts import OPEN_COLOUR, AnyIndex, ListModel

if TYPE_CHECKING:  # the services load with the first count, after the window has painted
    from app.services.readiness.dashboard import Dashboard
    from app.services.readiness.figures import OwnerLoad
    from app.views.dashboard.plan import PlanPanel


class DashboardPage(QWidget):
    changed = Signal()  # a milestone edited
    loaded = Signal()
    # where a click leads: the main window opens the area
    show_items = Signal(str, list, str)  # kind, IDs, why
    show_points = Signal(str, str)  # owner, clause
    show_risk_cell = Signal(int, int)  # likelihood, impact
    show_area = Signal(str)  # a tab or a register's key

    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__(parent)
        self.ef = ef
        self.undo_stack = undo_stack
        self.board: Dashboard | None = None
        self.headline = QLabel("Counting…")
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        # the rest is made with the first count: the window's first paint does without it
        self.plan: PlanPanel | None = None
        self.built = False
        self.page_layout = QVBoxLayout(self)
        self.page_layout.setContentsMargins(0, 0, 0, 0)
        self.page_layout.addWidget(self.headline)
        self.page_layout.addStretch(1)

    def _build(self) -> None:
        from app.views.dashboard.charts import ClauseBars
        from app.views.dashboard.gaps import FailingGaps, OtherGaps
        from app.views.dashboard.plan import PlanPanel
        from app.views.risks.heat_map import HeatMap

        self.built = True
        while self.page_layout.count():  # the headline moves into the scrolled page
            self.page_layout.takeAt(0)
        self.rule = WrappedLabel()
        self.rule.setStyleSheet("color:#5f6b73;")
        self.failing = FailingGaps()
        self.failing.show_items.connect(self.show_items)
        self.clauses = ClauseBars()
        self.clauses.chosen.connect(lambda clause: self.show_points.emit("", clause))
        self.owner_loads = OwnersModel(self)
        self.owners = _owner_table(self.owner_loads)
        self.owners.activated.connect(self._owner_chosen)
        self.heat = HeatMap()
        self.heat.cellClicked.connect(self.show_risk_cell)
        self.coverage = QGridLayout()
        self.cycle = QGridLayout()
        self.others = OtherGaps()
        self.others.show_items.connect(self.show_items)
        self.plan = PlanPanel(self.ef, self.undo_stack, read=False)  # the plan of the count
        self.plan.changed.connect(self.changed)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.headline)
        column.addWidget(self.rule)
        column.addWidget(self.failing)
        row = QHBoxLayout()
        row.addWidget(_box("Readiness by clause (click a bar for its points)", self.clauses), 3)
        row.addWidget(_box("By owner (Return or double-click: their points)", self.owners), 2)
        column.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(_box("Risk profile: live risks, inherent", self.heat), 2)
        row.addWidget(_box("Coverage", self.coverage), 2)
        row.addWidget(_box("Audit cycle", self.cycle), 2)
        column.addLayout(row)
        column.addWidget(self.others)
        column.addWidget(self.plan)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.viewport().installEventFilter(self)
        self.body, self.scroller = body, scroll
        self.page_layout.addWidget(scroll)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        resized = event.type() == QEvent.Type.Resize
        if self.built and resized and watched is self.scroller.viewport():
            self._fit()
        return False

    def _fit(self) -> None:
        """The page as tall as its wrapped texts need at this width: a scroll area sizes its
        page by the minimum size, which knows nothing of text wrapping, and would clip."""
        layout = self.body.layout()
        width = self.scroller.viewport().width()
        # the charts' new sizes first (their layout requests are queued), then measure
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        layout.invalidate()
        height = layout.totalHeightForWidth(width)  # -1 while nothing in it wraps
        self.body.setMinimumHeight(max(height, layout.totalMinimumSize().height()))

    # what the main window asks of a tab
    def is_loading(self) -> bool:
        return False  # it shows the window's count; the window waits for that itself

    def reload_if_shown(self) -> None:
        if self.plan is not None:
            self.plan.reload()

    def leave(self) -> None:
        pass

    def focus_search(self) -> None:
        if self.built:
            self.others.table.setFocus()

    def shutdown(self) -> None:
        pass

    # the count after each edit
    def show_board(self, board: Dashboard) -> None:
        from app.services.readiness.dashboard import coverage_tiles, cycle_tiles
        from app.services.readiness.figures import READINESS_RULE

        if not self.built:
            self._build()

        self.board = board
        self.rule.setText(READINESS_RULE)
        f = board.figures
        majors = sum(1 for g in board.found if g.open and g.rule.severity == "major")
        failing = sum(1 for g in board.failing if g.open)
        left = board.days_left
        stage1 = (
            "no target Stage 1 date set (Ctrl+E)"
            if left is None
            else f"Stage 1 on {board.stage1}: "
            + (f"{words.count(left, 'day')} left" if left >= 0
               else f"passed {words.count(-left, 'day')} ago")
        )  # fmt: skip
        self.headline.setText(
            f"<span style='font-size:20pt; font-weight:bold'>{f.readiness:g}%</span> ready"
            f" &nbsp;·&nbsp; <b style='color:{OPEN_COLOUR if failing else '#2e7d32'}'>"
            f"{failing} of {len(board.failing)}</b> audit-failing gaps open"
            f" &nbsp;·&nbsp; {words.count(majors, 'major gap')} open across all rules"
            f" &nbsp;·&nbsp; {esc(stage1)}"
        )
        self.failing.show_found(board.failing)
        self.others.show_found(board.other_open)
        titles = {c: self.ef.catalog.top_title(c) for c in f.by_clause}
        self.clauses.set_values(f.by_clause, titles)
        self.owner_loads.set_loads(f.by_owner)
        self.heat.set_data(board.criteria, f.heat.inherent)
        _tiles(self.coverage, coverage_tiles(f), self.show_area)
        _tiles(self.cycle, cycle_tiles(f), self.show_area)
        assert self.plan is not None
        self.plan.show_plan(board.plan, board.today)
        self._fit()
        QTimer.singleShot(0, self, self._fit)  # again once the new texts are laid out
        self.loaded.emit()

    def _owner_chosen(self, index: QModelIndex) -> None:
        from app.services.readiness.figures import NO_OWNER

        owner = self.owner_loads.rows[index.row()][0]
        self.show_points.emit(NO_OWNER_FILTER if owner == NO_OWNER else owner, "")


def _box(title: str, content: QWidget | QGridLayout) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    if isinstance(content, QWidget):
        layout.addWidget(content)
    else:
        layout.addLayout(content)
        layout.addStretch(1)
    return box


class OwnersModel(ListModel):
    """Work by owner, most overdue first: a model, so 5,000 owners cost one reset, not
    20,000 table items, when the count comes in."""

    HEADERS = ("Owner", "Open", "Overdue", "Done")

    def set_loads(self, by_owner: Mapping[str, OwnerLoad]) -> None:
        self.set_rows(
            sorted(
                ((o, w.open, w.overdue, w.done) for o, w in by_owner.items()),
                key=lambda r: (-r[2], -r[1], r[0].lower()),
            )
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = row[index.column()]
            return value if isinstance(value, str) else f"{value:,}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column():
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def _owner_table(model: OwnersModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.setColumnWidth(0, 200)
    table.setMinimumHeight(180)
    return table


def _tiles(grid: QGridLayout, tiles, open_area) -> None:
    """Each figure a line with a button to its area."""
    while grid.count():
        widget = grid.takeAt(0).widget()
        if widget is not None:
            widget.deleteLater()
    for n, tile in enumerate(tiles):
        grid.addWidget(QLabel(f"<b>{esc(tile.value)}</b>"), n, 0)
        label = WrappedLabel()
        label.setText(esc(tile.label))
        grid.addWidget(label, n, 1)
        button = QPushButton("Open")
        button.clicked.connect(lambda _=False, kind=tile.target[0]: open_area(kind))
        grid.addWidget(button, n, 2)
    grid.setColumnStretch(1, 1)
