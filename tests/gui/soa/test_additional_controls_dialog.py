"""The dialog of controls beyond Annex A, driven with the keyboard: Insert, typing, Tab,
Return to save, Delete, Ctrl+Z in the dialog, Escape to close; read back from the file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.engagement.file import open_engagement
from app.services.soa import additional
from app.services.soa import service as soa
from app.views.common import dialogs
from tests.gui.gui_keys import focus, press, replace, type_text

TAB, RETURN, ESCAPE = Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Escape
DELETE = Qt.Key.Key_Delete
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def tab(qtbot, window, new_file):
    window.set_engagement(new_file)
    st = window.soa_tab
    with qtbot.waitSignal(st.loaded, timeout=10_000):
        window.select_tab("soa")
    return st


def _drive(monkeypatch, tab, keys):
    """Open the dialog from the tab and press `keys(dialog)` in it."""
    seen = []

    def run(dialog):
        dialog.show()
        keys(dialog)
        seen.append(dialog)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", run)
    tab.additional_button.click()
    return seen[0]


def _read_back(window, path):
    window.close_engagement()
    ef = open_engagement(path)
    try:
        return [(a.id, a.title, a.source) for a in additional.list_additional(ef)], soa.list_lines(
            ef
        )
    finally:
        ef.close()


def _add(qtbot, control_id, title, source):
    type_text(qtbot, control_id)
    press(qtbot, TAB)
    type_text(qtbot, title)
    press(qtbot, TAB)
    type_text(qtbot, source)
    press(qtbot, RETURN)


def test_additional_dialog_adds_with_keys_and_the_soa_lists_it(qtbot, tab, window, monkeypatch):
    path = tab.ef.path

    def keys(dialog):
        focus(qtbot, dialog.id_edit)
        _add(qtbot, "CP-01", "Model change board", "Client policy")
        assert dialog.model.rows[0].id == "CP-01" and dialog.message.text() == ""
        press(qtbot, Qt.Key.Key_Insert)
        assert dialog.id_edit.hasFocus() and dialog.id_edit.text() == ""
        _add(qtbot, "27001-A.5.15", "Access control", "ISO/IEC 27001 A.5.15")
        press(qtbot, ESCAPE)

    dialog = _drive(monkeypatch, tab, keys)
    assert not dialog.isVisible()
    assert tab.model.row("CP-01").title == "Model change board"
    rows, lines = _read_back(window, path)
    assert rows == [
        ("27001-A.5.15", "Access control", "ISO/IEC 27001 A.5.15"),
        ("CP-01", "Model change board", "Client policy"),
    ]
    assert [x.control_id for x in lines[-2:]] == ["27001-A.5.15", "CP-01"]


def test_additional_dialog_refuses_an_annex_a_id_in_its_message(qtbot, tab, monkeypatch):
    def keys(dialog):
        focus(qtbot, dialog.id_edit)
        _add(qtbot, "A.6.2.4", "Testing", "Client policy")
        assert "A.6.2.4 is an Annex A control" in dialog.message.text()
        assert dialog.isVisible()  # Return did not close it
        press(qtbot, ESCAPE)

    _drive(monkeypatch, tab, keys)
    assert additional.list_additional(tab.ef) == []


def test_additional_dialog_edit_delete_and_undo_with_keys(
    qtbot, qtmodeltester, tab, window, monkeypatch
):
    additional.add(tab.ef, {"id": "CP-01", "title": "Change board", "source": "Policy"})
    path = tab.ef.path

    def keys(dialog):
        qtmodeltester.check(dialog.model)
        dialog.table.selectRow(0)
        assert dialog.id_edit.isReadOnly() and dialog.title_edit.text() == "Change board"
        replace(qtbot, dialog.title_edit, "Model change board")
        press(qtbot, RETURN)
        assert additional.list_additional(tab.ef)[0].title == "Model change board", (
            dialog.message.text(),
            dialog.source_edit.text(),
            dialog.id_edit.text(),
        )
        focus(qtbot, dialog.table)
        press(qtbot, DELETE)
        assert dialog.model.rows == [] and tab.model.row("CP-01") is None
        press(qtbot, Qt.Key.Key_Z, CTRL)  # the delete taken back
        assert [a.id for a in dialog.model.rows] == ["CP-01"]
        press(qtbot, ESCAPE)

    _drive(monkeypatch, tab, keys)
    assert tab.model.row("CP-01") is not None
    window.undo_stack.undo()  # the edit taken back, from the window
    rows, _ = _read_back(window, path)
    assert rows == [("CP-01", "Change board", "Policy")]


def test_risk_treatment_offers_and_saves_a_control_beyond_annex_a(
    qtbot, window, demo_file, monkeypatch
):
    from app.services.risks import service as risks

    window.set_engagement(demo_file)
    risks_tab = window.risks_tab
    with qtbot.waitSignal(risks_tab.loaded, timeout=10_000):
        window.select_tab("risks")
    risks_tab.select("R-001")
    offered = []

    def fill(dialog):
        offered.append(dialog.controls.fields[0].choices)
        dialog.controls.add()
        last = dialog.controls.rowCount() - 1
        dialog.controls.setData(dialog.controls.index(last, 0), "NW-07")
        dialog.controls.setData(dialog.controls.index(last, 1), "Release approval")
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    risks_tab.edit_treatment()
    assert offered[0]["NW-07"].startswith("NW-07 Model change board")
    assert "A.2.2" in offered[0]  # Annex A too
    assert (
        risks.ControlChoice("NW-07", "Release approval")
        in risks.get_risk(demo_file, "R-001").controls
    )
    assert "NW-07 Model change board approves every release" in risks_tab.treatment_summary.text()
