"""Schema versions of engagement files and the steps between them.

Each step takes a connection at version N and leaves it at N + 1; the caller runs each step in
its own transaction after writing a backup copy of the file. A released step is never edited:
it declares the tables as they were at that version (not the current models), and tests open a
fixture file of every released version."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

CURRENT_VERSION = 2

Step = Callable[[Connection], None]


def _v1_to_v2(conn: Connection) -> None:
    """Version 2 adds the AI system inventory and impact assessments."""
    meta = MetaData()
    text_cols = [
        "description",
        "intended_use",
        "foreseeable_misuse",
        "affected_parties",
        "ai_act_note",
        "training_data",
        "inference_data",
        "data_provenance",
        "data_quality",
        "bias_checks",
        "human_oversight",
        "out_of_scope_reason",
    ]
    Table(
        "ai_system",
        meta,
        Column("id", String(40), primary_key=True),
        Column("name", String(200), nullable=False),
        Column("business_owner", String(200), nullable=False),
        Column("role", String(20), nullable=False),
        Column("source", String(20), nullable=False),
        Column("vendor", String(200), nullable=False),
        Column("consequential", Boolean, nullable=False),
        Column("ai_act_tier", String(20), nullable=False),
        Column("stage", String(20), nullable=False),
        Column("deployment_date", Date),
        Column("in_scope", Boolean, nullable=False),
        Column("changed_at", Date),
        Column("deleted", Boolean, nullable=False),
        Column("created_at", DateTime, nullable=False),
        *(Column(name, Text, nullable=False) for name in text_cols),
    )
    Table(
        "impact_assessment",
        meta,
        Column("id", String(40), primary_key=True),
        Column("system_id", String(40), ForeignKey("ai_system.id"), nullable=False, index=True),
        Column("assessed_on", Date, nullable=False),
        Column("assessor", String(200), nullable=False),
        Column("trigger", String(20), nullable=False),
        Column("treatment", Text, nullable=False),
        Column("result", Text, nullable=False),
        Column("approved_by", String(200), nullable=False),
        Column("approved_on", Date),
        Column("deleted", Boolean, nullable=False),
    )
    Table(
        "impact",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(
            "assessment_id",
            String(40),
            ForeignKey("impact_assessment.id"),
            nullable=False,
            index=True,
        ),
        Column("position", Integer, nullable=False),
        Column("scope", String(20), nullable=False),
        Column("description", Text, nullable=False),
        Column("severity", Integer, nullable=False),
        Column("likelihood", Integer, nullable=False),
    )
    meta.create_all(conn)


# from-version -> step to from-version + 1
STEPS: dict[int, Step] = {1: _v1_to_v2}


def steps_from(version: int) -> list[tuple[int, Step]]:
    return [(v, STEPS[v]) for v in range(version, CURRENT_VERSION)]
