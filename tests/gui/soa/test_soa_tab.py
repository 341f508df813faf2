"""The SoA tab as a consultant uses it: decide, undo, bulk edits, issue, jump to risks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel

from app.services.soa import service as soa
from app.views.common import dialogs
from app.views.soa.tab import COLUMNS

COL_DECISION = [c.header for c in COLUMNS].index("Decision")


@pytest.fixture
def tab(qtbot, window, demo_file):
    window.set_engagement(demo_file)
    st = window.soa_tab
    with qtbot.waitSignal(st.loaded, timeout=10_000):
        window.select_tab("soa")
    return st


def _cell(tab, control_id, column):
    return tab.model.index(tab.model.position(control_id), column).data()


def test_soa_model_passes_the_model_tester(qtmodeltester, tab):
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.changes)


def test_soa_edit_a_decision_and_undo_it(tab, window):
    tab.select("A.4.4")
    box = tab.form.editors["decision"]
    box.setCurrentIndex(box.findData("included"))
    box.activated.emit(box.currentIndex())
    assert _cell(tab, "A.4.4", COL_DECISION) == "Included"
    assert soa.get_line(tab.ef, "A.4.4").decision == "included"
    window.undo_stack.undo()
    assert _cell(tab, "A.4.4", COL_DECISION) == "Undecided"
    assert soa.get_line(tab.ef, "A.4.4").decision == "undecided"


def test_soa_bulk_owner_is_one_undo_step(tab, window, monkeypatch):
    ids = ["A.2.2", "A.2.3", "A.2.4"]
    selection = tab.table.selectionModel()
    selection.clearSelection()
    for control_id in ids:
        index = tab.model.index(tab.model.position(control_id), 0)
        selection.select(
            index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        )
    monkeypatch.setattr(dialogs, "ask_text", lambda *a: "Chief AI Officer")
    tab.bulk_owner()
    assert [soa.get_line(tab.ef, c).owner for c in ids] == ["Chief AI Officer"] * 3
    window.undo_stack.undo()
    assert [soa.get_line(tab.ef, c).owner for c in ids] == ["Priya Shah (Chief Risk Officer)"] * 3


def _complete(ef):
    """What the demo's draft lacks for an issue: the reopened controls decided, the
    exclusions justified, A.10.3 (which a risk selects) included again."""
    soa.set_values(ef, "decision", {"A.4.4": "included", "A.7.6": "included"})
    soa.set_values(ef, "decision", {"A.10.3": "included"})
    soa.set_values(ef, "justification", {"A.8.3": "No external reporting duty"})


def test_soa_issue_lists_what_blocks_it_then_issues(tab, monkeypatch):
    # since issue 14 a draft that is not complete is refused in a message, before the form
    seen = []

    def fill(dialog):
        dialog.form.set_values({"approved_by": "Board"})
        dialog.try_accept()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    monkeypatch.setattr(dialogs, "error", lambda _parent, title, message: seen.append(message))
    monkeypatch.setattr(dialogs, "info", lambda *a: None)
    tab.issue_version()
    assert "A.8.3" in seen[0] and soa.last_issued(tab.ef).number == 1
    _complete(tab.ef)
    tab.refresh("A.8.3")
    tab.issue_version()
    assert soa.last_issued(tab.ef).number == 2
    assert "Issued v2" in tab.views.tabText(2) and "(0)" in tab.views.tabText(1)


def test_soa_shows_the_risks_behind_a_control_and_jumps_to_one(qtbot, tab, window):
    tab.select("A.10.3")
    assert "R-010" in tab.risk_links.text() and "Selected by a risk treatment" in _cell(
        tab, "A.10.3", 2
    )
    tab.risk_links.linkActivated.emit("R-010")
    assert window.tabs.currentWidget() is window.risks_tab
    assert window.risks_tab.current == "R-010"
    assert "excluded in the SoA" in window.risks_tab.treatment_summary.text()


def test_soa_follows_risk_edits_and_keeps_a_multiple_selection(qtbot, tab, window, monkeypatch):
    from app.services.risks import service as risks

    row = risks.get_risk(tab.ef, "R-001")
    window.select_tab("risks")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.risks_tab._save(
            row,
            row.values(),
            row.systems,
            [*row.controls, risks.ControlChoice("A.10.4", "Customers")],
            row.actions,
            "x",
        )
    assert "Selected by a risk treatment" in _cell(tab, "A.10.4", 2)
    window.select_tab("soa")
    ids = ["A.2.2", "A.2.3", "A.2.4"]
    tab.select(ids[0])
    for control_id in ids[1:]:
        tab.select(control_id, add=True)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a: "Alice")
    tab.bulk_owner()
    assert sorted(tab.selected_ids()) == ids
    tab.bulk_set("status", "planned")
    assert [soa.get_line(tab.ef, c).status for c in ids] == ["planned"] * 3


def test_soa_changes_tab_says_when_nothing_was_issued(qtbot, window, new_file):
    window.set_engagement(new_file)
    st = window.soa_tab
    with qtbot.waitSignal(st.loaded, timeout=10_000):
        window.select_tab("soa")
    assert st.views.tabText(1) == "Not issued yet: 0 changes"
    assert st.views.tabText(2) == "No version issued"
    st.select("A.2.2")
    st._apply("decision", {"A.2.2": "included"})
    assert st.views.tabText(1) == "Not issued yet: 1 change"


def test_soa_issue_refused_lists_every_blocking_control_and_opens_no_form(tab, monkeypatch):
    seen = []
    monkeypatch.setattr(dialogs, "error", lambda _p, title, message: seen.append((title, message)))
    monkeypatch.setattr(dialogs, "run_dialog", lambda d: pytest.fail("the form opened"))
    tab.issue_version()
    title, message = seen[0]
    assert title == "The SoA cannot be issued yet"
    assert "2 controls not decided yet: A.4.4, A.7.6" in message
    assert "1 exclusion with no justification: A.8.3" in message
    assert "1 control selected by a risk treatment but excluded: A.10.3" in message
    assert soa.last_issued(tab.ef).number == 1


def test_soa_clipped_cells_show_their_full_text_as_tooltip(tab):
    from PySide6.QtCore import Qt

    row = tab.model.position("A.5.2")
    gaps = tab.model.index(row, 2)
    title = tab.model.index(row, 1)
    assert title.data(Qt.ItemDataRole.ToolTipRole) == title.data()
    assert gaps.data(Qt.ItemDataRole.ToolTipRole) == "SOA-05 Marked implemented, with no evidence"


def test_soa_panel_says_on_how_many_controls_a_reason_is_copied(tab):
    tab.select("A.6.2.2")
    assert "SOA-10 The same reason on 5 controls" in tab.gaps.text()
    assert "SOA-10 The same reason on many controls" in _cell(tab, "A.6.2.2", 2)
