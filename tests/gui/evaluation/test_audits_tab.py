"""The internal audit in the window: an audit's dates typed with the keyboard and refused at
the field when they cannot be, its checklist drawn and opened on the lines' tab (that audit's
lines only), a line's result chosen with the keyboard and read back from the reopened file,
the auditor who owns what a line covers flagged, and the worksheet written off the UI thread."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from PySide6.QtCore import Qt

from app.models import Person
from app.services.clauses import requirements
from app.services.engagement import history
from app.services.engagement.file import create_engagement, open_engagement
from app.services.evaluation import audits
from app.services.evaluation.audits import AUDITS, LINES, PROGRAMMES
from app.services.registers import service as register
from app.views.common import dialogs
from tests.gui.common.test_forms_keyboard import _choose
from tests.gui.gui_keys import press, replace

RETURN = Qt.Key.Key_Return


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "client.aims"
    ef = create_engagement(target, client="Acme Analytics GmbH", size="small")
    with ef.writing() as session:
        for pid, name in (("PER-001", "Dana Whitfield"), ("PER-002", "Omar Haddad")):
            session.add(Person(id=pid, name=name, created_at=history.now(), deleted=False))
    requirements.set_values(ef, "owner", {"P-8.4-02": "Omar Haddad (Head of AI)"})
    first = {"title": "Impact assessment", "clauses": "8.4", "lead_auditor": "PER-001"}
    register.create(ef, AUDITS, {**first, "planned_on": "2027-03-01"})
    register.create(ef, AUDITS, {"title": "Risk", "clauses": "8.2, 8.3"})
    audits.draw_checklist(ef, "AUD-002")
    ef.close()
    return target


@pytest.fixture
def page(qtbot, window, path):
    window.open_path(path)
    page = window.evaluation_tab
    window.select_tab("evaluation")
    tab = page.registers[AUDITS.key]
    if not tab._started or tab.is_loading():
        with qtbot.waitSignal(tab.loaded, timeout=10_000):
            page.show_register(AUDITS.key)
    page.show_register(AUDITS.key)
    qtbot.waitUntil(lambda: not tab.is_loading(), timeout=10_000)
    return page


def _reopened(window, path, read):
    window.close_engagement()
    with open_engagement(path) as ef:
        return read(ef)


def test_audits_dates_refused_at_the_field_then_checklist_drawn_answered_and_flagged(
    qtbot, window, page, path, monkeypatch, tmp_path
):
    tab = page.registers[AUDITS.key]
    tab.select("AUD-001")
    form = tab.form
    # done without an actual date: held, the actual date asked for; nothing saved yet
    _choose(qtbot, form.editors["status"], "Done")
    assert "actual date" in form.error.text() and not form.messages["actual_on"].isHidden()
    # an actual date years before the plan: refused at the field with what to check
    replace(qtbot, form.editors["actual_on"], "2024-03-01")
    press(qtbot, RETURN)
    assert "more than a year before" in form.messages["actual_on"].text()
    assert register.get_item(tab.ef, AUDITS, "AUD-001").status == "planned"
    replace(qtbot, form.editors["actual_on"], "2027-03-02")
    press(qtbot, RETURN)
    qtbot.waitUntil(lambda: form.messages["actual_on"].isHidden())
    assert register.get_item(tab.ef, AUDITS, "AUD-001").status == "done"  # saved together

    # Draw checklist opens the audit's lines on their tab: its three points, no other audit's
    lines_tab = page.registers[LINES.key]
    with qtbot.waitSignal(lines_tab.loaded, timeout=10_000):
        qtbot.mouseClick(tab.draw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.tabs.currentWidget() is lines_tab)
    qtbot.waitUntil(lambda: not lines_tab.is_loading(), timeout=10_000)
    shown = [lines_tab.model.id_at(n) for n in range(lines_tab.model.rowCount())]
    assert shown == ["AUD-001-001", "AUD-001-002", "AUD-001-003"]
    assert lines_tab.picker.currentText() == "AUD-001 Impact assessment"
    assert lines_tab.picker.itemText(1) == "AUD-002 Risk"
    assert lines_tab.count_label.text().startswith("3 audit lines")
    # the lead auditor audits every line; Omar owns P-8.4-02: give him that line
    lines_tab.select("AUD-001-002")
    replace(qtbot, lines_tab.form.editors["auditor"], "PER-002")
    press(qtbot, RETURN)
    _choose(qtbot, lines_tab.form.editors["result"], "Major nonconformity")
    qtbot.waitUntil(lambda: "IAU-04" in (lines_tab.model.info_of("AUD-001-002") or []))
    assert "Omar Haddad owns what this line covers" in lines_tab.gaps.text()
    assert lines_tab.gaps.isVisible()
    assert not lines_tab.model.info_of("AUD-001-001")

    # the worksheet, off the UI thread, then read back from the PDF
    out = tmp_path / "AUD-001.pdf"
    monkeypatch.setattr(dialogs, "choose_pdf_path", lambda *_a, **_k: out)
    page.show_register(AUDITS.key)
    tab.select("AUD-001")
    qtbot.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Wrote the worksheet" in tab.note.text(), timeout=20_000)
    assert subprocess.run(["qpdf", "--check", str(out)], capture_output=True).returncode == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "AUD-001" in text and "P-8.4-02" in text and "Major nonconformity" in text

    def read(ef):
        audit = register.get_item(ef, AUDITS, "AUD-001")
        line = register.get_item(ef, LINES, "AUD-001-002")
        return audit.status, audit.actual_on, line.result, line.auditor

    assert _reopened(window, path, read) == ("done", dt.date(2027, 3, 2), "major", "PER-002")


def test_a_line_of_another_audit_opens_with_its_checklist_and_programmes_are_flagged(
    qtbot, window, page, path
):
    lines_tab = page.registers[LINES.key]
    window.open_item(LINES.key, "AUD-002-003")  # as a search hit opens it
    qtbot.waitUntil(lambda: lines_tab.current == "AUD-002-003", timeout=10_000)
    assert page.tabs.currentWidget() is lines_tab
    assert lines_tab.picker.currentText() == "AUD-002 Risk"
    assert lines_tab.model.rowCount() == 4  # AUD-002's lines only
    assert "AUD-002-003" in lines_tab.heading.text()
    # a programme that must cover 9.2: flagged on its tab with what is missing
    register.create(lines_tab.ef, PROGRAMMES, {"title": "Year 1", "clauses": "9.2, 8.4"})
    programmes = page.registers[PROGRAMMES.key]
    with qtbot.waitSignal(programmes.loaded, timeout=10_000):
        page.show_register(PROGRAMMES.key)
    qtbot.waitUntil(lambda: programmes.current == "PRG-01", timeout=10_000)
    assert programmes.model.info_of("PRG-01") == ["IAU-03"]
    assert "Not audited yet in its period: 9.2, 8.4" in programmes.gaps.text()
