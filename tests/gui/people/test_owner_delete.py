"""Deleting a person who owns items asks first and says what they own, per area."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.services.engagement.file import create_engagement
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

    path = tmp_path / "c.aims"
    with create_engagement(path, client="Acme", size="small") as ef:
        pid = register.create(ef, PEOPLE, {"name": "Sam Lee"})
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
