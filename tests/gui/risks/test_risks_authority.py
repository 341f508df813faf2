"""A residual risk accepted by someone whose roles do not allow it shows the gap at the risk,
and typing an acceptor who holds the authority clears it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.services.risks import service as risks
from app.views.risks.model import COL_GAPS
from tests.gui.gui_keys import press, replace


@pytest.fixture
def tab(qtbot, window, demo_file):
    window.set_engagement(demo_file)
    rt = window.risks_tab
    with qtbot.waitSignal(rt.loaded, timeout=10_000):
        window.select_tab("risks")
    return rt


def _owner_accepted(tab):
    return next(r.id for r in tab.model.all_rows() if r.title == "OCR misreads payslips")


def test_risks_acceptance_without_authority_is_shown_and_cleared_by_an_authorised_name(qtbot, tab):
    rid = _owner_accepted(tab)
    cell = tab.model.index(tab.model.position(rid), COL_GAPS).data()
    assert "PPL-06 Residual risk accepted by someone without the authority" in cell
    assert tab.overview.flagged == sum(1 for r in tab.model.all_rows() if tab.model.info_of(r.id))
    tab.select(rid)
    assert "held no role then that may accept residual AI risk" in tab.gaps.text()
    replace(qtbot, tab.form.editors["accepted_by"], "sarah  WHITFIELD")  # top management
    press(qtbot, Qt.Key.Key_Tab)
    assert risks.get_risk(tab.ef, rid).accepted_by == "Sarah Whitfield"  # as the person spells it
    assert "PPL-06" not in (tab.model.index(tab.model.position(rid), COL_GAPS).data() or "")
    assert "PPL-06" not in tab.gaps.text() or tab.gaps.isHidden()


def test_risks_a_role_given_in_people_clears_the_gap_when_people_changes(qtbot, tab, window):
    from app.services.people import holders
    from app.services.people.names import Directory

    rid = _owner_accepted(tab)
    people = window.people_tab
    with tab.ef.writing() as session:
        tom = Directory(session).match("Tom Becker").person
        top = holders.find_role(session, "Top management")
        holders.add_holding(session, "test", top, tom)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        people.changed.emit()
    assert "PPL-06" not in (tab.model.index(tab.model.position(rid), COL_GAPS).data() or "")
