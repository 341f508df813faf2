"""Nonconformities (10.2) and improvements (10.1): the life cycle from an audit line to the
effectiveness review (not effective reopens it), the dates refused at their field, the rules,
the status counts and `aims-prep list`."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.cli import main
from app.models import Audit, AuditLine
from app.services.engagement import history
from app.services.engagement.errors import FieldError
from app.services.evaluation import nonconformities as nc
from app.services.evaluation.nonconformities import CORRECTIVE_ACTIONS, NONCONFORMITIES
from app.services.registers import service as register

D = dt.date


def _audit_line(ef, line_id, result, ref="A.6.2.6"):
    """An audit line as the audit register records it (written directly: the audit's own
    services are another topic's)."""
    now = dt.datetime.now()
    with ef.writing() as session:
        audit_id = line_id.rsplit("-", 1)[0]
        if session.get(Audit, audit_id) is None:
            session.add(
                Audit(id=audit_id, title="First AIMS audit", actual_on=D(2026, 10, 1),
                      status="done", created_at=now, deleted=False)
            )  # fmt: skip
        session.add(
            AuditLine(id=line_id, audit=audit_id, position=int(line_id[-3:]), ref=ref,
                      title="Monitoring reviewed", result=result, notes="No sign-off since May",
                      created_at=now, deleted=False)
        )  # fmt: skip


def _values(ef, item_id):
    return register.get_item(ef, NONCONFORMITIES, item_id).values


def _nc(ef, **values):
    return register.create(ef, NONCONFORMITIES, {"title": "Drift not reviewed", **values})


def test_nonconformity_raised_from_an_audit_line_takes_its_ref_grade_and_date(new_file):
    _audit_line(new_file, "AUD-001-002", "major_nonconformity")
    nc_id = nc.raise_from_line(new_file, "AUD-001-002")
    v = _values(new_file, nc_id)
    assert nc_id == "NC-001"
    assert (v["source"], v["source_ref"], v["ref"], v["grade"]) == (
        "internal_audit", "AUD-001-002", "A.6.2.6", "major",
    )  # fmt: skip
    assert v["raised_on"] == D(2026, 10, 1) and v["description"] == "No sign-off since May"


def test_nonconformity_not_raised_from_a_conforming_line_nor_twice(new_file):
    _audit_line(new_file, "AUD-001-001", "observation")
    _audit_line(new_file, "AUD-001-002", "minor_nonconformity")
    with pytest.raises(FieldError, match="AUD-001-001 is not a minor or major nonconformity"):
        nc.raise_from_line(new_file, "AUD-001-001")
    with pytest.raises(FieldError, match="no audit line AUD-009-001"):
        nc.raise_from_line(new_file, "AUD-009-001")
    assert _values(new_file, nc.raise_from_line(new_file, "AUD-001-002"))["grade"] == "minor"
    with pytest.raises(FieldError, match="NC-001 was already raised from audit line") as twice:
        nc.raise_from_line(new_file, "AUD-001-002")
    assert twice.value.field == "source_ref"


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"raised_on": "2026-10-10", "closed_on": "2026-10-01", "status": "closed"},
         "closed_on", "before it was raised"),
        ({"raised_on": "2026-10-10", "due_date": "2026-10-09"}, "due_date", "before the"),
        ({"ref": "A.99.1"}, "ref", "there is no clause or control A.99.1"),
        ({"raised_on": "2026-02-30"}, "raised_on", "is not a date"),
    ],
)  # fmt: skip
def test_nonconformity_bad_dates_and_refs_are_refused_at_their_field(new_file, values, field, says):
    with pytest.raises(FieldError, match=says) as refused:
        _nc(new_file, **values)
    assert refused.value.field == field


def test_nonconformity_clause_point_or_control_is_taken(new_file):
    for ref in ("10.2", "P-4.1-01", "A.6.2.6"):
        assert _values(new_file, _nc(new_file, title=f"On {ref}", ref=ref))["ref"] == ref


def test_nonconformity_raised_date_moved_past_its_closing_is_refused_there(new_file):
    nc_id = _nc(new_file, raised_on="2026-10-01", status="closed", closed_on="2026-10-20")
    with pytest.raises(FieldError, match="before it was raised") as refused:
        register.update(new_file, NONCONFORMITIES, nc_id, {"raised_on": "2026-11-01"})
    assert refused.value.field == "raised_on"


