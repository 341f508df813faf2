"""Export and import of workbooks from the window: off the UI thread, a preview before any
change, conflicts picked in the preview, one undo step."""

from __future__ import annotations

import openpyxl
from PySide6.QtWidgets import QLabel

from app.services.inventory import service as inventory
from app.services.risks import service as risks
from app.views.common import dialogs
from app.views.workbook.import_dialog import ImportDialog, MappingDialog
from tests.conftest import FIXTURES

FIXTURE = FIXTURES / "real-workbooks/urielle/S5-02_AI_Risk_Register_Template.xlsx"


def _export(qtbot, window, monkeypatch, target):
    monkeypatch.setattr(dialogs, "choose_workbook_target", lambda *a: target)
    window.export_xlsx_action.trigger()
    qtbot.waitUntil(target.exists, timeout=20_000)
    qtbot.waitUntil(lambda: window.workbooks.task.ended.is_set(), timeout=20_000)


def _import(qtbot, window, monkeypatch, path, on_dialog):
    """Import `path` through the menu; `on_dialog` sees the preview and says accept or not."""
    seen: list[ImportDialog] = []

    def run(dialog):
        seen.append(dialog)
        return on_dialog(dialog)

    monkeypatch.setattr(dialogs, "choose_workbook", lambda *a: path)
    monkeypatch.setattr(dialogs, "run_dialog", run)
    window.import_xlsx_action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    qtbot.waitUntil(lambda: window.workbooks.task.ended.is_set(), timeout=20_000)
    return seen[0]


def test_workbook_export_edit_import_with_conflict_and_undo(
    qtbot, window, demo_file, monkeypatch, tmp_path
):
    window.set_engagement(demo_file)
    path = tmp_path / "for client.xlsx"
    _export(qtbot, window, monkeypatch, path)
    # the client edits two cells; meanwhile the consultant changes one of them in the app
    wb = openpyxl.load_workbook(path)
    ws = wb["AI systems"]
    ws["D2"] = "Client's new owner"
    ws["C3"] = "Client's description"
    wb.save(path)
    inventory.update_system(demo_file, "AIS-002", {"description": "Consultant's description"})

    def pick_workbook_for_conflict(dialog: ImportDialog) -> int:
        page = dialog.tabs.widget([s.sheet for s in dialog.plan.sheets].index("AI systems"))
        assert "1 in conflict" in page.findChildren(type(dialog.summary))[0].text()
        (conflict,) = dialog.plan.sheets[1].conflicts
        assert (conflict.key, conflict.app, conflict.workbook) == (
            "AIS-002", "Consultant's description", "Client's description"
        )  # fmt: skip
        conflict.take_workbook = True
        dialog._update_buttons()
        assert dialog.apply_button.isEnabled()
        dialog.apply_button.click()
        return 1

    _import(qtbot, window, monkeypatch, path, pick_workbook_for_conflict)
    qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=20_000)  # applied
    assert inventory.get_system(demo_file, "AIS-001").business_owner == "Client's new owner"
    assert inventory.get_system(demo_file, "AIS-002").description == "Client's description"
    assert window.undo_stack.undoText() == f"Import {path.name}"
    window.undo_stack.undo()
    assert inventory.get_system(demo_file, "AIS-001").business_owner != "Client's new owner"
    assert inventory.get_system(demo_file, "AIS-002").description == "Consultant's description"
    window.undo_stack.redo()
    assert inventory.get_system(demo_file, "AIS-001").business_owner == "Client's new owner"


def test_workbook_preview_cancelled_changes_nothing(qtbot, window, demo_file, monkeypatch):
    window.set_engagement(demo_file)
    before = len(risks.list_risks(demo_file))
    dialog = _import(qtbot, window, monkeypatch, FIXTURE, lambda d: 0)
    sheet = next(s for s in dialog.plan.sheets if s.sheet == "Risk Register")
    assert (sheet.kind, sheet.header_row, len(sheet.added)) == ("risks", 5, 17)
    assert len(risks.list_risks(demo_file)) == before
    assert window.undo_stack.count() == 0


def test_workbook_mapping_dialog_offers_the_sheet_headers(qtbot, window, demo_file, monkeypatch):
    window.set_engagement(demo_file)
    dialog = _import(qtbot, window, monkeypatch, FIXTURE, lambda d: 0)
    sheet = next(s for s in dialog.plan.sheets if s.sheet == "Risk Register")
    mapping = MappingDialog(sheet.sheet, sheet.layout, None, sheet.raw)
    qtbot.addWidget(mapping)
    assert mapping.table.item(0, 0).text() == "Risk ID"
    mapping.header_row.setValue(1)  # the user points at another row: its cells are the headings
    assert mapping.table.item(0, 0).text().startswith("S5-02")
    assert mapping.chosen().columns == {}
    mapping.header_row.setValue(5)
    chosen = mapping.chosen()
    assert chosen.kind == "risks" and chosen.columns[1] == "category"
    # the user says the owner column is not to be used: it is kept in the notes instead
    owner = sheet.layout.headers.index("Risk Owner")
    mapping.table.cellWidget(owner, 1).setCurrentIndex(0)
    assert owner not in mapping.chosen().columns


