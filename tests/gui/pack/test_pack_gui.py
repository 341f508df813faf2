"""File > Export Stage 1 Pack and File > Print, with the dialogs patched."""

from __future__ import annotations

import io
import subprocess

import pytest
from PySide6.QtCore import Qt

from app.services.pack import settings as pack_settings
from app.services.progress import finish
from app.views.common import dialogs
from app.views.pack.dialog import PackDialog


def fill(monkeypatch, **choices):
    """Patch the pack dialog: tick only `sections`, set the other fields, accept."""

    def run(dialog) -> int:
        if not isinstance(dialog, PackDialog):
            raise AssertionError(f"unexpected dialog {dialog!r}")
        if "kind" in choices:
            dialog.kind.setCurrentIndex(dialog.kind.findData(choices["kind"]))
        for key, check in dialog.section_boxes.items():
            check.setChecked(key in choices.get("sections", pack_settings.SECTIONS))
        if "paper" in choices:
            dialog.paper.setCurrentIndex(dialog.paper.findData(choices["paper"]))
        dialog.marking.setText(choices.get("marking", dialog.marking.text()))
        dialog.accent.setText(choices.get("accent", dialog.accent.text()))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", run)


def test_pack_gui_export_builds_off_thread_remembers_the_choice_and_undoes(
    qtbot, window, demo_file, tmp_path, monkeypatch, external_tool
):
    window.set_engagement(demo_file)
    out = tmp_path / "pack.pdf"
    fill(monkeypatch, sections=["scope", "soa"], paper="letter", marking="Board only")
    monkeypatch.setattr(dialogs, "choose_pdf_path", lambda *a: out)
    window.export_pack()
    qtbot.waitUntil(
        lambda: "Stage 1 submission written" in window.statusBar().currentMessage(),
        timeout=30_000,
    )
    assert out.exists()
    remembered = pack_settings.get(demo_file)
    assert remembered.sections_of("submission") == ("scope", "soa")
    assert remembered.paper == "letter"
    assert remembered.marking == "Board only"
    window.undo_stack.undo()
    assert pack_settings.get(demo_file) == pack_settings.PackSettings()
    pdftotext = external_tool("pdftotext")
    text = subprocess.run([pdftotext, str(out), "-"], capture_output=True, text=True).stdout
    assert "Board only" in text and "Statement of Applicability" in text


def test_pack_gui_dialog_refuses_a_bad_colour_at_the_field(qtbot, window, new_file, monkeypatch):
    window.set_engagement(new_file)
    dialog = PackDialog(pack_settings.get(new_file), "Export", "Export…", window)
    qtbot.addWidget(dialog)
    dialog.accent.setText("teal")
    dialog.accept()
    assert dialog.isVisible() is False or dialog.result() == 0
    assert "#RRGGBB" in dialog.error.text()
    for check in dialog.section_boxes.values():
        check.setChecked(False)
    dialog.accent.setText("")
    dialog.accept()
    assert "at least one section" in dialog.error.text()


def test_pack_gui_logo_not_an_image_is_refused_at_the_setting(
    qtbot, window, new_file, tmp_path, monkeypatch, errors
):
    window.set_engagement(new_file)
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"%PDF-1.4 this is a PDF")
    dialog = PackDialog(pack_settings.get(new_file), "Export", "Export…", window)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialogs, "choose_image_path", lambda *a: fake)
    dialog.choose_logo()
    assert errors == [
        ("Logo not used", "The logo must be a PNG or JPEG image; this file is neither.")
    ]
    assert dialog.logo is None and dialog.logo_label.text() == "None"


def test_pack_gui_logo_image_is_kept(qtbot, window, new_file, tmp_path, monkeypatch):
    from PIL import Image

    window.set_engagement(new_file)
    image = io.BytesIO()
    Image.new("RGB", (64, 32), (0, 90, 160)).save(image, "PNG")
    (tmp_path / "logo.png").write_bytes(image.getvalue())
    dialog = PackDialog(pack_settings.get(new_file), "Export", "Export…", window)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialogs, "choose_image_path", lambda *a: tmp_path / "logo.png")
    dialog.choose_logo()
    assert dialog.logo == image.getvalue() and dialog.logo_label.text().startswith("Image of")


