"""The People tab: people, AIMS roles and who holds them, competence and awareness. Beyond the
generic register tabs: the roles tab offers the starting roles and says when no role reports
the AIMS's performance; a role holder shows whether they are verified competent, and why not;
deleting a person says what they hold first."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from app.services.engagement.file import EngagementFile
from app.services.people import competence, owners
from app.services.people import service as people
from app.services.people.registers import HOLDERS, PEOPLE, REGISTERS, ROLES
from app.services.registers import service as register
from app.services.registers.description import Register
from app.views.common import dialogs, worker
from app.views.common.text import esc
from app.views.common.undo import AppliedCommand
from app.views.people.owners import MatchOwners
from app.views.registers.page import RegistersPage
from app.views.registers.tab import DescribedTab

_WARN = "background:#fdecea; color:#8c1d18; padding:4px;"
_NOTE = "background:#eef4fb; padding:4px;"


class RolesTab(DescribedTab):
    """The AIMS roles, with the starting set offered: a button while there are none, an
    action of the "More" menu once there are (adding only those missing)."""

    def _build(self) -> None:
        super()._build()
        self.starting_button = QPushButton("Add the starting roles")
        self.starting_button.setToolTip(
            "Top management, AIMS lead, AI risk owner, impact assessment approver, internal "
            "auditor, data steward and AI system owner, each with its usual authorities"
        )
        self.starting_button.clicked.connect(self.add_starting_roles)
        self.more = QToolButton()
        self.more.setText("More")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.more)
        self.starting_action = menu.addAction("Add the missing starting roles")
        self.starting_action.triggered.connect(self.add_starting_roles)
        self.more.setMenu(menu)
        self.bar.insertWidget(2, self.starting_button)
        self.bar.insertWidget(3, self.more)
        self._offer()

    def _build_panel(self) -> QWidget:
        self.performance = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.performance.setStyleSheet(_WARN)
        self.performance.hide()
        return super()._build_panel()

    def panel_extras(self) -> list[QWidget]:
        return [self.performance]

    def _offer(self) -> None:
        empty = self.model.total() == 0
        self.starting_button.setVisible(empty and not self.ef.read_only)
        self.more.setVisible(not empty and not self.ef.read_only)
        missing = people.missing_starting_roles(self.ef) if not empty else []
        self.starting_action.setEnabled(bool(missing))
        self.starting_action.setText(
            f"Add the missing starting roles ({', '.join(missing)})"
            if missing
            else "Every starting role is there"
        )
        rule = competence.NO_PERFORMANCE_ROLE
        gap = people.performance_gap(self.ef)
        self.performance.setVisible(gap)
        self.performance.setText(
            f"<b>{esc(rule.id)}</b> {esc(rule.title)} ({esc(rule.ref)}): tick "
            "“Reports the AIMS's performance to top management” on the role that does."
        )

    def show_loaded(self, result) -> None:
        super().show_loaded(result)
        self._offer()

    def refresh(self, item_id: str, select: bool = False) -> None:
        super().refresh(item_id, select)
        self._offer()

    def add_starting_roles(self) -> None:
        if self.ef.read_only:
            return
        ok, added = self.attempt(lambda: people.add_starting_roles(self.ef))
        if not ok or not isinstance(added, list) or not added:
            self._offer()
            return
        for role_id in added:
            self.push_existence(f"Add {role_id}", role_id, True, self._set_deleted)
        self.reload()
        self.changed.emit()


class HoldersTab(DescribedTab):
    """Role holders, each with their competence state for the role."""

    def _build_panel(self) -> QWidget:
        self.state = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.state.hide()
        return super()._build_panel()

    def panel_extras(self) -> list[QWidget]:
        return [self.state]

    def show_current(self) -> None:
        super().show_current()
        row = self.current_row()
        if row is not None:  # "RH-001: Dana Whitfield as Top management"
            names = self.model.link_names
            who = names.get("person", {}).get(str(row.values["person"]), row.values["person"])
            what = names.get("role", {}).get(str(row.values["role"]), row.values["role"])
            self.heading.setText(f"<h3>{esc(row.id)}: {esc(str(who))} as {esc(str(what))}</h3>")
        text = people.holder_state(self.ef, self.current) if self.current else ""
        self.state.setVisible(bool(text))
        verified = text.startswith("Verified")
        self.state.setStyleSheet(_NOTE if verified else _WARN)
        self.state.setText(f"<b>Competence:</b> {esc(text)}")


class PeopleTab(DescribedTab):
    """People: deleting one says first which roles they hold and what names them; one entered
    twice is merged into the other (undone with Ctrl+Z)."""

    # a person deleted or brought back: the other registers name them (holders, training)
    people_changed = Signal()

    def _set_deleted(self, ef: EngagementFile, item_id: str, deleted: bool) -> None:
        super()._set_deleted(ef, item_id, deleted)
        self.people_changed.emit()

    def _build(self) -> None:
        super()._build()
        self.merge_button = QPushButton("Merge into…")
        self.merge_button.setToolTip(
            "The selected person was entered twice: move their roles, training, verifications "
            "and acknowledgements to the other entry and delete this one"
        )
        self.merge_button.clicked.connect(self.merge_into)
        self.bar.insertWidget(2, self.merge_button)
        self._checking: worker.Task | None = None  # what a person to delete holds, being read
        self._shut = False  # the engagement is closing: a check's answer is for nobody

    def shutdown(self) -> None:
        self._shut = True
        if self._checking is not None:  # it reads the file that is about to close
            self._checking.wait()
        super().shutdown()

    def show_current(self) -> None:
        super().show_current()
        self.merge_button.setEnabled(self.current is not None and not self.ef.read_only)

    def merge_into(self) -> None:
        drop = self.current
        if drop is None or self.ef.read_only:
            return
        others = [
            f"{row.id} {row.values['name']}"
            for row in register.list_items(self.ef, self.reg)
            if row.id != drop
        ]
        if not others:
            dialogs.info(self, "Merge people", "There is nobody else to merge into.")
            return
        picked = dialogs.choose_item(
            self, "Merge people", f"Keep which entry of {drop}'s person?", others
        )
        if not picked:
            return
        keep = picked.split(maxsplit=1)[0]
        ok, moved = self.attempt(lambda: people.merge_people(self.ef, keep, drop))
        if not ok or not isinstance(moved, list):
            return
        ef = self.ef

        def again() -> None:
            people.merge_people(ef, keep, drop)

        self.undo_stack.push(
            AppliedCommand(
                f"Merge {drop} into {keep}",
                self.replay(drop, lambda: people.unmerge_people(ef, keep, drop, moved), True),
                self.replay(drop, again),
            )
        )
        self.refresh(drop)
        self.refresh(keep, select=True)

    def delete_item(self) -> None:
        """What the person holds and owns is looked up off the UI thread (every register of a
        large engagement is read for their name), then asked about, then they are deleted."""
        self._delete(self.current)

    def _delete(self, person: str | None) -> None:
        if person is None or self.ef.read_only or self._checking is not None or self._shut:
            return
        ef, model, step = self.ef, self.reg.model, self.undo_stack.index()

        def held() -> list[str]:
            found = people.what_they_hold(ef, person)
            owned = owners.owned_by_item(ef, model, person)  # items naming them
            if owned:
                found.append(
                    f"owns {owners.owned_text(owned)} (those keep the name as typed, naming no "
                    "person)"
                )
            return found

        def checked(found: list[str]) -> None:
            self._checking = None
            if self._shut:
                return  # the engagement closed meanwhile
            if self.undo_stack.index() != step:  # undone or redone meanwhile: look again
                row = self.model.row(person)
                if row is not None and not row.deleted:
                    self._delete(person)
                return
            if found:
                name = self.model.row(person).values["name"] if self.model.row(person) else person
                if not dialogs.confirm(
                    self,
                    "Delete a person",
                    f"{person} {name} {'; '.join(found)}. Delete them anyway? "
                    "Edit > Undo (Ctrl+Z) brings them back.",
                ):
                    return
            if not self.attempt(lambda: register.set_deleted(ef, self.reg, person, True))[0]:
                return
            self.push_existence(f"Delete {person}", person, False, self._set_deleted)
            self.refresh(person)
            self.people_changed.emit()

        def failed(message: str) -> None:
            self._checking = None
            dialogs.error(self, "Person not deleted", message)

        top = self.window()
        if isinstance(top, QMainWindow):
            top.statusBar().showMessage(f"Checking what {person} holds and owns…", 3000)
        self._checking = worker.start(held, checked, failed)


_TABS: dict[str, type[DescribedTab]] = {
    ROLES.key: RolesTab,
    HOLDERS.key: HoldersTab,
    PEOPLE.key: PeopleTab,
}


class PeoplePage(RegistersPage):
    # owners of other tabs respelled, people added: every tab shows what the file holds now
    data_changed = Signal()

    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ef, undo_stack, REGISTERS, parent)
        self.match_owners = MatchOwners(self, ef, self._owners_matched)
        bar = QHBoxLayout()
        bar.addWidget(self.match_owners.button)
        bar.addWidget(self.match_owners.note, 1)
        self.page_layout.insertLayout(0, bar)

    def _owners_matched(self) -> None:
        """People may have been added and owners respelled: every tab shows it."""
        self.reload_if_shown()
        self.data_changed.emit()

    def shutdown(self) -> None:
        self.match_owners.shutdown()
        super().shutdown()

    def make_tab(self, reg: Register) -> DescribedTab:
        tab = _TABS.get(reg.key, DescribedTab)(self.ef, self.undo_stack, reg)
        if isinstance(tab, PeopleTab):
            tab.people_changed.connect(self.reload_if_shown)
        return tab
