"""Stable IDs of the engagement's own items: PREFIX-NNN, never reusing a number."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.services.errors import FieldError


def next_id(existing: Iterable[str], prefix: str, width: int) -> str:
    """The number after the highest one used, deleted items included (IDs stay unique for
    good: the history and the client's spreadsheets still name them)."""
    pattern = re.compile(rf"{re.escape(prefix)}-(\d+)")
    numbers = [int(m.group(1)) for i in existing if (m := pattern.fullmatch(i))]
    return f"{prefix}-{max(numbers, default=0) + 1:0{width}d}"


# An ID of the client's own (kept from their spreadsheet): short, no spaces, no path characters.
CLIENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def check_client_id(wanted: str) -> None:
    """FieldError unless `wanted` can be kept as an item's ID."""
    if not CLIENT_ID.match(wanted):
        raise FieldError("id", f"'{wanted}' is not a usable ID: letters, digits, '.', '-', '_'.")
