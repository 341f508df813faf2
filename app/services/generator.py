"""Large generated engagements for benchmarks and scale tests.

Bulk rows go in through Core inserts: ORM add_all is an order of magnitude slower."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sqlalchemy import insert, update

from app.models import HistoryEntry, RequirementState
from app.services.engagement_file import EngagementFile, create_engagement

_BATCH = 5_000


def create_large(path: Path | str, history_rows: int = 100_000, seed: int = 7) -> EngagementFile:
    """An engagement with every checklist point filled in and a long history."""
    ef = create_engagement(path, client="Large Generated Client plc", size="large")
    rng = random.Random(seed)
    statuses = ("not_started", "in_progress", "implemented")
    ids = [p.id for p in ef.catalog.points]
    base = dt.datetime(2026, 1, 1)
    long_note = "Generated note for scale testing. " * 40
    with ef.writing() as session:
        for pid in ids:
            session.execute(
                update(RequirementState)
                .where(RequirementState.id == pid)
                .values(
                    status=rng.choice(statuses),
                    owner=f"Owner {rng.randint(1, 40)}",
                    due_date=dt.date(2027, 1, 1) + dt.timedelta(days=rng.randint(0, 300)),
                    notes=long_note,
                    evidence=f"EV-{rng.randint(1000, 9999)}",
                )
            )
        for start in range(0, history_rows, _BATCH):
            batch = [
                {
                    "at": base + dt.timedelta(minutes=i),
                    "actor": f"user{i % 7}",
                    "entity": "requirement",
                    "entity_id": ids[i % len(ids)],
                    "field": "notes",
                    "old": f"old value {i}",
                    "new": f"new value {i}",
                }
                for i in range(start, min(start + _BATCH, history_rows))
            ]
            session.execute(insert(HistoryEntry), batch)
    return ef
