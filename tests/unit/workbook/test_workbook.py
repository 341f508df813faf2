"""The Excel round trip: export every area, the client edits, import back with a preview of
exactly those changes; conflicts, deletions, foreign workbooks and mappings, LibreOffice."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.services.clauses import requirements
from app.services.inventory import impact
from app.services.inventory import service as inventory
from app.services.registry import AREAS
from app.services.risks import service as risks
from app.services.soa import service as soa
from app.services.workbook import importer as workbook_import
from app.services.workbook.export import META_SHEET, export_workbook
from app.services.workbook.importer import apply, build_plan, redo, undo
from app.services.workbook.tables import tables
from tests.conftest import FIXTURES, require_tool

REAL = FIXTURES / "real-workbooks/urielle"  # copied in from shared/ with their MIT licence
LONG = "Ünïcödé ✓ Ωmega 株式会社 " + "long text " * 1500  # ~15,000 characters


def _export(ef, path: Path) -> Path:
    for _ in export_workbook(ef, path):
        pass
    return path


def _counts(plan):
    return {
        s.sheet: (s.to_json()["added"], s.to_json()["updated"], len(s.errors)) for s in plan.sheets
    }


def _no_changes(plan) -> bool:
    return plan.changes == 0 and plan.errors == 0 and not any(s.conflicts for s in plan.sheets)


def test_export_has_every_area_every_field_and_the_hidden_baseline(demo_file, tmp_path):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    for table in tables():
        ws = wb[table.sheet]
        assert [c.value for c in ws[1]] == [c.label for c in table.columns]
        assert ws.freeze_panes == "B2" and ws.auto_filter.ref
        assert ws.protection.sheet  # ID columns locked; the rest is not
        id_col = [c.key for c in table.columns].index(table.id_keys[0]) + 1
        assert ws.cell(2, id_col).protection.locked
        editable = next(i for i, c in enumerate(table.columns, 1) if c.editable and c.key != "no")
        assert not ws.cell(2, editable).protection.locked
    assert wb[META_SHEET].sheet_state == "veryHidden"
    assert wb["Instructions"].sheet_state == "visible"
    systems = wb["AI systems"]
    assert systems.max_row - 1 == len(inventory.list_systems(demo_file))
    date_col = [c.value for c in systems[1]].index("Deployment date") + 1
    assert isinstance(systems.cell(2, date_col).value, dt.datetime)  # a real date
    lists = {
        str(dv.sqref).split(":")[0].rstrip("0123456789")
        for dv in systems.data_validations.dataValidation
    }
    role_col = openpyxl.utils.get_column_letter(
        [c.value for c in systems[1]].index("Organization's role") + 1
    )
    assert role_col in lists  # drop-down on the enumerated field
    assert (
        wb["SoA draft"].max_row == len(soa.list_lines(demo_file)) + 1  # Annex A and beyond
        and wb["Checklist"].max_row == len(requirements.list_points(demo_file)) + 1
    )


@pytest.fixture(params=["digest", "field by field"])
def compare(request, monkeypatch):
    """Unchanged rows are recognised by their digest; the same round trips must also hold
    when every row is read back and compared field by field."""
    if request.param == "field by field":
        monkeypatch.setattr(workbook_import, "_changed_since", lambda ef, at: None)
    return request.param


def test_round_trip_without_edits_changes_nothing(demo_file, tmp_path, compare):
    plan = build_plan(demo_file, _export(demo_file, tmp_path / "out.xlsx"))
    assert plan.own and _no_changes(plan), _counts(plan)
    assert {s.kind for s in plan.sheets} == {a.kind for a in AREAS}


def test_round_trip_keeps_unicode_long_text_empty_cells_dates_and_formula_like_text(
    demo_file, tmp_path, compare
):
    inventory.update_system(
        demo_file,
        "AIS-001",
        {"description": LONG, "vendor": "", "deployment_date": dt.date(2024, 2, 29)},
    )
    inventory.update_system(
        demo_file,
        "AIS-002",
        {
            "business_owner": '=HYPERLINK("http://x")',
            "vendor": "+44 20 7946 0000",
            "intended_use": "-not a formula",
            "foreseeable_misuse": "@mention",
        },
    )
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb["AI systems"]["D3"].data_type == "s"  # stored as text, never as a formula
    plan = build_plan(demo_file, path)
    assert _no_changes(plan), _counts(plan)
    # and the values survive a re-import into a fresh copy of the engagement untouched
    assert inventory.get_system(demo_file, "AIS-001").description == LONG


def test_client_edits_arrive_as_exactly_those_changes_and_undo_in_one_step(demo_file, tmp_path):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["AI systems"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("Business owner") + 1, "Zoë Ødegaard")
    ws.cell(3, header.index("Deployment date") + 1, dt.datetime(2023, 12, 1))
    ws.append([None, "Fraud triage assistant", "Ranks alerts"])
    wb["Risks"].cell(2, [c.value for c in wb["Risks"][1]].index("Treatment") + 1, "Retain (accept)")
    actions = wb["Treatment actions"]
    actions.append(["R-002", None, "Retrain on 2026 data", "Tom", dt.datetime(2027, 1, 5), "No"])
    soa_ws = wb["SoA draft"]
    soa_header = [c.value for c in soa_ws[1]]  # by heading: the guidance column moved them
    soa_ws.cell(3, soa_header.index("Decision") + 1, "Excluded")
    soa_ws.cell(
        3,
        soa_header.index("Justification for exclusion") + 1,
        "Not relevant to the systems in scope",
    )
    points = wb["Checklist"]
    # a status the client changes (whatever the demo's checklist holds for the first point)
    status_cell = points.cell(2, [c.value for c in points[1]].index("Status") + 1)
    status_cell.value = "In progress" if status_cell.value != "In progress" else "Implemented"
    wb.save(path)
    before_risk = risks.get_risk(demo_file, "R-002")
    # the demo's dates are relative to the day it is made
    before_fraud = inventory.get_system(demo_file, "AIS-002").deployment_date
    plan = build_plan(demo_file, path)
    assert _counts(plan) == {
        "Checklist": (0, 1, 0), "AI systems": (1, 2, 0), "Impact assessments": (0, 0, 0),
        "Impacts": (0, 0, 0), "Risks": (0, 1, 0), "Treatment actions": (1, 0, 0),
        "SoA draft": (0, 1, 0), "Issues": (0, 0, 0), "Interested parties": (0, 0, 0),
        "Party requirements": (0, 0, 0), "Obligations": (0, 0, 0), "Documents": (0, 0, 0),
        "People": (0, 0, 0), "AIMS roles": (0, 0, 0), "Role holders": (0, 0, 0),
        "Required competence": (0, 0, 0), "Training": (0, 0, 0), "Verifications": (0, 0, 0),
        "Policy acknowledgements": (0, 0, 0),
        "Objectives": (0, 0, 0), "Measurements": (0, 0, 0),
        "Audit programmes": (0, 0, 0), "Audits": (0, 0, 0), "Audit lines": (0, 0, 0),
        "Nonconformities": (0, 0, 0), "Corrective actions": (0, 0, 0), "Improvements": (0, 0, 0),
        "Management reviews": (0, 0, 0), "Review inputs": (0, 0, 0), "Review actions": (0, 0, 0),
    }  # fmt: skip
    changed = next(s for s in plan.sheets if s.sheet == "AI systems").updated
    assert [(c.label, c.old, c.new) for r in changed for c in r.changes] == [
        ("Business owner", "Priya Shah (Chief Risk Officer)", "Zoë Ødegaard"),
        ("Deployment date", before_fraud.isoformat(), "2023-12-01"),
    ]
    steps = apply(demo_file, plan)
    assert inventory.get_system(demo_file, "AIS-001").business_owner == "Zoë Ødegaard"
    assert any(s.name == "Fraud triage assistant" for s in inventory.list_systems(demo_file))
    assert risks.get_risk(demo_file, "R-002").actions[-1].action == "Retrain on 2026 data"
    assert soa.get_line(demo_file, "A.2.3").decision == "excluded"
    # nothing else changed: a second import of the same workbook has nothing left to do
    again = build_plan(demo_file, path)
    assert sum(len(s.updated) for s in again.sheets) == 0
    undo(demo_file, steps)
    assert (
        inventory.get_system(demo_file, "AIS-001").business_owner
        == "Priya Shah (Chief Risk Officer)"
    )
    assert not any(s.name == "Fraud triage assistant" for s in inventory.list_systems(demo_file))
    assert risks.get_risk(demo_file, "R-002") == before_risk
    assert soa.get_line(demo_file, "A.2.3").decision == "included"


def test_conflict_when_app_and_client_changed_the_same_field(demo_file, tmp_path):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["AI systems"]["D2"] = "Client value"
    wb["AI systems"]["D3"] = "Client only"
    wb.save(path)
    inventory.update_system(demo_file, "AIS-001", {"business_owner": "App value"})
    inventory.update_system(demo_file, "AIS-003", {"business_owner": "App only"})
    plan = build_plan(demo_file, path)
    sheet = next(s for s in plan.sheets if s.sheet == "AI systems")
    (conflict,) = sheet.conflicts
    assert (conflict.key, conflict.app, conflict.workbook) == (
        "AIS-001",
        "App value",
        "Client value",
    )
    apply(demo_file, plan)  # by default the app's value stays
    assert inventory.get_system(demo_file, "AIS-001").business_owner == "App value"
    assert inventory.get_system(demo_file, "AIS-002").business_owner == "Client only"
    assert inventory.get_system(demo_file, "AIS-003").business_owner == "App only"  # not a conflict
    plan = build_plan(demo_file, path)
    plan.sheets[1].conflicts[0].take_workbook = True
    apply(demo_file, plan)
    assert inventory.get_system(demo_file, "AIS-001").business_owner == "Client value"


def test_deleted_rows_are_reported_and_never_deleted(demo_file, tmp_path):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Risks"].delete_rows(3)
    wb.save(path)
    plan = build_plan(demo_file, path)
    sheet = next(s for s in plan.sheets if s.sheet == "Risks")
    assert [w.row for w in sheet.warnings] == [3]
    assert "R-002" in sheet.warnings[0].message and "stays" in sheet.warnings[0].message
    apply(demo_file, plan)
    assert risks.get_risk(demo_file, "R-002")


def test_deleted_child_rows_and_edited_criteria_are_reported_not_applied(demo_file, tmp_path):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Treatment actions"].delete_rows(3)
    wb["Risk criteria"]["C2"] = "Very rare"
    wb.save(path)
    before = risks.get_criteria(demo_file)
    plan = build_plan(demo_file, path)
    by_name = {s.sheet: s for s in plan.sheets}
    (deleted,) = by_name["Treatment actions"].warnings
    assert deleted.row == 3 and "line 2 of risk R-001" in deleted.message
    (criteria,) = by_name["Risk criteria"].warnings
    assert "not imported" in criteria.message and "Risks > Criteria" in criteria.message
    apply(demo_file, plan)
    assert risks.get_criteria(demo_file) == before
    assert len(risks.get_risk(demo_file, "R-001").actions) == 2


def test_json_shape_of_the_cli(demo_file, tmp_path, capsys):
    path = _export(demo_file, tmp_path / "out.xlsx")
    demo_file.close()
    assert main(["import-xlsx", str(demo_file.path), str(path), "--dry-run", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["applied"] is False
    keys = {
        "sheet",
        "kind",
        "header_row",
        "rows",
        "added",
        "updated",
        "unchanged",
        "conflicts",
        "errors",
        "warnings",
        "changes",
        "conflict_values",
    }
    assert all(set(s) == keys for s in data["sheets"])
    assert {s["kind"] for s in data["sheets"]} <= {
        "issues",
        "interested_parties",
        "party_requirements",
        "obligations",
        "requirements",
        "inventory",
        "impact_assessments",
        "risks",
        "soa",
        "documents",
        "objectives",
        "measurements",
        "people",
        "roles",
        "role_holders",
        "role_competences",
        "training",
        "verifications",
        "acknowledgements",
        "audit_programmes",
        "audits",
        "audit_lines",
        "nonconformities",
        "corrective_actions",
        "improvements",
        "reviews",
        "review_inputs",
        "review_actions",
        "unknown",
    }


def test_export_cli_writes_the_workbook_and_refuses_an_unwritable_place(
    demo_file, tmp_path, capsys
):
    demo_file.close()
    out = tmp_path / "client.xlsx"
    assert main(["export-xlsx", str(demo_file.path), "-o", str(out)]) == 0
    assert openpyxl.load_workbook(out)["AI systems"]["B2"].value
    assert main(["export-xlsx", str(demo_file.path), "-o", str(tmp_path / "nope" / "x.xlsx")]) == 2
    assert "does not exist" in capsys.readouterr().err


# foreign workbooks


def test_real_risk_register_banner_rows_multiline_headers_and_text_numbers(demo_file, tmp_path):
    source = shutil.copy(REAL / "S5-02_AI_Risk_Register_Template.xlsx", tmp_path)
    plan = build_plan(demo_file, Path(source))
    by_name = {s.sheet: s for s in plan.sheets}
    register = by_name["Risk Register"]
    assert (register.kind, register.header_row, len(register.added), register.errors) == (
        "risks",
        5,
        17,
        [],
    )
    assert by_name["Template (Blank)"].to_json()["added"] == 0  # placeholder rows are not data
    assert any("new risk category" in w.message for w in register.warnings)
    assert any(w.column == "Review date" for w in register.warnings)  # "Jun 2026 — ACTIVE"
    count = len(risks.list_risks(demo_file))
    apply(demo_file, plan)
    imported = risks.get_risk(demo_file, "R-EI-01")
    assert (imported.inherent_likelihood, imported.inherent_impact, imported.residual_impact) == (
        3,
        4,
        3,
    )
    assert imported.owner == "William Hartono" and imported.category == "ENFORCEMENT INTEGRITY"
    assert "Review Date / Status: Jun 2026 — ACTIVE" in imported.description  # never dropped
    assert len(risks.list_risks(demo_file)) == count + 17
    again = build_plan(demo_file, Path(source))  # importing the same file twice adds nothing
    assert next(s for s in again.sheets if s.sheet == "Risk Register").to_json()["added"] == 0


def test_foreign_import_undone_and_redone_keeps_the_clients_ids(demo_file, tmp_path):
    source = Path(shutil.copy(REAL / "S5-02_AI_Risk_Register_Template.xlsx", tmp_path))
    count = len(risks.list_risks(demo_file))
    steps = apply(demo_file, build_plan(demo_file, source))
    imported = risks.get_risk(demo_file, "R-EI-01")
    undo(demo_file, steps)
    assert len(risks.list_risks(demo_file)) == count
    redo(demo_file, steps)
    assert len(risks.list_risks(demo_file)) == count + 17
    assert risks.get_risk(demo_file, "R-EI-01") == imported


@pytest.mark.parametrize(
    ("name", "sheet", "kind", "header_row"),
    [
        ("4.1_Context_Register.xlsx", "Clause 4.1 — Context Register", "requirements", 4),
        ("5_Leadership_Clause_Register.xlsx", "Clause 5 — Leadership", "requirements", 4),
        ("4.2_Stakeholder_Register.xlsx", "Clause 4.2 Stakeholder Register", "requirements", 4),
        ("4.4_AIMS_Process_Map.xlsx", "Clause 4.4 AIMS Process Map", "requirements", 4),
        ("S5-11_AIMS_Role_and_Accountability_Register_Template.xlsx", "Role Register", "people", 4),
        ("S5-02_AI_Risk_Register_Template.xlsx", "README", "unknown", 0),
    ],
)
def test_real_workbooks_kind_and_header_row(demo_file, name, sheet, kind, header_row):
    plan = build_plan(demo_file, REAL / name)
    found = next(s for s in plan.sheets if s.sheet == sheet)
    assert (found.kind, found.header_row) == (kind, header_row)


def test_foreign_values_are_normalised(demo_file, tmp_path):
    path = tmp_path / "client risks.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Our AI risk register 2026"])
    ws.append([])
    ws.append(
        [
            "Risk title",
            "Likelihood",
            "Impact",
            "Treatment option",
            "Annex A control",
            "Review date",
            "AI system",
        ]
    )
    ws.append(
        ["Drift", "3", 4.0, "Mitigate", "A 6.2.6, 7.4", "14/06/2027", "Credit decisioning model"]
    )
    ws.append(["Vendor lock", 2, 2, "accept", "a.10.3", 46000, "Shadow chatbot"])
    ws.append(["Ambiguous", 2, 2, "transfer", "", "05/06/2027", ""])
    ws.append(["[Risk title]", "[1-5]", "[1-5]", "", "", "", ""])
    ws.append(["Total", 7, 8, "", "", "", ""])
    wb.save(path)
    plan = build_plan(demo_file, path)
    (sheet,) = plan.sheets
    assert (sheet.kind, sheet.header_row, sheet.rows) == ("risks", 3, 3)
    drift, lock, ambiguous = (r.values for r in sheet.added)
    assert (
        drift["treatment"] == "modify"
        and lock["treatment"] == "retain"
        and ambiguous["treatment"] == "share"
    )
    assert [c["control_id"] for c in drift["controls"]] == ["A.6.2.6", "A.7.4"]
    assert drift["review_date"] == dt.date(2027, 6, 14) and lock["review_date"] == dt.date(
        2025, 12, 9
    )
    assert drift["systems"] == ("AIS-001",)  # named by its name
    assert lock["systems"] == () and "Shadow chatbot" in str(lock["description"])
    assert any("could be 05 June 2027 or 06 May 2027" in w.message for w in sheet.warnings)


def test_saved_mapping_is_used_for_the_next_workbook(demo_file, tmp_path, capsys):
    path = tmp_path / "odd.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Stuff"
    ws.append(["Thing", "Who", "Where it lives"])
    ws.append(["Chat helper", "Ana", "Marketing"])
    wb.save(path)
    assert build_plan(demo_file, path).sheets[0].kind == "unknown"
    mapping = tmp_path / "client.json"
    mapping.write_text(
        json.dumps(
            {
                "sheets": {
                    "Stuff": {
                        "kind": "inventory",
                        "header_row": 1,
                        "columns": {"Thing": "name", "Who": "business_owner"},
                    }
                }
            }
        )
    )
    demo_file.close()
    assert (
        main(["import-xlsx", str(demo_file.path), str(path), "--mapping", str(mapping), "--json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["applied"] and data["sheets"][0]["added"] == 1
    from app.services.engagement.file import open_engagement

    with open_engagement(demo_file.path) as ef:
        added = next(s for s in inventory.list_systems(ef) if s.name == "Chat helper")
        assert added.business_owner == "Ana" and "Where it lives: Marketing" in added.description


def test_xlsm_is_read_for_its_values_only(demo_file, tmp_path):
    import zipfile

    exported = _export(demo_file, tmp_path / "out.xlsx")
    macro = tmp_path / "with macros.xlsm"
    with zipfile.ZipFile(exported) as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 pretend macro storage")
    assert _no_changes(build_plan(demo_file, macro))


def test_csv_is_read(demo_file, tmp_path):
    path = tmp_path / "systems.csv"
    path.write_text(
        "System name;Owner;Lifecycle stage\nInvoice OCR;Finance;Deployed\n", encoding="utf-8"
    )
    (sheet,) = build_plan(demo_file, path).sheets
    assert sheet.kind == "inventory" and sheet.added[0].values["stage"] == "deployed"


def test_impacts_round_trip_through_their_own_sheet(demo_file, tmp_path):
    assessment = impact.list_assessments(demo_file)[0]
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Impacts"]
    ws.append([assessment.id, None, "Society", "Loss of trust in lending", 2, 3])
    wb.save(path)
    apply(demo_file, build_plan(demo_file, path))
    after = impact.get_assessment(demo_file, assessment.id)
    assert len(after.impacts) == len(assessment.impacts) + 1
    assert after.impacts[-1].description == "Loss of trust in lending"


# LibreOffice as the client


def _soffice(src: Path, out: Path, fmt: str) -> Path:
    tool = require_tool("soffice")
    out.mkdir(exist_ok=True)
    subprocess.run(
        [tool, "--headless", "--norestore", f"-env:UserInstallation=file://{out}/profile",
         "--convert-to", fmt, "--outdir", str(out), str(src)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    result = out / f"{src.stem}.{fmt.split(':')[0]}"
    assert result.exists(), "soffice exits 0 even when it fails"
    return result


def test_libreoffice_round_trip(demo_file, tmp_path, compare):
    exported = _export(demo_file, tmp_path / "engagement.xlsx")
    resaved = _soffice(exported, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")
    assert _no_changes(build_plan(demo_file, resaved)), _counts(build_plan(demo_file, resaved))
    ods = _soffice(exported, tmp_path / "lo-ods", "ods")
    assert _no_changes(build_plan(demo_file, ods))
    # edits made with the client's program arrive as exactly those changes
    wb = openpyxl.load_workbook(resaved)
    wb["AI systems"]["D2"] = "Edited in LibreOffice"
    wb["SoA draft"]["N2"] = "Jan Nowak"  # Owner (M before the guidance column came in)
    edited = tmp_path / "edited" / "engagement.xlsx"
    edited.parent.mkdir()
    wb.save(edited)
    again = _soffice(edited, tmp_path / "lo2", "xlsx:Calc MS Excel 2007 XML")
    plan = build_plan(demo_file, again)
    changes = [(s.sheet, c.label, c.new) for s in plan.sheets for r in s.updated for c in r.changes]
    assert changes == [
        ("AI systems", "Business owner", "Edited in LibreOffice"),
        ("SoA draft", "Owner", "Jan Nowak"),
    ]
