"""Large generated engagements for benchmarks and scale tests: thousands of rows in every
area the engagement has.

Bulk rows go in through Core inserts: ORM add_all is an order of magnitude slower."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from app.models import (
    AISystem,
    HistoryEntry,
    Impact,
    ImpactAssessment,
    RequirementState,
    Risk,
    RiskAction,
    RiskCategory,
    RiskControl,
    RiskSystem,
)
from app.services.context import registers as context
from app.services.documents.register import DOCUMENTS
from app.services.engagement.file import EngagementFile, create_engagement
from app.services.inventory import impact
from app.services.inventory import service as inventory
from app.services.registers import service as register
from app.services.registers.description import Register
from app.services.risks import criteria as risk_criteria

_BATCH = 5_000
_KINDS = ("scoring", "chat", "vision", "ranking")


def _batches(rows: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    return [rows[i : i + _BATCH] for i in range(0, len(rows), _BATCH)]


def create_large(
    path: Path | str,
    history_rows: int = 100_000,
    systems: int = 5_000,
    assessments: int = 10_000,
    risk_count: int = 20_000,
    context_items: int = 1_000,
    seed: int = 7,
    documents: int = 0,
) -> EngagementFile:
    """An engagement with every checklist point filled in, a long history, and a large
    inventory with impact assessments (two impacts each)."""
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
        history = [
            {
                "at": base + dt.timedelta(minutes=i),
                "actor": f"user{i % 7}",
                "entity": "requirement",
                "entity_id": ids[i % len(ids)],
                "field": "notes",
                "old": f"old value {i}",
                "new": f"new value {i}",
            }
            for i in range(history_rows)
        ]
        for batch in _batches(history):
            session.execute(insert(HistoryEntry), batch)
        system_rows = [_system(i, rng, base) for i in range(systems)]
        for batch in _batches(system_rows):
            session.execute(insert(AISystem), batch)
        assessment_rows = [
            _assessment(i, rng, systems) for i in range(assessments if systems else 0)
        ]
        for batch in _batches(assessment_rows):
            session.execute(insert(ImpactAssessment), batch)
        impact_rows = [
            {
                "assessment_id": a["id"],
                "position": n,
                "scope": ("individuals", "society")[n],
                "description": f"Generated impact {n + 1} of {a['id']}",
                "severity": rng.randint(1, 5),
                "likelihood": rng.randint(1, 5),
            }
            for a in assessment_rows
            for n in range(2)
        ]
        for batch in _batches(impact_rows):
            session.execute(insert(Impact), batch)
        _add_risks(session, rng, risk_count, systems)
        _add_described(session, rng, context_items, systems, context.REGISTERS)
        _add_described(session, rng, documents, systems, (DOCUMENTS,))
    return ef


def _add_described(
    session: Session,
    rng: random.Random,
    count: int,
    systems: int,
    registers: tuple[Register, ...],
) -> None:
    """`count` items in each register, built from each description's defaults."""
    created = dt.datetime(2026, 1, 1)
    for reg in registers:
        rows = []
        for i in range(1, count + 1):
            row: dict[str, object] = {
                **register.defaults(reg),
                "id": f"{reg.prefix}-{i:05d}",
                reg.name_field: f"Generated {reg.noun} {i}",
                "deleted": False,
                "created_at": created,
            }
            for spec in reg.fields:
                if spec.kind == "choice":
                    row[spec.name] = rng.choice(list(spec.choices))
            if reg is context.REQUIREMENTS:
                row["party"] = f"{context.PARTIES.prefix}-{rng.randint(1, count):05d}"
            if reg is context.OBLIGATIONS and systems:
                row["systems"] = f"AIS-{rng.randint(1, systems):05d}"
                row["owner"] = rng.choice(("", "Legal", "Compliance", "CRO"))
            rows.append(row)
        for batch in _batches(rows):
            session.execute(insert(reg.model), batch)


