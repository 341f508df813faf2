"""Small widget settings shared by the tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLayout, QSplitter, QVBoxLayout, QWidget


def compact(combo: QComboBox, chars: int = 12) -> QComboBox:
    """A filter combo that may shrink on a small screen instead of widening the window."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo


def list_and_panel(
    owner: QWidget, left: list[QWidget | QLayout], panel: QWidget, sizes: list[int] | None = None
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
