"""The document register and the mandatory documented information checklist as a consultant
meets them: fields, links both ways, rules that trigger and clear, the checklist linked by
hand (never guessed), an excluded control's entry, the status JSON and the command line."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest

from app.cli import main
from app.models import AISystem, RequirementState, Risk
from app.services import status
from app.services.documents import attachments, mandatory, versions
from app.services.documents.register import DOCUMENTS
from app.services.documents.serving import SERVES, documents_serving
from app.services.engagement.errors import FieldError
from app.services.progress import finish
from app.services.registers import service as register
from app.services.soa import service as soa
from app.services.workbook.export import export_workbook
from app.services.workbook.importer import apply, build_plan

TODAY = dt.date.today()


def _gaps(ef, item_id):
    return [g.id for g in DOCUMENTS.gaps(register.get_item(ef, DOCUMENTS, item_id))]


def test_document_fields_read_back_and_links_are_checked(demo_file):
    ef = demo_file
    system = "AIS-003"  # no demo document serves it
    doc = register.create(
        ef,
        DOCUMENTS,
        {
            "id": "POL-AI-01",  # the client's own ID
            "title": "AI policy",
            "kind": "policy",
            "version": "2.1",
            "status": "approved",
            "approved_by": "Dana Whitfield",
            "approver_role": "Chief Executive",
            "approved_on": "2026-09-30",
            "review_months": "12",
            "next_review": (TODAY + dt.timedelta(days=200)).isoformat(),
            "points": "P-5.2-01",
            "controls": "A.2.2",
            "systems": system,
            "ai_policy": True,
        },
    )
    item = register.get_item(ef, DOCUMENTS, doc)
    assert (item.id, item.version, item.review_months, item.approved_on) == (
        "POL-AI-01",
        "2.1",
        12,
        dt.date(2026, 9, 30),
    )
    assert _gaps(ef, doc) == []
    with pytest.raises(FieldError, match="there is no control A.99.9"):
        register.update(ef, DOCUMENTS, doc, {"controls": "A.2.2, A.99.9"})
    with pytest.raises(FieldError, match="there is no checklist point P-0"):
        register.update(ef, DOCUMENTS, doc, {"points": "P-0"})
    with pytest.raises(FieldError, match="Review every"):
        register.update(ef, DOCUMENTS, doc, {"review_months": "0"})
    # each item shows the documents that serve it
    linked = register.linked_to(ef, AISystem, system)
    assert [i.id for r, i in linked if r is DOCUMENTS] == ["POL-AI-01"]
    serving = [i.id for _, i in register.linked_to(ef, RequirementState, "P-5.2-01")]
    assert serving == ["DOC-010", "POL-AI-01"]  # the demo's own AI policy, and this one


def test_document_rules_trigger_and_clear(new_file):
    ef = new_file
    past = (TODAY - dt.timedelta(days=1)).isoformat()
    doc = register.create(ef, DOCUMENTS, {"title": "Risk methodology", "next_review": past})
    assert _gaps(ef, doc) == ["DOC-01"]
    register.update(ef, DOCUMENTS, doc, {"next_review": (TODAY + dt.timedelta(days=30))})
    assert _gaps(ef, doc) == []
    register.update(ef, DOCUMENTS, doc, {"status": "approved"})
    assert _gaps(ef, doc) == ["DOC-02"]
    register.update(ef, DOCUMENTS, doc, {"approved_by": "Risk committee", "approved_on": past})
    assert _gaps(ef, doc) == []
    register.update(ef, DOCUMENTS, doc, {"status": "draft", "approved_by": ""})
    register.update(ef, DOCUMENTS, doc, {"effective_date": past})
    assert _gaps(ef, doc) == ["DOC-03"]  # in force, never approved
    register.update(ef, DOCUMENTS, doc, {"status": "withdrawn"})
    assert _gaps(ef, doc) == []


def test_mandatory_checklist_is_linked_by_hand_never_guessed(demo_file):
    ef = demo_file
    before = {e.info.id: e for e in mandatory.list_entries(ef)}
    # the demo's checklist evidence names the ISMS document control procedure: that links
    # nothing; a linked draft is not yet the documented information
    assert before["DI-13"].state_text == "Missing: no document linked"
    assert before["DI-05"].state_text == "DOC-021 AI risk management methodology"
    assert before["DI-10"].state == "draft_only"
    assert before["DI-10"].state_text == "Only a draft: DOC-040 AIMS objectives register (Draft)"
    doc = register.create(ef, DOCUMENTS, {"title": "AI risk methodology", "kind": "methodology"})
    mandatory.set_documents(ef, "DI-13", [doc])
    entry = {e.info.id: e for e in mandatory.list_entries(ef)}["DI-13"]
    assert (entry.state, entry.state_text) == ("draft_only", f"Only a draft: {doc} AI risk "
                                               "methodology (Draft)")  # fmt: skip
    register.update(ef, DOCUMENTS, doc, {"status": "approved"})
    entry = {e.info.id: e for e in mandatory.list_entries(ef)}["DI-13"]
    assert (entry.state, entry.state_text) == ("satisfied", f"{doc} AI risk methodology")
    register.update(ef, DOCUMENTS, doc, {"status": "superseded"})  # no longer in force
    assert {e.info.id: e for e in mandatory.list_entries(ef)}["DI-13"].state == "missing"
    register.update(ef, DOCUMENTS, doc, {"status": "approved"})
    with pytest.raises(FieldError, match="no document DOC-404"):
        mandatory.set_documents(ef, "DI-06", ["DOC-404"])
    with pytest.raises(FieldError, match="no mandatory entry DI-99"):
        mandatory.set_documents(ef, "DI-99", [doc])
    register.set_deleted(ef, DOCUMENTS, doc, True)  # a deleted document satisfies nothing
    assert {e.info.id: e for e in mandatory.list_entries(ef)}["DI-13"].state == "missing"


def test_register_facts_count_only_where_they_are_the_documented_information(new_file):
    ef = new_file
    entries = {e.info.id: e for e in mandatory.list_entries(ef)}
    # the app's default risk criteria are no documented, approved criteria
    assert entries["DI-04"].state == "missing"
    assert entries["DI-07"].state == "missing"  # no SoA issued yet


def test_an_entry_of_excluded_controls_is_not_required(new_file):
    ef = new_file
    soa.set_values(ef, "decision", {"A.3.3": "excluded"})
    entries = {e.info.id: e for e in mandatory.list_entries(ef)}
    assert entries["DI-23"].state == "not_required"
    assert entries["DI-23"].state_text == "Not required: control excluded (A.3.3)"
    # an entry over several controls is required while any of them is included
    soa.set_values(ef, "decision", {"A.5.2": "excluded"})
    assert {e.info.id: e for e in mandatory.list_entries(ef)}["DI-25"].state == "missing"
    soa.set_values(ef, "decision", {"A.10.3": "excluded", "A.10.4": "excluded"})
    assert {e.info.id: e for e in mandatory.list_entries(ef)}["DI-33"].state == "missing"
    soa.set_values(ef, "decision", {"A.10.2": "excluded"})  # now every control of the range
    assert {e.info.id: e for e in mandatory.list_entries(ef)}["DI-33"].state == "not_required"
    soa.set_values(ef, "decision", {"A.10.2": "included"})
    assert {e.info.id: e for e in mandatory.list_entries(ef)}["DI-33"].state == "missing"


def test_status_json_documents_section(new_file, tmp_path, capsys):
    ef = new_file
    doc = register.create(
        ef,
        DOCUMENTS,
        {"title": "AI policy", "kind": "policy", "ai_policy": True, "status": "approved"},
    )
    source = tmp_path / "policy.txt"
    source.write_bytes(b"policy")
    data = status.summary(ef)["documents"]
    assert data["ai_policy_approved"] is False  # approved with no approver recorded
    assert (data["total"], data["approval_incomplete"], data["mandatory_missing"]) == (1, 1, 33)
    register.update(ef, DOCUMENTS, doc, {"approved_by": "Board", "approved_on": TODAY})
    mandatory.set_documents(ef, "DI-02", [doc])
    path = ef.path
    ef.close()
    assert main(["attach", str(path), doc, str(source)]) == 0
    capsys.readouterr()
    assert main(["status", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)["documents"]
    assert data == {
        "total": 1,
        "review_overdue": 0,
        "approval_incomplete": 0,
        "unapproved": 0,
        "attachments": 1,
        "attachment_bytes": 6,
        "hash_mismatches": 0,
        "mandatory_total": 33,
        "mandatory_missing": 32,
        "mandatory_draft_only": 0,
        "mandatory_not_required": 0,
        "ai_policy_approved": True,
    }
    assert main(["list", str(path), "documents"]) == 0
    assert "DOC-001\tAI policy\tPolicy" in capsys.readouterr().out


def test_a_risk_shows_the_documents_that_serve_it(demo_file):
    ef = demo_file
    risk = "R-003"
    doc = register.create(ef, DOCUMENTS, {"title": "Treatment evidence", "risks": risk})
    assert [i.id for r, i in register.linked_to(ef, Risk, risk) if r is DOCUMENTS] == [doc]


def test_new_version_supersedes_and_the_mandatory_link_follows_once_approved(new_file):
    ef = new_file
    v1 = register.create(
        ef,
        DOCUMENTS,
        {"title": "AI policy", "version": "1.0", "status": "approved", "approved_by": "CEO",
         "approved_on": TODAY, "points": "P-5.2-01"},
    )  # fmt: skip
    mandatory.set_documents(ef, "DI-02", [v1])
    with pytest.raises(FieldError, match="already version 1.0"):
        versions.new_version(ef, v1, "1.0")
    v2 = versions.new_version(ef, v1, "2.0")
    new = register.get_item(ef, DOCUMENTS, v2)
    assert (new.version, new.status, new.supersedes, new.points, new.approved_by) == (
        "2.0", "draft", v1, "P-5.2-01", "",
    )  # fmt: skip
    entry = {e.info.id: e for e in mandatory.list_entries(ef)}["DI-02"]
    assert entry.state_text == f"{v1} AI policy"  # the draft does not replace it yet
    register.update(ef, DOCUMENTS, v2, {"status": "approved", "approved_by": "CEO",
                                        "approved_on": TODAY})  # fmt: skip
    register.update(ef, DOCUMENTS, v1, {"status": "superseded"})
    entry = {e.info.id: e for e in mandatory.list_entries(ef)}["DI-02"]
    assert (entry.state, entry.state_text) == ("satisfied", f"{v2} AI policy")
    assert register.get_item(ef, DOCUMENTS, v1).version == "1.0"  # still readable


def test_documents_sheet_round_trip_keeps_attachments_in_the_engagement(new_file, tmp_path):
    ef = new_file
    doc = register.create(ef, DOCUMENTS, {"title": "Risk method", "version": "1.0"})
    source = tmp_path / "method.txt"
    source.write_bytes(b"method")
    row = finish(attachments.attach(ef, doc, source))
    out = tmp_path / "client.xlsx"
    for _ in export_workbook(ef, out):
        pass
    wb = openpyxl.load_workbook(out)
    ws = wb["Documents"]
    header = [c.value for c in ws[1]]
    attached = header.index("Attached files (kept in the engagement; not imported)") + 1
    assert ws.cell(2, attached).value == f"method.txt (6 bytes, SHA-256 {row.sha256})"
    ws.cell(2, header.index("Version") + 1).value = "1.1"
    ws.cell(2, attached).value = "evil.exe (1 byte, SHA-256 00)"  # the client edits it
    wb.save(out)
    plan = build_plan(ef, out)
    sheet = next(s for s in plan.sheets if s.sheet == "Documents")
    assert [(c.field, c.new) for c in sheet.updated[0].changes] == [("version", "1.1")]
    apply(ef, plan)
    assert register.get_item(ef, DOCUMENTS, doc).version == "1.1"
    assert [a.name for a in attachments.list_attachments(ef)] == ["method.txt"]


def test_documents_serving_an_item_are_found_by_their_links_only(demo_file):
    ef = demo_file
    assert documents_serving(ef, "systems", "AIS-001") == [
        ("DOC-060", "Model lifecycle procedure"),
        ("DOC-061", "Model validation report: credit scoring v4"),
    ]
    assert documents_serving(ef, "systems", "AIS-00") == []  # a prefix of an ID is no link
    assert documents_serving(ef, "points", "P-5.2-01") == [("DOC-010", "AI policy")]
    register.set_deleted(ef, DOCUMENTS, "DOC-010", True)
    assert documents_serving(ef, "points", "P-5.2-01") == []


def test_documents_serving_names_every_link_field_of_the_register():
    assert set(SERVES) == {link.field for link in DOCUMENTS.links} - {"supersedes"}