def test_pack_gui_unwritable_output_shows_the_message(
    qtbot, window, new_file, tmp_path, monkeypatch, errors
):
    window.set_engagement(new_file)
    fill(monkeypatch, sections=["scope"])
    monkeypatch.setattr(dialogs, "choose_pdf_path", lambda *a: tmp_path / "gone" / "p.pdf")
    window.export_pack()
    qtbot.waitUntil(lambda: bool(errors), timeout=30_000)  # the task may fail at once
    assert errors[0][0] == "Pack not written" and "does not exist" in errors[0][1]
    assert not (tmp_path / "gone").exists()


def test_pack_gui_print_draws_every_page_on_the_printer(
    qtbot, window, demo_file, tmp_path, monkeypatch, external_tool
):
    """The preview is patched to print straight to a PDF file: the printed document has the
    pack's pages."""
    from PySide6.QtPrintSupport import QPrinter

    window.set_engagement(demo_file)
    fill(monkeypatch, sections=["scope", "criteria"])
    printed = tmp_path / "printed.pdf"
    seen = []

    def preview(parent, printer, paint) -> None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        paint(printer)
        seen.append(printer.pageLayout().pageSize().name())

    monkeypatch.setattr(dialogs, "print_preview", preview)
    window.print_pack()
    qtbot.waitUntil(lambda: bool(seen), timeout=30_000)
    pdfinfo = external_tool("pdfinfo")
    info = subprocess.run([pdfinfo, str(printed)], capture_output=True, text=True).stdout
    from app.services.pack import build as pack

    same = finish(pack.export(demo_file, tmp_path / "same.pdf", ["scope", "criteria"]))
    assert f"Pages:           {same.pages}\n" in info and seen == ["A4"]


@pytest.mark.parametrize("name", ["pack_action", "print_action"])
def test_pack_gui_actions_need_an_engagement(window, name):
    assert not getattr(window, name).isEnabled()


def test_pack_gui_readiness_report_chosen_with_the_keyboard_holds_the_gaps(
    qtbot, window, demo_file, tmp_path, monkeypatch, external_tool
):
    window.set_engagement(demo_file)
    out = tmp_path / "report.pdf"
    seen = {}

    def run(dialog) -> int:
        dialog.show()
        assert not dialog.section_boxes["readiness"].isEnabled()  # not in a submission
        dialog.kind.setFocus()
        qtbot.keyClick(dialog.kind, Qt.Key.Key_Down)  # Stage 1 submission -> Readiness report
        assert dialog.section_boxes["readiness"].isEnabled()
        seen["note"] = dialog.kind_note.text()
        for key, check in dialog.section_boxes.items():
            check.setChecked(key in ("readiness", "scope"))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", run)
    monkeypatch.setattr(dialogs, "choose_pdf_path", lambda *a: out)
    window.export_pack()
    qtbot.waitUntil(
        lambda: "Readiness report written" in window.statusBar().currentMessage(), timeout=30_000
    )
    assert "every gap" in seen["note"]
    assert pack_settings.get(demo_file).kind == "readiness"
    pdftotext = external_tool("pdftotext")
    text = subprocess.run([pdftotext, str(out), "-"], capture_output=True, text=True).stdout
    assert "Readiness summary" in text and "Open gaps" in text


