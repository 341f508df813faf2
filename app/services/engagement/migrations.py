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
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)

CURRENT_VERSION = 10

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


def _v2_to_v3(conn: Connection) -> None:
    """Version 3 adds the AI risk register: criteria, categories, risks and their links."""
    from app.services.risks import criteria as risk_criteria
    from app.services.risks import seed as risk_seed

    meta = MetaData()
    existing = Table("ai_system", meta, Column("id", String(40), primary_key=True))
    Table(
        "risk_criteria",
        meta,
        Column("id", Integer, primary_key=True),
        Column("version", Integer, nullable=False),
        Column("content", Text, nullable=False),
    )
    Table(
        "risk_category",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("name", String(200), nullable=False, unique=True),
        Column("taxonomy", String(60), nullable=False),
        Column("attribution", String(200), nullable=False),
        Column("ai_specific", Boolean, nullable=False),
        Column("merged_into", Integer, ForeignKey("risk_category.id")),
    )
    risk_text = [
        "description",
        "affected_parties",
        "existing_controls",
        "residual_comment",
        "acceptance_comment",
    ]
    Table(
        "risk",
        meta,
        Column("id", String(40), primary_key=True),
        Column("kind", String(20), nullable=False),
        Column("title", String(300), nullable=False),
        Column("category_id", Integer, ForeignKey("risk_category.id"), index=True),
        Column("source", String(200), nullable=False),
        Column("owner", String(200), nullable=False),
        Column("inherent_likelihood", Integer, nullable=False),
        Column("inherent_impact", Integer, nullable=False),
        Column("inherent_score", Integer, nullable=False),
        Column("inherent_level", String(40), nullable=False),
        Column("treatment", String(20), nullable=False),
        Column("residual_likelihood", Integer),
        Column("residual_impact", Integer),
        Column("residual_score", Integer),
        Column("residual_level", String(40), nullable=False),
        Column("accepted_by", String(200), nullable=False),
        Column("accepted_on", Date),
        Column("review_date", Date),
        Column("status", String(20), nullable=False),
        Column("deleted", Boolean, nullable=False),
        *(Column(name, Text, nullable=False) for name in risk_text),
    )
    Table(
        "risk_system",
        meta,
        Column("risk_id", String(40), ForeignKey("risk.id"), primary_key=True),
        Column("system_id", String(40), ForeignKey("ai_system.id"), primary_key=True),
    )
    Table(
        "risk_control",
        meta,
        Column("risk_id", String(40), ForeignKey("risk.id"), primary_key=True),
        Column("control_id", String(20), primary_key=True),
        Column("reason", Text, nullable=False),
    )
    Table(
        "risk_action",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("risk_id", String(40), ForeignKey("risk.id"), nullable=False, index=True),
        Column("position", Integer, nullable=False),
        Column("action", Text, nullable=False),
        Column("owner", String(200), nullable=False),
        Column("due_date", Date),
        Column("done", Boolean, nullable=False),
    )
    meta.create_all(conn, tables=[t for t in meta.sorted_tables if t is not existing])
    risk_seed.seed(conn, risk_criteria.DEFAULT.to_json())


def _v3_to_v4(conn: Connection) -> None:
    """Version 4 adds the Statement of Applicability and its issued versions."""
    meta = MetaData()
    reasons = [
        "reason_risk_treatment",
        "reason_legal",
        "reason_contractual",
        "reason_business",
        "reason_other",
    ]
    Table(
        "soa_entry",
        meta,
        Column("control_id", String(20), primary_key=True),
        Column("decision", String(20), nullable=False),
        *(Column(name, Boolean, nullable=False) for name in reasons),
        Column("reason_text", Text, nullable=False),
        Column("justification", Text, nullable=False),
        Column("status", String(20), nullable=False),
        Column("owner", String(200), nullable=False),
        Column("target_date", Date),
        Column("evidence", Text, nullable=False),
    )
    Table(
        "soa_version",
        meta,
        Column("number", Integer, primary_key=True),
        Column("issued_on", Date, nullable=False),
        Column("approved_by", String(200), nullable=False),
        Column("content", Text, nullable=False),
        Column("created_at", DateTime, nullable=False),
    )
    meta.create_all(conn)


