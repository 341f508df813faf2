"""The client's role register dropped on the window: the People preview, not the workbook
import's; Add to People adds it in one undo step."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from sqlalchemy import select

from app.models import Person
from app.views.common import dialogs
from app.views.workbook.people_dialog import PeopleImportDialog
from tests.conftest import FIXTURES

ROLES = (
    FIXTURES
    / "real-workbooks/urielle"
    / "S5-11_AIMS_Role_and_Accountability_Register_Template.xlsx"
)


def _live_people(ef):
    with ef.reading() as session:
        return sorted(session.scalars(select(Person.name).where(Person.deleted.is_(False))))


def test_role_register_dropped_on_the_window_previews_then_adds_people_undoably(
    qtbot, window, new_file, monkeypatch, tmp_path
):
    path = tmp_path / "roles from the client.xlsx"
    shutil.copy(ROLES, path)
    window.set_engagement(new_file)
    seen = []

    def accept(dialog):
        seen.append(dialog)
        return 1 if isinstance(dialog, PeopleImportDialog) else 0

    monkeypatch.setattr(dialogs, "run_dialog", accept)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, data,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    window.dropEvent(event)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=20_000)
    assert isinstance(seen[0], PeopleImportDialog)
    assert "People: 2 new people (William Hartono, Toru)" in seen[0].preview.toPlainText()
    assert _live_people(new_file) == ["Toru", "William Hartono"]
    window.undo_stack.undo()
    assert _live_people(new_file) == []
    window.undo_stack.redo()
    assert _live_people(new_file) == ["Toru", "William Hartono"]
