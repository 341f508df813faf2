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
from app.services.engagement_file import open_engagement
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


def main(path: str) -> None:
    app = make_app()  # the app's own settings (GIL slice, style)
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    beat = Heartbeat()
    ef = open_engagement(Path(path), read_only=True)
    window.set_engagement(ef, remember=False)  # opens on the Clauses tab
    window.wait_until_loaded()
    results = {}
    results["open the Inventory tab"] = beat.measure(
        lambda: window.select_tab("inventory"),
        lambda: window.inventory_tab._started and not window.inventory_tab.is_loading(),
    )
    tab = window.inventory_tab
    rows = tab.model.rowCount()
    done = {"sorted": False}

    def sort() -> None:
        tab.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        done["sorted"] = True

    results["sort by name"] = beat.measure(sort, lambda: done["sorted"])

    def search() -> None:
        tab.search.setText("ranking")

    results["filter by text"] = beat.measure(
        search, lambda: not tab._search_timer.isActive() and tab.model.rowCount() < rows
    )
    print(
        json.dumps(
            {
                "blocked_s": results,
                "rows": rows,
            }
        )
    )
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main(sys.argv[1])