def _v4_to_v5(conn: Connection) -> None:
    """Version 5 adds the Stage 1 pack settings: marking, accent colour, logo, sections, paper."""
    meta = MetaData()
    Table(
        "pack_settings",
        meta,
        Column("id", Integer, primary_key=True),
        Column("confidentiality", String(200), nullable=False),
        Column("accent", String(7), nullable=False),
        Column("logo", LargeBinary),
        Column("sections", Text, nullable=False),
        Column("paper", String(10), nullable=False),
    )
    meta.create_all(conn)


def _v5_to_v6(conn: Connection) -> None:
    """Version 6 adds the certification body, the Stage 2 date and the document control of
    the pack to the engagement, an implementation description to each SoA line, and the kind
    of document (submission or readiness report) to the pack settings."""
    columns = [
        ("engagement", "certification_body", "VARCHAR(200) NOT NULL DEFAULT ''"),
        ("engagement", "stage2_date", "DATE"),
        ("engagement", "doc_version", "VARCHAR(40) NOT NULL DEFAULT ''"),
        ("engagement", "doc_author", "VARCHAR(200) NOT NULL DEFAULT ''"),
        ("engagement", "doc_reviewer", "VARCHAR(200) NOT NULL DEFAULT ''"),
        ("engagement", "doc_approver", "VARCHAR(200) NOT NULL DEFAULT ''"),
        ("engagement", "doc_date", "DATE"),
        ("soa_entry", "implementation", "TEXT NOT NULL DEFAULT ''"),
        ("pack_settings", "kind", "VARCHAR(20) NOT NULL DEFAULT 'submission'"),
    ]
    for table, name, declaration in columns:
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {declaration}"))


def _v6_to_v7(conn: Connection) -> None:
    """Version 7 adds the context registers: issues (4.1), interested parties and their
    requirements (4.2), obligations, and the context's own facts (climate change)."""
    meta = MetaData()

    def register(name: str, *columns: Column[object]) -> None:
        Table(
            name,
            meta,
            Column("id", String(40), primary_key=True),
            *columns,
            Column("deleted", Boolean, nullable=False),
            Column("created_at", DateTime, nullable=False),
        )

    def short(name: str) -> Column[object]:
        return Column(name, String(200), nullable=False)

    def code(name: str) -> Column[object]:
        return Column(name, String(20), nullable=False)

    def long(name: str) -> Column[object]:
        return Column(name, Text, nullable=False)

    register(
        "context_issue", short("title"), code("direction"), code("category"),
        long("description"), long("effect"), short("source"), long("risks"), short("owner"),
        Column("review_date", Date),
    )  # fmt: skip
    register(
        "interested_party", short("name"), code("party_type"), long("description"),
        short("contact"),
    )  # fmt: skip
    register(
        "party_requirement", short("requirement"), Column("party", String(40), nullable=False),
        code("addressed"), long("how"),
    )  # fmt: skip
    register(
        "obligation", short("title"), code("kind"), short("jurisdiction"), long("systems"),
        short("owner"), code("status"), long("notes"),
    )  # fmt: skip
    Table(
        "context_facts",
        meta,
        Column("id", Integer, primary_key=True),
        Column("climate_change", String(10), nullable=False),
        Column("climate_issue", String(40), nullable=False),
        Column("climate_reason", Text, nullable=False),
    )
    meta.create_all(conn)


def _v7_to_v8(conn: Connection) -> None:
    """Version 8 carries what an auditor checks first: when the AIMS began, when each risk was
    assessed, whether a risk category's AI-specific flag was decided by someone, controls
    beyond Annex A, the approvals by management (risk criteria, treatment plan), and the
    documented information with its attachments."""
    columns = [
        ("engagement", "aims_started_on", "DATE"),
        ("risk", "assessed_on", "DATE"),
        ("risk_category", "classified", "BOOLEAN NOT NULL DEFAULT 0"),
    ]
    for table, name, declaration in columns:
        conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {declaration}"))
    from app.services.risks import seed as risk_seed

    risk_seed.mark_seeded_classified(conn)
    meta = MetaData()
    Table(
        "additional_control",
        meta,
        Column("id", String(20), primary_key=True),
        Column("title", String(200), nullable=False),
        Column("source", String(200), nullable=False),
        Column("deleted", Boolean, nullable=False),
        Column("created_at", DateTime, nullable=False),
    )
    Table(
        "approval",
        meta,
        Column("subject", String(40), primary_key=True),
        Column("approved_by", String(200), nullable=False),
        Column("role", String(200), nullable=False),
        Column("approved_on", Date),
        Column("subject_version", Integer),
        Column("note", Text, nullable=False),
    )
    _documents(meta)
    meta.create_all(conn)


