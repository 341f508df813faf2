"""Every file dialog and message box goes through here, so tests patch one place."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

ENGAGEMENT_FILTER = "AIMS Prep engagements (*.aims);;All files (*)"


def choose_open_path(parent: QWidget | None, title: str, start: str = "") -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, start, ENGAGEMENT_FILTER)
    return Path(path) if path else None


def choose_save_path(parent: QWidget | None, title: str, start: str = "") -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, start, ENGAGEMENT_FILTER)
    if not path:
        return None
    chosen = Path(path)
    return chosen if chosen.suffix else chosen.with_suffix(".aims")


def choose_pdf_path(parent: QWidget | None, title: str, start: str = "") -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, start, "PDF documents (*.pdf)")
    if not path:
        return None
    chosen = Path(path)
    return chosen if chosen.suffix else chosen.with_suffix(".pdf")


def choose_image_path(parent: QWidget | None, title: str) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", "Images (*.png *.jpg *.jpeg)")
    return Path(path) if path else None


def print_preview(parent: QWidget | None, printer, paint) -> None:
    """The system's print preview; `paint(printer)` draws the pages (again when printing)."""
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    preview = QPrintPreviewDialog(printer, parent)
    preview.paintRequested.connect(paint)
    preview.exec()


def error(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.warning(parent, title, message)


def info(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.information(parent, title, message)


def confirm(parent: QWidget | None, title: str, message: str) -> bool:
    answer = QMessageBox.question(parent, title, message)
    return answer == QMessageBox.StandardButton.Yes


def run_dialog(dialog) -> int:
    """Show a modal form; tests patch this to fill and accept it."""
    return int(dialog.exec())


def ask_text(parent: QWidget | None, title: str, label: str) -> str | None:
    """One line of text from the user, or None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    text, ok = QInputDialog.getText(parent, title, label)
    return text if ok else None


WORKBOOK_FILTER = "Workbooks (*.xlsx *.xlsm *.ods *.csv);;All files (*)"


def choose_workbook(parent: QWidget | None, title: str, start: str = "") -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, start, WORKBOOK_FILTER)
    return Path(path) if path else None


def choose_workbook_target(parent: QWidget | None, title: str, start: str = "") -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, start, "Excel workbook (*.xlsx)")
    if not path:
        return None
    chosen = Path(path)
    return chosen if chosen.suffix.lower() == ".xlsx" else chosen.with_suffix(".xlsx")


def choose_item(parent: QWidget | None, title: str, label: str, items: list[str]) -> str | None:
    from PySide6.QtWidgets import QInputDialog

    text, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return text if ok else None


def choose_files(parent: QWidget | None, title: str) -> list[Path]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, "", "All files (*)")
    return [Path(p) for p in paths]


def choose_folder(parent: QWidget | None, title: str) -> Path | None:
    path = QFileDialog.getExistingDirectory(parent, title)
    return Path(path) if path else None


def open_with_system(path: Path) -> bool:
    """Hand a file to the system's viewer (a PDF reader, an office suite)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
