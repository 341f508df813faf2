"""Stored values checked against their columns before the app reads them as typed objects.

A file edited outside AIMS Prep (or by a hostile hand) can hold a date that is no date, bytes
where text belongs or text that is not UTF-8. Read as typed values they end in an exception
deep in some later step; checked here, raw, they give one message naming the value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Boolean, Connection, Date, DateTime, Integer, LargeBinary, Table

from app.services.errors import UnreadableValueError


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
    """Every stored value of a small table (the engagement's details, its settings) reads
    as its column says, or an UnreadableValueError names the first that does not."""
    labels = labels or {}
    names = [c.name for c in table.columns]
    selected = ", ".join(f'typeof("{n}"), CAST("{n}" AS BLOB)' for n in names)
    for row in conn.exec_driver_sql(f'SELECT {selected} FROM "{table.name}"'):
        for i, column in enumerate(table.columns):
            problem = _problem(column.type, row[2 * i], row[2 * i + 1], bool(column.nullable))
            if problem:
                label = labels.get(column.name, column.name.replace("_", " "))
                raise unreadable(path, f"{what}, {label}, {problem}")
