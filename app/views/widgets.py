"""Small widget settings shared by the tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def compact(combo: QComboBox, chars: int = 12) -> QComboBox:
    """A filter combo that may shrink on a small screen instead of widening the window."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo
