"""Many new rows inserted at once (an import of 200,000 rows): plain rows, a chunk at a time,
with SQLAlchemy Core in the session's transaction, instead of one ORM object and one flush
each. Services check every item first, exactly as they check one; only the writing is bulk."""

from __future__ import annotations

from collections.abc import Mapping
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
