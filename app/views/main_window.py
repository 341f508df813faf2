"""The main window: menus, tabs, status bar, and the open engagement's lifetime."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

import app
from app import paths
from app.services import words
from app.services.catalog import content as catalog_service
from app.services.clauses import requirements
from app.services.engagement import bulk
from app.services.engagement.errors import AimsError
from app.services.engagement.file import (
    DETAIL_FIELDS,
    EngagementFile,
    create_engagement,
    open_engagement,
)
from app.services.engagement.stage1 import stage1_warning
from app.views.clauses.tab import ClausesTab
from app.views.common import dialogs, worker
from app.views.common.field_form import FormDialog
from app.views.common.guard import STATUS
from app.views.common.settings import UiSettings
from app.views.common.text import esc
from app.views.common.undo import AppliedCommand
from app.views.common.widgets import BANNER_STYLE
from app.views.tab_names import TAB_NAMES, TAB_TITLES

if TYPE_CHECKING:
    from app.views.common.register_tab import RegisterTab
    from app.views.context.page import ContextPage
    from app.views.dashboard.page import DashboardPage
    from app.views.documents.page import DocumentsPage
    from app.views.evaluation.page import EvaluationPage
    from app.views.inventory.tab import InventoryTab
    from app.views.people.page import PeoplePage
    from app.views.registers.page import RegistersPage
    from app.views.risks.tab import RisksTab
    from app.views.soa.tab import SoaTab

# The tabs after the first are made when first shown or asked for (`window.risks_tab`): the
# window paints the checklist without importing or building the other areas.
_LATER_TABS = {
    "dashboard": ("app.views.dashboard.page", "DashboardPage"),
    "context": ("app.views.context.page", "ContextPage"),
    "inventory": ("app.views.inventory.tab", "InventoryTab"),
    "risks": ("app.views.risks.tab", "RisksTab"),
    "soa": ("app.views.soa.tab", "SoaTab"),
    "documents": ("app.views.documents.page", "DocumentsPage"),
    "people": ("app.views.people.page", "PeoplePage"),
    "evaluation": ("app.views.evaluation.page", "EvaluationPage"),
}
# the counts of `status` that make the status bar's "inventory gaps"
_INVENTORY_GAP_COUNTS = {
    "impact_assessments": (
        "systems_without", "before_go_live_without", "after_deployment", "stale_after_change",
        "unapproved", "empty", "periodic_overdue", "severe_without_risk",
    ),
    "inventory": (
        "out_of_scope_without_reason", "in_scope_without_owner", "in_scope_without_intended_use",
        "vendor_unnamed", "oversight_missing", "risks_on_out_of_scope",
    ),
}  # fmt: skip


class MainWindow(QMainWindow):
    def __init__(self, settings: UiSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or UiSettings()
        self.ef: EngagementFile | None = None
        self._status_task: worker.Task | None = None
        self._board: Any = None  # the dashboard of the last count (readiness.dashboard)
        self._pack_task: worker.Task | None = None
        self._status_stale = False
        self._count_pending = False  # the first count of an engagement, after the next paint
        self._closing = False
        self.undo_stack = QUndoStack(self)
        self._workbooks = None
        self._made: dict[str, QWidget] = {}  # the tabs made so far, by name
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._tab_shown: QWidget | None = None
        self.tabs.currentChanged.connect(self._tab_changed)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background:#fff4ce; color:#5c4400; padding:6px; border-bottom:1px solid #e0c36a;"
        )
        self.banner.hide()
        self.empty = QLabel(
            "<h2>No engagement open</h2><p>File &gt; New (Ctrl+N) to start one, "
            "File &gt; Open (Ctrl+O) for an existing file.</p>"
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs)
        layout.addWidget(self.empty)
        self.setCentralWidget(central)
        self.file_label = QLabel()
        self.state_label = QLabel()
        self.readiness_label = QLabel()
        self.statusBar().addWidget(self.file_label, 1)
        self.statusBar().addPermanentWidget(self.readiness_label)
        self.statusBar().addPermanentWidget(self.state_label)
        STATUS.changed.connect(self._show_save_state)
        self.setAcceptDrops(True)
        self._build_menus()
        self._show_engagement()
        geometry = self.settings.geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1400, 900)

    # menus
    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(
            file_menu, "&New Engagement…", self.new_engagement, QKeySequence.StandardKey.New
        )
        self._action(file_menu, "&Open…", self.choose_and_open, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file_menu, "Open &Demo Engagement", self.open_demo)
        file_menu.addSeparator()
        self.copy_action = self._action(
            file_menu, "Save a &Copy As…", self.save_copy, QKeySequence("Ctrl+Shift+S")
        )
        self.details_action = self._action(
            file_menu, "Engagement &Details…", self.edit_details, QKeySequence("Ctrl+E")
        )
        self.upgrade_action = self._action(file_menu, "&Upgrade Catalog…", self.upgrade_catalog)
        file_menu.addSeparator()
        self.export_xlsx_action = self._action(
            file_menu, "&Export Workbook…", self._export_workbook, QKeySequence("Ctrl+Shift+E")
        )
        self.import_xlsx_action = self._action(
            file_menu,
            "&Import Workbook…",
            lambda: self._import_workbook(),
            QKeySequence("Ctrl+Shift+I"),
        )
        file_menu.addSeparator()
        self.pack_action = self._action(file_menu, "&Export Stage 1 Pack…", self.export_pack)
        self.print_action = self._action(
            file_menu, "&Print…", self.print_pack, QKeySequence.StandardKey.Print
        )
        file_menu.addSeparator()
        self.close_action = self._action(
            file_menu, "&Close Engagement", self.close_engagement, QKeySequence.StandardKey.Close
        )
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Y")])
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        self._action(edit_menu, "&Find", self._find, QKeySequence.StandardKey.Find)
        self.search_action = self._action(
            edit_menu, "&Search Every Register…", self.search_all, QKeySequence("Ctrl+Shift+F")
        )

        view_menu = bar.addMenu("&View")
        for number, name in enumerate(TAB_NAMES):  # Ctrl+0 the dashboard, Ctrl+1 the clauses
            self._action(
                view_menu,
                f"&{TAB_TITLES[name]}",
                lambda _=False, n=name: self.select_tab(n),
                QKeySequence(f"Ctrl+{number}"),
            )

        help_menu = bar.addMenu("&Help")
        self._action(
            help_menu, "AIMS Prep &Help", self.show_help, QKeySequence.StandardKey.HelpContents
        )
        self._action(help_menu, "&About AIMS Prep", self._about)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files()
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)
        for path in recent:
            self.recent_menu.addAction(str(path), lambda p=path: self.open_path(p))

    # engagement lifetime
    def open_path(self, path: Path | str, *, read_only: bool = False) -> bool:
        path = Path(path)
        if self.ef is not None and path.exists() and path.resolve() == self.ef.path.resolve():
            return True  # already open here; a second copy would only find it locked
        try:
            ef = open_engagement(path, read_only=read_only)
        except AimsError as exc:
            dialogs.error(self, "Cannot open engagement", exc.message)
            if not path.exists():
                self.settings.remove_recent(path)
            return False
        self.set_engagement(ef)
        return True

    def set_engagement(self, ef: EngagementFile, *, remember: bool = True) -> None:
        """Show an engagement opened by the caller; the window closes it when done."""
        self.close_engagement()
        self.ef = ef
        if remember:
            self.settings.add_recent(ef.path)
        self._show_engagement()

    def close_engagement(self) -> None:
        if self.ef is None:
            return
        self._drop_tabs()
        self.ef.close()
        self.ef = None
        self._show_engagement()

    def _drop_tabs(self) -> None:
        """Tabs and undo steps belong to one engagement (and one catalog). Removing a tab
        may still commit an edit in progress (and ask for a recount), so the recount is
        waited for last, with no new one allowed to start."""
        self._closing = True
        try:
            focused = QApplication.focusWidget()
            if focused is not None and self.tabs.isAncestorOf(focused):
                focused.clearFocus()  # the field being typed in is saved first
            self._leave_tab()  # an edit the form still holds is saved, or the user told
            self._tab_shown = None
            self.undo_stack.clear()
            for tab in self._later_tabs():
                tab.shutdown()
            self._made.clear()
            while self.tabs.count():
                widget = self.tabs.widget(0)
                self.tabs.removeTab(0)
                widget.deleteLater()
            if self._status_task is not None:
                self._status_task.wait()
                self._status_task = None
            if self._pack_task is not None:  # a pack being built reads the file: stop it
                self._pack_task.cancel()
                self._pack_task.wait()
                self._pack_task = None
        finally:
            self._closing = False

    def _show_engagement(self) -> None:
        ef = self.ef
        has = ef is not None
        self.tabs.setVisible(has)
        self.empty.setVisible(not has)
        for action in (
            self.search_action,
            self.copy_action,
            self.upgrade_action,
            self.close_action,
            self.export_xlsx_action,
            self.pack_action,
            self.print_action,
        ):
            action.setEnabled(has)
        self.import_xlsx_action.setEnabled(has and not ef.read_only)
        self.details_action.setEnabled(has and not ef.read_only)
        STATUS.reset()
        if ef is None:
            self.setWindowTitle("AIMS Prep")
            self.banner.hide()
            self.file_label.setText("")
            self.state_label.setText("")
            self.readiness_label.setText("")
            return
        self.clauses_tab = ClausesTab(ef, self.undo_stack)
        self.clauses_tab.changed.connect(self._refresh_status)
        # A control's checklist points show its SoA line's status, and set it.
        self.clauses_tab.changed.connect(lambda: self._if_made("soa", "reload_if_shown"))
        self.clauses_tab.jump_to_control.connect(self.show_control)
        for name in TAB_NAMES:  # a later tab is made when first shown (the dashboard at once)
            tab = self.clauses_tab if name == "clauses" else QWidget()
            self.tabs.addTab(tab, TAB_TITLES[name])
        self.setWindowTitle(
            f"{ef.details.client} - AIMS Prep" + (" [read-only]" if ef.read_only else "")
        )
        self._show_banner()
        self.file_label.setText(str(ef.path))
        if STATUS.committed not in ef.on_commit:
            ef.on_commit.append(STATUS.committed)
        self._show_save_state()
        self.upgrade_action.setEnabled(not ef.read_only)
        # Counted once the window has painted (paintEvent; wait_until_loaded): the count
        # competes for the interpreter, and loads every area's service.
        self._count_pending = True

    def _show_banner(self) -> None:
        """What the consultant must know before working: a read-only file, a Stage 1 date
        that has passed."""
        ef = self.ef
        if ef is None:
            return
        notes = []
        if ef.read_only:
            notes.append(f"<b>Read-only:</b> {esc(ef.read_only_reason)}. Edits are disabled.")
        late = stage1_warning(ef.details.stage1_date)
        if late:
            notes.append(f"<b>Stage 1:</b> {esc(late)} (File &gt; Engagement Details, Ctrl+E)")
        self.banner.setText("<br>".join(notes))
        self.banner.setVisible(bool(notes))

    def _show_save_state(self) -> None:
        """ "All changes saved" only when the last edit committed; otherwise a warning."""
        if self.ef is None:
            self.state_label.setText("")
            return
        if self.ef.read_only:
            self.state_label.setText("Read-only")
            return
        text = STATUS.text()  # a long refusal is cut here and read in full in the tooltip
        metrics = self.state_label.fontMetrics()
        self.state_label.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, 560))
        self.state_label.setToolTip(text)
        self.state_label.setStyleSheet("color:#b3261e; font-weight:bold;" if STATUS.warning else "")

    def _tab_changed(self, _index: int) -> None:
        if self._closing:  # the tabs are being removed, left already
            self._tab_shown = None
            return
        self._leave_tab()
        name = TAB_NAMES[self.tabs.currentIndex()] if self.tabs.count() else None
        if name in _LATER_TABS:
            self._later_tab(name)  # made now, before it paints
        self._tab_shown = self.tabs.currentWidget()

    # the tabs after the first, made on first use
    @property
    def dashboard_tab(self) -> DashboardPage:
        return cast("DashboardPage", self._later_tab("dashboard"))

    @property
    def context_tab(self) -> ContextPage:
        return cast("ContextPage", self._later_tab("context"))

    @property
    def inventory_tab(self) -> InventoryTab:
        return cast("InventoryTab", self._later_tab("inventory"))

    @property
    def risks_tab(self) -> RisksTab:
        return cast("RisksTab", self._later_tab("risks"))

    @property
    def soa_tab(self) -> SoaTab:
        return cast("SoaTab", self._later_tab("soa"))

    @property
    def documents_tab(self) -> DocumentsPage:
        return cast("DocumentsPage", self._later_tab("documents"))

    @property
    def people_tab(self) -> PeoplePage:
        return cast("PeoplePage", self._later_tab("people"))

    @property
    def evaluation_tab(self) -> EvaluationPage:
        return cast("EvaluationPage", self._later_tab("evaluation"))

    def _later_tab(self, name: str) -> QWidget:
        """The tab, made (in its place among the tabs) if it was not yet."""
        tab = self._made.get(name)
        if tab is not None:
            return tab
        if self.ef is None:
            raise RuntimeError(f"no engagement open: there is no {name} tab")
        module, cls = _LATER_TABS[name]
        tab = cast(QWidget, getattr(importlib.import_module(module), cls)(self.ef, self.undo_stack))
        self._made[name] = tab
        tab.changed.connect(self._refresh_status)
        if name == "risks":
            # The SoA shows which risks select each control; a risk shows when the SoA
            # excludes one.
            tab.changed.connect(lambda: self._if_made("soa", "reload_if_shown"))
            # a system's gaps read the risks naming it and the criteria (scale, interval)
            tab.changed.connect(lambda: self._if_made("inventory", "reload_if_shown"))
        elif name == "people":
            # who holds which role decides whether an acceptance or approval was allowed
            for other in ("risks", "inventory", "soa", "documents"):
                tab.changed.connect(lambda other=other: self._if_made(other, "reload_if_shown"))
            tab.data_changed.connect(self._data_changed)  # owners matched: every tab
        elif name == "dashboard":
            tab.show_items.connect(self.show_items)
            tab.show_points.connect(
                lambda owner, clause: self.show_points(owner=owner, clause=clause)
            )
            tab.show_risk_cell.connect(self.show_risk_cell)
            tab.show_area.connect(lambda kind: self.show_items(kind, [], ""))
            if self._board is not None:
                tab.show_board(self._board)
        elif name == "soa":
            tab.jump_to_risk.connect(self.show_risk)
            tab.jump_to_point.connect(self.show_point)
            tab.changed.connect(lambda: self._if_made("risks", "refresh_panel"))
            tab.changed.connect(self.clauses_tab.reload_controls)
        index = TAB_NAMES.index(name)
        current = self.tabs.currentIndex()
        stand_in = self.tabs.widget(index)
        blocked = self.tabs.blockSignals(True)  # the same tab stays current: nothing changed
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab, TAB_TITLES[name])
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(blocked)
        stand_in.deleteLater()
        return tab

    def _later_tabs(self) -> list[Any]:
        """The tabs after the first that were made (only they have anything to do)."""
        return [self._made[name] for name in _LATER_TABS if name in self._made]

    def _if_made(self, name: str, method: str) -> None:
        """Tell a tab of a change, if it was made: one made later reads it then anyway."""
        tab = self._made.get(name)
        if tab is not None:
            getattr(tab, method)()

    def _leave_tab(self) -> None:
        """The tab the user leaves settles what its form still holds."""
        leave = getattr(self._tab_shown, "leave", None)
        if leave is not None:
            leave()

    def _refresh_status(self) -> None:
        """Recount off the UI thread (a large inventory takes a while); one count at a time,
        and one more if edits came in meanwhile."""
        if self.ef is None or self._closing:
            return
        if self._status_task is not None:
            self._status_stale = True
            return
        ef = self.ef
        self._status_stale = False
        task: worker.Task | None = None

        def done(counted: tuple[dict[str, Any], Any]) -> None:
            if task is self._status_task:  # a count of a file since closed is dropped
                self._show_status(counted)

        def failed(message: str) -> None:
            if task is self._status_task:
                self._status_task = None
                self.readiness_label.setText(message)  # the count failed, not a save

        from app.services import status  # every area's service: loaded after the first paint

        task = self._status_task = worker.start(
            lambda: _without_collector(lambda: status.counted(ef, check_attachments=False)),
            done,
            failed,
        )

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self._count_pending:
            QTimer.singleShot(0, self._start_pending_count)  # once the painting is done

    def _start_pending_count(self) -> None:
        if self._count_pending:
            self._count_pending = False
            self._refresh_status()

    def _show_status(self, counted: tuple[dict[str, Any], Any]) -> None:
        self._status_task = None
        if self._status_stale:
            self._refresh_status()
            return
        data, self._board = counted
        self._if_made_show_board()
        inv = data["impact_assessments"]
        gaps = sum(inv[k] for k in _INVENTORY_GAP_COUNTS["impact_assessments"])
        gaps += sum(data["inventory"][k] for k in _INVENTORY_GAP_COUNTS["inventory"])
        ctx = data["context"]
        context_gaps = ctx["requirements_undecided"] + ctx["obligations_without_owner"]
        context_gaps += 0 if ctx["climate_change_considered"] else 1
        from app.services.readiness.catalogue import FAILING  # loaded by the count

        failing = [g for g in data["gaps"][: len(FAILING)] if g["open"]]
        self.readiness_label.setText(
            f"Readiness {data['readiness_percent']:g}%  ·  "
            f"{len(failing)} of {len(FAILING)} audit-failing gaps open  ·  "
            f"{words.count(context_gaps, 'context gap')}  ·  "
            f"{words.count(data['inventory']['total'], 'AI system')}, "
            f"{words.count(gaps, 'inventory gap')}  ·  "
            f"{words.count(data['risks']['total'], 'risk')}, {data['risks']['untreated']} untreated"
        )

    def wait_until_loaded(self) -> None:
        """For screenshots and tests: let what loads off the UI thread finish."""
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()  # paints, and so queues the status count
        self._start_pending_count()  # started now, painted or not
        for tab in self._later_tabs():
            if tab.is_loading():
                loop = QEventLoop()
                tab.loaded.connect(loop.quit)
                loop.exec()
        while self._status_task is not None:
            self._status_task.wait()
            QCoreApplication.sendPostedEvents()  # deliver its result now

    def show_risk(self, risk_id: str) -> None:
        """Jump from a control in the SoA to a risk that selected it."""
        self.select_tab("risks")
        self.wait_until_loaded()
        self.risks_tab.select(risk_id)

    def _if_made_show_board(self) -> None:
        page = self._made.get("dashboard")
        if page is not None:
            cast("DashboardPage", page).show_board(self._board)

    def show_risk_cell(self, likelihood: int, impact: int) -> None:
        """The risks of one cell of the dashboard's heat map (inherent ratings)."""
        self.select_tab("risks")
        self.wait_until_loaded()
        tab = self.risks_tab
        tab.residual_radio.setChecked(False)
        tab.filter_cell((likelihood, impact))
        tab.table.setFocus()

    def show_point(self, point_id: str) -> None:
        """Jump from a control in the SoA to its checklist point."""
        self.select_tab("clauses")
        self.clauses_tab.select_point(point_id)

    def show_control(self, control_id: str) -> None:
        """Jump from a checklist point to its control's SoA line."""
        self.select_tab("soa")
        self.wait_until_loaded()
        self.soa_tab.select(control_id)

    def select_tab(self, name: str) -> None:
        if name not in TAB_NAMES:
            raise ValueError(name)
        if self.tabs.count():
            self.tabs.setCurrentIndex(TAB_NAMES.index(name))

    # actions
    def new_engagement(self) -> None:
        """The engagement's facts first (checked at each field), then where to save it."""
        checked: dict[str, object] = {}

        def check(values: dict[str, object]) -> None:
            checked.update({name: DETAIL_FIELDS[name].coerce(v) for name, v in values.items()})

        defaults = {
            "size": "mid",
            "stage1_date": dt.date.today() + dt.timedelta(days=180),
            "consultant": self.settings.consultant(),
        }
        form = FormDialog("New engagement", list(DETAIL_FIELDS.values()), defaults, check, self)
        _warn_of_past_stage1(form)
        if not dialogs.run_dialog(form):
            return
        values = checked
        path = dialogs.choose_save_path(
            self, "Save the new engagement as", f"{values['client']}.aims"
        )
        if path is None:
            return
        try:
            ef = create_engagement(path, **values)  # type: ignore[arg-type]
        except AimsError as exc:
            dialogs.error(self, "Cannot create engagement", exc.message)
            return
        self.settings.set_consultant(str(values.get("consultant") or ""))
        self.set_engagement(ef)

    def choose_and_open(self) -> None:
        path = dialogs.choose_open_path(self, "Open engagement")
        if path is not None:
            self.open_path(path)

    def open_demo(self) -> None:
        path = paths.demo_engagement_path()
        if not path.exists():
            from app.services.demo import create_demo  # the demo generator: only to make one

            try:
                create_demo(path).close()
            except AimsError as exc:
                dialogs.error(self, "Cannot create the demo", exc.message)
                return
        self.open_path(path)

    def open_last_or_demo(self) -> None:
        for path in self.settings.recent_files():
            if path.exists():
                self.open_path(path)
                return
        self.open_demo()

    def save_copy(self) -> None:
        if self.ef is None:
            return
        path = dialogs.choose_save_path(
            self, "Save a copy as", str(self.ef.path.with_name(f"{self.ef.path.stem} copy.aims"))
        )
        if path is None:
            return
        try:
            self.ef.save_copy(path, overwrite=True)  # the file dialog asked already
        except AimsError as exc:
            dialogs.error(self, "Copy not written", exc.message)
            return
        self.statusBar().showMessage(f"Copy written to {path}", 5000)

    def upgrade_catalog(self) -> None:
        if self.ef is None:
            return
        from app.services.catalog import upgrade as catalog_upgrade

        try:
            new = catalog_service.load_bundled()
            plan = catalog_upgrade.preview(self.ef, new)
        except AimsError as exc:
            dialogs.error(self, "Cannot upgrade the catalog", exc.message)
            return
        if not plan.has_changes:
            dialogs.info(
                self,
                "Catalog up to date",
                f"This engagement already uses catalog {plan.from_version}.",
            )
            return
        if not dialogs.confirm(self, "Upgrade catalog", plan.as_text() + "\n\nApply this upgrade?"):
            return
        try:
            catalog_upgrade.apply(self.ef, new)
        except AimsError as exc:
            dialogs.error(self, "Cannot upgrade the catalog", exc.message)
            return
        self._drop_tabs()  # rebuild the tabs over the new catalog
        self._show_engagement()

    def export_pack(self) -> None:
        """The Stage 1 pack as a PDF: sections and branding chosen, built off the UI thread."""
        if self.ef is not None:
            from app.views.pack.dialog import export_pack

            self._pack_task = export_pack(self, self.ef, self.undo_stack)

    def print_pack(self) -> None:
        if self.ef is not None:
            from app.views.pack.dialog import print_pack

            self._pack_task = print_pack(self, self.ef, self.undo_stack)

    def edit_details(self) -> None:
        """Client, size, certifications held, consultant, scope and Stage 1 date."""
        ef = self.ef
        if ef is None or ef.read_only:
            return
        current = {name: getattr(ef.details, name) for name in DETAIL_FIELDS}
        changed: list[dict[str, object]] = []

        def save(values: dict[str, object]) -> None:
            changed.append(ef.update_details(**values))
            changed.append(values)

        from app.views.common.people import PeopleNames

        people = PeopleNames(ef)  # the pack's approver is a person
        dialog = FormDialog(
            "Engagement details", list(DETAIL_FIELDS.values()), current, save, self, people
        )
        _warn_of_past_stage1(dialog)
        if not dialogs.run_dialog(dialog) or not changed or not changed[0]:
            return
        old, new = changed
        if "consultant" in new:
            self.settings.set_consultant(str(new["consultant"] or ""))

        def apply(values: dict[str, object]) -> Callable[[], None]:
            def run() -> None:
                try:
                    ef.update_details(**values)
                except AimsError as exc:
                    dialogs.error(self, "Could not undo or redo", exc.message)
                    STATUS.refused(exc.message)
                self._details_changed()

            return run

        self.undo_stack.push(AppliedCommand("Change engagement details", apply(old), apply(new)))
        self._details_changed()

    def _details_changed(self) -> None:
        if self.ef is None:
            return
        self.setWindowTitle(f"{self.ef.details.client} - AIMS Prep")
        self._show_banner()
        self.clauses_tab.refresh_panel()  # the ISO 27001 reuse hints follow the details
        self._if_made("inventory", "reload_if_shown")  # its gaps read when the AIMS began
        self._refresh_status()

    @property
    def workbooks(self):
        """Export and import; made on first use (openpyxl is slow to import at start-up)."""
        if self._workbooks is None:
            from app.views.workbook.actions import WorkbookActions

            self._workbooks = WorkbookActions(self, self.undo_stack, self._data_changed)
        return self._workbooks

    def _export_workbook(self) -> None:
        if self.ef is not None:
            self.workbooks.export(self.ef)

    def _import_workbook(self, path: Path | None = None) -> None:
        if self.ef is None:
            return
        if path is None:
            self.workbooks.choose_and_import(self.ef)
        else:
            self.workbooks.preview(self.ef, path)

    def _data_changed(self) -> None:
        """After an import (or its undo) every tab may show changed items."""
        if self.ef is None:
            return
        self.clauses_tab.model.update_rows(requirements.list_points(self.ef))
        self.clauses_tab.refresh_panel()
        for tab in self._later_tabs():  # one made later loads what the file holds then
            tab.reload_if_shown()
        self._refresh_status()

    def _find(self) -> None:
        if self.ef is not None:
            self.tabs.currentWidget().focus_search()

    def search_all(self) -> None:
        """One search across every register; the hit chosen opens in its area."""
        if self.ef is None:
            return
        from app.views.common.search_dialog import SearchDialog

        self.search_dialog = SearchDialog(self.ef, self.open_item, self)
        dialogs.run_dialog(self.search_dialog)

    def open_item(self, kind: str, item_id: str) -> None:
        """Show an item of any area: its tab, with the item selected."""
        if kind == "requirements":
            self.show_point(item_id)
            return
        tab = self._register_tab(kind)
        tab.select(item_id)
        tab.table.setFocus()

    def show_items(self, kind: str, ids: Sequence[str], why: str) -> None:
        """The items behind a dashboard figure or gap, in their area, the others hidden
        until the user shows all again; with no items, the area itself."""
        if kind == "requirements":
            self.select_tab("clauses")
            if ids:
                self.clauses_tab.show_only(ids, why)
            self.clauses_tab.tree.setFocus()
            return
        if kind == "required_documents":  # the documented information the standard asks for
            self.select_tab("documents")
            self.documents_tab.show_required()
            return
        tab = self._register_tab(kind)
        if ids:
            tab.show_only(ids, why)
        tab.table.setFocus()

    def show_points(self, *, owner: str = "", clause: str = "") -> None:
        """The checklist filtered to an owner's or a clause's points (from the dashboard)."""
        self.select_tab("clauses")
        self.clauses_tab.show_filtered(owner=owner, clause=clause)
        self.clauses_tab.tree.setFocus()

    def _register_tab(self, kind: str) -> RegisterTab:
        """The tab of an area or a described register, brought to the front and loaded."""
        from app.services.context.registers import REGISTERS as CONTEXT
        from app.services.evaluation.registers import REGISTERS as EVALUATION
        from app.services.people.registers import REGISTERS as PEOPLE

        pages = {"context": CONTEXT, "people": PEOPLE, "evaluation": EVALUATION}
        page = next((p for p, regs in pages.items() if kind in {r.key for r in regs}), "")
        tab: RegisterTab
        if page:  # a page of registers: the register's own tab on it
            self.select_tab(page)
            tab = cast("RegistersPage", self._later_tab(page)).show_register(kind)
        elif kind == "documents":
            self.select_tab("documents")
            tab = self.documents_tab.show_register(kind)
        else:  # only the tab of the hit is made
            self.select_tab(kind)
            tab = getattr(self, f"{kind}_tab")
        self.wait_until_loaded()
        return tab

    def show_help(self) -> None:
        """Getting started and the keyboard shortcuts (F1)."""
        from app.views.common.help import HelpDialog

        dialogs.run_dialog(HelpDialog(self.menuBar().actions(), self))

    def _about(self) -> None:
        bundled = catalog_service.load_bundled().version
        used = self.ef.catalog.version if self.ef is not None else bundled
        catalog = f"Catalog {used}" + (
            f" (this engagement; the app brings {bundled})" if used != bundled else ""
        )
        dialogs.info(
            self,
            "About AIMS Prep",
            f"AIMS Prep {app.__version__}\n"
            f"{catalog}\n\n"
            "Preparing organizations for ISO/IEC 42001 certification.\n"
            "Works offline; one file per client engagement.\n\n"
            "AIMS Prep is an independent product. It is not affiliated with, endorsed by or "
            "sponsored by ISO or IEC; the checklist is written in its own words and does not "
            "reproduce the standard. Buy the standard from ISO or your national body.",
        )

    # window events
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            from app.services.workbook.read import SUFFIXES

            path = Path(urls[0].toLocalFile())
            if path.suffix.lower() in SUFFIXES or path.suffix.lower() == ".xls":
                self._import_workbook(path)  # a workbook dropped on the window is imported
            else:
                self.open_path(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.set_geometry(self.saveGeometry())
        self.close_engagement()
        super().closeEvent(event)


def _without_collector(count: Callable[[], Any]) -> Any:
    """The count of a large engagement makes a million short-lived objects: the collector's
    full passes over them, each holding the interpreter, froze the window for up to 0.7 s.
    They go by reference counting once the count is done; the collector waits until then."""
    with bulk.no_cycle_collection():
        return count()


def _warn_of_past_stage1(dialog: FormDialog) -> None:
    """A note in the details form while its Stage 1 date is in the past (saving stays
    allowed: the consultant may be recording what happened)."""
    note = QLabel(wordWrap=True)
    note.setStyleSheet(BANNER_STYLE)
    dialog.layout().insertWidget(1, note)

    def check() -> None:
        try:
            day = DETAIL_FIELDS["stage1_date"].coerce(dialog.form.value("stage1_date"))
        except AimsError:
            day = None
        late = stage1_warning(day if isinstance(day, dt.date) else None)
        note.setText(late)
        note.setVisible(bool(late))

    dialog.form.edited.connect(lambda name, _v: check() if name == "stage1_date" else None)
    check()
