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
    from app.views import dialogs

    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "error", lambda parent, title, message: seen.append((title, message))
    )
    return seen
