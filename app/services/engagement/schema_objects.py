"""Database objects in an engagement file that AIMS Prep did not create.

Consultants receive files from others. A trigger planted in a file runs on the next write (it
could empty the history or rewrite the client's name), and a view or a stranger's table is
no part of an engagement. Such a file is opened read-only with the reason, before any write
or upgrade can run."""

from __future__ import annotations

import sqlite3
from collections.abc import Set
from pathlib import Path
from urllib.parse import quote

from app.models import schema

# SQLite's own: AUTOINCREMENT counters and ANALYZE statistics.
_SQLITE_TABLES = {"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}

# The tables and indexes the models define, by name: checked on every open, where loading every
# model to list them would cost the window's first paint tens of ms. Every format's tables are
# still in the models (no step has dropped one). tests/unit/engagement/test_file_safety.py
# fails when these drift from the models; until then a name missing here is looked up in them.
TABLES = frozenset(
    {
        "additional_control",
        "ai_system",
        "aims_role",
        "approval",
        "attachment",
        "attachment_chunk",
        "audit",
        "audit_line",
        "audit_programme",
        "catalog_snapshot",
        "competence_verification",
        "context_facts",
        "context_issue",
        "corrective_action",
        "document",
        "engagement",
        "history",
        "impact",
        "impact_assessment",
        "improvement",
        "interested_party",
        "management_review",
        "measurement",
        "milestone",
        "nonconformity",
        "objective",
        "obligation",
        "pack_settings",
        "party_requirement",
        "person",
        "policy_acknowledgement",
        "required_document",
        "requirement",
        "review_action",
        "review_input",
        "risk",
        "risk_action",
        "risk_category",
        "risk_control",
        "risk_criteria",
        "risk_system",
        "role_assignment",
        "role_competence",
        "schema_info",
        "soa_entry",
        "soa_version",
        "training",
    }
)
INDEXES = frozenset(
    {
        "ix_attachment_document_id",
        "ix_audit_line_audit",
        "ix_corrective_action_nonconformity",
        "ix_history_entity",
        "ix_impact_assessment_id",
        "ix_impact_assessment_system_id",
        "ix_measurement_objective",
        "ix_review_action_review",
        "ix_review_input_review",
        "ix_risk_action_risk_id",
        "ix_risk_category_id",
    }
)


def of_models() -> tuple[set[str], set[str]]:
    """The names of the tables and indexes of every model (every one loaded)."""
    tables = schema().tables
    return set(tables), {str(ix.name) for t in tables.values() for ix in t.indexes if ix.name}


def foreign_objects(path: Path) -> list[str]:
    """Each object the app did not create, as "trigger 'x' on history"; empty when clean.
    Read from sqlite_master over a read-only connection: nothing in the file runs."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=5)
    try:
        rows = connection.execute("SELECT type, name, tbl_name FROM sqlite_master").fetchall()
    finally:
        connection.close()
    found = _not_in(rows, TABLES | _SQLITE_TABLES, INDEXES)
    if found:  # a model added since the names above were listed still counts as ours
        tables, indexes = of_models()
        found = _not_in(rows, tables | _SQLITE_TABLES, indexes)
    return found


def _not_in(rows: list[tuple[str, str, str]], tables: Set[str], indexes: Set[str]) -> list[str]:
    found = []
    for kind, name, table in rows:
        name, table = str(name), str(table)
        if kind == "table" and name in tables:
            continue
        if kind == "index" and table in tables and (name in indexes or _is_autoindex(name, table)):
            continue
        found.append(f"{kind} '{name}'" + (f" on {table}" if table != name else ""))
    return found


def _is_autoindex(name: str, table: str) -> bool:
    """SQLite's own index of a key or unique column: sqlite_autoindex_<table>_<n>. Compared as
    text: a pattern compiled per table costs every open a few ms."""
    prefix = f"sqlite_autoindex_{table}_"
    return name.startswith(prefix) and name[len(prefix) :].isdecimal()


def read_only_reason(found: list[str]) -> str:
    shown = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    return (
        f"it holds database objects AIMS Prep did not create ({shown}), so it was opened "
        "read-only and nothing in it can run. Ask the sender for a clean copy"
    )
