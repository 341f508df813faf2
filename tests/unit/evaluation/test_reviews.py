"""Management reviews: Prepare inputs fills each expected input from the engagement's own
figures as they stood on the review's date (the figures recorded after it, or before the
previous review, left out), keeps notes already written unless told, and the MRV rules."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import (
    AimsRole,
    Audit,
    AuditLine,
    CorrectiveAction,
    Improvement,
    Measurement,
    Nonconformity,
    Objective,
    Person,
    RoleAssignment,
)
from app.services import status
from app.services.engagement import history
from app.services.engagement.errors import FieldError
from app.services.engagement.file import create_engagement
from app.services.evaluation import review_inputs
from app.services.evaluation.reviews import ACTIONS, INPUTS, REVIEWS, TOPICS
from app.services.registers import service as register

D = dt.date
CREATED = dt.datetime(2024, 6, 1, 9, 0)
PREVIOUS, REVIEW = D(2025, 1, 15), D(2025, 6, 30)


def _add(session, model, **values):
    session.add(model(created_at=CREATED, deleted=False, **values))


@pytest.fixture
def ef(tmp_path):
    ef = create_engagement(tmp_path / "client.aims", client="Acme Analytics GmbH", size="small")
    yield ef
    ef.close()


@pytest.fixture
def figures_ef(ef):
    """An engagement whose figures are known, on both sides of each date that matters."""
    with ef.writing() as s:
        for nid, raised, closed, due, grade in (
            ("NC-1", D(2025, 2, 1), D(2025, 5, 1), None, "minor"),  # closed in the period
            ("NC-2", D(2025, 3, 1), None, D(2025, 4, 1), "major"),  # open and overdue
            ("NC-3", D(2025, 8, 1), None, None, "minor"),  # raised after the review
            ("NC-4", D(2024, 12, 1), D(2025, 7, 10), None, "minor"),  # closed after it
        ):
            _add(s, Nonconformity, id=nid, title=nid, raised_on=raised, closed_on=closed,
                 due_date=due, grade=grade)  # fmt: skip
        # marked closed with no date given: taken as closed
        _add(s, Nonconformity, id="NC-5", title="NC-5", raised_on=D(2025, 2, 1), status="closed")
        _add(s, CorrectiveAction, id="CA-1", action="Fix", nonconformity="NC-2",
             due_date=D(2025, 5, 1))  # fmt: skip
        _add(s, CorrectiveAction, id="CA-2", action="Train", nonconformity="NC-2",
             due_date=D(2025, 9, 1), done_on=D(2025, 6, 1))  # fmt: skip
        for oid, target, direction in (
            ("OBJ-1", 95.0, "at_least"),
            ("OBJ-2", 5.0, "at_most"),
            ("OBJ-3", 10.0, "at_least"),
            ("OBJ-4", None, "at_least"),
        ):
            _add(s, Objective, id=oid, title=oid, target=target, direction=direction)
        for mid, obj, on, number in (
            ("M-1", "OBJ-1", D(2025, 3, 1), 97.0),
            ("M-2", "OBJ-1", D(2025, 6, 1), 90.0),  # the latest by the review: off track
            ("M-3", "OBJ-1", D(2025, 7, 1), 99.0),  # after the review
            ("M-4", "OBJ-2", D(2025, 5, 1), 3.0),
        ):
            _add(s, Measurement, id=mid, objective=obj, measured_on=on, number=number,
                 value=str(number))  # fmt: skip
        for aid, actual, results in (
            ("AUD-1", D(2025, 3, 10), ["conforming"] * 3 + ["minor", "improvement"]),
            ("AUD-2", D(2024, 11, 1), ["major"]),  # before the previous review
            ("AUD-3", None, ["not_audited"]),  # planned only
            ("AUD-4", D(2025, 4, 1), ["major"]),  # cancelled (its date kept)
        ):
            status = "cancelled" if aid == "AUD-4" else "done"
            _add(s, Audit, id=aid, title=aid, actual_on=actual, status=status)
            for n, result in enumerate(results):
                _add(s, AuditLine, id=f"{aid}-L{n}", audit=aid, result=result)
        for iid, decision, decided in (
            ("IMP-1", "adopted", D(2025, 3, 1)),
            ("IMP-2", "undecided", None),
            ("IMP-3", "rejected", D(2024, 12, 1)),  # decided before the previous review
            ("IMP-4", "deferred", D(2025, 4, 1)),  # put off: still to decide
        ):
            _add(s, Improvement, id=iid, title=iid, decision=decision, decided_on=decided)
        for entity, item, field, at in (
            ("context_issue", "CI-001", "created", dt.datetime(2025, 2, 1, 10)),
            ("context_issue", "CI-001", "title", dt.datetime(2025, 2, 2, 10)),
            ("context_issue", "CI-002", "title", dt.datetime(2024, 12, 1, 10)),  # before
            ("party_requirement", "REQ-001", "created", dt.datetime(2025, 3, 1, 10)),
            ("interested_party", "IP-001", "name", dt.datetime(2025, 4, 1, 10)),
            ("obligation", "OB-001", "created", dt.datetime(2025, 8, 1, 10)),  # after
        ):
            history.record(s, "test", entity, item, field, None, "x", at=at)
    first = register.create(ef, REVIEWS, {"title": "First", "held_on": PREVIOUS})
    second = register.create(ef, REVIEWS, {"title": "Second", "held_on": REVIEW})
    for action, due, done in (
        ("Done before the review", D(2025, 2, 1), D(2025, 3, 1)),
        ("Overdue at the review", D(2025, 5, 1), None),
        ("Done after the review", D(2025, 9, 1), D(2025, 7, 15)),
    ):
        register.create(
            ef, ACTIONS, {"action": action, "review": first, "due_date": due, "done_on": done}
        )
    assert (first, second) == ("MR-01", "MR-02")
    return ef


def _notes(ef, review):
    return {t: str(i.values["notes"]) for t, i in review_inputs.inputs_of(ef, review).items()}


def test_prepare_inputs_reads_each_figure_as_of_the_review_date(figures_ef):
    done = review_inputs.prepare_inputs(figures_ef, "MR-02")
    assert (done.as_of, done.since) == (REVIEW, PREVIOUS)
    assert done.filled == list(TOPICS) and done.kept == []
    notes = _notes(figures_ef, "MR-02")
    assert notes["nonconformities"] == (
        "As of 2025-06-30: 2 nonconformities open (NC-2, NC-4), 1 major; 1 past the due date "
        "(NC-2). Raised since the previous review (2025-01-15): 3; closed: 1. Corrective "
        "actions: 1 open, 1 overdue."
    )
    assert notes["monitoring"] == (
        "As of 2025-06-30: 4 objectives; 2 measured against the target, 1 off track (OBJ-1); "
        "1 with a target but no measurement yet (OBJ-3)."
    )
    assert notes["audits"] == (
        "As of 2025-06-30: 1 audit carried out since the previous review (2025-01-15) "
        "(AUD-1); their checklists: 3 lines conforming, 1 minor nonconformity, 1 opportunity "
        "for improvement."
    )
    assert notes["issues"] == (
        "As of 2025-06-30, changed since the previous review (2025-01-15): 1 issue (CI-001); "
        "1 of them newly recorded."
    )
    assert notes["parties"] == (  # parties first, then their requirements; no obligation yet
        "As of 2025-06-30, changed since the previous review (2025-01-15): 1 interested party "
        "(IP-001); 1 party requirement (REQ-001); 1 of them newly recorded."
    )
    assert notes["previous_actions"] == (
        "As of 2025-06-30: 3 actions from earlier reviews to report on; 1 done (MRA-001), "
        "2 still open (MRA-002, MRA-003), 1 of them past the due date (MRA-002)."
    )
    assert notes["improvement"] == (
        "As of 2025-06-30: 1 opportunity decided since the previous review (2025-01-15) "
        "(IMP-1); 2 awaiting a decision (IMP-2, IMP-4)."
    )
    links = review_inputs.inputs_of(figures_ef, "MR-02")["nonconformities"].values["links"]
    assert links == "NC-2, NC-4"


def test_the_first_review_reads_everything_up_to_its_date(figures_ef):
    review_inputs.prepare_inputs(figures_ef, "MR-01")
    notes = _notes(figures_ef, "MR-01")
    assert notes["previous_actions"].endswith("this is the first review; no earlier actions "
                                              "to report on.")  # fmt: skip
    # as of 2025-01-15 only NC-4 was raised; AUD-2 (2024-11-01) was carried out
    assert notes["nonconformities"].startswith("As of 2025-01-15: 1 nonconformity open (NC-4)")
    assert "1 audit carried out up to now (AUD-2)" in notes["audits"]
    assert "1 major nonconformity" in notes["audits"]


def test_notes_already_written_are_kept_unless_replacing_is_asked(figures_ef):
    register.create(
        figures_ef, INPUTS, {"review": "MR-02", "topic": "audits", "notes": "Told by the CAE"}
    )
    assert review_inputs.written_topics(figures_ef, "MR-02") == ["audits"]
    done = review_inputs.prepare_inputs(figures_ef, "MR-02")
    assert done.kept == ["audits"] and "audits" not in done.filled
    assert _notes(figures_ef, "MR-02")["audits"] == "Told by the CAE"
    review_inputs.prepare_inputs(figures_ef, "MR-02", replace=["audits"])
    assert _notes(figures_ef, "MR-02")["audits"].startswith("As of 2025-06-30: 1 audit")
    assert len(review_inputs.inputs_of(figures_ef, "MR-02")) == len(TOPICS)  # none doubled


def test_undo_of_prepare_puts_the_inputs_back(figures_ef):
    register.create(figures_ef, INPUTS, {"review": "MR-02", "topic": "audits", "notes": "Mine"})
    done = review_inputs.prepare_inputs(figures_ef, "MR-02", replace=True)
    review_inputs.undo_prepared(figures_ef, done)
    assert _notes(figures_ef, "MR-02") == {"audits": "Mine"}
    review_inputs.redo_prepared(figures_ef, done)
    assert len(_notes(figures_ef, "MR-02")) == len(TOPICS)


def test_an_unknown_review_is_refused(figures_ef):
    with pytest.raises(FieldError, match="There is no management review MR-09"):
        review_inputs.prepare_inputs(figures_ef, "MR-09")


def _top_manager(ef, person="PER-001", until=None):
    with ef.writing() as s:
        _add(s, Person, id=person, name="Dana Whitfield")
        _add(s, AimsRole, id="ROL-01", title="Board", top_management=True)
        _add(s, RoleAssignment, id="RA-001", role="ROL-01", person=person,
             from_date=D(2024, 1, 1), to_date=until)  # fmt: skip


def test_rules_missing_input_top_management_and_overdue_actions(ef):
    _top_manager(ef, until=D(2025, 3, 31))
    today = dt.date.today()
    assert status.summary(ef)["management_reviews"]["held"] == 0
    held = register.create(
        ef, REVIEWS, {"title": "Held", "held_on": D(2025, 3, 1), "attendees": "PER-001"}
    )
    late = register.create(
        ef, REVIEWS, {"title": "After the term", "held_on": D(2025, 4, 1), "attendees": "PER-001"}
    )
    planned = register.create(
        ef, REVIEWS, {"title": "Planned", "held_on": today + dt.timedelta(days=30)}
    )
    gaps = register.gaps_by_item(REVIEWS, register.list_items(ef, REVIEWS))
    # both held reviews have no inputs yet; the planned one is not asked for them
    assert gaps == {held: ["MRV-02"], late: ["MRV-02", "MRV-03"], planned: ["MRV-03"]}
    for topic in TOPICS:
        register.create(ef, INPUTS, {"review": held, "topic": topic, "notes": "Covered"})
    register.create(ef, INPUTS, {"review": late, "topic": "audits", "notes": "Only this"})
    gaps = register.gaps_by_item(REVIEWS, register.list_items(ef, REVIEWS))
    assert held not in gaps and gaps[late] == ["MRV-02", "MRV-03"]
    register.create(ef, ACTIONS, {"action": "Late", "review": held,
                                  "due_date": today - dt.timedelta(days=1)})  # fmt: skip
    register.create(ef, ACTIONS, {"action": "Done", "review": held,
                                  "due_date": D(2025, 3, 5), "done_on": D(2025, 3, 4)})  # fmt: skip
    assert status.summary(ef)["management_reviews"] == {
        "total": 3,
        "held": 2,
        "planned": 1,
        "last_date": "2025-04-01",
        "missing_inputs": 1,
        "without_top_management": 2,
        "actions_overdue": 1,
    }
    text = status.as_text(status.summary(ef))
    assert "Reviews:     3 management reviews: 2 held (last on 2025-04-01), 1 planned;" in text


def test_an_action_done_before_its_review_and_a_second_input_per_topic_are_refused(ef):
    review = register.create(ef, REVIEWS, {"title": "Held", "held_on": D(2025, 3, 1)})
    with pytest.raises(FieldError) as refused:
        register.create(ef, ACTIONS, {"action": "Fix", "review": review, "done_on": D(2025, 2, 1)})
    assert refused.value.field == "done_on" and "before MR-01 decided it" in refused.value.message
    register.create(ef, INPUTS, {"review": review, "topic": "audits", "notes": "x"})
    with pytest.raises(FieldError) as twice:
        register.create(ef, INPUTS, {"review": review, "topic": "audits", "notes": "y"})
    assert twice.value.field == "topic" and "already has MRI-001" in twice.value.message
    with pytest.raises(FieldError, match="no person PER-404"):
        register.update(ef, REVIEWS, review, {"attendees": "PER-404"})


def test_prepare_cancelled_part_way_writes_nothing(figures_ef):
    steps = review_inputs.prepare_steps(figures_ef, "MR-02")
    seen = [next(steps) for _ in range(8)]
    assert [s[:2] for s in seen] == [(n, 8) for n in range(1, 9)]
    assert seen[0][2] == "Read where the actions of earlier reviews stand"
    assert seen[-1][2] == "Inputs written"  # written, not yet committed
    steps.close()  # what Cancel does: the transaction is rolled back
    assert review_inputs.inputs_of(figures_ef, "MR-02") == {}
