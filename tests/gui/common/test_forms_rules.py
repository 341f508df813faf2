"""Forms as a consultant first meets them: rules across fields, edits after another tab, an
empty register, errors that escape a slot. Driven with real keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services.engagement.file import open_engagement
from app.services.inventory import service as inventory
from app.services.risks import service as risks
from app.services.soa import service as soa
from app.views.common import dialogs
from tests.gui.gui_keys import focus, press, replace, type_text, typed_ahead

TAB = Qt.Key.Key_Tab


def _risks(qtbot, window, ef):
    window.set_engagement(ef)
    with qtbot.waitSignal(window.risks_tab.loaded, timeout=10_000):
        window.select_tab("risks")
    return window.risks_tab


def _new_risk(tab) -> str:
    tab.add_risk("risk")
    return tab.current


def _reopened(ef, read):
    path = ef.path
    ef.close()
    again = open_engagement(path)
    try:
        return read(again)
    finally:
        again.close()


def test_forms_residual_rating_typed_field_by_field_is_saved(qtbot, window, new_file):
    tab = _risks(qtbot, window, new_file)
    rid = _new_risk(tab)
    replace(qtbot, tab.form.editors["residual_likelihood"], "1")
    press(qtbot, TAB)
    assert "Not saved yet" in window.state_label.text()  # half a pair is not saved
    assert QApplication.focusWidget() is tab.form.editors["residual_impact"]
    type_text(qtbot, "1")
    press(qtbot, TAB)
    assert window.state_label.text() == "All changes saved"
    assert window.undo_stack.undoText() == (
        f"Change residual likelihood and residual impact of {rid}"
    )
    window.undo_stack.undo()  # one step takes back the pair
    assert risks.get_risk(new_file, rid).residual_likelihood is None
    window.undo_stack.redo()
    window.close_engagement()
    row = _reopened(new_file, lambda ef: risks.get_risk(ef, rid))
    assert (row.residual_likelihood, row.residual_impact) == (1, 1)


def test_forms_acceptance_typed_field_by_field_is_saved(qtbot, window, new_file):
    tab = _risks(qtbot, window, new_file)
    rid = _new_risk(tab)
    replace(qtbot, tab.form.editors["accepted_by"], "Board of directors")
    press(qtbot, TAB)
    assert QApplication.focusWidget() is tab.form.editors["accepted_on"]
    assert "date the residual risk was accepted" in tab.form.error.text()
    type_text(qtbot, "2026-01-15")
    press(qtbot, TAB)
    window.close_engagement()
    row = _reopened(new_file, lambda ef: risks.get_risk(ef, rid))
    assert (row.accepted_by, str(row.accepted_on)) == ("Board of directors", "2026-01-15")


def test_forms_residual_above_inherent_waits_for_its_comment(qtbot, window, new_file):
    tab = _risks(qtbot, window, new_file)
    rid = _new_risk(tab)  # rated 1 x 1
    replace(qtbot, tab.form.editors["residual_likelihood"], "2")
    press(qtbot, TAB)
    type_text(qtbot, "2")
    press(qtbot, TAB)
    assert QApplication.focusWidget() is tab.form.editors["residual_comment"]
    assert "say why" in tab.form.error.text()
    type_text(qtbot, "Vendor model changes every quarter")
    press(qtbot, TAB)
    window.close_engagement()
    row = _reopened(new_file, lambda ef: risks.get_risk(ef, rid))
    assert (row.residual_likelihood, row.residual_impact) == (2, 2)
    assert row.residual_comment == "Vendor model changes every quarter"


def test_forms_half_a_pair_left_behind_is_reported_not_saved(qtbot, window, new_file, errors):
    tab = _risks(qtbot, window, new_file)
    rid = _new_risk(tab)
    replace(qtbot, tab.form.editors["residual_likelihood"], "2")
    press(qtbot, TAB)
    window.select_tab("soa")
    assert errors and "not saved" in errors[0][1] and "Rate both" in errors[0][1]
    assert "NOT saved" in window.state_label.text()
    assert risks.get_risk(new_file, rid).residual_likelihood is None


def test_forms_stage_and_deployment_date_are_saved_together(qtbot, window, new_file):
    system_id = inventory.create_system(
        new_file, {"name": "Scoring", "stage": "design", "deployment_date": "2099-01-01"}
    )
    window.set_engagement(new_file)
    tab = window.inventory_tab
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.select_tab("inventory")
    focus(qtbot, tab.form.editors["stage"])
    type_text(qtbot, "Deployed")
    press(qtbot, TAB)
    assert "in the future" in tab.form.error.text()
    replace(qtbot, tab.form.editors["deployment_date"], "2025-04-01")
    press(qtbot, TAB)
    row = inventory.get_system(new_file, system_id)
    assert (row.stage, str(row.deployment_date)) == ("deployed", "2025-04-01")


def test_forms_soa_edit_after_working_in_risks_is_saved(qtbot, window, demo_file, monkeypatch):
    asked: list[str] = []  # "Head of Data" is no person of the demo: kept as typed
    monkeypatch.setattr(dialogs, "confirm", lambda _p, title, _m: asked.append(title) and False)
    window.set_engagement(demo_file)
    st = window.soa_tab
    with qtbot.waitSignal(st.loaded, timeout=10_000):
        window.select_tab("soa")
    st.select("A.4.4")
    rt = window.risks_tab
    with qtbot.waitSignal(rt.loaded, timeout=10_000):
        window.select_tab("risks")
    with qtbot.waitSignal(st.loaded, timeout=10_000):  # the SoA reloads after a risk edit
        replace(qtbot, rt.form.editors["owner"], "Grace Okafor")
        press(qtbot, TAB)
    window.select_tab("soa")
    assert st.current_row() is not None and st.current_row().control_id == "A.4.4"
    replace(qtbot, st.form.editors["owner"], "Head of Data")
    press(qtbot, TAB)
    assert soa.get_line(demo_file, "A.4.4").owner == "Head of Data"
    assert asked == ["Add to People?"]
    assert window.state_label.text() == "All changes saved"


def test_forms_panel_with_nothing_selected_takes_no_typing(qtbot, window, demo_file):
    window.set_engagement(demo_file)
    st = window.soa_tab
    with qtbot.waitSignal(st.loaded, timeout=10_000):
        window.select_tab("soa")
    st.select("A.4.4")
    st.filter(decision="excluded")  # A.4.4 is not excluded: it leaves the table
    assert st.current is None and not st.form.isEnabled()


@pytest.mark.parametrize("area", ["inventory", "risks"])
def test_forms_empty_register_says_what_to_do(qtbot, window, new_file, area):
    window.set_engagement(new_file)
    tab = getattr(window, f"{area}_tab")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.select_tab(area)
    assert not tab.form.isEnabled()
    assert "Insert" in tab.heading.text() and "Import Workbook" in tab.heading.text()


def test_forms_tab_leaves_a_notes_box(qtbot, window, new_file):
    tab = _risks(qtbot, window, new_file)
    rid = _new_risk(tab)
    replace(qtbot, tab.form.editors["description"], "Model drifts")
    press(qtbot, TAB)
    assert QApplication.focusWidget() is tab.form.editors["category"]
    assert risks.get_risk(new_file, rid).description == "Model drifts"


def test_forms_category_picked_from_the_completer_list_is_saved(qtbot, window, new_file):
    tab = _risks(qtbot, window, new_file)
    rid = _new_risk(tab)
    replace(qtbot, tab.form.editors["category"], "Privacy-enh")
    popup = tab.form.editors["category"].completer().popup()
    assert popup.isVisible()
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    assert risks.get_risk(new_file, rid).category == "Privacy-enhanced"


def test_forms_tab_from_the_open_category_list_types_on_in_the_next_field(qtbot, window, new_file):
    """Tab with the completer's list open, then the next field typed straight on: the keys
    typed before the window handled the Tab come addressed to the list's window, and every
    one of them belongs to Risk source (none to Category, where it would be dropped)."""
    rid, _ = risks.save_risk(new_file, None, {"title": "Drift", "category": "Level of automation"})
    tab = _risks(qtbot, window, new_file)
    tab.select(rid)
    category, source = tab.form.editors["category"], tab.form.editors["source"]
    focus(qtbot, category)
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "Valid and reliable")
    popup = category.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    typed_ahead(popup.windowHandle(), [TAB, *"Model vendor"])
    assert not popup.isVisible()
    assert QApplication.focusWidget() is source
    assert (category.text(), source.text()) == ("Valid and reliable", "Model vendor")
    type_text(qtbot, ", hosted")  # and on, as the keys come now
    press(qtbot, TAB)
    window.close_engagement()
    row = _reopened(new_file, lambda ef: risks.get_risk(ef, rid))
    assert (row.category, row.source) == ("Valid and reliable", "Model vendor, hosted")


def test_forms_rating_shows_the_scale_label(qtbot, window, new_file):
    tab = _risks(qtbot, window, new_file)
    _new_risk(tab)
    replace(qtbot, tab.form.editors["inherent_impact"], "4")
    press(qtbot, TAB)
    assert tab.form.editors["inherent_impact"].text() == "4 - Major"
    assert tab.form.editors["inherent_likelihood"].text() == "1 - Rare"


@pytest.mark.qt_no_exception_capture
def test_forms_an_error_in_a_slot_is_shown_logged_and_the_status_warns(
    qtbot, window, new_file, errors, monkeypatch
):
    from app.views.common import guard

    monkeypatch.setattr("sys.excepthook", guard.excepthook)
    monkeypatch.setattr(guard, "_previous", lambda *a: None)
    tab = _risks(qtbot, window, new_file)
    _new_risk(tab)

    def broken(*_args):
        raise AttributeError("'NoneType' object has no attribute 'values'")

    monkeypatch.setattr(risks, "save_risk", broken)
    replace(qtbot, tab.form.editors["owner"], "Grace")
    press(qtbot, TAB)
    assert errors and "AttributeError" in errors[0][1] and "not saved" in errors[0][1]
    assert "NOT saved" in window.state_label.text()
    assert "AttributeError" in guard.log_path().read_text()


def test_forms_escape_gives_up_a_held_value(qtbot, window, new_file):
    tab = _risks(qtbot, window, new_file)
    _new_risk(tab)
    replace(qtbot, tab.form.editors["residual_likelihood"], "2")
    press(qtbot, TAB)
    focus(qtbot, tab.form.editors["residual_likelihood"])
    press(qtbot, Qt.Key.Key_Escape)
    assert tab.form.editors["residual_likelihood"].text() == ""
    assert window.state_label.text() == "All changes saved"
    window.select_tab("soa")  # nothing held: no message on leaving


def test_forms_refused_value_shows_at_its_field_and_the_status_warns(qtbot, window, new_file):
    tab = _risks(qtbot, window, new_file)
    rid = _new_risk(tab)
    replace(qtbot, tab.form.editors["inherent_likelihood"], "7")
    press(qtbot, TAB)
    assert tab.form.error is tab.form.messages["inherent_likelihood"]
    assert "from 1 to 5" in tab.form.error.text()
    assert "NOT saved" in window.state_label.text()
    replace(qtbot, tab.form.editors["inherent_likelihood"], "2")
    press(qtbot, TAB)
    assert window.state_label.text() == "All changes saved"
    assert risks.get_risk(new_file, rid).inherent_likelihood == 2


def test_forms_a_date_can_be_cleared(qtbot, window, new_file):
    tab = _risks(qtbot, window, new_file)
    rid = _new_risk(tab)
    replace(qtbot, tab.form.editors["review_date"], "2026-05-31")
    press(qtbot, Qt.Key.Key_Return)
    assert str(risks.get_risk(new_file, rid).review_date) == "2026-05-31"
    replace(qtbot, tab.form.editors["review_date"], "")
    press(qtbot, TAB)
    assert risks.get_risk(new_file, rid).review_date is None


@pytest.mark.qt_no_exception_capture
def test_forms_an_error_in_a_worker_callback_is_shown(qtbot, window, new_file, errors, monkeypatch):
    from app.views.common import guard, worker

    monkeypatch.setattr("sys.excepthook", guard.excepthook)
    monkeypatch.setattr(guard, "_previous", lambda *a: None)
    window.set_engagement(new_file)

    def shown(_result):
        raise KeyError("no such row")

    task = worker.start(lambda: 1, shown, lambda _m: None)
    task.wait()
    qtbot.waitUntil(lambda: bool(errors))
    assert "KeyError" in errors[0][1] and "not saved" in errors[0][1]
    assert "NOT saved" in window.state_label.text()
