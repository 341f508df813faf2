"""Nothing fails silently: whether the last edit is saved, and what happens to an error that
escapes a Qt slot or a worker's callback (shown, logged, and the status bar stops saying
"All changes saved" until the next save that truly commits).

One object for the whole window on purpose: an exception can come from any slot, and the
status bar must hear of every refused or lost edit, wherever it happened."""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal

from app import paths


class SaveStatus(QObject):
    """What the status bar says about saving. Commits are reported by the engagement file
    (from any thread); refusals, pending edits and crashes by the views."""

    changed = Signal()
    _committed = Signal()  # a commit on a worker thread is heard on the UI thread
    _crashed = Signal(str, str)

    def __init__(self) -> None:
        super().__init__()
        self.failure = ""  # the last edit that was not saved, until the next commit
        self._pending: dict[int, str] = {}
        self._committed.connect(self._on_commit, Qt.ConnectionType.AutoConnection)
        self._crashed.connect(self._show_crash, Qt.ConnectionType.AutoConnection)

    # reported
    def committed(self) -> None:
        """A write transaction committed (called by EngagementFile, on any thread)."""
        self._committed.emit()

    def refused(self, message: str) -> None:
        """An edit was refused or failed: nothing of it was saved."""
        self.failure = message
        self.changed.emit()

    def set_pending(self, owner: object, message: str | None) -> None:
        """A form holds an edit it cannot save yet (a pair half filled); None: no longer."""
        if message:
            self._pending[id(owner)] = message
        else:
            self._pending.pop(id(owner), None)
        self.changed.emit()

    def reset(self) -> None:
        """A new engagement on screen: nothing pending, nothing failed."""
        self.failure = ""
        self._pending.clear()
        self.changed.emit()

    def _on_commit(self) -> None:
        self.failure = ""
        self.changed.emit()

    # shown
    @property
    def warning(self) -> bool:
        return bool(self.failure or self._pending)

    def text(self) -> str:
        if self._pending:
            return "Not saved yet: " + next(iter(self._pending.values()))
        if self.failure:
            return "Last change NOT saved: " + self.failure
        return "All changes saved"

    # crashes
    def crash(self, what: str, details: str) -> None:
        """A bug stopped an action: tell the user (on the UI thread), mark the status."""
        self._crashed.emit(what, details)

    def _show_crash(self, what: str, details: str) -> None:
        from app.views.common import dialogs

        self.refused(what)
        dialogs.error(
            None,
            "Something went wrong",
            f"{what}\n\nThe change you were making was not saved. Check the value on "
            f"screen and enter it again.\n\nThe details are in {details}; please send that "
            "file with a report.",
        )


STATUS = SaveStatus()


def log_path() -> Path:
    return paths.error_log_path()


def _logger() -> logging.Logger:
    log = logging.getLogger("aims_prep.errors")
    if not log.handlers:
        from logging.handlers import RotatingFileHandler  # on the first error, not at start-up

        handler = RotatingFileHandler(log_path(), maxBytes=1_000_000, backupCount=2)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.ERROR)
        log.propagate = False
    return log


def describe(exc: BaseException, tb: TracebackType | None) -> str:
    """What failed, in one line: the exception and where in the app it was raised."""
    where = ""
    for frame in traceback.extract_tb(tb):
        if "/app/" in frame.filename.replace("\\", "/"):
            where = f" in {Path(frame.filename).stem}.{frame.name}"
    return f"An unexpected error ({type(exc).__name__}{where}: {exc}) stopped the last action."


def report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log an error that escaped a slot or a callback, and show it."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    try:
        _logger().error("%s  %s", dt.datetime.now().isoformat(timespec="seconds"), text)
        where = str(log_path())
    except OSError:
        where = "the terminal output (the log file could not be written)"
    STATUS.crash(describe(exc, tb), where)


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """sys.excepthook of the window: report, then let the previous hook print it too."""
    if not issubclass(exc_type, KeyboardInterrupt):
        report(exc_type, exc, tb)
    _previous(exc_type, exc, tb)


_previous = sys.excepthook


def install() -> None:
    global _previous
    if sys.excepthook is not excepthook:
        _previous = sys.excepthook
        sys.excepthook = excepthook
