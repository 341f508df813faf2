"""Small widget settings shared by the tabs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLayout,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

# A note that something needs the consultant's attention (a warning, not an error).
BANNER_STYLE = "background:#fff4ce; color:#5c4400; padding:6px; border:1px solid #e0c36a;"


class WrappedLabel(QLabel):
    """A word-wrapped label that keeps its height for each width until its text changes.
    QLabel lays its whole text out again each time a layout asks, and laying out the window
    asks a panel's long rich texts dozens of times before the first paint."""

    def __init__(self, **properties) -> None:
        super().__init__(wordWrap=True, **properties)
        self._heights: dict[int, int] = {}

    def setText(self, text: str) -> None:
        self._heights.clear()
        super().setText(text)

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = super().heightForWidth(width)
        return height

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._heights.clear()  # the same text takes other room
        super().changeEvent(event)


def compact(combo: QComboBox, chars: int = 12) -> QComboBox:
    """A filter combo that may shrink on a small screen instead of widening the window."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo


def list_and_panel(
    owner: QWidget,
    left: Sequence[QWidget | QLayout],
    panel: QWidget,
    sizes: list[int] | None = None,
) -> QWidget:
    """The layout every tab shares: a list (filters, table, count) beside a detail panel."""
    column = QWidget()
    column_layout = QVBoxLayout(column)
    column_layout.setContentsMargins(0, 0, 0, 0)
    for item in left:
        if isinstance(item, QLayout):
            column_layout.addLayout(item)
        else:
            column_layout.addWidget(item)
    splitter = QSplitter()
    splitter.addWidget(column)
    splitter.addWidget(panel)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 2)
    if sizes:
        splitter.setSizes(sizes)
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(splitter)
    return column


def detail_panel(
    items: Sequence[QWidget | QLayout], history: QWidget, min_width: int = 340
) -> QWidget:
    """The right-hand side every tab shares: the selected item's details, then its history,
    in a scroll area."""
    panel = QWidget()
    layout = QVBoxLayout(panel)
    for item in items:
        if isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item)
    layout.addWidget(QLabel("<b>History</b>"))
    layout.addWidget(history)
    layout.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(panel)
    scroll.setMinimumWidth(min_width)
    return scroll