def test_pack_gui_engagement_details_take_the_audit_and_document_control(
    qtbot, window, new_file, monkeypatch
):
    from app.services.engagement.file import open_engagement

    def run(dialog) -> int:
        dialog.show()
        editors = dialog.form.editors
        editors["certification_body"].setFocus()
        qtbot.keyClicks(editors["certification_body"], "Harbourline Assurance")
        qtbot.keyClick(editors["certification_body"], Qt.Key.Key_Tab)
        for name, typed in (("stage2_date", "2027-05-30"), ("doc_version", "1.0"),
                            ("doc_approver", "Priya Shah")):  # fmt: skip
            editors[name].setFocus()
            qtbot.keyClicks(editors[name], typed)
        qtbot.keyClick(editors["doc_approver"], Qt.Key.Key_Return)  # OK, the default button
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", run)
    window.set_engagement(new_file)
    window.edit_details()
    path = new_file.path
    window.close_engagement()
    with open_engagement(path) as ef:
        d = ef.details
        assert d.certification_body == "Harbourline Assurance"
        assert d.stage2_date.isoformat() == "2027-05-30"
        assert (d.doc_version, d.doc_approver) == ("1.0", "Priya Shah")


def test_pack_gui_soa_form_saves_the_implementation_description(qtbot, window, demo_file):
    from app.services.engagement.file import open_engagement
    from app.services.soa import service as soa

    window.set_engagement(demo_file)
    tab = window.soa_tab
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.select_tab("soa")
    tab.select("A.4.2")
    editor = tab.form.editors["implementation"]
    label = tab.form.layout().labelForField(editor).text()
    assert label == "Implementation description"
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, "Asset register kept by the CIO")
    tab.form.editors["owner"].setFocus()  # leaving the field saves it
    path = demo_file.path
    window.close_engagement()
    with open_engagement(path) as ef:
        assert soa.get_line(ef, "A.4.2").implementation == "Asset register kept by the CIO"


def test_pack_gui_heat_map_cells_have_the_packs_colours(qtbot, demo_file):
    from PySide6.QtGui import QColor

    from app.services.risks import heat_colours
    from app.services.risks import service as risks
    from app.views.risks.heat_map import HeatMap

    criteria = risks.get_criteria(demo_file)
    heat = HeatMap()
    qtbot.addWidget(heat)
    heat.resize(320, 190)
    heat.set_data(criteria, {})
    image = heat.grab().toImage()
    left, top, width, height = heat._grid()
    rows = len(criteria.likelihood)
    for likelihood, impact in ((1, 1), (rows, len(criteria.impact)), (3, 3)):
        x = int(left + (impact - 0.8) * width)
        y = int(top + (rows - likelihood + 0.2) * height)
        want = heat_colours.band_colour(criteria, criteria.score(likelihood, impact))
        assert image.pixelColor(x, y).name() == QColor(want).name()


def test_pack_gui_print_turns_landscape_registers_onto_the_sheet(
    qtbot, window, demo_file, tmp_path, monkeypatch
):
    """The SoA is on landscape pages; printed on portrait paper it is turned, not squashed:
    the printed page's ink runs down the sheet, as the landscape page's runs across."""
    import pypdfium2
    from PySide6.QtPrintSupport import QPrinter

    from app.views.pack import dialog as pack_dialog

    window.set_engagement(demo_file)
    fill(monkeypatch, sections=["soa"])
    monkeypatch.setattr(pack_dialog, "PRINT_DPI", 40)
    printed = tmp_path / "printed.pdf"
    seen = []

    def preview(parent, printer, paint) -> None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        paint(printer)
        seen.append(True)

    monkeypatch.setattr(dialogs, "print_preview", preview)
    window.print_pack()
    qtbot.waitUntil(lambda: bool(seen), timeout=30_000)
    document = pypdfium2.PdfDocument(str(printed))
    try:
        page = document[2]  # the cover, the contents, then the SoA's first page
        width, height = page.get_size()
        image = page.render(scale=0.3).to_pil().convert("L")
    finally:
        document.close()
    assert width < height  # portrait paper
    # The SoA's header row: a shaded band across a landscape page, so down a turned one.
    columns = [sum(image.getpixel((x, y)) < 250 for y in range(image.height))
               for x in range(image.width)]  # fmt: skip
    rows = [sum(image.getpixel((x, y)) < 250 for x in range(image.width))
            for y in range(image.height)]  # fmt: skip
    assert max(columns) > 0.8 * image.height and max(rows) < 0.8 * image.width