def test_workbook_dropped_on_the_window_is_imported(
    qtbot, window, demo_file, monkeypatch, tmp_path
):
    from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    window.set_engagement(demo_file)
    seen = []
    monkeypatch.setattr(dialogs, "run_dialog", lambda d: seen.append(d) or 0)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(FIXTURE))])
    event = QDropEvent(
        QPointF(QPoint(10, 10)), Qt.DropAction.CopyAction, data,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    window.dropEvent(event)
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    assert seen[0].plan.path == FIXTURE
    assert window.ef is demo_file  # still the same engagement: the workbook was not "opened"


def test_mapping_grid_is_filled_as_soon_as_an_area_is_chosen(qtbot, window, demo_file, tmp_path):
    from PySide6.QtCore import Qt

    from app.services.workbook.importer import build_plan

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Stuff"
    ws.append(["Register of things"])
    ws.append(["Item", "Notes on it", "Supplier", "Go-live"])  # not recognised as any area
    ws.append(["HireScreen", "CV screening", "TalentCo", "2025-03-01"])
    path = tmp_path / "stuff.xlsx"
    wb.save(path)
    sheet = next(s for s in build_plan(demo_file, path).sheets if s.sheet == "Stuff")
    assert sheet.kind == "unknown"
    mapping = MappingDialog(sheet.sheet, sheet.layout, None, sheet.raw)
    qtbot.addWidget(mapping)
    mapping.show()
    assert mapping.header_row.value() == 2  # the row with the headings, not the title
    assert [mapping.table.item(i, 0).text() for i in range(4)] == [
        "Item", "Notes on it", "Supplier", "Go-live"
    ]  # fmt: skip
    mapping.kind.setFocus()
    qtbot.keyClicks(mapping.kind, "AI")  # the user picks "AI system inventory" by typing
    assert mapping.kind.currentData() == "inventory"
    fields = [mapping.table.cellWidget(i, 1).currentData() for i in range(4)]
    assert fields == ["", "", "vendor", "deployment_date"]
    name = mapping.table.cellWidget(0, 1)
    name.setFocus()
    qtbot.keyClicks(name, "Name")
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    assert mapping.chosen().columns == {0: "name", 2: "vendor", 3: "deployment_date"}


def test_workbook_preview_cancelled_while_reading_shows_nothing(
    qtbot, window, demo_file, monkeypatch
):
    from PySide6.QtWidgets import QProgressDialog

    window.set_engagement(demo_file)
    shown = []
    monkeypatch.setattr(dialogs, "choose_workbook", lambda *a: FIXTURE)
    monkeypatch.setattr(dialogs, "run_dialog", lambda d: shown.append(d) or 0)
    window.import_xlsx_action.trigger()
    progress = window.findChildren(QProgressDialog)[-1]
    progress.canceled.emit()  # the user presses Cancel while the workbook is read
    qtbot.waitUntil(lambda: window.workbooks.task.ended.is_set(), timeout=20_000)
    qtbot.wait(50)  # the reader's result arrives, and is dropped
    assert shown == [] and "cancelled" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0


def test_the_preview_names_a_hidden_sheet_it_leaves_out(
    qtbot, window, demo_file, monkeypatch, tmp_path
):
    window.set_engagement(demo_file)
    wb = openpyxl.Workbook()
    wb.active.title = "Risk register"
    wb.active.append(["Risk", "Likelihood", "Impact", "Treatment"])
    wb.active.append(["Chatbot gives wrong advice", 3, 4, "Reduce"])
    old = wb.create_sheet("Old risks")
    old.append(["Risk", "Likelihood", "Impact"])
    old.append(["Retired model drifts", 2, 2])
    old.sheet_state = "hidden"
    wb.save(tmp_path / "risks.xlsx")
    seen: list[str] = []

    def read(dialog: ImportDialog) -> int:
        seen.extend(
            label.text() for label in dialog.findChildren(QLabel) if label.isVisibleTo(dialog)
        )
        return 0

    dialog = _import(qtbot, window, monkeypatch, tmp_path / "risks.xlsx", read)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())][0].startswith("Risk")
    assert any("The sheet 'Old risks' is hidden and is left out" in t for t in seen)
