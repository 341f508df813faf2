"""The Management reviews tab as a consultant uses it in the meeting: the inputs' checklist
filled with the keyboard (Tab to the next topic) and undone, Prepare inputs keeping what was
written, an action added from the review, and each read back from the reopened file."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.models import AimsRole, Nonconformity, Person, RoleAssignment
from app.services.engagement.file import create_engagement, open_engagement
from app.services.evaluation import review_inputs
from app.services.evaluation.reviews import ACTIONS, REVIEWS, TOPICS
from app.services.registers import service as register
from app.views.common import dialogs
from tests.gui.gui_keys import focus, press, type_text

TAB, RETURN, SPACE = Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Space
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "client.aims"
    ef = create_engagement(target, client="Acme Analytics GmbH", size="small")
    with ef.writing() as s:
        now = dt.datetime(2024, 1, 1)
        s.add(Person(id="PER-001", name="Dana Whitfield", created_at=now, deleted=False))
        s.add(AimsRole(id="ROL-01", title="Managing board", top_management=True,
                       created_at=now, deleted=False))  # fmt: skip
        since = dt.date(2024, 1, 1)
        s.add(RoleAssignment(id="RA-001", role="ROL-01", person="PER-001", from_date=since,
                             created_at=now, deleted=False))  # fmt: skip
        s.add(Nonconformity(id="NC-001", title="No AI audit", raised_on=dt.date(2025, 3, 1),
                            created_at=now, deleted=False))  # fmt: skip
    register.create(
        ef, REVIEWS, {"title": "Spring review", "held_on": "2025-04-01", "attendees": "PER-001"}
    )
    ef.close()
    return target


@pytest.fixture
def tab(qtbot, window, path):
    window.open_path(path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page = window.evaluation_tab
    reviews = page.registers[REVIEWS.key]
    qtbot.keyClick(window, Qt.Key.Key_8, CTRL)  # Ctrl+8: the Evaluation tab
    assert window.tabs.currentWidget() is page
    with qtbot.waitSignal(reviews.loaded, timeout=10_000):
        page.tabs.setCurrentWidget(reviews)  # its Management reviews tab
    qtbot.waitUntil(lambda: reviews.current == "MR-01")
    return reviews


def _reopened(window, path, read):
    window.close_engagement()
    with open_engagement(path) as ef:
        return read(ef)


def test_checklist_typed_in_the_meeting_saves_each_topic_on_tab(qtbot, window, tab, path):
    assert tab.inputs_box.title() == f"Inputs: 0 of {len(TOPICS)} covered"
    assert "MRV-02" in tab.gaps.text() and "MRV-03" not in tab.gaps.text()
    assert "Dana Whitfield (PER-001): Managing board <b>· top management</b>" in (
        tab.attendees_view.text()
    )
    focus(qtbot, tab.notes["previous_actions"])
    type_text(qtbot, "First review: none")
    press(qtbot, TAB)  # on to the next topic: the note is saved
    qtbot.waitUntil(lambda: tab.notes["issues"].hasFocus())
    type_text(qtbot, "New EU AI Act duties")
    press(qtbot, TAB)
    qtbot.waitUntil(lambda: tab.inputs_box.title() == f"Inputs: 2 of {len(TOPICS)} covered")
    assert tab.marks["issues"].text() == "✔" and tab.marks["audits"].text() == "○"
    # an edit of a written note, then undone: the first text comes back
    focus(qtbot, tab.notes["issues"])
    press(qtbot, Qt.Key.Key_End, CTRL)
    type_text(qtbot, " (Article 26)")
    press(qtbot, TAB)
    qtbot.waitUntil(lambda: "Article 26" in _stored(tab, "issues"))
    focus(qtbot, tab.table)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: _stored(tab, "issues") == "New EU AI Act duties")
    assert tab.notes["issues"].toPlainText() == "New EU AI Act duties"
    notes = _reopened(window, path, lambda ef: _all_notes(ef))
    assert notes == {"previous_actions": "First review: none", "issues": "New EU AI Act duties"}


def _stored(tab, topic):
    found = review_inputs.inputs_of(tab.ef, "MR-01").get(topic)
    return str(found.values["notes"]) if found else ""


def _all_notes(ef):
    return {t: str(i.values["notes"]) for t, i in review_inputs.inputs_of(ef, "MR-01").items()}


def test_prepare_inputs_asks_before_replacing_and_keeps_what_was_written(
    qtbot, window, tab, path, monkeypatch
):
    focus(qtbot, tab.notes["audits"])
    type_text(qtbot, "Told by the internal auditor")
    press(qtbot, TAB)
    qtbot.waitUntil(lambda: _stored(tab, "audits") != "")
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or False)
    focus(qtbot, tab.prepare_button)
    press(qtbot, SPACE)
    qtbot.waitUntil(lambda: tab.prepare_note.text().startswith("Filled"), timeout=10_000)
    assert asked and "1 input of MR-01 already holds notes: Audit results" in asked[0]
    assert tab.prepare_note.text() == "Filled 6 inputs as of 2025-04-01; kept 1 already written."
    assert tab.inputs_box.title() == f"Inputs: {len(TOPICS)} of {len(TOPICS)} covered"
    assert tab.gaps.isHidden()  # every input covered, top management attended
    said = tab.notes["nonconformities"].toPlainText()
    assert said.startswith("As of 2025-04-01: 1 nonconformity open (NC-001)")
    assert tab.links["nonconformities"].text() == "Items: NC-001"
    assert tab.links["audits"].isHidden()
    # one undo step takes the prepared inputs back out (from the list: a note box would
    # undo its own typing)
    focus(qtbot, tab.table)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: tab.inputs_box.title() == f"Inputs: 1 of {len(TOPICS)} covered")
    focus(qtbot, tab.table)
    window.undo_stack.redo()  # (as the other tabs' tests redo)
    qtbot.waitUntil(lambda: tab.inputs_box.title() == f"Inputs: 7 of {len(TOPICS)} covered")
    notes = _reopened(window, path, _all_notes)
    assert notes["audits"] == "Told by the internal auditor"
    assert notes["audits"] != notes["monitoring"] and len(notes) == len(TOPICS)


def test_an_action_added_from_the_review(qtbot, window, tab, path, monkeypatch):
    def run(dialog):
        dialog.show()
        focus(qtbot, dialog.form.editors["action"])
        type_text(qtbot, "Fund the AI audit")
        press(qtbot, TAB)
        type_text(qtbot, "Dana Whitfield")
        press(qtbot, TAB)
        type_text(qtbot, "2025-02-30")  # no such day: refused at the field
        press(qtbot, RETURN)
        assert dialog.isVisible() and "February 2025 has 28 days" in dialog.form.error.text()
        focus(qtbot, dialog.form.editors["due_date"])
        press(qtbot, Qt.Key.Key_A, CTRL)
        type_text(qtbot, "2025-05-15")
        press(qtbot, RETURN)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", run)
    focus(qtbot, tab.add_action_button)
    press(qtbot, SPACE)
    qtbot.waitUntil(lambda: "MRA-001 Fund the AI audit" in tab.actions_view.text())
    assert "<b>(overdue)</b>" in tab.actions_view.text()  # due in 2025, not done
    action = _reopened(window, path, lambda ef: register.get_item(ef, ACTIONS, "MRA-001"))
    assert action.values["review"] == "MR-01" and action.values["owner"] == "Dana Whitfield"
    assert action.values["due_date"] == dt.date(2025, 5, 15)
