"""Every rule of the catalogue judged against the engagement, with the items behind each:
what the dashboard lists, `status` counts and the pack's table of open gaps prints. One code
path for all three, so they never disagree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from app.services import registry
from app.services.clauses import requirements
from app.services.clauses.requirements import PointRow
from app.services.context import climate
from app.services.context.climate import Climate
from app.services.documents import attachments, mandatory
from app.services.documents.attachments import Mismatch
from app.services.engagement.file import EngagementFile
from app.services.evaluation import audit_rules, reviews
from app.services.evaluation import audits as evaluation_audits
from app.services.inventory import impact
from app.services.inventory import rules as inventory_rules
from app.services.inventory import service as inventory
from app.services.inventory.service import SystemRow
from app.services.people import authority
from app.services.people import competence as people_rules
from app.services.people import service as people
from app.services.people.registers import REGISTERS as PEOPLE
from app.services.readiness import catalogue, failing
from app.services.readiness.model import Finding
from app.services.registers import service as register
from app.services.registers.description import Item
from app.services.risks import rules as risk_rules
from app.services.risks import service as risks
from app.services.risks.service import RiskRow
from app.services.soa import service as soa

_ROLES = next(r.key for r in PEOPLE if r.key == "roles")
_PROGRAMMES, _AUDITS, _LINES = (r.key for r in evaluation_audits.REGISTERS)
# where the items of a sign-off without the authority open
_SIGNED_IN = {
    "risk": "risks", "impact_assessment": "inventory", "soa": "soa", "policy": "documents",
    "risk_criteria": "risks", "treatment_plan": "risks",
}  # fmt: skip


class Sources(Protocol):
    """What the area rules judge, read once: the pack's snapshot has it, and so has the
    lighter one `read` makes for the dashboard and `status`."""

    @property
    def points(self) -> list[PointRow]: ...
    @property
    def systems(self) -> list[SystemRow]: ...
    @property
    def inventory_findings(self) -> inventory_rules.Findings: ...
    @property
    def risks(self) -> list[RiskRow]: ...
    @property
    def risk_findings(self) -> risk_rules.Findings: ...
    @property
    def soa_findings(self) -> Mapping[str, Sequence[str]]: ...
    @property
    def registers(self) -> Mapping[str, list[Item]]: ...
    @property
    def last_review(self) -> reviews.LastReview | None: ...
    @property
    def people(self) -> people_rules.Analysis: ...
    @property
    def climate(self) -> Climate: ...
    @property
    def mismatches(self) -> list[Mismatch]: ...
    @property
    def required(self) -> list[mandatory.RequiredEntry]: ...
    @property
    def without_authority(self) -> list[authority.Finding]: ...
    @property
    def audit_findings(self) -> audit_rules.Findings | None: ...


@dataclass(frozen=True)
class Snapshot:
    points: list[PointRow]
    systems: list[SystemRow]
    inventory_findings: inventory_rules.Findings
    risks: list[RiskRow]
    risk_findings: risk_rules.Findings
    soa_findings: Mapping[str, Sequence[str]]
    registers: Mapping[str, list[Item]]
    last_review: reviews.LastReview | None
    people: people_rules.Analysis
    climate: Climate
    required: list[mandatory.RequiredEntry]
    without_authority: list[authority.Finding]
    audit_findings: audit_rules.Findings | None
    mismatches: list[Mismatch] = field(default_factory=list)


def read(
    ef: EngagementFile, check_attachments: bool = True, today: dt.date | None = None
) -> Snapshot:
    """What the rules judge. `check_attachments` False leaves the attached files unread (the
    window's count after each edit): HASH_MISMATCH then finds nothing."""
    systems = inventory.list_systems(ef)
    live = {s.id for s in systems}  # a deleted system's assessments go with it
    assessments = [a for a in impact.list_assessments(ef) if a.system_id in live]
    criteria = risks.get_criteria(ef)
    risk_rows = risks.list_risks(ef)
    draft = soa.list_lines(ef)
    mismatches: list[Mismatch] = []
    if check_attachments:
        steps = attachments.verify(ef, attachments.list_attachments(ef))
        while True:
            try:
                next(steps)
            except StopIteration as stop:
                mismatches = stop.value
                break
    return Snapshot(
        points=[p for p in requirements.list_points(ef) if not p.retired],
        systems=systems,
        inventory_findings=inventory_rules.evaluate(
            systems,
            assessments,
            inventory.linked_risks(ef),
            criteria,
            ef.details.aims_started_on,
            today or dt.date.today(),
        ),  # fmt: skip
        risks=risk_rows,
        risk_findings=risk_rules.evaluate(
            risk_rows, criteria, risks.list_categories(ef), risk_rules.signoff(ef)
        ),
        soa_findings=soa.evaluate(draft, soa.risks_by_control(ef)),
        # only the registers with rules: 400,000 audit lines judged by none stay unread
        registers={r.key: register.list_items(ef, r) for r in registry.DESCRIBED if r.rules},
        last_review=reviews.last_review(ef),
        people=people.analysis(ef, today),
        climate=climate.get(ef),
        required=mandatory.list_entries(ef),
        without_authority=authority.findings(ef),
        audit_findings=audit_rules.findings(ef),
        mismatches=mismatches,
    )


def of_areas(d: Sources, today: dt.date | None = None) -> list[Finding]:
    """Every rule of every area, found or not, with the items behind it, in catalogue order."""
    found = {p.id: p.gaps(today) for p in d.points}
    rows = [
        Finding(rule, "requirements", tuple(pid for pid, gaps in found.items() if rule in gaps),
                area="Checklist")
        for rule in requirements.RULES
    ]  # fmt: skip
    rows.append(Finding(inventory_rules.EMPTY, "inventory", whole=not d.systems, area="Inventory"))
    rows += [
        Finding(rule, "inventory", tuple(d.inventory_findings.by_rule[key]), area="Inventory")
        for key, rule in inventory_rules.RULES.items()
    ]
    no_risk = not any(r.kind == "risk" for r in d.risks)
    rows.append(Finding(risk_rules.EMPTY, "risks", whole=no_risk, area="Risks"))
    rows += [
        Finding(rule, "risks", tuple(d.risk_findings.by_rule[key]), area="Risks")
        for key, rule in risk_rules.RULES.items()
    ]
    rows += [  # cyber-only, criteria and plan not approved
        Finding(rule, "risks", whole=hit, note=d.risk_findings.whole_text(rule) if hit else "",
                area="Risks")
        for rule, hit in d.risk_findings.whole_found().items()
    ]  # fmt: skip
    rows += [
        Finding(rule, "soa", tuple(d.soa_findings[key]), area="SoA")
        for key, rule in soa.RULES.items()
    ]
    rows.append(
        Finding(reviews.NONE_HELD, "", whole=d.last_review is None, area="Management reviews")
    )
    for reg in registry.DESCRIBED:  # every rule of every described register
        items = d.registers.get(reg.key, [])
        rows += [
            Finding(r, reg.key, tuple(i.id for i in items if r.found_in(i)), area=reg.name)
            for r in reg.rules
        ]
    rows.append(
        Finding(people_rules.NO_PERFORMANCE_ROLE, _ROLES, whole=d.people.performance_gap,
                area="People")
    )  # fmt: skip
    rows.append(Finding(climate.RULE, "issues", whole=not d.climate.considered, area="Context"))
    mismatched = tuple(m.attachment.document_id for m in d.mismatches)
    rows.append(Finding(attachments.HASH_MISMATCH, "documents", mismatched, area="Documents"))
    missing = tuple(e.info.id for e in d.required if e.state in ("missing", "draft_only"))
    rows.append(Finding(mandatory.MISSING, "required_documents", missing, area="Documents"))
    rows += [  # sign-offs without the authority
        Finding(rule, _SIGNED_IN[key],
                tuple(f.label for f in d.without_authority if f.subject == key), area="People",
                by_id=False)
        for key, rule in authority.RULES.items()
    ]  # fmt: skip
    rows += _audit_findings(d.audit_findings)
    return _in_catalogue_order(rows)


def _audit_findings(found: audit_rules.Findings | None) -> list[Finding]:
    """The internal audit's rules: the whole-engagement ones, then the programmes with
    clauses or controls not covered and the lines audited by their owner."""
    if found is None:
        return []
    notes = {audit_rules.AI_NOT_COVERED: "Not covered: " + ", ".join(found.ai_missing)}
    rows = [
        Finding(r, _AUDITS, whole=hit, note=notes.get(r, "") if hit else "",
                area="Internal audit")
        for r, hit in found.whole().items()
    ]  # fmt: skip
    rows.append(
        Finding(audit_rules.NOT_COVERED, _PROGRAMMES, tuple(found.not_covered),
                area="Internal audit")
    )  # fmt: skip
    lines = tuple(i for ids in found.not_independent.values() for i in ids)
    rows.append(Finding(audit_rules.NOT_INDEPENDENT, _LINES, lines, area="Internal audit"))
    return rows


def _in_catalogue_order(rows: list[Finding]) -> list[Finding]:
    order = {r.id: n for n, r in enumerate(catalogue.RULES)}
    return sorted(rows, key=lambda f: order.get(f.rule.id, len(order)))


def evaluate(
    ef: EngagementFile,
    check_attachments: bool = True,
    today: dt.date | None = None,
    sources: Sources | None = None,
) -> list[Finding]:
    """The six audit-failing gaps, then every other rule, each with what it finds today.
    `sources`: what was read already (the pack's snapshot), else read now."""
    d = sources or read(ef, check_attachments, today)
    six = failing.of(ef, d.systems, d.inventory_findings, d.people, today or dt.date.today())
    return [*six, *of_areas(d, today)]


def open_majors_by_clause(found: Sequence[Finding], top_clause: _TopClause) -> dict[str, int]:
    """How many open gaps that would fail the audit each clause has: they cap its readiness."""
    counts: dict[str, int] = {}
    for f in found:
        if f.open and f.rule.severity == "major":
            clause = top_clause(f.rule.ref)
            counts[clause] = counts.get(clause, 0) + 1
    return counts


class _TopClause(Protocol):
    def __call__(self, ref: str) -> str: ...
