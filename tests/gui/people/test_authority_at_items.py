"""A sign-off by someone People does not show allowed to give it, shown at the item: the
assessment in the Inventory tab, the issued SoA version, the AI policy's detail."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from app.models import SoaVersion
from tests.gui.gui_keys import press, replace


def _opened(qtbot, window, ef, name):
    window.set_engagement(ef)
    tab = getattr(window, f"{name}_tab")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.select_tab(name)
    return tab


def test_inventory_assessment_approved_by_nobody_in_people_is_shown_at_it(qtbot, window, demo_file):
    tab = _opened(qtbot, window, demo_file, "inventory")
    tab.select("AIS-002")
    assert "PPL-07 Impact assessment approved by someone without the authority (IA-0002)" in (
        tab.gaps.text()
    )
    assert "Marcus Lee (CIO) approved the impact assessment on 2023-11-25, but held no role" in (
        tab.gaps.text()
    )
    first = tab.assessments.index(0, 5)
    assert tab.assessments.data(first, Qt.ItemDataRole.ForegroundRole) is not None


def test_soa_version_in_force_approved_without_authority_is_shown(qtbot, window, demo_file):
    with demo_file.writing() as session:
        session.scalars(select(SoaVersion)).one().approved_by = "Tom Becker"
    tab = _opened(qtbot, window, demo_file, "soa")
    assert tab.issued_gap.isVisibleTo(tab)
    assert "PPL-08" in tab.issued_gap.text() and "Tom Becker approved the Statement" in (
        tab.issued_gap.text()
    )


def test_soa_version_approved_by_designated_management_shows_no_gap(qtbot, window, demo_file):
    with demo_file.writing() as session:  # top management may approve the SoA
        session.scalars(select(SoaVersion)).one().approved_by = "Sarah Whitfield"
    tab = _opened(qtbot, window, demo_file, "soa")
    assert not tab.issued_gap.isVisibleTo(tab)


def test_documents_policy_approver_typed_without_authority_shows_the_gap(qtbot, window, demo_file):
    page = _opened(qtbot, window, demo_file, "documents")
    tab = page.register_tab
    tab.select("DOC-010")
    assert "PPL-09" not in tab.gaps.text() or not tab.gaps.isVisibleTo(tab)
    replace(qtbot, tab.form.editors["approved_by"], "Tom Becker")
    press(qtbot, Qt.Key.Key_Tab)
    assert tab.gaps.isVisibleTo(tab)
    assert "PPL-09 AI policy approved by someone without the authority (5.2)" in tab.gaps.text()
