"""What a lead auditor raises against a SoA (issue 14): reasons of inclusions, exclusions marked
implemented, traceability with the risk register both ways, copied reasons, and issuing only a
complete SoA."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services import status
from app.services.engagement.errors import FieldError
from app.services.risks import service as risks
from app.services.soa import service as soa


def _flags(ef, control_id):
    found = soa.evaluate(soa.list_lines(ef), soa.risks_by_control(ef))
    return soa.flags_by_control(found).get(control_id, [])


def _risk(ef, *control_ids):
    rid, _ = risks.save_risk(
        ef,
        None,
        {"title": "Unfair declines", "inherent_likelihood": 3, "inherent_impact": 3},
        controls=[risks.ControlChoice(c, "Because") for c in control_ids],
    )
    return rid


def _decide_all(ef):
    ids = [c.id for c in ef.catalog.controls]
    soa.set_values(ef, "decision", dict.fromkeys(ids, "included"))
    soa.set_values(ef, "reason_business", dict.fromkeys(ids, True))
    soa.set_values(ef, "owner", dict.fromkeys(ids, "CIO"))


def test_soa_included_with_no_reason_is_a_gap_until_one_is_ticked_or_written(new_file):
    soa.set_values(new_file, "decision", {"A.2.2": "included", "A.2.3": "included"})
    soa.set_values(new_file, "owner", {"A.2.2": "CEO", "A.2.3": "CEO"})
    assert _flags(new_file, "A.2.2") == ["included_without_reason"]
    soa.set_values(new_file, "reason_contractual", {"A.2.2": True})
    soa.set_values(new_file, "reason_text", {"A.2.3": "Our bank clients ask for it"})
    assert _flags(new_file, "A.2.2") == [] and _flags(new_file, "A.2.3") == []
    assert soa.RULES["included_without_reason"].id == "SOA-06"


def test_soa_excluded_but_marked_implemented_is_a_gap(new_file):
    soa.set_values(new_file, "decision", {"A.10.4": "excluded"})
    soa.set_values(new_file, "justification", {"A.10.4": "No customers"})
    soa.set_values(new_file, "status", {"A.10.4": "implemented"})
    soa.set_values(new_file, "evidence", {"A.10.4": "Contract template"})
    assert _flags(new_file, "A.10.4") == ["excluded_but_implemented"]
    soa.set_values(new_file, "status", {"A.10.4": "not_started"})
    assert _flags(new_file, "A.10.4") == []


def test_soa_risk_treatment_ticked_with_no_risk_selecting_it(new_file):
    soa.set_values(new_file, "decision", {"A.7.4": "included"})
    soa.set_values(new_file, "owner", {"A.7.4": "CDO"})
    soa.set_values(new_file, "reason_risk_treatment", {"A.7.4": True})
    assert _flags(new_file, "A.7.4") == ["reason_without_risk"]
    _risk(new_file, "A.7.4")
    assert _flags(new_file, "A.7.4") == []


def test_soa_selected_by_a_risk_but_risk_treatment_not_ticked(new_file):
    _risk(new_file, "A.6.2.4")
    soa.set_values(new_file, "decision", {"A.6.2.4": "included"})
    soa.set_values(new_file, "owner", {"A.6.2.4": "CDO"})
    soa.set_values(new_file, "reason_legal", {"A.6.2.4": True})
    assert _flags(new_file, "A.6.2.4") == ["risk_without_reason"]
    soa.set_values(new_file, "reason_risk_treatment", {"A.6.2.4": True})
    assert _flags(new_file, "A.6.2.4") == []


def test_soa_the_same_reason_on_many_controls_is_an_observation(new_file):
    ids = ["A.2.2", "A.2.3", "A.2.4", "A.3.2", "A.3.3"]
    soa.set_values(new_file, "decision", dict.fromkeys(ids, "included"))
    soa.set_values(new_file, "owner", dict.fromkeys(ids, "CEO"))
    soa.set_values(new_file, "reason_text", dict.fromkeys(ids, "Best practice."))
    soa.set_values(new_file, "reason_text", {"A.3.3": "  best   PRACTICE. "})  # read loosely
    assert _flags(new_file, "A.3.3") == ["same_reason"]
    assert soa.RULES["same_reason"].severity == "observation"
    lines = soa.list_lines(new_file)
    assert soa.same_reason_count(lines, lines[0]) == 5
    soa.set_values(new_file, "reason_text", {"A.3.3": "Whistleblowing is a legal duty."})
    assert _flags(new_file, "A.2.2") == []


def test_soa_status_counts_the_new_rules(new_file):
    _risk(new_file, "A.6.2.4")
    soa.set_values(new_file, "decision", {"A.6.2.4": "included", "A.2.2": "included"})
    soa.set_values(new_file, "reason_risk_treatment", {"A.2.2": True})
    data = status.summary(new_file)["soa"]
    assert data["included_without_reason"] == 1  # A.6.2.4
    assert data["reason_without_risk"] == 1 and data["risk_without_reason"] == 1
    assert data["excluded_but_implemented"] == 0
    text = status.as_text(status.summary(new_file))
    assert "1 inclusion with no reason, 0 excluded yet implemented" in text


def test_soa_issue_is_refused_while_undecided_or_contradicting_the_risks(new_file):
    _decide_all(new_file)
    rid = _risk(new_file, "A.7.4")
    soa.set_values(new_file, "decision", {"A.7.4": "excluded", "A.4.4": "undecided"})
    soa.set_values(new_file, "justification", {"A.7.4": "We buy our data"})
    soa.set_values(new_file, "decision", {"A.7.6": "undecided"})
    with pytest.raises(FieldError) as caught:
        soa.issue(new_file, "Board")
    assert caught.value.message == (
        "The SoA cannot be issued yet. 2 controls not decided yet: A.4.4, A.7.6; "
        "1 control selected by a risk treatment but excluded: A.7.4."
    )
    assert soa.last_issued(new_file) is None
    soa.set_values(new_file, "decision", {"A.4.4": "included", "A.7.6": "included"})
    risks.set_deleted(new_file, rid, True)
    assert soa.issue(new_file, "Board") == 1


def test_soa_issue_from_the_command_line_refused_with_the_list_then_issued(tmp_path, capsys):
    from app.cli import main
    from app.services.engagement.file import open_engagement

    path = str(tmp_path / "c.aims")
    assert main(["new", path, "--client", "Acme", "--size", "small"]) == 0
    assert main(["issue-soa", path, "--approved-by", "Board"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: The SoA cannot be issued yet. 38 controls not decided yet: A.2.2")
    with open_engagement(path) as ef:
        _decide_all(ef)
    assert main(["issue-soa", path, "--approved-by", "Board", "--on", "2026-11-02"]) == 0
    out = capsys.readouterr().out
    assert "Issued version 1 of the Statement of Applicability (2026-11-02, approved by" in out


def test_soa_demo_issued_a_complete_version_and_shows_every_new_rule(demo_file):
    issued = soa.last_issued(demo_file)
    assert soa.blocking(list(issued.lines), soa.risks_by_control(demo_file)) == {}
    data = status.summary(demo_file)["soa"]
    for key in (
        "included_without_reason",
        "excluded_but_implemented",
        "reason_without_risk",
        "risk_without_reason",
        "same_reason",
        "additional_controls",
    ):
        assert data[key] >= 1, key
    assert issued.issued_on == dt.date.today() - dt.timedelta(days=30)
