"""Runs slow service calls off the UI thread.

A task is a plain callable, or a generator that yields progress tuples (done, total, message)
and returns its result; Cancel stops a generator at its next yield. Results and errors come
back as signals on the UI thread. Nothing is swallowed: an unexpected error reaches the
excepthook like any other bug, and the caller's error callback."""

from __future__ import annotations

import contextlib
import inspect
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.services.engagement import bulk
from app.services.engagement.errors import AimsError


class _Signals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    crashed = Signal(object)
    cancelled = Signal()
    released = Signal()


class Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self._cancel = False
        self.ended = threading.Event()
        self.setAutoDelete(False)  # Python owns it: _RUNNING keeps it alive while it runs

    def cancel(self) -> None:
        self._cancel = True

    def wait(self, seconds: float = 30.0) -> bool:
        """Block until the task has ended (used before closing the file it reads)."""
        return self.ended.wait(seconds)

    def run(self) -> None:
        try:
            # The collector runs in whichever thread allocates past its threshold: here it
            # could destroy a Qt object the UI thread left in a cycle (a closed dialog), which
            # kills the process. It waits while any task runs and collects on the UI thread.
            with bulk.no_cycle_collection():
                self._run()
        except RuntimeError as exc:
            # The window that asked went away (closed, or the app is quitting) while the task
            # ran: there is nobody left to report to.
            if "deleted" not in str(exc):
                raise
        finally:
            self.ended.set()
            with contextlib.suppress(RuntimeError):  # the app is quitting
                self.signals.released.emit()

    def _run(self) -> None:
        try:
            result = self.fn()
            if inspect.isgenerator(result):
                result = self._drive(result)
                if result is _CANCELLED:
                    self.signals.cancelled.emit()
                    return
        except AimsError as exc:
            self.signals.failed.emit(exc.message)
            return
        except Exception as exc:  # a bug: hand it to the UI thread, which raises it
            self.signals.crashed.emit(exc)
            return
        self.signals.finished.emit(result)

    def _drive(self, gen: Any) -> Any:
        try:
            while True:
                done, total, message = next(gen)
                if self._cancel:
                    gen.close()
                    return _CANCELLED
                self.signals.progress.emit(done, total, message)
        except StopIteration as stop:
            return stop.value


_CANCELLED = object()
# A QRunnable collected by Python while a pool thread runs it crashes the process; every task
# stays referenced here until it has finished (dropped on the UI thread).
_RUNNING: set[Task] = set()


def _report(exc: BaseException, on_error: Callable[[str], None]) -> None:
    """A bug in a task: the traceback goes where every uncaught error goes, and the window
    hears of it like of any failure (raising inside a Qt slot can take the process down)."""
    sys.excepthook(type(exc), exc, exc.__traceback__)
    on_error(f"Unexpected error: {exc}. Please report it; your data was not changed by it.")


def start(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[str], None],
    on_progress: Callable[[int, int, str], None] | None = None,
) -> Task:
    """Run `fn` on the global pool; the callbacks run on the UI thread."""
    task = Task(fn)
    _RUNNING.add(task)
    task.signals.released.connect(lambda: _RUNNING.discard(task))
    task.signals.finished.connect(on_done)
    task.signals.failed.connect(on_error)
    task.signals.crashed.connect(lambda exc: _report(exc, on_error))
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    QThreadPool.globalInstance().start(task)
    return task
