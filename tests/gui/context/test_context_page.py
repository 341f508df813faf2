"""The Context tab as a consultant uses it: every field of each context register typed with
the keyboard and read back from the reopened file, the climate change answer, refusals at the
field, add, delete and undo, the gaps filter, and one search across every register."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.services import status
from app.services.context import climate
from app.services.context.registers import ISSUES, OBLIGATIONS, PARTIES, REQUIREMENTS
from app.services.engagement.file import create_engagement, open_engagement
from app.services.inventory import service as inventory
from app.services.registers import service as register
from app.services.risks import service as risks
from app.views.common import dialogs
from app.views.registers.model import DescribedModel
from tests.gui.common.test_forms_keyboard import _choose, _expected, _fill
from tests.gui.gui_keys import focus, press, replace, type_text

TAB, RETURN = Qt.Key.Key_Tab, Qt.Key.Key_Return


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "client.aims"
    ef = create_engagement(target, client="Acme Analytics GmbH", size="small")
    inventory.create_system(ef, {"name": "Chatbot"})
    risks.save_risk(ef, None, {"title": "Drift", "inherent_likelihood": 1, "inherent_impact": 1})
    party = register.create(ef, PARTIES, {"name": "Customers"})
    register.create(ef, ISSUES, {"title": "New law"})
    register.create(ef, REQUIREMENTS, {"requirement": "Explanations", "party": party})
    register.create(ef, OBLIGATIONS, {"title": "AI Act"})
    ef.close()
    return target


@pytest.fixture
def page(qtbot, window, path):
    window.open_path(path)
    context = window.context_tab
    window.activateWindow()  # a shortcut reaches only the active window
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(context.loaded, timeout=10_000):
        press_on(qtbot, window, Qt.Key.Key_2)  # Ctrl+2: the second tab
    return context


def press_on(qtbot, window, key):
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)


def _subtab(qtbot, page, key):
    tab = page.registers[key]
    if not tab._started:
        with qtbot.waitSignal(tab.loaded, timeout=10_000):
            page.tabs.setCurrentWidget(tab)
    else:
        page.tabs.setCurrentWidget(tab)
    return tab


def _reopened(window, path, read):
    window.close_engagement()
    with open_engagement(path) as ef:
        return read(ef)


ISSUE = {
    "title": "EU AI Act in force",
    "direction": "external",
    "category": "legal",
    "description": "High-risk duties apply\nfrom 2026",
    "effect": "Scope and impact assessments",
    "source": "Official Journal",
    "risks": "R-001",
    "owner": "Head of Legal",
    "review_date": dt.date(2027, 6, 30),
}
PARTY = {
    "name": "Supervisor",
    "party_type": "regulator",
    "description": "Licenses the lender",
    "contact": "Supervision team",
}
REQUIREMENT = {
    "requirement": "Notice of model changes",
    "party": "IP-001",
    "addressed": "partly",
    "how": "Quarterly letter\nto the supervisor",
}
OBLIGATION = {
    "title": "EU AI Act",
    "kind": "regulatory",
    "jurisdiction": "EU",
    "systems": "AIS-001",
    "owner": "Chief Risk Officer",
    "status": "assessing",
    "notes": "High-risk credit model",
}


@pytest.mark.parametrize(
    ("reg", "values"),
    [(ISSUES, ISSUE), (PARTIES, PARTY), (REQUIREMENTS, REQUIREMENT), (OBLIGATIONS, OBLIGATION)],
    ids=lambda v: getattr(v, "key", ""),
)
def test_context_every_field_by_keyboard(qtbot, window, page, path, reg, values):
    assert set(values) == set(reg.spec)
    tab = _subtab(qtbot, page, reg.key)
    _fill(qtbot, tab.form, values)
    assert window.state_label.text() == "All changes saved"
    item = _reopened(window, path, lambda ef: register.list_items(ef, reg)[0])
    assert item.values == _expected(reg.spec, values)


def test_context_bad_date_is_refused_at_the_field_and_not_saved(qtbot, window, page, path):
    tab = _subtab(qtbot, page, ISSUES.key)
    editor = tab.form.editors["review_date"]
    replace(qtbot, editor, "2027-02-30")
    press(qtbot, TAB)
    assert tab.form.error.isVisible() and "is not a date" in tab.form.error.text()
    assert "not saved" in window.state_label.text().lower() or window.state_label.text() != (
        "All changes saved"
    )
    assert (
        _reopened(window, path, lambda ef: register.list_items(ef, ISSUES)[0].review_date) is None
    )


def test_context_unknown_link_is_refused_with_what_to_give(qtbot, page):
    tab = _subtab(qtbot, page, OBLIGATIONS.key)
    replace(qtbot, tab.form.editors["systems"], "AIS-001, AIS-404")
    press(qtbot, TAB)
    assert "there is no AI system AIS-404" in tab.form.error.text()


def test_context_climate_change_answer_by_keyboard_and_undo(qtbot, window, page, path):
    assert "CTX-03" in page.climate_note.text()
    _choose(qtbot, page.climate_form.editors["climate_change"], "No, for a reason")
    focus(qtbot, page.climate_form.editors["climate_reason"])
    type_text(qtbot, "Offices only; no physical assets at risk")
    press(qtbot, TAB)
    assert "Recorded" in page.climate_note.text()
    assert climate.get(page.ef).considered
    window.undo_stack.undo()  # the reason goes again: not considered
    assert "CTX-03" in page.climate_note.text()
    window.undo_stack.redo()
    considered = _reopened(window, path, lambda ef: status.summary(ef)["context"])
    assert considered["climate_change_considered"] is True


def test_context_add_with_insert_delete_with_delete_and_undo(qtbot, window, page, monkeypatch):
    tab = _subtab(qtbot, page, ISSUES.key)

    def fill(dialog):
        assert dialog.form.values()["id"] == "ISS-002"
        dialog.show()
        focus(qtbot, dialog.form.editors["title"])
        type_text(qtbot, "Skills shortage")
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Insert)
    assert tab.current == "ISS-002" and tab.count_label.text() == "2 issues"
    focus(qtbot, tab.table)  # back from the dialog
    press(qtbot, Qt.Key.Key_Delete)
    assert tab.model.row("ISS-002") is None and tab.count_label.text() == "1 issue"
    window.undo_stack.undo()
    assert tab.model.row("ISS-002").values["title"] == "Skills shortage"
    window.undo_stack.undo()  # the add taken back
    assert tab.model.row("ISS-002") is None


def test_context_gaps_show_beside_the_item_and_filter(qtbot, window, demo_file, qtmodeltester):
    window.set_engagement(demo_file)
    context = window.context_tab
    with qtbot.waitSignal(context.loaded, timeout=10_000):
        window.select_tab("context")
    tab = _subtab(qtbot, context, REQUIREMENTS.key)
    assert isinstance(tab.model, DescribedModel)
    qtmodeltester.check(tab.model)
    assert tab.count_label.text() == "6 party requirements; 1 with gaps"
    party = tab.model.index(tab.model.position("REQ-004"), 2)  # the party by ID and name
    assert party.data() == "IP-003 Central Bank of Ireland"
    tab.flagged.setChecked(True)
    assert tab.model.visible_ids() == ["REQ-004"]
    tab.flagged.setChecked(False)
    tab.select("REQ-004")
    assert tab.gaps.isVisible() and "CTX-01" in tab.gaps.text()
    _choose(qtbot, tab.form.editors["addressed"], "Yes")
    assert not tab.gaps.isVisible() and tab.count_label.text().endswith("0 with gaps")
    tab.flagged.setChecked(True)  # decided: nothing left with a gap
    assert tab.model.rowCount() == 0
    assert register.get_item(tab.ef, REQUIREMENTS, "REQ-004").values["addressed"] == "yes"


def test_context_search_every_register_opens_the_hit(qtbot, window, demo_file, monkeypatch):
    window.set_engagement(demo_file)
    opened = []

    def search(dialog):
        opened.append(dialog)
        dialog.show()
        focus(qtbot, dialog.query)
        type_text(qtbot, "broker agreements")
        dialog.wait()
        assert dialog.hits.rows and dialog.hits.rows[0].item_id == "OBL-005"
        press(qtbot, RETURN)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", search)
    qtbot.keyClick(
        window,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert opened, "Ctrl+Shift+F opened no search"
    assert window.tabs.currentWidget() is window.context_tab
    tab = window.context_tab.current_tab()
    assert tab.reg is OBLIGATIONS and tab.current == "OBL-005"
    # opening the hit made no other tab (the dashboard, the first page, is made at once)
    assert set(window._made) == {"dashboard", "context"}
    assert QApplication.activeModalWidget() is None


def test_context_links_are_picked_by_name_from_a_list(qtbot, window, demo_file):
    """Typing part of a name offers the items; the pick puts in the ID and saves it."""
    window.set_engagement(demo_file)
    context = window.context_tab
    with qtbot.waitSignal(context.loaded, timeout=10_000):
        window.select_tab("context")
    tab = _subtab(qtbot, context, REQUIREMENTS.key)
    tab.select("REQ-004")
    party = tab.form.editors["party"]
    replace(qtbot, party, "broker")
    popup = party.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, RETURN)
    assert register.get_item(tab.ef, REQUIREMENTS, "REQ-004").values["party"] == "IP-004"
    assert party.text() == "IP-004"
    tab = _subtab(qtbot, context, OBLIGATIONS.key)
    tab.select("OBL-005")
    systems = tab.form.editors["systems"]
    focus(qtbot, systems)
    press(qtbot, Qt.Key.Key_End)
    type_text(qtbot, ", fraud")
    qtbot.waitUntil(systems.completer().popup().isVisible)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, RETURN)
    stored = register.get_item(tab.ef, OBLIGATIONS, "OBL-005").values["systems"]
    assert stored == "AIS-009, AIS-002"


def test_context_delete_of_a_party_a_requirement_names_asks_first(
    qtbot, window, demo_file, monkeypatch
):
    window.set_engagement(demo_file)
    context = window.context_tab
    with qtbot.waitSignal(context.loaded, timeout=10_000):
        window.select_tab("context")
    tab = _subtab(qtbot, context, PARTIES.key)
    tab.select("IP-003")
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or False)
    focus(qtbot, tab.table)
    press(qtbot, Qt.Key.Key_Delete)
    assert asked == [
        "IP-003 is named by REQ-004. Delete it anyway? Edit > Undo (Ctrl+Z) brings it back."
    ]
    assert tab.model.row("IP-003") is not None  # kept: the user said no
    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    press(qtbot, Qt.Key.Key_Delete)
    assert tab.model.row("IP-003") is None
    issues = _subtab(qtbot, context, ISSUES.key)  # nothing names an issue: no question
    issues.select("ISS-001")
    asked.clear()
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or True)
    focus(qtbot, issues.table)
    press(qtbot, Qt.Key.Key_Delete)
    assert asked == [] and issues.model.row("ISS-001") is None
