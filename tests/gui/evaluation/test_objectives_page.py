"""Objectives and measurements on the Evaluation tab as a consultant uses them: every field of
an objective typed with the keyboard and read back from the reopened file, a measurement added
with Insert, a value that is no number refused at its field, and the objective's chart and
on-track state following the measurements."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.models import Measurement
from app.services.engagement.file import create_engagement, open_engagement
from app.services.evaluation import objectives as obj
from app.services.registers import service as register
from app.views.common import dialogs
from tests.gui.common.test_forms_keyboard import _expected, _fill
from tests.gui.gui_keys import focus, press, replace, type_text

TAB, RETURN = Qt.Key.Key_Tab, Qt.Key.Key_Return
TODAY = dt.date.today()


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "client.aims"
    ef = create_engagement(target, client="Acme Analytics GmbH", size="small")
    values = {"title": "Validate models", "measure": "Share", "target": 90, "unit": "%"}
    register.create(ef, obj.OBJECTIVES, {**values, "interval_months": 3})
    register.create(
        ef, obj.MEASUREMENTS,
        {"objective": "OBJ-001", "value": "95", "measured_on": TODAY - dt.timedelta(days=30)},
    )  # fmt: skip
    ef.close()
    return target


@pytest.fixture
def page(qtbot, window, path):
    window.open_path(path)
    evaluation = window.evaluation_tab
    window.activateWindow()  # a shortcut reaches only the active window
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(evaluation.loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    return evaluation


def _subtab(qtbot, page, key):
    tab = page.registers[key]
    if not tab._started:
        with qtbot.waitSignal(tab.loaded, timeout=10_000):
            page.tabs.setCurrentWidget(tab)
    else:  # shown again: loaded again, another register may have changed what it shows
        page.tabs.setCurrentWidget(tab)
        if tab.is_loading():
            with qtbot.waitSignal(tab.loaded, timeout=10_000):
                pass
    return tab


def _reopened(window, path, read):
    window.close_engagement()
    with open_engagement(path) as ef:
        return read(ef)


OBJECTIVE = {
    "title": "Answer complaints about automated decisions",
    "level": "Customer operations",
    "measure": "Median working days to answer",
    "numeric": True,
    "target": "7,5",
    "direction": "at_most",
    "unit": "working days",
    "owner": "Grace Okafor",
    "due_date": dt.date(2027, 6, 30),
    "resources": "Complaints team",
    "evaluation": "Monthly report\nfrom the case system",
    "interval_months": 1,
    "documents": "",
    "notes": "Set by the board",
}


def test_objectives_every_field_by_keyboard(qtbot, window, page, path):
    assert set(OBJECTIVE) == set(obj.OBJECTIVES.spec)
    tab = _subtab(qtbot, page, obj.OBJECTIVES.key)
    assert tab.current == "OBJ-001"
    _fill(qtbot, tab.form, OBJECTIVE)
    assert window.state_label.text() == "All changes saved"
    item = _reopened(window, path, lambda ef: register.get_item(ef, obj.OBJECTIVES, "OBJ-001"))
    assert item.values == _expected(obj.OBJECTIVES.spec, OBJECTIVE)
    assert item.values["target"] == 7.5


def test_objectives_a_target_that_is_no_number_is_refused_at_the_field(qtbot, window, page, path):
    tab = _subtab(qtbot, page, obj.OBJECTIVES.key)
    replace(qtbot, tab.form.editors["target"], "ninety")
    press(qtbot, TAB)
    assert tab.form.error.isVisible()
    assert tab.form.error is tab.form.messages["target"]
    assert "Target: 'ninety' is not a number" in tab.form.error.text()
    target = _reopened(window, path, lambda ef: register.get_item(ef, obj.OBJECTIVES, "OBJ-001"))
    assert target.values["target"] == 90.0


def test_objectives_a_measurement_added_with_insert_refuses_a_word(qtbot, window, page, path,
                                                                  monkeypatch):  # fmt: skip
    tab = _subtab(qtbot, page, obj.MEASUREMENTS.key)
    refusals = []

    def fill(dialog):
        assert dialog.form.values()["id"] == "MEA-0002"
        dialog.show()
        focus(qtbot, dialog.form.editors["objective"])
        type_text(qtbot, "OBJ-001")
        press(qtbot, TAB)
        type_text(qtbot, (TODAY - dt.timedelta(days=2)).isoformat())
        press(qtbot, TAB)
        type_text(qtbot, "nearly all")
        press(qtbot, RETURN)  # OK: refused, the dialog stays with the message at the value
        assert dialog.isVisible()
        refusals.append(dialog.form.messages["value"].text())
        replace(qtbot, dialog.form.editors["value"], "86.5")
        press(qtbot, RETURN)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Insert)
    assert refusals and "'nearly all' is not a number" in refusals[0]
    assert "OBJ-001 is measured by a number in %" in refusals[0]
    assert tab.current == "MEA-0002" and tab.count_label.text() == "2 measurements"
    objectives = _subtab(qtbot, page, obj.OBJECTIVES.key)
    objectives.select("OBJ-001")
    assert "Off track" in objectives.judgement.text()  # 86.5 % is under the 90 % target
    assert [p.value for p in objectives.chart.points] == [95.0, 86.5]

    def read(ef):
        with ef.reading() as session:
            row = session.get(Measurement, "MEA-0002")
            return row.value, row.number, row.measured_on

    assert _reopened(window, path, read) == ("86.5", 86.5, TODAY - dt.timedelta(days=2))


def test_objectives_a_measured_value_edited_to_a_word_is_refused_and_kept(qtbot, window, page,
                                                                          path):  # fmt: skip
    tab = _subtab(qtbot, page, obj.MEASUREMENTS.key)
    tab.select("MEA-0001")
    replace(qtbot, tab.form.editors["value"], "good")
    press(qtbot, TAB)
    assert tab.form.error is tab.form.messages["value"]
    assert "'good' is not a number" in tab.form.error.text()
    replace(qtbot, tab.form.editors["value"], "97")
    press(qtbot, TAB)
    assert not tab.form.messages["value"].isVisible()
    window.undo_stack.undo()  # back to 95
    assert tab.form.editors["value"].text() == "95"
    window.undo_stack.redo()

    def read(ef):
        with ef.reading() as session:
            row = session.get(Measurement, "MEA-0001")
            return row.value, row.number

    assert _reopened(window, path, read) == ("97", 97.0)


def test_objectives_demo_chart_and_gaps_beside_the_objective(qtbot, window, demo_file,
                                                            qtmodeltester):  # fmt: skip
    window.set_engagement(demo_file)
    evaluation = window.evaluation_tab
    with qtbot.waitSignal(evaluation.loaded, timeout=10_000):
        window.select_tab("evaluation")
    tab = _subtab(qtbot, evaluation, obj.OBJECTIVES.key)
    qtmodeltester.check(tab.model)
    assert tab.count_label.text() == "5 objectives; 3 with gaps"
    header = [tab.model.headerData(n, Qt.Orientation.Horizontal) for n in range(6)]
    assert header == ["ID", "Objective", "Owner", "Target", "Due date", "On track"]
    shown = [tab.model.index(n, 5).data() for n in range(tab.model.rowCount())]
    assert shown == ["On track", "Off track", "On track", "Not judged", "Not judged"]
    assert tab.model.index(1, 3).data() == "5"  # the target as written, not 5.0
    tab.table.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    assert tab.model.visible_ids()[:3] == ["OBJ-004", "OBJ-005", "OBJ-002"]
    tab.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    tab.select("OBJ-002")
    assert tab.judgement.text().startswith("<b>Off track</b>")
    assert "6.8 percentage points" in tab.judgement.text()
    assert [p.value for p in tab.chart.points] == [4.1, 5.2, 6.8]
    assert tab.chart.target == 5.0 and not tab.chart.at_least
    assert tab.chart.describe().endswith("; target 5")
    tab.select("OBJ-004")
    assert "MON-01" in tab.gaps.text() and "MON-02" in tab.gaps.text()
    assert tab.chart.points == [] and tab.chart.describe() == "No measurements to draw yet."
    tab.flagged.setChecked(True)
    assert tab.model.visible_ids() == ["OBJ-003", "OBJ-004", "OBJ-005"]
    image = tab.chart.grab()  # it paints
    assert not image.isNull()


def test_objectives_a_measurement_recorded_from_the_objective_and_undone(
    qtbot, window, page, path, monkeypatch
):
    tab = _subtab(qtbot, page, obj.OBJECTIVES.key)
    assert tab.current == "OBJ-001" and [p.value for p in tab.chart.points] == [95.0]
    refusals = []

    def fill(dialog):
        dialog.show()
        assert dialog.form.values()["measured_on"] == TODAY.isoformat()  # today, to change
        focus(qtbot, dialog.form.editors["value"])
        type_text(qtbot, "n/a")
        press(qtbot, TAB)
        type_text(qtbot, "Tom Becker")
        press(qtbot, RETURN)
        refusals.append(dialog.form.messages["value"].text())
        replace(qtbot, dialog.form.editors["value"], "88")
        press(qtbot, RETURN)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    tab.table.setFocus()
    qtbot.keyClick(
        tab.table,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert refusals and "'n/a' is not a number" in refusals[0]
    assert [p.value for p in tab.chart.points] == [95.0, 88.0]
    assert "Off track" in tab.judgement.text()
    window.undo_stack.undo()  # the measurement goes: on track again
    assert [p.value for p in tab.chart.points] == [95.0] and "On track" in tab.judgement.text()
    window.undo_stack.redo()
    assert tab.model.row("OBJ-001") is not None
    measurements = _subtab(qtbot, page, obj.MEASUREMENTS.key)
    assert measurements.count_label.text() == "2 measurements"

    def read(ef):
        item = register.get_item(ef, obj.MEASUREMENTS, "MEA-0002")
        return item.values["objective"], item.values["value"], item.values["measured_by"]

    assert _reopened(window, path, read) == ("OBJ-001", "88", "Tom Becker")
