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


def test_window_engagement_details_edit_and_undo(window, new_file, monkeypatch):
    from app.views import dialogs

    def fill(dialog):
        dialog.form.set_values({**dialog.form.values(), "client": "Acme AI GmbH", "iso27001": True})
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    window.set_engagement(new_file)
    window.edit_details()
    assert new_file.details.client == "Acme AI GmbH" and new_file.details.iso27001
    assert window.windowTitle().startswith("Acme AI GmbH")
    assert "Reuse from the ISO 27001 system" in window.clauses_tab.guidance.text()
    window.undo_stack.undo()
    assert new_file.details.client == "Acme Analytics GmbH" and not new_file.details.iso27001


def test_window_engagement_details_refuse_a_bad_date_at_the_field(window, new_file, monkeypatch):
    from app.views import dialogs

    seen = {}

    def fill(dialog):
        dialog.form.set_values({**dialog.form.values(), "stage1_date": "2027-02-31"})
        dialog.try_accept()
        seen["error"] = dialog.form.error.text()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    window.set_engagement(new_file)
    window.edit_details()
    assert "not a date" in seen["error"]
    assert new_file.details.stage1_date is None


def test_window_new_engagement_flow(window, tmp_path, monkeypatch):
    from app.views import dialogs

    seen = {}

    def fill(dialog):
        dialog.form.set_values({**dialog.form.values(), "client": "x" * 201})
        dialog.try_accept()  # refused at the field, before any file is chosen
        seen["error"] = dialog.form.error.text()
        dialog.form.set_values({**dialog.form.values(), "client": "Nordlicht AB", "size": "small"})
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a: tmp_path / "nordlicht.aims")
    window.new_engagement()
    assert "at most 200" in seen["error"]
    assert window.ef is not None and window.ef.details.client == "Nordlicht AB"
    assert window.ef.details.size == "small"
    assert (tmp_path / "nordlicht.aims").exists()