def test_effectiveness_review_waits_for_the_corrective_actions(new_file):
    nc_id = _nc(new_file, raised_on="2026-10-01", root_cause="No deputy named")
    action = register.create(
        new_file, CORRECTIVE_ACTIONS, {"action": "Name a deputy", "nonconformity": nc_id}
    )
    with pytest.raises(FieldError, match="CA-001 is not done yet") as refused:
        nc.record_effectiveness(new_file, nc_id, "2026-11-01", "Priya Shah", effective=True)
    assert refused.value.field == "effectiveness_on"
    register.update(new_file, CORRECTIVE_ACTIONS, action, {"done_on": "2026-11-05"})
    with pytest.raises(FieldError, match="after this review"):
        nc.record_effectiveness(new_file, nc_id, "2026-11-01", "Priya Shah", effective=True)
    nc.record_effectiveness(new_file, nc_id, "2026-11-20", "Priya Shah", effective=True)
    nc.close(new_file, nc_id, "2026-11-21")
    item = register.get_item(new_file, NONCONFORMITIES, nc_id)
    assert item.values["status"] == "closed" and NONCONFORMITIES.gaps(item) == []


def test_effectiveness_review_not_effective_reopens_it_and_keeps_why(new_file):
    nc_id = _nc(new_file, raised_on="2026-10-01", root_cause="No deputy")
    register.create(
        new_file,
        CORRECTIVE_ACTIONS,
        {"action": "Remind owners", "nonconformity": nc_id, "done_on": "2026-10-05"},
    )
    nc.close(new_file, nc_id, "2026-10-06")
    with pytest.raises(FieldError, match="Say why") as refused:
        nc.record_effectiveness(new_file, nc_id, "2026-11-01", "Priya Shah", effective=False)
    assert refused.value.field == "effectiveness_note"
    nc.record_effectiveness(
        new_file, nc_id, "2026-11-01", "Priya Shah", effective=False, note="Reports still late"
    )
    v = _values(new_file, nc_id)
    assert (v["status"], v["closed_on"], v["effective"]) == ("open", None, "no")
    with new_file.reading() as session:
        changes = history.for_entity(session, NONCONFORMITIES.entity, nc_id, 50)
    by_field = {}
    for change in changes:  # the newest first
        by_field.setdefault(change.field, change)
    assert (by_field["status"].old, by_field["status"].new) == ("closed", "open")
    assert by_field["effectiveness_note"].new == "Reports still late"
    with pytest.raises(FieldError, match="found the actions not effective"):
        nc.close(new_file, nc_id, "2026-11-02")


def test_nonconformity_closed_without_a_review_is_allowed_but_a_gap(new_file):
    nc_id = _nc(new_file, raised_on="2026-10-01")
    nc.close(new_file, nc_id, "2026-10-02")
    item = register.get_item(new_file, NONCONFORMITIES, nc_id)
    assert [r.id for r in NONCONFORMITIES.gaps(item)] == ["NCR-02"]


def test_nonconformity_status_and_closing_date_go_together(new_file):
    nc_id = _nc(new_file, raised_on="2026-10-01")
    with pytest.raises(FieldError, match="Enter the date it was closed") as refused:
        register.update(new_file, NONCONFORMITIES, nc_id, {"status": "closed"})
    assert refused.value.field == "closed_on"


def test_corrective_action_names_a_nonconformity_and_not_before_it(new_file):
    nc_id = _nc(new_file, raised_on="2026-10-01")
    with pytest.raises(FieldError, match="there is no nonconformity NC-404"):
        register.create(new_file, CORRECTIVE_ACTIONS, {"action": "x", "nonconformity": "NC-404"})
    with pytest.raises(FieldError, match="before NC-001 was raised") as refused:
        register.create(
            new_file,
            CORRECTIVE_ACTIONS,
            {"action": "x", "nonconformity": nc_id, "due_date": "2026-09-01"},
        )
    assert refused.value.field == "due_date"


def test_nonconformity_rules_fire_at_the_item(new_file):
    today = dt.date.today()
    late = _nc(new_file, raised_on=today - dt.timedelta(days=90), due_date=today - dt.timedelta(1))
    acted = _nc(new_file, title="No cause", raised_on=today)
    register.create(new_file, CORRECTIVE_ACTIONS, {"action": "Fix", "nonconformity": acted})
    gaps = register.gaps_by_item(NONCONFORMITIES, register.list_items(new_file, NONCONFORMITIES))
    assert gaps == {late: ["NCR-01", "NCR-04"], acted: ["NCR-03"]}
    one = register.get_item(new_file, NONCONFORMITIES, acted)  # as the tab refreshes it
    assert [r.id for r in NONCONFORMITIES.gaps(one)] == ["NCR-03"]


