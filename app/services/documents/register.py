"""The document register (7.5), described: its fields, links, rules and where it shows."""

from __future__ import annotations

import datetime as dt

from app.models import AISystem, Document, ImpactAssessment, RequirementState, Risk, SoaEntry
from app.services.engagement.fields import FieldSpec
from app.services.registers.description import Item, Link, Register, Rule

KINDS = {
    "policy": "Policy",
    "procedure": "Procedure",
    "methodology": "Methodology",
    "plan": "Plan",
    "record": "Record",
    "report": "Report",
    "minutes": "Minutes",
    "other": "Other",
}
STATUSES = {
    "draft": "Draft",
    "approved": "Approved",
    "superseded": "Superseded",
    "withdrawn": "Withdrawn",
}
# no longer in force: their review dates and approvals are history
_RETIRED = ("superseded", "withdrawn")


def _today() -> dt.date:
    return dt.date.today()


def _review_overdue(item: Item) -> bool:
    due = item.values["next_review"]
    return item.values["status"] not in _RETIRED and isinstance(due, dt.date) and due < _today()


def _approval_incomplete(item: Item) -> bool:
    v = item.values
    return v["status"] == "approved" and (not str(v["approved_by"]).strip() or not v["approved_on"])


def _in_force_unapproved(item: Item) -> bool:
    v = item.values
    effective = v["effective_date"]
    return (
        v["status"] == "draft"
        and isinstance(effective, dt.date)
        and effective <= _today()
        and not str(v["approved_by"]).strip()
    )


DOCUMENTS = Register(
    key="documents",
    title="Documents (7.5)",
    noun="document",
    plural="documents",
    clause="7.5",
    model=Document,
    prefix="DOC",
    fields=(
        FieldSpec("title", "Title", "text", required=True),
        FieldSpec("kind", "Kind", "choice", KINDS),
        FieldSpec("version", "Version", "text"),
        FieldSpec("author", "Author", "text"),
        FieldSpec("owner", "Owner", "text"),
        FieldSpec("classification", "Classification", "text"),
        FieldSpec("status", "Status", "choice", STATUSES),
        FieldSpec("effective_date", "Effective from", "date"),
        FieldSpec("approved_by", "Approved by", "text"),
        FieldSpec("approver_role", "Approver's role", "text"),
        FieldSpec("approved_on", "Approved on", "date"),
        FieldSpec("review_months", "Review every (months)", "int", low=1, high=120),
        FieldSpec("next_review", "Next review", "date"),
        FieldSpec("retention", "Kept for", "text"),
        FieldSpec("location", "Where it lives (path or address)", "long"),
        FieldSpec("supersedes", "Supersedes", "ids"),
        FieldSpec("points", "Checklist points it serves", "ids"),
        FieldSpec("controls", "Controls it serves", "ids"),
        FieldSpec("systems", "AI systems it serves", "ids"),
        FieldSpec("risks", "Risks it serves", "ids"),
        FieldSpec("assessments", "Impact assessments it serves", "ids"),
        FieldSpec("notes", "Notes", "long"),
        FieldSpec("ai_policy", "This is the AI policy (5.2)", "bool"),
        FieldSpec("communicated_to", "Communicated to", "text"),
        FieldSpec("communicated_on", "Communicated on", "date"),
        FieldSpec("communicated_how", "Communicated how", "text"),
        FieldSpec("available_to_parties", "Available to interested parties", "bool"),
    ),
    columns=("title", "kind", "version", "status", "owner", "next_review"),
    filters=("kind", "status"),
    signature=("retention", "effective_date", "supersedes", "approved_on", "version"),
    links=(
        Link("supersedes", "document", Document, "title", many=False),
        Link("points", "checklist point", RequirementState, "id", catalog="points"),
        Link("controls", "control", SoaEntry, "control_id", catalog="controls"),
        Link("systems", "AI system", AISystem, "name"),
        Link("risks", "risk or opportunity", Risk, "title"),
        Link("assessments", "impact assessment", ImpactAssessment, "system_id"),
    ),
    rules=(
        Rule(
            "DOC-01",
            "Past its review date",
            "7.5.2",
            "minor",
            _review_overdue,
            "review_overdue",
            todo="Review the document, then record a new version or set its Next review date "
            "(Documents tab).",
        ),
        Rule(
            "DOC-02",
            "Approved, but no approver or approval date recorded",
            "7.5.2",
            "minor",
            _approval_incomplete,
            "approval_incomplete",
            todo="Record who approved the document and when (Approved by, Approved on).",
        ),
        Rule(
            "DOC-03",
            "In force (effective date reached) but never approved",
            "7.5.2",
            "major",
            _in_force_unapproved,
            "unapproved",
            todo="Have the document approved and record who approved it and when, or move its "
            "Effective from date to after the approval.",
        ),
    ),
    pack_columns=("title", "kind", "version", "status", "approved_by", "approved_on"),
    counted_as="total",
    synonyms={
        "title": ("document", "document title", "name"),
        "version": ("rev", "revision", "issue"),
        "next_review": ("review date", "next review date"),
        "approved_on": ("approval date", "date approved"),
        "retention": ("retention", "retention period"),
    },
    empty_text=(
        "<h3>No documents yet</h3><p>Add the AIMS's documents and records: the AI policy, "
        "the risk methodology, procedures, reports and minutes. Attach the files, or say "
        "where they live.</p>"
    ),
)


def new_version_values(old: Item, version: str) -> dict[str, object]:
    """A new version of a document: the same document, a draft again, superseding the old
    one (which stays readable, marked superseded); its approval and dates are its own."""
    keep = {k: v for k, v in old.values.items() if k not in _VERSION_OWN}
    return {**keep, "version": version, "status": "draft", "supersedes": old.id}


# what a new version does not inherit from the one it supersedes
_VERSION_OWN = (
    "status", "effective_date", "approved_by", "approver_role", "approved_on", "next_review",
    "supersedes", "communicated_on",
)  # fmt: skip
