"""Every editable field of every form, driven by the keyboard as a consultant does (type, Tab,
Return, a completer's list, a calendar, Escape), then read back from the reopened file."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox

from app.services.clauses import requirements
from app.services.engagement.file import DETAIL_FIELDS, create_engagement, open_engagement
from app.services.inventory import impact
from app.services.inventory import service as inventory
from app.services.risks import service as risks
from app.services.soa import service as soa
from app.views.common import dialogs
from app.views.common.field_form import FieldForm
from tests.gui.gui_keys import focus, press, replace, type_text

TAB, RETURN, ESCAPE = Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Escape


@pytest.fixture(scope="module")
def path(tmp_path_factory):
    target = tmp_path_factory.mktemp("forms") / "client.aims"
    ef = create_engagement(target, client="Acme Analytics GmbH", size="small")
    inventory.create_system(ef, {"name": "Chatbot"})
    risks.save_risk(ef, None, {"title": "Drift", "inherent_likelihood": 1, "inherent_impact": 1})
    ef.close()
    return target


@pytest.fixture(scope="module")
def win(qapp, path):
    from app.views.main_window import MainWindow

    window = MainWindow()
    window.show()
    window.open_path(path)
    yield window
    window.close_engagement()
    window.close()


def _tab(qtbot, win, name):
    tab = {"clauses": win.clauses_tab}.get(name) or getattr(win, f"{name}_tab")
    if hasattr(tab, "loaded") and not tab._started:
        with qtbot.waitSignal(tab.loaded, timeout=10_000):
            win.select_tab(name)
    else:
        win.select_tab(name)
    return tab


def _reopened(win, path, read):
    """Close the file in the window, read it back as a new session would, open it again."""
    win.close_engagement()
    ef = open_engagement(path)
    try:
        return read(ef)
    finally:
        ef.close()
        win.open_path(path)


def _text(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _enter(qtbot, form: FieldForm, name: str, value) -> None:
    """One field, as typed: the value in, then Tab to the next field."""
    spec, editor = form.specs[name], form.editors[name]
    if spec.kind == "choice":
        _choose(qtbot, editor, spec.choices[value])
    elif spec.kind == "bool":
        focus(qtbot, editor)
        if editor.isChecked() != value:
            press(qtbot, Qt.Key.Key_Space)
    elif spec.kind == "long":
        first, _, second = str(value).partition("\n")
        replace(qtbot, editor, first)
        if second:
            press(qtbot, RETURN)
            type_text(qtbot, second)
    else:
        replace(qtbot, editor, _text(value))
    press(qtbot, TAB)
    assert QApplication.focusWidget() is not editor, f"Tab stayed in {name}: {form.error.text()}"


def _choose(qtbot, combo, label: str) -> None:
    """Open the list (Alt+Down), type the choice, Return."""
    focus(qtbot, combo)
    press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert combo.view().isVisible()
    for char in label:
        qtbot.keyClicks(combo.view(), char)
    qtbot.keyClick(combo.view(), RETURN)
    assert combo.currentText() == label


def _fill(qtbot, form: FieldForm, values: dict) -> None:
    for name in form.specs:
        if name in values:
            _enter(qtbot, form, name, values[name])


def _expected(specs, values):
    return {name: specs[name].coerce(value) for name, value in values.items()}


INVENTORY = {
    "name": "Credit chatbot",
    "description": "Answers loan questions\nin two languages",
    "business_owner": "Head of Lending",
    "role": "both",
    "source": "vendor",
    "vendor": "TalkCo",
    "intended_use": "Customer questions",
    "foreseeable_misuse": "Advice on debt",
    "affected_parties": "Customers",
    "consequential": True,
    "ai_act_tier": "limited",
    "ai_act_note": "Chatbot: transparency duty",
    "stage": "verification",
    "deployment_date": dt.date(2025, 3, 1),
    "training_data": "Vendor corpus",
    "inference_data": "Chat text",
    "data_provenance": "Vendor",
    "data_quality": "Sampled weekly",
    "bias_checks": "Language parity",
    "human_oversight": "Agents review",
    "in_scope": False,
    "out_of_scope_reason": "Pilot only",
}


def test_keyboard_inventory_every_field(qtbot, win, path):
    tab = _tab(qtbot, win, "inventory")
    assert set(INVENTORY) == set(inventory.EDITABLE)
    _fill(qtbot, tab.form, INVENTORY)
    row = _reopened(win, path, lambda ef: inventory.list_systems(ef)[0])
    for name, value in _expected(inventory.FIELDS, INVENTORY).items():
        assert getattr(row, name) == value, name


RISK = {
    "kind": "opportunity",
    "title": "Faster credit answers",
    "description": "Cause: chatbot\nEffect: shorter queues",
    "source": "Vendor model",
    "affected_parties": "Customers",
    "owner": "Head of Lending",
    "inherent_likelihood": 3,
    "inherent_impact": 4,
    "existing_controls": "Weekly review",
    "treatment": "modify",
    "residual_likelihood": 2,
    "residual_impact": 2,
    "residual_comment": "Reviewed by agents",
    "accepted_by": "Board",
    "accepted_on": dt.date(2026, 1, 15),
    "acceptance_comment": "Within appetite",
    "assessed_on": dt.date(2026, 1, 10),
    "review_date": dt.date(2026, 6, 30),
    "status": "monitored",
}


def test_keyboard_risks_every_field(qtbot, win, path):
    tab = _tab(qtbot, win, "risks")
    assert set(RISK) | {"category"} == set(risks.EDITABLE)
    _fill(qtbot, tab.form, RISK)
    replace(qtbot, tab.form.editors["category"], "privacy")  # picked from the completer's list
    assert tab.form.editors["category"].completer().popup().isVisible()
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, RETURN)
    assert win.state_label.text() == "All changes saved"
    row = _reopened(win, path, lambda ef: risks.list_risks(ef)[0])
    for name, value in _expected(risks.FIELDS, RISK).items():
        assert getattr(row, name) == value, name
    assert row.category == "Privacy-enhanced"


SOA = {
    "decision": "included",
    "reason_risk_treatment": True,
    "reason_legal": True,
    "reason_contractual": True,
    "reason_business": True,
    "reason_other": True,
    "reason_text": "Lending rules\nand the bank's policy",
    "justification": "Not excluded",
    "implementation": "Requirements template\nreviewed at each release",
    "status": "partial",
    "owner": "Chief Risk Officer",
    "target_date": dt.date(2026, 9, 30),
    "evidence": "POL-7",
}


def test_keyboard_soa_every_field(qtbot, win, path):
    tab = _tab(qtbot, win, "soa")
    tab.select("A.6.2.2")
    assert set(SOA) == set(soa.FIELDS)
    _fill(qtbot, tab.form, SOA)
    line = _reopened(win, path, lambda ef: soa.get_line(ef, "A.6.2.2"))
    for name, value in _expected(soa.FIELDS, SOA).items():
        assert getattr(line, name) == value, name


def test_keyboard_clauses_every_field(qtbot, win, path):
    tab = _tab(qtbot, win, "clauses")
    tab.select_point("P-4.3-01")
    _choose(qtbot, tab.status_edit, "In progress")
    press(qtbot, TAB)
    type_text(qtbot, "Head of Risk")
    press(qtbot, RETURN)  # Return saves too
    press(qtbot, TAB)
    assert QApplication.focusWidget() is tab.due_edit
    press(qtbot, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # the calendar
    calendar = tab.due_edit.calendar
    assert calendar is not None and calendar.isVisible()
    press(qtbot, Qt.Key.Key_Right)
    press(qtbot, RETURN)
    press(qtbot, TAB)
    type_text(qtbot, "Scope agreed")
    press(qtbot, RETURN)
    type_text(qtbot, "except HR")
    press(qtbot, TAB)  # leaves the box, no tab character
    assert QApplication.focusWidget() is tab.evidence_edit
    type_text(qtbot, "SCOPE-1")
    press(qtbot, TAB)
    point = _reopened(win, path, lambda ef: requirements.get_point(ef, "P-4.3-01"))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert (point.status, point.owner, point.due_date) == ("in_progress", "Head of Risk", tomorrow)
    assert (point.notes, point.evidence) == ("Scope agreed\nexcept HR", "SCOPE-1")


def test_keyboard_escape_puts_the_value_back(qtbot, win, path):
    tab = _tab(qtbot, win, "inventory")
    before = inventory.list_systems(tab.ef)[0].vendor
    replace(qtbot, tab.form.editors["vendor"], "Typo Ltd")
    press(qtbot, ESCAPE)
    press(qtbot, TAB)
    assert tab.form.editors["vendor"].text() == before
    assert _reopened(win, path, lambda ef: inventory.list_systems(ef)[0].vendor) == before


def _dialog_driver(monkeypatch, drive):
    def run(dialog):
        dialog.show()
        drive(dialog)
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", run)


DETAILS = {
    "client": "Acme Analytics AG",
    "size": "mid",
    "iso27001": True,
    "iso9001": True,
    "consultant": "Dana Berg",
    "scope_statement": "Lending AI\nand the HR tools",
    "stage1_date": dt.date(2027, 4, 12),
    "stage2_date": dt.date(2027, 6, 7),
    "doc_date": dt.date(2027, 3, 1),
}


def test_keyboard_engagement_details_every_field(qtbot, win, path, monkeypatch):
    values = {
        name: DETAILS.get(name, spec.label if spec.kind in ("text", "long") else None)
        for name, spec in DETAIL_FIELDS.items()
        if name in DETAILS or spec.kind in ("text", "long")
    }

    def drive(dialog):
        _fill(qtbot, dialog.form, values)
        replace(qtbot, dialog.form.editors["client"], values["client"])
        press(qtbot, RETURN)  # OK

    _dialog_driver(monkeypatch, drive)
    win.edit_details()
    details = _reopened(win, path, lambda ef: ef.details)
    for name, value in _expected(DETAIL_FIELDS, values).items():
        assert getattr(details, name) == value, name


ASSESSMENT = {
    "assessed_on": dt.date(2025, 11, 3),
    "assessor": "DPO",
    "trigger": "periodic",
    "treatment": "Human review\nof refusals",
    "result": "Acceptable",
    "approved_by": "Board",
    "approved_on": dt.date(2025, 11, 20),
}


def test_keyboard_assessment_dialog_every_field(qtbot, win, path, monkeypatch):
    tab = _tab(qtbot, win, "inventory")

    def drive(dialog):
        _fill(qtbot, dialog.form, ASSESSMENT)
        dialog.impacts.add()
        table = dialog.table
        focus(qtbot, table)
        for column, typed in ((0, "Society"), (1, "Refusals feel unfair"), (2, "4"), (3, "2")):
            table.setCurrentIndex(dialog.impacts.index(0, column))
            press(qtbot, Qt.Key.Key_F2)
            editor = QApplication.focusWidget()
            if isinstance(editor, QComboBox):  # typed on the closed list: the first match
                qtbot.keyClicks(editor, typed)
            else:
                press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
                type_text(qtbot, typed)
            press(qtbot, RETURN)  # the cell is saved when the editor has closed
            qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
        focus(qtbot, dialog.form.editors["assessor"])
        press(qtbot, RETURN)  # OK

    _dialog_driver(monkeypatch, drive)
    tab.add_assessment()
    [row] = _reopened(win, path, lambda ef: impact.list_assessments(ef))
    for name, value in _expected(impact.FIELDS, ASSESSMENT).items():
        assert getattr(row, name) == value, name
    assert row.impacts == (impact.ImpactRow("society", "Refusals feel unfair", 4, 2),)


def test_keyboard_a_refused_field_loses_its_message_once_typed_again(qtbot):
    from app.services.engagement.errors import FieldError
    from app.views.common.field_form import FormDialog

    saved: list[dict[str, object]] = []

    def save(values: dict[str, object]) -> None:
        if not str(values["name"] or "").strip():
            raise FieldError("name", "Name cannot be blank.")
        saved.append(values)

    specs = [inventory.FIELDS[name] for name in ("name", "business_owner")]
    dialog = FormDialog("Add an AI system", specs, {"name": ""}, save)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.try_accept()  # OK with no name
    message = dialog.form.messages["name"]
    assert message.isVisible() and message.text() == "Name cannot be blank."
    focus(qtbot, dialog.form.editors["name"])
    type_text(qtbot, "Voice biometrics")
    press(qtbot, TAB)
    assert not message.isVisible()  # typed and left: the refusal no longer stands
    dialog.try_accept()
    assert saved and saved[0]["name"] == "Voice biometrics"
