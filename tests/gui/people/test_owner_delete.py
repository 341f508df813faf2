"""Deleting a person who owns items asks first and says what they own, per area."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from app.services.engagement.file import create_engagement, open_engagement
from app.services.people.registers import PEOPLE
from app.services.registers import service as register
from app.services.risks import service as risks
from app.views.common import dialogs
from tests.gui.gui_keys import focus, press


def _people_shown(qtbot, window, path, pid: str):
    """The file open on its People register, `pid` selected."""
    window.open_path(path)
    with qtbot.waitSignal(window.people_tab.loaded, timeout=10_000):
        window.select_tab("people")
    tab = window.people_tab.show_register(PEOPLE.key)
    qtbot.waitUntil(lambda: tab._started and not tab.is_loading(), timeout=10_000)
    tab.select(pid)
    return tab


def _sam_lee(tmp_path):
    """A new engagement with one person, who holds and owns nothing: (its path, their ID)."""
    path = tmp_path / "c.aims"
    with create_engagement(path, client="Acme", size="small") as ef:
        return path, register.create(ef, PEOPLE, {"name": "Sam Lee"})


def test_owner_delete_of_a_person_who_owns_items_asks(qtbot, window, tmp_path, monkeypatch):
    path = tmp_path / "c.aims"
    with create_engagement(path, client="Acme", size="small") as ef:
        pid = register.create(ef, PEOPLE, {"name": "Dana Whitfield"})
        for title in ("Drift", "Bias"):
            risks.save_risk(ef, None, {"title": title, "owner": "DANA WHITFIELD",
                                       "inherent_likelihood": 1, "inherent_impact": 1})  # fmt: skip
    tab = _people_shown(qtbot, window, path, pid)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or False)
    focus(qtbot, tab.table)
    press(qtbot, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)  # what they hold is read off the UI thread
    assert asked == [
        f"{pid} Dana Whitfield owns 2 items in Risks (those keep the name as typed, naming no "
        "person). Delete them anyway? Edit > Undo (Ctrl+Z) brings them back."
    ]
    assert tab.model.row(pid) is not None  # refused: still there


def test_owner_delete_of_a_person_who_holds_nothing_deletes_after_the_check(
    qtbot, window, tmp_path, monkeypatch
):
    from app.services.engagement.file import open_engagement

    path, pid = _sam_lee(tmp_path)
    tab = _people_shown(qtbot, window, path, pid)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or True)
    focus(qtbot, tab.table)
    press(qtbot, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: tab._checking is None, timeout=10_000)
    assert asked == []  # nothing to say: deleted without a question
    with open_engagement(path, read_only=True) as reopened:
        assert register.get_item(reopened, PEOPLE, pid).deleted
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with open_engagement(path, read_only=True) as reopened:
        assert not register.get_item(reopened, PEOPLE, pid).deleted


def _held_once_let_go(monkeypatch) -> threading.Event:
    """What a person holds is read only once the returned gate is opened."""
    from app.services.people import service as people

    gate = threading.Event()
    slow = people.what_they_hold
    monkeypatch.setattr(
        people, "what_they_hold", lambda ef, person: (gate.wait(10), slow(ef, person))[1]
    )
    return gate


def test_owner_delete_checked_while_another_engagement_opens_touches_neither(
    qtbot, window, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QApplication

    from app.services.engagement.file import open_engagement

    a, b = tmp_path / "a.aims", tmp_path / "b.aims"
    with create_engagement(a, client="A", size="small") as ef:
        pid = register.create(ef, PEOPLE, {"name": "Sam Lee"})
    create_engagement(b, client="B", size="small").close()
    tab = _people_shown(qtbot, window, a, pid)
    gate = _held_once_let_go(monkeypatch)
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    focus(qtbot, tab.table)
    press(qtbot, Qt.Key.Key_Delete)
    checking = tab._checking
    assert checking is not None
    gate.set()
    assert checking.wait(10)  # its answer waits in the queue while B is opened
    assert window.open_path(b)
    QApplication.processEvents()  # the answer arrives, for a tab whose file is closed
    with open_engagement(a, read_only=True) as reopened:
        assert not register.get_item(reopened, PEOPLE, pid).deleted
    assert window.undo_stack.count() == 0  # B's undo holds nothing of A


def test_owner_delete_undone_during_the_check_pushes_nothing_stale(
    qtbot, window, tmp_path, monkeypatch
):
    path, pid = _sam_lee(tmp_path)
    tab = _people_shown(qtbot, window, path, pid)
    tab.push_existence(f"Add {pid}", pid, True, tab._set_deleted)  # as if added in the tab
    gate = _held_once_let_go(monkeypatch)
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    focus(qtbot, tab.table)
    press(qtbot, Qt.Key.Key_Delete)
    window.undo_stack.undo()  # Ctrl+Z while the check runs: the person's adding taken back
    gate.set()
    qtbot.waitUntil(lambda: tab._checking is None, timeout=10_000)
    assert window.undo_stack.count() == 1 and window.undo_stack.canRedo()  # no stale step
    assert register.get_item(window.ef, PEOPLE, pid).deleted


def test_owner_delete_of_a_holder_is_shown_on_role_holders_and_undone_there(
    qtbot, window, tmp_path, monkeypatch
):
    from app.services.people.registers import HOLDERS, ROLES

    path, pid = _sam_lee(tmp_path)
    with open_engagement(path) as ef:
        rid = register.create(ef, ROLES, {"title": "Internal auditor"})
        holding = register.create(ef, HOLDERS, {"role": rid, "person": pid})
    tab = _people_shown(qtbot, window, path, pid)
    holders = window.people_tab.show_register(HOLDERS.key)  # loaded once, then left
    qtbot.waitUntil(lambda: holders._started and not holders.is_loading(), timeout=10_000)
    assert list(holders.model.row(holding).found) == ["PPL-01"]
    window.people_tab.show_register(PEOPLE.key)
    monkeypatch.setattr(dialogs, "confirm", lambda *_a: True)
    focus(qtbot, tab.table)
    press(qtbot, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: tab._checking is None and not holders.is_loading(), timeout=10_000)
    qtbot.waitUntil(lambda: list(holders.model.row(holding).found) == ["PPL-12"], timeout=10_000)
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: list(holders.model.row(holding).found) == ["PPL-01"], timeout=10_000)
