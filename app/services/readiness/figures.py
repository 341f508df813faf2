"""The readiness dashboard's figures: readiness overall and by clause, work by owner, the SoA's
completion, the risk profile, coverage and the audit cycle, each with what it opens.

Every figure over a register that grows with the client (risks and their actions, AI systems
and assessments, documents, nonconformities, audits, reviews) is an aggregate query (count,
sum of a CASE, GROUP BY) in one reading session: nothing loads the register's rows. Two reads
are per item and bounded: the checklist (as many rows as the catalog has points, read
narrowly, so the readiness counted here is the one the Clauses tab shows) and the live people
(to merge the owners as People knows them). Competence coverage is the People area's own
aggregate (competence.holder_counts, which counts as its rules do).

Where a figure opens (`Target`): a pair (kind, filter). The kind is what
app/services/readiness/model.py Finding.kind names: a tab ("requirements", "inventory",
"risks", "soa") or a described register's key ("documents", "role_holders", "audits",
"reviews", "nonconformities", "corrective_actions"); the filter maps a filter of that tab or
register to the value to set, empty for the whole list. A clause's bar opens
("requirements", {"clause": "6"}); an owner's row ("requirements", {"owner": name}), the
owner "" meaning the checklist's "no owner" filter (the owner's risk actions, corrective and
review actions are in their own registers under the same owner filter); a heat map cell
("risks", {"likelihood": "3", "impact": "4"})."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from app.models import (
    AdditionalControl,
    AISystem,
    Audit,
    CorrectiveAction,
    ImpactAssessment,
    ManagementReview,
    ReviewAction,
    Risk,
    RiskAction,
    SoaEntry,
)
from app.services.catalog.content import clause_refs
from app.services.clauses import requirements
from app.services.documents import mandatory
from app.services.engagement.file import EngagementFile
from app.services.evaluation import figures as evaluation
from app.services.inventory.service import THIRD_PARTY
from app.services.people import competence
from app.services.people.names import Directory
from app.services.risks import service as risks
from app.services.risks.criteria import Criteria

# The one sentence the dashboard writes under readiness (the pack says it too)
READINESS_RULE = requirements.READINESS_RULE
CAP_PER_MAJOR = requirements.CAP_PER_MAJOR
# the by-owner key of the work items nobody owns (its target opens the "no owner" filter)
NO_OWNER = "No owner"

Target = tuple[str, dict[str, str]]


def clause_target(clause: str) -> Target:
    return ("requirements", {"clause": clause})


def owner_target(owner: str) -> Target:
    return ("requirements", {"owner": "" if owner == NO_OWNER else owner})


@dataclass(frozen=True)
class Count:
    """One number on the dashboard and the list it opens."""

    value: int
    target: Target


@dataclass(frozen=True)
class OwnerLoad:
    """One owner's work items: `open` counts every item not done, the overdue ones included;
    `overdue` those of them past their due date; `done` the implemented points, done risk
    actions and corrective and review actions with a done date."""

    open: int = 0
    overdue: int = 0
    done: int = 0

    def __add__(self, other: OwnerLoad) -> OwnerLoad:
        return OwnerLoad(
            self.open + other.open, self.overdue + other.overdue, self.done + other.done
        )


@dataclass(frozen=True)
class Soa:
    total: Count  # Annex A controls and the live controls beyond it
    decided: Count  # included or excluded
    included: Count
    implemented: Count  # among the included


@dataclass(frozen=True)
class Heat:
    """Live risks (not opportunities, not closed) by (likelihood, impact) cell, inherent and
    residual (the residual rating where there is one, else the inherent), on the criteria's
    scales: cells above `threshold` (likelihood x impact) are not acceptable untreated."""

    inherent: dict[tuple[int, int], int]
    residual: dict[tuple[int, int], int]
    likelihood_levels: int
    impact_levels: int
    threshold: int

    @staticmethod
    def target(likelihood: int, impact: int) -> Target:
        return ("risks", {"likelihood": str(likelihood), "impact": str(impact)})


@dataclass(frozen=True)
class Coverage:
    systems: Count
    in_scope: Count
    third_party: Count
    assessed: Count  # systems in scope with an approved impact assessment (of `in_scope`)
    documents_satisfied: Count  # mandatory entries with their documented information
    documents_required: Count  # mandatory entries required (not those the SoA excludes)
    competence_verified: Count  # current role holdings whose competence is verified
    role_holders: Count  # current role holdings


@dataclass(frozen=True)
class AuditCycle:
    audits_done: Count  # carried out (a date on or before today), not cancelled
    last_audit: dt.date | None
    reviews_held: Count
    last_review: dt.date | None
    open_nonconformities: Count
    actions_overdue: Count  # corrective actions not done and past their due date


@dataclass(frozen=True)
class Figures:
    readiness: float  # percent, one decimal
    by_clause: dict[str, float]  # clause "4".."10", Annex A objective "A.2".., catalog order
    points_by_clause: dict[str, int]  # the applicable points each clause counts
    by_owner: dict[str, OwnerLoad]  # by name; NO_OWNER last
    soa: Soa
    heat: Heat
    coverage: Coverage
    audit_cycle: AuditCycle
    rule: str = field(default=READINESS_RULE)


def compute(
    ef: EngagementFile,
    majors_by_clause: Mapping[str, int] | None = None,
    today: dt.date | None = None,
) -> Figures:
    """`majors_by_clause`: clause key (as in `by_clause`) -> its open gaps that would fail the
    audit, each taking CAP_PER_MAJOR points off the clause's ceiling."""
    day = today or dt.date.today()
    # read before the session below: a reading session nested in another takes a second
    # shared lock, which a save waiting between the two turns into a deadlock
    entries = mandatory.list_entries(ef)
    criteria = risks.get_criteria(ef)
    with ef.reading() as session:
        points = requirements.counted_points(ef, session)
        applicable = [p for p in points if p.applicable]
        counted = _counted(ef, applicable, entries)
        by_clause, weights = _by_clause(ef, counted, majors_by_clause or {})
        total = sum(weights.values())
        overall = sum(by_clause[c] * n for c, n in weights.items()) / total if total else 0.0
        directory = Directory(session)
        loads = _owner_loads(session, applicable, day)
        return Figures(
            readiness=round(overall, 1),
            by_clause={c: round(v, 1) for c, v in by_clause.items()},
            points_by_clause=weights,
            by_owner=_by_person(directory, loads),
            soa=_soa(ef, session),
            heat=_heat(criteria, session),
            coverage=_coverage(session, entries, day),
            audit_cycle=_audit_cycle(session, day),
        )


