"""The window around the tabs: opening files, read-only banner, errors, recent files."""

from __future__ import annotations

from app.views.main_window import MainWindow


def test_window_second_window_gets_read_only_banner(qtbot, window, new_file):
    window.set_engagement(new_file)
    other = MainWindow()
    qtbot.addWidget(other)
    other.show()
    assert other.open_path(new_file.path)
    assert other.banner.isVisible()
    assert "open for editing by" in other.banner.text()
    other.clauses_tab.select_point("P-4.1-01")
    assert not other.clauses_tab.editors.isEnabled()
    assert window.clauses_tab.editors.isEnabled()
    assert "[read-only]" in other.windowTitle()
    other.close_engagement()


def test_window_bad_file_shows_message_and_keeps_running(window, errors, tmp_path):
    bad = tmp_path / "minutes.aims"
    bad.write_text("not a database")
    assert not window.open_path(bad)
    assert errors and "not an AIMS Prep engagement file" in errors[0][1]
    assert window.ef is None and window.empty.isVisible()


def test_window_vanished_recent_file_is_forgotten(window, errors, tmp_path, new_file):
    path = new_file.path
    window.set_engagement(new_file)
    window.close_engagement()
    assert window.settings.recent_files()[0] == path.resolve()
    path.unlink()
    assert not window.open_path(path)
    assert "does not exist" in errors[0][1]
    assert path.resolve() not in window.settings.recent_files()


def test_window_save_copy(window, new_file, tmp_path, monkeypatch):
    from app.views import dialogs

    target = tmp_path / "copy.aims"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a: target)
    window.set_engagement(new_file)
    window.save_copy()
    assert target.exists()
