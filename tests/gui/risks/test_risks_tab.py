"""The Risks tab as a consultant uses it: heat map, gaps, edits, criteria, treatment."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QPoint, Qt

from app.services.risks import rules as risk_rules
from app.services.risks import service as risks
from app.services.risks.criteria import Band
from app.views.common import dialogs
from app.views.risks.model import COL_GAPS


@pytest.fixture
def tab(qtbot, window, demo_file):
    window.set_engagement(demo_file)
    rt = window.risks_tab
    with qtbot.waitSignal(rt.loaded, timeout=10_000):
        window.select_tab("risks")
    return rt


def _gaps(tab, risk_id):
    return tab.model.index(tab.model.position(risk_id), COL_GAPS).data()


def _by_title(tab, start):
    return next(r.id for r in tab.model.all_rows() if r.title.startswith(start))


def test_risks_models_pass_the_model_tester(qtmodeltester, tab):
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.plan)


def test_risks_heat_map_counts_match_the_register(tab):
    live = [r for r in tab.model.all_rows() if r.kind == "risk" and r.status != "closed"]
    assert sum(tab.heat_map.counts.values()) == len(live)
    assert tab.heat_map.counts[(3, 4)] == sum(
        1 for r in live if (r.inherent_likelihood, r.inherent_impact) == (3, 4)
    )


def test_risks_clicking_a_heat_map_cell_filters_the_register(qtbot, tab):
    left, top, width, height = tab.heat_map._grid()
    rows = len(tab.criteria.likelihood)
    point = QPoint(int(left + 3.5 * width), int(top + (rows - 3 + 0.5) * height))  # L3, I4
    qtbot.mouseClick(tab.heat_map, Qt.MouseButton.LeftButton, pos=point)
    shown = [tab.model.row(i) for i in tab.model.visible_ids()]
    assert len(shown) == tab.heat_map.counts[(3, 4)] > 0
    assert all((r.inherent_likelihood, r.inherent_impact) == (3, 4) for r in shown)
    tab.clear_cell.click()
    assert tab.model.rowCount() == tab.model.total()


def test_risks_owner_clears_the_gap_and_undo_brings_it_back(tab, window):
    rid = _by_title(tab, "Vulnerable customers")
    assert "No risk owner" in _gaps(tab, rid)
    tab.select(rid)
    line = tab.form.editors["owner"]
    line.setText("Grace Okafor")
    line.setModified(True)
    line.editingFinished.emit()
    assert "No risk owner" not in _gaps(tab, rid)
    assert risks.get_risk(tab.ef, rid).owner == "Grace Okafor"
    window.undo_stack.undo()
    assert "No risk owner" in _gaps(tab, rid)


def test_risks_score_outside_the_scale_is_refused_at_the_field(tab):
    rid = _by_title(tab, "Credit model")
    tab.select(rid)
    line = tab.form.editors["inherent_likelihood"]
    line.setText("7")
    line.setModified(True)
    line.editingFinished.emit()
    assert "from 1 to 5" in tab.form.error.text()
    assert risks.get_risk(tab.ef, rid).inherent_likelihood == 4


def test_risks_add_and_undo(tab, window):
    before = tab.model.total()
    tab.add_risk("risk")
    assert tab.model.total() == before + 1
    window.undo_stack.undo()
    assert tab.model.total() == before


def test_risks_treatment_dialog_adds_a_control(tab, monkeypatch):
    rid = _by_title(tab, "Card-not-present")
    tab.select(rid)

    def fill(dialog):
        dialog.controls.add()
        dialog.controls.setData(dialog.controls.index(0, 0), "A.5.2")
        dialog.controls.setData(dialog.controls.index(0, 1), "Assess the new use")
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    tab.edit_treatment()
    assert risks.get_risk(tab.ef, rid).controls == (
        risks.ControlChoice("A.5.2", "Assess the new use"),
    )
    assert "A.5.2" in tab.treatment_summary.text()


def test_risks_criteria_change_rescores_and_undoes(qtbot, tab, window):
    rid = _by_title(tab, "Credit model")
    new = dataclasses.replace(tab.criteria, bands=(Band("Tolerable", 16), Band("Intolerable", 25)),
                              threshold=16)  # fmt: skip
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        tab.apply_criteria(new)
    assert tab.model.row(rid).inherent_level == "Tolerable"
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.undo_stack.undo()
    assert tab.model.row(rid).inherent_level == "High"


def test_risks_treatment_plan_marks_overdue(tab):
    overdue = [i for i in tab.plan.rows if i.overdue]
    assert overdue
    row = tab.plan.rows.index(overdue[0])
    assert tab.plan.index(row, 4).data() == "OVERDUE"
    assert tab.plan.rows == risk_rules.treatment_plan(tab.model.all_rows())


def test_risks_category_credit_is_shown(tab):
    tab.select(_by_title(tab, "CV screening"))  # a MIT AI Risk Repository domain
    assert "MIT AI Risk Repository v3, CC BY 4.0" in tab.heading.text()


def test_risks_treatment_dialog_shows_open_actions_as_not_done(tab):
    from app.views.risks.dialogs import TreatmentDialog

    row = risks.get_risk(tab.ef, _by_title(tab, "Credit model"))
    dialog = TreatmentDialog(row, [], tab.ef.catalog, lambda *a: None)
    shown = [dialog.action_rows.index(n, 3).data() for n in range(dialog.action_rows.rowCount())]
    assert shown == ["Yes" if a.done else "No" for a in row.actions] and "No" in shown


def test_risks_heat_map_follows_an_edit(qtbot, tab):
    rid = _by_title(tab, "Card-not-present")  # inherent 3 x 4, no residual yet
    before = dict(tab.heat_map.counts)
    tab.select(rid)
    line = tab.form.editors["inherent_likelihood"]
    line.setText("1")
    line.setModified(True)
    line.editingFinished.emit()
    qtbot.waitUntil(lambda: tab.heat_map.counts.get((1, 4), 0) == before.get((1, 4), 0) + 1)
    assert tab.heat_map.counts[(3, 4)] == before[(3, 4)] - 1


def test_risks_heat_map_axes_carry_the_scale_labels(tab):
    likelihood, impact = tab.heat_map.axis_labels()
    criteria = risks.get_criteria(tab.ef)
    assert likelihood[0] == f"{len(criteria.likelihood)} {criteria.likelihood[-1].label}"
    assert likelihood[-1] == f"1 {criteria.likelihood[0].label}"
    assert impact[0] == f"1 {criteria.impact[0].label}"


def test_risks_new_risk_starts_low_1_by_1(tab):
    tab.add_risk("risk")
    row = risks.get_risk(tab.ef, tab.current)
    assert (row.inherent_likelihood, row.inherent_impact, row.inherent_level) == (1, 1, "Low")


def test_risks_delete_of_a_risk_with_actions_asks_first(qtbot, tab, monkeypatch):
    asked = []
    risk_id = next(r.id for r in risks.list_risks(tab.ef) if r.actions)
    tab.select(risk_id)
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or False)
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert "treatment action" in asked[0] and tab.model.row(risk_id) is not None
    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert tab.model.row(risk_id) is None
