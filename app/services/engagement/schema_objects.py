"""Database objects in an engagement file that AIMS Prep did not create.

Consultants receive files from others. A trigger planted in a file runs on the next write (it
could empty the history or rewrite the client's name), and a view or a stranger's table is
no part of an engagement. Such a file is opened read-only with the reason, before any write
or upgrade can run."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

from app.models import Base

# SQLite's own: AUTOINCREMENT counters and ANALYZE statistics.
_SQLITE_TABLES = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}


def _known() -> tuple[set[str], set[str]]:
    # Every format's tables are still in the models (no step has dropped one).
    tables = set(Base.metadata.tables) | _SQLITE_TABLES
    indexes = {str(ix.name) for t in Base.metadata.tables.values() for ix in t.indexes if ix.name}
    return tables, indexes


def foreign_objects(path: Path) -> list[str]:
    """Each object the app did not create, as "trigger 'x' on history"; empty when clean.
    Read from sqlite_master over a read-only connection: nothing in the file runs."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=5)
    try:
        rows = connection.execute("SELECT type, name, tbl_name FROM sqlite_master").fetchall()
    finally:
        connection.close()
    tables, indexes = _known()
    found = []
    for kind, name, table in rows:
        name, table = str(name), str(table)
        if kind == "table" and name in tables:
            continue
        if (
            kind == "index"
            and table in tables
            and (name in indexes or re.fullmatch(rf"sqlite_autoindex_{re.escape(table)}_\d+", name))
        ):
            continue
        found.append(f"{kind} '{name}'" + (f" on {table}" if table != name else ""))
    return found


def read_only_reason(found: list[str]) -> str:
    shown = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    return (
        f"it holds database objects AIMS Prep did not create ({shown}), so it was opened "
        "read-only and nothing in it can run. Ask the sender for a clean copy"
    )
