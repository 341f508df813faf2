"""The readiness dashboard's figures at scale (issue 19): on the large engagement with every
register filled (5,000 AI systems, 10,000 assessments, 20,000 risks with their actions, 5,000
documents, 5,000 people owning the items, 2,000 role holdings with their competences and
verifications, and the evaluation registers of bench/reviews.py: 2,000 audits of 200 lines,
20,000 nonconformities and corrective actions, reviews with actions), computing every
figure of the dashboard against a bare `SELECT count(*)` over each table it reads: at most
5x."""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import Figure, bench_env
from bench.documents import _freezes
from bench.reviews import _insert, add_evaluation

RUNS = 7
TARGET = 5.0
SYSTEMS, ASSESSMENTS, RISKS, DOCUMENTS, PEOPLE = 5_000, 10_000, 20_000, 5_000, 5_000
ROLES, HOLDINGS = 40, 2_000


def add_role_holders(ef, people: int = PEOPLE) -> None:
    """Roles with two competences each, holders drawn from the people, and a verification
    of most holders (a few of one competence only), by Core inserts."""
    from app.models import AimsRole, CompetenceVerification, RoleAssignment, RoleCompetence

    live = {"deleted": False, "created_at": dt.datetime(2025, 1, 1)}
    with ef.writing() as session:
        _insert(session, AimsRole, [
            {"id": f"ROLE-{r:03d}", "title": f"Role {r}", "reports_performance": r == 1, **live}
            for r in range(1, ROLES + 1)
        ])  # fmt: skip
        _insert(session, RoleCompetence, [
            {"id": f"RC-{r:03d}-{n}", "competence": f"Skill {n} of role {r}",
             "role": f"ROLE-{r:03d}", **live}
            for r in range(1, ROLES + 1) for n in (1, 2)
        ])  # fmt: skip
        holdings = [(h, f"ROLE-{h % ROLES + 1:03d}", f"PER-{h % people + 1:03d}")
                    for h in range(1, HOLDINGS + 1)]  # fmt: skip
        _insert(session, RoleAssignment, [
            {"id": f"RA-{h:05d}", "role": role, "person": person, **live}
            for h, role, person in holdings
        ])  # fmt: skip
        _insert(session, CompetenceVerification, [
            {"id": f"CV-{h:05d}", "title": "Checked", "person": person,
             "competences": f"RC-{role[5:]}-1" + ("" if h % 7 == 0 else f", RC-{role[5:]}-2"),
             "verified_by": "Assessor", "verified_on": dt.date(2026, 3, 1), **live}
            for h, role, person in holdings if h % 5
        ])  # fmt: skip


def _bare(ef) -> None:
    """The floor: one bare count over each table the figures read."""
    from sqlalchemy import func, select

    from app import models

    tables = (
        "RequirementState", "SoaEntry", "AdditionalControl", "RequiredDocument", "Document",
        "Risk", "RiskAction", "CorrectiveAction", "ReviewAction", "AISystem",
        "ImpactAssessment", "Person", "AimsRole", "RoleAssignment", "RoleCompetence",
        "CompetenceVerification", "Training", "PolicyAcknowledgement", "Audit",
        "ManagementReview", "Nonconformity", "SoaVersion", "RiskCriteria",
    )  # fmt: skip
    with ef.reading() as session:
        for name in tables:
            session.scalar(select(func.count()).select_from(getattr(models, name)))


def run() -> list[Figure]:
    from app.services.generator import create_large, draw_owners_from_people
    from app.services.readiness import figures

    with tempfile.TemporaryDirectory(prefix="aims-bench-") as tmp:
        path = Path(tmp) / "large.aims"
        ef = create_large(
            path, systems=SYSTEMS, assessments=ASSESSMENTS, risk_count=RISKS,
            documents=DOCUMENTS,
        )  # fmt: skip
        try:
            add_evaluation(ef)
            draw_owners_from_people(ef, PEOPLE)
            add_role_holders(ef)
            project: list[float] = []
            floor: list[float] = []
            found = figures.compute(ef)  # warm-up: page cache, mappers
            _bare(ef)
            for n in range(RUNS):
                sides = [("floor", lambda: _bare(ef)), ("project", lambda: figures.compute(ef))]
                for name, side in sides if n % 2 else reversed(sides):
                    began = time.perf_counter()
                    side()
                    (project if name == "project" else floor).append(time.perf_counter() - began)
        finally:
            ef.close()
        # the window while the count after an edit recomputes every rule and figure
        freezes = _freezes("dashboard", bench_env(Path(tmp)), str(path), "dashboard")
    return [
        *freezes,
        Figure(
            "dashboard figures (every register filled) vs count(*) per table",
            statistics.median(project),
            statistics.median(floor),
            TARGET,
            {
                "rows": f"{SYSTEMS:,} systems, {RISKS:,} risks, {DOCUMENTS:,} documents, "
                f"{PEOPLE:,} people, {HOLDINGS:,} role holdings, 20,000 nonconformities",
                "owners": f"{len(found.by_owner):,}",
                "readiness": f"{found.readiness}%",
            },
        ),
    ]
