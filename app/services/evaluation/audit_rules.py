"""What an auditor checks of the internal audit (9.2): that one was done before Stage 1, that
it reached the AI-specific requirements, that the programme covered what it said it would in
its period, and that no auditor audited their own work.

Read once from the engagement (`read`), judged by `evaluate` on plain values, so the window,
the status, the pack and the tests see the same findings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Audit,
    AuditLine,
    AuditProgramme,
    Document,
    Person,
    RequirementState,
    Risk,
    SoaEntry,
)
from app.services.catalog.content import Catalog
from app.services.engagement.file import EngagementFile
from app.services.evaluation.audits import NOT_AUDITED
from app.services.gaps import GapRule
from app.services.people.spelling import name_key
from app.services.registers.service import split_ids

NO_AUDIT = GapRule(
    "IAU-01", "No internal audit done before the target Stage 1 date", "9.2.1", "major",
    todo="Carry out an internal audit before the target Stage 1 date and record it as done, "
    "with its actual date (Evaluation tab, Audits).",
)  # fmt: skip
AI_NOT_COVERED = GapRule(
    "IAU-02",
    "No internal audit done covered the AI-specific clauses and Annex A controls",
    "9.2.2",
    "major",
    todo="Audit the impact assessment and AI risk clauses (6.1.4, 8.2 to 8.4) and at least "
    "one Annex A control, and record each line's result.",
)  # fmt: skip
NOT_COVERED = GapRule(
    "IAU-03",
    "Clause or control the programme must cover, not audited within its period",
    "9.2.2",
    "minor",
    todo="Audit the clause or control before the programme's period ends, or take it out of "
    "the programme with a reason in its notes.",
)  # fmt: skip
NOT_INDEPENDENT = GapRule(
    "IAU-04", "Auditor audits their own work (owns what the line covers)", "9.2.2", "minor",
    todo="Have another auditor, who owns nothing the line covers, audit that line (Audit "
    "lines, Auditor).",
)  # fmt: skip
RULES = (NO_AUDIT, AI_NOT_COVERED, NOT_COVERED, NOT_INDEPENDENT)

# The clauses where an AIMS differs from any other management system: the AI system impact
# assessment (6.1.4, 8.4) and the AI risk assessment and treatment in operation (8.2, 8.3).
# With them, at least one Annex A control must have been audited: Annex A is where the
# AI-specific controls are, and a programme inherited from ISO 27001 reaches none of them.
AI_CLAUSES = ("6.1.4", "8.2", "8.3", "8.4")
ANNEX_A = "Annex A"
# the clauses whose items the risk owners answer for: AI risk assessment and treatment
_RISK_CLAUSES = ("6.1.1", "6.1.2", "6.1.3", "8.2", "8.3")


@dataclass(frozen=True)
class AuditRow:
    id: str
    title: str
    programme: str
    status: str
    planned_on: dt.date | None
    actual_on: dt.date | None
    lead_auditor: str


@dataclass(frozen=True)
class LineRow:
    """A line whose auditor (its own, else the audit's lead) is a person who owns something."""

    id: str
    audit: str
    ref: str
    auditor: str  # the person ID auditing it


@dataclass(frozen=True)
class ProgrammeRow:
    id: str
    title: str
    period_from: dt.date | None
    period_to: dt.date | None
    clauses: tuple[str, ...]
    controls: tuple[str, ...]


@dataclass(frozen=True)
class Inputs:
    catalog: Catalog
    stage1: dt.date | None
    programmes: list[ProgrammeRow]
    audits: list[AuditRow]
    # what done audits answered (any result but "not audited"), by window: "stage1" (done
    # by the target Stage 1 date) and each programme's ID (done within its period)
    answered: dict[str, set[str]]
    lines: list[LineRow]
    people: dict[str, str]  # person ID -> name
    owners: dict[str, set[str]]  # point or control ID -> owners' names, normalized
    risk_owners: set[str]  # normalized


@dataclass(frozen=True)
class Findings:
    planned: int
    done: int
    no_audit_before_stage1: bool
    ai_missing: tuple[str, ...]  # AI clauses (and "Annex A") no done audit covered
    # programme ID -> the clauses and controls it must cover, not audited in its period
    not_covered: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # audit ID -> its lines whose auditor owns what the line covers
    not_independent: dict[str, tuple[str, ...]] = field(default_factory=dict)
    owner_of_line: dict[str, str] = field(default_factory=dict)  # line ID -> auditor's name

    @property
    def ai_covered(self) -> bool:
        return not self.ai_missing

    @property
    def not_covered_count(self) -> int:
        return sum(len(v) for v in self.not_covered.values())

    @property
    def not_independent_count(self) -> int:
        return sum(len(v) for v in self.not_independent.values())

    def whole(self) -> dict[GapRule, bool]:
        """The rules about the engagement as a whole, and whether each is found."""
        return {NO_AUDIT: self.no_audit_before_stage1, AI_NOT_COVERED: not self.ai_covered}

    def summary(self) -> dict[str, object]:
        """What `status --json` says under `audits`."""
        return {
            "planned": self.planned,
            "done": self.done,
            "ai_covered": self.ai_covered,
            "not_covered": self.not_covered_count,
            "auditor_not_independent": self.not_independent_count,
        }


def read(ef: EngagementFile, audit_id: str = "") -> Inputs:
    """Everything the rules judge, read with queries that leave the 400,000 lines of a large
    engagement in the database: what done audits answered, per window, and only the lines
    an owner of something audits. With `audit_id`: that audit's lines only, and no coverage
    (the window's checklist of one audit flags its own lines)."""
    stage1 = ef.details.stage1_date
    with ef.reading() as session:
        programmes = [
            ProgrammeRow(
                p.id,
                p.title,
                p.period_from,
                p.period_to,
                tuple(split_ids(p.clauses)),
                tuple(split_ids(p.controls)),
            )
            for p in session.scalars(
                select(AuditProgramme).where(AuditProgramme.deleted.is_(False))
            )
        ]
        audits = [
            AuditRow(*row)
            for row in session.execute(
                select(
                    Audit.id,
                    Audit.title,
                    Audit.programme,
                    Audit.status,
                    Audit.planned_on,
                    Audit.actual_on,
                    Audit.lead_auditor,
                ).where(Audit.deleted.is_(False))
            )
        ]
        answered: dict[str, set[str]] = {}
        if not audit_id:
            answered["stage1"] = _answered(session, None, stage1)
            for prg in programmes:
                answered[prg.id] = _answered(session, prg.period_from, prg.period_to)
        people = {
            str(i): str(n)
            for i, n in session.execute(
                select(Person.id, Person.name).where(Person.deleted.is_(False))
            )
        }
        owners: dict[str, set[str]] = defaultdict(set)
        for point_id, owner in session.execute(select(RequirementState.id, RequirementState.owner)):
            _add(owners, point_id, owner)
        for control_id, owner in session.execute(select(SoaEntry.control_id, SoaEntry.owner)):
            _add(owners, control_id, owner)
        for points, controls, owner in session.execute(
            select(Document.points, Document.controls, Document.owner).where(
                Document.deleted.is_(False)
            )
        ):
            for ref in (*split_ids(points), *split_ids(controls)):
                _add(owners, ref, owner)
        risk_owners = {
            name_key(o)
            for (o,) in session.execute(
                select(Risk.owner).where(Risk.deleted.is_(False)).distinct()
            )
            if name_key(o)
        }
        owning = set().union(risk_owners, *owners.values())
        suspects = sorted(pid for pid, name in people.items() if name_key(name) in owning)
        lines = _lines_audited_by(session, suspects, audit_id)
    return Inputs(
        ef.catalog, stage1, programmes, audits, answered, lines, people, owners, risk_owners
    )


def _answered(session: Session, start: dt.date | None, end: dt.date | None) -> set[str]:
    """The refs of lines answered by audits done from `start` to `end` (either open)."""
    query = (
        select(AuditLine.ref)
        .distinct()
        .join(Audit, Audit.id == AuditLine.audit)
        .where(
            Audit.deleted.is_(False),
            Audit.status == "done",
            Audit.actual_on.is_not(None),
            AuditLine.deleted.is_(False),
            AuditLine.result != NOT_AUDITED,
        )
    )
    if start is not None:
        query = query.where(Audit.actual_on >= start)
    if end is not None:
        query = query.where(Audit.actual_on <= end)
    return {str(ref) for (ref,) in session.execute(query)}


def _lines_audited_by(session: Session, people: list[str], audit_id: str) -> list[LineRow]:
    """The live lines these people audit: as the line's auditor, or as the lead of its audit
    when the line names none."""
    if not people:
        return []
    own = AuditLine.auditor.in_(people)
    led = (AuditLine.auditor == "") & Audit.lead_auditor.in_(people)
    query = (
        select(AuditLine.id, AuditLine.audit, AuditLine.ref, AuditLine.auditor, Audit.lead_auditor)
        .join(Audit, Audit.id == AuditLine.audit)
        .where(Audit.deleted.is_(False), AuditLine.deleted.is_(False), own | led)
        .order_by(AuditLine.audit, AuditLine.position)
    )
    if audit_id:
        query = query.where(AuditLine.audit == audit_id)
    return [
        LineRow(str(i), str(a), str(r), str(by or lead))
        for i, a, r, by, lead in session.execute(query)
    ]


def _add(owners: dict[str, set[str]], ref: str, owner: object) -> None:
    key = name_key(owner)
    if key:
        owners[ref].add(key)


def covers(catalog: Catalog, ref: str) -> set[str]:
    """What a line on `ref` counts as audited: the point, its clause and every clause above
    it; or the control (and a point under a control counts for the control)."""
    point = catalog.point_by_id.get(ref)
    clause = point.ref if point is not None else ref
    found = {ref, clause}
    parts = clause.split(".")
    if not clause.startswith("A."):
        found.update(".".join(parts[:n]) for n in range(1, len(parts)))
    return found


def owners_of(inputs: Inputs, ref: str) -> set[str]:
    """Who owns the items a line covers: the point's owner (and for a point under a control,
    the control's SoA owner), the owners of documents serving it, and for the risk clauses
    (6.1.1 to 6.1.3, 8.2, 8.3) every risk owner; for a control, its SoA owner, its points'
    owners and its documents' owners."""
    cat = inputs.catalog
    found = set(inputs.owners.get(ref, ()))
    point = cat.point_by_id.get(ref)
    if point is not None:
        if point.ref in cat.control_by_id:
            found |= inputs.owners.get(point.ref, set())
        if any(point.ref == c or point.ref.startswith(c + ".") for c in _RISK_CLAUSES):
            found |= inputs.risk_owners
    elif ref in cat.control_by_id:
        for p in cat.points:
            if p.ref == ref:
                found |= inputs.owners.get(p.id, set())
    return found


def _covered(inputs: Inputs, window: str) -> set[str]:
    found: set[str] = set()
    for ref in inputs.answered.get(window, ()):
        found |= covers(inputs.catalog, ref)
    return found


def evaluate(inputs: Inputs) -> Findings:
    cat = inputs.catalog
    stage1 = inputs.stage1
    done_before = any(
        a.status == "done" and a.actual_on is not None and (stage1 is None or a.actual_on <= stage1)
        for a in inputs.audits
    )
    covered = _covered(inputs, "stage1")
    ai_missing = [c for c in AI_CLAUSES if c not in covered]
    if not any(c.id in covered for c in cat.controls):
        ai_missing.append(ANNEX_A)
    not_covered: dict[str, tuple[str, ...]] = {}
    for prg in inputs.programmes:
        in_period = _covered(inputs, prg.id)
        missing = tuple(r for r in (*prg.clauses, *prg.controls) if r not in in_period)
        if missing:
            not_covered[prg.id] = missing
    flagged: dict[str, list[str]] = defaultdict(list)
    owner_of_line: dict[str, str] = {}
    owned: dict[str, set[str]] = {}  # each ref's owners, worked out once
    for line in inputs.lines:
        name = inputs.people.get(line.auditor, "")
        if not name:
            continue
        if line.ref not in owned:
            owned[line.ref] = owners_of(inputs, line.ref)
        if name_key(name) in owned[line.ref]:
            flagged[line.audit].append(line.id)
            owner_of_line[line.id] = name
    return Findings(
        planned=sum(1 for a in inputs.audits if a.status == "planned"),
        done=sum(1 for a in inputs.audits if a.status == "done"),
        no_audit_before_stage1=not done_before,
        ai_missing=tuple(ai_missing),
        not_covered=not_covered,
        not_independent={k: tuple(v) for k, v in flagged.items()},
        owner_of_line=owner_of_line,
    )


def findings(ef: EngagementFile) -> Findings:
    return evaluate(read(ef))


def audit_gaps(found: Findings) -> Mapping[str, list[str]]:
    """Rule IDs per audit and per programme, for the window's lists."""
    out: dict[str, list[str]] = defaultdict(list)
    for audit_id in found.not_independent:
        out[audit_id].append(NOT_INDEPENDENT.id)
    for prg in found.not_covered:
        out[prg].append(NOT_COVERED.id)
    return out


def as_text(data: Mapping[str, object]) -> str:
    """The `audits` block of the status, in words."""
    from app.services import words

    return (
        f"Audits:      {data['planned']} planned, {data['done']} done; AI-specific clauses and "
        f"controls {'covered' if data['ai_covered'] else 'not covered'} by a done audit; "
        f"{words.count(int(str(data['not_covered'])), 'clause or control', 'clauses or controls')}"
        f" the programme must cover not audited in its period; "
        f"{words.count(int(str(data['auditor_not_independent'])), 'line')} audited by the "
        "owner of what it covers"
    )
