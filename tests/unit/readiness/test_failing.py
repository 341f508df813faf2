"""The six audit-failing gaps on engagements built through the areas' services: each opened
by what an auditor would find, then closed by what the consultant records."""

from __future__ import annotations

import datetime as dt

from app.services.documents.register import DOCUMENTS
from app.services.evaluation.reviews import REVIEWS
from app.services.inventory import impact
from app.services.inventory import service as inventory
from app.services.people.registers import (
    HOLDERS,
    PEOPLE,
    ROLE_COMPETENCES,
    ROLES,
    VERIFICATIONS,
)
from app.services.readiness import catalogue, failing
from app.services.registers import service as register

TODAY = dt.date.today()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def gap(ef, rule):
    found = {f.rule.id: f for f in failing.evaluate(ef)}
    return found[rule.id]


def system(ef, name="Credit scoring", **values):
    return inventory.create_system(ef, {"name": name, "source": "in_house", **values})


def assess(ef, system_id, on, approved=True, **values):
    """A finished assessment (impacts, a result, a treatment), approved unless told not."""
    approval = {"approved_by": "Elena Rossi", "approved_on": on} if approved else {}
    given = {"assessed_on": on, "result": "Acceptable", "treatment": "Sample reviews"}
    return impact.create_assessment(
        ef, system_id, {**given, **approval, **values},
        [{"scope": "individuals", "description": "Wrong refusal", "severity": 3,
          "likelihood": 2}],
    )  # fmt: skip


def approve(ef, assessment_id, on):
    row = impact.get_assessment(ef, assessment_id)
    values = {**row.values(), "approved_by": "Elena Rossi", "approved_on": on}
    impact.update_assessment(ef, assessment_id, values, [i.__dict__ for i in row.impacts])


def test_the_six_come_in_the_catalogues_order_and_an_empty_engagement_is_no_all_clear(new_file):
    found = failing.evaluate(new_file)
    assert [f.rule for f in found] == list(catalogue.FAILING)
    by_id = {f.rule.id: f for f in found}
    inventory_gap = by_id["no-ai-inventory"]
    assert inventory_gap.open and inventory_gap.whole and inventory_gap.count == 1
    assert (inventory_gap.kind, inventory_gap.note) == ("inventory", "No AI system recorded")
    # nothing in scope to flag: met, and no-ai-inventory already says why
    for rule in ("impact-assessment-missing", "impact-assessment-after-deployment",
                 "third-party-out-of-scope"):  # fmt: skip
        assert not by_id[rule].open and by_id[rule].count == 0
    competence = by_id["competence-records-missing"]
    assert competence.open and competence.whole and competence.kind == "role_holders"
    assert competence.note == "Nobody holds an AIMS role today, so no competence can be shown"
    leadership = by_id["leadership-evidence-missing"]
    assert leadership.items == (failing.NO_POLICY, failing.NO_REVIEW, failing.NO_PERFORMANCE_ROLE)
    assert leadership.open and not leadership.whole and leadership.count == 3
    assert (leadership.kind, leadership.area) == ("documents", "Documents")


def test_no_inventory_opens_with_nothing_in_scope_and_closes_with_one_in(new_file):
    ef = new_file
    first = system(ef, in_scope=False, out_of_scope_reason="A pilot nobody uses")
    found = gap(ef, catalogue.NO_INVENTORY)
    assert found.open and found.note == "1 system recorded, none in scope"
    system(ef, "Chat assistant", in_scope=False, out_of_scope_reason="Internal only")
    assert gap(ef, catalogue.NO_INVENTORY).note == "2 systems recorded, none in scope"
    inventory.update_system(ef, first, {"in_scope": True})
    found = gap(ef, catalogue.NO_INVENTORY)
    assert not found.open and found.count == 0 and found.area == "Inventory"


def test_assessment_missing_opens_for_each_system_in_scope_until_one_is_approved(new_file):
    ef = new_file
    live = system(ef, stage="deployed", deployment_date=days(-10))
    planned = system(ef, "Fraud model", stage="development")
    system(ef, "Old pilot", in_scope=False, out_of_scope_reason="Never used")  # not in scope
    retired = system(ef, "Retired model", stage="decommissioned")  # nothing more to do
    found = gap(ef, catalogue.ASSESSMENT_MISSING)
    assert found.items == (live, planned) and found.count == 2 and found.kind == "inventory"
    assert retired not in found.items
    # recorded but not approved: no evidence yet
    draft = assess(ef, planned, days(-5), approved=False)
    assert gap(ef, catalogue.ASSESSMENT_MISSING).items == (live, planned)
    approve(ef, draft, days(-4))
    assert gap(ef, catalogue.ASSESSMENT_MISSING).items == (live,)
    assess(ef, live, days(-20))  # before it went live
    found = gap(ef, catalogue.ASSESSMENT_MISSING)
    assert not found.open and found.count == 0
    # a live system assessed in time is not late either
    assert not gap(ef, catalogue.ASSESSMENT_LATE).open


