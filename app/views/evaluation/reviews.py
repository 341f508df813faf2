"""The management reviews' tab: beside the review's own fields, its inputs as a checklist a
consultant fills during the meeting (one note box per expected topic, saved on leaving it,
Tab to the next), Prepare inputs to draft them from the engagement's figures, and the
actions the review decided, added in place."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import words
from app.services.evaluation import review_inputs, reviews
from app.services.evaluation.reviews import ACTIONS, INPUTS, MISSING_INPUT, NONE_HELD, TOPICS
from app.services.registers import service as register
from app.views.common import dialogs, worker
from app.views.common.field_form import FormDialog, LongText
from app.views.common.guard import STATUS
from app.views.common.text import esc
from app.views.common.undo import AppliedCommand
from app.views.registers.tab import DescribedTab


class ReviewsTab(DescribedTab):
    """The Management reviews register's tab."""

    def panel_extras(self) -> list[QWidget]:
        self.prepare_button = QPushButton("Prepare inputs")
        self.prepare_button.setToolTip(
            "Draft each input from the engagement's figures as of the review's date "
            "(open nonconformities, objectives off track, audits, context changes, actions)"
        )
        self.prepare_button.clicked.connect(self.prepare)
        self.prepare_note = QLabel(wordWrap=True)
        self.none_held = QLabel(
            f"<b>{esc(NONE_HELD.label)}</b> ({esc(NONE_HELD.ref)}): a certification body "
            "expects one held with top management before Stage 2.",
            wordWrap=True,
            textFormat=Qt.TextFormat.RichText,
        )
        self.none_held.setStyleSheet("background:#fdecea; color:#8c1d18; padding:4px;")
        self.none_held.hide()
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.prepare_button)
        row.addWidget(self.prepare_note, 1)

        self.attendees_view = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.inputs_box = QGroupBox("Inputs")
        grid = QGridLayout(self.inputs_box)
        self.marks: dict[str, QLabel] = {}
        self.notes: dict[str, LongText] = {}
        self.links: dict[str, QLabel] = {}
        for n, (topic, label) in enumerate(TOPICS.items()):
            mark = QLabel()
            title = QLabel(f"<b>{esc(label)}</b>", textFormat=Qt.TextFormat.RichText)
            editor = LongText()
            editor.setObjectName(f"input_{topic}")
            editor.setAccessibleName(label)
            editor.setPlaceholderText("What the review was told, and what it said")
            editor.setFixedHeight(64)
            editor.committed.connect(lambda text, t=topic: self.save_input(t, text))
            links = QLabel(wordWrap=True)
            links.setStyleSheet("color:#555;")
            links.hide()
            grid.addWidget(mark, 3 * n, 0)
            grid.addWidget(title, 3 * n, 1)
            grid.addWidget(editor, 3 * n + 1, 1)
            grid.addWidget(links, 3 * n + 2, 1)
            self.marks[topic], self.notes[topic], self.links[topic] = mark, editor, links

        self.actions_box = QGroupBox("Actions decided")
        box = QVBoxLayout(self.actions_box)
        self.actions_view = QLabel(wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.add_action_button = QPushButton("Add action…")
        self.add_action_button.setToolTip("An action this review decides: owner and due date")
        self.add_action_button.clicked.connect(self.add_action)
        box.addWidget(self.actions_view)
        box.addWidget(self.add_action_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._task: worker.Task | None = None
        return [self.none_held, self.attendees_view, bar, self.inputs_box, self.actions_box]

    # showing
    def show_current(self) -> None:
        super().show_current()
        review = self.current
        writable = review is not None and not self.ef.read_only
        for widget in (self.prepare_button, self.inputs_box, self.add_action_button):
            widget.setEnabled(writable and self._task is None)
        self.inputs_box.setVisible(review is not None)
        self.actions_box.setVisible(review is not None)
        self.none_held.setVisible(reviews.status(self.ef)["held"] == 0)
        row = self.current_row()
        self.attendees_view.setVisible(row is not None)
        if review is None or row is None:
            return
        self.attendees_view.setText(_attendees_html(reviews.attendees(self.ef, row)))
        late = row is not None and MISSING_INPUT.found_in(row)  # held, an input not covered
        found = review_inputs.inputs_of(self.ef, review)
        covered = 0
        for topic, editor in self.notes.items():
            notes = str(found[topic].values["notes"]) if topic in found else ""
            covered += bool(notes.strip())
            self.marks[topic].setText("✔" if notes.strip() else "○")
            self.marks[topic].setStyleSheet("" if notes.strip() or not late else "color:#b3261e;")
            self.marks[topic].setToolTip("Covered" if notes.strip() else "Not covered yet")
            if not (editor.hasFocus() and editor.document().isModified()):
                editor.show_text(notes)
            linked = str(found[topic].values["links"]) if topic in found else ""
            self.links[topic].setText(f"Items: {linked}")
            self.links[topic].setVisible(bool(linked))
        self.inputs_box.setTitle(f"Inputs: {covered} of {len(TOPICS)} covered")
        actions = review_inputs.actions_of(self.ef, review)
        spec = ACTIONS.spec
        self.actions_view.setText(
            "<br>".join(
                f"{esc(a.id)} {esc(str(a.values['action']))}: "
                f"{esc(str(a.values['owner']) or 'no owner')}, due "
                f"{esc(spec['due_date'].label_of(a.values['due_date']) or 'not set')}"
                + (
                    f", done {esc(spec['done_on'].label_of(a.values['done_on']))}"
                    if a.values["done_on"]
                    else ""
                )
                + (" <b>(overdue)</b>" if ACTIONS.gaps(a) else "")
                for a in actions
            )
            or "None yet."
        )

    # the checklist
    def save_input(self, topic: str, text: str) -> None:
        review = self.current
        if review is None or self.ef.read_only:
            return
        existing = review_inputs.inputs_of(self.ef, review).get(topic)
        if existing is None:
            if not text.strip():
                return
            values = {"review": review, "topic": topic, "notes": text}
            saved, new_id = self.attempt(lambda: register.create(self.ef, INPUTS, values))
            if not saved:
                return
            input_id = str(new_id)

            def exists(deleted: bool) -> None:
                register.set_deleted(self.ef, INPUTS, input_id, deleted)

            self.undo_stack.push(
                AppliedCommand(
                    f"Add the input on {TOPICS[topic].lower()} to {review}",
                    self.replay(review, lambda: exists(True)),
                    self.replay(review, lambda: exists(False)),
                )
            )
            self.refresh(review)
            return
        input_id = existing.id
        saved, old = self.attempt(
            lambda: register.update(self.ef, INPUTS, input_id, {"notes": text})
        )
        if not saved or not old:
            return
        before = dict(old) if isinstance(old, dict) else {}
        self.undo_stack.push(
            AppliedCommand(
                f"Change the input on {TOPICS[topic].lower()} of {review}",
                self.replay(review, lambda: register.update(self.ef, INPUTS, input_id, before)),
                self.replay(
                    review, lambda: register.update(self.ef, INPUTS, input_id, {"notes": text})
                ),
            )
        )
        self.refresh(review)

    # Prepare inputs: off the UI thread, then one undo step
    def prepare(self) -> None:
        review = self.current
        if review is None or self.ef.read_only or self._task is not None:
            return
        written = review_inputs.written_topics(self.ef, review)
        replace = bool(written) and dialogs.confirm(
            self,
            "Prepare inputs",
            f"{words.count(len(written), 'input')} of {review} already "
            f"{'holds' if len(written) == 1 else 'hold'} notes: "
            + "; ".join(TOPICS[t] for t in written if t in TOPICS)
            + ". Replace them with the engagement's figures? No keeps them and fills only "
            "the others.",
        )
        ef = self.ef
        self.prepare_note.setText("Preparing inputs…")
        self.prepare_button.setEnabled(False)
        progress = QProgressDialog("Preparing inputs…", "Cancel", 0, 100, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)  # shown only when it takes long (a large engagement)

        def done(result: object) -> None:
            self._task = None
            progress.close()
            assert isinstance(result, review_inputs.Prepared)
            self._prepared(result)

        def failed(message: str) -> None:
            self._task = None
            progress.close()
            self.prepare_note.setText("")
            dialogs.error(self, "Inputs not prepared", message)
            STATUS.refused(message)
            self.show_current()

        def cancelled() -> None:
            self._task = None
            progress.close()
            self.prepare_note.setText("Cancelled: no input was changed.")
            self.show_current()

        def show(count: int, total: int, message: str) -> None:
            progress.setLabelText(message)
            progress.setValue(int(100 * count / total) if total else 100)

        task = self._task = worker.start(
            lambda: review_inputs.prepare_steps(ef, review, replace=replace), done, failed, show
        )
        task.signals.cancelled.connect(cancelled)
        progress.canceled.connect(task.cancel)
        self._progress = progress

    def _prepared(self, result: review_inputs.Prepared) -> None:
        review = result.review
        kept = f"; kept {len(result.kept)} already written" if result.kept else ""
        since = f" (since {result.since.isoformat()})" if result.since else ""
        self.prepare_note.setText(
            f"Filled {words.count(len(result.filled), 'input')} as of "
            f"{result.as_of.isoformat()}{since}{kept}."
        )
        if result.filled:
            state = {"done": result}

            def undo() -> None:
                review_inputs.undo_prepared(self.ef, state["done"])

            def redo() -> None:
                state["done"] = review_inputs.redo_prepared(self.ef, state["done"])

            self.undo_stack.push(
                AppliedCommand(
                    f"Prepare the inputs of {review}",
                    self.replay(review, undo),
                    self.replay(review, redo),
                )
            )
        self.refresh(review)

    # actions, added where they are decided
    def add_action(self) -> None:
        review = self.current
        if review is None or self.ef.read_only:
            return
        created: list[str] = []
        spec = ACTIONS.spec
        fields = [spec["action"], spec["owner"], spec["due_date"]]

        def save(values: dict[str, object]) -> None:
            created.append(register.create(self.ef, ACTIONS, {**values, "review": review}))

        dialog = FormDialog(
            f"Add an action of {review}",
            fields,
            {"action": "", "owner": "", "due_date": None},
            save,
            self,
        )
        if dialogs.run_dialog(dialog) and created:
            action_id = created[0]

            def exists(deleted: bool) -> None:
                register.set_deleted(self.ef, ACTIONS, action_id, deleted)

            self.undo_stack.push(
                AppliedCommand(
                    f"Add {action_id}",
                    self.replay(review, lambda: exists(True)),
                    self.replay(review, lambda: exists(False)),
                )
            )
            self.refresh(review)

    def shutdown(self) -> None:
        if self._task is not None:
            self._task.wait()
        super().shutdown()


def _attendees_html(people: tuple[reviews.Attendee, ...]) -> str:
    """Who attended, by the roles they held on the review's date."""
    if not people:
        return "<b>Attendees by role:</b> nobody recorded yet."
    lines = [
        f"{esc(a.name)} ({esc(a.id)}): "
        + (esc(", ".join(a.roles)) if a.roles else "no AIMS role that day")
        + (" <b>· top management</b>" if a.top_management else "")
        for a in people
    ]
    return "<b>Attendees by role</b><br>" + "<br>".join(lines)
