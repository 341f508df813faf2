"""The Documents tab as a consultant uses it: every field typed with the keyboard and read back
from the reopened file, files attached by the dialog and by drag and drop (with undo), a
tampered attachment reported, and the mandatory checklist linked by typing document IDs."""

from __future__ import annotations

import datetime as dt
import sqlite3
import warnings

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.services.documents import attachments, mandatory
from app.services.documents.register import DOCUMENTS
from app.services.engagement.file import create_engagement, open_engagement
from app.services.inventory import service as inventory
from app.services.registers import service as register
from app.views.common import dialogs
from tests.gui.common.test_forms_keyboard import _expected, _fill
from tests.gui.context.test_context_page import _reopened
from tests.gui.gui_keys import focus, press, replace

RETURN = Qt.Key.Key_Return


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "client.aims"
    ef = create_engagement(target, client="Acme Analytics GmbH", size="small")
    inventory.create_system(ef, {"name": "Chatbot"})
    register.create(
        ef,
        DOCUMENTS,
        {"title": "AI policy", "status": "approved", "approved_by": "Board",
         "approved_on": "2026-11-02"},
    )  # fmt: skip
    ef.close()
    return target


@pytest.fixture
def page(qtbot, window, path):
    window.open_path(path)
    documents = window.documents_tab
    window.activateWindow()  # a shortcut reaches only the active window
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(documents.loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is documents
    documents.register_tab.select("DOC-001")
    return documents


DOCUMENT = {
    "title": "AI policy",
    "kind": "policy",
    "version": "1.2",
    "author": "Head of Compliance",
    "owner": "Chief Risk Officer",
    "classification": "Internal",
    "status": "approved",
    "effective_date": dt.date(2026, 10, 1),
    "approved_by": "Dana Whitfield",
    "approver_role": "Chief Executive",
    "approved_on": dt.date(2026, 9, 28),
    "review_months": 12,
    "next_review": dt.date(2027, 9, 28),
    "retention": "10 years",
    "location": "SharePoint / Policies / AI",
    "supersedes": "",
    "points": "P-5.2-01",
    "controls": "A.2.2",
    "systems": "AIS-001",
    "risks": "",
    "assessments": "",
    "notes": "Board paper 2026/14",
    "ai_policy": True,
    "communicated_to": "All staff",
    "communicated_on": dt.date(2026, 10, 2),
    "communicated_how": "Intranet and town hall",
    "available_to_parties": True,
}


def test_documents_every_field_by_keyboard(qtbot, window, page, path):
    assert set(DOCUMENT) == set(DOCUMENTS.spec)
    tab = page.register_tab
    _fill(qtbot, tab.form, {k: v for k, v in DOCUMENT.items() if v != ""})
    assert window.state_label.text() == "All changes saved"
    item = _reopened(window, path, lambda ef: register.get_item(ef, DOCUMENTS, "DOC-001"))
    assert item.values == _expected(DOCUMENTS.spec, DOCUMENT)


def test_documents_attach_by_dialog_and_drop_then_undo(qtbot, window, page, path, tmp_path):
    panel = page.register_tab.attachments
    first, second = tmp_path / "policy.pdf", tmp_path / "minutes.txt"
    first.write_bytes(b"%PDF-1.4 policy")
    second.write_bytes(b"board minutes")
    dialogs_seen = []
    original = dialogs.choose_files
    dialogs.choose_files = lambda parent, title: (dialogs_seen.append(title), [first])[1]
    try:
        focus(qtbot, panel.list)
        qtbot.keyClick(panel.list, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
        qtbot.waitUntil(lambda: panel.list.topLevelItemCount() == 1, timeout=10_000)
    finally:
        dialogs.choose_files = original
    assert dialogs_seen == ["Attach files to DOC-001"]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(second))])
    how = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
           Qt.KeyboardModifier.NoModifier)  # fmt: skip
    # the drag enters the panel (accepted: it carries files), then drops
    with warnings.catch_warnings():  # PySide6 flags Qt 6's only constructor as deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(5, 5), *how)
    assert QApplication.sendEvent(panel, enter)
    assert QApplication.sendEvent(panel, QDropEvent(QPointF(5, 5), *how))
    qtbot.waitUntil(lambda: panel.list.topLevelItemCount() == 2, timeout=10_000)
    assert [panel.list.topLevelItem(i).text(0) for i in range(2)] == ["policy.pdf", "minutes.txt"]
    assert window.state_label.text() == "All changes saved"
    window.undo_stack.undo()  # the dropped file goes
    assert panel.list.topLevelItemCount() == 1
    names = _reopened(window, path, lambda ef: [a.name for a in attachments.list_attachments(ef)])
    assert names == ["policy.pdf"]


