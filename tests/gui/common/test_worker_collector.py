"""Python's cycle collector never runs in a worker: there it could destroy a Qt object the UI
thread left in a cycle, which crashes the process (seen once in a test run, in a risks load)."""

from __future__ import annotations

import gc

from PySide6.QtWidgets import QDialog

from app.services.engagement import bulk
from app.views.common import worker


def test_the_collector_waits_while_a_task_runs_and_comes_back_after(qtbot):
    assert gc.isenabled()
    dialog = QDialog()
    dialog.me = dialog  # a Qt object in a cycle: only the collector frees it
    del dialog
    seen: dict[str, object] = {}

    def load() -> tuple[bool, int]:
        made = [[n] for n in range(200_000)]  # allocations that would trigger a collection
        return gc.isenabled(), len(made)

    task = worker.start(load, lambda result: seen.update(done=result), print)
    qtbot.waitUntil(lambda: "done" in seen and task.ended.is_set())
    assert seen["done"] == (False, 200_000)
    assert gc.isenabled()  # on again for the UI thread once no task runs


def test_turning_the_collector_on_during_a_paused_block_waits_for_its_end():
    was = gc.isenabled()
    gc.disable()
    try:
        with bulk.no_cycle_collection():
            bulk.allow_cycle_collection()
            assert not gc.isenabled()
        assert gc.isenabled()
    finally:
        if not was:
            gc.disable()
