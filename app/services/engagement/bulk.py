"""Many new rows inserted at once (an import of 200,000 rows): plain rows, a chunk at a time,
with SQLAlchemy Core in the session's transaction, instead of one ORM object and one flush
each. Services check every item first, exactly as they check one; only the writing is bulk."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

CHUNK = 5_000  # items held before they are inserted


class Inserts:
    """Rows of several tables, inserted in the order the tables were first given (so the
    rows an item's links and history name go in first)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[type[Any], list[Mapping[str, object]]] = {}
        self.items = 0

    def add(self, model: type[Any], *rows: Mapping[str, object]) -> None:
        self.rows.setdefault(model, []).extend(rows)

    def item_done(self) -> None:
        """One more item held: a full chunk is inserted."""
        self.items += 1
        if self.items >= CHUNK:
            self.flush()

    def flush(self) -> None:
        self.session.flush()  # what the session holds goes first (a new category)
        connection = self.session.connection()
        for model, rows in self.rows.items():
            if rows:
                connection.execute(insert(model.__table__), rows)
                rows.clear()
        self.items = 0


_pause = threading.Lock()
_paused = [0, False]  # how many blocks are in `no_cycle_collection`; was it on before them


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Python's collector of reference cycles paused for a block that makes millions of
    objects that all stay alive (an import's plan and rows): it would walk them again and
    again, finding nothing, for a fifth to a third of the import's time. Freed objects are
    still freed at once; cycles made meanwhile wait for the collector's next pass after the
    last block ends."""
    with _pause:
        if _paused[0] == 0:
            _paused[1] = gc.isenabled()
            gc.disable()
        _paused[0] += 1
    try:
        yield
    finally:
        with _pause:
            _paused[0] -= 1
            if _paused[0] == 0 and _paused[1]:
                gc.enable()
