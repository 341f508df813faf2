"""The People tab as a consultant uses it: a person added with the keyboard, the starting
roles added from the roles tab's button, a role holder added and completed by keys with their
competence state shown, everything read back from the reopened file; deleting a person who
holds a role asks first and says what they hold."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.engagement.file import create_engagement, open_engagement
from app.services.people.registers import HOLDERS, PEOPLE, ROLES
from app.services.registers import service as register
from app.views.common import dialogs
from tests.gui.gui_keys import focus, press, replace, type_text

TAB = Qt.Key.Key_Tab


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "client.aims"
    create_engagement(target, client="Acme Analytics GmbH", size="small").close()
    return target


@pytest.fixture
def page(qtbot, window, path):
    window.open_path(path)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(window.people_tab.loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    return window.people_tab


def _subtab(qtbot, page, key):
    tab = page.registers[key]
    if not tab._started:
        with qtbot.waitSignal(tab.loaded, timeout=10_000):
            page.tabs.setCurrentWidget(tab)
    else:
        page.tabs.setCurrentWidget(tab)
    return tab


def _add_by_keys(qtbot, monkeypatch, tab, typed: list[str]):
    """Insert on the list, then each first field of the dialog typed, Tab between them."""

    def fill(dialog):
        dialog.show()
        focus(qtbot, dialog.form.editors["id"])
        press(qtbot, TAB)  # from the ID to the first field
        for text in typed:
            type_text(qtbot, text)
            press(qtbot, TAB)
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    focus(qtbot, tab.table)
    press(qtbot, Qt.Key.Key_Insert)


def test_people_a_person_the_starting_roles_and_a_holder_by_keys(
    qtbot, window, page, path, monkeypatch
):
    people = _subtab(qtbot, page, PEOPLE.key)
    _add_by_keys(qtbot, monkeypatch, people, ["Dana Whitfield", "Chief Executive", "Board"])
    assert people.current == "PER-001" and people.count_label.text().startswith("1 person")
    replace(qtbot, people.form.editors["email"], "dana@acme.example")
    press(qtbot, TAB)

    roles = _subtab(qtbot, page, ROLES.key)
    assert roles.starting_button.isVisible() and not roles.more.isVisible()
    assert not roles.performance.isHidden()  # PPL-05: no role reports performance yet
    focus(qtbot, roles.starting_button)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: roles.model.total() == 7, timeout=10_000)
    assert not roles.starting_button.isVisible() and roles.more.isVisible()
    assert not roles.starting_action.isEnabled()  # nothing left to add
    assert roles.performance.isHidden()  # the AIMS lead reports it

    holders = _subtab(qtbot, page, HOLDERS.key)
    _add_by_keys(qtbot, monkeypatch, holders, ["ROLE-01", "PER-001", "2026-01-15"])
    assert holders.current == "RH-001"
    replace(qtbot, holders.form.editors["communicated"], "Board resolution")
    press(qtbot, TAB)
    assert holders.state.isVisible()
    assert "ROLE-01 Top management requires no competence yet" in holders.state.text()
    assert "PPL-01" in holders.gaps.text()
    assert window.state_label.text() == "All changes saved"

    window.close_engagement()
    with open_engagement(path) as ef:
        person = register.get_item(ef, PEOPLE, "PER-001").values
        holding = register.get_item(ef, HOLDERS, "RH-001").values
        titles = [r.values["title"] for r in register.list_items(ef, ROLES)]
    assert (person["name"], person["job_title"], person["department"], person["email"]) == (
        "Dana Whitfield", "Chief Executive", "Board", "dana@acme.example",
    )  # fmt: skip
    assert (holding["role"], holding["person"], str(holding["from_date"])) == (
        "ROLE-01", "PER-001", "2026-01-15",
    )  # fmt: skip
    assert holding["communicated"] == "Board resolution"
    assert titles[0] == "Top management" and len(titles) == 7


def test_people_deleting_a_holder_asks_and_says_what_they_hold(qtbot, window, path, monkeypatch):
    with open_engagement(path) as ef:
        pid = register.create(ef, PEOPLE, {"name": "Sam Lee"})
        rid = register.create(ef, ROLES, {"title": "Internal auditor"})
        register.create(ef, HOLDERS, {"role": rid, "person": pid})
    window.open_path(path)
    with qtbot.waitSignal(window.people_tab.loaded, timeout=10_000):
        window.select_tab("people")
    tab = _subtab(qtbot, window.people_tab, PEOPLE.key)
    tab.select(pid)
    asked = []
    monkeypatch.setattr(
        dialogs, "confirm", lambda _parent, _title, text: asked.append(text) or False
    )
    focus(qtbot, tab.table)
    press(qtbot, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)  # what they hold is read off the UI thread
    assert asked == [
        f"{pid} Sam Lee holds {rid} Internal auditor. Delete them anyway? "
        "Edit > Undo (Ctrl+Z) brings them back."
    ]
    assert tab.model.row(pid) is not None  # refused: still there


def test_people_one_person_twice_merged_and_the_merge_undone(qtbot, window, path, monkeypatch):
    with open_engagement(path) as ef:
        keep = register.create(ef, PEOPLE, {"name": "Dana Whitfield"})
        drop = register.create(ef, PEOPLE, {"name": "D. Whitfield"})
        rid = register.create(ef, ROLES, {"title": "Top management"})
        holding = register.create(ef, HOLDERS, {"role": rid, "person": drop})
    window.open_path(path)
    with qtbot.waitSignal(window.people_tab.loaded, timeout=10_000):
        window.select_tab("people")
    tab = _subtab(qtbot, window.people_tab, PEOPLE.key)
    tab.select(drop)
    offered = []

    def choose(_parent, _title, label, items):
        offered.append((label, items))
        return items[0]

    monkeypatch.setattr(dialogs, "choose_item", choose)
    focus(qtbot, tab.merge_button)
    press(qtbot, Qt.Key.Key_Space)
    assert offered == [(f"Keep which entry of {drop}'s person?", [f"{keep} Dana Whitfield"])]
    assert tab.model.row(drop) is None and tab.current == keep
    assert register.get_item(tab.ef, HOLDERS, holding).values["person"] == keep
    window.undo_stack.undo()
    assert tab.model.row(drop) is not None
    assert register.get_item(tab.ef, HOLDERS, holding).values["person"] == drop
    window.undo_stack.redo()
    window.close_engagement()
    with open_engagement(path) as ef:
        assert register.get_item(ef, HOLDERS, holding).values["person"] == keep
        assert register.get_item(ef, PEOPLE, drop).deleted


def test_people_a_roles_authorities_are_picked_by_label(qtbot, window, path):
    with open_engagement(path) as ef:
        rid = register.create(ef, ROLES, {"title": "Risk committee"})
    window.open_path(path)
    with qtbot.waitSignal(window.people_tab.loaded, timeout=10_000):
        window.select_tab("people")
    tab = _subtab(qtbot, window.people_tab, ROLES.key)
    tab.select(rid)
    editor = tab.form.editors["authorities"]
    replace(qtbot, editor, "residual")
    qtbot.waitUntil(editor.completer().popup().isVisible)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    assert editor.text() == "Accept residual AI risk"
    type_text(qtbot, ", impact")
    qtbot.waitUntil(editor.completer().popup().isVisible)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, TAB)
    assert editor.text() == "Accept residual AI risk, Approve impact assessments"
    window.close_engagement()
    with open_engagement(path) as ef:
        stored = register.get_item(ef, ROLES, rid).values["authorities"]
    assert stored == "accept_risk, approve_impact_assessment"
