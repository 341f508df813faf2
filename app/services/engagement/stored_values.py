"""Stored values checked against their columns before the app reads them as typed objects.

A file edited outside AIMS Prep (or by a hostile hand) can hold a date that is no date, bytes
where text belongs or text that is not UTF-8. Read as typed values they end in an exception
deep in some later step; checked here, raw, they give one message naming the value."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlalchemy import Boolean, Connection, Date, DateTime, Integer, LargeBinary, Table

from app.services.engagement.errors import UnreadableValueError


def unreadable(path: Path, what: str) -> UnreadableValueError:
    return UnreadableValueError(
        f"{path.name} holds a value this version cannot read: {what}. The file was not "
        "changed; open a backup copy, or ask whoever sent it for a copy saved by AIMS Prep."
    )


def _shown(raw: bytes) -> str:
    text = raw[:40].decode("utf-8", "replace")
    return repr(text + ("…" if len(raw) > 40 else ""))


def _problem(column_type: object, kind: str, raw: bytes | None, nullable: bool) -> str:
    """What is wrong with one stored value, or "" when it reads as its column's type."""
    if kind == "null" or raw is None:
        return "" if nullable else "is empty"
    if isinstance(column_type, LargeBinary):
        return "" if kind == "blob" else "is text where an image or file belongs"
    if isinstance(column_type, Boolean):
        return "" if kind == "integer" and raw in (b"0", b"1") else f"is {_shown(raw)}, not yes/no"
    if isinstance(column_type, Integer):
        return "" if kind == "integer" else f"is {_shown(raw)}, not a whole number"
    if kind == "blob":
        return "is binary data where text belongs"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "is text that is not UTF-8"
    try:
        if isinstance(column_type, DateTime):
            dt.datetime.fromisoformat(text)
        elif isinstance(column_type, Date):
            dt.date.fromisoformat(text)
    except ValueError:
        return f"is {_shown(raw)}, not a date"
    return ""


def check_rows(
    conn: Connection, table: Table, path: Path, what: str, labels: dict[str, str] | None = None
) -> None:
    """Every stored value of a table reads as its column says, or an UnreadableValueError
    names the first that does not (with its row's key when the table has keys)."""
    labels = labels or {}
    names = [c.name for c in table.columns]
    keys = [c.name for c in table.primary_key.columns]
    selected = ", ".join(f'typeof("{n}"), CAST("{n}" AS BLOB)' for n in names)
    key_cols = ", ".join(f'CAST("{k}" AS BLOB)' for k in keys) or "NULL"
    rows = conn.exec_driver_sql(f'SELECT {key_cols}, {selected} FROM "{table.name}"')
    width = max(len(keys), 1)
    for row in rows:
        for i, column in enumerate(table.columns):
            kind, raw = row[width + 2 * i], row[width + 2 * i + 1]
            problem = _problem(column.type, kind, raw, bool(column.nullable))
            if problem:
                label = labels.get(column.name, column.name.replace("_", " "))
                key = "/".join(bytes(k or b"").decode("utf-8", "replace") for k in row[:width])
                where = f"{what} {key}" if table.name not in _SINGLE_ROW else what
                raise unreadable(path, f"{where}, {label}, {problem}")


_SINGLE_ROW = {"engagement", "schema_info", "pack_settings"}
_WORDS = {"ai_system": "AI system", "soa_entry": "SoA line", "requirement": "checklist point"}


def diagnose(conn: Connection, tables: list[Table], path: Path) -> UnreadableValueError | None:
    """After a stored value failed to read somewhere: find it, so the message can name it.
    Scans every table, so it runs only once something has already failed."""
    for table in tables:
        try:
            check_rows(conn, table, path, _WORDS.get(table.name, table.name.replace("_", " ")))
        except UnreadableValueError as exc:
            return exc
    return None


def diagnose_file(path: Path) -> UnreadableValueError | None:
    """diagnose() for a file that is not open: a command that failed on a value it read."""
    from urllib.parse import quote

    from sqlalchemy import create_engine

    from app.models import schema

    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
    try:
        with engine.connect() as conn:
            return diagnose(conn, list(schema().sorted_tables), Path(path))
    except Exception:  # a file that cannot even be scanned: the original error stands
        return None
    finally:
        engine.dispose()
