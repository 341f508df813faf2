"""Approvals of the criteria and the treatment plan, and the question whether a typed or
imported category is AI-specific, driven by the keyboard, then read back from the reopened
file."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.services.engagement import approvals
from app.services.engagement.file import create_engagement, open_engagement
from app.services.risks import service as risks
from app.services.risks.service import Action
from app.services.workbook.importer import apply, build_plan
from app.views.common import dialogs
from app.views.workbook.import_dialog import ImportDialog
from tests.gui.gui_keys import focus, press, replace, type_text

TAB, RETURN = Qt.Key.Key_Tab, Qt.Key.Key_Return
YESTERDAY = (dt.date.today() - dt.timedelta(days=1)).isoformat()


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "client.aims"
    ef = create_engagement(target, client="Acme Analytics GmbH", size="small")
    risks.save_risk(
        ef, None,
        {"title": "Biased scoring", "category": "Fair - with harmful bias managed",
         "owner": "CRO", "inherent_likelihood": 4, "inherent_impact": 4, "treatment": "modify",
         "residual_likelihood": 2, "residual_impact": 2},
        actions=[Action("Fairness tests", "CRO", None, False)],
    )  # fmt: skip
    ef.close()
    return target


@pytest.fixture
def tab(qtbot, window, path):
    window.open_path(path)
    rt = window.risks_tab
    with qtbot.waitSignal(rt.loaded, timeout=10_000):
        window.select_tab("risks")
    return rt


def _reopened(window, path, read):
    window.close_engagement()
    ef = open_engagement(path)
    try:
        return read(ef)
    finally:
        ef.close()


def _type_approval(qtbot, fields, by, role, on):
    replace(qtbot, fields.approved_by, by)
    press(qtbot, TAB)
    type_text(qtbot, role)
    press(qtbot, TAB)
    type_text(qtbot, on)


def test_plan_approval_typed_with_return_is_recorded_and_undone(qtbot, tab, window, path):
    assert "RSK-06" in tab.whole_gaps.text() and tab.whole_gaps.isVisibleTo(tab)
    tab.views.setCurrentIndex(1)  # the Treatment plan
    _type_approval(qtbot, tab.plan_approval, "Jo Park", "Chief Executive Officer", YESTERDAY)
    press(qtbot, RETURN)
    assert "approved</b> by Jo Park (Chief Executive Officer)" in tab.plan_approval.state.text()
    qtbot.waitUntil(lambda: "RSK-06" not in tab.whole_gaps.text())
    window.undo_stack.undo()
    assert approvals.get(tab.ef, "treatment_plan") is None
    window.undo_stack.redo()
    found = _reopened(window, path, lambda ef: approvals.get(ef, "treatment_plan"))
    assert (found.approved_by, found.role, found.approved_on.isoformat()) == (
        "Jo Park", "Chief Executive Officer", YESTERDAY,
    )  # fmt: skip


def test_plan_approval_without_a_date_is_refused_where_it_was_typed(qtbot, tab):
    tab.views.setCurrentIndex(1)
    _type_approval(qtbot, tab.plan_approval, "Jo Park", "CEO", "")
    press(qtbot, RETURN)
    assert "date it was approved" in tab.plan_approval_error.text()
    assert approvals.get(tab.ef, "treatment_plan") is None


def test_criteria_dialog_records_the_approval_of_the_version_in_force(
    qtbot, tab, window, path, monkeypatch
):
    def fill(dialog):
        dialog.show()
        _type_approval(qtbot, dialog.approval, "Risk Committee", "Board committee", YESTERDAY)
        press(qtbot, RETURN)  # the dialog's default button: OK
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    tab.edit_criteria()
    assert tab.signoff.criteria_approved
    version = risks.criteria_version(tab.ef)
    found = _reopened(window, path, lambda ef: approvals.get(ef, "risk_criteria"))
    assert found.approved_by == "Risk Committee" and found.subject_version == version


def test_typed_category_is_asked_about_and_the_answer_kept(qtbot, tab, window, path):
    rid = tab.model.all_rows()[0].id
    tab.select(rid)
    assert not tab.category_question.isVisibleTo(tab)
    replace(qtbot, tab.form.editors["category"], "Model drift")
    press(qtbot, TAB)
    assert tab.category_question.isVisibleTo(tab)
    assert "“Model drift” AI-specific" in tab.category_question_label.text()
    assert "RSK-11" in tab.model.index(0, 2).data()
    focus(qtbot, tab.category_ai_button)
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not tab.category_question.isVisibleTo(tab))
    assert "RSK-11" not in (tab.model.index(0, 2).data() or "")
    found = _reopened(window, path, lambda ef: risks.category_named(ef, "Model drift"))
    assert found.kind_text == "AI-specific"


def test_import_preview_lists_new_categories_to_tick_ai_specific(qtbot, tmp_path, path):
    source = tmp_path / "client.csv"
    source.write_text(
        "Risk;Category;Likelihood;Impact\nDrift;Model drift;3;4\nPhishing;Social engineering;2;3\n",
        encoding="utf-8",
    )
    ef = open_engagement(path)
    try:
        plan = build_plan(ef, source)
        dialog = ImportDialog(plan, lambda *_: None)
        qtbot.addWidget(dialog)
        dialog.show()
        names = [i.text(1) for i in dialog.category_items]
        assert names == ["Model drift", "Social engineering"]
        tree = dialog.category_items[0].treeWidget()
        tree.setCurrentItem(dialog.category_items[0], 0)
        focus(qtbot, tree)
        press(qtbot, Qt.Key.Key_Space)
        assert plan.sheets[0].new_categories == {
            "Model drift": True, "Social engineering": False,
        }  # fmt: skip
        apply(ef, plan)
    finally:
        ef.close()
    ef = open_engagement(path)
    try:
        names = ("Model drift", "Social engineering")
        kinds = [risks.category_named(ef, n).kind_text for n in names]
    finally:
        ef.close()
    assert kinds == ["AI-specific", "not AI-specific"]


def test_categories_dialog_marks_a_category_by_keyboard(qtbot, tab, window, path, monkeypatch):
    tab.select(tab.model.all_rows()[0].id)
    replace(qtbot, tab.form.editors["category"], "Vendor lock-in")
    press(qtbot, TAB)

    def fill(dialog):
        dialog.show()
        focus(qtbot, dialog.category)
        type_text(qtbot, "Vendor")  # a combo box finds the item as its name is typed
        assert dialog.category.currentText() == "Vendor lock-in  (not classified yet)"
        focus(qtbot, dialog.kind)
        press(qtbot, Qt.Key.Key_Down)  # "Not AI-specific"
        focus(qtbot, dialog.classify_button)
        press(qtbot, Qt.Key.Key_Space)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.edit_categories()
    assert not tab.category_question.isVisibleTo(tab)
    found = _reopened(window, path, lambda ef: risks.category_named(ef, "Vendor lock-in"))
    assert found.kind_text == "not AI-specific"


def test_cyber_only_banner_says_the_share_of_ai_specific_risks(qtbot, tab):
    for n in range(10):
        values = {"title": f"IT risk {n}", "category": "Information security (IT)",
                  "inherent_likelihood": 2, "inherent_impact": 2}  # fmt: skip
        risks.save_risk(tab.ef, None, values)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.reload()
    assert tab.cyber_only.isVisibleTo(tab)
    assert "AI-specific categories on only 9.1% of the live risks" in tab.cyber_only.text()
