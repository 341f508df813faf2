"""Every area the engagement keeps, in the order the workbook, the pack, search and the
command line show them. The engines (workbook, pack, search) read this list and name no area;
an area joins by adding itself here."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from app.services.clauses import requirements
from app.services.clauses.sheet import REQUIREMENTS
from app.services.context import climate
from app.services.context.registers import REGISTERS as CONTEXT
from app.services.documents import attachments, mandatory
from app.services.documents.register import DOCUMENTS
from app.services.documents.sheet import DOCUMENTS_SHEET
from app.services.evaluation import audit_rules, nonconformities, reviews
from app.services.evaluation import audits as evaluation_audits
from app.services.evaluation.objectives import REGISTERS as OBJECTIVES
from app.services.gaps import GapRule
from app.services.inventory import rules as inventory_rules
from app.services.inventory.sheet import ASSESSMENTS, INVENTORY
from app.services.people import authority
from app.services.people import competence as people_rules
from app.services.people.registers import REGISTERS as PEOPLE
from app.services.registers.description import Register
from app.services.registers.sheet import area_of
from app.services.risks import rules as risk_rules
from app.services.risks.sheet import RISKS
from app.services.soa import service as soa
from app.services.soa.sheet import SOA
from app.services.workbook.areas import Area

# registers built wholly from their description
DESCRIBED: tuple[Register, ...] = (
    *CONTEXT,
    DOCUMENTS,
    *PEOPLE,
    *OBJECTIVES,
    *evaluation_audits.REGISTERS,
    *nonconformities.REGISTERS,
    *reviews.REGISTERS,
)
DESCRIBED_BY_KEY = {r.key: r for r in DESCRIBED}

AREAS: tuple[Area, ...] = (
    REQUIREMENTS,
    INVENTORY,
    ASSESSMENTS,
    RISKS,
    SOA,
    *(area_of(r) for r in CONTEXT),
    DOCUMENTS_SHEET,  # the register's sheet with its attached files shown
    *(area_of(r) for r in PEOPLE),
    *(area_of(r) for r in OBJECTIVES),
    *(area_of(r) for r in evaluation_audits.REGISTERS),
    *(area_of(r) for r in nonconformities.REGISTERS),
    *(area_of(r) for r in reviews.REGISTERS),
)
AREA_BY_KIND = {area.kind: area for area in AREAS}

# every gap rule of every area, in the order of the areas: the pack's table of open gaps and
# the dashboard list them all, found or not
GAP_RULES: tuple[GapRule, ...] = (
    *requirements.RULES,
    inventory_rules.EMPTY,
    *inventory_rules.RULES.values(),
    risk_rules.EMPTY,
    *risk_rules.RULES.values(),
    risk_rules.CYBER_ONLY,
    risk_rules.CRITERIA_UNAPPROVED,
    risk_rules.PLAN_UNAPPROVED,
    *soa.RULES.values(),
    reviews.NONE_HELD,
    *(rule for reg in DESCRIBED for rule in reg.rules),
    people_rules.NO_PERFORMANCE_ROLE,
    climate.RULE,
    attachments.HASH_MISMATCH,
    mandatory.MISSING,
    *authority.RULES.values(),  # sign-offs without the authority (People)
    *audit_rules.RULES,
)

# The pack's sections in print order: key -> (title, the builder as "module:function"). The
# builders are imported when a pack is made, not before: they load reportlab.
PACK_SECTIONS: dict[str, tuple[str, str]] = {
    "readiness": ("Readiness summary", "app.services.pack.sections:readiness_section"),
    "documents": (
        "Mandatory documented information",
        "app.services.pack.sections:documents_section",
    ),
    "scope": ("Engagement and scope", "app.services.pack.sections:scope_section"),
    "context": ("Context of the organization", "app.services.context.pack:context_section"),
    "checklist": ("Checklist by clause", "app.services.clauses.pack:checklist_section"),
    "inventory": ("AI system inventory", "app.services.inventory.pack:inventory_section"),
    "impact": ("Impact assessments", "app.services.inventory.pack:impact_section"),
    "criteria": ("Risk criteria", "app.services.risks.pack:criteria_section"),
    "risks": ("Risk register and treatment plan", "app.services.risks.pack:risks_section"),
    "soa": ("Statement of Applicability", "app.services.soa.pack:soa_section"),
    "people": ("People and competence", "app.services.people.pack:people_section"),
    "objectives": ("Objectives and monitoring", "app.services.evaluation.pack:objectives_section"),
    "internal_audit": ("Internal audit", "app.services.evaluation.audit_pack:audit_section"),
    "nonconformities": (
        "Nonconformities and corrective action",
        "app.services.evaluation.nonconformities_pack:nonconformities_section",
    ),
    "review": ("Management review", "app.services.evaluation.review_pack:review_section"),
}


def pack_builder(key: str) -> Callable[[Any], list[Any]]:
    """The function that builds a section of the pack (from a pack context to flowables)."""
    module, _, name = PACK_SECTIONS[key][1].partition(":")
    builder: Callable[[Any], list[Any]] = getattr(importlib.import_module(module), name)
    return builder
