"""Deleting a person who owns items asks first and says what they own, per area."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from app.services.engagement.file import create_engagement
from app.services.people import owners
from app.services.registers import service as register
from app.services.risks import service as risks
from app.views.common import dialogs
from app.views.registers.tab import DescribedTab
from tests.unit.people.test_owners import PEOPLE


def test_owner_delete_of_a_person_who_owns_items_asks(qtbot, tmp_path, monkeypatch):
    ef = create_engagement(tmp_path / "c.aims", client="Acme", size="small")
    pid = owners.add_person(ef, "Dana Whitfield")
    for title in ("Drift", "Bias"):
        risks.save_risk(ef, None, {"title": title, "owner": "DANA WHITFIELD",
                                   "inherent_likelihood": 1, "inherent_impact": 1})  # fmt: skip
    tab = DescribedTab(ef, QUndoStack(), PEOPLE)
    qtbot.addWidget(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.show()
    tab.select(pid)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or False)
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert asked and "PER-001 owns 2 items in Risks" in asked[0]
    assert register.get_item(ef, PEOPLE, pid).deleted is False
    ef.close()