def test_documents_tampered_attachment_is_reported_with_the_document(
    qtbot, window, path, tmp_path, monkeypatch
):
    source = tmp_path / "method.txt"
    source.write_bytes(b"risk method")
    with open_engagement(path) as ef:
        for _ in attachments.attach(ef, "DOC-001", source):
            pass
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE attachment_chunk SET data = X'00'")
    window.open_path(path)
    documents = window.documents_tab
    with qtbot.waitSignal(documents.loaded, timeout=10_000):
        window.select_tab("documents")
    documents.register_tab.select("DOC-001")
    shown = []
    monkeypatch.setattr(dialogs, "error", lambda parent, title, message: shown.append(message))
    documents.register_tab.attachments.buttons["verify"].click()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown[0].startswith("DOC-001 method.txt: ")


def test_documents_mandatory_entry_linked_by_typing_ids_with_undo(qtbot, window, page, path):
    page.tabs.setCurrentWidget(page.mandatory_tab)
    tab = page.mandatory_tab
    assert "33 of 33</b> entries have no document linked" in tab.summary.text()
    item = next(
        tab.tree.topLevelItem(i)
        for i in range(tab.tree.topLevelItemCount())
        if tab.tree.topLevelItem(i).text(0) == "DI-02"
    )
    tab.tree.setCurrentItem(item)
    replace(qtbot, tab.documents, "DOC-404")
    errors = []
    original = dialogs.error
    dialogs.error = lambda parent, title, message: errors.append(message)
    try:
        press(qtbot, RETURN)
    finally:
        dialogs.error = original
    assert errors == ["There is no document DOC-404; add it first."]
    assert window.state_label.text().startswith("Last change NOT saved")
    replace(qtbot, tab.documents, "DOC-001")
    press(qtbot, RETURN)
    assert "32 of 33" in tab.summary.text()
    assert tab.tree.currentItem().text(3) == "DOC-001 AI policy"
    window.undo_stack.undo()
    assert "33 of 33" in tab.summary.text()
    window.undo_stack.redo()
    entries = _reopened(window, path, lambda ef: mandatory.list_entries(ef))
    assert [d.id for d in next(e for e in entries if e.info.id == "DI-02").documents] == ["DOC-001"]


def test_each_item_shows_the_documents_that_serve_it(qtbot, window, demo_file):
    window.set_engagement(demo_file)
    for tab_name, item, expected in (
        ("inventory", "AIS-001", "DOC-060 Model lifecycle procedure; DOC-061 Model validation"),
        ("risks", "R-001", "DOC-061 Model validation report: credit scoring v4"),
        ("soa", "A.2.2", "DOC-010 AI policy"),
    ):
        window.select_tab(tab_name)
        window.wait_until_loaded()
        tab = getattr(window, f"{tab_name}_tab")
        tab.select(item)
        assert tab.documents.text().startswith("<b>Documents:</b> " + expected), tab_name
    tab.select("A.3.3")  # no document serves it
    assert tab.documents.text() == "<b>Documents:</b> none linked (Documents tab)"
    window.select_tab("clauses")
    window.clauses_tab.select_point("P-5.2-01")
    assert window.clauses_tab.documents.text() == "<b>Documents:</b> DOC-010 AI policy"