def test_after_deployment_closes_with_an_approved_retroactive_one_if_live_before_the_aims(
    new_file,
):
    ef = new_file
    ef.update_details(aims_started_on=days(-100))
    old = system(ef, stage="deployed", deployment_date=days(-400))  # live before the AIMS
    never = system(ef, "Chat assistant", stage="monitoring", deployment_date=days(-50))
    assess(ef, old, days(-90))  # an initial assessment, long after go-live
    late = gap(ef, catalogue.ASSESSMENT_LATE)
    assert late.items == (old,) and late.count == 1 and late.kind == "inventory"
    # live with no assessment at all: missing, not late
    assert gap(ef, catalogue.ASSESSMENT_MISSING).items == (never,)
    retro = assess(ef, old, days(-30), approved=False, trigger="retroactive")
    assert gap(ef, catalogue.ASSESSMENT_LATE).items == (old,)  # recorded, not approved yet
    approve(ef, retro, days(-29))
    assert not gap(ef, catalogue.ASSESSMENT_LATE).open


def test_after_deployment_stays_open_for_a_system_gone_live_since_the_aims_began(new_file):
    """A retroactive assessment is for what was live before the AIMS; one that went live
    since should have been assessed first (INV-02 as the inventory has it)."""
    ef = new_file
    ef.update_details(aims_started_on=days(-100))
    recent = system(ef, stage="deployed", deployment_date=days(-60))
    assess(ef, recent, days(-30), trigger="retroactive")
    assert gap(ef, catalogue.ASSESSMENT_LATE).items == (recent,)


def test_third_party_out_of_scope_needs_a_reason_and_must_not_decide(new_file):
    ef = new_file
    system(ef, "In scope", stage="design")
    vendor = system(ef, "Vendor screening", source="vendor", vendor="HireCo", in_scope=False)
    system(ef, "Own pilot", in_scope=False)  # built in-house: another rule's business
    found = gap(ef, catalogue.THIRD_PARTY)
    assert found.items == (vendor,) and found.count == 1 and found.kind == "inventory"
    inventory.update_system(ef, vendor, {"out_of_scope_reason": "Used by a subsidiary"})
    assert not gap(ef, catalogue.THIRD_PARTY).open
    # a reason is not enough when it takes or informs consequential decisions
    inventory.update_system(ef, vendor, {"consequential": True})
    assert gap(ef, catalogue.THIRD_PARTY).items == (vendor,)
    acquired = system(ef, "Acquired pricing", source="acquired", in_scope=False,
                      out_of_scope_reason="Being merged", consequential=True)  # fmt: skip
    assert gap(ef, catalogue.THIRD_PARTY).items == (vendor, acquired)
    inventory.update_system(ef, vendor, {"in_scope": True})
    inventory.update_system(ef, acquired, {"stage": "decommissioned"})  # decides nothing now
    assert not gap(ef, catalogue.THIRD_PARTY).open


def person(ef, name):
    return register.create(ef, PEOPLE, {"name": name})


def role(ef, title, **values):
    return register.create(ef, ROLES, {"title": title, **values})


def hold(ef, role_id, person_id, **values):
    return register.create(ef, HOLDERS, {"role": role_id, "person": person_id, **values})


def test_competence_opens_for_each_holder_not_verified_and_closes_on_verification(new_file):
    ef = new_file
    lead = role(ef, "AIMS lead")
    needs = register.create(ef, ROLE_COMPETENCES, {"competence": "ISO 42001", "role": lead})
    grace, tom = person(ef, "Grace Okafor"), person(ef, "Tom Becker")
    current = hold(ef, lead, grace, from_date=days(-30))
    hold(ef, lead, tom, from_date=days(-300), to_date=days(-100))  # no longer holds it
    found = gap(ef, catalogue.COMPETENCE)
    assert found.items == (current,) and found.count == 1 and not found.whole
    assert (found.kind, found.area) == ("role_holders", "People")
    register.create(ef, VERIFICATIONS, {
        "title": "Exam", "person": grace, "competences": needs, "result": "not_yet",
        "verified_on": days(-5)})  # fmt: skip
    assert gap(ef, catalogue.COMPETENCE).items == (current,)  # not yet competent
    register.create(ef, VERIFICATIONS, {
        "title": "Exam again", "person": grace, "competences": needs, "result": "competent",
        "verified_on": days(-1)})  # fmt: skip
    found = gap(ef, catalogue.COMPETENCE)
    assert not found.open and found.count == 0


