"""Keys typed on after Tab closes a completer's list land in the field the focus moved to.

The list a completer shows is a window of its own that takes the keyboard while it is open.
The window system addresses each key to the window that had the keyboard when the key was
typed, so the keys typed after Tab, before the application got round to that Tab (a save,
a busy machine: the next key at human speed, several when typing fast), come addressed to the
list's window after it has closed. Qt gives a key for the list's window to the field the list
completes (its focus proxy), not to the field that now has the focus: Tab from Category,
then "Model vendor", put "M" into Category (where it was dropped with the edit) and saved
"odel vendor" as the risk source. Here such a key is passed on to the field with the focus,
in the order typed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QCompleter, QLineEdit, QWidget

_NAME = "keys_follow_focus"
_KEYS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)


class _KeysFollowFocus(QObject):
    """On a field with a completer: from the moment the focus leaves it while its list is open
    (Tab, Shift+Tab) until it has the focus again, the keys that still come to it go where a
    key typed now goes."""

    def __init__(self, editor: QLineEdit) -> None:
        super().__init__(editor)
        self.setObjectName(_NAME)
        self._editor = editor
        self._left_with_list_open = False
        editor.installEventFilter(self)

    def _list_open(self) -> bool:
        active = QApplication.activePopupWidget()
        completer = self._editor.completer()
        return active is not None and completer is not None and completer.popup() is active

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            self._left_with_list_open = self._list_open()
        elif kind == QEvent.Type.FocusIn:
            self._left_with_list_open = False
        elif kind in _KEYS and self._left_with_list_open and not self._editor.hasFocus():
            receiver = _receiver()
            if receiver is not None and receiver is not self._editor:
                QApplication.sendEvent(receiver, event)
                return True
        return False


def _receiver() -> QWidget | None:
    """Where Qt sends a key typed now: an open list (the next field's own completer, opened by
    the keys before), else the widget with the focus."""
    popup = QApplication.activePopupWidget()
    if popup is not None:
        return popup.focusWidget() or popup
    return QApplication.focusWidget()


def keys_follow_focus(editor: QLineEdit) -> None:
    """Keys typed after Tab closed the editor's completer list go where the focus went."""
    if editor.findChild(QObject, _NAME, Qt.FindChildOption.FindDirectChildrenOnly) is None:
        _KeysFollowFocus(editor)


def complete(editor: QLineEdit, completer: QCompleter) -> None:
    """Give `editor` its completer, with the keys typed after Tab closed its list kept for the
    next field."""
    editor.setCompleter(completer)
    keys_follow_focus(editor)
