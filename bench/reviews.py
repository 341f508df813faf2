"""Management review at scale (issue 18): with 2,000 audits of 200 lines each and 20,000
nonconformities added to the large engagement, "Prepare inputs" for a review (every input
drafted from the figures as of the review's date, and written) against a bare aggregate
query over the same tables (a count of each, audit lines by result): at most 3x."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import Figure

RUNS = 7
TARGET = 3.0
AUDITS, LINES, NONCONFORMITIES = 2_000, 200, 20_000
_BATCH = 5_000
RESULTS = ("conforming", "conforming", "conforming", "minor", "major", "observation")


def _insert(session, model, rows) -> None:
    from sqlalchemy import insert

    for i in range(0, len(rows), _BATCH):
        session.execute(insert(model), rows[i : i + _BATCH])


def add_evaluation(ef, seed: int = 18) -> str:
    """The audits, lines and nonconformities (with objectives, measurements, improvements
    and two reviews with actions) by Core inserts; returns the review to prepare."""
    from app.models import (
        Audit,
        AuditLine,
        CorrectiveAction,
        Improvement,
        ManagementReview,
        Measurement,
        Nonconformity,
        Objective,
        ReviewAction,
    )

    rng = random.Random(seed)
    created = dt.datetime(2025, 1, 1)
    start = dt.date(2025, 1, 1)

    def day(span: int = 700) -> dt.date:
        return start + dt.timedelta(days=rng.randint(0, span))

    live = {"deleted": False, "created_at": created}
    with ef.writing() as session:
        _insert(session, Audit, [
            {"id": f"AUD-{i:05d}", "title": f"Audit {i}", "planned_on": (d := day()),
             "actual_on": d if rng.random() < 0.8 else None, "status": "done", **live}
            for i in range(1, AUDITS + 1)
        ])  # fmt: skip
        for a in range(1, AUDITS + 1):
            _insert(session, AuditLine, [
                {"id": f"AUD-{a:05d}-{n:03d}", "audit": f"AUD-{a:05d}", "position": n,
                 "ref": "8.2", "title": "Line", "result": rng.choice(RESULTS), **live}
                for n in range(LINES)
            ])  # fmt: skip
        _insert(session, Nonconformity, [
            {"id": f"NC-{i:05d}", "title": f"Nonconformity {i}", "raised_on": (d := day()),
             "due_date": d + dt.timedelta(days=60),
             "closed_on": d + dt.timedelta(days=90) if rng.random() < 0.6 else None,
             "grade": rng.choice(("minor", "major")), **live}
            for i in range(1, NONCONFORMITIES + 1)
        ])  # fmt: skip
        _insert(session, CorrectiveAction, [
            {"id": f"CA-{i:05d}", "action": "Act", "nonconformity": f"NC-{i:05d}",
             "due_date": day(), "done_on": day() if rng.random() < 0.5 else None, **live}
            for i in range(1, NONCONFORMITIES + 1)
        ])  # fmt: skip
        _insert(session, Objective, [
            {"id": f"OBJ-{i:03d}", "title": f"Objective {i}", "target": 90.0, **live}
            for i in range(1, 201)
        ])  # fmt: skip
        _insert(session, Measurement, [
            {"id": f"M-{i:05d}", "objective": f"OBJ-{rng.randint(1, 200):03d}",
             "measured_on": day(), "number": rng.uniform(70, 100), "value": "x", **live}
            for i in range(1, 10_001)
        ])  # fmt: skip
        _insert(session, Improvement, [
            {"id": f"IMP-{i:04d}", "title": f"Improvement {i}",
             "decision": rng.choice(("undecided", "accepted")), "decided_on": day(), **live}
            for i in range(1, 2_001)
        ])  # fmt: skip
        _insert(session, ManagementReview, [
            {"id": "MR-01", "title": "First", "held_on": dt.date(2025, 12, 1), **live},
            {"id": "MR-02", "title": "Second", "held_on": dt.date(2026, 6, 1), **live},
        ])  # fmt: skip
        _insert(session, ReviewAction, [
            {"id": f"MRA-{i:03d}", "action": "Do", "review": "MR-01",
             "due_date": day(), "done_on": None, **live}
            for i in range(1, 41)
        ])  # fmt: skip
    return "MR-02"


def _bare(ef) -> None:
    """The floor: one bare aggregate over each table Prepare inputs reads."""
    from sqlalchemy import func, select

    from app.models import (
        AuditLine,
        CorrectiveAction,
        HistoryEntry,
        Improvement,
        Measurement,
        Nonconformity,
        ReviewAction,
    )

    with ef.reading() as session:
        for model in (Nonconformity, CorrectiveAction, Measurement, Improvement, ReviewAction):
            session.scalar(select(func.count()).select_from(model))
        line = AuditLine.__table__.c
        session.execute(select(line.result, func.count()).group_by(line.result)).all()
        h = HistoryEntry.__table__.c
        session.scalar(select(func.count()).where(h.entity.in_(("context_issue", "obligation"))))


def run() -> list[Figure]:
    from app.services.evaluation import review_inputs
    from app.services.generator import create_large

    with tempfile.TemporaryDirectory() as tmp:
        ef = create_large(Path(tmp) / "large.aims")
        try:
            review = add_evaluation(ef)
            project: list[float] = []
            floor: list[float] = []
            review_inputs.prepare_inputs(ef, review, replace=True)  # warm-up: cache, mappers
            _bare(ef)
            for n in range(RUNS):
                sides = [
                    ("floor", lambda: _bare(ef)),
                    ("project", lambda: review_inputs.prepare_inputs(ef, review, True)),
                ]
                for name, side in sides if n % 2 else reversed(sides):
                    began = time.perf_counter()
                    side()
                    (project if name == "project" else floor).append(time.perf_counter() - began)
        finally:
            ef.close()
    return [
        Figure(
            "prepare review inputs (2,000 audits x 200 lines, 20,000 NCs)",
            statistics.median(project),
            statistics.median(floor),
            TARGET,
            {"rows": f"{AUDITS * LINES:,} audit lines, {NONCONFORMITIES:,} nonconformities"},
        )
    ]
