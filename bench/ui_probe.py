"""Run inside a fresh process by bench/inventory.py: open an engagement in the real window and
report, for each user action, the longest time the Qt event loop went without running.

A 2 ms heartbeat timer notes when it fires; the largest gap between two beats while an action
runs is how long the window was frozen (it could not repaint or take input)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer

import app.services.status  # noqa: F401  (services before Qt, as the app does)
from app.services.engagement.file import open_engagement
from app.views.app import make_app
from app.views.main_window import MainWindow


class Heartbeat:
    def __init__(self) -> None:
        self.timer = QTimer(interval=2)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._beat)
        self.last = time.perf_counter()
        self.worst = 0.0

    def _beat(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def measure(self, action, until) -> float:
        """Longest gap from starting `action` (inside the loop) until `until()` holds."""
        loop = QEventLoop()
        self.worst, self.last = 0.0, time.perf_counter()
        self.timer.start()
        QTimer.singleShot(0, action)
        poll = QTimer(interval=5)
        poll.timeout.connect(lambda: loop.quit() if until() else None)
        poll.start()
        loop.exec()
        poll.stop()
        self.timer.stop()
        return self.worst


def _measure_tab(beat: Heartbeat, window, name: str, sort_column: int, text: str, tab=None) -> dict:
    """Open a tab (it loads when first shown), sort one column, filter by text."""
    tab = tab or getattr(window, f"{name}_tab")
    results = {}
    results[f"open the {name.title()} tab"] = beat.measure(
        lambda: window.select_tab(name), lambda: tab._started and not tab.is_loading()
    )
    rows = tab.model.rowCount()
    done = {"sorted": False}

    def sort() -> None:
        tab.table.sortByColumn(sort_column, Qt.SortOrder.DescendingOrder)
        done["sorted"] = True

    results["sort a column"] = beat.measure(sort, lambda: done["sorted"])
    results["filter by text"] = beat.measure(
        lambda: tab.search.setText(text),
        lambda: not tab._search_timer.isActive() and tab.model.rowCount() < rows,
    )
    return {"rows": rows, "blocked_s": results, "tab": tab}


def _measure_attach(beat: Heartbeat, window, source: Path) -> dict:
    """Attach one large file to the first document through the Documents tab's panel."""
    from app.views.common import dialogs

    dialogs.confirm = lambda *_a: True  # the size question is answered yes
    page = window.documents_tab
    window.select_tab("documents")
    window.wait_until_loaded()
    register = page.register_tab
    register.select("DOC-010")  # the demo's AI policy
    panel = register.attachments
    before = panel.list.topLevelItemCount()
    blocked = beat.measure(
        lambda: panel.attach_files([source]),
        lambda: panel.list.topLevelItemCount() > before,
    )
    return {"rows": 1, "blocked_s": {f"attach {source.stat().st_size >> 20} MB": blocked}}


def _measure_audits(beat: Heartbeat, window) -> dict:
    """The Evaluation tab on its Audits, then one audit's checklist on the lines' tab."""
    page = window.evaluation_tab
    audits = page.show_register("audits")  # shown when the Evaluation tab opens
    report = _measure_tab(beat, window, "evaluation", 1, "generated audit 19", audits)
    lines = page.registers["audit_lines"]
    results = report["blocked_s"]
    results["open an audit's checklist (200 lines)"] = beat.measure(
        lambda: (lines.show_audit("AUD-0007"), page.show_register("audit_lines")),
        lambda: lines._started and not lines.is_loading() and lines.model.rowCount() > 0,
    )
    rows = lines.model.rowCount()
    results["filter the checklist by text"] = beat.measure(
        lambda: lines.search.setText("generated line 1"),
        lambda: not lines._search_timer.isActive() and lines.model.rowCount() < rows,
    )
    return report


def _measure_dashboard(beat: Heartbeat, window) -> dict:
    """An edit on the checklist, then the count off the UI thread until the dashboard shows
    it: the window must keep painting while every rule and figure is recomputed."""
    from app.services.clauses import requirements

    page = window.dashboard_tab
    window.select_tab("dashboard")
    window.wait_until_loaded()
    tab = window.clauses_tab
    point = next(iter(tab.model.point_ids()))
    before = page.board
    results = {}
    now = requirements.get_point(window.ef, point).status
    other = "in_progress" if now != "in_progress" else "implemented"

    def edit() -> None:  # a status that differs, so the edit is saved and counted
        tab.select_point(point)
        tab.set_selected("status", other)

    results["an edit, then the dashboard recounted"] = beat.measure(
        edit, lambda: window._status_task is None and page.board is not before
    )
    return {"blocked_s": results}


def main(path: str, tab_name: str) -> None:
    app = make_app()  # the app's own settings (GIL slice, style)
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    beat = Heartbeat()
    ef = open_engagement(Path(path), read_only=tab_name not in ("attach", "dashboard"))
    window.set_engagement(ef, remember=False)  # opens on the Clauses tab
    window.wait_until_loaded()
    if tab_name == "inventory":
        report = _measure_tab(beat, window, "inventory", 1, "ranking")
    elif tab_name == "documents":
        register = window.documents_tab.register_tab
        report = _measure_tab(beat, window, "documents", 1, "generated document 1", register)
    elif tab_name == "audits":
        report = _measure_audits(beat, window)
    elif tab_name == "dashboard":
        report = _measure_dashboard(beat, window)
    elif tab_name == "attach":
        report = _measure_attach(beat, window, Path(sys.argv[3]))
    else:
        report = _measure_tab(beat, window, "risks", 3, "generated risk 1")
        tab = report["tab"]
        tab.search.setText("")
        tab.filter(text="")
        done = {"drawn": False}

        def redraw() -> None:
            tab.residual_radio.setChecked(True)  # recounts every risk and repaints
            tab.heat_map.repaint()
            done["drawn"] = True

        report["blocked_s"]["redraw the heat map"] = beat.measure(redraw, lambda: done["drawn"])
    report.pop("tab", None)
    print(json.dumps(report))
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
