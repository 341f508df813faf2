"""Undo steps for edits. The service call happens before the push (so a refused value never
enters the stack); redo() skips that first run and replays on later redos."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtGui import QUndoCommand

Apply = Callable[[str, Mapping[str, object]], object]


class SetFieldCommand(QUndoCommand):
    def __init__(
        self,
        apply: Apply,
        field: str,
        old: Mapping[str, object],
        new: Mapping[str, object],
        text: str,
    ) -> None:
        super().__init__(text)
        self._apply = apply
        self._field = field
        self._old = dict(old)
        self._new = dict(new)
        self._done_once = True

    def redo(self) -> None:
        if self._done_once:
            self._done_once = False
            return
        self._apply(self._field, self._new)

    def undo(self) -> None:
        self._apply(self._field, self._old)