def _add_risks(session: Session, rng: random.Random, count: int, systems: int) -> None:
    criteria = risk_criteria.DEFAULT
    categories = list(session.scalars(select(RiskCategory.id)))
    owners = [f"Owner {n}" for n in range(1, 60)] + [""]
    rows: list[dict[str, object]] = []
    links: list[dict[str, object]] = []
    controls: list[dict[str, object]] = []
    actions: list[dict[str, object]] = []
    control_ids = ["A.5.2", "A.6.2.4", "A.7.4", "A.8.2", "A.9.2", "A.10.3"]
    for n in range(count):
        rid = f"R-{n + 1:05d}"
        lik, imp = rng.randint(1, 5), rng.randint(1, 5)
        treated = rng.random() < 0.6
        rl, ri = (max(1, lik - rng.randint(0, 2)), imp) if treated else (None, None)
        score = criteria.score(lik, imp)
        r_score = criteria.score(rl, ri) if rl and ri else None
        accepted = treated and rng.random() < 0.5
        rows.append(
            {
                "id": rid,
                "kind": "risk" if rng.random() < 0.95 else "opportunity",
                "title": f"Generated risk {n + 1}",
                "description": "Cause, event and consequence. " * 3,
                "category_id": rng.choice(categories),
                "source": "",
                "affected_parties": "Customers",
                "owner": rng.choice(owners),
                "inherent_likelihood": lik,
                "inherent_impact": imp,
                "inherent_score": score,
                "inherent_level": criteria.level(score),
                "existing_controls": "",
                "treatment": rng.choice(["modify", "share", "retain"]) if treated else "",
                "residual_likelihood": rl,
                "residual_impact": ri,
                "residual_score": r_score,
                "residual_level": criteria.level(r_score) if r_score else "",
                "residual_comment": "",
                "accepted_by": "Risk Committee" if accepted else "",
                "accepted_on": dt.date(2026, 6, 1) if accepted else None,
                "acceptance_comment": "",
                "review_date": None,
                "status": "open",
                "deleted": False,
            }
        )
        if systems:
            links.append({"risk_id": rid, "system_id": f"AIS-{rng.randint(1, systems):05d}"})
        if treated:
            controls.append(
                {"risk_id": rid, "control_id": rng.choice(control_ids), "reason": "Generated"}
            )
            actions.append(
                {
                    "risk_id": rid,
                    "position": 0,
                    "action": "Generated action",
                    "owner": rng.choice(owners),
                    "done": rng.random() < 0.3,
                    "due_date": dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 700)),
                }
            )
    for model, data in (
        (Risk, rows),
        (RiskSystem, links),
        (RiskControl, controls),
        (RiskAction, actions),
    ):
        for batch in _batches(data):
            session.execute(insert(model), batch)


def _system(i: int, rng: random.Random, base: dt.datetime) -> dict[str, object]:
    stage = rng.choice(list(inventory.STAGES))
    source = rng.choice(list(inventory.SOURCES))
    in_scope = rng.random() > 0.1
    return {
        "id": f"AIS-{i + 1:05d}",
        "name": f"Generated AI system {i + 1} ({rng.choice(_KINDS)})",
        "description": "A generated system for scale tests. " * 3,
        "business_owner": f"Owner {rng.randint(1, 60)}",
        "role": rng.choice(list(inventory.ROLES)),
        "source": source,
        "vendor": f"Vendor {rng.randint(1, 200)}" if source != "in_house" else "",
        "intended_use": "Generated intended use. " * 4,
        "foreseeable_misuse": "Generated misuse.",
        "affected_parties": "Customers",
        "consequential": rng.random() < 0.3,
        "ai_act_tier": rng.choice(list(inventory.TIERS)),
        "ai_act_note": "",
        "stage": stage,
        "deployment_date": dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2000))
        if stage in inventory.LIVE_STAGES
        else None,
        "training_data": "Generated training data description.",
        "inference_data": "Generated inference data.",
        "data_provenance": "Generated.",
        "data_quality": "",
        "bias_checks": "",
        "human_oversight": "Reviewer checks a sample.",
        "in_scope": in_scope,
        "out_of_scope_reason": "" if in_scope or rng.random() < 0.5 else "Not used for decisions.",
        "changed_at": dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
        if rng.random() < 0.2
        else None,
        "deleted": False,
        "created_at": base,
    }


def _assessment(i: int, rng: random.Random, systems: int) -> dict[str, object]:
    assessed = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 1800))
    approved = rng.random() < 0.7
    return {
        "id": f"IA-{i + 1:05d}",
        "system_id": f"AIS-{rng.randint(1, systems):05d}",
        "assessed_on": assessed,
        "assessor": f"Assessor {rng.randint(1, 20)}",
        "trigger": rng.choice(list(impact.TRIGGERS)),
        "treatment": "Generated treatment.",
        "result": "Acceptable with treatment.",
        "approved_by": "Risk Committee" if approved else "",
        "approved_on": assessed + dt.timedelta(days=10) if approved else None,
        "deleted": False,
    }


def draw_owners_from_people(
    ef: EngagementFile, people: int = 5_000, seed: int = 11, respelled: float = 0.2
) -> int:
    """Add `people` people and make every owner-like field of every area name one of them:
    most as the person spells it, a share (`respelled`) in another case or spacing, as typed
    by hand or imported, for matching to put right. Returns the items that name someone."""
    from app.services.people import owners  # the people area builds on the others

    rng = random.Random(seed)
    with ef.writing() as session:
        ids = owners.add_people(session, [f"Person {n:05d}" for n in range(1, people + 1)], "gen")
        names = [f"Person {n:05d}" for n in range(1, len(ids) + 1)]
        items = 0
        for f in owners.FIELDS:
            table = f.table
            row = next(iter(table.primary_key.columns))
            keys = session.scalars(select(row).where(f.live(), table.c[f.column] != "")).all()
            params = []
            for k in keys:
                name = rng.choice(names)
                if rng.random() < respelled:
                    name = rng.choice((name.upper(), name.lower(), f"  {name.replace(' ', '  ')} "))
                params.append({"k": k, "v": name})
            query = update(table).where(row == bindparam("k")).values({f.column: bindparam("v")})
            for batch in _batches(params):
                session.connection().execute(query, batch)
            items += len(params)
    return items
