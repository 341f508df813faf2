"""When the AIMS began and a retroactive assessment, entered with the keyboard as a consultant
does, read back from the reopened file, and the gap beside the system they clear."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox

from app.services.engagement.file import open_engagement
from app.services.inventory import impact
from app.services.inventory import service as inventory
from app.views.common import dialogs
from app.views.inventory.model import COL_GAPS
from tests.gui.gui_keys import focus, press, replace, type_text

RETURN, TAB = Qt.Key.Key_Return, Qt.Key.Key_Tab
TODAY = dt.date.today()


def _drive(monkeypatch, drive):
    def run(dialog):
        dialog.show()
        drive(dialog)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", run)


def _choose(qtbot, combo, label):
    """Open the list (Alt+Down), type the start of the choice, Return."""
    focus(qtbot, combo)
    press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert combo.view().isVisible()
    for char in label[:5]:
        qtbot.keyClicks(combo.view(), char)
    qtbot.keyClick(combo.view(), RETURN)
    assert combo.currentText() == label


def _inventory(qtbot, window):
    tab = window.inventory_tab
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.select_tab("inventory")
    return tab


def _gaps(tab, system_id):
    return tab.model.index(tab.model.position(system_id), COL_GAPS).data()


def test_keys_aims_start_date_clears_a_retroactive_system_and_is_kept(
    qtbot, window, new_file, monkeypatch
):
    deployed = TODAY - dt.timedelta(days=700)
    values = {"name": "Loan scoring", "stage": "deployed", "business_owner": "CRO",
              "intended_use": "Loans", "deployment_date": deployed}  # fmt: skip
    system_id = inventory.create_system(new_file, values)
    when = TODAY - dt.timedelta(days=20)
    impact.create_assessment(
        new_file, system_id,
        {"assessed_on": when, "trigger": "retroactive", "treatment": "Sample review",
         "result": "Acceptable", "approved_by": "Board", "approved_on": when},
        [{"scope": "individuals", "description": "Unfair decline", "severity": 3,
          "likelihood": 2}],
    )  # fmt: skip
    path = new_file.path
    window.set_engagement(new_file)
    tab = _inventory(qtbot, window)
    tab.select(system_id)
    after = "INV-02 First completed impact assessment dated after deployment"
    assert _gaps(tab, system_id) == after
    assert "When the AIMS began is not set" in tab.gaps.text()
    started = TODAY - dt.timedelta(days=300)

    def drive(dialog):
        replace(qtbot, dialog.form.editors["aims_started_on"], started.isoformat())
        press(qtbot, TAB)
        focus(qtbot, dialog.form.editors["client"])
        press(qtbot, RETURN)  # OK

    _drive(monkeypatch, drive)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):  # its gaps read the new date
        window.edit_details()
    assert _gaps(tab, system_id) == ""
    window.close_engagement()
    with open_engagement(path) as ef:
        assert ef.details.aims_started_on == started


def test_keys_retroactive_trigger_clears_assessed_after_deployment_and_is_kept(
    qtbot, window, demo_file, monkeypatch
):
    path = demo_file.path
    window.set_engagement(demo_file)
    tab = _inventory(qtbot, window)
    credit = next(s.id for s in tab.model.all_rows() if s.name == "Credit decisioning model")
    tab.select(credit)
    assert "INV-02" in _gaps(tab, credit)  # live before the AIMS began, assessed as initial
    assert "trigger 'Retroactive' clears INV-02" in tab.gaps.text()
    when = (TODAY - dt.timedelta(days=5)).isoformat()
    seen = {}
    asked: list[str] = []  # a committee is no person: not added to People
    monkeypatch.setattr(dialogs, "confirm", lambda _p, title, _m: asked.append(title) and False)

    def drive(dialog):
        form = dialog.form
        replace(qtbot, form.editors["assessed_on"], when)
        press(qtbot, TAB)
        _choose(qtbot, form.editors["trigger"], "Retroactive (live before the AIMS began)")
        for name, typed in (
            ("treatment", "Referral band"),
            ("result", "Acceptable"),
            ("approved_by", "Executive Risk Committee"),
            ("approved_on", when),
        ):
            replace(qtbot, form.editors[name], typed)
            press(qtbot, TAB)  # fmt: skip
        dialog.impacts.add()
        table = dialog.table
        focus(qtbot, table)
        seen["choices"] = []
        for column, typed in ((1, "Thin-file applicants declined"), (2, "5")):
            table.setCurrentIndex(dialog.impacts.index(0, column))
            press(qtbot, Qt.Key.Key_F2)
            editor = QApplication.focusWidget()
            if isinstance(editor, QComboBox):  # the engagement's scale, each level named
                seen["choices"] = [editor.itemText(i) for i in range(editor.count())]
                qtbot.keyClicks(editor, typed)
            else:
                press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
                type_text(qtbot, typed)
            press(qtbot, RETURN)
            qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
        focus(qtbot, form.editors["assessor"])
        press(qtbot, RETURN)  # OK

    _drive(monkeypatch, drive)
    tab.add_assessment()
    assert seen["choices"] == ["1 Negligible", "2 Minor", "3 Moderate", "4 Major", "5 Severe"]
    assert "INV-02" not in _gaps(tab, credit)
    window.close_engagement()
    with open_engagement(path) as ef:
        latest = impact.list_assessments(ef, credit)[-1]
    assert (latest.trigger, latest.approved_by) == ("retroactive", "Executive Risk Committee")
    assert latest.impacts[0].severity == 5
    assert asked == ["Add to People?"]


def test_keys_reassessment_interval_in_the_criteria_clears_a_due_review_and_is_kept(
    qtbot, window, new_file, monkeypatch
):
    from app.services.risks import service as risks

    values = {"name": "Loan scoring", "business_owner": "CRO", "intended_use": "Loans"}
    system_id = inventory.create_system(new_file, values)
    when = TODAY - dt.timedelta(days=540)  # eighteen months ago
    impact.create_assessment(
        new_file, system_id,
        {"assessed_on": when, "treatment": "Sample review", "result": "Acceptable",
         "approved_by": "Board", "approved_on": when},
        [{"scope": "society", "description": "Exclusion", "severity": 2, "likelihood": 2}],
    )  # fmt: skip
    path = new_file.path
    window.set_engagement(new_file)
    tab = _inventory(qtbot, window)
    assert _gaps(tab, system_id) == "INV-09 Impact assessment older than the reassessment interval"
    risks_tab = window.risks_tab
    with qtbot.waitSignal(risks_tab.loaded, timeout=10_000):
        window.select_tab("risks")

    def drive(dialog):
        assert dialog.reassessment.value() == 12
        replace(qtbot, dialog.reassessment, "24")
        press(qtbot, RETURN)  # OK

    _drive(monkeypatch, drive)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):  # the inventory reads the new interval
        risks_tab.edit_criteria()
    assert _gaps(tab, system_id) == ""
    window.close_engagement()
    with open_engagement(path) as ef:
        assert risks.get_criteria(ef).reassessment_months == 24
