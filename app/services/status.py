"""The engagement's state in numbers: what `aims-prep status` prints and the window summarises."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from app.services import words
from app.services.clauses import requirements
from app.services.context import summary as context
from app.services.documents import summary as documents
from app.services.engagement.file import SIZES, EngagementFile
from app.services.engagement.stage1 import days_past
from app.services.engagement.stage1 import stage1_warning as stage1_warning  # its old home
from app.services.evaluation import audit_rules, nonconformities, objectives, reviews
from app.services.gaps import SEVERITIES
from app.services.inventory import impact
from app.services.inventory import rules as inventory_rules
from app.services.inventory import service as inventory
from app.services.people import authority
from app.services.people import service as people
from app.services.readiness import catalogue, dashboard, figures, plan
from app.services.risks import rules as risk_rules
from app.services.risks import service as risks
from app.services.soa import service as soa

# An implemented point counts fully, one in progress half: work started is not work done. A
# point marked implemented with no evidence named counts as in progress (PointRow.counted_status).
_WEIGHTS = {"not_started": 0.0, "in_progress": 0.5, "implemented": 1.0}


def readiness(statuses: list[str]) -> float:
    if not statuses:
        return 0.0
    return round(100.0 * sum(_WEIGHTS[s] for s in statuses) / len(statuses), 1)


def readiness_of(points: Iterable[requirements.PointRow]) -> float:
    """Points under a control the SoA excludes need no work: they count for nothing."""
    return readiness([p.counted_status for p in points if p.applicable])


def readiness_by_clause(points: Iterable[requirements.PointRow]) -> dict[str, float]:
    by_clause: dict[str, list[str]] = {}
    for p in points:
        if p.applicable:
            by_clause.setdefault(p.clause, []).append(p.counted_status)
    return {c: readiness(s) for c, s in by_clause.items()}


def counted(
    ef: EngagementFile, check_attachments: bool = True
) -> tuple[dict[str, Any], dashboard.Dashboard]:
    """The summary and the dashboard it was made from (the window shows both)."""
    board = dashboard.compute(ef, check_attachments)
    return summary(ef, check_attachments, board), board


def summary(
    ef: EngagementFile, check_attachments: bool = True, board: dashboard.Dashboard | None = None
) -> dict[str, Any]:
    """`check_attachments` False: the window's running count, which must not re-read every
    attached file on each edit (the documents' `hash_mismatches` is then None)."""
    board = board or dashboard.compute(ef, check_attachments)
    points = [p for p in requirements.list_points(ef) if not p.retired]
    applicable = [p for p in points if p.applicable]
    by_status = Counter(p.status for p in applicable)
    gaps = Counter(rule.id for p in points for rule in p.gaps())
    d = ef.details
    return {
        "client": d.client,
        "file": str(ef.path),
        "size": d.size,
        "iso27001": d.iso27001,
        "iso9001": d.iso9001,
        "stage1_date": d.stage1_date.isoformat() if d.stage1_date else None,
        "catalog_version": ef.catalog.version,
        "requirements": {
            "total": len(points),
            "by_status": {s: by_status.get(s, 0) for s in requirements.STATUSES},
            # under a control the SoA excludes: in none of by_status, not in readiness
            "not_applicable": len(points) - len(applicable),
            "without_owner": gaps[requirements.NO_OWNER.id],
            # counted as in progress in readiness
            "implemented_without_evidence": gaps[requirements.NO_EVIDENCE.id],
            "overdue": gaps[requirements.OVERDUE.id],
        },
        # honest: see figures.READINESS_RULE
        "readiness_percent": board.figures.readiness,
        "readiness_by_clause": board.figures.by_clause,
        "readiness_by_owner": {
            owner: {"open": load.open, "overdue": load.overdue, "done": load.done}
            for owner, load in board.figures.by_owner.items()
        },
        "gaps": dashboard.gaps_json(board),
        "plan": plan.as_json(board.plan),
        **_inventory_sections(ef),
        "risks": risk_rules.summary(
            risks.list_risks(ef),  # with links: treatments are judged by their controls, actions
            risks.get_criteria(ef),
            risks.list_categories(ef),
            risk_rules.signoff(ef),
        ),
        "soa": soa.summary(ef),
        "context": context.summary(ef),
        "documents": documents.summary(ef, check_attachments),
        "people": people.summary(ef),
        "objectives": objectives.summary(ef),
        "audits": audit_rules.findings(ef).summary(),
        "nonconformities": nonconformities.summary(ef),
        "management_reviews": reviews.status(ef),
    }


def _inventory_sections(ef: EngagementFile) -> dict[str, Any]:
    systems = inventory.list_systems(ef)
    live = {s.id for s in systems}  # a deleted system's assessments go with it
    assessments = [a for a in impact.list_assessments(ef) if a.system_id in live]
    findings = inventory_rules.evaluate(
        systems,
        assessments,
        inventory.linked_risks(ef),
        risks.get_criteria(ef),
        ef.details.aims_started_on,
    )
    started = ef.details.aims_started_on
    return {
        "inventory": {
            "total": len(systems),
            "third_party": sum(1 for s in systems if s.third_party),
            "in_scope": sum(1 for s in systems if s.in_scope),
            "out_of_scope_without_reason": findings.count("out_of_scope_without_reason"),
            "third_party_out_of_scope": findings.count("third_party_out_of_scope"),
            "in_scope_without_owner": findings.count("in_scope_without_owner"),
            "in_scope_without_intended_use": findings.count("in_scope_without_intended_use"),
            "vendor_unnamed": findings.count("vendor_unnamed"),
            "oversight_missing": findings.count("oversight_missing"),
            # risks, not systems: each is to be re-scoped or moved
            "risks_on_out_of_scope": len(findings.risks_on_out_of_scope),
        },
        "impact_assessments": {
            "total": len(assessments),
            "aims_started_on": started.isoformat() if started else None,
            "systems_without": findings.count("no_assessment"),
            "before_go_live_without": findings.count("not_live_without_assessment"),
            "after_deployment": findings.count("assessed_after_deployment"),
            "stale_after_change": findings.count("stale_after_change"),
            "unapproved": findings.count("unapproved"),
            "empty": findings.count("empty"),
            "periodic_overdue": findings.count("periodic_overdue"),
            "severe_without_risk": findings.count("severe_without_risk"),
        },
    }


def as_text(data: dict[str, Any]) -> str:
    """Every count of the JSON, in words."""
    req, inv, ia = data["requirements"], data["inventory"], data["impact_assessments"]
    rk, sa = data["risks"], data["soa"]
    stage1 = data["stage1_date"]
    late = days_past(dt.date.fromisoformat(stage1), dt.date.today()) if stage1 else 0
    certified = [name for key, name in _CERTIFICATIONS.items() if data.get(key)]
    lines = [
        f"Client:      {data['client']}",
        *_overview(data),
        "",
        "In detail",
        f"Size:        {SIZES.get(data['size'], data['size'])}"
        + (f"; holds {' and '.join(certified)}" if certified else ""),
        f"File:        {data['file']}",
        f"Catalog:     {data['catalog_version']}",
        f"Stage 1:     {stage1 or 'not set'}"
        + (f", passed {words.count(late, 'day')} ago: set the new date" if late else ""),
        f"Checklist:   {words.count(req['total'], 'point')}: "
        + ", ".join(
            f"{n} {requirements.STATUS_LABELS[s].lower()}" for s, n in req["by_status"].items()
        )
        + (
            f", {req['not_applicable']} not applicable (its control excluded in the SoA)"
            if req.get("not_applicable")
            else ""
        ),
        f"No owner:    {words.count(req['without_owner'], 'point')}",
        f"Unproven:    {words.count(req['implemented_without_evidence'], 'point')} "
        "implemented with no evidence (counted as in progress)",
        f"Overdue:     {words.count(req['overdue'], 'open point')} past the due date",
        f"AI systems:  {inv['total']} ({inv['in_scope']} in scope, "
        f"{inv['third_party']} third-party); "
        f"{words.count(inv['out_of_scope_without_reason'], 'system')} out of scope with no "
        f"reason, {inv['third_party_out_of_scope']} of them from a third party",
        f"In scope:    {inv['in_scope_without_owner']} with no owner, "
        f"{inv['in_scope_without_intended_use']} with no intended use, "
        f"{inv['vendor_unnamed']} bought or embedded with no vendor named, "
        f"{inv['oversight_missing']} consequential or high-risk with no human oversight; "
        f"{words.count(inv['risks_on_out_of_scope'], 'risk')} above the threshold on systems "
        "out of scope",
        f"Impact assessments: {ia['total']}; "
        f"{words.count(ia['systems_without'], 'live system')} in scope without a completed "
        f"one, {ia['before_go_live_without']} to do before go-live, "
        f"{ia['after_deployment']} first done after deployment, "
        f"{ia['stale_after_change']} out of date after a change, "
        f"{ia['periodic_overdue']} due for reassessment",
        f"Latest assessments: {ia['unapproved']} not approved, {ia['empty']} missing impacts, "
        f"result or treatment; {ia['severe_without_risk']} with a severe impact and no risk "
        "on the system",
        f"AIMS began:  {ia['aims_started_on'] or 'not set: set it in the engagement details'}",
        f"AI risks:    {rk['total']}, and "
        f"{words.count(rk['opportunities'], 'opportunity', 'opportunities')}; "
        f"{rk['above_threshold']} above the threshold, {rk['untreated']} untreated, "
        f"{rk['residual_unaccepted']} with residual risk not accepted, "
        f"{rk['without_owner']} without owner"
        + ("; only cyber categories" if rk["cyber_only"] else ""),
        _risk_gaps_text(rk),
        "Risk levels: " + ", ".join(f"{n} {level}" for level, n in rk["by_level"].items()),
        f"SoA:         {words.count(sa['controls'], 'control')} "
        f"({sa['additional_controls']} beyond Annex A): {sa['included']} included, "
        f"{sa['excluded']} excluded, {sa['undecided']} undecided; {sa['implemented']} "
        f"implemented; issued version {sa['issued_version'] or 'none yet'}",
        f"SoA gaps:    {words.count(sa['excluded_without_justification'], 'exclusion')} "
        f"with no justification, {sa['contradictions']} contradicting the risk register, "
        f"{sa['included_without_owner']} included with no owner, "
        f"{sa['implemented_without_evidence']} implemented with no evidence",
        f"SoA checks:  {words.count(sa['included_without_reason'], 'inclusion')} with no "
        f"reason, {sa['excluded_but_implemented']} excluded yet implemented, "
        f"{sa['reason_without_risk']} giving risk treatment as reason with no risk selecting "
        f"it, {sa['risk_without_reason']} selected by a risk without risk treatment as reason, "
        f"{sa['same_reason']} giving the same reason as many others",
        context.as_text(data["context"]),
        documents.as_text(data["documents"]),
        people.as_text(data["people"]),
        objectives.as_text(data["objectives"]),
        authority.as_text(data["people"]["approvals_without_authority"]),
        audit_rules.as_text(data["audits"]),
        nonconformities.as_text(data["nonconformities"]),
        reviews.as_text(data["management_reviews"]),
        "By clause:   " + "  ".join(f"{c}: {v:g}%" for c, v in data["readiness_by_clause"].items()),
        "By owner:    "
        + words.count(len(data["readiness_by_owner"]), "owner")
        + " of checklist points, risk actions, corrective and review actions",
        *(
            f"  {owner}: {w['open']} open ({w['overdue']} overdue), {w['done']} done"
            for owner, w in data["readiness_by_owner"].items()
        ),
    ]
    return "\n".join(lines)


_TOP_GAPS = 10  # the open gaps the summary names, gravest first
_NEXT_MILESTONES = 3


def _overview(data: dict[str, Any]) -> list[str]:
    """What a reader wants first: readiness, the audit-failing gaps, what comes next, and the
    gravest open gaps."""
    gaps = data["gaps"]
    failing = gaps[: len(catalogue.FAILING)]
    stage1 = data["stage1_date"]
    left = (dt.date.fromisoformat(stage1) - dt.date.today()).days if stage1 else None
    lines = [
        f"Readiness:   {data['readiness_percent']:g}%",
        f"  counted so: {figures.READINESS_RULE}",
        "Time left:   "
        + (
            "no target Stage 1 date set"
            if left is None
            else f"{words.count(left, 'day')} to Stage 1 on {stage1}"
            if left >= 0
            else f"the Stage 1 date {stage1} passed {words.count(-left, 'day')} ago"
        ),
        f"Audit-failing gaps: {sum(1 for g in failing if g['open'])} of {len(failing)} open",
    ]
    lines += [
        f"  {'OPEN' if g['open'] else 'met '}  {g['id']}: {g['title']}"
        + (f" ({words.count(g['count'], 'item')})" if g["open"] and g["items"] else "")
        for g in failing
    ]
    upcoming = [m for m in data["plan"] if not m["done"]][:_NEXT_MILESTONES]
    lines.append("Next milestones:" + ("" if upcoming else " none: every milestone is done"))
    today = dt.date.today().isoformat()
    lines += [
        f"  {m['date'] or 'no date'}  {plan.TITLES[m['milestone']]}"
        + (" (overdue: mark it reached in the plan, or move it)"
           if m["date"] and m["date"] < today else "")
        for m in upcoming
    ]  # fmt: skip
    order = {s: n for n, s in enumerate(SEVERITIES)}
    others = sorted((g for g in gaps[len(failing):] if g["open"]),
                    key=lambda g: order[g["severity"]])  # fmt: skip
    lines.append(
        f"Open gaps:   {len(others)} besides those"
        + (f"; the {min(len(others), _TOP_GAPS)} gravest:" if others else "")
    )
    lines += [
        f"  {SEVERITIES[g['severity']]:<11} {g['id']}: {g['title']} ({g['clause']})"
        + (f", {words.count(g['count'], 'item')}" if g["items"] else "")
        for g in others[:_TOP_GAPS]
    ]
    return lines


def _risk_gaps_text(rk: dict[str, Any]) -> str:
    def approved(key: str) -> str:
        return "approved" if rk[key] else "not approved"

    share = rk["ai_specific_percent"]
    return (
        "Risk gaps:   "
        f"{words.count(rk['treatment_without_control_or_action'], 'treatment')} with no "
        f"control or action, residual not rated on {rk['residual_not_rated']}, "
        f"{words.count(rk['review_overdue'], 'risk')} past the review date, "
        f"{words.count(rk['actions_overdue'], 'action')} overdue "
        f"(on {words.count(rk['risks_with_actions_overdue'], 'entry', 'entries')}), "
        f"{words.count(rk['opportunities_without_action'], 'opportunity', 'opportunities')} "
        f"with no action, "
        f"{words.count(rk['unclassified_categories'], 'category', 'categories')} not "
        f"classified AI-specific or not; AI-specific categories on "
        f"{'no' if share is None else f'{share:g}%'} of live risks; criteria "
        f"{approved('criteria_approved')}"
        + (" (the app's default scales, never adapted)" if rk["criteria_default"] else "")
        + f", treatment plan {approved('plan_approved')}"
    )


_CERTIFICATIONS = {"iso27001": "ISO/IEC 27001", "iso9001": "ISO 9001"}
