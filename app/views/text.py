"""Small helpers for text shown in rich-text labels."""

from __future__ import annotations


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def short(value: str | None, limit: int = 60) -> str:
    """A history value as shown beside an item: '(empty)' for nothing, long text cut."""
    if value is None or value == "":
        return "(empty)"
    return value if len(value) <= limit else value[: limit - 3] + "…"
