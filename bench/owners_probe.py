"""Run inside a fresh process by bench/owners.py: with 5,000 people and the large generated
engagement, how long the window freezes while the People tab opens and filters, and while
owners of every area are matched to people (off the UI thread, with progress)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import app.services.status  # noqa: F401  (services before Qt, as the app does)
from app.services.engagement.file import open_engagement
from app.views.app import make_app
from app.views.common import dialogs
from app.views.main_window import MainWindow
from bench.ui_probe import Heartbeat, _measure_tab


def _match(beat: Heartbeat, window) -> dict:
    dialogs.info = lambda *_a: None  # the report's message box would wait for a click
    window.select_tab("people")
    window.wait_until_loaded()
    action = window.people_tab.match_owners
    steps: list[int] = []
    start = time.perf_counter()

    def begin() -> None:
        action.run(False)
        action.task.signals.progress.connect(lambda done, _t, _m: steps.append(done))

    blocked = beat.measure(begin, lambda: action.task is None and action.report is not None)
    took = time.perf_counter() - start
    report = action.report
    return {
        "rows": report.items,
        "blocked_s": {f"match owners of {report.items:,} items": blocked},
        "took_s": took,
        "progress_updates": len(steps),
        "respelled": report.respelled,
    }


def _owner_field(beat: Heartbeat, window) -> dict:
    """An owner field of the Risks tab: the focus reads the 5,000 names, typing filters them."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    tab = window.risks_tab
    window.select_tab("risks")
    window.wait_until_loaded()
    tab.select(tab.model.id_at(0))
    line = tab.form.editors["owner"]
    popup = line.completer().popup()
    results = {}
    done = {"focused": False}

    def focus() -> None:
        line.setFocus(Qt.FocusReason.TabFocusReason)
        done["focused"] = True

    names = line.completer().model()
    results["focus an owner field, 5,000 names read"] = beat.measure(
        focus, lambda: done["focused"] and names.rowCount() > 0
    )

    def type_name() -> None:
        QTest.keyClicks(line, "person 0001")

    results["type a name, people offered"] = beat.measure(type_name, popup.isVisible)
    return {"rows": line.completer().model().rowCount(), "blocked_s": results}


def _delete(beat: Heartbeat, window) -> dict:
    """Delete pressed on a person who owns items: what they hold and own is read (every
    register, for their name) before the question; the question is answered No."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from app.services.people.registers import PEOPLE

    asked: list[str] = []
    dialogs.confirm = lambda _p, _t, text: asked.append(text) or False
    window.select_tab("people")
    window.wait_until_loaded()
    tab = window.people_tab.show_register(PEOPLE.key)
    beat.measure(lambda: None, lambda: tab._started and not tab.is_loading())
    tab.select(tab.model.id_at(0))
    tab.table.setFocus()
    blocked = beat.measure(
        lambda: QTest.keyClick(tab.table, Qt.Key.Key_Delete), lambda: bool(asked)
    )
    return {"rows": tab.model.rowCount(), "blocked_s": {"delete a person who owns items": blocked}}


def main(path: str, mode: str) -> None:
    app = make_app()
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    beat = Heartbeat()
    ef = open_engagement(Path(path), read_only=mode == "people")
    window.set_engagement(ef, remember=False)
    window.wait_until_loaded()
    if mode == "match":
        report = _match(beat, window)
    elif mode == "owner_field":
        report = _owner_field(beat, window)
    elif mode == "delete":
        report = _delete(beat, window)
    else:
        page = window.people_tab
        tab = next(iter(page.registers.values()), None)
        if tab is None:  # the People registers are not described yet
            report = {"rows": 0, "blocked_s": {}}
        else:
            report = _measure_tab(beat, window, "people", 1, "person 0001", tab)
            report.pop("tab", None)
    print(json.dumps(report))
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
