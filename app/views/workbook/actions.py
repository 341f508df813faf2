"""File > Export workbook and File > Import workbook: the slow parts off the UI thread with
progress and Cancel, the preview before anything changes, one undo step for the import."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.paths import user_data_dir
from app.services import words
from app.services.engagement.errors import AimsError
from app.services.engagement.file import EngagementFile
from app.services.people import client_records
from app.services.workbook import importer as workbook_import
from app.services.workbook.export import export_workbook
from app.services.workbook.layout import Layout, load_mapping, save_mapping
from app.views.common import dialogs, worker
from app.views.common.undo import AppliedCommand
from app.views.workbook.import_dialog import ImportDialog
from app.views.workbook.people_dialog import PeopleImportDialog


def mappings_dir() -> Path:
    folder = user_data_dir() / "mappings"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _progress(parent: QWidget, text: str) -> QProgressDialog:
    progress = QProgressDialog(text, "Cancel", 0, 100, parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(400)
    return progress


class WorkbookActions:
    """Owned by the main window; `changed` is called after an import or its undo."""

    def __init__(
        self, window: QWidget, undo_stack: QUndoStack, changed: Callable[[], None]
    ) -> None:
        self.window = window
        self.undo_stack = undo_stack
        self.changed = changed
        self.task: worker.Task | None = None

    # export

    def export(self, ef: EngagementFile) -> None:
        start = ef.path.with_name(f"{ef.path.stem} for client.xlsx")
        target = dialogs.choose_workbook_target(self.window, "Export workbook", str(start))
        if target is None:
            return
        progress = _progress(self.window, "Writing the workbook…")

        def done(_result: object) -> None:
            progress.close()
            self.window.statusBar().showMessage(f"Workbook written to {target}", 8000)

        def failed(message: str) -> None:
            progress.close()
            dialogs.error(self.window, "Workbook not written", message)

        def show(count: int, total: int, what: str) -> None:
            progress.setLabelText(f"Writing {what}…")
            progress.setValue(int(100 * count / total) if total else 100)

        task = worker.start(lambda: export_workbook(ef, target), done, failed, show)
        task.signals.cancelled.connect(progress.close)
        progress.canceled.connect(task.cancel)
        self.task = task

    # import

    def choose_and_import(self, ef: EngagementFile) -> None:
        path = dialogs.choose_workbook(self.window, "Import workbook", str(ef.path.parent))
        if path is not None:
            self.preview(ef, path)

    def preview(
        self, ef: EngagementFile, path: Path, mapping: dict[str, dict[str, object]] | None = None,
        layouts: dict[str, Layout] | None = None,
    ) -> None:  # fmt: skip
        if ef.read_only:
            dialogs.error(
                self.window,
                "Cannot import",
                f"This engagement is open read-only: {ef.read_only_reason}",
            )
            return
        progress = _progress(self.window, f"Reading {path.name}…")
        progress.setRange(0, 0)
        layouts = dict(layouts or {})

        cancelled: list[bool] = []  # the preview is read in one go: Cancel drops its result

        def finished() -> bool:
            """Closes the progress (closing it says "canceled" too); False if cancelled."""
            wanted = not cancelled
            progress.canceled.disconnect(cancel)
            progress.close()
            return wanted

        def done(plan: workbook_import.Plan | client_records.Plan) -> None:
            if not finished():
                return
            if isinstance(plan, client_records.Plan):
                self._show_people(ef, path, plan)
            else:
                self._show(ef, plan, mapping, layouts)

        def failed(message: str) -> None:
            if finished():
                dialogs.error(self.window, "Cannot import this workbook", message)

        def cancel() -> None:
            cancelled.append(True)
            task.cancel()
            self.window.statusBar().showMessage(f"Import of {path.name} cancelled", 6000)

        def read() -> workbook_import.Plan | client_records.Plan:
            # the client's role register, RACI matrix or acknowledgement log goes to People
            if not mapping and not layouts and client_records.recognised(path):
                return client_records.preview(ef, path)
            return workbook_import.build_plan(ef, path, mapping, layouts)

        task = worker.start(read, done, failed)
        progress.canceled.connect(cancel)
        self.task = task

    def _show(
        self, ef: EngagementFile, plan: workbook_import.Plan, mapping, layouts: dict[str, Layout]
    ) -> None:
        def remap(sheet: str, layout: Layout) -> None:
            self.preview(ef, plan.path, mapping, {**layouts, sheet: layout})

        def use_saved() -> None:
            names = sorted(p.stem for p in mappings_dir().glob("*.json"))
            if not names:
                dialogs.info(
                    self.window, "No saved mappings", "Correct a sheet's mapping and save it first."
                )
                return
            name = dialogs.choose_item(self.window, "Saved mappings", "Use the mapping", names)
            if name:
                try:
                    saved = load_mapping(mappings_dir() / f"{name}.json")
                except AimsError as exc:
                    dialogs.error(self.window, "Mapping not used", exc.message)
                    return
                dialog.reject()
                self.preview(ef, plan.path, saved, {})

        def keep() -> None:
            name = dialogs.ask_text(self.window, "Save mapping", "Name (e.g. the client's name):")
            if not name or not name.strip():
                return
            safe = re.sub(r"[^\w .-]+", "_", name.strip())[:60]
            current = {s.sheet: s.layout for s in plan.sheets if s.layout is not None}
            try:
                save_mapping(mappings_dir() / f"{safe}.json", current)
            except OSError as exc:
                dialogs.error(self.window, "Mapping not saved", str(exc))
                return
            self.window.statusBar().showMessage(f"Mapping saved as '{safe}'", 6000)

        dialog = ImportDialog(plan, remap, (use_saved, keep), self.window)
        if dialogs.run_dialog(dialog):
            self._apply(ef, plan, dialog.skip_invalid)

    def _apply(self, ef: EngagementFile, plan: workbook_import.Plan, skip_invalid: bool) -> None:
        progress = _progress(self.window, f"Importing {plan.path.name}…")
        progress.setRange(0, 0)
        progress.setCancelButton(None)  # one transaction: it finishes or changes nothing

        def done(steps: list[workbook_import.UndoStep]) -> None:
            progress.close()
            self.undo_stack.push(
                AppliedCommand(
                    f"Import {plan.path.name}",
                    lambda: self._quietly(lambda: workbook_import.undo(ef, steps)),
                    lambda: self._quietly(lambda: workbook_import.redo(ef, steps)),
                )
            )
            self.changed()
            people = sum(1 for step in steps if step[0] == workbook_import.PERSON_ENTITY)
            told = f"Imported {plan.path.name}: {words.count(len(steps) - people, 'item')} changed"
            if people:
                told += f", {words.count(people, 'person', 'people')} added to People"
            self.window.statusBar().showMessage(told, 8000)

        def failed(message: str) -> None:
            progress.close()
            dialogs.error(self.window, "Nothing was imported", message)

        self.task = worker.start(
            lambda: workbook_import.apply(ef, plan, skip_invalid=skip_invalid), done, failed
        )

    def _show_people(self, ef: EngagementFile, path: Path, plan: client_records.Plan) -> None:
        if not dialogs.run_dialog(PeopleImportDialog(plan, self.window)):
            return
        progress = _progress(self.window, f"Adding {path.name} to People…")
        progress.setRange(0, 0)
        progress.setCancelButton(None)  # one transaction: it finishes or changes nothing

        def done(applied: client_records.Plan) -> None:
            progress.close()
            added = list(applied.added)
            self.undo_stack.push(
                AppliedCommand(
                    f"Import {path.name} into People",
                    lambda: self._quietly(lambda: client_records.set_deleted(ef, added, True)),
                    lambda: self._quietly(lambda: client_records.set_deleted(ef, added, False)),
                )
            )
            self.changed()
            self.window.statusBar().showMessage(
                f"Imported {path.name} into People: {words.count(len(added), 'item')} added",
                8000,
            )

        def failed(message: str) -> None:
            progress.close()
            dialogs.error(self.window, "Nothing was imported", message)

        self.task = worker.start(lambda: client_records.apply(ef, path), done, failed)

    def _quietly(self, action: Callable[[], object]) -> None:
        try:
            action()
        except AimsError as exc:
            dialogs.error(self.window, "Could not undo or redo the import", exc.message)
        self.changed()