def _counted(
    ef: EngagementFile,
    points: Iterable[requirements.PointRow],
    entries: Iterable[mandatory.RequiredEntry],
) -> list[tuple[str, str]]:
    """(clause, status readiness counts) of each point. A documented-information point whose
    clause names mandatory entries counts as implemented only when every one of them holds
    its documented information (an approved document linked, or the register fact that is
    it): the point cannot be done while the document it is about is not."""
    missing: dict[str, bool] = {}
    for e in entries:
        for ref in clause_refs(e.info.clause):
            missing[ref] = missing.get(ref, False) or e.state not in ("satisfied", "not_required")
    out = []
    for p in points:
        status = p.counted_status
        point = ef.catalog.point_by_id.get(p.id)
        needs_document = point is not None and point.documented_information
        if status == "implemented" and needs_document and missing.get(p.ref, False):
            status = "in_progress"
        out.append((p.clause, status))
    return out


def _by_clause(
    ef: EngagementFile, counted: Iterable[tuple[str, str]], majors: Mapping[str, int]
) -> tuple[dict[str, float], dict[str, int]]:
    """Each clause's readiness (unrounded), capped at 100 less CAP_PER_MAJOR for each open
    audit-failing gap on it (never below 0), and its number of points. The overall is the
    point-weighted mean of these capped clauses: a cap lowers the overall by exactly what it
    takes off its clause, in proportion to that clause's share of the points, so the overall
    and the bars never disagree (and with no cap it is the plain average of every point)."""
    statuses: dict[str, list[str]] = {}
    for clause, status in counted:
        statuses.setdefault(clause, []).append(status)
    order = {c: i for i, c in enumerate(dict.fromkeys(_clause_order(ef)))}
    ranked = sorted(statuses, key=lambda c: (order.get(c, len(order)), c))
    values: dict[str, float] = {}
    for clause in ranked:
        counts = statuses[clause]
        raw = 100.0 * sum(requirements.WEIGHTS[s] for s in counts) / len(counts)
        ceiling = max(0, 100 - CAP_PER_MAJOR * majors.get(clause, 0))
        values[clause] = min(raw, float(ceiling))
    return values, {c: len(statuses[c]) for c in ranked}