def _governed(ef):
    """Top management (a board member holding it), an AIMS lead reporting performance, and
    an AI policy approved by the board member: everything but a review."""
    board = role(ef, "Top management", top_management=True, authorities="approve_policy")
    lead = role(ef, "AIMS lead", reports_performance=True)
    dana, grace = person(ef, "Dana Whitfield"), person(ef, "Grace Okafor")
    hold(ef, board, dana, from_date=days(-400))
    hold(ef, lead, grace, from_date=days(-400))
    return dana, grace


def _policy(ef, approved_by, on):
    return register.create(ef, DOCUMENTS, {
        "title": "AI policy", "kind": "policy", "version": "1.0", "ai_policy": True,
        "status": "approved", "approved_by": approved_by, "approved_on": on})  # fmt: skip


def test_leadership_opens_piece_by_piece_and_closes_when_all_three_are_shown(new_file):
    ef = new_file
    dana, grace = _governed(ef)
    policy = _policy(ef, "Grace Okafor", days(-60))  # she may not approve it
    review = register.create(ef, REVIEWS, {
        "title": "First management review", "held_on": days(20),
        "attendees": f"{dana}, {grace}"})  # fmt: skip
    found = gap(ef, catalogue.LEADERSHIP)
    assert found.items == (failing.NO_POLICY, failing.NO_REVIEW) and found.count == 2
    assert found.kind == "documents"
    register.update(ef, DOCUMENTS, policy, {"approved_by": "Dana Whitfield"})
    found = gap(ef, catalogue.LEADERSHIP)
    # planned, not held: still open, and the review's register is where it opens
    assert found.items == (failing.NO_REVIEW,) and (found.kind, found.area) == (
        "reviews", "Management reviews",
    )  # fmt: skip
    register.update(ef, REVIEWS, review, {"held_on": days(-2), "attendees": grace})
    assert gap(ef, catalogue.LEADERSHIP).items == (failing.NO_REVIEW,)  # no top management
    register.update(ef, REVIEWS, review, {"attendees": f"{grace}, {dana}"})
    found = gap(ef, catalogue.LEADERSHIP)
    assert not found.open and found.items == () and found.count == 0


def test_leadership_needs_someone_accountable_for_reporting_performance(new_file):
    ef = new_file
    dana, grace = _governed(ef)
    _policy(ef, "Dana Whitfield", days(-60))
    register.create(ef, REVIEWS, {"title": "Review", "held_on": days(-2), "attendees": dana})
    assert not gap(ef, catalogue.LEADERSHIP).open
    lead = next(r.id for r in register.list_items(ef, ROLES) if r.values["reports_performance"])
    holding = next(h.id for h in register.list_items(ef, HOLDERS) if h.values["role"] == lead)
    register.update(ef, HOLDERS, holding, {"to_date": days(-1)})  # she left the role
    found = gap(ef, catalogue.LEADERSHIP)
    assert found.items == (failing.PERFORMANCE_UNHELD,) and found.kind == "roles"
    register.update(ef, ROLES, lead, {"reports_performance": False})
    assert gap(ef, catalogue.LEADERSHIP).items == (failing.NO_PERFORMANCE_ROLE,)
    register.update(ef, ROLES, lead, {"reports_performance": True})
    register.update(ef, HOLDERS, holding, {"to_date": None})
    assert not gap(ef, catalogue.LEADERSHIP).open


def test_a_policy_approved_before_the_approver_held_the_authority_does_not_count(new_file):
    ef = new_file
    _governed(ef)  # the board member holds top management from 400 days ago
    policy = _policy(ef, "Dana Whitfield", days(-500))
    assert failing.NO_POLICY in gap(ef, catalogue.LEADERSHIP).items
    register.update(ef, DOCUMENTS, policy, {"approved_on": days(-300)})
    assert failing.NO_POLICY not in gap(ef, catalogue.LEADERSHIP).items
    register.update(ef, DOCUMENTS, policy, {"status": "withdrawn"})  # no longer in force
    assert failing.NO_POLICY in gap(ef, catalogue.LEADERSHIP).items


def test_the_demo_shows_which_gaps_are_open(demo_file):
    found = {f.rule.id: f for f in failing.evaluate(demo_file)}
    assert not found["no-ai-inventory"].open
    assert found["impact-assessment-missing"].items == ("AIS-005", "AIS-007")
    assert found["impact-assessment-after-deployment"].items == ("AIS-001", "AIS-006")
    assert found["third-party-out-of-scope"].items == ("AIS-004",)
    assert found["competence-records-missing"].count == 4
    # the policy and the review with the board member are there: only the reporting is not
    assert found["leadership-evidence-missing"].items == (failing.NO_PERFORMANCE_ROLE,)
