"""The word-wrapped label that keeps its height per width (app/views/common/widgets.py)."""

from __future__ import annotations

from PySide6.QtGui import QFont

from app.views.common.widgets import WrappedLabel


def test_wrapped_label_height_follows_its_text_and_font(qtbot):
    label = WrappedLabel()
    qtbot.addWidget(label)
    label.setText("<p>Short.</p>")
    short = label.heightForWidth(200)
    label.setText("<p>" + "A much longer text that wraps over several lines. " * 6 + "</p>")
    longer = label.heightForWidth(200)
    assert longer > short
    label.setFont(QFont(label.font().family(), label.font().pointSize() * 2))
    assert label.heightForWidth(200) > longer