def _clause_order(ef: EngagementFile) -> list[str]:
    return [ef.catalog.top_clause(p.ref) for p in ef.catalog.points if p.ref]


# --- by owner -------------------------------------------------------------------------


def _owner_loads(
    session: Session, points: Iterable[requirements.PointRow], today: dt.date
) -> dict[str, OwnerLoad]:
    """Work items by owner as typed (stripped): the applicable checklist points, then the
    risk treatment actions, corrective actions and management review actions, each one
    GROUP BY owner."""
    loads: dict[str, OwnerLoad] = {}

    def add(owner: object, load: OwnerLoad) -> None:
        key = str(owner or "").strip()
        loads[key] = loads.get(key, OwnerLoad()) + load

    for p in points:
        done = p.status == "implemented"
        add(p.owner, OwnerLoad(int(not done), int(p.overdue(today)), int(done)))
    ra, risk = RiskAction.__table__.c, Risk.__table__.c
    tables: list[tuple[Any, ...]] = [  # (owner, done, due date, where, joined to)
        (
            ra.owner,
            ra.done.is_(True),
            ra.due_date,
            risk.deleted.is_(False),
            (Risk, risk.id == ra.risk_id),
        )
    ]
    for model in (CorrectiveAction, ReviewAction):
        c = model.__table__.c
        tables.append((c.owner, c.done_on.is_not(None), c.due_date, c.deleted.is_(False), None))
    for owner, done, due, where, joined in tables:
        late = and_(~done, due.is_not(None), due < today)
        query = select(
            owner,
            func.sum(case((done, 0), else_=1)),
            func.sum(case((late, 1), else_=0)),
            func.sum(case((done, 1), else_=0)),
        )
        if joined is not None:
            query = query.join(*joined)
        for typed, still, overdue, finished in session.execute(query.where(where).group_by(owner)):
            add(typed, OwnerLoad(int(still), int(overdue), int(finished)))
    return loads


def _by_person(directory: Directory, loads: Mapping[str, OwnerLoad]) -> dict[str, OwnerLoad]:
    """Owners merged under the name the People register knows them by ("Priya Shah (CRO)"
    and "priya shah" are Priya Shah); an owner People does not know stays as typed; items
    with no owner under NO_OWNER, listed last."""
    merged: dict[str, OwnerLoad] = {}
    for typed, load in loads.items():
        name = _person_name(directory, typed) if typed else NO_OWNER
        merged[name] = merged.get(name, OwnerLoad()) + load
    return dict(sorted(merged.items(), key=lambda kv: (kv[0] == NO_OWNER, kv[0].casefold())))


def _person_name(directory: Directory, typed: str) -> str:
    found = directory.by_name.get(directory.key_of(typed), [])
    return directory.names[found[0]] if found else typed


# --- SoA, heat map ------------------------------------------------------------------------


def _soa(ef: EngagementFile, session: Session) -> Soa:
    """A control with no stored line is undecided; a stored line of a control no longer in
    the SoA (an additional control deleted) is not counted."""
    extra = list(
        session.scalars(select(AdditionalControl.id).where(AdditionalControl.deleted.is_(False)))
    )
    known = [c.id for c in ef.catalog.controls] + [str(i) for i in extra]
    s = SoaEntry.__table__.c
    included = s.decision == "included"
    row = session.execute(
        select(
            func.coalesce(
                func.sum(case((s.decision.in_(("included", "excluded")), 1), else_=0)), 0
            ),
            func.coalesce(func.sum(case((included, 1), else_=0)), 0),
            func.coalesce(
                func.sum(case((and_(included, s.status == "implemented"), 1), else_=0)), 0
            ),
        ).where(s.control_id.in_(known))
    ).one()
    return Soa(
        Count(len(known), ("soa", {})),
        Count(int(row[0]), ("soa", {"decision": "decided"})),
        Count(int(row[1]), ("soa", {"decision": "included"})),
        Count(int(row[2]), ("soa", {"decision": "included", "status": "implemented"})),
    )


