"""Owner fields offer people's names as you type: a pick or a typed name is saved as the person
spells it; a new name asks whether to add the person. Driven with keys, read back from the
reopened file."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from app.models import Person
from app.services.clauses import requirements
from app.services.context.registers import ISSUES
from app.services.engagement import approvals
from app.services.engagement.file import create_engagement, open_engagement
from app.services.people import owners
from app.services.registers import service as register
from app.services.risks import service as risks
from app.views.common import dialogs
from tests.gui.gui_keys import focus, press, replace, type_text, typed_ahead

TAB, RETURN, DOWN, ESCAPE = Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Down, Qt.Key.Key_Escape


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "client.aims"
    ef = create_engagement(target, client="Acme Analytics GmbH", size="small")
    for name in ("Dana Whitfield", "Sam Lee", "Danielle Ortiz"):
        owners.add_person(ef, name)
    risks.save_risk(ef, None, {"title": "Drift", "inherent_likelihood": 1, "inherent_impact": 1})
    register.create(ef, ISSUES, {"title": "New law"})
    ef.close()
    return target


@pytest.fixture
def risk_form(qtbot, window, path):
    window.open_path(path)
    tab = window.risks_tab
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        window.select_tab("risks")
    tab.select("R-001")
    return tab.form


@pytest.fixture
def asked(monkeypatch):
    """The "Add to People?" question, answered by what the test puts in `answers`."""
    seen: list[str] = []
    answers: list[bool] = []

    def confirm(_parent, title, message):
        seen.append(f"{title} {message}")
        return answers.pop(0)

    monkeypatch.setattr(dialogs, "confirm", confirm)
    return seen, answers


def _key(qtbot, key):
    """A key as the user presses it while the completer's list may be open: the list gets it
    first (Return with nothing picked closes it and the typed text is taken)."""
    popup = QApplication.activePopupWidget()
    if popup is not None:
        qtbot.keyClick(popup, key)
    else:
        press(qtbot, key)


def _stored_owner(window, path):
    window.close_engagement()
    with open_engagement(path, read_only=True) as ef:
        return risks.get_risk(ef, "R-001").owner


def _people(path):
    with open_engagement(path, read_only=True) as ef, ef.reading() as session:
        return sorted(session.scalars(select(Person.name)))


def test_owner_field_completer_offers_people_and_saves_the_pick(qtbot, window, path, risk_form):
    line = risk_form.editors["owner"]
    focus(qtbot, line)
    qtbot.waitUntil(lambda: line.completer().model().rowCount() == 3)  # the names, read
    type_text(qtbot, "dan")
    popup = line.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    offered = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert offered == ["Dana Whitfield", "Danielle Ortiz"]
    press(qtbot, DOWN)
    press(qtbot, RETURN)
    assert line.text() == "Dana Whitfield"
    assert _stored_owner(window, path) == "Dana Whitfield"


def test_owner_field_tab_from_the_open_list_types_on_in_the_next_field(
    qtbot, window, path, risk_form
):
    """Tab with the people list open, the likelihood typed straight on: the keys typed before
    the window handled the Tab (addressed to the list's window) go to the likelihood, none to
    the owner field left."""
    line, likelihood = risk_form.editors["owner"], risk_form.editors["inherent_likelihood"]
    focus(qtbot, line)
    qtbot.waitUntil(lambda: line.completer().model().rowCount() == 3)  # the names, read
    type_text(qtbot, "sam lee")
    popup = line.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    typed_ahead(popup.windowHandle(), [TAB, "3", RETURN])  # Return closes the scale's list
    assert QApplication.focusWidget() is likelihood
    assert not likelihood.completer().popup().isVisible()
    assert (line.text(), likelihood.text()) == ("Sam Lee", "3 - Possible")
    _key(qtbot, TAB)
    window.close_engagement()
    with open_engagement(path, read_only=True) as ef:
        row = risks.get_risk(ef, "R-001")
    assert (row.owner, row.inherent_likelihood) == ("Sam Lee", 3)


def test_owner_field_typed_name_saved_in_the_persons_spelling(qtbot, window, path, risk_form):
    line = risk_form.editors["owner"]
    replace(qtbot, line, "  sam   LEE")
    _key(qtbot, TAB)
    assert line.text() == "Sam Lee"
    assert _stored_owner(window, path) == "Sam Lee"


def test_owner_field_new_name_added_to_people_on_yes(qtbot, window, path, risk_form, asked):
    seen, answers = asked
    answers.append(True)
    replace(qtbot, risk_form.editors["owner"], "Priya Shah")
    _key(qtbot, RETURN)
    assert seen == ["Add to People? Add Priya Shah to People?"]
    assert risk_form.messages["owner"].isHidden()
    assert _stored_owner(window, path) == "Priya Shah"
    assert "Priya Shah" in _people(path)


def test_owner_field_new_name_kept_as_typed_on_no(qtbot, window, path, risk_form, asked):
    seen, answers = asked
    answers.append(False)
    replace(qtbot, risk_form.editors["owner"], "Marketing Board")
    _key(qtbot, RETURN)
    _key(qtbot, TAB)  # leaving after Return: asked once
    assert len(seen) == 1
    note = risk_form.messages["owner"]
    assert note.text() == "Marketing Board is not a person yet (not in People)."
    assert note.isVisible()
    assert _stored_owner(window, path) == "Marketing Board"
    assert "Marketing Board" not in _people(path)


def test_owner_field_escape_drops_the_typed_name(qtbot, window, path, risk_form):
    line = risk_form.editors["owner"]
    replace(qtbot, line, "Sam")
    _key(qtbot, ESCAPE)  # the typed name goes
    assert line.text() == ""
    _key(qtbot, ESCAPE)  # and then the list
    _key(qtbot, TAB)
    assert _stored_owner(window, path) == ""


def test_owner_field_of_a_described_register_respells(qtbot, window, path):
    window.open_path(path)
    page = window.context_tab
    window.select_tab("context")
    tab = page.show_register("issues")
    qtbot.waitUntil(lambda: tab._started and not tab.is_loading(), timeout=10_000)
    tab.select("ISS-001")
    replace(qtbot, tab.form.editors["owner"], "DANA whitfield")
    _key(qtbot, RETURN)
    window.close_engagement()
    with open_engagement(path, read_only=True) as ef:
        assert register.get_item(ef, ISSUES, "ISS-001").owner == "Dana Whitfield"


def test_owner_field_of_a_checklist_point_offers_people_and_respells(qtbot, window, path, asked):
    window.open_path(path)
    tab = window.clauses_tab
    tab.select_point("P-4.1-01")
    focus(qtbot, tab.owner_edit)
    qtbot.waitUntil(lambda: tab.owner_edit.completer().model().rowCount() == 3)
    replace(qtbot, tab.owner_edit, "sam")
    popup = tab.owner_edit.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().index(0, 0).data() == "Sam Lee"
    replace(qtbot, tab.owner_edit, "SAM  lee")
    _key(qtbot, RETURN)
    seen, answers = asked
    answers.append(False)
    tab.select_point("P-4.1-02")
    replace(qtbot, tab.owner_edit, "Board")
    _key(qtbot, RETURN)
    assert seen == ["Add to People? Add Board to People?"]
    assert tab.owner_note.text() == "Board is not a person yet (not in People)."
    window.close_engagement()
    with open_engagement(path, read_only=True) as ef:
        points = {p.id: p.owner for p in requirements.list_points(ef)}
    assert (points["P-4.1-01"], points["P-4.1-02"]) == ("Sam Lee", "Board")


def test_owner_field_of_the_plan_approval_respells(qtbot, window, path, risk_form):
    tab = window.risks_tab
    tab.views.setCurrentIndex(1)  # the Treatment plan and its approval
    fields = tab.plan_approval
    replace(qtbot, fields.approved_by, "dana WHITFIELD")
    _key(qtbot, TAB)
    assert fields.approved_by.text() == "Dana Whitfield"
    type_text(qtbot, "Chief Executive Officer")
    press(qtbot, TAB)
    type_text(qtbot, (dt.date.today() - dt.timedelta(days=1)).isoformat())
    press(qtbot, RETURN)
    window.close_engagement()
    with open_engagement(path, read_only=True) as ef:
        assert approvals.get(ef, "treatment_plan").approved_by == "Dana Whitfield"


def test_owner_field_of_the_plan_approval_tab_from_the_open_list_types_on(
    qtbot, window, path, risk_form
):
    """The same on a plain line of its own (who approved the treatment plan, then the role)."""
    tab = window.risks_tab
    tab.views.setCurrentIndex(1)  # the Treatment plan and its approval
    fields = tab.plan_approval
    focus(qtbot, fields.approved_by)
    qtbot.waitUntil(lambda: fields.approved_by.completer().model().rowCount() == 3)
    type_text(qtbot, "Dana Whitfield")
    popup = fields.approved_by.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    typed_ahead(popup.windowHandle(), [TAB, *"Chief Executive Officer"])
    assert QApplication.focusWidget() is fields.role
    assert (fields.approved_by.text(), fields.role.text()) == (
        "Dana Whitfield",
        "Chief Executive Officer",
    )
    press(qtbot, TAB)
    type_text(qtbot, (dt.date.today() - dt.timedelta(days=1)).isoformat())
    press(qtbot, RETURN)
    window.close_engagement()
    with open_engagement(path, read_only=True) as ef:
        approval = approvals.get(ef, "treatment_plan")
    assert (approval.approved_by, approval.role) == ("Dana Whitfield", "Chief Executive Officer")
