"""Authority checks: a sign-off counts only when the name is one person who held, on that day,
a role with the authority it needs; a name that is nobody or several people is a finding too."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import Document
from app.services import status
from app.services.engagement import approvals
from app.services.inventory import impact
from app.services.inventory import service as inventory
from app.services.people import authority, holders
from app.services.risks import service as risks

DAY = dt.date(2026, 3, 2)


def person_with_role(ef, name, authorities, start=None, end=None, title="Risk committee"):
    with ef.writing() as session:
        pid = holders.add_person(session, "test", name)
        rid = holders.find_role(session, title) or holders.add_role(
            session, "test", title, authorities=authorities
        )
        holders.add_holding(session, "test", rid, pid, start, end)
    return pid


def accepted(ef, by, on=DAY):
    rid, _ = risks.save_risk(
        ef, None, {"title": "Bias", "inherent_likelihood": 4, "inherent_impact": 4,
                   "treatment": "retain", "accepted_by": by, "accepted_on": on},
    )  # fmt: skip
    return rid


def test_authority_acceptance_by_a_holder_of_accept_risk_on_that_day_is_no_finding(new_file):
    person_with_role(new_file, "Priya Shah", "accept_risk", dt.date(2025, 1, 1))
    accepted(new_file, "  priya   SHAH ")
    assert authority.findings(new_file) == []


def test_authority_acceptance_before_the_role_was_held_is_a_finding(new_file):
    person_with_role(new_file, "Priya Shah", "accept_risk", dt.date(2026, 4, 1))
    rid = accepted(new_file, "Priya Shah")
    found = authority.by_item(new_file, "risk")[rid]
    assert found.rule.id == "PPL-06" and found.problem == authority.NOT_HELD
    assert "held no role then that may accept residual AI risk" in found.text


def test_authority_acceptance_after_the_holding_ended_is_a_finding(new_file):
    person_with_role(new_file, "Priya Shah", "accept_risk", None, dt.date(2026, 3, 1))
    accepted(new_file, "Priya Shah")
    assert [f.problem for f in authority.findings(new_file)] == [authority.NOT_HELD]


def test_authority_a_role_without_the_key_gives_none(new_file):
    person_with_role(new_file, "Tom Becker", "approve_impact_assessment")
    accepted(new_file, "Tom Becker")
    assert authority.findings(new_file)[0].problem == authority.NOT_HELD


def test_authority_a_name_with_a_title_in_brackets_finds_the_person(new_file):
    person_with_role(new_file, "Priya Shah", "accept_risk")
    accepted(new_file, "Priya Shah (Chief Risk Officer)")
    assert authority.findings(new_file) == []


def test_authority_unknown_and_ambiguous_names_are_findings_in_their_own_words(new_file):
    person_with_role(new_file, "Alex Kim", "accept_risk")
    person_with_role(new_file, "alex  kim", "accept_risk")
    accepted(new_file, "Alex Kim")
    accepted(new_file, "Sam Nobody")
    texts = {f.problem: f.text for f in authority.findings(new_file)}
    assert set(texts) == {authority.AMBIGUOUS, authority.UNKNOWN}
    assert "2 people in People have that name (PER-001, PER-002)" in texts[authority.AMBIGUOUS]
    assert (
        "“Sam Nobody” accepted the residual risk, but is nobody in People"
        in (texts[authority.UNKNOWN])
    )


def test_authority_no_people_at_all_leaves_every_signoff_unproven_and_says_what_to_do(new_file):
    accepted(new_file, "Priya Shah")
    approvals.set_approval(
        new_file, approvals.Approval("treatment_plan", "Sarah Whitfield", "CEO", DAY)
    )
    found = authority.findings(new_file)
    assert [(f.subject, f.problem) for f in found] == [
        ("risk", authority.NO_PEOPLE),
        ("treatment_plan", authority.NO_PEOPLE),
    ]
    assert "add Sarah Whitfield to People with a role that may approve the risk criteria" in (
        found[1].text
    )
    assert found[1].rule.id == "PPL-11" and found[1].label == "Risk treatment plan"


def test_authority_a_committee_recorded_as_a_role_counts_by_its_authorities(new_file):
    person_with_role(new_file, "Priya Shah", "accept_risk", title="Executive Risk Committee")
    approvals.set_approval(
        new_file, approvals.Approval("risk_criteria", "Executive Risk Committee", "", DAY)
    )
    accepted(new_file, "executive risk committee")
    found = authority.findings(new_file)
    assert [(f.subject, f.problem) for f in found] == [("risk_criteria", authority.ROLE_WITHOUT)]
    assert "(a role in People) approved the risk criteria on 2026-03-02, but may not" in (
        found[0].text
    )


def test_authority_impact_assessment_policy_and_soa_are_checked(new_file):
    person_with_role(new_file, "Priya Shah", "accept_risk")
    system = inventory.create_system(new_file, {"name": "Credit model"})
    aid = impact.create_assessment(
        new_file, system, {"assessed_on": DAY, "approved_by": "Priya Shah", "approved_on": DAY}
    )
    with new_file.writing() as session:
        policy = Document(id="DOC-010", title="AI policy", ai_policy=True, approved_by="Priya",
                          approved_on=DAY, created_at=dt.datetime.now())  # fmt: skip
        session.add(policy)
    found = {f.subject: f for f in authority.findings(new_file)}
    assert found["impact_assessment"].item == aid and found["impact_assessment"].rule.id == "PPL-07"
    assert found["policy"].item == "DOC-010" and found["policy"].rule.id == "PPL-09"


def test_authority_count_is_in_status_people_section(new_file):
    person_with_role(new_file, "Tom Becker", "approve_soa")
    accepted(new_file, "Tom Becker")
    accepted(new_file, "Tom Becker")
    data = status.summary(new_file, check_attachments=False)
    assert data["people"]["approvals_without_authority"] == 2
    assert "Authority:   2 sign-offs (acceptances and approvals)" in status.as_text(data)


@pytest.mark.parametrize("subject", list(authority.SUBJECTS))
def test_authority_every_subject_has_its_rule_in_the_registry(subject):
    from app.services.registry import GAP_RULES

    assert authority.RULES[subject] in GAP_RULES


def test_authority_pack_gap_table_lists_each_rule_with_its_items(new_file):
    from app.services.pack import data as pack_data
    from app.services.readiness import findings

    rid = accepted(new_file, "Tom Becker")
    steps = pack_data.load(new_file)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            loaded = stop.value
            break
    rows = {g.rule.id: g for g in findings.of_areas(loaded) if g.area == "People"}
    assert rows["PPL-06"].items == (rid,) and rows["PPL-06"].open
    assert not rows["PPL-09"].open


def test_authority_demo_has_one_acceptance_without_authority_the_rest_authorised(demo_file):
    found = authority.findings(demo_file)
    risk = [f for f in found if f.subject == "risk"]
    assert [(f.name, f.problem) for f in risk] == [
        ("Tom Becker (Head of Data Science)", authority.NOT_HELD)
    ]
    # the board member approved the AI policy and the criteria, holding top management
    assert not [f for f in found if f.subject in ("policy", "risk_criteria")]


def test_authority_soa_only_the_version_in_force_is_checked(new_file):
    from app.models import SoaVersion

    person_with_role(new_file, "Priya Shah", "approve_soa", dt.date(2026, 1, 1))
    with new_file.writing() as session:
        for number, by in ((1, "Tom Becker"), (2, "Priya Shah")):
            session.add(SoaVersion(number=number, issued_on=DAY, approved_by=by, content="[]",
                                   created_at=dt.datetime.now()))  # fmt: skip
    assert authority.by_item(new_file, "soa") == {}  # v1, superseded, is history
    with new_file.writing() as session:
        session.add(SoaVersion(number=3, issued_on=DAY, approved_by="Tom Becker", content="[]",
                               created_at=dt.datetime.now()))  # fmt: skip
    found = authority.of_item(new_file, "soa", "3")
    assert found is not None and found.rule.id == "PPL-08" and found.label == "SoA version 3"


def test_authority_a_committee_nobody_sat_on_that_day_shows_no_authority(new_file):
    person_with_role(new_file, "Priya Shah", "accept_risk", dt.date(2026, 6, 1),
                     title="Executive Risk Committee")  # fmt: skip
    accepted(new_file, "Executive Risk Committee")
    found = authority.findings(new_file)
    assert [f.problem for f in found] == [authority.ROLE_EMPTY]
    assert "but nobody held that role then: record who sat on it" in found[0].text