def test_documents_export_one_or_all_never_over_a_file(qtbot, window, path, tmp_path, monkeypatch):
    with open_engagement(path) as ef:
        for name, data in (("a.txt", b"first"), ("b.txt", b"second")):
            (tmp_path / name).write_bytes(data)
            for _ in attachments.attach(ef, "DOC-001", tmp_path / name):
                pass
    window.open_path(path)
    documents = window.documents_tab
    with qtbot.waitSignal(documents.loaded, timeout=10_000):
        window.select_tab("documents")
    documents.register_tab.select("DOC-001")
    panel = documents.register_tab.attachments
    out = tmp_path / "out"
    out.mkdir()
    (out / "DOC-001 a.txt").write_bytes(b"the client's own")
    monkeypatch.setattr(dialogs, "choose_folder", lambda *_a: out)
    panel.buttons["export"].click()  # the selected file: a.txt, beside the client's own
    qtbot.waitUntil(lambda: "Wrote 1 attachment" in panel.note.text(), timeout=10_000)
    assert (out / "DOC-001 a (2).txt").exists()
    assert (out / "DOC-001 a.txt").read_bytes() == b"the client's own"
    panel.buttons["export_all"].click()  # done when the panel says so, not when a file appears
    qtbot.waitUntil(lambda: "Wrote 2 attachments" in panel.note.text(), timeout=10_000)
    assert sorted(p.name for p in out.iterdir()) == [
        "DOC-001 a (2).txt", "DOC-001 a (3).txt", "DOC-001 a.txt", "DOC-001 b.txt",
    ]  # fmt: skip
    assert "Wrote 2 attachments" in panel.note.text()


def test_documents_open_hands_a_checked_copy_to_the_system_viewer(
    qtbot, window, path, tmp_path, monkeypatch
):
    (tmp_path / "policy.pdf").write_bytes(b"%PDF-1.4 policy")
    with open_engagement(path) as ef:
        for _ in attachments.attach(ef, "DOC-001", tmp_path / "policy.pdf"):
            pass
    window.open_path(path)
    documents = window.documents_tab
    with qtbot.waitSignal(documents.loaded, timeout=10_000):
        window.select_tab("documents")
    documents.register_tab.select("DOC-001")
    panel = documents.register_tab.attachments
    opened = []
    monkeypatch.setattr(dialogs, "open_with_system", lambda p: opened.append(p) or True)
    focus(qtbot, panel.list)
    press(qtbot, RETURN)  # Return on the file opens it
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert opened[0].name == "DOC-001 policy.pdf"
    assert opened[0].read_bytes() == b"%PDF-1.4 policy" and opened[0].parent != tmp_path


def test_documents_sorted_by_title_follow_an_edit_and_links_offer_the_documents(
    qtbot, window, path
):
    """The table sorted by title puts an edited document in its new place (sort keys are
    worked out once when the tab loads, and again for the edited row); a link field offers
    the documents as they are when it gets the focus."""
    with open_engagement(path) as ef:
        register.create(ef, DOCUMENTS, {"title": "Model cards"})
    window.open_path(path)
    documents = window.documents_tab
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    with qtbot.waitSignal(documents.loaded, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    tab = documents.register_tab
    header = tab.table.horizontalHeader()
    section = QPoint(header.sectionViewportPosition(1) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=section)
    assert header.sortIndicatorSection() == 1
    ascending = header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    by_title = ["DOC-001", "DOC-002"]  # "AI policy", "Model cards"
    assert tab.model.visible_ids() == (by_title if ascending else by_title[::-1])
    tab.select("DOC-001")
    replace(qtbot, tab.form.editors["title"], "Training plan")
    press(qtbot, RETURN)
    assert tab.model.visible_ids() == (by_title if ascending else by_title[::-1])  # stays put
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=section)  # sort again
    assert header.sortIndicatorOrder() != (
        Qt.SortOrder.AscendingOrder if ascending else Qt.SortOrder.DescendingOrder
    )
    # "Model cards" before "Training plan" now, in the order the header shows
    assert tab.model.visible_ids() == (["DOC-001", "DOC-002"] if ascending else by_title[::-1])
    supersedes = tab.form.editors["supersedes"]
    replace(qtbot, supersedes, "model")
    popup = supersedes.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert shown == ["DOC-002 Model cards"]
    title = _reopened(window, path, lambda ef: register.get_item(ef, DOCUMENTS, "DOC-001"))
    assert title.values["title"] == "Training plan"
