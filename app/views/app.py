"""Starting the window: the GUI entry point, the bundle's smoke test, and screenshots."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QMessageLogContext,
    QObject,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication

from app import paths
from app.services.engagement import bulk
from app.services.engagement.errors import FieldError, FileWriteError
from app.services.engagement.file import open_engagement
from app.views.common import guard
from app.views.main_window import MainWindow
from app.views.tab_names import TAB_TITLES


def make_app() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setOrganizationName(paths.ORG_NAME)
    QApplication.setApplicationName(paths.APP_NAME)
    # Fusion given as a start-up option, not by setStyle(): that returns the style to Python,
    # and building QStyle's Python type (its many enums) costs the first paint ~5 ms.
    app = QApplication([*sys.argv[:1], "-style", "Fusion"])
    # Workers run Python too; a shorter GIL slice lets the UI thread in more often while they
    # load thousands of rows (the default 5 ms slice shows up as stutter).
    sys.setswitchinterval(0.001)
    # Everything imported so far lives as long as the app: keep it out of the collector's
    # full passes, which otherwise freeze the window for ~100 ms while a worker loads rows.
    gc.freeze()
    return app


def run(path: Path | None, smoke: bool = False) -> int:
    app = make_app()
    if smoke:
        return _smoke(app, path)
    guard.install()  # an error in any slot is shown, logged, and the status bar warns
    window = MainWindow()
    painted = _FirstPaint()
    window.installEventFilter(painted)
    window.show()
    QTimer.singleShot(3000, collect_from_now)  # a window that never paints (minimised)
    if path is not None:
        window.open_path(path)
    else:
        window.open_last_or_demo()
    return app.exec()


class _FirstPaint(QObject):
    """Notes when the window first paints (the start-up benchmark's end point), and lets the
    garbage collector run from then on: the gui command holds it off while starting, when
    nearly every object made is one the app keeps (modules, the catalog, the first page)."""

    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.at is None and event.type() == QEvent.Type.Paint:
            self.at = time.time()
            collect_from_now()
        return False


def collect_from_now() -> None:
    if not gc.isenabled():
        gc.freeze()  # what start-up made stays out of the collector's full passes
        bulk.allow_cycle_collection()


def _smoke(app: QApplication, path: Path | None) -> int:
    """Open the window on a file (or a fresh demo), paint it once, exit 0: proves a build
    works. With AIMS_BENCH_T0 (the epoch time the process was started) it also prints how
    long the process took to paint the window on that engagement."""
    with tempfile.TemporaryDirectory() as folder:
        if path is not None:
            ef = open_engagement(path)
        else:
            from app.services.demo import create_demo  # only without a file to open

            ef = create_demo(Path(folder) / "smoke.aims")
        window = MainWindow()
        painted = _FirstPaint()
        window.installEventFilter(painted)
        window.set_engagement(ef, remember=False)
        window.show()
        QTimer.singleShot(0, lambda: app.exit(0))  # quit() would close the window first
        app.exec()
        ok = window.isVisible() and window.clauses_tab.model.rowCount() > 0
        ok = ok and painted.at is not None
        started = os.environ.get("AIMS_BENCH_T0")
        if started and painted.at is not None:
            print(f"painted_after_s={painted.at - float(started):.4f}")
        window.close()
    print("smoke test passed" if ok else "smoke test FAILED")
    return 0 if ok else 1


def screenshot(
    path: Path, tab: str, output: Path, size: tuple[int, int], select: str | None = None
) -> None:
    """The window as a consultant sees it at work: on a copy of the file, opened for
    editing (the forms show enabled), with `select` (a point, system, risk or control)
    chosen. Qt's notes about the offscreen platform are not the user's business: silenced."""
    previous = qInstallMessageHandler(_quiet)
    try:
        _screenshot(path, tab, output, size, select)
    finally:
        qInstallMessageHandler(previous)


def _quiet(mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    if mode in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        sys.stderr.write(message + "\n")


def _screenshot(
    path: Path, tab: str, output: Path, size: tuple[int, int], select: str | None
) -> None:
    app = make_app()
    open_engagement(path, read_only=True).close()  # errors reach the CLI before any window
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        ef = open_engagement(copy)
        window = MainWindow()
        window.resize(*size)
        window.set_engagement(ef, remember=False)
        window.file_label.setText(str(path))  # the file shown, not its copy
        window.select_tab(tab)
        window.show()
        window.wait_until_loaded()
        if select:
            _select(window, tab, select)
        QTimer.singleShot(0, lambda: app.exit(0))  # quit() would close the window first
        app.exec()
        image = window.grab()
        window.close_engagement()
        window.close()
    if not image.save(str(output), "PNG"):
        raise FileWriteError(f"Could not write {output}; check the folder exists and is writable.")


def _select(window: MainWindow, tab: str, item: str) -> None:
    if tab == "clauses":
        window.clauses_tab.select_point(item)
        found = window.clauses_tab.selected_ids() == [item]
    elif tab in ("context", "people", "evaluation"):  # the register whose list holds the ID
        found = False
        page = getattr(window, f"{tab}_tab")
        for key in page.registers:
            shown = page.show_register(key)
            window.wait_until_loaded()
            shown.select(item)
            if shown.current == item:
                found = True
                break
    else:
        register = getattr(window, f"{tab}_tab")  # only this tab is made
        if tab == "documents":
            register = register.register_tab
        window.wait_until_loaded()
        register.select(item)
        found = register.current == item
    if not found:
        window.close_engagement()
        raise FieldError("select", f"There is no {item} in the {TAB_TITLES[tab]} tab.")
