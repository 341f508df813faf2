"""The demo engagement looks like a client in the middle of the work."""

from __future__ import annotations

from app.services import status
from app.services.clauses import requirements
from app.services.soa import service as soa


def test_demo_has_work_in_every_state(demo_file):
    rows = requirements.list_points(demo_file)
    assert {r.status for r in rows} == {"not_started", "in_progress", "implemented"}
    assert sum(1 for r in rows if r.owner) > len(rows) // 2
    assert any(r.due_date for r in rows) and any(r.evidence for r in rows)
    assert any(not r.owner for r in rows)  # the "no owner" gap shows too


def test_demo_readiness_is_partial(demo_file):
    data = status.summary(demo_file)
    assert 10 < data["readiness_percent"] < 80
    assert data["client"] == "Northwind Lending Ltd" and data["stage1_date"]


def test_demo_checklist_and_soa_agree_on_every_control(demo_file):
    lines = {line.control_id: line for line in soa.list_lines(demo_file)}
    points = [r for r in requirements.list_points(demo_file) if r.control_id]
    assert points and all(r.soa_status == lines[r.control_id].status for r in points)
    a33 = next(r for r in points if r.id == "P-A.3.3-01")
    assert a33.status == requirements.FROM_SOA[lines["A.3.3"].status]
    # the plain count of the checklist (the dashboard's honest one caps and checks documents)
    readiness = status.readiness_by_clause(requirements.list_points(demo_file))
    done = [r for r in points if r.clause == "A.3" and r.status == "implemented"]
    assert (readiness["A.3"] == 100.0) == bool(done)


def test_demo_pack_readiness_is_the_status_readiness(demo_file):
    from app.services.pack import data as pack_data

    steps = pack_data.load(demo_file)
    try:
        while True:
            next(steps)
    except StopIteration as done:
        data = done.value
    summary = status.summary(demo_file)
    assert data.readiness_by_clause == summary["readiness_by_clause"]
    assert data.readiness == summary["readiness_percent"]


def test_demo_checklist_shows_every_checklist_rule(demo_file):
    rows = [r for r in requirements.list_points(demo_file) if not r.retired]
    found = {rule for r in rows for rule in r.gaps()}
    assert set(requirements.RULES) <= found
    req = status.summary(demo_file)["requirements"]
    assert req["implemented_without_evidence"] >= 1 and req["overdue"] >= 1


def test_demo_readiness_counts_an_unproven_point_as_half(demo_file):
    rows = [r for r in requirements.list_points(demo_file) if not r.retired and r.applicable]
    weight = {"not_started": 0.0, "in_progress": 0.5, "implemented": 1.0}
    believed = sum(weight[r.status] for r in rows)  # what readiness counted before issue 14
    unproven = sum(1 for r in rows if r.status == "implemented" and not r.has_evidence)
    expected = round(100 * (believed - 0.5 * unproven) / len(rows), 1)
    assert unproven and status.readiness_of(rows) == expected
    # counted honestly (documents, caps) the readiness shown is never more than that
    assert status.summary(demo_file)["readiness_percent"] <= expected


def test_demo_checklist_tells_one_story(demo_file):
    rows = {r.id: r for r in requirements.list_points(demo_file)}
    order = list(requirements.STATUSES)
    # a plan is never further along than the objectives it serves
    assert order.index(rows["P-6.2-02"].status) <= order.index(rows["P-6.2-01"].status)
    for r in rows.values():
        if r.control_id or r.status != "implemented":
            continue
        said = f"{r.notes} {r.evidence}".lower()
        assert not any(w in said for w in ("not yet", "no decision", "draft", "still")), r.id
    # evidence names the document the point is about
    assert "AI policy" in rows["P-5.2-01"].evidence
    assert "scope statement" in rows["P-4.3-02"].evidence
    assert "impact assessment procedure" in rows["P-6.1.4-01"].evidence
