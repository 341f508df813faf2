"""Undo steps. Each edit is applied through a service before it is pushed (so a refused
value never enters the stack); redo() skips that first run and replays on later redos."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand


class AppliedCommand(QUndoCommand):
    def __init__(self, text: str, undo: Callable[[], None], redo: Callable[[], None]) -> None:
        super().__init__(text)
        self._undo = undo
        self._redo = redo
        self._done_once = True

    def redo(self) -> None:
        if self._done_once:
            self._done_once = False
            return
        self._redo()

    def undo(self) -> None:
        self._undo()
