"""The Clauses tab as a consultant uses it: select, edit, undo, filter, search."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from app.services.clauses import requirements
from app.services.engagement.file import open_engagement
from app.views.clauses.model import COL_OWNER, COL_STATUS, ClausesFilter, ClausesModel


def _open(window, ef):
    window.set_engagement(ef)
    window.select_tab("clauses")  # the window opens on the dashboard
    return window.clauses_tab


def _cell(tab, point_id, column):
    return tab.model.index_for(point_id, column).data()


def _undo_action(window):
    return next(a for a in window.menuBar().actions()[1].menu().actions() if "Undo" in a.text())


def test_clauses_model_and_filter_pass_the_model_tester(qtmodeltester, demo_file):
    model = ClausesModel(demo_file.catalog, requirements.list_points(demo_file))
    qtmodeltester.check(model)
    proxy = ClausesFilter(demo_file.catalog)
    proxy.setSourceModel(model)
    proxy.set_filters(status="in_progress", text="ai")
    qtmodeltester.check(proxy)


def test_clauses_status_edit_undo_redo_and_reopen(qtbot, window, new_file):
    tab = _open(window, new_file)
    tab.select_point("P-4.1-01")
    tab.status_edit.setCurrentIndex(tab.status_edit.findData("implemented"))
    tab.status_edit.activated.emit(tab.status_edit.currentIndex())
    assert _cell(tab, "P-4.1-01", COL_STATUS) == "Implemented"
    _undo_action(window).trigger()
    assert _cell(tab, "P-4.1-01", COL_STATUS) == "Not started"
    window.undo_stack.redo()
    assert _cell(tab, "P-4.1-01", COL_STATUS) == "Implemented"
    qtbot.waitUntil(lambda: "Readiness" in window.readiness_label.text())
    path = new_file.path
    window.close_engagement()
    with open_engagement(path) as ef:
        assert requirements.get_point(ef, "P-4.1-01").status == "implemented"


def test_clauses_bulk_owner_is_one_undo_step(window, new_file):
    tab = _open(window, new_file)
    ids = ["P-4.1-01", "P-4.1-02", "P-4.2-01"]
    selection = tab.tree.selectionModel()
    selection.clearSelection()
    for pid in ids:
        index = tab.proxy.mapFromSource(tab.model.index_for(pid))
        selection.select(
            index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        )
    assert "3 points selected" in tab.heading.text()
    tab.owner_edit.setText("Grace Okafor")
    tab.owner_edit.setModified(True)  # as typing does
    tab.owner_edit.editingFinished.emit()
    assert [_cell(tab, i, COL_OWNER) for i in ids] == ["Grace Okafor"] * 3
    window.undo_stack.undo()
    assert [_cell(tab, i, COL_OWNER) for i in ids] == [""] * 3


def test_clauses_bad_due_date_is_refused_at_the_field(window, new_file):
    tab = _open(window, new_file)
    tab.select_point("P-6.1.4-01")
    tab.due_edit.setText("2027-02-30")
    tab.due_edit.setModified(True)
    tab.due_edit.editingFinished.emit()
    assert tab.field_error.isVisible() and "not a date" in tab.field_error.text()
    assert requirements.get_point(new_file, "P-6.1.4-01").due_date is None
    assert window.undo_stack.count() == 0


def test_clauses_side_panel_shows_guidance_and_history(window, new_file):
    tab = _open(window, new_file)
    tab.select_point("P-4.3-01")
    point = new_file.catalog.point_by_id["P-4.3-01"]
    assert point.question in tab.guidance.text().replace("&#x27;", "'")
    tab.notes_edit.setPlainText("Scope excludes the vendor HR tool")
    tab.notes_edit.document().setModified(True)
    tab.notes_edit.committed.emit(tab.notes_edit.toPlainText())
    assert "Scope excludes the vendor HR tool" in tab.history_view.text()


def test_clauses_filter_by_status_and_search(window, demo_file):
    tab = _open(window, demo_file)
    implemented = [r for r in requirements.list_points(demo_file) if r.status == "implemented"]
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("implemented"))
    assert (
        tab.count_label.text() == f"{len(implemented)} of {len(tab.model.point_ids())} points shown"
    )
    tab.status_filter.setCurrentIndex(0)
    tab._apply_filter(text="inventory")
    shown = tab.count_label.text()
    assert shown.startswith(("1 of", "2 of", "3 of", "4 of", "5 of"))


def test_clauses_filter_by_owner_none(window, demo_file):
    tab = _open(window, demo_file)
    without = [r for r in requirements.list_points(demo_file) if not r.owner]
    tab.owner_filter.setCurrentIndex(tab.owner_filter.findText("(no owner)"))
    assert tab.count_label.text().startswith(f"{len(without)} of")


def test_clauses_leaving_a_blank_owner_box_keeps_mixed_owners(window, demo_file):
    tab = _open(window, demo_file)
    rows = [r for r in requirements.list_points(demo_file) if r.owner][:3]
    owners = [r.owner for r in rows]
    selection = tab.tree.selectionModel()
    selection.clearSelection()
    for row in rows:
        index = tab.proxy.mapFromSource(tab.model.index_for(row.id))
        selection.select(
            index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        )
    tab.owner_edit.editingFinished.emit()  # focus left the box without typing
    assert [requirements.get_point(demo_file, r.id).owner for r in rows] == owners


def test_clauses_control_point_shows_and_sets_its_soa_line(qtbot, window, demo_file):
    from PySide6.QtCore import Qt

    from app.services.soa import service as soa

    soa.set_values(demo_file, "status", {"A.3.3": "planned"})
    tab = _open(window, demo_file)
    tab.select_point("P-A.3.3-01")
    assert "A.3.3" in tab.soa_note.text() and "Included, planned" in tab.soa_note.text()
    assert _cell(tab, "P-A.3.3-01", COL_STATUS) == "Planned"
    assert tab.status_edit.currentText() == "Planned"  # the SoA's statuses, to set the line's
    tab.status_edit.setFocus()
    qtbot.keyClick(tab.status_edit, Qt.Key.Key_Down)  # Planned -> Partially implemented
    qtbot.keyClick(tab.status_edit, Qt.Key.Key_Tab)
    assert soa.get_line(demo_file, "A.3.3").status == "partial"
    assert _cell(tab, "P-A.3.3-01", COL_STATUS) == "Partially implemented"
    with qtbot.waitSignal(window.soa_tab.loaded, timeout=10_000):
        window.select_tab("soa")
    soa_status = window.soa_tab.model.index(window.soa_tab.model.position("A.3.3"), 5).data()
    assert soa_status == "Partially implemented"
    window.undo_stack.undo()
    assert soa.get_line(demo_file, "A.3.3").status == "planned"
    assert _cell(tab, "P-A.3.3-01", COL_STATUS) == "Planned"


def test_clauses_follow_a_status_set_in_the_soa(qtbot, window, demo_file):
    from PySide6.QtCore import Qt

    tab = _open(window, demo_file)
    st = window.soa_tab
    with qtbot.waitSignal(st.loaded, timeout=10_000):
        window.select_tab("soa")
    st.select("A.7.4")
    assert "P-A.7.4-01" in st.point_links.text() and "P-A.7.4-02" in st.point_links.text()
    box = st.form.editors["status"]
    box.setFocus()
    box.setCurrentIndex(box.findData("partial"))
    qtbot.keyClick(box, Qt.Key.Key_Down)  # Partially implemented -> Implemented
    qtbot.keyClick(box, Qt.Key.Key_Tab)
    assert _cell(tab, "P-A.7.4-01", COL_STATUS) == "Implemented"
    assert requirements.get_point(demo_file, "P-A.7.4-02").status == "implemented"
    st.point_links.linkActivated.emit("P-A.7.4-02")
    assert window.tabs.currentWidget() is tab and tab.selected_ids() == ["P-A.7.4-02"]


def test_clauses_clipped_cells_show_their_full_text_as_tooltip(window, demo_file):
    from PySide6.QtCore import Qt

    from app.views.clauses.model import COL_EVIDENCE

    tab = _open(window, demo_file)
    point = next(r for r in requirements.list_points(demo_file) if r.evidence and r.owner)
    owner = tab.model.index_for(point.id, COL_OWNER)
    assert owner.data(Qt.ItemDataRole.ToolTipRole) == point.owner
    evidence = tab.model.index_for(point.id, COL_EVIDENCE)
    assert evidence.data(Qt.ItemDataRole.ToolTipRole) == point.evidence
    status = tab.model.index_for("P-A.7.4-01", COL_STATUS).data(Qt.ItemDataRole.ToolTipRole)
    assert status.startswith("Follows the SoA line of A.7.4")


def test_clauses_link_to_the_soa_line_jumps_to_the_control(window, demo_file):
    tab = _open(window, demo_file)
    tab.select_point("P-A.7.4-02")
    assert tab.soa_note.isVisibleTo(tab) and "A.7.4" in tab.soa_note.text()
    tab.soa_note.linkActivated.emit("A.7.4")
    assert window.tabs.currentWidget() is window.soa_tab
    assert window.soa_tab.current == "A.7.4"
    tab.select_point("P-4.1-01")
    assert not tab.soa_note.isVisibleTo(tab)  # a clause's point has no SoA line


def test_clauses_implemented_without_evidence_is_shown_until_evidence_is_typed(
    qtbot, window, new_file
):
    from PySide6.QtCore import Qt

    from app.views.clauses.model import COL_EVIDENCE, WITH_GAPS

    ids = [p.id for p in new_file.catalog.points]
    requirements.set_values(new_file, "owner", dict.fromkeys(ids, "Grace Okafor"))
    tab = _open(window, new_file)
    tab.select_point("P-4.1-01")
    assert tab.gap_note.isHidden()
    tab.status_edit.setFocus()
    qtbot.keyClick(tab.status_edit, Qt.Key.Key_Down)  # Not started -> In progress
    qtbot.keyClick(tab.status_edit, Qt.Key.Key_Down)  # -> Implemented
    qtbot.keyClick(tab.status_edit, Qt.Key.Key_Tab)
    assert _cell(tab, "P-4.1-01", COL_STATUS) == "Implemented"
    assert "CHK-02 Implemented, but no evidence named" in tab.gap_note.text()
    assert not tab.gap_note.isHidden() and _cell(tab, "P-4.1-01", COL_EVIDENCE) == "none named"
    clause = tab.model.index_for("P-4.1-01").parent().siblingAtColumn(COL_STATUS)  # 4.1
    assert clause.data() == "0 of 4 done"  # not done until it is shown
    tab.status_filter.setCurrentIndex(tab.status_filter.findData(WITH_GAPS))
    assert tab.count_label.text() == f"1 of {len(ids)} points shown"
    tab.evidence_edit.setFocus()
    qtbot.keyClicks(tab.evidence_edit, "DOC-012 Context register v1.2")
    qtbot.keyClick(tab.evidence_edit, Qt.Key.Key_Tab)
    assert tab.gap_note.isHidden() and clause.data() == "1 of 4 done"
    tab.status_filter.setCurrentIndex(0)  # the list again, then the filter once more
    tab.status_filter.setCurrentIndex(tab.status_filter.findData(WITH_GAPS))
    assert tab.count_label.text() == f"0 of {len(ids)} points shown"
    path = new_file.path
    window.close_engagement()
    with open_engagement(path) as ef:
        assert requirements.get_point(ef, "P-4.1-01").counted_status == "implemented"


def test_clauses_excluded_control_point_reads_not_applicable(window, demo_file):
    from app.services.soa import service as soa

    soa.set_values(demo_file, "decision", {"A.3.3": "excluded"})
    tab = _open(window, demo_file)
    tab.select_point("P-A.3.3-01")
    assert _cell(tab, "P-A.3.3-01", COL_STATUS) == "Not applicable (excluded in the SoA)"
    assert "No documented information is needed: the SoA excludes A.3.3." in tab.guidance.text()
    assert tab.gap_note.isHidden()


def test_clauses_window_upgrade_from_the_previous_catalog_keeps_retired_points(
    window, tmp_path, monkeypatch
):
    import shutil
    from pathlib import Path

    from app.views.common import dialogs

    path = tmp_path / "previous.aims"
    shutil.copyfile(Path(__file__).resolve().parents[2] / "fixtures" / "schema_v8.aims", path)
    shown = []
    monkeypatch.setattr(dialogs, "confirm", lambda _w, _t, text: shown.append(text) or True)
    assert window.open_path(path)
    assert "P-8.4-03" not in window.clauses_tab.model.point_ids()
    window.upgrade_action.trigger()
    assert "Catalog 2026.1 -> 2026.2" in shown[0] and "P-A.5.3-01" in shown[0]
    tab = window.clauses_tab
    assert "P-8.4-03" in tab.model.point_ids() and "P-A.7.5-01" in tab.model.point_ids()
    retired = tab.model.index_for("P-A.5.3-01").parent()
    assert retired.data() == "Retired"


def test_clauses_nothing_selected_shows_no_points_answer(qtbot, window, demo_file):
    tab = _open(window, demo_file)
    tab.select_point("P-4.1-01")
    assert tab.status_edit.currentIndex() >= 0 and tab.owner_edit.text()
    tab.tree.clearSelection()
    assert not tab.editors.isEnabled()
    assert tab.status_edit.currentIndex() == -1
    assert (tab.owner_edit.text(), tab.evidence_edit.toPlainText()) == ("", "")
