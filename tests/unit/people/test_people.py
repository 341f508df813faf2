"""The People area as a consultant meets it: every register's fields read back, the checks
across fields refused at the field, the same person twice refused then merged, the starting
roles, each competence and awareness rule firing and clearing, an acknowledgement going out
of date with a new policy version, the status section, the workbook round trip and the pack."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from app.cli import main
from app.services import registry, status
from app.services.documents import versions
from app.services.documents.register import DOCUMENTS
from app.services.engagement import history
from app.services.engagement.errors import FieldError
from app.services.engagement.file import open_engagement
from app.services.pack import build as pack
from app.services.people import competence
from app.services.people import service as people
from app.services.people.registers import (
    ACKNOWLEDGEMENTS,
    HOLDERS,
    PEOPLE,
    REGISTERS,
    ROLE_COMPETENCES,
    ROLES,
    TRAINING,
    VERIFICATIONS,
)
from app.services.progress import finish
from app.services.registers import service as register
from app.services.registers.search import search
from app.services.workbook.export import export_workbook
from app.services.workbook.importer import build_plan
from tests.unit.test_cli import run

TODAY = dt.date.today()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def gaps(ef, reg, item_id):
    return [g.id for g in reg.gaps(register.get_item(ef, reg, item_id))]


def person(ef, name="Dana Whitfield", email="", **more):
    return register.create(ef, PEOPLE, {"name": name, "email": email, **more})


def role(ef, title="AIMS lead", **more):
    return register.create(ef, ROLES, {"title": title, **more})


def hold(ef, role_id, person_id, **more):
    return register.create(ef, HOLDERS, {"role": role_id, "person": person_id, **more})


def policy(ef, version="1.0"):
    return register.create(
        ef, DOCUMENTS, {"title": "AI policy", "kind": "policy", "version": version,
                        "ai_policy": True}
    )  # fmt: skip


def test_every_register_reads_back_what_was_written(new_file):
    ef = new_file
    doc = policy(ef)
    values = [
        (PEOPLE, {"name": "Dana Whitfield", "job_title": "CEO", "department": "Board",
                 "email": "dana@acme.example", "kind": "contractor", "status": "left",
                 "left_on": days(-3), "notes": "Left\nin March"}),
        (ROLES, {"title": "Top management", "responsibilities": "Directs the AIMS",
                "authorities": "accept_risk, approve_policy", "reports_performance": True,
                "top_management": True, "template": "top_management", "notes": "Board"}),
        (HOLDERS, {"role": "ROLE-01", "person": "PER-001", "from_date": days(-30),
                  "to_date": days(30), "communicated": "Board minutes", "evidence": doc,
                  "notes": "Interim"}),
        (ROLE_COMPETENCES, {"competence": "AI governance", "role": "ROLE-01",
                           "kind": "experience", "notes": "Two years"}),
        (TRAINING, {"course": "AI for boards", "person": "PER-001", "provider": "Halden",
                   "taken_on": days(-20), "competences": "RC-001", "evidence": doc,
                   "notes": "Day course"}),
        (VERIFICATIONS, {"title": "Board interview", "person": "PER-001",
                        "competences": "RC-001", "training": "TRN-001", "method": "interview",
                        "verified_by": "Sam Auditor", "verified_on": days(-10),
                        "result": "not_yet", "evidence": doc, "notes": "Again in June"}),
        (ACKNOWLEDGEMENTS, {"person": "PER-001", "document": doc, "version": "1.0",
                           "acknowledged_on": days(-5), "how": "Signed", "evidence": doc,
                           "notes": "Paper copy"}),
    ]  # fmt: skip
    for reg, given in values:
        assert set(given) == set(reg.spec), reg.key
        item_id = register.create(ef, reg, given)
        assert register.get_item(ef, reg, item_id).values == given, reg.key
    assert [r.key for r in REGISTERS] == [
        "people", "roles", "role_holders", "role_competences", "training", "verifications",
        "acknowledgements",
    ]  # fmt: skip
    assert register.next_id(ef, ROLES) == "ROLE-02"  # ROLE-01 style


def test_authorities_are_taken_by_label_or_key_and_shown_by_label(new_file):
    ef = new_file
    rid = role(ef, authorities="Accept residual AI risk; approve_soa")
    item = register.get_item(ef, ROLES, rid)
    assert item.values["authorities"] == "accept_risk, approve_soa"
    assert ROLES.spec["authorities"].label_of(item.values["authorities"]) == (
        "Accept residual AI risk, Approve the Statement of Applicability"
    )
    with pytest.raises(FieldError) as refused:
        register.update(ef, ROLES, rid, {"authorities": "sign cheques"})
    assert refused.value.field == "authorities" and "'sign cheques' is not one of" in str(
        refused.value
    )


def test_the_same_person_twice_is_refused_naming_the_existing_one(new_file):
    ef = new_file
    first = person(ef, "Dana Whitfield", "dana@acme.example")
    with pytest.raises(FieldError) as refused:
        person(ef, "  dana   WHITFIELD ", "Dana@Acme.example")
    assert refused.value.field == "name" and f"{first} is already Dana Whitfield" in str(
        refused.value
    )
    other = person(ef, "Dana Whitfield", "dana.w@other.example")  # another Dana
    assert other == "PER-002"
    with pytest.raises(FieldError, match=f"{first} is already"):  # changed into a twin
        register.update(ef, PEOPLE, other, {"email": "dana@acme.example"})
    assert register.get_item(ef, PEOPLE, other).values["email"] == "dana.w@other.example"
    person(ef, "Sam Lee")
    with pytest.raises(FieldError, match="with no e-mail"):
        person(ef, "sam lee")


def test_merge_moves_everything_to_the_kept_person_with_history(new_file):
    ef = new_file
    keep, drop = person(ef, "Dana Whitfield"), person(ef, "D. Whitfield")
    rid = role(ef)
    holding = hold(ef, rid, drop)
    training = register.create(ef, TRAINING, {"course": "42001", "person": drop})
    moved = people.merge_people(ef, keep, drop)
    assert moved == [holding, training]
    assert register.get_item(ef, HOLDERS, holding).values["person"] == keep
    assert register.get_item(ef, PEOPLE, drop).deleted
    with ef.reading() as session:
        changes = history.for_entity(session, HOLDERS.entity, holding, 10)
    assert any(c.field == "person" and c.old == drop and c.new == keep for c in changes)
    with pytest.raises(FieldError, match="into itself"):
        people.merge_people(ef, keep, keep)


def test_a_holding_may_not_end_before_it_starts(new_file):
    ef = new_file
    rid, pid = role(ef), person(ef)
    with pytest.raises(FieldError) as refused:
        hold(ef, rid, pid, from_date=days(-10), to_date=days(-20))
    assert refused.value.field == "to_date" and "is before held from" in str(refused.value)
    holding = hold(ef, rid, pid, from_date=days(-10))
    with pytest.raises(FieldError) as refused:  # changed on its own, checked with the rest
        register.update(ef, HOLDERS, holding, {"to_date": days(-11)})
    assert refused.value.field == "to_date"


def test_a_verification_before_its_training_or_in_the_future_is_refused(new_file):
    ef = new_file
    pid = person(ef)
    trn = register.create(ef, TRAINING, {"course": "42001", "person": pid, "taken_on": days(-5)})
    base = {"title": "Exam", "person": pid, "training": trn}
    with pytest.raises(FieldError) as refused:
        register.create(ef, VERIFICATIONS, {**base, "verified_on": days(-6)})
    assert refused.value.field == "verified_on" and f"before the training {trn}" in str(
        refused.value
    )
    with pytest.raises(FieldError) as refused:
        register.create(ef, VERIFICATIONS, {**base, "verified_on": days(1)})
    assert refused.value.field == "verified_on" and "in the future" in str(refused.value)
    other = person(ef, "Sam Lee")
    with pytest.raises(FieldError) as refused:
        register.create(ef, VERIFICATIONS, {**base, "person": other})
    assert refused.value.field == "training"
    assert register.create(ef, VERIFICATIONS, {**base, "verified_on": days(-5)}) == "VER-001"
    with pytest.raises(FieldError) as refused:  # the training moved after its verification
        register.update(ef, TRAINING, trn, {"taken_on": days(-4)})
    assert refused.value.field == "taken_on" and "VER-001 verified this training" in str(
        refused.value
    )
    register.update(ef, TRAINING, trn, {"taken_on": days(-6)})


def test_an_acknowledgement_takes_the_policys_version_and_only_the_ai_policy(new_file):
    ef = new_file
    pid, doc = person(ef), policy(ef, "2.3")
    ack = register.create(ef, ACKNOWLEDGEMENTS, {"person": pid, "document": doc})
    assert register.get_item(ef, ACKNOWLEDGEMENTS, ack).values["version"] == "2.3"
    other = register.create(ef, DOCUMENTS, {"title": "Risk method", "version": "1"})
    with pytest.raises(FieldError) as refused:
        register.create(ef, ACKNOWLEDGEMENTS, {"person": pid, "document": other})
    assert refused.value.field == "document" and "is not marked as the AI policy" in str(
        refused.value
    )


def test_starting_roles_are_added_once_and_recognised_after_renaming(new_file, capsys):
    ef = new_file
    added = people.add_starting_roles(ef)
    assert len(added) == 7
    roles = {r.values["template"]: r for r in register.list_items(ef, ROLES)}
    top = roles["top_management"].values
    assert top["top_management"] and set(top["authorities"].split(", ")) == {
        "approve_policy", "accept_risk", "approve_soa", "approve_risk_criteria",
    }  # fmt: skip
    assert roles["impact_approver"].values["authorities"] == "approve_impact_assessment"
    assert roles["aims_lead"].values["reports_performance"]
    register.update(ef, ROLES, roles["aims_lead"].id, {"title": "AIMS manager"})
    register.set_deleted(ef, ROLES, roles["data_steward"].id, True)
    assert people.missing_starting_roles(ef) == ["Data steward"]
    assert len(people.add_starting_roles(ef)) == 1  # only the one gone
    assert people.add_starting_roles(ef) == []
    path = str(ef.path)
    ef.close()
    assert main(["add-starting-roles", path]) == 0
    assert "nothing added" in capsys.readouterr().out
    assert main(["add-starting-roles", path + ".missing.aims"]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_rule_a_role_nobody_holds_today(new_file):
    ef = new_file
    rid, pid = role(ef), person(ef)
    assert gaps(ef, ROLES, rid) == ["PPL-02"]
    holding = hold(ef, rid, pid, from_date=days(-10))
    assert gaps(ef, ROLES, rid) == []
    register.update(ef, HOLDERS, holding, {"to_date": days(-1)})  # held until yesterday
    assert gaps(ef, ROLES, rid) == ["PPL-02"]
    register.update(ef, HOLDERS, holding, {"to_date": None})
    register.update(ef, PEOPLE, pid, {"status": "left"})  # the holder left
    assert gaps(ef, ROLES, rid) == ["PPL-02"]


def test_rule_a_holding_of_a_deleted_person_or_role_is_told_not_forgotten(new_file):
    """Deleting the only holder must not read as an all-clear: the role has nobody (PPL-02)
    and the holding names nobody (PPL-12) until it is ended or the person comes back."""
    ef = new_file
    rid, pid = role(ef), person(ef)
    holding = hold(ef, rid, pid, from_date=days(-10))
    assert gaps(ef, HOLDERS, holding) == ["PPL-01"]  # held, competence not verified
    register.set_deleted(ef, PEOPLE, pid, True)
    assert gaps(ef, HOLDERS, holding) == ["PPL-12"]
    assert gaps(ef, ROLES, rid) == ["PPL-02"]
    register.set_deleted(ef, PEOPLE, pid, False)  # undone
    assert gaps(ef, HOLDERS, holding) == ["PPL-01"]
    register.set_deleted(ef, ROLES, rid, True)
    assert gaps(ef, HOLDERS, holding) == ["PPL-12"]
    register.update(ef, HOLDERS, holding, {"to_date": days(-1)})  # ended: nothing left to say
    assert gaps(ef, HOLDERS, holding) == []


def test_rule_a_holder_verified_only_for_everything_the_role_requires(new_file):
    ef = new_file
    rid, pid = role(ef), person(ef)
    holding = hold(ef, rid, pid)
    assert gaps(ef, HOLDERS, holding) == ["PPL-01"]  # the role requires nothing yet
    assert "requires no competence yet" in people.holder_state(ef, holding)
    rc1 = register.create(ef, ROLE_COMPETENCES, {"competence": "42001", "role": rid})
    rc2 = register.create(ef, ROLE_COMPETENCES, {"competence": "Audit", "role": rid})
    verify = {"title": "Exam", "person": pid, "verified_on": days(-1)}
    register.create(ef, VERIFICATIONS, {**verify, "competences": rc1})
    assert gaps(ef, HOLDERS, holding) == ["PPL-01"]
    assert people.holder_state(ef, holding) == f"Not verified for: {rc2} Audit."
    not_yet = register.create(
        ef, VERIFICATIONS, {**verify, "competences": rc2, "result": "not_yet"}
    )
    assert gaps(ef, HOLDERS, holding) == ["PPL-01"]  # not yet competent verifies nothing
    register.update(ef, VERIFICATIONS, not_yet, {"result": "competent"})
    assert gaps(ef, HOLDERS, holding) == []
    assert people.holder_state(ef, holding).startswith("Verified competent")
    other = person(ef, "Sam Lee")  # a verification of someone else verifies nobody here
    second = hold(ef, rid, other)
    assert gaps(ef, HOLDERS, second) == ["PPL-01"]


def test_rule_training_with_no_verification(new_file):
    ef = new_file
    pid = person(ef)
    rc = register.create(ef, ROLE_COMPETENCES, {"competence": "42001", "role": role(ef)})
    trn = register.create(
        ef, TRAINING, {"course": "42001", "person": pid, "taken_on": days(-9), "competences": rc}
    )
    assert gaps(ef, TRAINING, trn) == ["PPL-03"]
    register.create(  # another person's verification of that competence: not this training's
        ef, VERIFICATIONS, {"title": "Exam", "person": person(ef, "Sam"), "competences": rc}
    )
    assert gaps(ef, TRAINING, trn) == ["PPL-03"]
    register.create(
        ef, VERIFICATIONS,
        {"title": "Exam", "person": pid, "competences": rc, "verified_on": days(-2)},
    )  # fmt: skip
    assert gaps(ef, TRAINING, trn) == []


def test_rule_policy_acknowledgement_goes_out_of_date_with_a_new_version(new_file):
    ef = new_file
    pid, rid = person(ef), role(ef)
    hold(ef, rid, pid)
    outsider = person(ef, "Sam Lee")  # holds no role: no acknowledgement asked of them
    doc = policy(ef, "1.0")
    assert gaps(ef, PEOPLE, pid) == ["PPL-04"] and gaps(ef, PEOPLE, outsider) == []
    register.create(ef, ACKNOWLEDGEMENTS, {"person": pid, "document": doc})
    assert gaps(ef, PEOPLE, pid) == []
    new = versions.new_version(ef, doc, "2.0")
    assert gaps(ef, PEOPLE, pid) == ["PPL-04"]  # acknowledged 1.0; 2.0 is current
    assert status.summary(ef, False)["people"]["policy_unacknowledged"] == 1
    register.create(ef, ACKNOWLEDGEMENTS, {"person": pid, "document": new})
    assert gaps(ef, PEOPLE, pid) == []
    register.update(ef, DOCUMENTS, new, {"version": "2.1"})  # the version edited in place
    assert gaps(ef, PEOPLE, pid) == ["PPL-04"]


def test_rule_no_role_accountable_for_reporting_performance(new_file):
    ef = new_file
    rid = role(ef)
    assert people.analysis(ef).performance_gap
    assert competence.NO_PERFORMANCE_ROLE in registry.GAP_RULES
    register.update(ef, ROLES, rid, {"reports_performance": True})
    assert not people.analysis(ef).performance_gap
    assert not people.summary(ef)["performance_reporting_assigned"]  # nobody holds it
    hold(ef, rid, person(ef))
    assert people.summary(ef)["performance_reporting_assigned"]


def test_deleting_a_person_says_what_they_hold(new_file):
    ef = new_file
    pid, rid = person(ef), role(ef, "Internal auditor")
    hold(ef, rid, pid)
    register.create(ef, TRAINING, {"course": "Audit", "person": pid})
    assert people.what_they_hold(ef, pid) == [
        f"holds {rid} Internal auditor",
        "is named by 1 training (TRN-001)",
    ]
    assert people.what_they_hold(ef, person(ef, "Sam Lee")) == []


def test_the_demo_fires_every_rule_and_its_status_section(demo_file, capsys):
    ef = demo_file
    found = {
        g.id for reg in REGISTERS for item in register.list_items(ef, reg) for g in reg.gaps(item)
    }
    assert found == {"PPL-01", "PPL-02", "PPL-03", "PPL-04"}
    assert people.analysis(ef).performance_gap  # PPL-05
    board = register.get_item(ef, PEOPLE, "PER-001").values["name"]
    assert register.get_item(ef, DOCUMENTS, "DOC-010").values["approved_by"] == board
    path = str(ef.path)
    ef.close()
    assert main(["status", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["people"] == {
        "people": 8,
        "roles": 7,
        "roles_unassigned": 1,
        "holders_unverified": 4,
        "training_unverified": 1,
        "policy_unacknowledged": 2,
        "performance_reporting_assigned": False,
        "approvals_without_authority": 9,  # PPL-06..11 (people/authority.py)
    }
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    with open_engagement(path, read_only=True) as reread:
        keys = ", ".join(f"`{k}`" for k in people.summary(reread))
    assert f"`people` ({keys})" in readme  # the status keys line says what the JSON holds
    assert main(["list", path, "roles"]) == 0
    listed = capsys.readouterr().out
    assert "Approve impact assessments" in listed and "Internal auditor" in listed


def test_the_people_sheets_round_trip_unchanged(demo_file, tmp_path):
    ef = demo_file
    out = tmp_path / "book.xlsx"
    for _ in export_workbook(ef, out):
        pass
    plan = build_plan(ef, out)
    sheets = {s.sheet: s for s in plan.sheets}
    for reg in REGISTERS:
        sheet = sheets[reg.sheet_name]
        count = len(register.list_items(ef, reg))
        assert count and sheet.unchanged == count, reg.key
        assert not (sheet.added or sheet.updated or sheet.errors or sheet.conflicts), reg.key


def test_the_pack_section_reads_roles_holders_gaps_and_acknowledgements(
    demo_file, tmp_path, external_tool
):
    target = tmp_path / "people.pdf"
    finish(pack.export(demo_file, target, ("people",), None, "readiness"))
    text = subprocess.run(
        [external_tool("pdftotext"), "-layout", str(target), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    flat = " ".join(text.split())
    assert "People and competence" in flat
    assert "AIMS roles and their holders (clause 5.3)" in flat
    assert "Grace Okafor: verified" in flat and "Sarah Whitfield: not verified" in flat
    assert "Nobody holds it" in flat
    assert "4 role holders not verified competent" in flat
    assert "requires no competence yet" in flat
    assert "PPL-03 Training recorded, but no verification" in flat
    assert "The AI policy as it stands: DOC-010 version 1.0." in flat
    assert "PER-003 Priya Shah, PER-005 Tom Becker" in flat
    assert "No role is accountable for reporting the AIMS's performance" in flat


def test_people_are_found_by_search_and_merged_on_the_command_line(demo_file, capsys):
    hits, _more = finish(search(demo_file, "okafor"))
    assert ("people", "PER-002") in {(h.kind, h.item_id) for h in hits}
    path = str(demo_file.path)
    demo_file.close()
    assert main(["merge-people", path, "PER-002", "PER-003"]) == 0
    assert capsys.readouterr().out == (
        "Merged PER-003 into PER-002: RH-003, TRN-002, ACK-004 now name PER-002; PER-003 deleted.\n"
    )
    assert main(["merge-people", path, "PER-002", "PER-099"]) == 2
    assert capsys.readouterr().err == "error: There is no person PER-099.\n"
    with open_engagement(path) as ef:
        assert register.get_item(ef, HOLDERS, "RH-003").values["person"] == "PER-002"
        assert register.get_item(ef, PEOPLE, "PER-003").deleted


def test_the_people_tab_screenshot_selects_a_holder(tmp_path):
    path = tmp_path / "d.aims"
    assert main(["demo", str(path)]) == 0
    out = tmp_path / "people.png"
    result = run("screenshot", str(path), "--tab", "people", "--select", "RH-007", "-o", str(out))
    assert result.returncode == 0 and result.stderr == ""
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    missing = run("screenshot", str(path), "--tab", "people", "--select", "RH-999", "-o", str(out))
    assert missing.returncode == 2 and "RH-999" in missing.stderr
