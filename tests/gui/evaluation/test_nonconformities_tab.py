"""The Nonconformities tab as a consultant uses it: a nonconformity raised from an audit line,
an effectiveness review typed in its dialog that reopens it, closing, and a bad date refused
at its field; each read back from the reopened file."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.models import Audit, AuditLine
from app.services.engagement.file import create_engagement, open_engagement
from app.services.evaluation import nonconformities as nc
from app.services.evaluation.nonconformities import (
    CORRECTIVE_ACTIONS,
    IMPROVEMENTS,
    NONCONFORMITIES,
)
from app.services.registers import service as register
from app.views.common import dialogs
from tests.gui.common.test_forms_keyboard import _enter
from tests.gui.gui_keys import focus, press, replace

TAB, RETURN = Qt.Key.Key_Tab, Qt.Key.Key_Return


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "client.aims"
    ef = create_engagement(target, client="Acme Analytics GmbH", size="small")
    now = dt.datetime.now()
    with ef.writing() as session:  # an audit line as the audit register records it
        session.add(Audit(id="AUD-001", title="First audit", actual_on=dt.date(2026, 10, 1),
                          status="done", created_at=now, deleted=False))  # fmt: skip
        session.add(AuditLine(id="AUD-001-002", audit="AUD-001", position=2, ref="A.6.2.6",
                              title="Monitoring reviewed", result="minor_nonconformity",
                              created_at=now, deleted=False))  # fmt: skip
        session.add(AuditLine(id="AUD-001-003", audit="AUD-001", position=3, ref="A.7.4",
                              title="Data quality", result="opportunity_for_improvement",
                              created_at=now, deleted=False))  # fmt: skip
    first = register.create(
        ef, NONCONFORMITIES, {"title": "Drift not reviewed", "raised_on": "2026-10-01",
                              "root_cause": "No deputy", "source": "incident"},
    )  # fmt: skip
    register.create(
        ef,
        CORRECTIVE_ACTIONS,
        {"action": "Name a deputy", "nonconformity": first, "done_on": "2026-10-05"},
    )
    nc.close(ef, first, "2026-10-06")
    ef.close()
    return target


@pytest.fixture
def tab(qtbot, window, path):
    window.open_path(path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.evaluation_tab
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    shown = page.registers[NONCONFORMITIES.key]
    if page.tabs.currentWidget() is not shown:  # another register's tab comes first
        with qtbot.waitSignal(shown.loaded, timeout=10_000):
            page.tabs.setCurrentWidget(shown)
    shown.select("NC-001")
    return shown


def _reopened(window, path, item_id="NC-001"):
    window.close_engagement()
    with open_engagement(path) as ef:
        return register.get_item(ef, NONCONFORMITIES, item_id).values


def _typed_in(qtbot, values, seen=None):
    """A dialog filled field by field with the keyboard, then Return (its OK)."""

    def fill(dialog):
        dialog.show()
        qtbot.waitExposed(dialog)
        for name, value in values.items():
            _enter(qtbot, dialog.form, name, value)
        focus(qtbot, dialog.form.editors[next(iter(values))])
        press(qtbot, RETURN)
        if seen is not None:
            seen.append(dialog.form.error.text() if dialog.form.error.isVisible() else "")
        if dialog.isVisible():
            dialog.reject()
        return dialog.result()

    return fill


def test_nonconformity_review_not_effective_reopens_it(qtbot, window, tab, path, monkeypatch):
    assert tab.form.value("status") == "closed" and not tab.close_button.isEnabled()
    assert "CA-001 Name a deputy (done 2026-10-05)" in tab.actions_view.text()
    review = {
        "effectiveness_on": "2026-11-01",
        "effectiveness_by": "Priya Shah",
        "effective": "no",
        "effectiveness_note": "Reports still late",
    }
    monkeypatch.setattr(dialogs, "run_dialog", _typed_in(qtbot, review))
    qtbot.mouseClick(tab.review_button, Qt.MouseButton.LeftButton)
    assert tab.form.value("status") == "open" and tab.close_button.isEnabled()
    assert "Reports still late" in tab.history_view.text()
    window.undo_stack.undo()  # one step: closed again, as it was
    assert tab.form.value("status") == "closed"
    window.undo_stack.redo()
    v = _reopened(window, path)
    assert (v["status"], v["closed_on"], v["effective"]) == ("open", None, "no")
    assert v["effectiveness_note"] == "Reports still late"
    assert v["effectiveness_on"] == dt.date(2026, 11, 1) and v["effectiveness_by"] == "Priya Shah"


def test_nonconformity_review_before_its_action_is_refused_in_the_dialog(
    qtbot, tab, window, path, monkeypatch
):
    seen = []
    review = {"effectiveness_on": "2026-10-02", "effectiveness_by": "Priya Shah"}
    monkeypatch.setattr(dialogs, "run_dialog", _typed_in(qtbot, review, seen))
    qtbot.mouseClick(tab.review_button, Qt.MouseButton.LeftButton)
    assert "CA-001 was done on 2026-10-05, after this review" in seen[0]
    assert _reopened(window, path)["effectiveness_on"] is None


def test_nonconformity_due_date_before_raised_is_refused_at_the_field(qtbot, window, tab, path):
    editor = tab.form.editors["due_date"]
    replace(qtbot, editor, "2026-09-15")
    press(qtbot, TAB)
    assert tab.form.error.isVisible() and "before the nonconformity was raised" in (
        tab.form.error.text()
    )
    assert tab.form.messages["due_date"].isVisible()  # at the field itself
    assert _reopened(window, path)["due_date"] is None


def test_nonconformity_raised_from_an_audit_line_and_closed(qtbot, window, tab, path, monkeypatch):
    offered = []

    def choose(_parent, _title, _label, items):
        offered.extend(items)
        return items[0]

    monkeypatch.setattr(dialogs, "choose_item", choose)
    qtbot.mouseClick(tab.raise_button, Qt.MouseButton.LeftButton)
    assert offered == ["AUD-001-002  A.6.2.6 Monitoring reviewed, minor"]
    assert tab.current == "NC-002" and tab.form.value("source_ref") == "AUD-001-002"
    assert "none yet" in tab.actions_view.text()
    seen = []
    monkeypatch.setattr(dialogs, "run_dialog", _typed_in(qtbot, {"closed_on": "2026-09-30"}, seen))
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    assert "before it was raised" in seen[0]
    monkeypatch.setattr(dialogs, "run_dialog", _typed_in(qtbot, {"closed_on": "2026-10-20"}))
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    assert "NCR-02" in tab.gaps.text()  # closed with no effectiveness review: allowed, a gap
    v = _reopened(window, path, "NC-002")
    assert (v["source"], v["ref"], v["grade"]) == ("internal_audit", "A.6.2.6", "minor")
    assert (v["status"], v["closed_on"]) == ("closed", dt.date(2026, 10, 20))


def test_nonconformity_root_cause_cleared_shows_the_gap_at_once(qtbot, window, tab, path):
    assert tab.gaps.isHidden() is False and "NCR-03" not in tab.gaps.text()  # NCR-02 only
    replace(qtbot, tab.form.editors["root_cause"], "")
    press(qtbot, TAB)
    assert "NCR-03 Corrective actions taken, but no root cause recorded" in tab.gaps.text()
    assert _reopened(window, path)["root_cause"] == ""


def test_improvement_raised_from_an_audit_line(qtbot, window, tab, path, monkeypatch):
    page = window.evaluation_tab
    improvements = page.registers[IMPROVEMENTS.key]
    with qtbot.waitSignal(improvements.loaded, timeout=10_000):
        page.tabs.setCurrentWidget(improvements)
    monkeypatch.setattr(dialogs, "choose_item", lambda _p, _t, _l, items: items[0])
    qtbot.mouseClick(improvements.raise_button, Qt.MouseButton.LeftButton)
    assert improvements.current == "OFI-001"
    assert improvements.form.value("source_ref") == "AUD-001-003"
    window.close_engagement()
    with open_engagement(path) as ef:
        v = register.get_item(ef, IMPROVEMENTS, "OFI-001").values
    assert (v["title"], v["source"]) == ("A.7.4 Data quality", "internal_audit")
