"""Many new rows inserted at once (an import of 200,000 rows): plain rows, a chunk at a time,
in the session's transaction, instead of one ORM object and one flush each. Services check
every item first, exactly as they check one; only the writing is bulk."""

from __future__ import annotations

import gc
import operator
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Boolean, Connection, Table, insert
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
                insert_rows(connection, model.__table__, rows)
                rows.clear()
        self.items = 0


def insert_rows(connection: Connection, table: Table, rows: Sequence[Mapping[str, object]]) -> None:
    """Insert rows that all name the same columns (the table's scalar defaults fill the
    others), as the Core `insert()` of them would store them: each value through its column
    type's conversion (dates, times), but in one executemany of plain tuples, without the
    per-row parameter processing of a compiled statement (a third of a bulk import's time)."""
    keys = list(rows[0])
    given = set(keys)
    rest = [c for c in table.columns if c.key not in given and c.default is not None]
    if any(not getattr(c.default, "is_scalar", False) for c in rest):
        connection.execute(insert(table), list(rows))  # a default computed per row
        return
    columns = [table.c[k] for k in keys] + rest
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(c.name) for c in columns)}) VALUES ({', '.join('?' * len(columns))})"
    )
    pick: Callable[[Mapping[str, object]], tuple[object, ...]] = (
        operator.itemgetter(*keys) if len(keys) > 1 else lambda row: (row[keys[0]],)
    )
    defaults = tuple(getattr(c.default, "arg", None) for c in rest)
    values = [pick(row) + defaults for row in rows]
    for i, column in enumerate(columns):
        bind = column.type._cached_bind_processor(dialect)
        if bind is None:
            continue
        # a boolean goes in as the integer the type makes of it: the driver does the same
        plain = bool if isinstance(column.type, Boolean) else type(None)
        if all(v[i] is None or type(v[i]) is plain for v in values):
            continue
        convert = once_per_value(bind)
        values = [v if v[i] is None else (*v[:i], convert(v[i]), *v[i + 1 :]) for v in values]
    connection.exec_driver_sql(sql, values)


def once_per_value(function: Callable[[Any], Any], limit: int = 10_000) -> Callable[[Any], Any]:
    """`function` (pure, its results never changed by the caller) called once per distinct
    value, up to `limit` of them: the many rows of an import repeat a few ratings, choices,
    dates and times. What it raises is never remembered (each refusal raises its own)."""
    seen: dict[tuple[type, object], object] = {}

    def once(value: object) -> object:
        key = (type(value), value)  # 1, 1.0 and True are equal, but not the same cell
        try:
            return seen[key]
        except KeyError:
            found = function(value)
            if len(seen) < limit:
                seen[key] = found
            return found
        except TypeError:  # not hashable
            return function(value)

    return once


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


def allow_cycle_collection() -> None:
    """The collector turned on: now, or when the last paused block ends (turning it on in
    the middle of one would let it run in that block's thread)."""
    with _pause:
        if _paused[0]:
            _paused[1] = True
        else:
            gc.enable()
