"""The AI system inventory and impact assessments: fields, validation, rules, status."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from app.services import status
from app.services.engagement.errors import FieldError
from app.services.engagement.file import open_engagement
from app.services.inventory import impact
from app.services.inventory import rules as inventory_rules
from app.services.inventory import service as inventory

TODAY = dt.date.today()
FULL = {
    "name": "Claims triage",
    "description": "Sorts insurance claims",
    "business_owner": "Head of Claims",
    "role": "Developer and deployer",
    "source": "Bought from a vendor",
    "vendor": "TriageCo",
    "intended_use": "Route claims to handlers",
    "foreseeable_misuse": "Auto-rejecting claims",
    "affected_parties": "Policy holders",
    "consequential": "Y",
    "ai_act_tier": "high",
    "ai_act_note": "Annex III 5(b)?",
    "stage": "deployed",
    "deployment_date": "2025-04-01",
    "training_data": "Claims 2019-2024",
    "inference_data": "Claim forms",
    "data_provenance": "Internal",
    "data_quality": "Good",
    "bias_checks": "By region",
    "human_oversight": "Handler confirms",
    "in_scope": "yes",
    "out_of_scope_reason": "",
}


DONE = {"treatment": "Sample review", "result": "Acceptable", "approved_by": "Risk Committee"}


def _assess(ef, system_id, when, **extra):
    """An assessment that counts: approved, with an impact, a result and a treatment."""
    values = {"assessed_on": when, "assessor": "DPO", **DONE, "approved_on": when, **extra}
    return impact.create_assessment(ef, system_id, values, [
        {"scope": "individuals", "description": "Wrong routing", "severity": 3, "likelihood": 2}
    ])  # fmt: skip


def test_inventory_every_field_is_stored_and_read_back(new_file):
    system_id = inventory.create_system(new_file, FULL)
    path = new_file.path
    new_file.close()
    with open_engagement(path) as ef:
        row = inventory.get_system(ef, system_id)
    assert system_id == "AIS-001"
    assert (row.role, row.source, row.consequential, row.in_scope) == ("both", "vendor", True, True)
    assert row.deployment_date == dt.date(2025, 4, 1)
    for name in ("description", "vendor", "foreseeable_misuse", "bias_checks", "human_oversight"):
        assert getattr(row, name) == FULL[name]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": "  "}, "name", "cannot be blank"),
        ({"deployment_date": "2025-02-30"}, "deployment_date", "not a date"),
        ({"stage": "deployed", "deployment_date": TODAY + dt.timedelta(days=10)},
         "deployment_date", "in the future"),
        ({"source": "stolen"}, "source", "not one of"),
        ({"in_scope": "maybe"}, "in_scope", "not yes or no"),
    ],
)  # fmt: skip
def test_inventory_bad_value_is_refused_and_nothing_saved(new_file, changes, field, words):
    system_id = inventory.create_system(new_file, {"name": "Chatbot"})
    with pytest.raises(FieldError, match=words) as caught:
        inventory.update_system(new_file, system_id, {"description": "changed", **changes})
    assert caught.value.field == field
    assert inventory.get_system(new_file, system_id).description == ""


def test_inventory_duplicate_id_is_refused(new_file):
    inventory.create_system(new_file, {"id": "HR-07", "name": "A"})
    with pytest.raises(FieldError, match="already used") as caught:
        inventory.create_system(new_file, {"id": "HR-07", "name": "B"})
    assert caught.value.field == "id"
    assert [s.name for s in inventory.list_systems(new_file)] == ["A"]


def test_inventory_duplicate_delete_and_restore(new_file):
    first = inventory.create_system(new_file, {"name": "Chatbot", "vendor": "X"})
    copy = inventory.duplicate_system(new_file, first)
    assert inventory.get_system(new_file, copy).name == "Chatbot (copy)"
    inventory.set_deleted(new_file, first, True)
    assert [s.id for s in inventory.list_systems(new_file)] == [copy]
    assert inventory.next_id(new_file) == "AIS-003"  # a deleted system's ID is never reused
    inventory.set_deleted(new_file, first, False)
    assert len(inventory.list_systems(new_file)) == 2


def test_inventory_history_of_a_system(new_file):
    system_id = inventory.create_system(new_file, {"name": "Chatbot"})
    inventory.update_system(new_file, system_id, {"business_owner": "COO"})
    changes = inventory.history_of(new_file, system_id)
    assert (changes[0].field, changes[0].old, changes[0].new) == ("business_owner", "", "COO")
    assert changes[-1].field == "created"


def _findings(ef):
    return inventory_rules.read(ef)


def _days_ago(days):
    return TODAY - dt.timedelta(days=days)


# live for two months, with what an in-scope system must say of itself
LIVE = {"stage": "deployed", "deployment_date": _days_ago(60), "business_owner": "CRO",
        "intended_use": "Loans"}  # fmt: skip
BEFORE = _days_ago(90)  # an assessment before it went live


def test_rule_in_scope_without_assessment_fires_and_clears(new_file):
    # live: the audit-failing case (a system in design gets the lesser INV-06 instead)
    system_id = inventory.create_system(new_file, {"name": "Chatbot", **LIVE})
    assert _findings(new_file).flags_for(system_id) == ["no_assessment"]
    _assess(new_file, system_id, BEFORE)
    assert _findings(new_file).flags_for(system_id) == []


def test_rule_assessed_after_deployment(new_file):
    system_id = inventory.create_system(new_file, {"name": "Scoring", **LIVE})
    _assess(new_file, system_id, _days_ago(30))
    assert _findings(new_file).flags_for(system_id) == ["assessed_after_deployment"]
    _assess(new_file, system_id, BEFORE)
    assert _findings(new_file).flags_for(system_id) == []


def test_rule_stale_after_a_material_change_not_a_move_between_stages(new_file):
    system_id = inventory.create_system(new_file, {"name": "Scoring", **LIVE})
    _assess(new_file, system_id, BEFORE)
    inventory.update_system(new_file, system_id, {"stage": "monitoring", "description": "x"})
    assert _findings(new_file).flags_for(system_id) == []
    old = inventory.update_system(new_file, system_id, {"intended_use": "Now also for SMEs"})
    assert _findings(new_file).flags_for(system_id) == ["stale_after_change"]
    inventory.update_system(new_file, system_id, old)  # undo puts changed_at back too
    assert _findings(new_file).flags_for(system_id) == []


@pytest.mark.parametrize("field", inventory.MATERIAL)
def test_rule_stale_after_change_of_each_material_field(new_file, field):
    system_id = inventory.create_system(new_file, {"name": "Scoring"})
    value = {"consequential": True, "source": "vendor"}.get(field, "Changed")
    inventory.update_system(new_file, system_id, {field: value})
    assert inventory.get_system(new_file, system_id).changed_at == TODAY


def test_rule_third_party_out_of_scope_needs_a_reason(new_file):
    system_id = inventory.create_system(
        new_file, {"name": "CV ranker", "source": "embedded", "in_scope": False}
    )
    flags = _findings(new_file).flags_for(system_id)
    assert flags == ["out_of_scope_without_reason", "third_party_out_of_scope"]
    inventory.update_system(new_file, system_id, {"out_of_scope_reason": "No decisions on people"})
    assert _findings(new_file).flags_for(system_id) == []


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"assessed_on": ""}, "assessed_on", "date of the assessment"),
        ({"assessed_on": "2026-13-01"}, "assessed_on", "not a date"),
        ({"assessed_on": TODAY + dt.timedelta(days=1)}, "assessed_on", "in the future"),
        ({"assessed_on": "2026-01-10", "approved_on": "2026-01-12"}, "approved_by", "who approved"),
        ({"assessed_on": "2026-01-10", "approved_by": "CEO", "approved_on": "2026-01-01"},
         "approved_on", "before the assessment"),
        ({"assessed_on": "2026-01-10", "trigger": "whim"}, "trigger", "not one of"),
    ],
)  # fmt: skip
def test_assessment_bad_values_are_refused(new_file, values, field, words):
    system_id = inventory.create_system(new_file, {"name": "Chatbot"})
    with pytest.raises(FieldError, match=words) as caught:
        impact.create_assessment(new_file, system_id, values)
    assert caught.value.field == field
    assert impact.list_assessments(new_file) == []


def test_assessment_impact_outside_the_scale_is_refused(new_file):
    system_id = inventory.create_system(new_file, {"name": "Chatbot"})
    bad = [{"scope": "society", "description": "x", "severity": 6, "likelihood": 1}]
    with pytest.raises(FieldError, match="Impact 1: Severity must be from 1 to 5"):
        impact.create_assessment(new_file, system_id, {"assessed_on": "2026-01-10"}, bad)


def test_assessment_impact_left_unrated_is_refused_not_stored(new_file):
    system_id = inventory.create_system(new_file, {"name": "Chatbot"})
    blank = [{"scope": "society", "description": "x", "severity": None, "likelihood": 2}]
    with pytest.raises(FieldError, match="Impact 1: Severity cannot be blank"):
        impact.create_assessment(new_file, system_id, {"assessed_on": "2026-01-10"}, blank)
    assert impact.list_assessments(new_file) == []


def test_assessment_every_field_stored_and_updated(new_file):
    system_id = inventory.create_system(new_file, {"name": "Chatbot"})
    extra = {"treatment": "Hand-over", "result": "OK", "approved_by": "COO"}
    aid = _assess(
        new_file,
        system_id,
        dt.date(2026, 1, 10),
        trigger="periodic",
        approved_on="2026-01-20",
        **extra,
    )
    row = impact.get_assessment(new_file, aid)
    assert (row.trigger, row.treatment, row.approved_on) == (
        "periodic",
        "Hand-over",
        dt.date(2026, 1, 20),
    )
    assert row.impacts == (impact.ImpactRow("individuals", "Wrong routing", 3, 2),)
    before = impact.update_assessment(new_file, aid, {**row.values(), "result": "Accepted"}, [])
    assert before.result == "OK" and impact.get_assessment(new_file, aid).impacts == ()


def test_status_json_has_inventory_sections(demo_file):
    data = status.summary(demo_file)
    assert data["inventory"] == {
        "total": 11, "third_party": 5, "in_scope": 8,
        "out_of_scope_without_reason": 1, "third_party_out_of_scope": 1,
        "in_scope_without_owner": 1, "in_scope_without_intended_use": 2, "vendor_unnamed": 1,
        "oversight_missing": 1, "risks_on_out_of_scope": 2,
    }  # fmt: skip
    started = (TODAY - dt.timedelta(days=304)).isoformat()
    assert data["impact_assessments"] == {
        "total": 9, "aims_started_on": started, "systems_without": 1,
        "before_go_live_without": 1, "after_deployment": 2, "stale_after_change": 1,
        "unapproved": 2, "empty": 1, "periodic_overdue": 1, "severe_without_risk": 1,
    }  # fmt: skip


def test_status_text_says_the_new_inventory_counts(demo_file):
    text = status.as_text(status.summary(demo_file))
    assert "1 bought or embedded with no vendor named" in text
    assert "2 risks above the threshold on systems out of scope" in text
    assert "2 not approved, 1 missing impacts, result or treatment" in text
    assert "1 due for reassessment" in text


def test_status_text_says_when_the_aims_start_is_not_set(new_file):
    assert "AIMS began:  not set: set it in the engagement details" in status.as_text(
        status.summary(new_file)
    )


def test_aims_start_is_kept_with_the_engagement_details(new_file):
    path = new_file.path
    old = new_file.update_details(aims_started_on="2026-01-15")
    assert old == {"aims_started_on": None}
    new_file.close()
    with open_engagement(path) as ef:
        assert ef.details.aims_started_on == dt.date(2026, 1, 15)


def test_retroactive_assessment_clears_after_deployment_once_the_aims_start_is_set(new_file):
    system_id = inventory.create_system(new_file, {"name": "Scoring", **LIVE})
    _assess(new_file, system_id, _days_ago(10), trigger="retroactive")
    assert _findings(new_file).need_start_date == (system_id,)
    new_file.update_details(aims_started_on=_days_ago(30))
    assert _findings(new_file).flags_for(system_id) == []
    new_file.update_details(aims_started_on=_days_ago(61))  # it went live after the AIMS began
    assert _findings(new_file).flags_for(system_id) == ["assessed_after_deployment"]


def test_linked_risks_make_a_severe_impact_fed_into_the_risk_register(new_file):
    from app.services.risks import service as risks

    system_id = inventory.create_system(new_file, {"name": "Scoring", **LIVE})
    severe = [{"scope": "society", "description": "Exclusion", "severity": 5, "likelihood": 2}]
    impact.create_assessment(
        new_file, system_id,
        {"assessed_on": BEFORE, **DONE, "approved_on": BEFORE}, severe,
    )  # fmt: skip
    assert _findings(new_file).flags_for(system_id) == ["severe_without_risk"]
    risks.save_risk(new_file, None, {"title": "Exclusion of applicants"}, [system_id])
    assert _findings(new_file).flags_for(system_id) == []
    assert [r.system_id for r in inventory.linked_risks(new_file, system_id)] == [system_id]


def test_impacts_are_rated_on_the_engagements_scales(new_file):
    from app.services.risks import service as risks
    from app.services.risks.criteria import DEFAULT, Level

    three = dataclasses.replace(
        DEFAULT, impact=tuple(Level(x, "") for x in ("Low", "Medium", "High")), threshold=5,
        bands=(DEFAULT.bands[0], dataclasses.replace(DEFAULT.bands[-1], upto=15)),
    )  # fmt: skip
    list(risks.change_criteria(new_file, three))
    system_id = inventory.create_system(new_file, {"name": "Chatbot"})
    bad = [{"scope": "society", "description": "x", "severity": 4, "likelihood": 5}]
    with pytest.raises(FieldError, match="Impact 1: Severity must be from 1 to 3, not 4"):
        impact.create_assessment(new_file, system_id, {"assessed_on": "2026-01-10"}, bad)
    bad[0]["severity"] = 3
    impact.create_assessment(new_file, system_id, {"assessed_on": "2026-01-10"}, bad)
    assert impact.list_assessments(new_file)[0].impacts[0].likelihood == 5


def test_criteria_written_before_the_reassessment_interval_read_as_twelve_months():
    import json

    from app.services.risks.criteria import DEFAULT, Criteria

    old = json.loads(DEFAULT.to_json())
    del old["reassessment_months"]
    assert Criteria.from_json(json.dumps(old)).reassessment_months == 12
    longer = dataclasses.replace(DEFAULT, reassessment_months=24)
    assert Criteria.from_json(longer.to_json()).reassessment_months == 24


def test_criteria_refuse_a_reassessment_interval_out_of_range():
    from app.services.risks.criteria import DEFAULT, validate

    with pytest.raises(FieldError, match="from 1 to 60 months"):
        validate(dataclasses.replace(DEFAULT, reassessment_months=0))


def test_many_new_systems_at_once_are_checked_named_and_recorded_as_one_by_one(tmp_path):
    """An import's bulk path: the same IDs, refusals, stored fields and history as adding
    each system in turn; checked without writing, the same answers and nothing added."""
    from sqlalchemy import select

    from app.models import HistoryEntry
    from app.services.engagement.file import create_engagement

    future = (TODAY + dt.timedelta(days=30)).isoformat()
    new = [
        {"name": "Chatbot"},
        {"name": "Theirs", "id": "AIS-002"},  # the ID the app gives next
        {"description": "no name"},
        {"name": "Live tomorrow", "stage": "deployed", "deployment_date": future},
        {"name": "Bad role", "role": "owner"},
        {"name": "Bad id", "id": "AIS 9/x"},
        {"name": "Again", "id": "AIS-002"},
        {"name": "Scorer", "role": "Developer and deployer", "in_scope": "No"},
    ]

    def answer(found: object) -> str:
        return found if isinstance(found, str) else f"{found.field}: {found.message}"

    results = []
    for name in ("one.aims", "many.aims"):
        ef = create_engagement(tmp_path / name, client="Acme Analytics GmbH", size="small")
        if name == "one.aims":
            found = []
            for values in new:
                try:
                    found.append(inventory.create_system(ef, values))
                except FieldError as exc:
                    found.append(answer(exc))
        else:
            trial = [answer(f) for f in inventory.create_many(ef, new, write=False)]
            assert inventory.list_systems(ef) == []
            found = [answer(f) for f in inventory.create_many(ef, new)]
            assert found == trial
        with ef.reading() as session:
            entries = [
                (h.actor, h.entity, h.entity_id, h.field, h.old, h.new)
                for h in session.scalars(select(HistoryEntry).order_by(HistoryEntry.id))
            ]
        systems = inventory.list_systems(ef)
        results.append((found, systems, entries))
        ef.close()
    assert results[1] == results[0]
    assert results[1][0][:2] == ["AIS-001", "AIS-002"]
    assert results[1][0][-1] == "AIS-003"
    assert [s.name for s in results[1][1]] == ["Chatbot", "Theirs", "Scorer"]


def test_cli_new_sets_when_the_aims_began(tmp_path, capsys):
    import json

    from app.cli import main

    path = str(tmp_path / "c.aims")
    assert main(["new", path, "--client", "Acme", "--aims-started", "2026-02-01"]) == 0
    assert main(["status", path, "--json"]) == 0
    data = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert data["impact_assessments"]["aims_started_on"] == "2026-02-01"
    assert main(["new", str(tmp_path / "d.aims"), "--client", "A", "--aims-started", "x"]) == 2
    assert "not a date" in capsys.readouterr().err


def test_criteria_cannot_shrink_below_an_impact_already_rated(new_file):
    from app.services.risks import service as risks
    from app.services.risks.criteria import DEFAULT, Level

    system_id = inventory.create_system(new_file, {"name": "Chatbot"})
    _assess(new_file, system_id, TODAY)  # its impact: severity 3, likelihood 2
    two = dataclasses.replace(
        DEFAULT, impact=(Level("Low", ""), Level("High", "")), threshold=5,
        bands=(dataclasses.replace(DEFAULT.bands[-1], upto=10),),
    )  # fmt: skip
    with pytest.raises(FieldError, match="1 impact of impact assessments is rated above"):
        list(risks.change_criteria(new_file, two))
    assert risks.get_criteria(new_file) == DEFAULT
