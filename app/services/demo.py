"""A realistic fictional client, so a consultant (and every screenshot) sees a lived-in file.

Deterministic: the same points get the same state every time; dates are relative to today so
the demo never looks stale."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from app.services.clauses import requirements
from app.services.context.demo import add_context
from app.services.documents.demo import add_documents
from app.services.engagement.file import EngagementFile, create_engagement
from app.services.inventory.demo import add_inventory
from app.services.risks.demo import add_risks
from app.services.soa.demo import add_soa

CLIENT = "Northwind Lending Ltd"
SCOPE = (
    "AI systems used in consumer lending at Northwind Lending Ltd (UK and Ireland): credit "
    "decisioning, fraud detection, the customer service assistant, and AI features of the "
    "HR and marketing tools bought from vendors. Head office in Leeds and the Dublin branch."
)
OWNERS = (
    "Priya Shah (Chief Risk Officer)",
    "Tom Becker (Head of Data Science)",
    "Elena Rossi (Data Protection Officer)",
    "Marcus Lee (CIO)",
    "Anna Kowalski (HR Director)",
    "Grace Okafor (Compliance Manager)",
)
# How far along the client is, by clause: the share of points implemented, then in progress.
_PROGRESS = {
    "4": (0.5, 0.3),
    "5": (0.4, 0.4),
    "6": (0.3, 0.4),
    "7": (0.35, 0.3),
    "8": (0.1, 0.4),
    "9": (0.0, 0.3),
    "10": (0.0, 0.2),
}
_NOTES = (
    "Discussed in the kick-off workshop; client to send the current draft.",
    "Exists for ISO 27001 but does not mention AI yet.",
    "Board paper drafted; approval expected at the next meeting.",
    "Only covers in-house models; vendor AI (HR screening tool) not included.",
    "Evidence seen on site: signed minutes.",
    "",
    "",
)
_EVIDENCE = (
    "DOC-012 Context and issues register v1.2",
    "Board minutes 2026-09-14, item 6",
    "SharePoint: /AIMS/Policies/AI-Policy-v0.9.docx",
    "Training records export from the LMS (Sept 2026)",
    "",
)


def create_demo(path: Path | str, actor: str | None = None) -> EngagementFile:
    today = dt.date.today()
    ef = create_engagement(
        path,
        client=CLIENT,
        size="mid",
        iso27001=True,
        scope_statement=SCOPE,
        consultant="Jordan Avery, Avery Governance Consulting",
        stage1_date=today + dt.timedelta(days=120),
        actor=actor,
        stage2_date=today + dt.timedelta(days=180),
        certification_body="Harbourline Assurance (fictional)",
        doc_version="0.3",
        doc_author="Jordan Avery",
        doc_reviewer="Grace Okafor (Compliance Manager)",
        doc_approver="Priya Shah (Chief Risk Officer)",
    )
    rng = random.Random(42001)
    fields: dict[str, dict[str, object]] = {f: {} for f in requirements.FIELDS}
    for point in requirements.list_points(ef):
        done, started = _PROGRESS.get(point.clause, (0.15, 0.35))
        roll = rng.random()
        status = (
            "implemented"
            if roll < done
            else "in_progress"
            if roll < done + started
            else "not_started"
        )
        if point.control_id == "":  # a control's point follows its SoA line (add_soa)
            fields["status"][point.id] = status
        if rng.random() < 0.8:
            fields["owner"][point.id] = rng.choice(OWNERS)
        if status != "implemented" and rng.random() < 0.7:
            fields["due_date"][point.id] = today + dt.timedelta(days=rng.randint(-20, 110))
        fields["notes"][point.id] = rng.choice(_NOTES)
        if status != "not_started":
            fields["evidence"][point.id] = rng.choice(_EVIDENCE)
    for field, values in fields.items():
        if values:
            requirements.set_values(ef, field, values)
    add_inventory(ef)
    add_risks(ef)
    add_soa(ef)
    add_context(ef)
    add_documents(ef)
    return ef
