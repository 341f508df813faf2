"""The target Stage 1 date once it has passed: the window's banner says so before anything else
loads, so this stays apart from the status counts (and the area services under them)."""

from __future__ import annotations

import datetime as dt

from app.services import words


def stage1_warning(day: dt.date | None, today: dt.date | None = None) -> str:
    """What to say when the target Stage 1 date has passed ("" while it has not)."""
    late = days_past(day, today or dt.date.today())
    if not late:
        return ""
    return (
        f"The target Stage 1 date ({day}) passed {words.count(late, 'day')} ago. "
        "Set the new date in the engagement details."
    )


def days_past(day: dt.date | None, today: dt.date) -> int:
    return (today - day).days if day is not None and day < today else 0
