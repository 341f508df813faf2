from __future__ import annotations

import pytest

from app import paths


@pytest.fixture(scope="session")
def qapp(qapp):
    # QSettings needs the names; XDG_CONFIG_HOME (set in tests/conftest.py) keeps it in tmp.
    qapp.setOrganizationName(paths.ORG_NAME)
    qapp.setApplicationName(paths.APP_NAME + " tests")
    return qapp


@pytest.fixture
def window(qtbot):
    from app.views.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close_engagement()


@pytest.fixture
def errors(monkeypatch):
    """Message boxes patched: each call is recorded instead of blocking the test."""
    from app.views.common import dialogs

    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "error", lambda parent, title, message: seen.append((title, message))
    )
    return seen


MODAL_GRACE = 5.0  # seconds a test may keep a modal dialog open on purpose


@pytest.fixture(autouse=True)
def no_unexpected_modal(qapp):
    """A modal dialog nobody closes would wait for a click forever: after a few seconds it is
    closed and the test fails, naming it."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    opened: dict[int, float] = {}
    stuck: list[str] = []

    def check() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            opened.clear()
            return
        since = opened.setdefault(id(widget), time.monotonic())
        if time.monotonic() - since < MODAL_GRACE:
            return
        text = widget.text() if isinstance(widget, QMessageBox) else ""
        stuck.append(f"{type(widget).__name__} '{widget.windowTitle()}' {text}".strip())
        if isinstance(widget, QDialog):
            widget.reject()
        else:
            widget.close()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(250)
    yield
    timer.stop()
    if stuck:
        pytest.fail(f"an unexpected modal dialog waited for a click: {'; '.join(stuck)}")
