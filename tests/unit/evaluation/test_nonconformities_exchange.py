"""Nonconformities leave the app and come back: the workbook round trip, an import row closed
before it was raised, and the pack's section."""

from __future__ import annotations

import json
import subprocess

import openpyxl

from app.cli import main
from app.services.engagement.file import open_engagement
from app.services.evaluation.nonconformities import NONCONFORMITIES, REGISTERS
from app.services.registers import service as register
from app.services.workbook.export import export_workbook
from app.services.workbook.importer import apply, build_plan
from tests.conftest import require_tool


def _export(ef, path):
    for _ in export_workbook(ef, path):
        pass
    return path


def test_nonconformity_workbook_round_trip_changes_nothing(demo_file, tmp_path):
    before = {reg.key: register.list_items(demo_file, reg) for reg in REGISTERS}
    plan = build_plan(demo_file, _export(demo_file, tmp_path / "out.xlsx"))
    sheets = {s.sheet: s for s in plan.sheets}
    for name in ("Nonconformities", "Corrective actions", "Improvements"):
        assert name in sheets and not sheets[name].updated and not sheets[name].added
    assert plan.changes == 0 and plan.errors == 0
    apply(demo_file, plan)
    assert {reg.key: register.list_items(demo_file, reg) for reg in REGISTERS} == before


def test_nonconformity_sheet_edit_arrives(demo_file, tmp_path):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Nonconformities"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "NC-004")
    row[header.index("Root cause")].value = "Letter template predates the AI model"
    wb.save(path)
    plan = build_plan(demo_file, path)
    assert plan.errors == 0
    apply(demo_file, plan)
    item = register.get_item(demo_file, NONCONFORMITIES, "NC-004")
    assert item.values["root_cause"] == "Letter template predates the AI model"
    assert NONCONFORMITIES.gaps(item) == []


def test_nonconformity_import_row_closed_before_raised_names_sheet_row_and_column(
    demo_file, tmp_path, capsys
):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Nonconformities"]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index("Closed on") + 1).value = "2020-01-01"  # NC-001
    wb.save(path)
    engagement = str(demo_file.path)
    before = register.list_items(demo_file, NONCONFORMITIES)
    demo_file.close()
    assert main(["import-xlsx", engagement, str(path), "--json"]) == 2
    report = json.loads(capsys.readouterr().out)
    errors = [e for s in report["sheets"] for e in s["errors"] if s["sheet"] == "Nonconformities"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "Closed on")]
    assert "before it was raised" in errors[0]["message"]
    with open_engagement(engagement, read_only=True) as ef:
        assert register.list_items(ef, NONCONFORMITIES) == before


def test_nonconformities_in_the_pack(demo_file, tmp_path):
    pdftotext = require_tool("pdftotext")
    path = str(demo_file.path)
    demo_file.close()
    texts = {}
    for kind in ("readiness", "submission"):
        out = tmp_path / f"{kind}.pdf"
        assert main(["export-pack", path, "-o", str(out), "--kind", kind]) == 0
        texts[kind] = subprocess.run(
            [pdftotext, "-layout", str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
    for text in texts.values():
        section = text.split("Nonconformities and corrective action")[-1]
        assert "4 open nonconformities" in section and "NC-002" in section
        assert "NC-001" not in section.split("Opportunities for improvement")[0]  # closed
        assert "1 nonconformity closed" in section
        assert "Add an AI question to the procurement" in section  # NC-002's action
    assert "NCR-01 Past its due date" in texts["readiness"]
    assert "NCR-01" not in texts["submission"]
