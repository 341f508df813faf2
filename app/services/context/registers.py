"""The context registers, described: everything generic about them comes from here."""

from __future__ import annotations

from app.models import AISystem, ContextIssue, InterestedParty, Obligation, PartyRequirement, Risk
from app.services.engagement.fields import FieldSpec
from app.services.registers.description import Item, Link, Register, Rule

DIRECTIONS = {"external": "External", "internal": "Internal"}
CATEGORIES = {
    "legal": "Legal and regulatory",
    "technological": "Technological",
    "market": "Market",
    "societal": "Societal",
    "environmental": "Environmental",
    "organizational": "Organizational",
    "other": "Other",
}
PARTY_TYPES = {
    "customer": "Customer",
    "regulator": "Regulator",
    "employee": "Employee",
    "community": "Affected community",
    "supplier": "Supplier",
    "partner": "Partner",
    "investor": "Investor",
    "other": "Other",
}
ADDRESSED = {"undecided": "Undecided", "yes": "Yes", "partly": "Partly", "no": "No"}
OBLIGATION_KINDS = {
    "legal": "Law",
    "regulatory": "Regulation or supervisory rule",
    "contractual": "Contract",
    "voluntary": "Voluntary commitment",
}
OBLIGATION_STATUS = {
    "identified": "Identified",
    "assessing": "Being assessed",
    "addressed": "Addressed",
    "not_applicable": "Does not apply",
}


ISSUES = Register(
    key="issues",
    title="Issues (4.1)",
    noun="issue",
    plural="issues",
    clause="4.1",
    model=ContextIssue,
    prefix="ISS",
    fields=(
        FieldSpec("title", "Issue", "text", required=True),
        FieldSpec("direction", "Internal or external", "choice", DIRECTIONS),
        FieldSpec("category", "Category", "choice", CATEGORIES),
        FieldSpec("description", "Description", "long"),
        FieldSpec("effect", "Effect on the AIMS and its intended outcomes", "long"),
        FieldSpec("source", "Source", "text"),
        FieldSpec("risks", "Linked risks and opportunities", "ids"),
        FieldSpec("owner", "Owner", "text"),
        FieldSpec("review_date", "Review date", "date"),
    ),
    columns=("title", "direction", "category", "owner", "review_date"),
    filters=("direction", "category"),
    signature=("direction", "effect", "category"),
    links=(Link("risks", "risk or opportunity", Risk, "title"),),
    pack_columns=("title", "direction", "category", "effect", "owner"),
    synonyms={"title": ("issue", "context issue"), "effect": ("impact on aims", "effect")},
    empty_text=(
        "<h3>No issues yet</h3><p>Add what inside and around the organization bears on its AI "
        "work: laws coming, markets, technology, people, the climate.</p>"
    ),
)

PARTIES = Register(
    key="interested_parties",
    title="Interested parties (4.2)",
    noun="interested party",
    plural="interested parties",
    clause="4.2",
    model=InterestedParty,
    prefix="IP",
    fields=(
        FieldSpec("name", "Party", "text", required=True),
        FieldSpec("party_type", "Type", "choice", PARTY_TYPES),
        FieldSpec("description", "Why they matter", "long"),
        FieldSpec("contact", "Contact", "text"),
    ),
    columns=("name", "party_type", "contact"),
    filters=("party_type",),
    signature=("party_type",),
    pack_columns=("name", "party_type", "description"),
    synonyms={"name": ("interested party", "stakeholder")},
    empty_text=(
        "<h3>No interested parties yet</h3><p>Add who has a stake in the AI systems: "
        "customers, regulators, staff, the people the systems decide about.</p>"
    ),
)


def _undecided(item: Item) -> bool:
    return item.values["addressed"] == "undecided"


REQUIREMENTS = Register(
    key="party_requirements",
    title="Party requirements (4.2)",
    noun="party requirement",
    plural="party requirements",
    clause="4.2",
    model=PartyRequirement,
    prefix="REQ",
    fields=(
        FieldSpec("requirement", "Requirement", "text", required=True),
        FieldSpec("party", "Interested party", "ids"),
        FieldSpec("addressed", "Addressed by the AIMS", "choice", ADDRESSED),
        FieldSpec("how", "How it is addressed", "long"),
    ),
    columns=("requirement", "party", "addressed"),
    filters=("addressed",),
    signature=("addressed", "party"),
    links=(Link("party", "interested party", InterestedParty, "name", many=False),),
    rules=(
        Rule(
            "CTX-01",
            "Party requirement with no decision on whether the AIMS addresses it",
            "4.2",
            "minor",
            _undecided,
            "requirements_undecided",
            todo="Decide whether the AIMS addresses the requirement (Addressed by the AIMS) "
            "and, if it does, say how.",
        ),
    ),
    pack_columns=("requirement", "party", "addressed", "how"),
    sheet="Party requirements",
    empty_text=(
        "<h3>No party requirements yet</h3><p>For each interested party, add what they "
        "need from the AI systems, and decide whether the AIMS addresses it.</p>"
    ),
)


def _no_owner(item: Item) -> bool:
    return item.values["status"] != "not_applicable" and not str(item.values["owner"]).strip()


OBLIGATIONS = Register(
    key="obligations",
    title="Obligations",
    noun="obligation",
    plural="obligations",
    clause="4.2",
    model=Obligation,
    prefix="OBL",
    fields=(
        FieldSpec("title", "Obligation", "text", required=True),
        FieldSpec("kind", "Kind", "choice", OBLIGATION_KINDS),
        FieldSpec("jurisdiction", "Jurisdiction", "text"),
        FieldSpec("systems", "AI systems it applies to", "ids"),
        FieldSpec("owner", "Owner", "text"),
        FieldSpec("status", "Status", "choice", OBLIGATION_STATUS),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("title", "kind", "jurisdiction", "owner", "status"),
    filters=("kind", "status"),
    signature=("jurisdiction", "systems"),
    links=(Link("systems", "AI system", AISystem, "name"),),
    rules=(
        Rule(
            "CTX-02",
            "Obligation nobody owns",
            "4.2",
            "minor",
            _no_owner,
            "obligations_without_owner",
            todo="Name who keeps track of the obligation and of how it is met (Obligations, "
            "Owner).",
        ),
    ),
    pack_columns=("title", "kind", "jurisdiction", "systems", "owner", "status"),
    synonyms={"title": ("obligation", "requirement", "law", "regulation")},
    empty_text=(
        "<h3>No obligations yet</h3><p>Add the laws, regulations and contracts that apply "
        "to the AI systems: the EU AI Act, data protection law, sector rules, customer "
        "contracts.</p>"
    ),
)

REGISTERS = (ISSUES, PARTIES, REQUIREMENTS, OBLIGATIONS)
