"""Imported owners matched to People: a person's name in any case or spacing takes the
person's spelling, new names are told in the preview and added when the import is applied,
a name several people share is told and never guessed."""

from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import select

from app.models import Person
from app.services.inventory import service as inventory
from app.services.people import owners
from app.services.risks import service as risks
from app.services.workbook.export import export_workbook
from app.services.workbook.importer import apply, as_text, build_plan


@pytest.fixture
def workbook(new_file, tmp_path):
    owners.add_person(new_file, "Dana Whitfield")
    owners.add_person(new_file, "Sam Lee")
    with new_file.writing() as session:
        owners.add_people(session, ["sam lee"], "test")  # two people of one name
    for name in ("Chatbot", "Scorer", "Triage", "Vision"):
        inventory.create_system(new_file, {"name": name})
    path = tmp_path / "out.xlsx"
    for _ in export_workbook(new_file, path):
        pass
    wb = openpyxl.load_workbook(path)
    ws = wb["AI systems"]
    column = [c.value for c in ws[1]].index("Business owner") + 1
    for row, owner in ((2, "  dana   WHITFIELD"), (3, "Priya Shah"), (4, "priya  shah"),
                       (5, "SAM LEE")):  # fmt: skip
        ws.cell(row, column, owner)
    wb.save(path)
    return path


def _owners(ef):
    return {s.name: s.business_owner for s in inventory.list_systems(ef)}


def test_owners_import_preview_respells_and_tells_new_and_ambiguous(new_file, workbook):
    plan = build_plan(new_file, workbook)
    sheet = next(s for s in plan.sheets if s.sheet == "AI systems")
    values = {r.key: r.values.get("business_owner") for r in sheet.updated}
    assert values == {"AIS-001": "Dana Whitfield", "AIS-002": "Priya Shah",
                      "AIS-003": "Priya Shah", "AIS-004": "SAM LEE"}  # fmt: skip
    text = as_text(plan, applied=False)
    assert "1 name is no person yet, added to People when imported: Priya Shah (2 rows)" in text
    ambiguous = "warning row 5, Business owner: 'SAM LEE' names several people (PER-002, PER-003)"
    assert ambiguous in text


def test_owners_import_applied_adds_new_people_once(new_file, workbook):
    apply(new_file, build_plan(new_file, workbook))
    assert _owners(new_file) == {"Chatbot": "Dana Whitfield", "Scorer": "Priya Shah",
                                 "Triage": "Priya Shah", "Vision": "SAM LEE"}  # fmt: skip
    with new_file.reading() as session:
        names = sorted(session.scalars(select(Person.name)))
    assert names == ["Dana Whitfield", "Priya Shah", "Sam Lee", "sam lee"]


def test_owners_import_dry_run_adds_nobody(new_file, workbook):
    build_plan(new_file, workbook)  # the preview's trial run writes nothing
    with new_file.reading() as session:
        assert len(session.scalars(select(Person.id)).all()) == 3


def test_owners_import_only_spelling_changed_is_no_change(new_file, tmp_path):
    owners.add_person(new_file, "Dana Whitfield")
    values = {"title": "Drift", "owner": "Dana Whitfield", "inherent_likelihood": 1,
              "inherent_impact": 1}  # fmt: skip
    risks.save_risk(new_file, None, values)
    path = tmp_path / "out.xlsx"
    for _ in export_workbook(new_file, path):
        pass
    wb = openpyxl.load_workbook(path)
    ws = wb["Risks"]
    ws.cell(2, [c.value for c in ws[1]].index("Risk owner") + 1, "DANA whitfield ")
    wb.save(path)
    plan = build_plan(new_file, path)
    sheet = next(s for s in plan.sheets if s.sheet == "Risks")
    assert sheet.updated == [] and sheet.unchanged == 1
    assert risks.get_risk(new_file, "R-001").owner == "Dana Whitfield"


def _active_people(ef) -> set[str]:
    with ef.reading() as session:
        return set(session.scalars(select(Person.name).where(Person.deleted.is_(False))))


def test_owners_import_undo_takes_back_the_people_it_added_and_redo_brings_them(new_file, workbook):
    from app.services.engagement.file import open_engagement
    from app.services.workbook.importer import redo, undo

    steps = apply(new_file, build_plan(new_file, workbook))
    assert "Priya Shah" in _active_people(new_file)
    undo(new_file, steps)
    with open_engagement(new_file.path, read_only=True) as reopened:
        assert "Priya Shah" not in _active_people(reopened)
        assert {"Dana Whitfield", "Sam Lee", "sam lee"} <= _active_people(reopened)
        assert set(_owners(reopened).values()) == {""}  # the owners as they were
    redo(new_file, steps)
    assert "Priya Shah" in _active_people(new_file)
    assert _owners(new_file)["Scorer"] == "Priya Shah"