def _heat(criteria: Criteria, session: Session) -> Heat:
    r = Risk.__table__.c
    live = [r.deleted.is_(False), r.kind == "risk", r.status != "closed"]
    rated = and_(r.residual_likelihood.is_not(None), r.residual_impact.is_not(None))
    residual_l = case((rated, r.residual_likelihood), else_=r.inherent_likelihood)
    residual_i = case((rated, r.residual_impact), else_=r.inherent_impact)

    # one pass: each (inherent, residual) pair of cells with its risks, folded both ways
    columns = (r.inherent_likelihood, r.inherent_impact, residual_l, residual_i)
    query = select(*columns, func.count()).where(*live).group_by(*columns)
    inherent: dict[tuple[int, int], int] = {}
    residual: dict[tuple[int, int], int] = {}
    for li, im, rl, ri, n in session.execute(query):
        inherent[(int(li), int(im))] = inherent.get((int(li), int(im)), 0) + int(n)
        residual[(int(rl), int(ri))] = residual.get((int(rl), int(ri)), 0) + int(n)

    return Heat(
        inherent,
        residual,
        len(criteria.likelihood),
        len(criteria.impact),
        criteria.threshold,
    )


# --- coverage, audit cycle ----------------------------------------------------------------


def _coverage(session: Session, entries: list[mandatory.RequiredEntry], today: dt.date) -> Coverage:
    s, a = AISystem.__table__.c, ImpactAssessment.__table__.c
    approved = (
        select(a.system_id)
        .where(
            a.deleted.is_(False),
            a.approved_on.is_not(None),
            func.trim(a.approved_by) != "",
        )
        .distinct()
    )
    in_scope = s.in_scope.is_(True)
    row = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(case((in_scope, 1), else_=0)), 0),
            func.coalesce(func.sum(case((s.source.in_(THIRD_PARTY), 1), else_=0)), 0),
            func.coalesce(func.sum(case((and_(in_scope, s.id.in_(approved)), 1), else_=0)), 0),
        ).where(s.deleted.is_(False))
    ).one()
    counts = mandatory.counts(entries)
    required = counts["mandatory_total"] - counts["mandatory_not_required"]
    holders, verified = competence.holder_counts(session, today)
    return Coverage(
        Count(int(row[0]), ("inventory", {})),
        Count(int(row[1]), ("inventory", {"scope": "in"})),
        Count(int(row[2]), ("inventory", {"source": "third_party"})),
        Count(int(row[3]), ("inventory", {"scope": "in", "gaps": "only"})),
        Count(required - counts["mandatory_missing"], ("documents", {"mandatory": "yes"})),
        Count(required, ("documents", {"mandatory": "yes"})),
        Count(verified, ("role_holders", {})),
        Count(holders, ("role_holders", {})),
    )


def _audit_cycle(session: Session, today: dt.date) -> AuditCycle:
    a, r = Audit.__table__.c, ManagementReview.__table__.c
    audits = session.execute(
        select(func.count(), func.max(a.actual_on)).where(
            a.deleted.is_(False),
            a.status != "cancelled",
            a.actual_on.is_not(None),
            a.actual_on <= today,
        )
    ).one()
    reviews = session.execute(
        select(func.count(), func.max(r.held_on)).where(
            r.deleted.is_(False), r.held_on.is_not(None), r.held_on <= today
        )
    ).one()
    nc = evaluation.nonconformities(session, today, None)
    return AuditCycle(
        Count(int(audits[0]), ("audits", {})),
        audits[1],
        Count(int(reviews[0]), ("reviews", {})),
        reviews[1],
        Count(nc.open.count, ("nonconformities", {"status": "open"})),
        Count(nc.actions_overdue, ("corrective_actions", {"overdue": "yes"})),
    )
