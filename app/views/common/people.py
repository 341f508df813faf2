"""People's names where a form asks for an owner, an assessor, an approver or an acceptor:
offered as you type, a typed name saved in the person's spelling, a new name offered to People."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from app.services.engagement.file import EngagementFile
from app.views.common import dialogs, worker
from app.views.common.completion import complete
from app.views.registers.link_completer import _FocusWatcher

if TYPE_CHECKING:
    from types import ModuleType

    from app.services.people.owners import Spelling


def _owners() -> ModuleType:
    """The people service, loaded when a person field is first used: a tab opens with only
    its own area's models (every area's owners would load them all)."""
    from app.services.people import owners

    return owners


class PeopleNames:
    """One engagement's people, for the person fields of a tab's forms."""

    def __init__(self, ef: EngagementFile) -> None:
        self.ef = ef

    def names(self) -> list[str]:
        names: list[str] = _owners().names(self.ef)
        return names

    def spelling(self, text: str) -> Spelling:
        found: Spelling = _owners().spelling(self.ef, text)
        return found

    def add(self, name: str) -> str:
        person: str = _owners().add_person(self.ef, name)
        return person

    def completer(self, editor: QLineEdit, parent: QWidget) -> QCompleter:
        """A completer of people's names on `editor`, read afresh off the UI thread when it
        gets the focus (not on every row selected; 5,000 names read on the UI thread, the
        first time with the people service loading, froze the window over 100 ms)."""
        model = QStringListModel(parent)
        completer = QCompleter(model, parent)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setModelSorting(QCompleter.ModelSorting.UnsortedModel)
        complete(editor, completer)
        reading: list[worker.Task] = []

        def read() -> None:
            if reading:  # one read at a time
                return

            def done(names: list[str]) -> None:
                reading.clear()
                model.setStringList(names)

            def failed(message: str) -> None:  # the file went away: nothing to offer
                reading.clear()

            reading.append(worker.start(self.names, done, failed))

        watcher = _FocusWatcher(read, completer)
        editor.installEventFilter(watcher)
        completer.watcher = watcher  # kept alive with the completer
        return completer

    def settle(self, parent: QWidget, typed: str) -> tuple[str, str]:
        """How a typed name is saved, and a note for the user ("" when none): the person's
        spelling for a person; for a new name, asked whether to add the person (yes: added);
        a name several people share stays as typed. Until People has anyone, owners are
        free text as they always were: nobody is asked on every owner typed."""
        found = self.spelling(typed)
        if not found.text or found.person:
            return found.text, ""
        if found.candidates:
            return found.text, (
                f"{found.text} names {len(found.candidates)} people "
                f"({', '.join(found.candidates)}): make their names differ in People."
            )
        if self.ef.read_only or not found.people:
            return found.text, ""
        if dialogs.confirm(parent, "Add to People?", f"Add {found.text} to People?"):
            self.add(found.text)
            return found.text, ""
        return found.text, f"{found.text} is not a person yet (not in People)."
