"""Everything the Stage 1 pack shows, read from the engagement once (one snapshot, so every
section and chart agrees), with the gaps each area's rules find in it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Generator
from dataclasses import dataclass, field

from app.services import registry
from app.services.catalog.content import Catalog
from app.services.clauses import requirements
from app.services.clauses.requirements import PointRow
from app.services.context import climate
from app.services.context.climate import Climate
from app.services.documents import attachments, mandatory
from app.services.documents.attachments import AttachmentRow, Mismatch
from app.services.engagement import approvals
from app.services.engagement.approvals import Approval
from app.services.engagement.file import Details, EngagementFile
from app.services.evaluation import audit_rules, reviews
from app.services.inventory import impact
from app.services.inventory import rules as inventory_rules
from app.services.inventory import service as inventory
from app.services.inventory.impact import AssessmentRow
from app.services.inventory.service import SystemRow
from app.services.pack import settings as pack_settings
from app.services.pack.settings import PackSettings
from app.services.people import authority
from app.services.people import competence as people_competence
from app.services.people import service as people
from app.services.readiness import dashboard
from app.services.readiness.dashboard import Dashboard
from app.services.readiness.model import Finding
from app.services.registers import service as register
from app.services.registers.description import Item
from app.services.risks import rules as risk_rules
from app.services.risks import service as risks
from app.services.risks.criteria import Criteria
from app.services.risks.service import Category, RiskRow
from app.services.soa import service as soa


@dataclass(frozen=True)
class PackData:
    details: Details
    catalog: Catalog
    settings: PackSettings
    generated: dt.datetime
    points: list[PointRow]
    systems: list[SystemRow]
    assessments: list[AssessmentRow]
    inventory_findings: inventory_rules.Findings
    criteria: Criteria
    categories: list[Category]
    risks: list[RiskRow]
    risk_findings: risk_rules.Findings
    plan: list[risk_rules.PlanItem]
    soa_draft: list[soa.SoaLine]
    soa_issued: soa.IssuedVersion | None
    soa_selected: dict[str, list[tuple[str, str]]]  # control -> (risk ID, title) selecting it
    soa_findings: dict[str, list[str]]  # of the draft: what is open today
    soa_changes: list[soa.Change]
    # every described register's items, by register key (the context registers...)
    registers: dict[str, list[Item]] = field(default_factory=dict)
    last_review: reviews.LastReview | None = None  # with its attendees' roles on its date
    climate: Climate = Climate("", "", "")
    # management's sign-offs of the risk criteria and the treatment plan, by subject
    approvals: dict[str, Approval | None] = field(default_factory=dict)
    # the standard's mandatory documented information, as the consultant linked it
    required: list[mandatory.RequiredEntry] = field(default_factory=list)
    attachments: list[AttachmentRow] = field(default_factory=list)
    # attachments that failed their SHA-256 check while the pack was read: never used silently
    mismatches: list[Mismatch] = field(default_factory=list)
    # the People area's rules as found when the pack was read (holders' competence, ...)
    people: people_competence.Analysis = field(default_factory=people_competence.Analysis)
    # acceptances and approvals by someone People does not show allowed to give them
    without_authority: list[authority.Finding] = field(default_factory=list)
    audit_findings: audit_rules.Findings | None = None  # what the internal audit rules find
    # the dashboard made from this very snapshot: the readiness report is it on paper
    board: Dashboard | None = None

    @property
    def dashboard(self) -> Dashboard:
        assert self.board is not None, "made by load()"
        return self.board

    @property
    def gaps(self) -> list[Finding]:
        """Every rule of the catalogue with what it finds, as the dashboard lists them."""
        return self.dashboard.found

    @property
    def readiness_by_clause(self) -> dict[str, float]:
        return self.dashboard.figures.by_clause

    @property
    def readiness(self) -> float:
        return self.dashboard.figures.readiness

    @property
    def document_version(self) -> str:
        """The version the consultant set in the document control, else a draft of the day
        (never a count of edits: that tells a reader nothing)."""
        set_version = self.details.doc_version.strip()
        return set_version or f"Draft of {self.generated:%Y-%m-%d}"

    @property
    def soa_lines(self) -> list[soa.SoaLine]:
        """What the pack prints: the last issued version, or the draft when none is."""
        return list(self.soa_issued.lines) if self.soa_issued else self.soa_draft


def load(
    ef: EngagementFile, settings: PackSettings | None = None
) -> Generator[tuple[int, int, str], None, PackData]:
    """Read the engagement for the pack, yielding progress; returns the PackData."""
    total = 5
    yield 0, total, "Reading the checklist"
    points = [p for p in requirements.list_points(ef) if not p.retired]
    yield 1, total, "Reading the AI system inventory"
    systems = inventory.list_systems(ef)
    assessments = impact.list_assessments(ef)
    yield 2, total, "Reading the risk register"
    criteria = risks.get_criteria(ef)
    categories = risks.list_categories(ef)
    risk_rows = risks.list_risks(ef)
    yield 3, total, "Reading the Statement of Applicability"
    draft = soa.list_lines(ef)
    selected = soa.risks_by_control(ef)
    described = {r.key: register.list_items(ef, r) for r in registry.DESCRIBED}
    files = attachments.list_attachments(ef)
    mismatches = yield from _checked(attachments.verify(ef, files), 3, total)
    yield 4, total, "Checking the gaps"
    data = PackData(
        details=ef.details,
        catalog=ef.catalog,
        settings=settings or pack_settings.get(ef),
        generated=dt.datetime.now().replace(microsecond=0),
        points=points,
        systems=systems,
        assessments=assessments,
        inventory_findings=inventory_rules.evaluate(
            systems, assessments, inventory.linked_risks(ef), criteria, ef.details.aims_started_on
        ),
        criteria=criteria,
        categories=categories,
        risks=risk_rows,
        risk_findings=risk_rules.evaluate(risk_rows, criteria, categories, risk_rules.signoff(ef)),
        plan=risk_rules.treatment_plan(risk_rows),
        soa_draft=draft,
        soa_issued=soa.last_issued(ef),
        soa_selected=selected,
        soa_findings=soa.evaluate(draft, selected),
        soa_changes=soa.changes_since_issued(ef, draft),
        registers=described,
        last_review=reviews.last_review(ef),
        climate=climate.get(ef),
        approvals={s: approvals.get(ef, s) for s in approvals.SUBJECTS},
        required=mandatory.list_entries(ef),
        attachments=files,
        mismatches=mismatches,
        people=people.analysis(ef),
        without_authority=authority.findings(ef),
        audit_findings=audit_rules.findings(ef),
    )
    data = dataclasses.replace(data, board=dashboard.compute(ef, sources=data))
    yield total, total, "Read"
    return data


def _checked(
    steps: Generator[tuple[int, int, str], None, list[Mismatch]], step: int, total: int
) -> Generator[tuple[int, int, str], None, list[Mismatch]]:
    """Every attachment re-checked before the pack is made, as a part of one load step."""
    while True:
        try:
            done, size, _message = next(steps)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
        yield (
            step * 1000 + (1000 * done // size if size else 1000),
            total * 1000,
            ("Checking the attached files"),
        )
