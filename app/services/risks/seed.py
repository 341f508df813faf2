"""What a new (or newly upgraded) engagement starts its risk register with: the default
criteria and the category list, seeded from public AI harm taxonomies (data/risk_taxonomy.csv).

Written with plain Core statements on a connection, so the schema migration can use it too."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from sqlalchemy import Boolean, Connection, Integer, String, Text, column, table, text

from app import paths

_CRITERIA = table("risk_criteria", column("id", Integer), column("version", Integer),
                  column("content", Text))  # fmt: skip
_CATEGORY = table(
    "risk_category",
    column("name", String),
    column("taxonomy", String),
    column("attribution", String),
    column("ai_specific", Boolean),
)
# Which taxonomy rows become categories, and how they are credited (MIT's licence asks for it).
_SEEDED = {
    "ISO42001_AnnexC": "ISO/IEC 42001 Annex C risk source (name only)",
    "NIST_AI_RMF_TC": "NIST AI RMF 1.0 trustworthy characteristic (public domain)",
    "MIT_AI_Risk_Repo_v3_domain": "MIT AI Risk Repository v3, CC BY 4.0",
}
# Classic IT risk: a register holding only these is the "cyber-only" gap auditors find.
_NOT_AI_SPECIFIC = {"Secure and resilient"}
_IT_CATEGORIES = ("Information security (IT)", "IT service continuity")


@dataclass(frozen=True)
class SeedCategory:
    name: str
    taxonomy: str
    attribution: str
    ai_specific: bool


def seed_categories() -> list[SeedCategory]:
    with open(paths.bundled("data/risk_taxonomy.csv"), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    seeded = [
        SeedCategory(r["name"], r["taxonomy"], _SEEDED[r["taxonomy"]],
                     r["name"] not in _NOT_AI_SPECIFIC)
        for r in rows
        if r["taxonomy"] in _SEEDED
    ]  # fmt: skip
    return seeded + [SeedCategory(name, "project", "", False) for name in _IT_CATEGORIES]


def seed(conn: Connection, criteria_json: str) -> None:
    conn.execute(_CRITERIA.insert().values(id=1, version=1, content=criteria_json))
    conn.execute(
        _CATEGORY.insert(),
        [
            {"name": c.name, "taxonomy": c.taxonomy, "attribution": c.attribution,
             "ai_specific": c.ai_specific}
            for c in seed_categories()
        ],
    )  # fmt: skip


def mark_seeded_classified(conn: Connection) -> None:
    """Seeded categories come with their AI-specific flag decided by a public taxonomy; a
    category typed in the engagement ('engagement') is still to be asked about. Since format 8."""
    conn.execute(text("UPDATE risk_category SET classified = 1 WHERE taxonomy <> 'engagement'"))
