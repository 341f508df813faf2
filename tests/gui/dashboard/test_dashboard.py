"""The dashboard as the consultant opens it: the first page, the six audit-failing gaps with
what causes them, and a click that lands on the items behind a gap, the others hidden until
'show all'."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from app.services import status
from app.services.engagement.file import create_engagement
from app.services.inventory import service as inventory
from app.services.readiness import catalogue

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "client.aims"
    ef = create_engagement(target, client="Acme Analytics GmbH", size="small")
    for name in ("Credit scoring", "Chat assistant", "Fraud screening"):
        inventory.create_system(
            ef,
            {"name": name, "in_scope": True, "stage": "deployed", "source": "in_house",
             "deployment_date": dt.date(2025, 6, 1), "business_owner": "Dana Whitfield"},
        )  # fmt: skip
    ef.close()
    return target


def _page(window, qtbot, path):
    window.open_path(path)
    window.wait_until_loaded()
    page = window.tabs.currentWidget()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Dashboard"
    return page


def test_dashboard_is_the_first_page_and_shows_the_six_gaps(qtbot, window, path):
    page = _page(window, qtbot, path)
    titles = [label.text() for label in page.failing.titles]
    assert len(titles) == len(catalogue.FAILING)
    for rule, text in zip(catalogue.FAILING, titles, strict=True):
        assert rule.title in text
    states = {rule.id: s.text() for rule, s in zip(catalogue.FAILING, page.failing.states,
                                                     strict=True)}  # fmt: skip
    assert "Open" in states["impact-assessment-missing"]
    assert "Met" in states["no-ai-inventory"]
    # the page shows what `status --json` says of the same file
    data = status.summary(window.ef)
    assert f"{data['readiness_percent']:g}%" in page.headline.text()
    for gap in data["gaps"][:6]:
        assert ("Open" if gap["open"] else "Met") in states[gap["id"]]
    assert page.owner_loads.rowCount() == len(data["readiness_by_owner"])


def test_dashboard_a_click_on_a_gap_lands_on_its_items(qtbot, window, path):
    page = _page(window, qtbot, path)
    row = [r.id for r in catalogue.FAILING].index("impact-assessment-missing")
    button = page.failing.buttons[row]
    assert button.text() == "Show 3 items"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    tab = window.inventory_tab
    assert window.tabs.currentWidget() is tab
    assert tab.model.rowCount() == 3
    assert "only the items of impact-assessment-missing" in tab.count_label.text()
    # a system given its approved assessment would leave the list; show all brings the rest
    tab.show_all()
    assert "only" not in tab.count_label.text()


def test_dashboard_other_gaps_open_with_return(qtbot, window, path):
    page = _page(window, qtbot, path)
    table = page.others.table
    model = page.others.model
    ids = [f.rule.id for f in model.found]
    assert "INV-01" in ids  # live and in scope, no completed assessment
    severities = [f.rule.severity for f in model.found]
    assert severities == sorted(severities, key=["major", "minor", "observation"].index)
    table.setFocus()
    table.setCurrentIndex(model.index(ids.index("INV-01"), 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.inventory_tab
    assert window.inventory_tab.model.rowCount() == 3


def test_dashboard_ctrl_0_comes_back_and_a_bar_opens_its_clause(qtbot, window, path):
    page = _page(window, qtbot, path)
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    assert window.tabs.currentWidget() is window.clauses_tab
    qtbot.keyClick(window, Qt.Key.Key_0, CTRL)
    assert window.tabs.currentWidget() is page
    bars = page.clauses
    bars.setFocus()
    qtbot.keyClick(bars, Qt.Key.Key_Down)
    clause = list(bars.values)[1]
    qtbot.keyClick(bars, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.clauses_tab
    assert window.clauses_tab.clause_filter.currentData() == clause


def test_dashboard_an_owner_chosen_lands_on_their_points_however_typed(qtbot, window, tmp_path):
    """The dashboard counts an owner as the person People knows ("Tom Becker"), whatever
    was typed on the points ("Tom Becker (Head of Data Science)"): the checklist shows
    those points, under the owner entry it already had."""
    from app.services.clauses import requirements
    from app.services.demo import create_demo
    from app.services.people.spelling import name_key
    from tests.gui.gui_keys import focus, press

    path = tmp_path / "demo.aims"
    create_demo(path).close()
    page = _page(window, qtbot, path)
    owners = [row[0] for row in page.owner_loads.rows]
    his = [p for p in requirements.list_points(window.ef) if name_key(p.owner) == "tom becker"]
    typed = {p.owner for p in his}
    assert "Tom Becker" in owners and "Tom Becker" not in typed  # typed with the role only
    focus(qtbot, page.owners)
    page.owners.setCurrentIndex(page.owner_loads.index(owners.index("Tom Becker"), 0))
    press(qtbot, Qt.Key.Key_Return)
    tab = window.clauses_tab
    assert window.tabs.currentWidget() is tab
    entries = [tab.owner_filter.itemText(i) for i in range(tab.owner_filter.count())]
    assert tab.owner_filter.currentText() in typed
    assert sum(name_key(e) == "tom becker" for e in entries) == 1  # no second entry for him
    assert tab.count_label.text().startswith(f"{len(his)} of "), tab.count_label.text()
    assert his
