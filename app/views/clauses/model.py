"""Tree model of clauses (and Annex A controls) with their checklist points, and its filter."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.catalog.content import Catalog
from app.services.clauses.requirements import NOT_APPLICABLE, STATUS_LABELS, PointRow
from app.services.people.spelling import name_key
from app.services.soa.service import STATUSES as SOA_STATUSES

COLUMNS = ("ID", "Title", "Status", "Owner", "Due", "Evidence")
COL_ID, COL_TITLE, COL_STATUS, COL_OWNER, COL_DUE, COL_EVIDENCE = range(len(COLUMNS))
POINT_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
_STATUS_COLOURS = {
    "not_started": QColor("#b3261e"),
    "in_progress": QColor("#9a6700"),
    "implemented": QColor("#1a7f37"),
}
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(eq=False)
class Node:
    kind: str  # "root", "clause", "annex", "objective", "control", "point"
    key: str
    title: str
    order: int
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    point: PointRow | None = None

    def add(self, child: Node) -> Node:
        child.parent = self
        self.children.append(child)
        return child

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0

    def points(self) -> list[PointRow]:
        if self.point is not None:
            return [self.point]
        return [p for c in self.children for p in c.points()]


def build_tree(catalog: Catalog, rows: list[PointRow]) -> tuple[Node, dict[str, Node]]:
    """Clauses 4-10 then Annex A (objective > control), each point under its clause or control."""
    root = Node("root", "", "", 0)
    by_ref: dict[str, Node] = {}
    order = 0
    for clause in catalog.clauses:
        parent: Node = by_ref[clause.parent] if clause.parent else root
        order += 1
        by_ref[clause.id] = parent.add(Node("clause", clause.id, clause.title, order))
    annex: Node | None = None
    refs_with_points = {r.ref for r in rows}
    for objective in catalog.objectives:
        controls = [c for c in catalog.controls if c.objective == objective.id]
        if not any(c.id in refs_with_points for c in controls):
            continue
        if annex is None:
            annex = root.add(Node("annex", "Annex A", "Controls", order + 1))
        order += 1
        obj_node = annex.add(Node("objective", objective.id, objective.title, order))
        for control in controls:
            if control.id in refs_with_points:
                order += 1
                by_ref[control.id] = obj_node.add(Node("control", control.id, control.title, order))
    points: dict[str, Node] = {}
    retired: Node | None = None
    for row in rows:
        order += 1
        home = by_ref.get(row.ref)
        if home is None or row.retired:
            retired = retired or root.add(
                Node("annex", "Retired", "Dropped by a catalog upgrade", 10**6)
            )
            home = retired
        points[row.id] = home.add(Node("point", row.id, row.title, order, point=row))
    return root, points


_GREY = QColor("#6b6b6b")
NO_EVIDENCE_TEXT = "none named"


def _overdue(point: PointRow | None) -> bool:
    return bool(point and point.overdue())


def same_name(name: str) -> str:
    """What two spellings of one person's name share: case, spacing and a role in brackets
    after it aside ("Tom Becker (Head of Data Science)" is Tom Becker, as the dashboard
    counts owners)."""
    return name_key(name)


def _unproven(point: PointRow | None) -> bool:
    return bool(
        point and point.applicable and point.status == "implemented" and not point.has_evidence
    )


class ClausesModel(QAbstractItemModel):
    def __init__(self, catalog: Catalog, rows: list[PointRow], parent=None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._root, self._points = build_tree(catalog, rows)

    def update_rows(self, rows: list[PointRow]) -> None:
        """Refresh edited points in place (and their ancestors' progress) without a reset.
        A point as it was is left alone, and each ancestor is told once: after an import or
        matching owners every point comes back, and telling the view of all of them (and of
        each clause once per point) froze the window for a tenth of a second."""
        ancestors: dict[int, Node] = {}
        for row in rows:
            node = self._points.get(row.id)
            if node is None or node.point == row:
                continue
            node.point = row
            index = self.index_for(row.id)
            self.dataChanged.emit(index, index.siblingAtColumn(len(COLUMNS) - 1))
            parent = node.parent
            while parent is not None and parent.kind != "root":
                ancestors[id(parent)] = parent
                parent = parent.parent
        for parent in ancestors.values():
            pindex = self._index_of(parent)
            self.dataChanged.emit(
                pindex.siblingAtColumn(COL_STATUS), pindex.siblingAtColumn(COL_STATUS)
            )

    def point_ids(self) -> list[str]:
        return list(self._points)

    def index_for(self, point_id: str, column: int = 0) -> QModelIndex:
        node = self._points.get(point_id)
        return self._index_of(node, column) if node else QModelIndex()

    def _index_of(self, node: Node, column: int = 0) -> QModelIndex:
        return self.createIndex(node.row(), column, node)

    def node(self, index: AnyIndex) -> Node:
        return index.internalPointer() if index.isValid() else self._root

    # Qt model interface
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        node = self.node(parent)
        if not (0 <= row < len(node.children) and 0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = self.node(index).parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self._index_of(parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = self.node(index)
        column = index.column()
        point = node.point
        if role == POINT_ROLE:
            return point
        if role == SORT_ROLE:
            return self._sort_value(node, column)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, column)
        if role == Qt.ItemDataRole.ToolTipRole:  # the full text of a clipped cell
            return self._tooltip(node, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_STATUS and point:
            return QBrush(_STATUS_COLOURS[point.status] if point.applicable else _GREY)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_EVIDENCE and _unproven(point):
            return QBrush(_STATUS_COLOURS["not_started"])
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_DUE and _overdue(point):
            return QBrush(_STATUS_COLOURS["not_started"])
        if role == Qt.ItemDataRole.FontRole and point is None:
            font = QFont()
            font.setBold(
                node.kind in ("clause", "annex", "objective")
                and (node.parent is self._root or node.kind != "clause")
            )
            return font
        return None

    def _display(self, node: Node, column: int) -> str:
        point = node.point
        if column == COL_ID:
            return node.key
        if column == COL_TITLE:
            return node.title
        if point is None:
            if column == COL_STATUS:
                points = node.points()
                if not points:
                    return ""
                counted = [p for p in points if p.applicable]
                if not counted:
                    return NOT_APPLICABLE
                # as readiness counts it: implemented with no evidence named is not done
                done = sum(1 for p in counted if p.counted_status == "implemented")
                return f"{done} of {len(counted)} done"
            return ""
        if column == COL_STATUS:
            return point.status_label
        if column == COL_OWNER:
            return point.owner
        if column == COL_DUE:
            return point.due_date.isoformat() if point.due_date else ""
        if column == COL_EVIDENCE:
            if point.evidence.strip():
                return point.evidence.strip().splitlines()[0]
            if point.soa_evidence.strip():  # a control's point: its SoA line names it
                return "SoA: " + point.soa_evidence.strip().splitlines()[0]
            return NO_EVIDENCE_TEXT if _unproven(point) else ""
        return ""

    def _tooltip(self, node: Node, column: int) -> str | None:
        point = node.point
        if point is not None and column == COL_EVIDENCE:
            if _unproven(point):
                return "Implemented, but no evidence named: readiness counts it as in progress"
            return point.evidence or point.soa_evidence or None
        if point is not None and column == COL_STATUS and point.control_id:
            return (
                f"Follows the SoA line of {point.control_id} ({point.soa_decision}, "
                f"{SOA_STATUSES[point.soa_status].lower()})"
            )
        return self._display(node, column) or None

    def _sort_value(self, node: Node, column: int) -> object:
        point = node.point
        if point is None or column in (COL_ID, COL_TITLE):
            return node.order if column == COL_ID else node.title.lower()
        if column == COL_STATUS:
            return list(STATUS_LABELS).index(point.status)
        if column == COL_DUE:
            return point.due_date.toordinal() if point.due_date else 10**7
        return self._display(node, column).lower()


NO_OWNER = "\x00none"
WITH_GAPS = "\x00gaps"  # the status filter's "points with a gap"


class ClausesFilter(QSortFilterProxyModel):
    """Shows points matching status, owner, clause and text; their clauses stay as context."""

    def __init__(self, catalog: Catalog, parent=None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self.setRecursiveFilteringEnabled(True)
        self.setSortRole(SORT_ROLE)
        self.status = ""
        self.owner = ""
        self._owner_key = ""
        self.clause = ""
        self.text = ""
        self.only: frozenset[str] | None = None  # the points a jump from the dashboard shows

    def set_filters(self, *, status=None, owner=None, clause=None, text=None, **only) -> None:
        self.beginFilterChange()
        if "only" in only:
            self.only = only["only"]
        if status is not None:
            self.status = status
        if owner is not None:
            self.owner = owner
            self._owner_key = same_name(owner)
        if clause is not None:
            self.clause = clause
        if text is not None:
            self.text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def active(self) -> bool:
        return bool(self.status or self.owner or self.clause or self.text) or self.only is not None

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        point: PointRow | None = model.data(index, POINT_ROLE)
        if point is None:
            return not self.active()
        if self.only is not None and point.id not in self.only:
            return False
        if self.status == WITH_GAPS:
            if not point.gaps():
                return False
        elif self.status and point.status != self.status:
            return False
        if self.owner == NO_OWNER and point.owner:
            return False
        if self.owner and self.owner != NO_OWNER and same_name(point.owner) != self._owner_key:
            return False  # one person, whatever the spelling typed
        if self.clause and point.clause != self.clause:
            return False
        if self.text:
            catalog_point = self._catalog.point_by_id.get(point.id)
            haystack = " ".join(
                [point.id, point.ref, point.title, point.owner, point.notes, point.evidence]
                + ([catalog_point.requirement, catalog_point.question] if catalog_point else [])
            ).lower()
            return self.text in haystack
        return True
