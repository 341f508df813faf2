"""The engagement's state in numbers: what `aims-prep status` prints and the window summarises."""

from __future__ import annotations

from collections import Counter
from typing import Any

from app.services import requirements
from app.services.engagement_file import EngagementFile

# An implemented point counts fully, one in progress half: work started is not work done.
_WEIGHTS = {"not_started": 0.0, "in_progress": 0.5, "implemented": 1.0}


def readiness(statuses: list[str]) -> float:
    if not statuses:
        return 0.0
    return round(100.0 * sum(_WEIGHTS[s] for s in statuses) / len(statuses), 1)


def summary(ef: EngagementFile) -> dict[str, Any]:
    points = [p for p in requirements.list_points(ef) if not p.retired]
    by_status = Counter(p.status for p in points)
    by_clause: dict[str, list[str]] = {}
    for p in points:
        by_clause.setdefault(p.clause, []).append(p.status)
    d = ef.details
    return {
        "client": d.client,
        "file": str(ef.path),
        "size": d.size,
        "iso27001": d.iso27001,
        "stage1_date": d.stage1_date.isoformat() if d.stage1_date else None,
        "catalog_version": ef.catalog.version,
        "requirements": {
            "total": len(points),
            "by_status": {s: by_status.get(s, 0) for s in requirements.STATUSES},
            "without_owner": sum(1 for p in points if not p.owner),
        },
        "readiness_percent": readiness([p.status for p in points]),
        "readiness_by_clause": {c: readiness(s) for c, s in by_clause.items()},
    }


def as_text(data: dict[str, Any]) -> str:
    req = data["requirements"]
    lines = [
        f"Client:      {data['client']}",
        f"Catalog:     {data['catalog_version']}",
        f"Stage 1:     {data['stage1_date'] or 'not set'}",
        f"Readiness:   {data['readiness_percent']}%",
        f"Checklist:   {req['total']} points: "
        + ", ".join(
            f"{n} {requirements.STATUS_LABELS[s].lower()}" for s, n in req["by_status"].items()
        ),
        f"No owner:    {req['without_owner']} points",
        "By clause:   " + "  ".join(f"{c}: {v:g}%" for c, v in data["readiness_by_clause"].items()),
    ]
    return "\n".join(lines)
