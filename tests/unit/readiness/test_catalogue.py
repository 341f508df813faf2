"""The one catalogue of gap rules: the six audit-failing gaps first, in the issue's order, then
every rule of every area once; each with an ID, a title, a clause or control of the catalog, a
severity and one sentence saying what to do."""

from __future__ import annotations

from app.services import registry
from app.services.catalog import content as catalog
from app.services.gaps import SEVERITIES
from app.services.readiness import catalogue

# the five gaps the seed article says fail certification audits (the second is two rules)
ISSUE_ORDER = (
    "no-ai-inventory",
    "impact-assessment-missing",
    "impact-assessment-after-deployment",
    "third-party-out-of-scope",
    "competence-records-missing",
    "leadership-evidence-missing",
)


def test_catalogue_lists_the_audit_failing_gaps_first_in_the_issues_order():
    ids = [rule.id for rule in catalogue.RULES]
    assert tuple(ids[: len(ISSUE_ORDER)]) == ISSUE_ORDER
    assert tuple(rule.id for rule in catalogue.FAILING) == ISSUE_ORDER
    assert all(rule.severity == "major" for rule in catalogue.FAILING)
    # then every rule of every area, once and in the areas' order
    assert catalogue.RULES[len(ISSUE_ORDER) :] == registry.GAP_RULES


def test_catalogue_every_rule_has_a_unique_id_a_real_reference_a_severity_and_a_todo():
    bundled = catalog.load_bundled()
    refs = {c.id for c in bundled.clauses} | {c.id for c in bundled.controls}
    ids = [rule.id for rule in catalogue.RULES]
    assert len(ids) == len(set(ids)), "a rule ID given twice"
    assert set(catalogue.BY_ID) == set(ids)
    for rule in catalogue.RULES:
        assert rule.id.strip() and rule.title.strip(), rule
        assert rule.ref in refs, f"{rule.id} cites {rule.ref}, which is no clause or control"
        assert rule.severity in SEVERITIES, f"{rule.id}: severity {rule.severity!r}"
        todo = rule.todo.strip()
        assert todo, f"{rule.id} does not say what to do"
        assert todo == rule.todo, f"{rule.id}: what to do has spaces around it"
        assert todo[0].isupper() and todo.endswith("."), f"{rule.id}: {todo!r} is no sentence"
        # one short sentence a consultant reads beside the item
        assert ". " not in todo and len(todo) <= 170, f"{rule.id}: {todo!r} is too long"


def test_catalogue_todo_differs_from_rule_to_rule():
    """Each rule says its own fix: none is a text pasted onto several rules."""
    todos = [rule.todo for rule in catalogue.RULES]
    assert len(todos) == len(set(todos))
