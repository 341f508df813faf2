"""Small helpers for text shown in rich-text labels."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def todo_html(todo: str) -> str:
    """A gap rule's what to do, on its own small line below the rule ("" when it says none)."""
    return f"<br><small>{esc(todo)}</small>" if todo else ""


def short(value: str | None, limit: int = 60) -> str:
    """A history value as shown beside an item: '(empty)' for nothing, long text cut."""
    if value is None or value == "":
        return "(empty)"
    return value if len(value) <= limit else value[: limit - 3] + "…"


def history_html(
    changes: Iterable[Any],
    labels: Mapping[str, str],
    show: Callable[[str, str | None], str] = lambda _f, v: short(v),
) -> str:
    """The history of an item as shown beside it: newest first, one change a line."""
    lines = [
        f"{c.at:%Y-%m-%d %H:%M} · {esc(c.actor)} · {esc(labels.get(c.field, c.field))}: "
        f"{esc(show(c.field, c.old))} → {esc(show(c.field, c.new))}"
        for c in changes
    ]
    return "<br>".join(lines) or "<i>No changes yet.</i>"


def shown_by_spec(specs: Mapping[str, Any]) -> Callable[[str, str | None], str]:
    """How a history value reads for fields with choices: the label, not the stored key."""

    def show(field: str, value: str | None) -> str:
        spec = specs.get(field)
        if spec is not None and spec.kind == "choice" and value is not None:
            return short(spec.choices.get(value, value))
        return short(value)

    return show
