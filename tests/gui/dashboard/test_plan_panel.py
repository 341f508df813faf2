"""The certification plan on the dashboard: dates typed in the table with the keyboard, kept
in the file, refused at once when they cannot be, and undone."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from app.services.engagement.file import create_engagement, open_engagement
from app.services.readiness import plan
from app.views.dashboard.plan import DONE, PLANNED, PlanPanel
from tests.gui.gui_keys import focus, press, type_text

START = dt.date(2026, 1, 15)


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "client.aims"
    create_engagement(target, client="Acme", size="small", aims_started_on=START).close()
    return target


@pytest.fixture
def panel(qtbot, path):
    ef = open_engagement(path)
    stack = QUndoStack()
    widget = PlanPanel(ef, stack)
    widget.stack = stack
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    ef.close()


def _row(key: str) -> int:
    return [k for k, _title in plan.MILESTONES].index(key)


def _type_into(qtbot, panel, key: str, column: int, text: str, end=Qt.Key.Key_Return) -> None:
    index = panel.model.index(_row(key), column)
    focus(qtbot, panel.table)
    panel.table.setCurrentIndex(index)
    press(qtbot, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: panel.table.state() == panel.table.State.EditingState)
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, text) if text else press(qtbot, Qt.Key.Key_Delete)
    press(qtbot, end)
    # the delegate commits and closes its editor on the next turn of the event loop
    qtbot.waitUntil(lambda: panel.table.state() != panel.table.State.EditingState)


def _cell(panel, key: str, column: int) -> str:
    return panel.model.index(_row(key), column).data()


def test_plan_panel_planned_date_typed_kept_and_undone(qtbot, panel, path):
    computed = _cell(panel, "internal_audit", PLANNED)
    with qtbot.waitSignal(panel.changed):
        _type_into(qtbot, panel, "internal_audit", PLANNED, "2026-05-20")
    assert _cell(panel, "internal_audit", PLANNED) == "2026-05-20"
    assert "Set in the plan" in panel.model.index(_row("internal_audit"), 3).data()
    with open_engagement(path, read_only=True) as ef:
        assert plan.plan(ef).get("internal_audit").planned == dt.date(2026, 5, 20)
    with qtbot.waitSignal(panel.changed):
        panel.stack.undo()
    assert _cell(panel, "internal_audit", PLANNED) == computed
    with open_engagement(path, read_only=True) as ef:
        assert plan.plan(ef).get("internal_audit").source == "typical"


def test_plan_panel_day_reached_typed_fills_the_timeline(qtbot, panel, path):
    with qtbot.waitSignal(panel.changed):
        _type_into(qtbot, panel, "gap_assessment", DONE, "2026-02-03")
    assert _cell(panel, "gap_assessment", DONE) == "2026-02-03"
    assert "Gap assessment reached 2026-02-03" in panel.chart.toolTip()
    with open_engagement(path, read_only=True) as ef:
        gap = plan.plan(ef).get("gap_assessment")
    assert (gap.date, gap.done) == (dt.date(2026, 2, 3), True)


def test_plan_panel_stage1_typed_tighter_than_typical_shows_the_warning(qtbot, panel, path):
    assert panel.warning.isHidden()
    with qtbot.waitSignal(panel.changed):
        _type_into(qtbot, panel, "stage1", PLANNED, "2026-03-20")
    assert not panel.warning.isHidden()
    assert "leaves 2 months from the start on 2026-01-15" in panel.warning.text()
    assert "about 2 months short" in panel.warning.text()
    with open_engagement(path, read_only=True) as ef:
        assert ef.details.stage1_date == dt.date(2026, 3, 20)


def test_plan_panel_refuses_a_bad_or_future_date_and_saves_nothing(qtbot, panel, path):
    _type_into(qtbot, panel, "stage2", DONE, "2099-01-01")
    assert "a day still to come" in panel.error.text() and not panel.error.isHidden()
    _type_into(qtbot, panel, "stage2", PLANNED, "2026-02-30")
    assert "'2026-02-30' is not a date: February 2026 has 28 days." in panel.error.text()
    assert panel.stack.count() == 0
    with open_engagement(path, read_only=True) as ef:
        assert plan.plan(ef).get("stage2").source == "typical"


def test_plan_panel_escape_drops_the_typed_date(qtbot, panel, path):
    before = _cell(panel, "certificate", PLANNED)
    _type_into(qtbot, panel, "certificate", PLANNED, "2027-01-01", end=Qt.Key.Key_Escape)
    assert _cell(panel, "certificate", PLANNED) == before and panel.stack.count() == 0
