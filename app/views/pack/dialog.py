"""File > Export Stage 1 pack and File > Print: the consultant picks the document (the Stage 1
submission for the certification body or the readiness report for the client), the sections,
the paper and the engagement's branding; the pack is built off the UI thread with progress and
Cancel.
Print renders the same PDF, then draws its pages onto the printer in the system's preview."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.engagement.errors import AimsError, FieldError
from app.services.engagement.file import EngagementFile
from app.services.pack import settings as pack_settings
from app.services.pack.settings import KIND_NOUNS, KINDS, PAPERS, SECTIONS, PackSettings
from app.views.common import dialogs, worker
from app.views.common.undo import AppliedCommand

# Drawing a page on a printer takes its image at printer resolution; past this many pages the
# preview would hold gigabytes, so such a pack is printed from its PDF instead.
MAX_PRINT_PAGES = 300
PRINT_DPI = 200


class PackDialog(QDialog):
    """Sections, paper, marking, accent colour and logo; checked before it closes."""

    def __init__(self, settings: PackSettings, title: str, action: str, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.logo = settings.logo
        layout = QVBoxLayout(self)
        top = QFormLayout()
        self.kind = QComboBox()
        for key, label in KINDS.items():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(list(KINDS).index(settings.kind))
        top.addRow(pack_settings.FIELDS["kind"].label, self.kind)
        self.kind_note = QLabel(wordWrap=True)
        top.addRow("", self.kind_note)
        layout.addLayout(top)
        box = QGroupBox("Sections")
        column = QVBoxLayout(box)
        self.section_boxes: dict[str, QCheckBox] = {}
        for key, label in SECTIONS.items():
            check = QCheckBox(label)
            check.setChecked(key in settings.chosen_sections)
            self.section_boxes[key] = check
            column.addWidget(check)
        layout.addWidget(box)
        form = QFormLayout()
        self.paper = QComboBox()
        for key, label in PAPERS.items():
            self.paper.addItem(label, key)
        self.paper.setCurrentIndex(list(PAPERS).index(settings.paper))
        form.addRow(pack_settings.FIELDS["paper"].label, self.paper)
        self.marking = QLineEdit(settings.confidentiality)
        self.marking.setPlaceholderText(pack_settings.DEFAULT_MARKING)
        form.addRow(pack_settings.FIELDS["confidentiality"].label, self.marking)
        self.accent = QLineEdit(settings.accent)
        self.accent.setPlaceholderText(pack_settings.DEFAULT_ACCENT)
        form.addRow(pack_settings.FIELDS["accent"].label, self.accent)
        logo_row = QWidget()
        row = QHBoxLayout(logo_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.logo_label = QLabel()
        choose = QPushButton("Choose…")
        choose.clicked.connect(self.choose_logo)
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: self.set_logo(None))
        row.addWidget(self.logo_label, 1)
        row.addWidget(choose)
        row.addWidget(remove)
        form.addRow(pack_settings.FIELDS["logo"].label, logo_row)
        layout.addLayout(form)
        self.error = QLabel(wordWrap=True)
        self.error.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.set_logo(self.logo)
        self._held: dict[str, bool] = {}  # ticks of the sections the kind cannot hold
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def chosen_kind(self) -> str:
        return str(self.kind.currentData())

    def _kind_changed(self) -> None:
        """The submission cannot hold the readiness-only sections: they are shown greyed and
        unticked, and get their tick back for the readiness report."""
        allowed = pack_settings.kind_sections(self.chosen_kind())
        for key, check in self.section_boxes.items():
            if key in allowed and not check.isEnabled():
                check.setEnabled(True)
                check.setChecked(self._held.pop(key, False))
            elif key not in allowed and check.isEnabled():
                self._held[key] = check.isChecked()
                check.setChecked(False)
                check.setEnabled(False)
        if self.chosen_kind() == "submission":
            note = (
                "For the certification body: document control, the registers and the SoA "
                "as recorded, with no gaps and no readiness figures."
            )
        else:
            note = (
                "For the client's management: the same registers with every gap the checks "
                "find, and the readiness figures."
            )
        self.kind_note.setText(note)

    def set_logo(self, data: bytes | None) -> None:
        self.logo = data
        self.logo_label.setText(f"Image of {len(data) // 1024 + 1:,} KB" if data else "None")

    def choose_logo(self) -> None:
        path = dialogs.choose_image_path(self, "Choose the client's logo")
        if path is None:
            return
        try:
            self.set_logo(pack_settings.read_logo(path))
        except FieldError as exc:  # refused at the setting: the old logo stays
            dialogs.error(self, "Logo not used", exc.message)

    def sections(self) -> list[str]:
        return [key for key, check in self.section_boxes.items()
                if check.isChecked() and check.isEnabled()]  # fmt: skip

    def values(self) -> dict[str, object]:
        """The settings as chosen, checked; raises FieldError naming what to fix."""
        kind = self.chosen_kind()
        values: dict[str, object] = {
            "kind": kind,
            "sections": pack_settings.check_kind_sections(kind, self.sections()),
            "paper": self.paper.currentData(),
            "confidentiality": pack_settings.FIELDS["confidentiality"].coerce(self.marking.text()),
            "accent": pack_settings.check_accent(self.accent.text()),
            "logo": self.logo,
        }
        return values

    def accept(self) -> None:
        try:
            self.values()
        except FieldError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        super().accept()


def _save_settings(parent, ef: EngagementFile, undo_stack, values: dict[str, object]) -> None:
    """Remember the choice in the engagement, as one undoable step (nothing on a read-only
    file: the pack is still made with the choice)."""
    if ef.read_only:
        return
    current = pack_settings.get(ef)
    values = dict(values)
    chosen = cast(tuple[str, ...], values["sections"])
    values["sections"] = pack_settings.remembered_sections(current, str(values["kind"]), chosen)
    wanted = {k: v for k, v in values.items() if getattr(current, k) != v}
    if not wanted:
        return
    old = pack_settings.update(ef, **wanted)

    def apply(changes: dict[str, object]) -> Callable[[], None]:
        def run() -> None:
            try:
                pack_settings.update(ef, **changes)
            except AimsError as exc:
                dialogs.error(parent, "Could not undo or redo", exc.message)

        return run

    undo_stack.push(AppliedCommand("Change Stage 1 pack settings", apply(old), apply(wanted)))


def _ask(
    parent, ef: EngagementFile, undo_stack, title: str, action: str
) -> dict[str, object] | None:
    dialog = PackDialog(pack_settings.get(ef), title, action, parent)
    if not dialogs.run_dialog(dialog):
        return None
    values = dialog.values()
    try:
        _save_settings(parent, ef, undo_stack, values)
    except AimsError as exc:
        dialogs.error(parent, "Settings not saved", exc.message)
    return values


def _build(
    parent, ef: EngagementFile, out: Path, values: dict[str, object], on_done
) -> worker.Task:
    """Write the pack off the UI thread with a progress dialog; Cancel stops it and leaves no
    file. `on_done(result)` runs on the UI thread."""
    from app.services.pack import build as pack  # reportlab loads on first use, not at start

    kind = str(values["kind"])
    progress = QProgressDialog(f"Building the {KIND_NOUNS[kind]}…", "Cancel", 0, 100, parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)

    def done(result) -> None:
        progress.close()
        on_done(result)

    def failed(message: str) -> None:
        progress.close()
        dialogs.error(parent, "Pack not written", message)

    def show(count: int, total: int, message: str) -> None:
        progress.setLabelText(message)
        progress.setValue(int(100 * count / total) if total else 100)

    sections = cast(tuple[str, ...], values["sections"])
    paper = str(values["paper"])
    task = worker.start(lambda: pack.export(ef, out, sections, paper, kind), done, failed, show)
    task.signals.cancelled.connect(progress.close)
    progress.canceled.connect(task.cancel)
    return task


def export_pack(parent, ef: EngagementFile, undo_stack) -> worker.Task | None:
    values = _ask(parent, ef, undo_stack, "Export Stage 1 pack", "Export…")
    if values is None:
        return None
    kind = str(values["kind"])
    start = str(ef.path.with_name(f"{ef.path.stem} - {KINDS[kind]}.pdf"))
    out = dialogs.choose_pdf_path(parent, f"Save the {KIND_NOUNS[kind]} as", start)
    if out is None:
        return None

    def done(result) -> None:
        message = f"{KINDS[kind]} written to {result.path} ({result.pages} pages)"
        parent.statusBar().showMessage(message, 8000)

    return _build(parent, ef, out, values, done)


def print_pack(parent, ef: EngagementFile, undo_stack) -> worker.Task | None:
    values = _ask(parent, ef, undo_stack, "Print Stage 1 pack", "Preview…")
    if values is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="aims-print-"))

    def done(result) -> None:
        try:
            if result.pages > MAX_PRINT_PAGES:
                dialogs.info(
                    parent,
                    "Pack too long to preview",
                    f"This pack has {result.pages:,} pages. Export it (File > Export Stage 1 "
                    "pack) and print the PDF from a PDF viewer, which prints page by page.",
                )
                return
            _preview(parent, result.path, str(values["paper"]))
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    task = _build(parent, ef, folder / "pack.pdf", values, done)
    task.signals.failed.connect(lambda _m: shutil.rmtree(folder, ignore_errors=True))
    task.signals.cancelled.connect(lambda: shutil.rmtree(folder, ignore_errors=True))
    return task


def _preview(parent, pdf: Path, paper: str) -> None:
    """The system's print preview of the pack's pages, drawn from the PDF with PDFium (Qt's
    own PDF module is not part of PySide6-Essentials)."""
    import pypdfium2
    from PySide6.QtGui import QPageSize
    from PySide6.QtPrintSupport import QPrinter

    document = pypdfium2.PdfDocument(pdf.read_bytes())
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    size = QPageSize.PageSizeId.Letter if paper == "letter" else QPageSize.PageSizeId.A4
    printer.setPageSize(QPageSize(size))
    printer.setFullPage(True)

    def paint(target) -> None:
        painter = QPainter(target)
        try:
            scale = min(target.resolution(), PRINT_DPI) / 72
            for number in range(len(document)):
                if number:
                    target.newPage()
                bitmap = document[number].render(scale=scale)
                image = bitmap.to_pil().convert("RGB")
                if image.width > image.height:  # a landscape register: turned onto the sheet
                    image = image.rotate(90, expand=True)
                data = image.tobytes()
                picture = QImage(
                    data, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888
                )
                painter.drawImage(painter.viewport(), picture)
        finally:
            painter.end()

    try:
        dialogs.print_preview(parent, printer, paint)
    finally:
        document.close()
