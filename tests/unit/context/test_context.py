"""The context registers (4.1, 4.2, obligations) as a consultant meets them: the demo's set and
its gaps, edits with history and undo, refusals that say what to fix, the command line, the
workbook round trip (LibreOffice as the client too), the pack and search."""

from __future__ import annotations

import json
import subprocess

import openpyxl
import pytest

from app.cli import main
from app.services import status
from app.services.context import climate
from app.services.context.registers import ISSUES, OBLIGATIONS, PARTIES, REQUIREMENTS
from app.services.engagement import history
from app.services.engagement.errors import FieldError
from app.services.engagement.file import open_engagement
from app.services.registers import service as register
from app.services.registers.search import search
from app.services.workbook.export import export_workbook
from app.services.workbook.importer import apply, build_plan
from tests.conftest import require_tool


def _export(ef, path):
    for _ in export_workbook(ef, path):
        pass
    return path


def _rows(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_context_demo_counts_and_gaps(demo_file):
    counts = status.summary(demo_file)["context"]
    assert counts == {
        "issues": 5,
        "interested_parties": 5,
        "party_requirements": 6,
        "requirements_undecided": 1,
        "obligations": 5,
        "obligations_without_owner": 1,
        "climate_change_considered": False,
    }
    undecided = [i for i in register.list_items(demo_file, REQUIREMENTS) if REQUIREMENTS.gaps(i)]
    assert [(i.id, [g.id for g in REQUIREMENTS.gaps(i)]) for i in undecided] == [
        ("REQ-004", ["CTX-01"])
    ]
    assert "climate change NOT considered" in status.as_text(status.summary(demo_file))


def test_context_rules_have_an_id_a_title_a_clause_and_a_severity():
    rules = [r for reg in (ISSUES, PARTIES, REQUIREMENTS, OBLIGATIONS) for r in reg.rules]
    rules.append(climate.RULE)
    assert [r.id for r in rules] == ["CTX-01", "CTX-02", "CTX-03"]
    for rule in rules:
        assert rule.title and rule.ref in ("4.1", "4.2") and rule.severity in ("major", "minor")


def test_context_edit_keeps_history_and_gives_back_the_old_values(new_file):
    party = register.create(new_file, PARTIES, {"name": "Regulator", "party_type": "regulator"})
    req = register.create(new_file, REQUIREMENTS, {"requirement": "Annual report", "party": party})
    assert register.counts(REQUIREMENTS, register.list_items(new_file, REQUIREMENTS)) == {
        "party_requirements": 1,
        "requirements_undecided": 1,
    }
    old = register.update(new_file, REQUIREMENTS, req, {"addressed": "Partly", "how": "Drafted"})
    assert old == {"addressed": "undecided", "how": ""}
    assert register.get_item(new_file, REQUIREMENTS, req).values["addressed"] == "partly"
    with new_file.reading() as session:
        changes = history.for_entity(session, "party_requirement", req)
    assert [(c.field, c.old, c.new) for c in changes][:2] == [
        ("how", None, "Drafted"),
        ("addressed", "undecided", "partly"),
    ] or {(c.field, c.new) for c in changes} >= {("how", "Drafted"), ("addressed", "partly")}
    register.update(new_file, REQUIREMENTS, req, old)  # what undo does
    assert register.get_item(new_file, REQUIREMENTS, req).values["addressed"] == "undecided"
    register.set_deleted(new_file, REQUIREMENTS, req, True)
    assert register.list_items(new_file, REQUIREMENTS) == []
    register.set_deleted(new_file, REQUIREMENTS, req, False)
    assert [i.id for i in register.list_items(new_file, REQUIREMENTS)] == [req]


@pytest.mark.parametrize(
    ("reg", "values", "field", "says"),
    [
        (ISSUES, {"title": "Rates", "review_date": "2027-02-30"}, "review_date", "has 28 days"),
        (ISSUES, {"title": "Rates", "category": "weather"}, "category", "is not one of"),
        (ISSUES, {"title": "Rates", "risks": "R-404"}, "risks", "no risk or opportunity R-404"),
        (ISSUES, {"title": "  "}, "title", "cannot be blank"),
        (REQUIREMENTS, {"requirement": "X", "party": "IP-001, IP-002"}, "party", "one interested"),
        (OBLIGATIONS, {"title": "AI Act", "systems": "AIS-999"}, "systems", "no AI system"),
        (OBLIGATIONS, {"id": "OBL 1", "title": "AI Act"}, "id", "not a usable ID"),
    ],
)
def test_context_bad_values_are_refused_at_their_field(new_file, reg, values, field, says):
    with pytest.raises(FieldError, match=says) as refused:
        register.create(new_file, reg, values)
    assert refused.value.field == field
    assert register.list_items(new_file, reg) == []


def test_context_duplicate_id_is_refused(new_file):
    register.create(new_file, OBLIGATIONS, {"id": "LAW-1", "title": "AI Act"})
    with pytest.raises(FieldError, match="LAW-1 is already used"):
        register.create(new_file, OBLIGATIONS, {"id": "LAW-1", "title": "GDPR"})


def test_context_climate_change_needs_an_issue_or_a_reason(new_file):
    assert not climate.get(new_file).considered
    climate.update(new_file, {"climate_change": "yes"})
    assert not climate.get(new_file).considered
    assert "Name the issue" in climate.get(new_file).problem()
    with pytest.raises(FieldError, match="no issue ISS-009"):
        climate.update(new_file, {"climate_issue": "ISS-009"})
    issue = register.create(new_file, ISSUES, {"title": "Flooding of the data centre"})
    climate.update(new_file, {"climate_issue": issue})
    assert climate.get(new_file).considered
    register.set_deleted(new_file, ISSUES, issue, True)  # the issue named goes: not any more
    assert not climate.get(new_file).considered and "was deleted" in climate.get(new_file).problem()
    register.set_deleted(new_file, ISSUES, issue, False)
    old = climate.update(new_file, {"climate_change": "no", "climate_issue": ""})
    assert old == {"climate_change": "yes", "climate_issue": issue}
    assert not climate.get(new_file).considered
    climate.update(new_file, {"climate_reason": "Office work only; no physical exposure"})
    assert status.summary(new_file)["context"]["climate_change_considered"] is True


def test_context_list_command(demo_file, capsys):
    path = str(demo_file.path)
    demo_file.close()
    assert main(["list", path]) == 0
    names = capsys.readouterr().out
    for line in ("issues", "interested_parties", "party_requirements", "obligations", "risks"):
        assert line in names
    assert main(["list", path, "obligations", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert len(items) == 5 and list(items[0])[:3] == ["id", "title", "kind"]
    assert items[4]["owner"] == "" and items[0]["systems"] == "AIS-001, AIS-009"
    assert main(["list", path, "party_requirements"]) == 0
    table = capsys.readouterr().out.splitlines()
    headers = ["ID", "Requirement", "Interested party", "Addressed by the AIMS"]
    assert table[0].split("\t")[:4] == headers
    assert "Undecided" in table[4]
    assert main(["list", path, "inventory", "--json"]) == 0  # the older areas too
    assert len(json.loads(capsys.readouterr().out)) == 11  # the demo's systems


def test_context_list_refuses_an_unknown_register_in_one_line(demo_file, capsys):
    path = str(demo_file.path)
    demo_file.close()
    assert main(["list", path, "stakeholders"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "There is no register 'stakeholders'" in err


def test_context_workbook_round_trip(demo_file, tmp_path):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Party requirements"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "REQ-004":
            row[3].value, row[4].value = "Yes", "Change notices go to the supervisor"
    ws.append([None, "Contest an automated decision", "IP-001", "Undecided", None])
    wb["Obligations"].append([None, "DORA", "Regulation or supervisory rule", "EU", None, "CRO"])
    wb.save(path)
    plan = build_plan(demo_file, path)
    assert plan.errors == 0
    apply(demo_file, plan)
    items = {i.id: i.values for i in register.list_items(demo_file, REQUIREMENTS)}
    assert items["REQ-004"]["addressed"] == "yes"
    assert items["REQ-007"] == {
        "requirement": "Contest an automated decision",
        "party": "IP-001",
        "addressed": "undecided",
        "how": "",
    }
    obligations = register.list_items(demo_file, OBLIGATIONS)
    assert obligations[-1].values["kind"] == "regulatory"
    assert obligations[-1].values["owner"] == "CRO"


def test_context_import_with_a_bad_row_names_sheet_row_and_column_and_changes_nothing(
    demo_file, tmp_path, capsys
):
    path = _export(demo_file, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Issues"]
    ws.cell(row=3, column=10).value = "31/02/2027"  # ISS-002's review date
    ws.cell(row=4, column=8).value = "R-404"  # ISS-003's linked risks
    wb.save(path)
    engagement = str(demo_file.path)
    before = register.list_items(demo_file, ISSUES)
    demo_file.close()
    assert main(["import-xlsx", engagement, str(path)]) == 2
    out = capsys.readouterr()
    assert "error row 3, Review date: '31/02/2027' is not a date" in out.out
    assert "error row 4, Linked risks and opportunities: there is no risk" in out.out
    assert "nothing was imported" in out.err and "Traceback" not in out.err
    with open_engagement(engagement, read_only=True) as ef:
        assert register.list_items(ef, ISSUES) == before


def test_context_foreign_register_is_recognised(new_file, tmp_path):
    """A client's own obligations list, headed in their words."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Legal register"
    ws.append(["Regulatory compliance register"])
    ws.append([])
    ws.append(["Obligation", "Jurisdiction", "Owner", "Comments"])
    ws.append(["EU AI Act", "EU", "Legal", "High-risk credit model"])
    ws.append(["GDPR", "EU", "DPO", ""])
    path = tmp_path / "client.xlsx"
    wb.save(path)
    plan = build_plan(new_file, path)
    sheet = plan.sheets[0]
    assert sheet.kind == "obligations" and plan.errors == 0
    apply(new_file, plan)
    items = register.list_items(new_file, OBLIGATIONS)
    assert [(i.values["title"], i.values["owner"]) for i in items] == [
        ("EU AI Act", "Legal"),
        ("GDPR", "DPO"),
    ]
    assert "High-risk credit model" in items[0].values["notes"]  # an unmapped column kept


def test_context_libreoffice_as_the_client(demo_file, tmp_path):
    """The client edits the exported workbook in LibreOffice Calc and saves it as xlsx."""
    soffice = require_tool("soffice")
    path = _export(demo_file, tmp_path / "context.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Obligations"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "OBL-005":
            row[5].value = "Head of Broker Sales"
    wb.save(path)
    out = tmp_path / "lo"
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{out}/profile",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    resaved = out / "context.xlsx"
    assert resaved.exists(), "soffice exits 0 even when it fails"
    plan = build_plan(demo_file, resaved)
    assert plan.errors == 0 and plan.changes == 1
    apply(demo_file, plan)
    assert status.summary(demo_file)["context"]["obligations_without_owner"] == 0


def test_context_in_the_pack(demo_file, tmp_path):
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
    report, submission = texts["readiness"], texts["submission"]
    for text in (report, submission):
        assert "Context of the organization" in text
        assert "EU AI Act obligations for credit" in text  # (the cell wraps after it)
        assert "IP-003 Central Bank of" in text  # a requirement names its party
        assert "Whether climate change is a relevant issue has not been recorded." in text
    assert "CTX-01 Party requirement with no" in report  # beside REQ-004, and in the gaps
    assert "CTX-03 Climate change not" in report
    assert "CTX-01" not in submission and "Gaps" not in submission.split("Context of the")[2][:3000]


def test_context_search_finds_items_of_every_register(demo_file):
    found = search(demo_file, "broker")
    try:
        while True:
            next(found)
    except StopIteration as stop:
        hits, more = stop.value
    assert not more
    kinds = {h.kind for h in hits}
    assert {"interested_parties", "party_requirements", "obligations"} <= kinds
    obligation = next(h for h in hits if h.kind == "obligations")
    assert obligation.item_id == "OBL-005" and obligation.opens == ("obligations", "OBL-005")


def test_context_a_link_given_with_its_name_keeps_the_id(new_file):
    party = register.create(new_file, PARTIES, {"name": "Regulator"})
    req = register.create(
        new_file, REQUIREMENTS, {"requirement": "Annual report", "party": f"{party} Regulator"}
    )
    assert register.get_item(new_file, REQUIREMENTS, req).values["party"] == party
    assert register.link_choices(new_file, REQUIREMENTS, "party") == [f"{party} Regulator"]
    with pytest.raises(FieldError, match="no interested party Regulator"):
        register.update(new_file, REQUIREMENTS, req, {"party": "Regulator"})


def test_context_an_obligation_may_name_many_ai_systems(new_file):
    from app.services.inventory import service as inventory

    systems = [inventory.create_system(new_file, {"name": f"Model {n}"}) for n in range(40)]
    named = ", ".join(systems)
    assert len(named) > 200  # longer than a one-line text may be
    obligation = register.create(new_file, OBLIGATIONS, {"title": "GDPR", "systems": named})
    assert register.get_item(new_file, OBLIGATIONS, obligation).values["systems"] == named
