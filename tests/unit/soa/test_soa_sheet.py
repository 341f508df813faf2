"""The SoA sheet: a client's SoA with one justification column and "N/A" statuses, controls
beyond Annex A exported, imported (and taken back by undo)."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import openpyxl

from app.services.soa import additional
from app.services.soa import service as soa
from app.services.workbook import importer
from app.services.workbook.export import export_workbook
from tests.conftest import require_tool

HEADER = ["Ref", "Control title", "Applicable?", "Justification", "Status"]
ROWS = [
    ["A.5.2", "Impact assessment process", "Yes", "Credit decisions affect people", "Implemented"],
    ["A.10.4", "Customers", "No", "We have no customers for AI", "N/A"],
    ["A.8.3", "External reporting", "No", "No reporting duty", "Not applicable"],
    ["CP-01", "Model change board", "Yes", "Client policy, section 7", "In progress"],
]


def _client_sheet(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Statement of Applicability"
    ws.append(["Northwind Lending: SoA (draft)"])
    for row in (HEADER, *ROWS):
        ws.append(row)
    wb.save(path)
    return path


def _imported(ef, path):
    plan = importer.build_plan(ef, path)
    sheet = next(s for s in plan.sheets if s.kind == "soa")
    assert sheet.errors == [] and sheet.warnings == [], (sheet.errors, sheet.warnings)
    return plan, sheet, importer.apply(ef, plan)


def _read_as_meant(ef):
    a52, a104, a83, cp = (soa.get_line(ef, c) for c in ("A.5.2", "A.10.4", "A.8.3", "CP-01"))
    assert (a52.reason_text, a52.justification) == ("Credit decisions affect people", "")
    assert (a104.justification, a104.reason_text) == ("We have no customers for AI", "")
    assert a83.justification == "No reporting duty" and a83.status == "not_started"
    assert (a104.status, a52.status, cp.status) == ("not_started", "implemented", "partial")
    assert (cp.title, cp.source, cp.decision) == (
        "Model change board",
        additional.IMPORTED_SOURCE,
        "included",
    )
    flags = soa.flags_by_control(soa.evaluate(soa.list_lines(ef), {}))
    assert "excluded_without_justification" not in flags.get("A.10.4", [])


def test_soa_sheet_one_justification_column_na_status_and_a_new_control(new_file, tmp_path):
    plan, sheet, steps = _imported(new_file, _client_sheet(tmp_path / "client.xlsx"))
    changes = {(r.item_id or r.key, c.label): c.new for r in (*sheet.added, *sheet.updated)
               for c in r.changes}  # fmt: skip
    assert changes[("A.10.4", "Justification for exclusion")] == "We have no customers for AI"
    assert ("A.10.4", "Reason for inclusion") not in changes
    assert changes[("CP-01", "Title")] == "Model change board"  # the preview names it
    _read_as_meant(new_file)
    importer.undo(new_file, steps)
    assert [x.control_id for x in soa.list_lines(new_file)][-1] == "A.10.4"


def test_soa_sheet_a_client_workbook_made_by_libreoffice(new_file, tmp_path):
    tool = require_tool("soffice")
    source = tmp_path / "client.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *ROWS])
    out = tmp_path / "lo"
    subprocess.run(
        [tool, "--headless", "--norestore", f"-env:UserInstallation=file://{out}/profile",
         "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    made = out / "client.xlsx"
    assert made.exists(), "soffice exits 0 even when it fails"
    _imported(new_file, made)
    _read_as_meant(new_file)


def test_soa_sheet_exports_controls_beyond_annex_a_with_their_source(new_file, tmp_path):
    additional.add(new_file, {"id": "CP-01", "title": "Change board", "source": "Policy 7"})
    path = tmp_path / "out.xlsx"
    for _ in export_workbook(new_file, path):
        pass
    ws = openpyxl.load_workbook(path)["SoA draft"]
    header = [c.value for c in ws[1]]
    last = [c.value for c in ws[ws.max_row]]
    assert ws.max_row == 40 and header[-1] == "Source (beyond Annex A)"
    assert (last[0], last[header.index("Title")], last[-1]) == ("CP-01", "Change board", "Policy 7")
    plan = importer.build_plan(new_file, path)
    assert plan.changes == 0 and plan.errors == 0


def test_soa_sheet_own_workbook_moves_only_text_the_client_wrote(new_file, tmp_path):
    soa.set_values(new_file, "decision", {"A.2.2": "included", "A.2.3": "included"})
    soa.set_values(new_file, "reason_text", {"A.2.3": "Group policy"})
    path = tmp_path / "out.xlsx"
    for _ in export_workbook(new_file, path):
        pass
    wb = openpyxl.load_workbook(path)
    ws = wb["SoA draft"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(label) + 1 for name, label in (
        ("decision", "Decision"), ("reason_text", "Reason for inclusion"))}  # fmt: skip
    ws.cell(2, col["decision"], "Excluded")  # A.2.2: why, typed in the only text column
    ws.cell(2, col["reason_text"], "The group's AI policy applies")
    ws.cell(3, col["decision"], "Excluded")  # A.2.3: the old reason left as it was
    wb.save(path)
    importer.apply(new_file, importer.build_plan(new_file, path))
    a22, a23 = soa.get_line(new_file, "A.2.2"), soa.get_line(new_file, "A.2.3")
    assert (a22.justification, a22.reason_text) == ("The group's AI policy applies", "")
    assert (a23.justification, a23.reason_text) == ("", "Group policy")


def test_soa_sheet_a_risk_selecting_a_control_beyond_annex_a_round_trips(new_file, tmp_path):
    from app.services.risks import service as risks

    additional.add(new_file, {"id": "CP-01", "title": "Change board", "source": "Policy 7"})
    rid, _ = risks.save_risk(
        new_file,
        None,
        {"title": "Unreviewed release", "inherent_likelihood": 3, "inherent_impact": 3},
        controls=[risks.ControlChoice("CP-01", "Board signs off")],
    )
    path = tmp_path / "out.xlsx"
    for _ in export_workbook(new_file, path):
        pass
    wb = openpyxl.load_workbook(path)
    ws = wb["Risks"]
    header = [c.value for c in ws[1]]
    column = header.index("Annex A controls") + 1  # the column holds those beyond it too
    assert ws.cell(2, column).value == "CP-01: Board signs off"
    ws.cell(2, column, "CP-01: Board signs off\nA.6.2.4: Release tests")
    wb.save(path)
    plan = importer.build_plan(new_file, path)
    assert plan.errors == 0 and plan.changes == 1
    importer.apply(new_file, plan)
    assert [c.control_id for c in risks.get_risk(new_file, rid).controls] == ["A.6.2.4", "CP-01"]
