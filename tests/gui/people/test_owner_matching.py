"""Matching owners to People from the People tab: it runs off the UI thread with progress,
reports what it found, and every tab then shows the person's spelling; Cancel changes nothing."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import select, update

from app.models import AISystem, Person
from app.services.engagement.file import open_engagement
from app.services.generator import create_large
from app.services.people import owners
from app.views.common import dialogs


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "large.aims"
    ef = create_large(target, history_rows=0, systems=40, assessments=40, risk_count=200,
                      context_items=5)  # fmt: skip
    owners.add_person(ef, "Owner 7")
    with ef.writing() as session:
        session.execute(
            update(AISystem).where(AISystem.id == "AIS-00001").values(business_owner="OWNER  7")
        )
    ef.close()
    return target


@pytest.fixture
def people(qtbot, window, path):
    window.open_path(path)
    window.select_tab("people")
    return window.people_tab


def test_owner_matching_from_people_tab_reports_and_respells(
    qtbot, window, people, path, monkeypatch
):
    shown = []
    monkeypatch.setattr(dialogs, "info", lambda _p, title, text: shown.append((title, text)))
    window.select_tab("inventory")
    window.wait_until_loaded()
    window.select_tab("people")
    action = people.match_owners
    with qtbot.waitSignal(people.data_changed, timeout=20_000):
        action.add_action.trigger()
    assert shown and shown[0][0] == "Owners matched to People"
    assert "Added" in shown[0][1] and "respelled" in action.note.text()
    inventory = window.inventory_tab
    qtbot.waitUntil(lambda: not inventory.is_loading(), timeout=10_000)
    model = inventory.model
    column = next(
        c for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == "Business owner"
    )  # fmt: skip
    cell = model.index(model.position("AIS-00001"), column)
    assert cell.data() == "Owner 7"
    window.close_engagement()
    with open_engagement(path, read_only=True) as ef, ef.reading() as session:
        assert session.get(AISystem, "AIS-00001").business_owner == "Owner 7"
        assert len(session.scalars(select(Person.id)).all()) > 1


def test_owner_matching_cancelled_changes_nothing(qtbot, window, people, path, monkeypatch):
    real, gate = owners.match_owners, threading.Event()

    def held(ef, add_new=False):  # the real run, held after its first step until Cancel
        steps = real(ef, add_new)
        yield next(steps)
        gate.wait(10)
        return (yield from steps)

    monkeypatch.setattr(owners, "match_owners", held)
    action = people.match_owners
    action.add_action.trigger()
    task = action.task
    with qtbot.waitSignal(task.signals.cancelled, timeout=20_000):
        action.progress.findChild(QPushButton).click()  # the progress dialog's Cancel
        gate.set()
    assert action.note.text() == "Matching owners cancelled: nothing was changed."
    window.close_engagement()
    with open_engagement(path, read_only=True) as ef, ef.reading() as session:
        assert session.scalars(select(Person.name)).all() == ["Owner 7"]
        assert session.get(AISystem, "AIS-00001").business_owner == "OWNER  7"
