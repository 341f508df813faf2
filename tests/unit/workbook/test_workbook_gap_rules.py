"""The workbook tells the client what the consultant checks: a locked "Gap rules" sheet lists
every rule of the catalogue with what to do, the Instructions point to it, and an import
reads nothing from it."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from app.services.gaps import SEVERITIES
from app.services.readiness import catalogue
from app.services.workbook.export import GAP_RULES_SHEET, export_workbook
from app.services.workbook.importer import build_plan


def _export(ef, path: Path) -> Path:
    for _ in export_workbook(ef, path):
        pass
    return path


def test_workbook_lists_every_gap_rule_of_the_catalogue_with_what_to_do(demo_file, tmp_path):
    wb = openpyxl.load_workbook(_export(demo_file, tmp_path / "out.xlsx"))
    ws = wb[GAP_RULES_SHEET]
    assert ws.sheet_state == "visible" and ws.protection.sheet
    header, *rows = ws.iter_rows(values_only=True)
    assert header == ("Rule", "Gap", "Clause or control", "Severity", "What to do")
    # in the catalogue's order: the audit-failing gaps first
    assert [row[0] for row in rows] == [rule.id for rule in catalogue.RULES]
    for (rule_id, title, ref, severity, todo), rule in zip(rows, catalogue.RULES, strict=True):
        assert (rule_id, title, severity, todo) == (
            rule.id, rule.title, SEVERITIES[rule.severity], rule.todo,
        )  # fmt: skip
        assert ref.startswith(f"{rule.ref} ") and len(ref) > len(rule.ref) + 1  # with its title
    assert ws["E2"].alignment.wrap_text and ws["E2"].protection.locked
    assert ws.column_dimensions["E"].width >= 50
    # the Instructions name the sheet and say what the severities mean
    lines = {row[0]: row[1] for row in wb["Instructions"].iter_rows(values_only=True) if row}
    assert "what to do to close it" in lines[GAP_RULES_SHEET]
    assert "Major = would fail the audit" in lines[GAP_RULES_SHEET]


def test_workbook_import_reads_nothing_from_the_gap_rules_sheet(demo_file, tmp_path):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[GAP_RULES_SHEET]
    ws["E2"] = "Typed over by the client"
    ws.append(["NEW-01", "A rule the client made up", "4.3", "Major", "Do something."])
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    plan = build_plan(demo_file, edited)
    assert plan.changes == 0 and plan.errors == 0
    assert GAP_RULES_SHEET not in {sheet.sheet for sheet in plan.sheets}
