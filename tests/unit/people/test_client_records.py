"""Importing the client's own people records: the role register, RACI matrix and policy
acknowledgement log of the shared real-world fixtures, recognised by their headings; names
matched ignoring case and spacing, ambiguous ones reported; broken files refused unchanged."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.models import AimsRole, HistoryEntry, Person, PolicyAcknowledgement, RoleAssignment
from app.services.documents.register import DOCUMENTS
from app.services.engagement.errors import WorkbookError
from app.services.people import client_records, holders
from app.services.registers import service as register
from tests.conftest import FIXTURES

URIELLE = FIXTURES / "real-workbooks" / "urielle"
ROLES = "S5-11_AIMS_Role_and_Accountability_Register_Template.xlsx"
RACI = "S5-10_AIMS_RACI_Matrix_Template.xlsx"
ACKS = "S5-08_AI_Policy_Training_Acknowledgement_Record_Template.xlsx"


def copied(tmp_path, name, as_name="client-file.xlsx"):
    """The fixture under a name that says nothing: the layout is found by its headings."""
    target = tmp_path / as_name
    shutil.copy(URIELLE / name, target)
    return target


def count(ef, model):
    with ef.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_client_records_role_register_preview_lists_people_roles_and_holders_writes_nothing(
    new_file, tmp_path
):
    plan = client_records.preview(new_file, copied(tmp_path, ROLES))
    assert [lay.kind for lay in plan.layouts] == [client_records.ROLE_REGISTER]
    assert plan.new_people == ["William Hartono", "Toru"]
    assert plan.new_roles == [
        "AIMS Owner / Policy Owner", "AIMS Bilateral Partner", "AIMS Auditor (Engagement Lead)"
    ]  # fmt: skip
    text = plan.as_text()
    assert "Would add holder: Toru as AIMS Bilateral Partner from 2025-06-01" in text
    assert "[Full name" not in text and "AI Ethics Lead" not in text  # the template row
    assert count(new_file, Person) == 0 and count(new_file, AimsRole) == 0


def test_client_records_role_register_apply_adds_them_with_history_and_only_once(
    new_file, tmp_path
):
    path = copied(tmp_path, ROLES)
    client_records.apply(new_file, path)
    with new_file.reading() as session:
        owner = session.scalars(select(AimsRole).where(AimsRole.title.like("AIMS Owner%"))).one()
        assert owner.reports_performance and "Approves AI Policy" in owner.responsibilities
        held = session.scalars(select(RoleAssignment).where(RoleAssignment.role == owner.id)).one()
        assert held.from_date == dt.date(2026, 6, 1) and "Review by December 2026" in held.notes
        assert session.get(Person, held.person).name == "William Hartono"
        assert (
            session.scalar(select(func.count()).where(HistoryEntry.entity == "role_assignment"))
            == 3
        )
    again = client_records.apply(new_file, path)
    assert not again.has_changes and count(new_file, RoleAssignment) == 3
    assert count(new_file, Person) == 2


def test_client_records_names_match_people_ignoring_case_and_spacing(new_file, tmp_path):
    with new_file.writing() as session:
        pid = holders.add_person(session, "test", "  william   HARTONO ")
    plan = client_records.preview(new_file, copied(tmp_path, ROLES))
    assert plan.new_people == ["Toru"]
    assert plan.matched_people == [f"William Hartono = {pid}"]


def test_client_records_a_name_of_several_people_is_reported_and_left_out(new_file, tmp_path):
    with new_file.writing() as session:
        holders.add_person(session, "test", "Toru")
        holders.add_person(session, "test", "toru")
    path = copied(tmp_path, ROLES)
    plan = client_records.preview(new_file, path)
    assert "Ambiguous: “Toru” matches 2 people (PER-001, PER-002)" in plan.as_text()
    client_records.apply(new_file, path)
    with new_file.reading() as session:
        people = set(session.scalars(select(RoleAssignment.person)))
    assert people and not people & {"PER-001", "PER-002"}


def test_client_records_raci_gives_each_person_a_role_of_their_accountabilities(new_file, tmp_path):
    client_records.apply(new_file, copied(tmp_path, RACI))
    with new_file.reading() as session:
        roles = {r.title: r for r in session.scalars(select(AimsRole))}
        toru = session.scalars(select(Person).where(Person.name == "Toru")).one()
    assert set(roles) == {"Founder / Policy Owner / FHCA", "NCAOS Japan Bilateral Partner"}
    partner = roles["NCAOS Japan Bilateral Partner"].responsibilities
    assert "Responsible for: 5.3 Appoint named role holders (S5-12)" in partner
    assert "Accountable for" not in partner  # C and I are not responsibilities
    assert roles["Founder / Policy Owner / FHCA"].reports_performance
    assert toru.job_title == "NCAOS Japan Bilateral Partner"


def test_client_records_acknowledgements_of_the_ai_policy_yes_rows_only(new_file, tmp_path):
    policy = register.create(
        new_file, DOCUMENTS, {"title": "AI policy", "ai_policy": True, "version": "1.0"}
    )
    plan = client_records.apply(new_file, copied(tmp_path, ACKS))
    assert [lay.kind for lay in plan.layouts] == [client_records.ACKNOWLEDGEMENTS]
    with new_file.reading() as session:
        acks = session.scalars(select(PolicyAcknowledgement)).all()
        assert {session.get(Person, a.person).name for a in acks} == {"William Hartono", "Toru"}
    assert {(a.document, a.version, a.acknowledged_on) for a in acks} == {
        (policy, "1.0", dt.date(2026, 6, 1))  # the log's "v1.0" is the policy's 1.0
    }
    assert "dated “June 2026”" in acks[0].notes
    assert count(new_file, Person) == 2  # the "[Full Name]" row is no one


def test_client_records_no_known_layout_is_refused_and_nothing_changes(new_file, tmp_path):
    path = copied(tmp_path, "S5-02_AI_Risk_Register_Template.xlsx")
    with pytest.raises(WorkbookError, match="no sheet with the headings of a role register"):
        client_records.apply(new_file, path)
    assert count(new_file, Person) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"not a workbook at all", "not a workbook"),
     (b"PK\x03\x04broken zip", "")],
)  # fmt: skip
def test_client_records_cli_refuses_a_broken_file_exit_2_unchanged(
    tmp_path, capsys, content, message
):
    path = str(tmp_path / "c.aims")
    assert main(["new", path, "--client", "Acme", "--size", "small"]) == 0
    broken = tmp_path / "roles.xlsx"
    broken.write_bytes(content)
    before = (tmp_path / "c.aims").read_bytes()
    capsys.readouterr()
    assert main(["import-people", path, str(broken), "--apply"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert (tmp_path / "c.aims").read_bytes() == before


def test_client_records_cli_previews_by_default_and_applies_on_request(tmp_path, capsys):
    path = str(tmp_path / "c.aims")
    assert main(["new", path, "--client", "Acme", "--size", "small"]) == 0
    roles = str(copied(tmp_path, ROLES))
    capsys.readouterr()
    assert main(["import-people", path, roles]) == 0
    out = capsys.readouterr().out
    assert "People: 2 new people (William Hartono, Toru)" in out
    assert "Run again with --apply" in out
    assert main(["import-people", path, roles, "--apply"]) == 0
    assert "Added holder: William Hartono as AIMS Owner / Policy Owner" in capsys.readouterr().out
    assert main(["import-people", path, roles]) == 0
    assert "Nothing to add" in capsys.readouterr().out


def test_client_records_recognised_by_headings_not_our_export_nor_other_client_sheets(
    demo_file, tmp_path
):
    from app.services.workbook.export import export_workbook

    ours = tmp_path / "ours.xlsx"
    for _ in export_workbook(demo_file, ours):
        pass
    assert not client_records.recognised(ours)  # its SoA and roles text are no role register
    assert not client_records.recognised(copied(tmp_path, "5_Leadership_Clause_Register.xlsx"))
    assert client_records.recognised(copied(tmp_path, RACI, "matrix.xlsx"))


def test_client_records_a_csv_role_register_with_a_vacant_role(new_file, tmp_path):
    path = tmp_path / "roles.csv"
    path.write_text(
        "AIMS Role,Named Individual,Effective Date,Status,Key Responsibilities\n"
        "AIMS lead,Dana  Whitfield,30 June 2026,Active,Runs the AIMS\n"
        "Internal auditor,VACANT,,Vacant,Audits the AIMS\n",
        encoding="utf-8",
    )
    plan = client_records.apply(new_file, path)
    assert plan.new_roles == ["AIMS lead", "Internal auditor"]
    with new_file.reading() as session:
        held = session.scalars(select(RoleAssignment)).one()
        assert session.get(Person, held.person).name == "Dana Whitfield"  # spacing tidied
    assert held.from_date == dt.date(2026, 6, 30) and count(new_file, Person) == 1


def test_client_records_cli_refuses_a_role_register_declaring_xml_entities(tmp_path, capsys):
    import zipfile

    path = str(tmp_path / "c.aims")
    assert main(["new", path, "--client", "Acme", "--size", "small"]) == 0
    source, hostile = copied(tmp_path, ROLES), tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(hostile, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                head, _, rest = data.partition(b"?>")
                data = head + b'?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + rest
            zout.writestr(info, data)
    before = (tmp_path / "c.aims").read_bytes()
    capsys.readouterr()
    assert main(["import-people", path, str(hostile), "--apply"]) == 2
    assert "declares XML entities" in capsys.readouterr().err
    assert (tmp_path / "c.aims").read_bytes() == before
