"""The Inventory tab as a consultant uses it: gaps beside each system, edits, undo."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.services.inventory import impact
from app.services.inventory import service as inventory
from app.services.risks.criteria import DEFAULT
from app.views.common import dialogs
from app.views.common.edit_table import EditTableModel
from app.views.inventory.assessment_dialog import blank_impact, impact_fields
from app.views.inventory.model import COL_GAPS


@pytest.fixture
def tab(qtbot, window, demo_file):
    window.set_engagement(demo_file)
    inv = window.inventory_tab
    with qtbot.waitSignal(inv.loaded, timeout=10_000):
        window.select_tab("inventory")  # the tab loads when first shown
    return inv


def _gaps(tab, system_id):
    return tab.model.index(tab.model.position(system_id), COL_GAPS).data()


def _id_by_name(tab, name):
    return next(s.id for s in tab.model.all_rows() if s.name == name)


def test_inventory_models_pass_the_model_tester(qtmodeltester, tab):
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.assessments)
    blank = blank_impact(DEFAULT)
    qtmodeltester.check(EditTableModel(impact_fields(DEFAULT), [dict(blank)], blank))


def test_inventory_shows_every_system_and_its_gaps(tab):
    assert tab.model.rowCount() == 11
    assert tab.count_label.text() == "11 AI systems; 8 with gaps"
    hr = _id_by_name(tab, "CV screening in the HR suite")
    assert "Third-party or acquired AI left out of scope" in _gaps(tab, hr)
    tab.select(hr)
    assert tab.gaps.isVisible() and "out of scope" in tab.gaps.text()


def test_inventory_reason_clears_the_gap_and_undo_brings_it_back(tab, window):
    hr = _id_by_name(tab, "CV screening in the HR suite")
    tab.select(hr)
    box = tab.form.editors["out_of_scope_reason"]
    box.setPlainText("Vendor tool ranks only; recruiters decide")
    box.document().setModified(True)
    box.left.emit()
    # its risks above the threshold still question the scope (INV-15)
    assert _gaps(tab, hr) == "INV-15 Risk above the threshold on a system left out of scope"
    assert inventory.get_system(tab.ef, hr).out_of_scope_reason.startswith("Vendor tool")
    window.undo_stack.undo()
    assert "left out of scope" in _gaps(tab, hr)


def test_inventory_future_deployment_is_refused_at_the_field(tab, errors):
    credit = _id_by_name(tab, "Credit decisioning model")
    deployed = inventory.get_system(tab.ef, credit).deployment_date
    tab.select(credit)
    line = tab.form.editors["deployment_date"]
    line.setText((dt.date.today() + dt.timedelta(days=30)).isoformat())
    line.setModified(True)
    line.editingFinished.emit()
    assert tab.form.error.isVisible() and "in the future" in tab.form.error.text()
    assert inventory.get_system(tab.ef, credit).deployment_date == deployed
    tab.leave()  # still refused when the form is left: the user is told it was not saved
    assert errors and "in the future" in errors[0][1]


def _fill_add_dialog(monkeypatch, values, seen=None):
    def fill(dialog):
        dialog.form.set_values({**dialog.form.values(), **values})
        dialog.try_accept()
        if seen is not None:
            seen["error"] = dialog.form.error.text()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)


def test_inventory_add_refuses_a_duplicate_id_at_the_field(tab, monkeypatch):
    seen = {}
    _fill_add_dialog(monkeypatch, {"id": "AIS-003", "name": "Second chatbot"}, seen)
    tab.add_system()
    assert "AIS-003 is already used" in seen["error"]
    assert tab.model.total() == 11


def test_inventory_form_shows_every_field_of_the_system(tab):
    credit = inventory.get_system(tab.ef, _id_by_name(tab, "Credit decisioning model"))
    tab.select(credit.id)
    shown = tab.form.values()
    for name in inventory.EDITABLE:
        expected = getattr(credit, name)
        expected = expected.isoformat() if isinstance(expected, dt.date) else expected
        assert shown[name] == expected, name


def test_inventory_add_delete_and_undo(tab, window, monkeypatch):
    _fill_add_dialog(monkeypatch, {"name": "Voice biometrics", "source": "vendor"})
    tab.add_system()
    new_id = tab.current
    assert new_id == "AIS-012"
    assert tab.model.row(new_id).name == "Voice biometrics"
    assert tab.model.total() == 12
    tab.delete_system()
    assert tab.model.total() == 11
    window.undo_stack.undo()  # the delete
    assert tab.model.total() == 12
    window.undo_stack.undo()  # the add
    assert tab.model.total() == 11
    assert new_id not in {s.id for s in inventory.list_systems(tab.ef)}


def test_inventory_add_while_only_a_gaps_items_are_shown_shows_the_new_one(tab, monkeypatch):
    tab.show_only(["AIS-001"], "a gap's items")
    assert tab.model.rowCount() == 1
    _fill_add_dialog(monkeypatch, {"name": "Voice biometrics", "source": "vendor"})
    tab.add_system()
    assert tab.current == "AIS-012"  # shown and selected, with every row back
    assert tab.model.rowCount() == 12 and "only" not in tab.count_label.text()


def test_inventory_add_assessment_clears_the_missing_assessment_gap(tab, monkeypatch):
    collections = _id_by_name(tab, "Collections prioritisation")
    tab.select(collections)
    assert "no completed impact assessment" in _gaps(tab, collections)
    before = dt.date.today() - dt.timedelta(days=1700)  # before it went live

    def fill(dialog):
        dialog.form.set_values(
            {"assessed_on": before.isoformat(), "assessor": "DPO", "trigger": "initial",
             "treatment": "Cap contacts per week", "result": "Acceptable",
             "approved_by": "CRO", "approved_on": before.isoformat()}
        )  # fmt: skip
        dialog.impacts.add()
        dialog.impacts.setData(dialog.impacts.index(0, 1), "Customers chased too hard")
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    tab.add_assessment()
    assert "INV-01" not in _gaps(tab, collections)
    assert "INV-09 Impact assessment older than the reassessment interval" in _gaps(
        tab, collections
    )
    [row] = impact.list_assessments(tab.ef, collections)
    assert row.impacts[0].description == "Customers chased too hard"
    assert tab.assessments.rowCount() == 1


def test_inventory_assessment_dialog_keeps_bad_values_at_the_field(tab, monkeypatch):
    tab.select(_id_by_name(tab, "Collections prioritisation"))
    seen = {}

    def fill(dialog):
        dialog.form.set_values({"assessed_on": "2026-02-30"})
        dialog.try_accept()
        seen["error"] = dialog.form.error.text()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    tab.add_assessment()
    assert "not a date" in seen["error"]
    assert impact.list_assessments(tab.ef, tab.current) == []


def test_inventory_filter_search_and_sort(tab):
    tab.flagged.setChecked(True)
    assert tab.model.rowCount() == 8
    tab.flagged.setChecked(False)
    tab.filter(text="talentcloud")
    assert tab.model.rowCount() == 1
    tab.filter(text="")
    tab.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    names = [tab.model.index(r, 1).data() for r in range(tab.model.rowCount())]
    assert names == sorted(names, key=str.lower, reverse=True)


def test_inventory_delete_of_a_system_with_assessments_asks_first(qtbot, tab, monkeypatch):
    asked = []
    system_id = next(
        s.id for s in inventory.list_systems(tab.ef) if impact.list_assessments(tab.ef, s.id)
    )
    tab.select(system_id)
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or False)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert "impact assessment" in asked[0] and tab.model.row(system_id) is not None
    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert tab.model.row(system_id) is None


def test_inventory_delete_of_an_assessment_with_impacts_asks_first(qtbot, tab, monkeypatch):
    asked = []
    done = next(a for a in impact.list_assessments(tab.ef) if a.impacts)
    tab.select(done.system_id)
    at = [a.id for a in tab.assessments.rows].index(done.id)
    rect = tab.assessment_table.visualRect(tab.assessments.index(at, 0))
    qtbot.mouseClick(tab.assessment_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or False)
    qtbot.mouseClick(tab.delete_assessment_button, Qt.MouseButton.LeftButton)
    assert f"Delete {done.id} with its" in asked[0]
    assert any(a.id == done.id for a in impact.list_assessments(tab.ef))
