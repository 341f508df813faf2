"""The AI system inventory and impact assessments: fields, validation, rules, status."""

from __future__ import annotations

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


def _assess(ef, system_id, when, **extra):
    values = {"assessed_on": when, "assessor": "DPO", **extra}
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
    return inventory_rules.evaluate(inventory.list_systems(ef), impact.dates_by_system(ef))


def test_rule_in_scope_without_assessment_fires_and_clears(new_file):
    system_id = inventory.create_system(new_file, {"name": "Chatbot"})
    assert _findings(new_file).flags_for(system_id) == ["no_assessment"]
    _assess(new_file, system_id, TODAY)
    assert _findings(new_file).flags_for(system_id) == []


def test_rule_assessed_after_deployment(new_file):
    system_id = inventory.create_system(
        new_file, {"name": "Scoring", "stage": "deployed", "deployment_date": "2025-01-01"}
    )
    _assess(new_file, system_id, dt.date(2025, 6, 1))
    assert _findings(new_file).flags_for(system_id) == ["assessed_after_deployment"]
    _assess(new_file, system_id, dt.date(2024, 12, 1))
    assert _findings(new_file).flags_for(system_id) == []


def test_rule_stale_after_change_of_stage_or_use(new_file):
    system_id = inventory.create_system(new_file, {"name": "Scoring", "stage": "development"})
    _assess(new_file, system_id, TODAY - dt.timedelta(days=30))
    inventory.update_system(new_file, system_id, {"business_owner": "CRO"})
    assert _findings(new_file).flags_for(system_id) == []
    old = inventory.update_system(new_file, system_id, {"intended_use": "Now also for SMEs"})
    assert _findings(new_file).flags_for(system_id) == ["stale_after_change"]
    inventory.update_system(new_file, system_id, old)  # undo puts changed_at back too
    assert _findings(new_file).flags_for(system_id) == []


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
        "total": 10, "third_party": 4, "in_scope": 7,
        "out_of_scope_without_reason": 1, "third_party_out_of_scope": 1,
    }  # fmt: skip
    assert data["impact_assessments"] == {
        "total": 6,
        "systems_without": 2,
        "after_deployment": 1,
        "stale_after_change": 1,
    }


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
