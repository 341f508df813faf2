"""The inventory's gap rules on items built for each: what makes each rule fire, and what
clears it."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.services.inventory import rules
from app.services.inventory.impact import AssessmentRow, ImpactRow
from app.services.inventory.service import LinkedRisk, SystemRow
from app.services.risks.criteria import DEFAULT, Criteria, Level

TODAY = dt.date(2026, 12, 1)
STARTED = dt.date(2026, 1, 1)  # when the AIMS began
# an in-scope system in development with everything an auditor asks of it recorded
SYSTEM = SystemRow(
    id="AIS-001", name="Scoring", description="", business_owner="CRO", role="both",
    source="in_house", vendor="", intended_use="Score loans", foreseeable_misuse="",
    affected_parties="Applicants", consequential=False, ai_act_tier="minimal", ai_act_note="",
    stage="development", deployment_date=None, training_data="", inference_data="",
    data_provenance="", data_quality="", bias_checks="", human_oversight="", in_scope=True,
    out_of_scope_reason="", changed_at=None, deleted=False,
)  # fmt: skip


def system(**changes: object) -> SystemRow:
    return dataclasses.replace(SYSTEM, **changes)


def assessment(on: dt.date, number: int = 1, **changes: object) -> AssessmentRow:
    """Approved, with an impact, a result and a treatment: done."""
    done = AssessmentRow(
        id=f"IA-{number:04d}", system_id="AIS-001", assessed_on=on, assessor="DPO",
        trigger="initial", treatment="Review a sample", result="Acceptable",
        approved_by="Risk Committee", approved_on=on,
        impacts=(ImpactRow("individuals", "Wrong score", 3, 2),),
    )  # fmt: skip
    return dataclasses.replace(done, **changes)


def flags(s, assessments=(), linked=(), criteria=DEFAULT, started=STARTED):
    found = rules.evaluate([s], assessments, linked, criteria, started, TODAY)
    return found.flags_for(s.id)


LIVE = {"stage": "deployed", "deployment_date": dt.date(2026, 6, 1)}
BEFORE = dt.date(2026, 5, 1)  # an assessment before that deployment


def test_rules_a_system_with_everything_recorded_has_no_gap():
    assert flags(system(**LIVE), [assessment(BEFORE)]) == []


def test_rules_every_rule_is_registered_once_with_its_own_id():
    from app.services.registry import GAP_RULES

    ids = [r.id for r in GAP_RULES]
    assert all(r in GAP_RULES for r in rules.RULES.values())
    assert len(ids) == len(set(ids))
    assert [r.id for r in rules.RULES.values()][5:] == [f"INV-{n:02d}" for n in range(6, 16)]


@pytest.mark.parametrize(
    ("stage", "expected"),
    [
        ("deployed", ["no_assessment"]),
        ("monitoring", ["no_assessment"]),
        ("design", ["not_live_without_assessment"]),
        ("verification", ["not_live_without_assessment"]),
        ("decommissioned", []),
    ],
)
def test_rules_no_assessment_weighs_by_stage(stage, expected):
    assert flags(system(stage=stage)) == expected


def test_rules_severity_by_stage_is_major_live_and_minor_before():
    assert rules.RULES["no_assessment"].severity == "major"
    assert rules.RULES["not_live_without_assessment"].severity == "minor"


def test_rules_unapproved_assessment_is_not_done():
    draft = assessment(BEFORE, approved_by="", approved_on=None)
    assert flags(system(**LIVE), [draft]) == ["no_assessment", "unapproved"]
    assert flags(system(), [draft]) == ["not_live_without_assessment", "unapproved"]
    assert flags(system(**LIVE), [dataclasses.replace(draft, approved_by="CEO")]) == [
        "no_assessment",
        "unapproved",
    ]  # who, but not when


@pytest.mark.parametrize(
    "empty",
    [{"impacts": ()}, {"result": " "}, {"treatment": ""}],
)
def test_rules_assessment_without_impacts_result_or_treatment_is_not_done(empty):
    assert flags(system(**LIVE), [assessment(BEFORE, **empty)]) == ["no_assessment", "empty"]


def test_rules_only_the_latest_assessment_is_judged_unapproved_or_empty():
    done = assessment(BEFORE)
    later = assessment(TODAY, 2, result="", approved_by="", approved_on=None)
    assert flags(system(**LIVE), [done, later]) == ["unapproved", "empty"]  # the earlier counts
    draft_before = dataclasses.replace(later, assessed_on=dt.date(2026, 4, 1))
    assert flags(system(**LIVE), [draft_before, done]) == []


def test_rules_assessed_after_deployment_counts_finished_assessments_only():
    draft_before = assessment(BEFORE, 1, approved_by="", approved_on=None)
    after = assessment(dt.date(2026, 7, 1), 2)
    assert flags(system(**LIVE), [draft_before, after]) == ["assessed_after_deployment"]
    assert flags(system(**LIVE), [assessment(BEFORE, 1), after]) == []


def test_rules_retroactive_assessment_clears_a_system_live_before_the_aims_began():
    live_before = system(stage="deployed", deployment_date=dt.date(2024, 3, 1))
    initial = assessment(dt.date(2026, 3, 1))
    assert flags(live_before, [initial]) == ["assessed_after_deployment"]
    found = rules.evaluate([live_before], [initial], [], DEFAULT, STARTED, TODAY)
    assert found.live_before_start == ("AIS-001",)  # the window says a retroactive one clears
    retro = dataclasses.replace(initial, trigger="retroactive")
    assert flags(live_before, [retro]) == []
    unapproved = dataclasses.replace(retro, approved_on=None)
    assert "assessed_after_deployment" in flags(live_before, [initial, unapproved])


def test_rules_retroactive_does_not_clear_a_system_put_live_after_the_aims_began():
    retro = assessment(dt.date(2026, 7, 1), trigger="retroactive")
    assert flags(system(**LIVE), [retro]) == ["assessed_after_deployment"]
    found = rules.evaluate([system(**LIVE)], [retro], [], DEFAULT, STARTED, TODAY)
    assert found.live_before_start == ()


def test_rules_without_the_aims_start_date_retroactive_cannot_clear_and_says_so():
    live_before = system(stage="deployed", deployment_date=dt.date(2024, 3, 1))
    retro = assessment(dt.date(2026, 3, 1), trigger="retroactive")
    found = rules.evaluate([live_before], [retro], [], DEFAULT, None, TODAY)
    assert found.flags_for("AIS-001") == ["assessed_after_deployment"]
    assert found.need_start_date == ("AIS-001",)
    assert "When the AIMS began is not set" in rules.NO_START_DATE
    assert rules.evaluate([live_before], [retro], [], DEFAULT, STARTED, TODAY).need_start_date == ()


def test_rules_stale_after_a_change_since_the_latest_finished_assessment():
    assessed = assessment(dt.date(2026, 9, 1))
    assert flags(system(changed_at=dt.date(2026, 10, 1)), [assessed]) == ["stale_after_change"]
    assert flags(system(changed_at=dt.date(2026, 8, 1)), [assessed]) == []


def test_rules_periodic_reassessment_after_the_interval_of_the_criteria():
    old = assessment(dt.date(2025, 11, 30))  # 12 months and a day before TODAY
    assert flags(system(), [old]) == ["periodic_overdue"]
    assert flags(system(), [assessment(dt.date(2025, 12, 1))]) == []
    longer = dataclasses.replace(DEFAULT, reassessment_months=24)
    assert flags(system(), [old], criteria=longer) == []


def test_rules_add_months_keeps_the_day_or_takes_the_months_last():
    assert rules.add_months(dt.date(2025, 1, 31), 1) == dt.date(2025, 2, 28)
    assert rules.add_months(dt.date(2025, 11, 15), 14) == dt.date(2027, 1, 15)


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"business_owner": " "}, "in_scope_without_owner"),
        ({"intended_use": ""}, "in_scope_without_intended_use"),
        ({"source": "vendor", "vendor": ""}, "vendor_unnamed"),
        ({"source": "embedded", "vendor": ""}, "vendor_unnamed"),
        ({"consequential": True}, "oversight_missing"),
        ({"ai_act_tier": "high"}, "oversight_missing"),
        ({"ai_act_tier": "prohibited"}, "oversight_missing"),
    ],
)
def test_rules_in_scope_facts_missing(changes, rule):
    done = [assessment(BEFORE)]
    assert flags(system(**changes), done) == [rule]
    assert flags(system(**changes, in_scope=False, out_of_scope_reason="No people"), done) == []


@pytest.mark.parametrize(
    ("changes", "cleared_by"),
    [
        ({"business_owner": ""}, {"business_owner": "COO"}),
        ({"source": "vendor", "vendor": ""}, {"vendor": "TriageCo"}),
        ({"source": "acquired", "vendor": ""}, {}),  # acquired: its vendor is not asked
        ({"consequential": True}, {"human_oversight": "A handler confirms each decision"}),
        ({"ai_act_tier": "limited"}, {}),
    ],
)
def test_rules_in_scope_facts_clear(changes, cleared_by):
    assert flags(system(**{**changes, **cleared_by}), [assessment(BEFORE)]) == []


def _severe(severity: int) -> AssessmentRow:
    return assessment(BEFORE, impacts=(ImpactRow("society", "Exclusion", severity, 2),))


def test_rules_severe_impact_without_a_risk_on_the_system():
    assert flags(system(), [_severe(4)]) == ["severe_without_risk"]
    assert flags(system(), [_severe(5)]) == ["severe_without_risk"]
    assert flags(system(), [_severe(3)]) == []
    linked = [LinkedRisk("R-001", "AIS-001", 4, True)]
    assert flags(system(), [_severe(5)], linked) == []


def test_rules_severe_is_the_top_two_levels_of_the_engagements_scale():
    three = Criteria(
        likelihood=DEFAULT.likelihood,
        impact=tuple(Level(x, "") for x in ("Low", "Medium", "High")),
        bands=DEFAULT.bands,
        threshold=6,
    )
    assert flags(system(), [_severe(2)], criteria=three) == ["severe_without_risk"]
    assert flags(system(), [_severe(1)], criteria=three) == []


def test_rules_risk_above_the_threshold_on_an_out_of_scope_system():
    out = system(in_scope=False, out_of_scope_reason="Trial only")
    above = LinkedRisk("R-002", "AIS-001", DEFAULT.threshold + 1, True)
    found = rules.evaluate([out], [], [above], DEFAULT, STARTED, TODAY)
    assert found.flags_for("AIS-001") == ["risks_on_out_of_scope"]
    assert found.risks_on_out_of_scope == ("R-002",)
    at = dataclasses.replace(above, inherent_score=DEFAULT.threshold)
    closed = dataclasses.replace(above, live=False)
    assert flags(out, linked=[at, closed]) == []
    assert flags(system(), [assessment(BEFORE)], [above]) == []  # in scope: nothing to say
