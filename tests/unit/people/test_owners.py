"""Owners become people: every owner-like field matched to People, case and spacing ignored,
ambiguous names reported, unknown names reported (or added), renames cascading, and the
command line's match-owners."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from app.cli import main
from app.models import AISystem, HistoryEntry, Person, RequirementState, Risk, RiskAction
from app.services.engagement import history
from app.services.engagement.file import open_engagement
from app.services.generator import create_large
from app.services.people import owners
from app.services.people.registers import PEOPLE
from app.services.progress import finish
from app.services.registers import service as register
from app.services.risks import service as risks


@pytest.fixture
def large(tmp_path):
    ef = create_large(tmp_path / "large.aims", history_rows=0, systems=30, assessments=30,
                      risk_count=60, context_items=5)  # fmt: skip
    yield ef
    ef.close()


def _set(ef, model, column, value, where):
    with ef.writing() as session:
        session.execute(update(model).where(where).values({column: value}))


def test_owner_fields_cover_every_area():
    areas = {f.area for f in owners.FIELDS}
    assert areas == {"Clauses", "Context", "Inventory", "Risks", "SoA", "Documents",
                     "Engagement", "People", "Evaluation"}  # fmt: skip
    assert owners.field_of(RiskAction, "owner").label == "action owner"
    assert owners.field_of(Risk, "title") is None


def test_owners_match_respells_to_the_person_and_keeps_history(large):
    owners.add_person(large, "Owner 7")
    _set(large, AISystem, "business_owner", "  owner   7 ", AISystem.id == "AIS-00001")
    report = finish(owners.match_owners(large))
    with large.reading() as session:
        assert session.get(AISystem, "AIS-00001").business_owner == "Owner 7"
        changes = history.for_entity(session, "ai_system", "AIS-00001")
    assert changes[0].field == "business_owner"
    assert (changes[0].old, changes[0].new) == ("  owner   7 ", "Owner 7")
    assert report.respelled >= 1
    assert any(n.name == "Owner 7" for n in report.matched)


def test_owners_unknown_names_reported_with_their_items(large):
    report = finish(owners.match_owners(large))
    with large.reading() as session:
        query = select(func.count()).where(Risk.owner == "Owner 3", Risk.deleted.is_(False))
        risks = session.scalar(query)
    named = {n.name: n.items for n in report.unknown}
    assert "Owner 3" in named and named["Owner 3"] >= risks
    assert report.matched == [] and report.added == []
    with large.reading() as session:
        assert session.scalars(select(Person)).all() == []


def test_owners_add_new_adds_one_person_per_name_whatever_the_spelling(large):
    _set(large, RequirementState, "owner", "OWNER 1", RequirementState.owner == "Owner 1")
    _set(large, Risk, "owner", "Owner 1", Risk.owner == "Owner 1")
    report = finish(owners.match_owners(large, add_new=True))
    with large.reading() as session:
        people = session.scalars(select(Person.name)).all()
        reqs = set(session.scalars(select(RequirementState.owner)))
    assert len([p for p in people if p.casefold() == "owner 1"]) == 1
    assert "OWNER 1" not in reqs
    assert report.unknown == [] and len(report.added) == len(people)
    assert "Added" in report.summary()


def test_owners_ambiguous_name_left_as_typed_and_reported(large):
    owners.add_person(large, "Owner 2")
    with large.writing() as session:
        owners.add_people(session, ["owner  2"], "test")  # a second person of that name
    _set(large, AISystem, "business_owner", "OWNER 2", AISystem.id == "AIS-00002")
    report = finish(owners.match_owners(large))
    with large.reading() as session:
        assert session.get(AISystem, "AIS-00002").business_owner == "OWNER 2"
    ambiguous = [n for n in report.ambiguous if n.name.casefold() == "owner 2"]
    assert ambiguous and ambiguous[0].candidates == ("PER-001", "PER-002")
    assert "shared by several people" in report.summary()


def test_owners_match_cancelled_changes_nothing(large):
    owners.add_person(large, "owner 5")
    steps = owners.match_owners(large, add_new=True)
    for _ in range(len(owners.FIELDS) + 3):
        next(steps)
    steps.close()
    with large.reading() as session:
        assert session.scalars(select(Person.name)).all() == ["owner 5"]
        assert session.scalar(select(Risk.id).where(Risk.owner == "owner 5")) is None


def test_owners_rename_cascades_to_every_area_with_history(large):
    _set(large, AISystem, "business_owner", "OWNER  4", AISystem.id == "AIS-00003")
    with large.writing() as session:
        changed = owners.rename_references(session, "owner 4", "Dana Whitfield", "test")
    with large.reading() as session:
        assert session.scalar(select(Risk.id).where(Risk.owner == "Owner 4")) is None
        action = session.scalar(select(RiskAction).where(RiskAction.owner == "Dana Whitfield"))
        entry = session.scalar(select(HistoryEntry).where(HistoryEntry.field == "action owner"))
    assert {"Risks", "Inventory"} <= set(changed)
    with large.reading() as session:
        assert session.get(AISystem, "AIS-00003").business_owner == "Dana Whitfield"
    assert action is not None and entry.entity == "risk" and entry.old == "Owner 4"


def test_owners_owned_by_counts_per_area(large):
    _set(large, Risk, "owner", "Owner 9", Risk.id.in_(("R-00001", "R-00002")))
    with large.reading() as session:
        counts = owners.owned_by(session, " OWNER 9")
        risks = len(session.scalars(select(Risk.id).where(Risk.owner == "Owner 9")).all())
        actions = len(session.scalars(select(RiskAction.id).where(RiskAction.owner == "Owner 9")
                                      ).all())  # fmt: skip
    assert risks >= 2 and counts["Risks"] == risks + actions
    assert "in Risks" in owners.owned_text(counts)


def test_owners_spelling_of_a_typed_name(new_file):
    owners.add_person(new_file, "Dana Whitfield")
    assert owners.spelling(new_file, " dana  whitfield").text == "Dana Whitfield"
    assert owners.spelling(new_file, "Sam Lee").new
    assert not owners.spelling(new_file, "").new


def test_cli_match_owners_reports_and_adds(large, tmp_path, capsys):
    path = large.path
    large.close()
    assert main(["match-owners", str(path)]) == 0
    out = capsys.readouterr().out
    assert "no person yet" in out and "Owner 1 (" in out
    assert main(["match-owners", str(path), "--add-new"]) == 0
    assert "Added" in capsys.readouterr().out
    with open_engagement(path, read_only=True) as ef, ef.reading() as session:
        assert session.scalar(select(Person.id).where(Person.name == "Owner 1")) is not None


def test_cli_match_owners_bad_file(tmp_path, capsys):
    assert main(["match-owners", str(tmp_path / "missing.aims")]) == 2
    assert capsys.readouterr().err.startswith("error:")


def test_owners_follow_a_person_renamed_in_the_register(new_file):
    pid = owners.add_person(new_file, "Dana Whitfield")
    risks.save_risk(new_file, None, {"title": "Drift", "owner": "dana whitfield",
                                     "inherent_likelihood": 1, "inherent_impact": 1})  # fmt: skip
    register.update(new_file, PEOPLE, pid, {"name": "Dana Smith"})
    assert risks.get_risk(new_file, "R-001").owner == "Dana Smith"
    with new_file.reading() as session:
        changes = history.for_entity(session, "risk", "R-001")
    assert (changes[0].field, changes[0].old, changes[0].new) == (
        "owner", "dana whitfield", "Dana Smith")  # fmt: skip


def test_owners_rename_of_one_of_two_namesakes_leaves_owners_alone(new_file):
    pid = owners.add_person(new_file, "Sam Lee")
    with new_file.writing() as session:
        owners.add_people(session, ["Sam Lee"], "test")
    risks.save_risk(new_file, None, {"title": "Drift", "owner": "Sam Lee",
                                     "inherent_likelihood": 1, "inherent_impact": 1})  # fmt: skip
    register.update(new_file, PEOPLE, pid, {"name": "Samuel Lee"})
    assert risks.get_risk(new_file, "R-001").owner == "Sam Lee"
    assert owners.owned_by_item(new_file, Person, "PER-002") == {"Risks": 1}
    assert owners.owned_by_item(new_file, Risk, "R-001") == {}


def test_owners_person_field_names_match_the_list():
    from app.services.people.person_fields import PERSON_FIELDS

    assert PERSON_FIELDS == owners.PERSON_FIELD_NAMES


def test_owners_a_name_with_its_role_in_brackets_names_the_person(new_file):
    owners.add_person(new_file, "Grace Okafor")
    risks.save_risk(new_file, None, {"title": "Drift", "owner": "Grace Okafor (Compliance)",
                                     "inherent_likelihood": 1, "inherent_impact": 1})  # fmt: skip
    with new_file.reading() as session:
        assert owners.owned_by(session, "grace okafor") == {"Risks": 1}
    report = finish(owners.match_owners(new_file))
    assert risks.get_risk(new_file, "R-001").owner == "Grace Okafor"
    assert [n.name for n in report.matched] == ["Grace Okafor"] and report.unknown == []
    assert owners.spelling(new_file, "Board (Risk)").new  # nobody before the brackets
