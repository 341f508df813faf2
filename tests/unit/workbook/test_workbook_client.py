"""The exported workbook as the client uses it: new rows typed below the data (also through
LibreOffice), re-imported twice without duplicates, guidance columns, printing, validation,
the formula guard over every cell, and no temporary files left behind."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from app.services import status
from app.services.clauses import requirements
from app.services.engagement.file import open_engagement
from app.services.inventory import impact
from app.services.inventory import service as inventory
from app.services.registry import AREAS
from app.services.risks import service as risks
from app.services.workbook import export as workbook_export
from app.services.workbook.export import META_SHEET, export_workbook
from app.services.workbook.importer import apply, build_plan
from app.services.workbook.tables import tables
from tests.conftest import require_tool
from tests.unit.workbook.test_workbook import _export, _soffice


def _header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def _type_row(ws, row: int, values: dict[str, object]) -> None:
    header = _header(ws)
    for label, value in values.items():
        ws.cell(row, header.index(label) + 1, value)


# what a client types on each sheet that takes new rows (the sheet's first free row + 3)
NEW_ROWS = {
    "AI systems": {"Name": "Claims chatbot", "Vendor": "Botly Ltd", "Business owner": "Mia"},
    "Impact assessments": {"AI system": "Claims chatbot", "Date": dt.datetime(2026, 11, 20)},
    "Impacts": {"Impact assessment ID": "IA-0001", "Impact": "Applicants wrongly refused",
                "Severity": 4, "Likelihood": 2},
    "Risks": {"Title": "Chatbot gives wrong advice", "Inherent likelihood": 3,
              "Inherent impact": 4, "AI systems": "Claims chatbot"},
    "Treatment actions": {"Risk ID": "R-002", "Action": "Review prompts monthly"},
    "Issues": {"Issue": "Flooding risk at the data centre", "Category": "Environmental",
               "Owner": "Facilities"},
    "Interested parties": {"Party": "Insurers", "Type": "Partner"},
    "Party requirements": {"Requirement": "Yearly model report", "Interested party": "IP-002",
                           "Addressed by the AIMS": "Partly"},
    "Obligations": {"Obligation": "DORA", "Jurisdiction": "EU", "AI systems it applies to":
                    "AIS-002", "Owner": "CIO"},
    "Documents": {"Title": "Supplier due-diligence procedure", "Kind": "Procedure",
                  "Version": "1.0", "Next review": "2027-05-01", "AI systems it serves":
                  "AIS-002"},
    "People": {"Name": "Nina Patel", "Job title": "Model risk analyst",
               "Internal or external": "Contractor"},
    "Role holders": {"Role": "ROLE-05", "Person": "PER-008", "Holds it from": "2026-11-01"},
    "Objectives": {"Objective": "Fewer complaints about declines", "Target": 3,
                   "Evaluated every (months)": 1, "Owner": "Grace Okafor"},
    "Measurements": {"Objective": "OBJ-002", "Value": "4.9",
                     "Measured on": dt.datetime.combine(dt.date.today(), dt.time())},
    "Audit programmes": {"Programme": "Supplier audits 2027", "Period from": "2027-01-01"},
    "Audits": {"Audit": "Vendor AI tools", "Planned date": "2027-02-01", "Clauses in scope": "8.1"},
    "Nonconformities": {"Nonconformity": "Model weights backup never restored",
                        "Raised on": "2026-11-20", "Source": "Incident", "Grade": "Minor"},
    "Corrective actions": {"Action": "Test a restore every quarter", "Nonconformity": "NC-002",
                           "Owner": "CIO"},
    "Improvements": {"Opportunity": "A model card per AI system", "Decision": "Deferred"},
    "Management reviews": {"Title": "Review after the AI audit",
                           "Held on (or planned for)": "2027-02-01", "Attendees": "PER-002"},
    "Review actions": {"Action": "Budget the external auditor", "Decided at review": "MR-01",
                       "Owner": "Priya Shah", "Due": "2027-01-15"},
}  # fmt: skip


def test_editable_columns_stay_editable_below_the_data_and_rows_can_be_inserted(
    demo_file, tmp_path
):
    wb = openpyxl.load_workbook(_export(demo_file, tmp_path / "out.xlsx"))
    for table in tables():
        ws = wb[table.sheet]
        assert ws.protection.sheet and not ws.protection.insertRows  # insertRows=0: allowed
        assert not ws.protection.deleteRows and not ws.protection.sort
        locked = set(table.id_keys) | {c.key for c in table.columns if not c.editable}
        can_add = table.area.set_deleted is not None  # not the checklist or the SoA
        for index, column in enumerate(table.columns, 1):
            style = ws.column_dimensions[get_column_letter(index)]
            # the column's style is what every cell below the data (and an inserted row) has
            editable = can_add and column.key not in locked
            assert style.protection.locked == (not editable), (table.sheet, column.key)
            assert ws.cell(1, index).protection.locked  # the headings stay as they are


def test_new_rows_typed_on_every_sheet_and_resaved_by_libreoffice_import_once(demo_file, tmp_path):
    exported = _export(demo_file, tmp_path / "engagement.xlsx")
    wb = openpyxl.load_workbook(exported)
    for sheet, values in NEW_ROWS.items():
        ws = wb[sheet]
        row = ws.max_row + 3  # not the first empty row: anywhere below the data
        header = _header(ws)
        for label in values:
            column = ws.column_dimensions[get_column_letter(header.index(label) + 1)]
            assert not column.protection.locked, (sheet, label)
        _type_row(ws, row, values)
    # a line of the risk added on the Risks sheet, named by its title (it has no ID yet)
    actions = wb["Treatment actions"]
    new_line = {"Risk ID": "Chatbot gives wrong advice", "Action": "Add a human review step"}
    _type_row(actions, actions.max_row + 1, new_line)
    edited = tmp_path / "edited" / "engagement.xlsx"
    edited.parent.mkdir()
    wb.save(edited)
    resaved = _soffice(edited, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")
    # LibreOffice keeps the columns editable below the data for the client's next rows
    again = openpyxl.load_workbook(resaved)
    name_col = get_column_letter(_header(again["AI systems"]).index("Name") + 1)
    assert not again["AI systems"].column_dimensions[name_col].protection.locked
    assert again["AI systems"].column_dimensions["A"].protection.locked
    systems_before = len(inventory.list_systems(demo_file))
    plan = build_plan(demo_file, resaved)
    added = {s.sheet: sum(1 for r in s.added if not r.failed) for s in plan.sheets}
    assert plan.errors == 0, [(s.sheet, s.errors) for s in plan.sheets if s.errors]
    assert added == {
        "Checklist": 0, "AI systems": 1, "Impact assessments": 1, "Impacts": 1, "Risks": 1,
        "Treatment actions": 2, "SoA draft": 0, "Issues": 1, "Interested parties": 1,
        "Party requirements": 1, "Obligations": 1, "Documents": 1, "People": 1,
        "AIMS roles": 0, "Role holders": 1, "Required competence": 0, "Training": 0,
        "Verifications": 0, "Policy acknowledgements": 0, "Objectives": 1, "Measurements": 1,
        "Audit programmes": 1, "Audits": 1, "Audit lines": 0,
        "Nonconformities": 1, "Corrective actions": 1, "Improvements": 1,
        "Management reviews": 1, "Review inputs": 0, "Review actions": 1,
    }  # fmt: skip
    apply(demo_file, plan)
    people = status.summary(demo_file)["people"]
    # the auditor now held; Nina Patel typed on People, and the new rows' owners who were no
    # person yet (Mia, Facilities, CIO), added to People as the import's preview said
    assert (people["people"], people["roles_unassigned"]) == (12, 0)
    told = [w.message for s in plan.sheets for w in s.warnings if "no person yet" in w.message]
    assert any("Mia (1 row)" in m for m in told) and any("CIO (1 row)" in m for m in told)
    context = status.summary(demo_file)["context"]
    assert (context["issues"], context["interested_parties"]) == (6, 6)
    assert (context["party_requirements"], context["obligations"]) == (7, 6)
    assert status.summary(demo_file)["documents"]["total"] == 12  # the demo's 11 and the new one
    objectives = status.summary(demo_file)["objectives"]
    # OBJ-002 back on track at 4.9 (at most 5); the new objective not measured yet
    assert (objectives["total"], objectives["measurements"], objectives["off_track"]) == (6, 10, 0)
    assert status.summary(demo_file)["audits"]["planned"] == 2  # the demo's AUD-002 and the new
    systems = inventory.list_systems(demo_file)
    assert len(systems) == systems_before + 1
    chatbot = next(s for s in systems if s.name == "Claims chatbot")
    assert chatbot.source == "vendor"  # a vendor is named: bought from one
    risk = next(r for r in risks.list_risks(demo_file) if r.title == "Chatbot gives wrong advice")
    assert risk.systems == (chatbot.id,)  # the system added on the other sheet of the import
    assert [a.action for a in risk.actions] == ["Add a human review step"]
    assert [
        a.assessed_on for a in impact.list_assessments(demo_file) if a.system_id == chatbot.id
    ] == [dt.date(2026, 11, 20)]  # the assessment names the new system by name
    assert risks.get_risk(demo_file, "R-002").actions[-1].action == "Review prompts monthly"
    assert impact.get_assessment(demo_file, "IA-0001").impacts[-1].severity == 4
    # the same workbook imported again adds nothing twice, and says why
    second = build_plan(demo_file, resaved)
    assert sum(len(s.added) for s in second.sheets) == 0
    assert second.changes == 0 and second.errors == 0
    said = [w.message for s in second.sheets for w in s.warnings]
    assert any(chatbot.id in m and "Claims chatbot" in m for m in said), said
    assert len(inventory.list_systems(demo_file)) == systems_before + 1


def test_guidance_columns_are_locked_grey_and_ignored_on_import(demo_file, tmp_path):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    checklist, soa_ws = wb["Checklist"], wb["SoA draft"]
    point = demo_file.catalog.points[0]
    control = demo_file.catalog.controls[0]
    for ws, labels, row, texts in (
        (checklist, ("Question to ask", "Typical evidence"), 2, (point.question, point.evidence)),
        (soa_ws, ("What the control is about",), 2, (control.summary,)),
    ):
        for label, text in zip(labels, texts, strict=True):
            cell = ws.cell(row, _header(ws).index(label) + 1)
            assert cell.value == text
            assert cell.protection.locked and cell.fill.fgColor.rgb.endswith("E8EBEF")
            cell.value = "Typed over by the client"
    wb.save(path)
    plan = build_plan(demo_file, path)
    assert plan.changes == 0 and plan.errors == 0


def test_the_workbook_prints_landscape_one_page_wide_with_headings_on_every_page(
    demo_file, tmp_path
):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_area
        if ws.title != "Instructions":
            assert ws.print_title_rows == "$1:$1"
    # a row the client types well below the data is inside the print area too
    _type_row(wb["AI systems"], wb["AI systems"].max_row + 20, {"Name": "Typed far below"})
    typed = tmp_path / "typed" / "out.xlsx"
    typed.parent.mkdir()
    wb.save(typed)
    pdf = _soffice(typed, tmp_path / "pdf", "pdf")
    tool = require_tool("pdftotext")
    pages = subprocess.run(
        [tool, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")[:-1]
    info = subprocess.run([require_tool("pdfinfo"), str(pdf)], capture_output=True, text=True)
    assert f"Pages:           {len(pages)}" in info.stdout
    footers = [next(line for line in reversed(p.splitlines()) if "page" in line) for p in pages]
    sheets = [f.strip().split(", page")[0] for f in footers]
    assert sheets.count("Instructions") == 1  # the Instructions fit their page
    # one page wide: the demo's sheets on few pages (about one each; the checklist takes more)
    assert len(pages) < len(list(tables())) + 10, len(pages)
    for page, sheet in zip(pages, sheets, strict=True):
        if sheet in {t.sheet for t in tables()}:
            first = next(line for line in page.splitlines() if line.strip())
            table = next(t for t in tables() if t.sheet == sheet)
            assert first.split()[0] == table.columns[0].label.split()[0]  # headings repeated
    assert any(
        "Typed far below" in p for p, s in zip(pages, sheets, strict=True) if s == "AI systems"
    )
    instructions = pages[0]
    assert "type it in any empty row below the last one, or insert a row" in " ".join(
        instructions.split()
    )


def test_dates_and_ratings_are_validated_and_titles_fit(demo_file, tmp_path):
    wb = openpyxl.load_workbook(_export(demo_file, tmp_path / "out.xlsx"))
    criteria = risks.get_criteria(demo_file)
    for table in tables():
        ws = wb[table.sheet]
        rules = {
            str(dv.sqref).split(":")[0].rstrip("0123456789"): dv
            for dv in ws.data_validations.dataValidation
        }
        for index, column in enumerate(table.columns, 1):
            letter = get_column_letter(index)
            words = max(len(w) for w in column.label.split())
            assert ws.column_dimensions[letter].width >= words + 2, (table.sheet, column.label)
            spec = column.spec
            if spec is None or column.to_cell is not None or column.key in table.id_keys:
                continue
            rule = rules.get(letter)
            if spec.kind == "date":
                assert rule is not None and rule.type == "date", (table.sheet, column.label)
            if spec.kind == "int":
                assert rule is not None and rule.type == "whole" and rule.operator == "between"
                # every rating is on the engagement's criteria: a risk's, an impact's
                scale = len(criteria.impact if spec.scale == "impact" else criteria.likelihood)
                high = scale if spec.scale else spec.high
                assert (rule.formula1, rule.formula2) == ("1", str(high)), column.key


PAYLOADS = ("=1+2", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", '=HYPERLINK("x")')


def test_every_cell_of_the_workbook_is_text_never_a_formula(new_file, tmp_path):
    ef = new_file
    ef.update_details(
        client="=cmd|' /C calc'!A0", consultant='=HYPERLINK("http://x")', scope_statement="=1+1"
    )
    payloads = iter(PAYLOADS * 200)
    system = inventory.create_system(ef, {"name": "=System"})
    for area in AREAS:
        for column in area.columns:
            spec = column.spec
            if spec is None or spec.kind not in ("text", "long") or column.key == "id":
                continue
            if area.kind == "inventory":
                inventory.update_system(ef, system, {column.key: next(payloads)})
    risk_values = {
        k: next(payloads)
        for k, spec in risks.FIELDS.items()
        if spec.kind in ("text", "long") and k not in ("accepted_by", "residual_comment")
    }
    risk_id, _ = risks.save_risk(
        ef, None, {**risk_values, "title": "=Risk", "inherent_likelihood": 1, "inherent_impact": 1},
        (system,),
        actions=[risks.Action(action="=act", owner="-owner", due_date=None, done=False)],
    )  # fmt: skip
    impact.create_assessment(
        ef, system,
        {k: next(payloads) for k, s in impact.FIELDS.items() if s.kind in ("text", "long")}
        | {"assessed_on": dt.date(2026, 1, 1)},
        [{"scope": "individuals", "description": "=impact", "severity": 1, "likelihood": 1}],
    )  # fmt: skip
    from app.services.soa import service as soa

    first = ef.catalog.points[0].id
    for name, spec in requirements.FIELDS.items():
        if spec.kind in ("text", "long"):
            requirements.set_values(ef, name, {first: next(payloads)})
    for name, spec in soa.FIELDS.items():
        if spec.kind in ("text", "long"):
            soa.set_values(ef, name, {"A.2.2": next(payloads)})
    # the reference sheets: criteria labels, and an issued SoA approved by "=someone"
    import dataclasses

    criteria = risks.get_criteria(ef)
    level = dataclasses.replace(criteria.likelihood[0], label="=Rare", description="-seldom")
    new = dataclasses.replace(criteria, likelihood=(level, *criteria.likelihood[1:]))
    for _ in risks.change_criteria(ef, new):
        pass
    # since issue 14 only a complete SoA is issued: every control decided
    soa.set_values(ef, "decision", {c.id: "included" for c in ef.catalog.controls})
    soa.issue(ef, approved_by="=Board")
    wb = openpyxl.load_workbook(_export(ef, tmp_path / "out.xlsx"))
    assert wb["Risk criteria"]["C2"].value == "=Rare"
    assert "=Board" in wb["SoA issued"]["B2"].value
    seen = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                seen += isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\r"
    assert seen > 30
    assert wb["Instructions"]["A1"].value.endswith("=cmd|' /C calc'!A0")
    assert wb["Instructions"]["B3"].value == '=HYPERLINK("http://x")'
    assert wb["Instructions"]["B4"].value == "=1+1"
    assert any(r[1].value == "=cmd|' /C calc'!A0" for r in wb[META_SHEET].iter_rows())
    assert risk_id


def _leftovers(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.name.endswith(".partial") or "export" in p.name or "openpyxl" in p.name
    )


def test_an_export_that_fails_midway_leaves_nothing_and_temp_files_stay_beside_it(
    demo_file, tmp_path, monkeypatch
):
    import tempfile

    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    target = tmp_path / "out" / "client.xlsx"
    target.parent.mkdir()
    seen_beside: list[str] = []
    real = workbook_export._write_table

    def failing(wb, table, *args):
        yield from real(wb, table, *args)
        seen_beside.extend(_leftovers(target.parent))
        if table.sheet == "Risks":
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(workbook_export, "_write_table", failing)
    with pytest.raises(OSError):
        _export(demo_file, target)
    assert seen_beside and all(
        n.startswith(".client.xlsx.") and n.endswith(f".{os.getpid()}.partial") for n in seen_beside
    )
    assert _leftovers(target.parent) == [] and list(system_temp.iterdir()) == []
    assert not target.exists()
    # cancelled (the generator closed midway): nothing left either
    monkeypatch.setattr(workbook_export, "_write_table", real)
    progress = export_workbook(demo_file, target)
    next(progress), next(progress)
    progress.close()
    assert _leftovers(target.parent) == [] and list(system_temp.iterdir()) == []


def test_leftovers_of_an_export_killed_midway_are_removed_by_the_next(demo_file, tmp_path):
    target = tmp_path / "client.xlsx"
    pid = _gone_pid()
    stale = [tmp_path / f".client.xlsx.sheet-xml-ab12cd34.{pid}.partial",  # a sheet's
             tmp_path / f".client.xlsx.{pid}.partial"]  # the workbook being moved in  # fmt: skip
    for path in stale:
        path.write_text("client data")
    old_style = tmp_path / ".export-k2j3h4.xlsx"  # what versions before this one left
    old_style.write_text("client data")
    os.utime(old_style, (1_000_000_000, 1_000_000_000))
    running = tmp_path / f".other.xlsx.sheet-xml-0000.{os.getppid()}.partial"  # still writing
    running.write_text("x")
    _export(demo_file, target)
    assert _leftovers(tmp_path) == [running.name]
    assert target.exists()
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _gone_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# the command line: changes and conflicts in the JSON, --take, --show-mapping


def test_dry_run_json_lists_each_change_and_conflict_and_take_theirs_settles_them(
    demo_file, tmp_path, capsys
):
    from app.cli import main

    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["AI systems"]
    _type_row(ws, 2, {"Business owner": "Client value"})
    _type_row(ws, 3, {"Vendor": "Acme AI"})
    wb.save(path)
    inventory.update_system(demo_file, "AIS-001", {"business_owner": "App value"})
    vendor_before = inventory.get_system(demo_file, "AIS-002").vendor
    demo_file.close()
    args = ["import-xlsx", str(demo_file.path), str(path), "--json"]
    assert main([*args, "--dry-run"]) == 0
    data = json.loads(capsys.readouterr().out)
    sheet = next(s for s in data["sheets"] if s["sheet"] == "AI systems")
    assert (sheet["updated"], sheet["conflicts"]) == (1, 1)  # the counts as before
    assert sheet["changes"] == [
        {"row": 3, "id": "AIS-002", "field": "vendor", "old": vendor_before, "new": "Acme AI"}
    ]
    assert sheet["conflict_values"] == [
        {"row": 2, "id": "AIS-001", "field": "business_owner", "ours": "App value",
         "theirs": "Client value"}
    ]  # fmt: skip
    assert all(s["changes"] == [] for s in data["sheets"] if s["sheet"] != "AI systems")
    assert main([*args, "--take", "theirs"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["applied"] is True
    with open_engagement(demo_file.path, read_only=True) as ef:
        assert inventory.get_system(ef, "AIS-001").business_owner == "Client value"
        assert inventory.get_system(ef, "AIS-002").vendor == "Acme AI"


def _foreign(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Our AI tools"
    ws.append(["AI tools in use (March)"])
    ws.append(["Tool name", "Used for", "Supplier", "Go-live", "In scope?", "Comments"])
    ws.append(["HireScreen", "Screening CVs", "TalentCo", dt.datetime(2025, 3, 1), "Yes", "ask HR"])
    ws.append(
        ["Forecast bot", "Cash forecasting", "", dt.datetime(2024, 6, 1), "No", "owned by FP&A"]
    )
    wb.save(path)
    return path


def test_foreign_headings_a_vendor_named_and_the_mapping_shown_edited_and_used(
    demo_file, tmp_path, capsys
):
    from app.cli import main

    path = _foreign(tmp_path / "tools.xlsx")
    demo_file.close()
    assert main(["import-xlsx", str(demo_file.path), str(path), "--show-mapping"]) == 0
    shown = json.loads(capsys.readouterr().out)
    layout = shown["sheets"]["Our AI tools"]
    assert (layout["kind"], layout["header_row"]) == ("inventory", 2)
    assert layout["columns"] == {
        "Tool name": "name", "Used for": "intended_use", "Supplier": "vendor",
        "Go-live": "deployment_date", "In scope?": "in_scope", "Comments": "",
    }  # fmt: skip
    assert layout["fields"]["ai_act_note"] == "EU AI Act note"
    layout["columns"]["Comments"] = "human_oversight"  # the consultant edits the saved file
    mapping = tmp_path / "tools-mapping.json"
    mapping.write_text(json.dumps(shown))
    args = ["import-xlsx", str(demo_file.path), str(path), "--mapping", str(mapping)]
    assert main(args) == 0
    capsys.readouterr()
    with open_engagement(demo_file.path, read_only=True) as ef:
        by_name = {s.name: s for s in inventory.list_systems(ef)}
    hire, forecast = by_name["HireScreen"], by_name["Forecast bot"]
    assert (hire.intended_use, hire.vendor, hire.source) == ("Screening CVs", "TalentCo", "vendor")
    assert hire.deployment_date == dt.date(2025, 3, 1) and hire.in_scope
    assert hire.human_oversight == "ask HR"
    assert forecast.source == "in_house" and not forecast.in_scope  # no vendor: as it was
    # the same foreign workbook again: matched by name, nothing added twice
    assert main([*args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sheets"][0]["added"] == 0


def test_a_formula_without_its_result_never_clears_a_stored_value(demo_file, tmp_path):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Checklist"]
    notes = _header(ws).index("Notes") + 1
    point = ws.cell(2, 1).value
    before = next(p for p in requirements.list_points(demo_file) if p.id == point).notes
    assert before
    ws.cell(2, notes, '=CONCATENATE("see ", "minutes")')  # openpyxl saves no result
    wb.save(path)
    plan = build_plan(demo_file, path)
    checklist = next(s for s in plan.sheets if s.sheet == "Checklist")
    assert checklist.updated == [] and plan.changes == 0
    (warning,) = checklist.warnings
    assert (warning.row, warning.column) == (2, "Notes") and "formula" in warning.message
    apply(demo_file, plan)
    assert next(p for p in requirements.list_points(demo_file) if p.id == point).notes == before


@pytest.mark.parametrize("chunk", [97, 4096, 1 << 20])
def test_formulas_without_results_are_found_wherever_the_file_is_cut(tmp_path, monkeypatch, chunk):
    from app.services.workbook import read as workbook_read

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Risks"
    for row in range(1, 400):
        ws.append([f"text {row} " * (row % 7), row, "=A1" if row % 37 == 0 else "plain"])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    monkeypatch.setattr(workbook_read, "CHUNK", chunk)
    (sheet,) = workbook_read.read_workbook(path)
    assert sheet.uncached == {(row - 1, 2) for row in range(37, 400, 37)}
