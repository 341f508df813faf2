"""The dashboard's figures as the consultant reads them: readiness counted honestly, work by
owner, and the SoA, risk, coverage and audit figures agreeing with the areas' own counts."""

from __future__ import annotations

import datetime as dt

from app.services import status
from app.services.clauses import requirements
from app.services.documents import mandatory
from app.services.documents import summary as documents
from app.services.documents.register import DOCUMENTS
from app.services.evaluation.nonconformities import CORRECTIVE_ACTIONS, NONCONFORMITIES
from app.services.people import competence
from app.services.people import registers as people
from app.services.people.owners import add_person
from app.services.readiness import figures
from app.services.registers import service as register
from app.services.risks import rules as risk_rules
from app.services.risks import service as risks
from app.services.soa import service as soa

TODAY = dt.date(2026, 12, 2)


def _implement(ef, *point_ids):
    requirements.set_values(ef, "status", dict.fromkeys(point_ids, "implemented"))
    requirements.set_values(ef, "evidence", dict.fromkeys(point_ids, "EV-1"))


def _points_of(ef, clause):
    return [p.id for p in ef.catalog.points if ef.catalog.top_clause(p.ref) == clause]


def _approved_document(ef, title="AIMS scope"):
    return register.create(
        ef,
        DOCUMENTS,
        {"title": title, "kind": "policy", "version": "1", "status": "approved",
         "approved_by": "Dana Whitfield", "approved_on": "2026-11-01"},
    )  # fmt: skip


def test_figures_count_an_implemented_point_without_its_document_in_progress(new_file):
    _implement(new_file, "P-4.3-02")  # the scope: mandatory documented information (DI-01)
    assert figures.compute(new_file, today=TODAY).by_clause["4"] == round(100 * 0.5 / 11, 1)
    mandatory.set_documents(new_file, "DI-01", [_approved_document(new_file)])
    assert figures.compute(new_file, today=TODAY).by_clause["4"] == round(100 / 11, 1)


def test_figures_count_a_draft_document_as_missing(new_file):
    _implement(new_file, "P-4.3-02")
    draft = register.create(new_file, DOCUMENTS, {"title": "AIMS scope", "status": "draft"})
    mandatory.set_documents(new_file, "DI-01", [draft])
    assert figures.compute(new_file, today=TODAY).by_clause["4"] == round(100 * 0.5 / 11, 1)


def test_figures_leave_out_the_points_of_a_control_the_soa_excludes(new_file):
    assert figures.compute(new_file, today=TODAY).points_by_clause["A.3"] == 1
    soa.set_values(new_file, "decision", {"A.3.3": "excluded"})
    found = figures.compute(new_file, today=TODAY)
    assert "A.3" not in found.by_clause
    assert sum(found.points_by_clause.values()) == len(new_file.catalog.points) - 1


def test_figures_cap_a_clause_for_each_gap_that_would_fail_the_audit(new_file):
    _implement(new_file, *_points_of(new_file, "4"))
    mandatory.set_documents(new_file, "DI-01", [_approved_document(new_file)])
    total = len(new_file.catalog.points)
    assert figures.compute(new_file, today=TODAY).by_clause["4"] == 100.0
    capped = figures.compute(new_file, {"4": 2}, TODAY)
    assert capped.by_clause["4"] == 80.0
    assert capped.readiness == round(80.0 * 11 / total, 1)
    assert figures.compute(new_file, {"4": 12}, TODAY).by_clause["4"] == 0.0
    assert "10 points off its clause's ceiling" in figures.READINESS_RULE


def test_figures_merge_owners_through_people(new_file):
    add_person(new_file, "Priya Shah")
    requirements.set_values(
        new_file, "owner", {"P-4.1-01": "Priya Shah (CRO)", "P-4.1-02": "priya  shah"}
    )
    requirements.set_values(new_file, "due_date", {"P-4.1-01": dt.date(2026, 11, 1)})
    _implement(new_file, "P-4.1-02")
    action = risks.Action("Retrain on balanced data", "PRIYA SHAH", None, True)
    risks.save_risk(
        new_file, None,
        {"title": "Biased scoring", "category": "Fair - with harmful bias managed",
         "owner": "Priya Shah", "inherent_likelihood": 4, "inherent_impact": 4},
        actions=[action],
    )  # fmt: skip
    found = figures.compute(new_file, today=TODAY).by_owner
    assert found["Priya Shah"] == figures.OwnerLoad(open=1, overdue=1, done=2)
    assert list(found)[-1] == figures.NO_OWNER
    assert found[figures.NO_OWNER].open == len(new_file.catalog.points) - 2


