"""Keys as a user presses them: to the open popup (a completer's list, a calendar) when there
is one, otherwise to the widget with the focus."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication, QWidget


def target() -> QWidget:
    popup = QApplication.activePopupWidget()
    widget = (popup.focusWidget() or popup) if popup else QApplication.focusWidget()
    assert widget is not None, "no widget has the focus"
    return widget


def focus(qtbot, widget: QWidget) -> None:
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def type_text(qtbot, text: str) -> None:
    for char in text:
        qtbot.keyClicks(target(), char)


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(target(), key, modifier)


def replace(qtbot, widget: QWidget, text: str) -> None:
    """Focus a field, select what it holds, type over it."""
    focus(qtbot, widget)
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        type_text(qtbot, text)
    else:
        press(qtbot, Qt.Key.Key_Delete)


def typed_ahead(window: QWindow, keys: list[Qt.Key | str]) -> None:
    """Keys typed before the application handled the first of them (a busy moment, a fast
    typist): the window system addressed each to the window that had the keyboard when it
    was typed, `window` (a completer's list, open when Tab was pressed), and Qt delivers them
    there one after another, as it reads them."""
    for key in keys:
        if isinstance(key, str):
            code, text = Qt.Key(ord(key.upper())), key
            shift = key.isupper()
        else:
            code, text, shift = key, "\t" if key == Qt.Key.Key_Tab else "", False
        mods = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(window, QKeyEvent(kind, code, mods, text))
