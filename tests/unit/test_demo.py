"""The demo engagement looks like a client in the middle of the work."""

from __future__ import annotations

from app.services import requirements, status


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
