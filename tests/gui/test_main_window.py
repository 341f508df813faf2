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
    from app.views.common import dialogs

    target = tmp_path / "copy.aims"
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a: target)
    window.set_engagement(new_file)
    window.save_copy()
    assert target.exists()


def test_window_engagement_details_edit_and_undo(window, new_file, monkeypatch):
    from app.views.common import dialogs

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
    from app.views.common import dialogs

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


def test_window_engagement_details_refuse_stage2_before_stage1(window, new_file, monkeypatch):
    import datetime as dt

    from app.views.common import dialogs

    seen = {}

    def fill(dialog):
        values = {**dialog.form.values(), "stage1_date": "2027-04-01"}
        dialog.form.set_values({**values, "stage2_date": "2027-03-01"})
        dialog.try_accept()
        seen["error"], seen["open"] = dialog.form.error.text(), dialog.result() == 0
        dialog.form.set_values({**values, "stage2_date": "2027-05-20"})  # the date put right
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    window.set_engagement(new_file)
    window.edit_details()
    assert seen["open"]
    assert "Stage 2 audit (2027-03-01) comes after Stage 1 (2027-04-01)" in seen["error"]
    details = new_file.details
    assert (details.stage1_date, details.stage2_date) == (dt.date(2027, 4, 1), dt.date(2027, 5, 20))


def test_window_new_engagement_flow(window, tmp_path, monkeypatch):
    from app.views.common import dialogs

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


def _menu(window, title):
    return next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == title)


def test_window_view_menu_names_the_soa_tab_as_written(window):
    names = [a.text().replace("&", "") for a in _menu(window, "View").actions()]
    assert names == [
        "Dashboard", "Clauses", "Context", "Inventory", "Risks", "SoA", "Documents", "People",
        "Evaluation",
    ]  # fmt: skip


def test_window_help_opens_with_f1_and_lists_the_shortcuts(qtbot, window, new_file, monkeypatch):
    from PySide6.QtCore import Qt

    from app.views.common import dialogs

    seen = []
    monkeypatch.setattr(dialogs, "run_dialog", lambda d: seen.append(d.browser.toPlainText()))
    window.set_engagement(new_file)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert seen and "Getting started" in seen[0] and "Keyboard shortcuts" in seen[0]
    assert "Ctrl+Shift+E" in seen[0] and "Export Workbook" in seen[0] and "F1" in seen[0]


def test_window_about_names_versions_and_says_not_affiliated_with_iso(
    window, new_file, monkeypatch
):
    import app
    from app.views.common import dialogs

    seen = []
    monkeypatch.setattr(dialogs, "info", lambda _p, title, text: seen.append(text))
    window.set_engagement(new_file)
    next(a for a in _menu(window, "Help").actions() if "About" in a.text()).trigger()
    assert app.__version__ in seen[0] and f"Catalog {new_file.catalog.version}" in seen[0]
    assert "not affiliated with" in seen[0] and "ISO" in seen[0]


def test_window_new_engagement_remembers_the_consultant(window, tmp_path, monkeypatch):
    from app.views.common import dialogs

    seen = []

    def fill(dialog):
        seen.append(dialog.form.value("consultant"))
        values = {**dialog.form.values(), "client": f"Client {len(seen)}"}
        dialog.form.set_values({**values, "consultant": "Jordan Avery"})
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    monkeypatch.setattr(dialogs, "choose_save_path", lambda *a: tmp_path / f"c{len(seen)}.aims")
    window.settings.set_consultant("")
    window.new_engagement()
    window.new_engagement()
    assert seen == ["", "Jordan Avery"]


def test_window_warns_of_a_past_stage1_date(qtbot, window, new_file, monkeypatch):
    import datetime as dt

    from PySide6.QtCore import Qt

    from app.views.common import dialogs

    notes = []

    def fill(dialog):
        dialog.show()
        late = (dt.date.today() - dt.timedelta(days=3)).isoformat()
        box = dialog.form.editors["stage1_date"]
        qtbot.keyClicks(box, late)
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the form says it, and OK saves it
        notes.append(dialog.layout().itemAt(1).widget().text())
        return dialog.result()

    window.set_engagement(new_file)
    assert not window.banner.isVisible()
    monkeypatch.setattr(dialogs, "run_dialog", fill)
    window.edit_details()
    assert "passed 3 days ago" in notes[0]
    assert window.banner.isVisible() and "passed 3 days ago" in window.banner.text()
    window.undo_stack.undo()
    assert not window.banner.isVisible()


def test_window_ctrl_number_shows_each_tab_made_on_first_show_with_its_rows(
    qtbot, window, demo_file
):
    """The tabs after the checklist are made when first shown: the keys still reach each
    one, and each shows what the file holds."""
    from PySide6.QtCore import Qt

    from app.views.tab_names import TAB_NAMES, TAB_TITLES

    window.set_engagement(demo_file, remember=False)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles == [TAB_TITLES[n] for n in TAB_NAMES]
    ctrl = Qt.KeyboardModifier.ControlModifier
    for number, name in reversed(list(enumerate(TAB_NAMES))):  # Ctrl+0 the dashboard
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{number}"), ctrl)
        assert window.tabs.tabText(window.tabs.currentIndex()) == TAB_TITLES[name]
        assert window.tabs.currentWidget() is getattr(window, f"{name}_tab")
    window.wait_until_loaded()
    for tab in (window.inventory_tab, window.risks_tab, window.soa_tab):
        assert tab.table.model().rowCount() > 0
    assert window.context_tab.current_tab().table.model().rowCount() > 0
    qtbot.keyClick(window, Qt.Key.Key_1, ctrl)
    assert window.tabs.currentWidget() is window.clauses_tab