def _documents(meta: MetaData) -> None:
    """Format 8's documented information: the register, attachments in chunks, and the links
    from the standard's mandatory entries to the documents that satisfy them."""
    text_cols = [
        "location", "supersedes", "points", "controls", "systems", "risks", "assessments",
        "notes",
    ]  # fmt: skip
    short_cols = [
        "version", "author", "owner", "classification", "approved_by", "approver_role",
        "retention", "communicated_to", "communicated_how",
    ]  # fmt: skip
    Table(
        "document",
        meta,
        Column("id", String(40), primary_key=True),
        Column("title", String(200), nullable=False),
        Column("kind", String(20), nullable=False),
        Column("status", String(20), nullable=False),
        Column("effective_date", Date),
        Column("approved_on", Date),
        Column("review_months", Integer),
        Column("next_review", Date),
        Column("ai_policy", Boolean, nullable=False),
        Column("communicated_on", Date),
        Column("available_to_parties", Boolean, nullable=False),
        Column("deleted", Boolean, nullable=False),
        Column("created_at", DateTime, nullable=False),
        *(Column(name, String(200), nullable=False) for name in short_cols),
        *(Column(name, Text, nullable=False) for name in text_cols),
    )
    Table(
        "attachment",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("document_id", String(40), ForeignKey("document.id"), nullable=False, index=True),
        Column("name", String(255), nullable=False),
        Column("media_type", String(100), nullable=False),
        Column("size", Integer, nullable=False),
        Column("sha256", String(64), nullable=False),
        Column("chunks", Integer, nullable=False),
        Column("deleted", Boolean, nullable=False),
        Column("created_at", DateTime, nullable=False),
    )
    Table(
        "attachment_chunk",
        meta,
        Column("attachment_id", Integer, ForeignKey("attachment.id"), primary_key=True),
        Column("seq", Integer, primary_key=True),
        Column("data", LargeBinary, nullable=False),
    )
    Table(
        "required_document",
        meta,
        Column("entry", String(40), primary_key=True),
        Column("documents", Text, nullable=False),
        Column("note", Text, nullable=False),
    )


