"""Client headings that look like ours but mean something else: what to request is not
evidence, a next review date is not a due date nor the day a meeting was held, and a
paragraph in a data cell is not a heading. Read wrongly, each would make the engagement look
further along than it is."""

from __future__ import annotations

import shutil

import openpyxl

from app.services.clauses import requirements
from app.services.soa import service as soa
from app.services.workbook.importer import apply, build_plan
from tests.unit.workbook.test_workbook import REAL


def _sheet(path, title, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _imported(ef, path):
    plan = build_plan(ef, path)
    assert plan.errors == 0, plan.to_json(False)
    apply(ef, plan)
    return plan


def _point(ef, ref):
    return next(p for p in requirements.list_points(ef) if p.ref == ref)


def test_evidence_to_request_and_review_dates_never_fill_evidence_or_due_date(new_file, tmp_path):
    path = _sheet(tmp_path / "gap analysis.xlsx", "Gap analysis", [
        ["Clause", "Status", "Owner", "Evidence to request", "Evidence required (Stage 1)",
         "Next review date"],
        ["6.1.2", "In progress", "Priya Risk", "Risk assessment procedure",
         "Signed risk criteria", "2027-06-14"],
    ])  # fmt: skip
    plan = _imported(new_file, path)
    (sheet,) = plan.sheets
    assert (sheet.kind, sheet.header_row) == ("requirements", 1)
    point = _point(new_file, "6.1.2")
    assert point.owner == "Priya Risk" and point.status == "in_progress"
    assert point.evidence == ""  # nothing has been seen yet
    assert point.due_date is None
    # the client's cells are kept where the consultant will read them
    assert "Evidence to request: Risk assessment procedure" in point.notes
    assert "Evidence required (Stage 1): Signed risk criteria" in point.notes
    assert "Next review date: 2027-06-14" in point.notes


def test_a_heading_that_holds_evidence_still_fills_it(new_file, tmp_path):
    path = _sheet(tmp_path / "gap analysis.xlsx", "Gap analysis", [
        ["Clause", "Status", "Evidence held", "Target date"],
        ["6.1.2", "Implemented", "RA-PROC-01 v2", "2027-03-31"],
    ])  # fmt: skip
    _imported(new_file, path)
    point = _point(new_file, "6.1.2")
    assert point.evidence == "RA-PROC-01 v2"
    assert str(point.due_date) == "2027-03-31"


def test_typical_evidence_on_a_client_soa_leaves_implemented_controls_without_evidence(
    new_file, tmp_path
):
    path = _sheet(tmp_path / "soa.xlsx", "Statement of Applicability", [
        ["Control", "Decision", "Reason for inclusion", "Implementation status",
         "Typical evidence"],
        ["A.6.2.4", "Included", "Risk treatment", "Implemented", "Model validation reports"],
    ])  # fmt: skip
    _imported(new_file, path)
    line = soa.get_line(new_file, "A.6.2.4")
    assert line.status == "implemented" and line.evidence == ""
    assert "Typical evidence: Model validation reports" in line.implementation
    found = soa.evaluate(soa.list_lines(new_file), soa.risks_by_control(new_file))
    assert "A.6.2.4" in found["implemented_without_evidence"]  # SOA-05 still raised


def test_a_real_clause_register_keeps_its_guidance_as_notes_not_as_evidence(demo_file, tmp_path):
    path = tmp_path / "leadership.xlsx"
    shutil.copyfile(REAL / "5_Leadership_Clause_Register.xlsx", path)
    before = {p.id: (p.evidence, p.due_date) for p in requirements.list_points(demo_file)}
    plan = _imported(demo_file, path)
    (sheet,) = plan.sheets
    assert (sheet.kind, sheet.header_row, sheet.rows) == ("requirements", 4, 3)
    for ref in ("5.1", "5.2", "5.3"):
        point = _point(demo_file, ref)
        assert (point.evidence, point.due_date) == before[point.id]
        assert "Evidence to request — fill this in" in point.notes
        assert "Next Review Date: 06/14/2027" in point.notes