def test_nonconformity_demo_fires_every_rule_and_status_counts_them(demo_file, capsys):
    items = register.list_items(demo_file, NONCONFORMITIES)
    fired = {r for i in items for r in register.gaps_by_item(NONCONFORMITIES, [i]).get(i.id, [])}
    assert fired == {"NCR-01", "NCR-02", "NCR-03", "NCR-04"}
    by_ref = {i.values["source_ref"]: i.values for i in items}
    assert by_ref["AUD-001-002"]["grade"] == "minor" and by_ref["AUD-001-005"]["grade"] == "major"
    path = str(demo_file.path)
    demo_file.close()
    assert main(["status", path, "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)["nonconformities"]
    assert {k: counts[k] for k in ("open", "overdue", "closed_without_effectiveness_review",
                                   "without_root_cause")} == {
        "open": 4, "overdue": 1, "closed_without_effectiveness_review": 1, "without_root_cause": 1,
    }  # fmt: skip


def test_nonconformity_list_command(demo_file, capsys):
    path = str(demo_file.path)
    demo_file.close()
    assert main(["list", path, "nonconformities", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in found] == ["NC-001", "NC-002", "NC-003", "NC-004", "NC-005"]
    assert found[0]["source_ref"] == "AUD-001-002" and found[0]["status"] == "closed"
    assert main(["list", path, "corrective_actions"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0].startswith("ID\tAction\tNonconformity") and "CA-006" in text


def test_effectiveness_review_fields_are_held_together(new_file):
    from app.services.engagement.errors import RuleError

    nc_id = _nc(new_file, raised_on="2026-10-01")
    with pytest.raises(RuleError) as refused:
        register.update(new_file, NONCONFORMITIES, nc_id, {"effective": "yes"})
    assert refused.value.field == "effectiveness_on"
    assert {"effectiveness_on", "effectiveness_by", "effective"} <= set(refused.value.fields)


def test_not_effective_set_on_a_closed_nonconformity_says_how_to_reopen(new_file):
    nc_id = _nc(new_file, raised_on="2026-10-01", status="closed", closed_on="2026-10-02")
    review = {"effectiveness_on": "2026-10-03", "effectiveness_by": "Priya Shah",
              "effectiveness_note": "Still late", "effective": "no"}  # fmt: skip
    with pytest.raises(FieldError, match="Record effectiveness review") as refused:
        register.update(new_file, NONCONFORMITIES, nc_id, review)
    assert refused.value.field == "effective"
    assert _values(new_file, nc_id)["status"] == "closed"


@pytest.mark.parametrize("days_ago", [2, 30, 200])
def test_nonconformity_demo_raises_from_the_audit_lines_when_the_audit_has_them(new_file, days_ago):
    from app.services.evaluation import demo

    _audit_line(new_file, "AUD-001-002", "minor_nonconformity")
    _audit_line(new_file, "AUD-001-005", "major_nonconformity", ref="A.5.2")
    with new_file.writing() as session:  # the audit's date, whenever the audits demo sets it
        session.get(Audit, "AUD-001").actual_on = dt.date.today() - dt.timedelta(days=days_ago)
    demo.nonconformities(new_file)
    items = {i.id: i for i in register.list_items(new_file, NONCONFORMITIES)}
    assert items["NC-001"].values["raised_on"] == dt.date.today() - dt.timedelta(days=days_ago)
    assert (items["NC-001"].values["grade"], items["NC-002"].values["grade"]) == ("minor", "major")
    fired = {r.id for i in items.values() for r in NONCONFORMITIES.gaps(i)}
    assert fired == {"NCR-01", "NCR-02", "NCR-03", "NCR-04"}


def test_improvement_raised_from_an_audit_line_once(new_file):
    _audit_line(new_file, "AUD-001-003", "opportunity_for_improvement")
    _audit_line(new_file, "AUD-001-004", "minor_nonconformity")
    assert [i for i, _text in nc.lines_to_raise(new_file, improvements=True)] == ["AUD-001-003"]
    with pytest.raises(FieldError, match="is not an opportunity for improvement"):
        nc.raise_improvement_from_line(new_file, "AUD-001-004")
    ofi = nc.raise_improvement_from_line(new_file, "AUD-001-003")
    v = register.get_item(new_file, nc.IMPROVEMENTS, ofi).values
    assert (ofi, v["source"], v["source_ref"], v["decision"]) == (
        "OFI-001", "internal_audit", "AUD-001-003", "undecided",
    )  # fmt: skip
    assert nc.lines_to_raise(new_file, improvements=True) == []
    with pytest.raises(FieldError, match="OFI-001 was already raised from audit line"):
        nc.raise_improvement_from_line(new_file, "AUD-001-003")


def test_a_whole_audit_may_be_the_source_of_several_nonconformities(new_file):
    _audit_line(new_file, "AUD-001-002", "minor_nonconformity")
    for title in ("One", "Two"):
        _nc(new_file, title=title, source="internal_audit", source_ref="AUD-001")
    assert len(register.list_items(new_file, NONCONFORMITIES)) == 2
