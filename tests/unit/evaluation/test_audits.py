"""The internal audit (9.2): the checklist drawn from an audit's scope, the dates refused at
their field, the rules (an audit done before Stage 1, the AI-specific requirements covered,
the programme's coverage in its period, auditors not auditing their own work), the status
JSON, `list`, the worksheet PDF, the workbook round trip and the pack section."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import openpyxl
import pytest

from app.cli import main
from app.models import Person
from app.services import status
from app.services.clauses import requirements
from app.services.engagement import history
from app.services.engagement.errors import FieldError
from app.services.engagement.file import create_engagement
from app.services.evaluation import audit_rules, audits
from app.services.evaluation.audits import AUDITS, LINES, PROGRAMMES
from app.services.registers import service as register
from app.services.workbook.export import export_workbook
from app.services.workbook.importer import apply, build_plan
from tests.conftest import require_tool

TODAY = dt.date.today()


@pytest.fixture
def ef(tmp_path):
    f = create_engagement(
        tmp_path / "c.aims", client="Acme", size="small", stage1_date=TODAY + dt.timedelta(days=60)
    )
    with f.writing() as session:
        for pid, name in (("PER-001", "Dana Whitfield"), ("PER-002", "Omar  HADDAD")):
            session.add(Person(id=pid, name=name, created_at=history.now(), deleted=False))
    yield f
    f.close()


def _audit(ef, **values):
    return register.create(ef, AUDITS, {"title": "Audit", **values})


def _answer(ef, line_id, result="conforming", **more):
    register.update(ef, LINES, line_id, {"result": result, **more})


def _done(ef, audit_id, days_ago=5):
    day = TODAY - dt.timedelta(days=days_ago)
    register.update(ef, AUDITS, audit_id, {"actual_on": day, "status": "done"})


def test_checklist_drawn_from_scope_with_stable_ids_and_answered_lines_kept(ef):
    audit = _audit(ef, clauses="8.4, 6.1", controls="A.5.2")
    assert audits.draw_checklist(ef, audit) == (3 + 13 + 1, 0)  # 8.4: 3, 6.1.x: 13, A.5.2
    lines = audits.lines_of(ef, audit)
    assert [i.id for i in lines[:3]] == ["AUD-001-001", "AUD-001-002", "AUD-001-003"]
    assert [i.values["ref"] for i in lines[:3]] == ["P-8.4-01", "P-8.4-02", "P-8.4-03"]
    assert lines[-1].values["ref"] == "A.5.2" and lines[-1].id == "AUD-001-017"
    _answer(ef, "AUD-001-002", "major", notes="No assessment of the HR tool")
    # the scope narrowed: the untouched 8.4 lines go, the answered one stays, 8.2 comes after
    register.update(ef, AUDITS, audit, {"clauses": "8.2", "controls": ""})
    assert audits.draw_checklist(ef, audit) == (2, 16)
    kept = {i.id: i.values["ref"] for i in audits.lines_of(ef, audit)}
    assert kept == {"AUD-001-002": "P-8.4-02", "AUD-001-018": "P-8.2-01", "AUD-001-019": "P-8.2-02"}
    assert register.get_item(ef, LINES, "AUD-001-002").values["result"] == "major"


def test_draw_refuses_an_unknown_audit_and_an_empty_scope(ef):
    with pytest.raises(FieldError, match="no audit AUD-009"):
        audits.draw_checklist(ef, "AUD-009")
    with pytest.raises(FieldError, match="set its scope first"):
        audits.draw_checklist(ef, _audit(ef))


def test_dates_refused_at_the_field(ef):
    with pytest.raises(FieldError, match="give its actual date") as no_date:
        _audit(ef, status="done")
    assert no_date.value.field == "actual_on"
    with pytest.raises(FieldError, match="more than a year before") as early:
        _audit(ef, planned_on="2027-06-01", actual_on="2026-05-31")
    assert early.value.field == "actual_on"
    _audit(ef, planned_on="2027-06-01", actual_on="2026-06-01")  # a year early: kept
    with pytest.raises(FieldError, match="cannot end") as period:
        register.create(
            ef, PROGRAMMES, {"title": "P", "period_from": "2027-01-01", "period_to": "2026-12-31"}
        )
    assert period.value.field == "period_to"
    with pytest.raises(FieldError, match="there is no clause 4.9"):
        _audit(ef, clauses="4.9")


def test_no_audit_done_before_stage1_then_ai_coverage(ef):
    found = audit_rules.findings(ef)
    assert found.no_audit_before_stage1 and found.ai_missing == ("6.1.4", "8.2", "8.3", "8.4",
                                                                 "Annex A")  # fmt: skip
    late = _audit(ef, clauses="8.4")
    audits.draw_checklist(ef, late)
    _answer(ef, "AUD-001-001")
    register.update(ef, AUDITS, late, {"actual_on": TODAY + dt.timedelta(days=90)})
    register.update(ef, AUDITS, late, {"status": "done"})
    assert audit_rules.findings(ef).no_audit_before_stage1  # held after the Stage 1 date
    audit = _audit(ef, clauses="6.1.4, 8.2, 8.3, 8.4", controls="A.6.2.6")
    audits.draw_checklist(ef, audit)
    for line in audits.lines_of(ef, audit):
        if line.values["ref"] != "A.6.2.6":
            _answer(ef, line.id)
    _done(ef, audit)
    found = audit_rules.findings(ef)
    assert not found.no_audit_before_stage1 and found.ai_missing == ("Annex A",)
    control = next(i for i in audits.lines_of(ef, audit) if i.values["ref"] == "A.6.2.6")
    _answer(ef, control.id, "observation")  # the control, audited
    assert audit_rules.findings(ef).ai_covered


def test_programme_coverage_within_its_period(ef):
    prg = register.create(
        ef,
        PROGRAMMES,
        {"title": "Year 1", "period_from": TODAY - dt.timedelta(days=30),
         "period_to": TODAY + dt.timedelta(days=300), "clauses": "8, 9.2", "controls": "A.7.4"},
    )  # fmt: skip
    assert audit_rules.findings(ef).not_covered == {prg: ("8", "9.2", "A.7.4")}
    before = _audit(ef, clauses="9.2.1", programme=prg)
    audits.draw_checklist(ef, before)
    _answer(ef, "AUD-001-001")
    _done(ef, before, days_ago=40)  # before the period: does not count
    inside = _audit(ef, clauses="8.1", controls="A.7.4")
    audits.draw_checklist(ef, inside)
    _answer(ef, "AUD-002-001")  # one point of clause 8
    _done(ef, inside)
    assert audit_rules.findings(ef).not_covered == {prg: ("9.2", "A.7.4")}  # A.7.4 not answered
    _answer(ef, "AUD-002-003")
    found = audit_rules.findings(ef)
    assert found.not_covered == {prg: ("9.2",)} and found.not_covered_count == 1


def test_auditor_auditing_their_own_work_is_flagged_at_the_line(ef):
    requirements.set_values(ef, "owner", {"P-8.4-02": "omar haddad (Head of AI)"})
    audit = _audit(ef, clauses="8.4", lead_auditor="PER-002")
    audits.draw_checklist(ef, audit)
    found = audit_rules.findings(ef)
    assert found.not_independent == {audit: ("AUD-001-002",)}  # the lead audits every line
    assert found.owner_of_line == {"AUD-001-002": "Omar  HADDAD"}
    register.update(ef, LINES, "AUD-001-002", {"auditor": "PER-001"})  # someone else
    assert audit_rules.findings(ef).not_independent == {}
    # the owner of a document serving a control audits it
    from app.services.documents.register import DOCUMENTS

    register.create(ef, DOCUMENTS, {"title": "Data quality", "controls": "A.7.4",
                                    "owner": "Dana Whitfield"})  # fmt: skip
    other = _audit(ef, controls="A.7.4", lead_auditor="PER-002")
    audits.draw_checklist(ef, other)
    register.update(ef, LINES, "AUD-002-001", {"auditor": "PER-001"})
    found = audit_rules.findings(ef)
    assert found.not_independent == {other: ("AUD-002-001",)}
    assert status.summary(ef)["audits"]["auditor_not_independent"] == 1


def test_status_json_list_and_worksheet(ef, tmp_path, capsys):
    audit = _audit(ef, clauses="8.4", lead_auditor="PER-001")
    audits.draw_checklist(ef, audit)
    _answer(ef, "AUD-001-002", "minor", notes="Vendor tool not assessed")
    _audit(ef, title="Next")
    path = ef.path
    ef.close()
    assert main(["status", str(path), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)["audits"]
    assert shown == {"planned": 2, "done": 0, "ai_covered": False, "not_covered": 0,
                     "auditor_not_independent": 0}  # fmt: skip
    assert main(["list", str(path), "audits"]) == 0
    assert "AUD-002\tNext" in capsys.readouterr().out
    assert main(["list", str(path), "audit_lines", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in listed] == ["AUD-001-001", "AUD-001-002", "AUD-001-003"]
    out = tmp_path / "w.pdf"
    assert main(["export-audit-worksheet", str(path), "AUD-001", "-o", str(out)]) == 0
    subprocess.run([require_tool("qpdf"), "--check", str(out)], check=True, capture_output=True)
    text = subprocess.run(
        [require_tool("pdftotext"), "-layout", str(out), "-"], capture_output=True, text=True
    ).stdout
    assert "Internal audit worksheet" in text and "Vendor tool not assessed" in text
    for ref in ("P-8.4-01", "P-8.4-02", "P-8.4-03"):
        assert ref in text
    assert "Minor nonconformity" in text
    assert main(["export-audit-worksheet", str(path), "AUD-404", "-o", str(out)]) == 2
    assert capsys.readouterr().err.startswith("error: There is no audit AUD-404")
    assert main(["export-audit-worksheet", str(path), "AUD-002", "-o", str(out)]) == 2
    assert "no checklist yet" in capsys.readouterr().err


def _export(ef, path):
    for _ in export_workbook(ef, path):
        pass
    return path


def test_workbook_round_trip_of_audits_and_lines_and_a_row_error(ef, tmp_path):
    audit = _audit(ef, clauses="8.4")
    audits.draw_checklist(ef, audit)
    path = _export(ef, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    assert {"Audit programmes", "Audits", "Audit lines"} <= set(wb.sheetnames)
    ws = wb["Audit lines"]
    head = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "AUD-001-002")
    row[head.index("Result")].value = "Major nonconformity"
    row[head.index("Notes")].value = "HR tool never assessed"
    wb.save(path)
    apply(ef, build_plan(ef, path))
    line = register.get_item(ef, LINES, "AUD-001-002")
    assert (line.values["result"], line.values["notes"]) == ("major", "HR tool never assessed")
    # an audit marked done with no actual date: the row refused, naming sheet, row, column
    wb = openpyxl.load_workbook(path)
    ws = wb["Audits"]
    head = [c.value for c in ws[1]]
    ws.cell(2, head.index("Status") + 1).value = "Done"
    wb.save(path)
    plan = build_plan(ef, path)
    sheet = next(s for s in plan.sheets if s.sheet == "Audits")
    assert [(e.row, e.column) for e in sheet.errors] == [(2, "Actual date")]
    assert "give its actual date" in sheet.errors[0].message


def test_pack_section_lists_programme_audits_findings_and_coverage(ef, tmp_path):
    from app.services.pack import build as pack
    from app.services.progress import finish

    register.create(ef, PROGRAMMES, {"title": "Year 1", "clauses": "9.2"})
    audit = _audit(ef, clauses="8.4")
    audits.draw_checklist(ef, audit)
    _answer(ef, "AUD-001-002", "major", notes="HR tool never assessed")
    _done(ef, audit)
    out = tmp_path / "p.pdf"
    finish(pack.export(ef, out, ["readiness", "internal_audit"], kind="readiness"))
    text = subprocess.run(
        [require_tool("pdftotext"), str(out), "-"], capture_output=True, text=True
    ).stdout
    assert "Internal audit" in text and "HR tool never assessed" in text
    assert "not audited yet in its period: 9.2" in text
    assert "Not yet covered by an audit done before Stage 1: 6.1.4, 8.2, 8.3, Annex A" in text
    assert "IAU-03" in text and "IAU-02" in text


def test_a_line_keeps_its_audit_and_position(ef):
    audit = _audit(ef, clauses="8.4")
    audits.draw_checklist(ef, audit)
    with pytest.raises(FieldError, match="stays line 2 of AUD-001") as moved:
        register.update(ef, LINES, "AUD-001-002", {"position": 7})
    assert moved.value.field == "position"
    with pytest.raises(FieldError, match="Position 3 of AUD-001 is taken"):
        register.create(ef, LINES, {"id": "AUD-001-099", "title": "More", "audit": audit,
                                    "position": 3})  # fmt: skip
    register.create(ef, LINES, {"id": "AUD-001-004", "title": "Extra question", "audit": audit,
                                "position": 4})  # fmt: skip
    assert [i.id for i in audits.lines_of(ef, audit)][-1] == "AUD-001-004"
