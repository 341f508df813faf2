"""A tab showing only some of its rows because the dashboard asked (a gap's items, a
figure's): the count under the table says so, with a link back to every row."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.views.common.text import esc

SHOW_ALL = "show-all"


def note(why: str, only: object) -> str:
    """What the count adds while the rows are limited (nothing when they are not)."""
    if only is None:
        return ""
    return f' · only {esc(why)} (<a href="{SHOW_ALL}">show all</a>)'


def follow(label: QLabel, show_all: Callable[[], None]) -> None:
    """The count's link shows every row again (connected once per label)."""
    if label.property("follows_show_all"):
        return
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
    label.linkActivated.connect(lambda link: show_all() if link == SHOW_ALL else None)
    label.setProperty("follows_show_all", True)