def test_figures_tell_overdue_from_done_actions_of_an_unknown_owner(new_file):
    nc_id = register.create(new_file, NONCONFORMITIES, {"title": "Drift not reviewed"})
    for due, done in (("2026-11-01", None), ("2026-11-01", "2026-11-20"), ("2027-01-10", None)):
        register.create(
            new_file, CORRECTIVE_ACTIONS,
            {"action": "Review drift", "nonconformity": nc_id, "owner": " Omar Haddad ",
             "due_date": due, "done_on": done},
        )  # fmt: skip
    found = figures.compute(new_file, today=TODAY)
    assert found.by_owner["Omar Haddad"] == figures.OwnerLoad(open=2, overdue=1, done=1)
    assert found.audit_cycle.actions_overdue.value == 1
    assert found.audit_cycle.open_nonconformities.value == 1


def test_figures_agree_with_status_on_the_demo_once_every_document_is_linked(demo_file):
    doc = _approved_document(demo_file, "Everything documented")
    for info in demo_file.catalog.documented_information:
        mandatory.set_documents(demo_file, info.id, [doc])
    points = [p for p in requirements.list_points(demo_file) if not p.retired]
    found = figures.compute(demo_file)
    assert found.by_clause == status.readiness_by_clause(points)
    assert list(found.by_clause) == list(status.readiness_by_clause(points))
    assert found.readiness == status.readiness_of(points)


def test_figures_agree_with_the_areas_counts_on_the_demo(demo_file):
    found = figures.compute(demo_file)
    summary = status.summary(demo_file, check_attachments=False)
    inv, sa = summary["inventory"], summary["soa"]
    cov = found.coverage
    assert (cov.systems.value, cov.in_scope.value, cov.third_party.value) == (
        inv["total"], inv["in_scope"], inv["third_party"],
    )  # fmt: skip
    assert (found.soa.total.value, found.soa.included.value) == (sa["controls"], sa["included"])
    assert found.soa.decided.value == sa["controls"] - sa["undecided"]
    docs = documents.summary(demo_file, False)
    required = docs["mandatory_total"] - docs["mandatory_not_required"]
    assert cov.documents_required.value == required
    assert cov.documents_satisfied.value == required - docs["mandatory_missing"]
    rows = risks.list_risks(demo_file)
    for residual, heat in ((False, found.heat.inherent), (True, found.heat.residual)):
        cells = risk_rules.heat_map(rows, residual)
        assert heat == {cell: len(ids) for cell, ids in cells.items()}
    assert found.heat.residual != found.heat.inherent  # the demo treats some risks
    assert found.heat.likelihood_levels == len(risks.get_criteria(demo_file).likelihood)


def test_figures_say_what_each_figure_opens(new_file):
    found = figures.compute(new_file, today=TODAY)
    assert figures.clause_target("6") == ("requirements", {"clause": "6"})
    assert figures.owner_target(figures.NO_OWNER) == ("requirements", {"owner": ""})
    assert found.coverage.in_scope.target == ("inventory", {"scope": "in"})
    assert found.audit_cycle.audits_done == figures.Count(0, ("audits", {}))
    assert found.audit_cycle.last_review is None


def test_figures_count_a_holder_verified_only_for_every_competence_the_role_requires(new_file):
    ef = new_file
    priya, omar = add_person(ef, "Priya Shah"), add_person(ef, "Omar Haddad")
    role = register.create(ef, people.ROLES, {"title": "AI risk lead"})
    needs = [
        register.create(ef, people.ROLE_COMPETENCES, {"competence": c, "role": role})
        for c in ("Risk assessment", "Bias testing")
    ]
    for person in (priya, omar):
        register.create(ef, people.HOLDERS, {"role": role, "person": person})
    register.create(
        ef, people.VERIFICATIONS,
        {"title": "Both checked", "person": priya, "competences": "; ".join(needs)},
    )  # fmt: skip
    register.create(
        ef, people.VERIFICATIONS, {"title": "One", "person": omar, "competences": needs[0]}
    )
    cov = figures.compute(ef, today=TODAY).coverage
    assert (cov.competence_verified.value, cov.role_holders.value) == (1, 2)


def test_figures_count_competence_as_the_people_rules_do_on_the_demo(demo_file):
    with demo_file.reading() as session:
        held = competence.analyse(session, TODAY)
    cov = figures.compute(demo_file, today=TODAY).coverage
    assert cov.role_holders.value == len(held.current_holdings) > 0
    assert cov.competence_verified.value == len(held.verified_holdings)