def _v8_to_v9(conn: Connection) -> None:
    """Version 9 adds the People area (people, AIMS roles and who holds them, the competence
    roles require, training, competence verifications, AI policy acknowledgements) and the
    Evaluation and improvement area (objectives and measurements, the audit programme,
    audits and their lines, nonconformities and corrective actions, improvements,
    management reviews with their inputs and actions)."""
    meta = MetaData()

    def register(name: str, *columns: Column[object]) -> None:
        Table(
            name,
            meta,
            Column("id", String(40), primary_key=True),
            *columns,
            Column("deleted", Boolean, nullable=False),
            Column("created_at", DateTime, nullable=False),
        )

    def short(name: str) -> Column[object]:
        return Column(name, String(200), nullable=False)

    def code(name: str) -> Column[object]:
        return Column(name, String(20), nullable=False)

    def ref(name: str, index: bool = False) -> Column[object]:
        return Column(name, String(40), nullable=False, index=index)

    def long(name: str) -> Column[object]:
        return Column(name, Text, nullable=False)

    def flag(name: str) -> Column[object]:
        return Column(name, Boolean, nullable=False)

    register(
        "person", short("name"), short("job_title"), short("department"), short("email"),
        code("kind"), code("status"), Column("left_on", Date), long("notes"),
    )  # fmt: skip
    register(
        "aims_role", short("title"), long("responsibilities"), long("authorities"),
        flag("reports_performance"), flag("top_management"), ref("template"), long("notes"),
    )  # fmt: skip
    register(
        "role_assignment", ref("role"), ref("person"), Column("from_date", Date),
        Column("to_date", Date), long("communicated"), long("evidence"), long("notes"),
    )  # fmt: skip
    register(
        "role_competence", short("competence"), ref("role"), code("kind"), long("notes"),
    )  # fmt: skip
    register(
        "training", short("course"), ref("person"), short("provider"), Column("taken_on", Date),
        long("competences"), long("evidence"), long("notes"),
    )  # fmt: skip
    register(
        "competence_verification", short("title"), ref("person"), long("competences"),
        ref("training"), code("method"), short("verified_by"), Column("verified_on", Date),
        code("result"), long("evidence"), long("notes"),
    )  # fmt: skip
    register(
        "policy_acknowledgement", ref("person"), ref("document"), short("version"),
        Column("acknowledged_on", Date), short("how"), long("evidence"), long("notes"),
    )  # fmt: skip
    register(
        "objective", short("title"), short("level"), short("measure"), flag("numeric"),
        Column("target", Float), code("direction"), short("unit"), short("owner"),
        Column("due_date", Date), long("resources"), long("evaluation"),
        Column("interval_months", Integer), long("documents"), long("notes"),
    )  # fmt: skip
    register(
        "measurement", ref("objective", index=True), Column("measured_on", Date), short("value"),
        Column("number", Float), short("measured_by"), long("note"),
    )  # fmt: skip
    register(
        "audit_programme", short("title"), Column("period_from", Date), Column("period_to", Date),
        short("frequency"), long("methods"), long("responsibilities"), long("clauses"),
        long("controls"), long("notes"),
    )  # fmt: skip
    register(
        "audit", short("title"), ref("programme"), Column("planned_on", Date),
        Column("actual_on", Date), code("status"), long("clauses"), long("controls"),
        long("systems"), long("sites"), long("criteria"), ref("lead_auditor"), long("team"),
        ref("report"), long("notes"),
    )  # fmt: skip
    register(
        "audit_line", ref("audit", index=True), Column("position", Integer, nullable=False),
        ref("ref"), short("title"), code("result"), ref("auditor"), long("notes"),
        long("evidence"),
    )  # fmt: skip
    register(
        "nonconformity", short("title"), code("source"), ref("source_ref"), long("description"),
        ref("ref"), code("grade"), Column("raised_on", Date), short("owner"),
        Column("due_date", Date), long("correction"), long("root_cause"),
        code("root_cause_method"), long("similar"), code("status"),
        Column("effectiveness_on", Date), short("effectiveness_by"), code("effective"),
        long("effectiveness_note"), Column("closed_on", Date),
    )  # fmt: skip
    register(
        "corrective_action", short("action"), ref("nonconformity", index=True), short("owner"),
        Column("due_date", Date), Column("done_on", Date), long("notes"),
    )  # fmt: skip
    register(
        "improvement", short("title"), code("source"), ref("source_ref"), long("description"),
        code("decision"), Column("decided_on", Date), short("owner"), long("notes"),
    )  # fmt: skip
    register(
        "management_review", short("title"), Column("held_on", Date), long("attendees"),
        long("decisions"), long("changes"), long("resources"), ref("minutes"), long("notes"),
    )  # fmt: skip
    register(
        "review_input", ref("review", index=True), code("topic"), long("notes"), long("links"),
    )  # fmt: skip
    register(
        "review_action", short("action"), ref("review", index=True), short("owner"),
        Column("due_date", Date), Column("done_on", Date), long("notes"),
    )  # fmt: skip

    meta.create_all(conn)


def _v9_to_v10(conn: Connection) -> None:
    """Version 10 keeps the certification plan: each milestone's planned date where the
    consultant set one, and the day it was reached."""
    meta = MetaData()
    Table(
        "milestone",
        meta,
        Column("key", String(40), primary_key=True),
        Column("planned_on", Date),
        Column("done_on", Date),
        Column("note", Text, nullable=False),
    )
    meta.create_all(conn)


# from-version -> step to from-version + 1
STEPS: dict[int, Step] = {
    1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5, 5: _v5_to_v6, 6: _v6_to_v7,
    7: _v7_to_v8, 8: _v8_to_v9, 9: _v9_to_v10,
}  # fmt: skip


def steps_from(version: int) -> list[tuple[int, Step]]:
    return [(v, STEPS[v]) for v in range(version, CURRENT_VERSION)]
