"""The certification plan: dates from the typical duration, the target dates, the records and
what the consultant set, kept in the file."""

from __future__ import annotations

import datetime as dt

import pytest

from app.services.engagement import history
from app.services.engagement.errors import FieldError
from app.services.engagement.file import create_engagement, open_engagement
from app.services.evaluation.audits import AUDITS
from app.services.evaluation.reviews import REVIEWS
from app.services.readiness import plan
from app.services.registers import service as register

START = dt.date(2026, 1, 15)
TODAY = dt.date(2026, 12, 1)


def engagement(tmp_path, size="mid", iso27001=False, **details):
    return create_engagement(
        tmp_path / "p.aims", client="Acme", size=size, iso27001=iso27001,
        aims_started_on=START, **details,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("size", "iso27001", "typical", "stage1"),
    [
        ("small", False, (4, 6), dt.date(2026, 7, 15)),
        ("mid", False, (6, 12), dt.date(2027, 1, 15)),
        ("large", False, (12, 18), dt.date(2027, 7, 15)),
        ("small", True, (4, 6), dt.date(2026, 7, 15)),
        ("mid", True, (4, 8), dt.date(2026, 9, 15)),
        ("large", True, (4, 8), dt.date(2026, 9, 15)),
    ],
)
def test_plan_stage1_at_the_upper_bound_of_the_typical_range(
    tmp_path, size, iso27001, typical, stage1
):
    with engagement(tmp_path, size, iso27001) as ef:
        p = plan.plan(ef, TODAY)
    assert p.typical == typical and p.start == START
    assert p.get("stage1").date == stage1 and p.get("stage1").source == "typical"
    assert p.warning is None


def test_plan_milestones_in_order_before_and_after_stage1(tmp_path):
    with engagement(tmp_path, "small") as ef:
        p = plan.plan(ef, TODAY)
    days = [m.date for m in p.milestones]
    assert [m.key for m in p.milestones] == [key for key, _title in plan.MILESTONES]
    assert days == sorted(days) and len(set(days)) == len(days)
    assert p.get("internal_audit").date < p.get("management_review").date < p.get("stage1").date
    assert p.get("stage2").date == dt.date(2026, 8, 26)  # six weeks after Stage 1
    assert p.get("certificate").date == dt.date(2026, 10, 7)
    assert p.get("surveillance_1").date == dt.date(2027, 10, 7)
    assert p.get("surveillance_2").date == dt.date(2028, 10, 7)
    assert p.get("recertification").date == dt.date(2029, 7, 7)  # 3 months before expiry


def test_plan_target_date_tighter_than_typical_says_by_how_much(tmp_path):
    with create_engagement(
        tmp_path / "t.aims", client="Acme", size="mid", aims_started_on=dt.date(2026, 11, 1),
        stage1_date=dt.date(2027, 2, 1),
    ) as ef:  # fmt: skip
        p = plan.plan(ef, TODAY)
    assert p.get("stage1").date == dt.date(2027, 2, 1) and p.get("stage1").source == "details"
    assert p.warning == (
        "The target Stage 1 date leaves 3 months from the start on 2026-11-01; a mid-size "
        "organization typically needs 6 to 12 months: about 3 months short."
    )
    assert p.get("management_review").date < dt.date(2027, 2, 1)


def test_plan_target_within_the_typical_range_warns_nothing(tmp_path):
    with engagement(tmp_path, "large", True, stage1_date=dt.date(2026, 6, 1)) as ef:
        assert plan.plan(ef, TODAY).warning is None  # 4.5 months, holding ISO/IEC 27001


def test_plan_target_weeks_after_the_start_counts_days(tmp_path):
    with engagement(tmp_path, "small", stage1_date=dt.date(2026, 2, 4)) as ef:
        warning = plan.plan(ef, TODAY).warning
    assert warning == (
        "The target Stage 1 date leaves 20 days from the start on 2026-01-15; a small "
        "organization typically needs 4 to 6 months: about 3 months short."
    )


def test_plan_stage2_date_of_the_details_moves_the_certificate(tmp_path):
    with engagement(tmp_path, stage2_date=dt.date(2027, 3, 1)) as ef:
        p = plan.plan(ef, TODAY)
    assert p.get("stage2").date == dt.date(2027, 3, 1) and p.get("stage2").source == "details"
    assert p.get("certificate").date == dt.date(2027, 4, 12)


def test_plan_without_start_date_starts_on_the_day_the_file_was_made(tmp_path):
    with create_engagement(tmp_path / "n.aims", client="Acme", size="small") as ef:
        p = plan.plan(ef)
        made = ef.details.created_at.date()
    assert p.start == made and p.start_source == "created"
    assert p.get("stage1").date == plan.add_months(made, 6)


