"""The AI risk register: criteria and re-scoring, rules, heat map, treatment plan, categories."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from app.models import HistoryEntry
from app.services import status
from app.services.engagement.errors import FieldError
from app.services.risks import rules as risk_rules
from app.services.risks import service as risks
from app.services.risks.criteria import DEFAULT, Band
from app.services.risks.service import Action, ControlChoice

TODAY = dt.date.today()


def _base():
    return {
        "title": "Biased scoring",
        "category": "Fair - with harmful bias managed",
        "owner": "CRO",
        "inherent_likelihood": 4,
        "inherent_impact": 4,
    }


def _risk(ef, **values):
    return risks.save_risk(ef, None, {**_base(), **values})[0]


def _rules(ef):
    return risk_rules.evaluate(
        risks.list_risks(ef), risks.get_criteria(ef), risks.list_categories(ef)
    )


def test_risk_scores_and_level_from_the_criteria(new_file):
    rid = _risk(new_file)
    row = risks.get_risk(new_file, rid)
    assert (row.inherent_score, row.inherent_level) == (16, "High")
    assert rid == "R-001" and row.category == "Fair - with harmful bias managed"


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"inherent_likelihood": 6}, "inherent_likelihood", "from 1 to 5"),
        ({"inherent_impact": 0}, "inherent_impact", "from 1 to 5, not 0"),
        ({"inherent_impact": "high"}, "inherent_impact", "not a whole number"),
        ({"residual_likelihood": 5, "residual_impact": 5}, "residual_comment", "higher than"),
        ({"residual_likelihood": 2}, "residual_impact", "both"),
        ({"accepted_on": "2026-01-05"}, "accepted_by", "who accepted"),
        ({"accepted_by": "CRO"}, "accepted_on", "date"),
        ({"title": " "}, "title", "cannot be blank"),
        ({"treatment": "mitigate"}, "treatment", "not one of"),
    ],
)
def test_risk_bad_input_is_refused_at_the_field(new_file, values, field, words):
    with pytest.raises(FieldError, match=words) as caught:
        _risk(new_file, **values)
    assert caught.value.field == field
    assert risks.list_risks(new_file) == []


def test_risk_residual_higher_with_a_comment_is_kept(new_file):
    rid = _risk(
        new_file,
        residual_likelihood=5,
        residual_impact=5,
        residual_comment="New attack technique published",
    )
    assert risks.get_risk(new_file, rid).residual_level == "Critical"


def test_risk_unknown_control_or_system_is_refused(new_file):
    base = {"title": "X", "inherent_likelihood": 2, "inherent_impact": 2}
    with pytest.raises(FieldError, match="'A.99.1' is not an Annex A control"):
        risks.save_risk(new_file, None, base, controls=[ControlChoice("A.99.1", "")])
    with pytest.raises(FieldError, match="No AI system AIS-404"):
        risks.save_risk(new_file, None, base, systems=["AIS-404"])
    assert risks.list_risks(new_file) == []


def test_risk_links_and_undo_restore(new_file):
    rid = _risk(new_file)
    _, before = risks.save_risk(
        new_file,
        rid,
        {**risks.get_risk(new_file, rid).values(), "treatment": "modify"},
        controls=[ControlChoice("A.7.4", "Data checks")],
        actions=[Action("Parity report", "CRO", TODAY, False)],
    )
    row = risks.get_risk(new_file, rid)
    assert row.controls == (ControlChoice("A.7.4", "Data checks"),)
    assert row.actions[0].action == "Parity report"
    risks.restore(new_file, before)
    row = risks.get_risk(new_file, rid)
    assert row.treatment == "" and row.controls == () and row.actions == ()
    assert any(c.field == "links" for c in risks.history_of(new_file, rid))


def test_rule_untreated_fires_and_clears(new_file):
    rid = _risk(new_file)
    assert _rules(new_file).flags_for(rid) == ["untreated"]
    stop = [Action("Withdraw the scoring model", "CRO", None, False)]
    values = {**risks.get_risk(new_file, rid).values(), "treatment": "avoid"}
    risks.save_risk(new_file, rid, values, actions=stop)
    # treated with no residual rating: "not rated", no longer "residual above the threshold"
    assert _rules(new_file).flags_for(rid) == ["residual_not_rated"]
    values = {**values, "residual_likelihood": 1, "residual_impact": 4}
    risks.save_risk(new_file, rid, values, actions=stop)
    assert _rules(new_file).flags_for(rid) == []


def test_rule_residual_unaccepted_clears_on_acceptance(new_file):
    checks = [ControlChoice("A.6.2.4", "Fairness tests")]
    values = {"treatment": "modify", "residual_likelihood": 3, "residual_impact": 4}
    rid = risks.save_risk(new_file, None, {**_base(), **values}, controls=checks)[0]
    assert _rules(new_file).flags_for(rid) == ["residual_unaccepted"]
    values = {**risks.get_risk(new_file, rid).values(), "accepted_by": "CEO", "accepted_on": TODAY}
    risks.save_risk(new_file, rid, values, controls=checks)
    assert _rules(new_file).flags_for(rid) == []


def test_rule_without_owner_and_closed_risks(new_file):
    rid = _risk(new_file, owner="", treatment="retain", accepted_by="CEO", accepted_on=TODAY)
    assert _rules(new_file).flags_for(rid) == ["without_owner"]
    risks.save_risk(new_file, rid, {**risks.get_risk(new_file, rid).values(), "status": "closed"})
    assert _rules(new_file).flags_for(rid) == []


def test_rule_cyber_only_register(new_file):
    _risk(new_file, category="Information security (IT)")
    assert _rules(new_file).cyber_only
    _risk(new_file, category="Level of automation")
    assert not _rules(new_file).cyber_only


def test_categories_new_rename_merge(new_file):
    rid = _risk(new_file, category="Vendor lock-in")
    names = [c.name for c in risks.list_categories(new_file)]
    assert "Vendor lock-in" in names and "Valid and reliable" in names
    lock_in = next(c for c in risks.list_categories(new_file) if c.name == "Vendor lock-in")
    risks.rename_category(new_file, lock_in.id, "Supplier dependence")
    assert risks.get_risk(new_file, rid).category == "Supplier dependence"
    target = next(
        c for c in risks.list_categories(new_file) if c.name == "Complexity of environment"
    )
    assert risks.merge_category(new_file, lock_in.id, target.id) == [rid]
    assert risks.get_risk(new_file, rid).category == "Complexity of environment"
    assert "Supplier dependence" not in [c.name for c in risks.list_categories(new_file)]
    _risk(new_file, category="supplier dependence")  # a merged name leads to where it went
    assert {r.category for r in risks.list_risks(new_file)} == {"Complexity of environment"}


def test_categories_attribution_of_the_seed(new_file):
    mit = [c for c in risks.list_categories(new_file) if c.taxonomy.startswith("MIT")]
    assert mit and all("CC BY 4.0" in c.attribution for c in mit)


def test_criteria_change_rescores_every_risk_and_is_in_history(new_file):
    rid = _risk(new_file)
    new = dataclasses.replace(
        DEFAULT, bands=(Band("Acceptable", 16), Band("Intolerable", 25)), threshold=16
    )
    steps = list(risks.change_criteria(new_file, new, batch=1))
    assert steps[-1][:2] == (1, 1)
    assert risks.get_risk(new_file, rid).inherent_level == "Acceptable"
    assert _rules(new_file).flags_for(rid) == []
    with new_file.reading() as session:
        from app.services.engagement import history

        assert history.for_entity(session, "risk_criteria", "1")[0].field == "criteria"


def test_criteria_change_cancelled_changes_nothing(new_file):
    for _ in range(3):
        _risk(new_file)
    new = dataclasses.replace(DEFAULT, bands=(Band("Fine", 25),), threshold=20)
    steps = risks.change_criteria(new_file, new, batch=1)
    next(steps), next(steps)
    steps.close()  # the user pressed Cancel
    assert risks.get_criteria(new_file) == DEFAULT
    assert {r.inherent_level for r in risks.list_risks(new_file)} == {"High"}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"bands": (Band("Low", 9), Band("High", 20))}, "highest score, 25"),
        ({"bands": (Band("High", 16), Band("Low", 4))}, "higher score"),
        ({"threshold": 25}, "from 1 to 24"),
        ({"likelihood": DEFAULT.likelihood[:1]}, "2 to 10 levels"),
    ],
)
def test_criteria_that_cannot_score_are_refused(new_file, change, words):
    with pytest.raises(FieldError, match=words):
        list(risks.change_criteria(new_file, dataclasses.replace(DEFAULT, **change)))
    assert risks.get_criteria(new_file) == DEFAULT


def test_criteria_smaller_scale_refused_while_risks_use_it(new_file):
    _risk(new_file, inherent_likelihood=5)
    bands = (Band("Low", 8), Band("High", 20))
    smaller = dataclasses.replace(
        DEFAULT, likelihood=DEFAULT.likelihood[:4], bands=bands, threshold=8
    )
    with pytest.raises(FieldError, match="1 risk is rated above"):
        list(risks.change_criteria(new_file, smaller))


def test_heat_map_counts_match_the_register(demo_file):
    rows = risks.list_risks(demo_file)
    live = [r for r in rows if r.kind == "risk" and r.status != "closed"]
    inherent = risk_rules.heat_map(rows)
    assert sum(len(ids) for ids in inherent.values()) == len(live)
    for (lik, imp), ids in inherent.items():
        assert ids == [
            r.id for r in live if (r.inherent_likelihood, r.inherent_impact) == (lik, imp)
        ]
    residual = risk_rules.heat_map(rows, residual=True)
    assert sum(len(ids) for ids in residual.values()) == len(live)
    assert residual != inherent


def test_treatment_plan_by_owner_and_due_date_with_overdue(demo_file):
    plan = risk_rules.treatment_plan(risks.list_risks(demo_file))
    assert plan and plan == sorted(
        plan, key=lambda i: (i.owner.lower(), i.due_date or dt.date.max, i.risk_id)
    )
    overdue = [i for i in plan if i.overdue]
    assert overdue and all(not i.done and i.due_date < TODAY for i in overdue)


def test_status_json_risks_section_of_the_demo(demo_file):
    data = status.summary(demo_file)["risks"]
    assert set(data) >= {
        "total",
        "above_threshold",
        "untreated",
        "residual_unaccepted",
        "without_owner",
        "by_level",
    }
    assert data["total"] >= 20 and data["opportunities"] == 2
    assert data["untreated"] > 0 and data["residual_unaccepted"] > 0 and data["without_owner"] == 1
    assert sum(data["by_level"].values()) == data["total"] and not data["cyber_only"]


def test_criteria_deleted_risks_do_not_block_a_smaller_scale(new_file):
    rid = _risk(new_file, inherent_likelihood=5)
    risks.set_deleted(new_file, rid, True)
    bands = (Band("Low", 8), Band("High", 20))
    smaller = dataclasses.replace(
        DEFAULT, likelihood=DEFAULT.likelihood[:4], bands=bands, threshold=8
    )
    list(risks.change_criteria(new_file, smaller))
    assert len(risks.get_criteria(new_file).likelihood) == 4


def test_risk_same_control_twice_is_refused(new_file):
    twice = [ControlChoice("A.7.4", "a"), ControlChoice("A.7.4", "b")]
    with pytest.raises(FieldError, match="A.7.4 is chosen twice"):
        risks.save_risk(
            new_file,
            None,
            {"title": "X", "inherent_likelihood": 1, "inherent_impact": 1},
            controls=twice,
        )


def test_risk_given_no_rating_starts_at_1_by_1_low(new_file):
    rid = risks.save_risk(new_file, None, {"title": "Chatbot hallucinates fees"})[0]
    row = risks.get_risk(new_file, rid)
    assert (row.inherent_likelihood, row.inherent_impact) == (1, 1)
    assert (row.inherent_score, row.inherent_level) == (1, "Low")


def _new_risks(system_id: str) -> list[risks.NewRisk]:
    """A mix an import brings: valid risks, a client's own IDs (one clashing with an ID the
    app gives next, one used twice), refusals of each kind, new categories in two spellings."""
    base = {"title": "Drift", "inherent_likelihood": 2, "inherent_impact": 3}
    action = Action("Retrain monthly", "ML lead", dt.date(2027, 1, 31), False)
    return [
        risks.NewRisk({**base, "category": "Vendor lock-in"}, (system_id,)),
        risks.NewRisk({**base, "title": "Theirs"}, wanted_id="R-003"),
        risks.NewRisk({**base, "inherent_likelihood": 9}),  # above the scale
        risks.NewRisk({**base, "category": "vendor LOCK-in"},
                      controls=[ControlChoice("A.6.2.4", "why")]),
        risks.NewRisk(base, controls=[ControlChoice("A.99.1", "")]),  # no such control
        risks.NewRisk(base, ("AIS-999",)),  # no such system, and a category never added
        risks.NewRisk({**base, "category": "Never added"}, ("AIS-999",)),
        risks.NewRisk({**base, "title": "Again"}, wanted_id="R-003"),  # used just above
        risks.NewRisk({**base, "title": "Bad id"}, wanted_id="R 7/x"),
        risks.NewRisk({**base, "title": ""}),  # no title
        risks.NewRisk({**base, "residual_likelihood": 3}),  # half a residual rating
        risks.NewRisk({**base, "title": "With actions"}, actions=[action, action]),
    ]  # fmt: skip


def _saved_one_by_one(ef, new: list[risks.NewRisk]) -> list[str]:
    found = []
    for item in new:
        try:
            with ef.writing():
                saved = risks.save_risk(ef, None, item.values, item.systems, item.controls,
                                        item.actions, wanted_id=item.wanted_id)  # fmt: skip
            found.append(saved[0])
        except FieldError as exc:
            found.append(f"{exc.field}: {exc.message}")
    return found


def _everything(ef) -> tuple[object, ...]:
    with ef.reading() as session:
        entries = [
            (h.actor, h.entity, h.entity_id, h.field, h.old, h.new)
            for h in session.scalars(select(HistoryEntry).order_by(HistoryEntry.id))
        ]
    return risks.list_risks(ef), risks.list_categories(ef), entries


def test_many_new_risks_at_once_are_checked_named_and_recorded_as_one_by_one(tmp_path):
    """The bulk path of an import: the same IDs, refusals, categories, links and history as
    saving each risk in turn (each in its own savepoint, as an import does)."""
    from app.services.engagement.file import create_engagement
    from app.services.inventory import service as inventory

    results = []
    for name in ("one.aims", "many.aims"):
        ef = create_engagement(tmp_path / name, client="Acme Analytics GmbH", size="small")
        system = inventory.create_system(ef, {"name": "Scoring model"})
        _risk(ef)  # R-001 exists before
        new = _new_risks(system)
        if name == "one.aims":
            found = _saved_one_by_one(ef, new)
        else:
            found = [
                r if isinstance(r, str) else f"{r.field}: {r.message}"
                for r in risks.create_many(ef, new)
            ]
        results.append((found, _everything(ef)))
        ef.close()
    (one, one_state), (many, many_state) = results
    assert many == one
    assert many[:4] == ["R-002", "R-003", many[2], "R-004"]
    assert many[2].startswith("inherent_likelihood: ")
    assert many_state == one_state
    assert [r.id for r in many_state[0]] == ["R-001", "R-002", "R-003", "R-004", "R-005"]
    assert "Never added" not in {c.name for c in many_state[1]}


def test_many_new_risks_checked_without_writing_give_the_same_answers(new_file):
    """A preview's trial run: every check and ID as the real run gives, nothing inserted."""
    from app.services.inventory import service as inventory

    new = _new_risks(inventory.create_system(new_file, {"name": "Scoring model"}))
    answers = [str(f) for f in risks.create_many(new_file, new, write=False)]
    assert risks.list_risks(new_file) == []
    assert [str(f) for f in risks.create_many(new_file, new)] == answers
    assert answers[:2] == ["R-001", "R-003"]
    assert [r.id for r in risks.list_risks(new_file)] == ["R-001", "R-002", "R-003", "R-004"]
