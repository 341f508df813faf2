"""Stable IDs of the engagement's own items: PREFIX-NNN, never reusing a number."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.engagement.errors import FieldError


def next_id(existing: Iterable[str], prefix: str, width: int) -> str:
    """The number after the highest one used, deleted items included (IDs stay unique for
    good: the history and the client's spreadsheets still name them)."""
    pattern = re.compile(rf"{re.escape(prefix)}-(\d+)")
    numbers = [int(m.group(1)) for i in existing if (m := pattern.fullmatch(i))]
    return f"{prefix}-{max(numbers, default=0) + 1:0{width}d}"


def next_free_id(session: Session, model: type[Any], prefix: str, width: int) -> str:
    """`next_id` for a session that may create many items (an import of 200,000 rows): the
    existing IDs are scanned once per transaction, not once per item (which made an import's
    time grow with the square of its rows). A number taken since by an ID of the client's own
    is skipped; the result is never an ID in use."""
    # the lowest number that may be free: one given back by a rolled-back savepoint is reused
    cache: dict[str, int] = session.info.setdefault("next_ids", {})
    if prefix not in cache:
        found = next_id(session.scalars(select(model.id)), prefix, width)
        cache[prefix] = int(found.rsplit("-", 1)[1])
    while True:
        candidate = f"{prefix}-{cache[prefix]:0{width}d}"
        if session.get(model, candidate) is None:
            return candidate
        cache[prefix] += 1


class FreeIds:
    """IDs for many new items of one kind in one transaction (an import's bulk insert): the
    IDs in use are read once, and each ID given or kept is marked used, so neither a given
    ID nor a client's own one is ever used twice. Gives the same IDs as `next_free_id` would,
    item after item."""

    def __init__(self, session: Session, model: type[Any], prefix: str, width: int) -> None:
        self.session, self.prefix, self.width = session, prefix, width
        self.taken: set[str] = set(session.scalars(select(model.id)))
        cache: dict[str, int] = session.info.setdefault("next_ids", {})
        if prefix not in cache:
            cache[prefix] = int(next_id(self.taken, prefix, width).rsplit("-", 1)[1])
        self._cache = cache
        self._shape = f"{prefix.replace('%', '%%')}-%0{width}d"
        self._next = ""  # the ID `next` gave last

    def next(self) -> str:
        """The ID `next_free_id` would give now (not yet marked used: see `take`)."""
        cache, prefix, shape = self._cache, self.prefix, self._shape
        while True:
            candidate = shape % cache[prefix]
            if candidate not in self.taken:
                self._next = candidate
                return candidate
            cache[prefix] += 1

    def take(self, item_id: str) -> None:
        self.taken.add(item_id)
        if item_id == self._next:  # the number after it is the next one to try
            self._cache[self.prefix] += 1
            self._next = ""


# An ID of the client's own (kept from their spreadsheet): short, no spaces, no path characters.
CLIENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


def check_client_id(wanted: str) -> None:
    """FieldError unless `wanted` can be kept as an item's ID."""
    if not CLIENT_ID.match(wanted):
        raise FieldError("id", f"'{wanted}' is not a usable ID: letters, digits, '.', '-', '_'.")
