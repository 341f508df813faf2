"""The dashboard in one snapshot: what every rule finds, the figures and the plan, computed
together so the window, `status` and the pack's readiness report show the same numbers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from app.services.engagement.file import EngagementFile
from app.services.readiness import catalogue, figures, findings, plan
from app.services.readiness.figures import Figures
from app.services.readiness.model import Finding
from app.services.readiness.plan import Plan
from app.services.risks import service as risks
from app.services.risks.criteria import Criteria

_SEVERITY_ORDER = {"major": 0, "minor": 1, "observation": 2}


@dataclass(frozen=True)
class Tile:
    """A figure as the dashboard and the pack show it: a value, what it counts, where it
    opens (figures.Target)."""

    value: str
    label: str
    target: figures.Target


def _of(part: figures.Count, whole: figures.Count) -> str:
    return f"{part.value:,} of {whole.value:,}"


def _last(day: dt.date | None) -> str:
    return f", last on {day.isoformat()}" if day else ", none yet"


def coverage_tiles(f: Figures) -> list[Tile]:
    c, soa = f.coverage, f.soa
    return [
        Tile(f"{c.systems.value:,}", f"AI systems recorded: {c.in_scope.value:,} in scope, "
             f"{c.third_party.value:,} from third parties", c.systems.target),
        Tile(_of(c.assessed, c.in_scope), "systems in scope with an approved impact "
             "assessment", c.assessed.target),
        Tile(_of(c.documents_satisfied, c.documents_required), "mandatory documented "
             "information in place", c.documents_satisfied.target),
        Tile(_of(c.competence_verified, c.role_holders), "role holders with verified "
             "competence", c.competence_verified.target),
        Tile(_of(soa.decided, soa.total), f"SoA controls decided; {soa.implemented.value:,} "
             f"of {soa.included.value:,} included implemented", soa.decided.target),
    ]  # fmt: skip


def cycle_tiles(f: Figures) -> list[Tile]:
    a = f.audit_cycle
    return [
        Tile(f"{a.audits_done.value:,}", "internal audits done" + _last(a.last_audit),
             a.audits_done.target),
        Tile(f"{a.reviews_held.value:,}", "management reviews held" + _last(a.last_review),
             a.reviews_held.target),
        Tile(f"{a.open_nonconformities.value:,}", "nonconformities open",
             a.open_nonconformities.target),
        Tile(f"{a.actions_overdue.value:,}", "corrective actions overdue",
             a.actions_overdue.target),
    ]  # fmt: skip


@dataclass(frozen=True)
class Dashboard:
    found: list[Finding]  # every rule of the catalogue, the six audit-failing ones first
    figures: Figures
    plan: Plan
    stage1: dt.date | None  # the target Stage 1 date
    today: dt.date
    criteria: Criteria  # the risk scales the heat map is drawn on

    @property
    def failing(self) -> list[Finding]:
        return self.found[: len(catalogue.FAILING)]

    @property
    def other_open(self) -> list[Finding]:
        """The other open gaps, gravest first (then in catalogue order)."""
        rest = [f for f in self.found[len(catalogue.FAILING) :] if f.open]
        return sorted(rest, key=lambda f: _SEVERITY_ORDER[f.rule.severity])

    @property
    def days_left(self) -> int | None:
        """Days until the target Stage 1 date (negative once it has passed)."""
        return (self.stage1 - self.today).days if self.stage1 else None


def compute(
    ef: EngagementFile,
    check_attachments: bool = True,
    today: dt.date | None = None,
    sources: findings.Sources | None = None,
) -> Dashboard:
    """`sources`: what the rules judge, when read already (the pack's snapshot)."""
    today = today or dt.date.today()
    found = findings.evaluate(ef, check_attachments, today, sources)
    majors = findings.open_majors_by_clause(found, ef.catalog.top_clause)
    return Dashboard(
        found=found,
        figures=figures.compute(ef, majors, today),
        plan=plan.plan(ef, today),
        stage1=ef.details.stage1_date,
        today=today,
        criteria=risks.get_criteria(ef),
    )


def gaps_json(board: Dashboard) -> list[dict[str, Any]]:
    """`status --json`'s `gaps`: the six audit-failing gaps always, then every other rule."""
    return [
        {
            "id": f.rule.id,
            "title": f.rule.title,
            "severity": f.rule.severity,
            "clause": f.rule.ref,
            "open": f.open,
            "count": f.count,
            "items": list(f.items),
        }
        for f in board.found
    ]
