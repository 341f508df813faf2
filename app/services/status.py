"""The engagement's state in numbers: what `aims-prep status` prints and the window summarises."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from app.services import impact, inventory, inventory_rules, requirements, risk_rules, risks, soa
from app.services.engagement_file import EngagementFile

# An implemented point counts fully, one in progress half: work started is not work done.
_WEIGHTS = {"not_started": 0.0, "in_progress": 0.5, "implemented": 1.0}


def readiness(statuses: list[str]) -> float:
    if not statuses:
        return 0.0
    return round(100.0 * sum(_WEIGHTS[s] for s in statuses) / len(statuses), 1)


def readiness_of(points: Iterable[requirements.PointRow]) -> float:
    """Points under a control the SoA excludes need no work: they count for nothing."""
    return readiness([p.status for p in points if p.applicable])


def readiness_by_clause(points: Iterable[requirements.PointRow]) -> dict[str, float]:
    by_clause: dict[str, list[str]] = {}
    for p in points:
        if p.applicable:
            by_clause.setdefault(p.clause, []).append(p.status)
    return {c: readiness(s) for c, s in by_clause.items()}


def summary(ef: EngagementFile) -> dict[str, Any]:
    points = [p for p in requirements.list_points(ef) if not p.retired]
    applicable = [p for p in points if p.applicable]
    by_status = Counter(p.status for p in applicable)
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
            # under a control the SoA excludes: in none of by_status, not in readiness
            "not_applicable": len(points) - len(applicable),
            "without_owner": sum(1 for p in points if not p.owner),
        },
        "readiness_percent": readiness_of(points),
        "readiness_by_clause": readiness_by_clause(points),
        **_inventory_sections(ef),
        "risks": risk_rules.summary(
            risks.list_risks(ef, links=False), risks.get_criteria(ef), risks.list_categories(ef)
        ),
        "soa": soa.summary(ef),
    }


def _inventory_sections(ef: EngagementFile) -> dict[str, Any]:
    systems = inventory.list_systems(ef)
    dates = impact.dates_by_system(ef)
    findings = inventory_rules.evaluate(systems, dates)
    return {
        "inventory": {
            "total": len(systems),
            "third_party": sum(1 for s in systems if s.third_party),
            "in_scope": sum(1 for s in systems if s.in_scope),
            "out_of_scope_without_reason": findings.count("out_of_scope_without_reason"),
            "third_party_out_of_scope": findings.count("third_party_out_of_scope"),
        },
        "impact_assessments": {
            "total": sum(len(dates.get(s.id, ())) for s in systems),
            "systems_without": findings.count("no_assessment"),
            "after_deployment": findings.count("assessed_after_deployment"),
            "stale_after_change": findings.count("stale_after_change"),
        },
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
        f"AI systems:  {data['inventory']['total']} "
        f"({data['inventory']['in_scope']} in scope, "
        f"{data['inventory']['third_party']} third-party)",
        f"Impact assessments: {data['impact_assessments']['total']}; "
        f"{data['impact_assessments']['systems_without']} systems in scope without one, "
        f"{data['impact_assessments']['after_deployment']} first done after deployment, "
        f"{data['impact_assessments']['stale_after_change']} out of date after a change",
        f"AI risks:    {data['risks']['total']}; {data['risks']['above_threshold']} above the "
        f"threshold, {data['risks']['untreated']} untreated, "
        f"{data['risks']['residual_unaccepted']} with residual risk not accepted, "
        f"{data['risks']['without_owner']} without owner"
        + ("; only cyber categories" if data["risks"]["cyber_only"] else ""),
        f"SoA:         {data['soa']['included']} included, {data['soa']['excluded']} excluded, "
        f"{data['soa']['undecided']} undecided; {data['soa']['contradictions']} contradicting "
        f"the risk register; issued version {data['soa']['issued_version'] or 'none yet'}",
        "By clause:   " + "  ".join(f"{c}: {v:g}%" for c, v in data["readiness_by_clause"].items()),
    ]
    return "\n".join(lines)
