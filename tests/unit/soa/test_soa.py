"""The Statement of Applicability: decisions, rules, risk links, issued versions."""

from __future__ import annotations

import pytest

from app.services import status
from app.services.engagement.errors import FieldError
from app.services.risks import service as risks
from app.services.soa import service as soa


def _flags(ef, control_id):
    found = soa.evaluate(soa.list_lines(ef), soa.risks_by_control(ef))
    return soa.flags_by_control(found).get(control_id, [])


def _decide_all(ef):
    """Every control included for a business reason: a draft complete enough to issue."""
    ids = [c.id for c in ef.catalog.controls]
    soa.set_values(ef, "decision", dict.fromkeys(ids, "included"))
    soa.set_values(ef, "reason_business", dict.fromkeys(ids, True))


def test_soa_has_the_38_controls_undecided_at_first(new_file):
    lines = soa.list_lines(new_file)
    assert len(lines) == 38 and lines[0].control_id == "A.2.2"
    assert {line.decision for line in lines} == {"undecided"}
    assert soa.summary(new_file)["undecided"] == 38


def test_soa_exclusion_needs_justification(new_file):
    soa.set_values(new_file, "decision", {"A.10.4": "excluded"})
    assert _flags(new_file, "A.10.4") == ["excluded_without_justification"]
    soa.set_values(new_file, "justification", {"A.10.4": "No customers use our AI"})
    assert _flags(new_file, "A.10.4") == []


def test_soa_included_needs_owner_and_implemented_needs_evidence(new_file):
    soa.set_values(new_file, "decision", {"A.5.2": "included"})
    soa.set_values(new_file, "reason_legal", {"A.5.2": True})  # SOA-06 is its own test
    soa.set_values(new_file, "status", {"A.5.2": "implemented"})
    assert _flags(new_file, "A.5.2") == ["included_without_owner", "implemented_without_evidence"]
    soa.set_values(new_file, "owner", {"A.5.2": "DPO"})
    soa.set_values(new_file, "evidence", {"A.5.2": "IA procedure v2"})
    assert _flags(new_file, "A.5.2") == []


def test_soa_contradiction_with_the_risk_register_both_ways(new_file):
    rid, _ = risks.save_risk(
        new_file,
        None,
        {"title": "Bias", "inherent_likelihood": 3, "inherent_impact": 3},
        controls=[risks.ControlChoice("A.7.4", "Data checks")],
    )
    assert soa.risks_by_control(new_file)["A.7.4"] == [(rid, "Bias")]
    soa.set_values(new_file, "decision", {"A.7.4": "excluded"})
    soa.set_values(new_file, "justification", {"A.7.4": "We buy data"})
    assert _flags(new_file, "A.7.4") == ["contradiction"]
    risks.set_deleted(new_file, rid, True)
    assert _flags(new_file, "A.7.4") == []


def test_soa_bulk_set_and_bad_values(new_file):
    old = soa.set_values(new_file, "owner", {"A.2.2": "CEO", "A.2.3": "CEO"})
    assert old == {"A.2.2": "", "A.2.3": ""}
    assert [soa.get_line(new_file, c).owner for c in ("A.2.2", "A.2.3")] == ["CEO", "CEO"]
    with pytest.raises(FieldError, match="not one of"):
        soa.set_values(new_file, "status", {"A.2.2": "done"})
    with pytest.raises(FieldError, match="A.99.9 is not an Annex A control"):
        soa.set_values(new_file, "owner", {"A.99.9": "x"})
    with pytest.raises(FieldError, match="not a date"):
        soa.set_values(new_file, "target_date", {"A.2.2": "2027-02-30"})


def test_soa_issue_is_blocked_by_missing_justifications(new_file):
    soa.set_values(new_file, "decision", {"A.8.3": "excluded", "A.10.4": "excluded"})
    with pytest.raises(FieldError, match="A.8.3, A.10.4") as caught:
        soa.issue(new_file, "CEO")
    assert caught.value.field == "justification"
    assert soa.last_issued(new_file) is None


def test_soa_issue_freezes_a_version_and_refuses_an_unchanged_one(new_file):
    _decide_all(new_file)  # since issue 14 an undecided control blocks the issue
    assert soa.issue(new_file, "Board", "2026-10-01") == 1
    with pytest.raises(FieldError, match="Nothing changed since version 1"):
        soa.issue(new_file, "Board")
    soa.set_values(new_file, "owner", {"A.2.2": "CEO"})
    issued = soa.get_issued(new_file, 1)
    assert issued.approved_by == "Board" and str(issued.issued_on) == "2026-10-01"
    assert next(x for x in issued.lines if x.control_id == "A.2.2").owner == ""  # frozen
    assert [(c.control_id, c.field, c.old, c.new) for c in soa.changes_since_issued(new_file)] == [
        ("A.2.2", "Owner", "", "CEO")
    ]
    assert soa.issue(new_file, "Board") == 2
    with pytest.raises(FieldError, match="who approved"):
        soa.issue(new_file, " ")


def test_soa_json_section_of_the_demo(demo_file):
    data = status.summary(demo_file)["soa"]
    # 38 Annex A controls and, since issue 14, the demo's controls beyond Annex A
    assert data["controls"] == 38 + data["additional_controls"] and data["issued_version"] == 1
    assert data["included"] + data["excluded"] + data["undecided"] == data["controls"]
    for rule in ("excluded_without_justification", "contradictions", "undecided"):
        assert data[rule] >= 1, rule
    assert soa.changes_since_issued(demo_file)


def test_soa_catalog_titles_alone_make_no_new_version(new_file):
    _decide_all(new_file)
    soa.issue(new_file, "Board")
    with new_file.writing() as session:
        from app.models import SoaVersion

        version = session.get(SoaVersion, 1)
        version.content = version.content.replace('"AI policy"', '"AI policy (renamed)"')
    assert soa.changes_since_issued(new_file) == []
    with pytest.raises(FieldError, match="Nothing changed"):
        soa.issue(new_file, "Board")