def test_plan_records_move_the_audit_and_review_and_mark_them_done(tmp_path):
    with engagement(tmp_path) as ef:
        register.create(ef, AUDITS, {"title": "First", "status": "done",
                                     "actual_on": "2026-05-04"})  # fmt: skip
        register.create(ef, AUDITS, {"title": "Second", "status": "done",
                                     "actual_on": "2026-06-10"})  # fmt: skip
        register.create(ef, AUDITS, {"title": "Planned", "planned_on": "2026-09-01"})
        register.create(ef, REVIEWS, {"title": "Review", "held_on": "2026-07-01"})
        p = plan.plan(ef, TODAY)
    audit, review = p.get("internal_audit"), p.get("management_review")
    assert (audit.date, audit.done, audit.source) == (dt.date(2026, 6, 10), True, "record")
    assert (review.date, review.done, review.source) == (dt.date(2026, 7, 1), True, "record")
    assert [m.key for m in p.next(2)] == ["gap_assessment", "implementation"]


def test_plan_review_not_held_yet_stays_planned(tmp_path):
    with engagement(tmp_path) as ef:
        register.create(ef, REVIEWS, {"title": "Review", "held_on": "2026-07-01"})
        review = plan.plan(ef, dt.date(2026, 6, 1)).get("management_review")
    assert not review.done and review.source == "typical"


def test_set_milestone_kept_in_the_file_and_cleared_back_to_the_computed_date(tmp_path):
    with engagement(tmp_path, "small") as ef:
        computed = plan.plan(ef, TODAY).get("internal_audit").date
        plan.set_milestone(ef, "internal_audit", planned_on=dt.date(2026, 5, 20), today=TODAY)
        plan.set_milestone(ef, "gap_assessment", done_on=dt.date(2026, 2, 2), note="Workshop",
                           today=TODAY)  # fmt: skip
        plan.set_milestone(ef, "stage1", planned_on=dt.date(2026, 8, 3), today=TODAY)
    with open_engagement(tmp_path / "p.aims") as ef:
        p = plan.plan(ef, TODAY)
        assert (p.get("internal_audit").date, p.get("internal_audit").source) == (
            dt.date(2026, 5, 20), "set",
        )  # fmt: skip
        gap = p.get("gap_assessment")
        assert (gap.date, gap.done, gap.note) == (dt.date(2026, 2, 2), True, "Workshop")
        assert ef.details.stage1_date == dt.date(2026, 8, 3)
        assert p.get("stage1").date == dt.date(2026, 8, 3)
        before = plan.set_milestone(ef, "internal_audit", planned_on=None, today=TODAY)
        assert before.planned_on == dt.date(2026, 5, 20)
        with ef.reading() as session:
            changes = history.for_entity(session, "milestone", "internal_audit")
    with open_engagement(tmp_path / "p.aims") as ef:
        audit = plan.plan(ef, TODAY).get("internal_audit")
    assert audit.source == "typical" and audit.date != dt.date(2026, 5, 20)
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("planned_on", "2026-05-20", None), ("planned_on", None, "2026-05-20"),
    ]  # fmt: skip
    assert computed != dt.date(2026, 5, 20)


def test_set_milestone_refuses_unknown_key_and_future_done_date(tmp_path):
    with engagement(tmp_path) as ef:
        with pytest.raises(FieldError, match="'stage3' is not a milestone"):
            plan.set_milestone(ef, "stage3", planned_on=dt.date(2026, 5, 1))
        with pytest.raises(FieldError, match="a day still to come"):
            plan.set_milestone(ef, "stage1", done_on=dt.date(2026, 12, 2), today=TODAY)
        p = plan.plan(ef, TODAY)
    assert not any(m.done for m in p.milestones)


def test_plan_as_json_gives_every_milestone(tmp_path):
    with engagement(tmp_path, "small") as ef:
        plan.set_milestone(ef, "gap_assessment", done_on=dt.date(2026, 2, 2), today=TODAY)
        data = plan.as_json(plan.plan(ef, TODAY))
    assert data[0] == {"milestone": "gap_assessment", "date": "2026-02-02", "done": True}
    assert data[4] == {"milestone": "stage1", "date": "2026-07-15", "done": False}
    assert len(data) == 10


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2027, 11, 30), 3, dt.date(2028, 2, 29)),
        (dt.date(2026, 3, 15), -3, dt.date(2025, 12, 15)),
    ],
)
def test_add_months_keeps_the_day_or_the_months_last(day, months, expected):
    assert plan.add_months(day, months) == expected


def test_set_milestone_stage1_is_the_target_date_and_its_old_value_puts_it_back(tmp_path):
    with engagement(tmp_path, "small", stage1_date=dt.date(2026, 9, 1)) as ef:
        old = plan.set_milestone(ef, "stage1", planned_on=dt.date(2026, 10, 5), today=TODAY)
        assert ef.details.stage1_date == dt.date(2026, 10, 5)
        assert plan.plan(ef, TODAY).get("stage2").date == dt.date(2026, 11, 16)
        plan.set_milestone(ef, "stage1", planned_on=old.planned_on, today=TODAY)
    with open_engagement(tmp_path / "p.aims") as ef:
        assert ef.details.stage1_date == dt.date(2026, 9, 1)
        assert plan.plan(ef, TODAY).get("stage1").source == "details"
