"""The tab of a described register: a searchable, filterable table beside the selected item's
form and history, with add, delete and undo. Everything comes from the description."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.services import words
from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.people import owners
from app.services.registers import service as register
from app.services.registers.description import Register
from app.views.common import dialogs
from app.views.common.field_form import FieldForm, FormDialog
from app.views.common.people import PeopleNames
from app.views.common.register_tab import RegisterTab
from app.views.common.row_table import Prepared
from app.views.common.text import esc, history_html, shown_by_spec, todo_html
from app.views.common.widgets import detail_panel, list_and_panel
from app.views.registers.link_completer import ChoicesCompleter, LinkCompleter
from app.views.registers.model import DescribedModel, prepared

_ID = FieldSpec("id", "ID", "text")


class DescribedTab(RegisterTab):
    model_class = DescribedModel  # a register's own tab may flag more than its item rules

    def __init__(self, ef: EngagementFile, undo_stack: QUndoStack, reg: Register, parent=None):
        super().__init__(ef, undo_stack, self.model_class(reg), parent)
        self.reg = reg
        self.model.setParent(self)
        self.noun, self.noun_one = reg.plural, reg.noun
        self.has_rules = bool(reg.rules)
        self.empty_text = reg.empty_text or f"<h3>No {esc(reg.plural)} yet</h3>"
        self._build()

    def _build(self) -> None:
        reg = self.reg
        self.add_button = QPushButton(f"Add {reg.noun}")
        self.add_button.setToolTip(f"Add {words.a(reg.noun)} (Insert)")
        self.add_button.clicked.connect(self.add_item)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip(f"Delete the selected {reg.noun} (Delete); Ctrl+Z undoes")
        self.delete_button.clicked.connect(self.delete_item)
        self.add_shortcuts(
            [
                (QKeySequence(Qt.Key.Key_Insert), self.add_item),
                (QKeySequence(QKeySequence.StandardKey.Delete), self.delete_item),
            ]
        )
        self.make_search(f"Search {reg.plural} (Ctrl+F)")
        self.bar = bar = QHBoxLayout()  # a register's own tab may add its buttons
        for widget in (self.add_button, self.delete_button):
            bar.addWidget(widget)
        bar.addWidget(self.search, 1)
        filters = QHBoxLayout()
        self.filters = {}
        for name in reg.filters:
            spec = reg.spec[name]
            items = [(f"Any {spec.label.lower()}", "")] + [(v, k) for k, v in spec.choices.items()]
            self.filters[name] = self.make_filter(items, name)
            filters.addWidget(self.filters[name])
        self.flagged = QCheckBox(f"Only {reg.plural} with gaps")
        self.flagged.toggled.connect(lambda on: self.filter(flagged_only=on))
        if not reg.rules:
            self.flagged.hide()  # (setVisible(True) would show it as a window of its own)
        filters.addWidget(self.flagged)
        filters.addStretch(1)
        self.make_table([80] + [160] * len(reg.columns))
        self.count_label = QLabel(f"Loading {reg.plural}…")
        list_and_panel(
            self, [bar, filters, self.table, self.count_label], self._build_panel(), [760, 560]
        )

    def _build_panel(self) -> QWidget:
        self.heading = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.gaps = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.gaps.setStyleSheet("background:#fdecea; color:#8c1d18; padding:4px;")
        self.form = FieldForm(list(self.reg.fields), save=self._save_fields)
        self.form.offer_people(PeopleNames(self.ef))
        self.completers: dict[str, LinkCompleter] = {}
        for link in self.reg.links:
            editor = self.form.editors[link.field]
            many = "IDs separated by commas" if link.many else "one ID"
            editor.setToolTip(f"The {link.target} {many}: type an ID or a name to pick from")
            self.completers[link.field] = LinkCompleter(self, self._choices_of(link.field))
            self.completers[link.field].attach_to(cast(QLineEdit, editor))
        for spec in self.reg.fields:  # several of a few choices: their labels offered
            if spec.kind == "choices":
                picker = ChoicesCompleter(list(spec.choices.values()), self)
                picker.attach_to(cast(QLineEdit, self.form.editors[spec.name]))
                self.completers[spec.name] = picker
        self.history_view = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.history_view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        items: list[QWidget | QLayout] = [self.heading, self.gaps, *self.panel_extras(), self.form]
        return detail_panel(items, self.history_view, 320)

    def _choices_of(self, name: str) -> Callable[[], list[str]]:
        """The items a link field offers, as they are when the field gets the focus."""
        return lambda: register.link_choices(self.ef, self.reg, name)

    def panel_extras(self) -> list[QWidget]:
        """What a register's own tab shows between the gaps and the form (attachments)."""
        return []

    # loading
    def load(self) -> Callable[[], tuple[Prepared, dict[str, dict[str, str]]]]:
        ef, reg = self.ef, self.reg
        model = cast(DescribedModel, self.model)
        return lambda: (
            prepared(reg, register.list_items(ef, reg), model),
            register.link_names(ef, reg),
        )

    def show_loaded(self, result: tuple[Prepared, dict[str, dict[str, str]]]) -> None:
        rows, self.model.link_names = result
        self.model.set_prepared(rows)
        self.update_count()

    def show_current(self) -> None:
        row = self.current_row()
        self.current = row.id if row else None
        writable = row is not None and not self.ef.read_only
        self.form.setEnabled(writable)
        self.delete_button.setEnabled(writable)
        self.add_button.setEnabled(not self.ef.read_only)
        if row is None:
            self.heading.setText(self.empty_heading(f"<h3>No {esc(self.reg.noun)} selected</h3>"))
            self.gaps.hide()
            self.form.set_values({})
            self.history_view.setText("")
            return
        name = row.values[self.reg.name_field]
        self.heading.setText(f"<h3>{esc(row.id)}: {esc(str(name))}</h3>")
        gaps = self.reg.gaps(row)
        self.gaps.setVisible(bool(gaps))
        self.gaps.setText(
            "<b>Gaps an auditor will find</b><br>"
            + "<br>".join(
                f"• {esc(g.id)} {esc(g.title)} ({esc(g.ref)}){todo_html(g.todo)}" for g in gaps
            )
        )
        self.form.set_values(row.values, row.id)
        labels = {f.name: f.label for f in self.reg.fields}
        changes = register.history_of(self.ef, self.reg, row.id, limit=50)
        self.history_view.setText(history_html(changes, labels, shown_by_spec(self.reg.spec)))

    # editing: the service first, then an undo step that replays it
    def refresh(self, item_id: str, select: bool = False) -> None:
        try:
            row = register.get_item(self.ef, self.reg, item_id)
        except FieldError:
            row = None
        if row is not None and row.deleted:
            row = None
        info = [r.id for r in self.reg.gaps(row)] if row is not None else []
        if self.reg.links:  # an item may name one added since (an import, another tab)
            self.model.link_names = register.link_names(self.ef, self.reg)
        self.model.update_row(item_id, row, info)
        self.update_count()
        if select and row is not None:
            self.select(item_id)
        elif item_id == self.current:
            self.show_current()
        self.changed.emit()

    def _save_fields(self, item_id: object, changes: dict[str, object]) -> None:
        if not isinstance(item_id, str):
            raise FieldError("id", f"Select {words.a(self.reg.noun)} first.")
        reg = self.reg
        self.save_with_undo(
            item_id,
            changes,
            lambda values: register.update(self.ef, reg, item_id, values),
            lambda name: reg.spec[name].label,
        )

    def _set_deleted(self, ef: EngagementFile, item_id: str, deleted: bool) -> None:
        register.set_deleted(ef, self.reg, item_id, deleted)

    def add_item(self) -> None:
        if self.ef.read_only:
            return
        created: list[str] = []
        reg = self.reg
        first = [f for f in reg.fields if f.kind != "long"][:3]
        values = {**register.defaults(reg), "id": register.next_id(self.ef, reg)}
        dialog = FormDialog(
            f"Add {words.a(reg.noun)}",
            [_ID, *first],
            values,
            lambda v: created.append(register.create(self.ef, reg, v)),
            self,
            people=PeopleNames(self.ef),
        )
        if dialogs.run_dialog(dialog) and created:
            new_id = created[0]
            self.push_existence(f"Add {new_id}", new_id, True, self._set_deleted)
            self.refresh(new_id, select=True)

    def delete_item(self) -> None:
        item_id = self.current
        if item_id is None or self.ef.read_only:
            return
        naming = [item.id for _reg, item in register.linked_to(self.ef, self.reg.model, item_id)]
        owned = owners.owned_by_item(self.ef, self.reg.model, item_id)  # a person's, by name
        said = [f"{item_id} is named by {_listed(naming)}."] if naming else []
        if owned:
            said.append(
                f"{item_id} owns {owners.owned_text(owned)}; those keep the name as typed, "
                "naming no person."
            )
        if said and not dialogs.confirm(
            self,
            f"Delete {words.a(self.reg.noun)}",
            " ".join(said) + " Delete it anyway? Edit > Undo (Ctrl+Z) brings it back.",
        ):
            return
        if not self.attempt(lambda: register.set_deleted(self.ef, self.reg, item_id, True))[0]:
            return
        self.push_existence(f"Delete {item_id}", item_id, False, self._set_deleted)
        self.refresh(item_id)


def _listed(ids: list[str], shown: int = 8) -> str:
    more = len(ids) - shown
    return ", ".join(ids[:shown]) + (f" and {more} more" if more > 0 else "")
