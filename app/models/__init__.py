"""SQLAlchemy models of an engagement file. Portable SQL only: no SQLite-specific types.

A model's module loads when the model is first named (`from app.models import Risk` loads
app.models.risk alone): building a mapped class costs about 2 ms, and the window's first page
needs a third of them. What needs every table (creating a file, checking every stored value)
asks `schema()`. A new model is imported below for the type checker and named in `_MODULES`;
tests/unit/test_models.py fails when the two miss one."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from sqlalchemy import MetaData

from app.models.base import Base

if TYPE_CHECKING:  # for the type checker; at run time __getattr__ loads them
    from app.models.context import (
        ContextFacts,
        ContextIssue,
        InterestedParty,
        Obligation,
        PartyRequirement,
    )
    from app.models.document import Attachment, AttachmentChunk, Document, RequiredDocument
    from app.models.engagement import Approval, CatalogSnapshot, EngagementInfo, SchemaInfo
    from app.models.evaluation import (
        Audit,
        AuditLine,
        AuditProgramme,
        CorrectiveAction,
        Improvement,
        ManagementReview,
        Measurement,
        Nonconformity,
        Objective,
        ReviewAction,
        ReviewInput,
    )
    from app.models.history import HistoryEntry
    from app.models.inventory import AISystem, Impact, ImpactAssessment
    from app.models.pack import PackSettings
    from app.models.people import (
        AimsRole,
        CompetenceVerification,
        Person,
        PolicyAcknowledgement,
        RoleAssignment,
        RoleCompetence,
        Training,
    )
    from app.models.plan import Milestone
    from app.models.requirement import RequirementState
    from app.models.risk import (
        Risk,
        RiskAction,
        RiskCategory,
        RiskControl,
        RiskCriteria,
        RiskSystem,
    )
    from app.models.soa import AdditionalControl, SoaEntry, SoaVersion

# Each module of app/models and the models it defines.
_MODULES = {
    "context": (
        "ContextFacts",
        "ContextIssue",
        "InterestedParty",
        "Obligation",
        "PartyRequirement",
    ),
    "document": ("Attachment", "AttachmentChunk", "Document", "RequiredDocument"),
    "engagement": ("Approval", "CatalogSnapshot", "EngagementInfo", "SchemaInfo"),
    "evaluation": (
        "Audit",
        "AuditLine",
        "AuditProgramme",
        "CorrectiveAction",
        "Improvement",
        "ManagementReview",
        "Measurement",
        "Nonconformity",
        "Objective",
        "ReviewAction",
        "ReviewInput",
    ),
    "history": ("HistoryEntry",),
    "inventory": ("AISystem", "Impact", "ImpactAssessment"),
    "pack": ("PackSettings",),
    "plan": ("Milestone",),
    "people": (
        "AimsRole",
        "CompetenceVerification",
        "Person",
        "PolicyAcknowledgement",
        "RoleAssignment",
        "RoleCompetence",
        "Training",
    ),
    "requirement": ("RequirementState",),
    "risk": ("Risk", "RiskAction", "RiskCategory", "RiskControl", "RiskCriteria", "RiskSystem"),
    "soa": ("AdditionalControl", "SoaEntry", "SoaVersion"),
}
_MODULE_OF = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> object:
    """A model, its module loaded on first use (PEP 562)."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def schema() -> MetaData:
    """Every table of an engagement file: all the models loaded."""
    for module in _MODULES:
        importlib.import_module(f"{__name__}.{module}")
    return Base.metadata


__all__ = [
    "AISystem",
    "AdditionalControl",
    "AimsRole",
    "Approval",
    "Attachment",
    "AttachmentChunk",
    "Audit",
    "AuditLine",
    "AuditProgramme",
    "Base",
    "CatalogSnapshot",
    "CompetenceVerification",
    "ContextFacts",
    "ContextIssue",
    "CorrectiveAction",
    "Document",
    "EngagementInfo",
    "HistoryEntry",
    "Impact",
    "ImpactAssessment",
    "Improvement",
    "InterestedParty",
    "ManagementReview",
    "Measurement",
    "Milestone",
    "Nonconformity",
    "Objective",
    "Obligation",
    "PackSettings",
    "PartyRequirement",
    "Person",
    "PolicyAcknowledgement",
    "RequiredDocument",
    "RequirementState",
    "ReviewAction",
    "ReviewInput",
    "Risk",
    "RiskAction",
    "RiskCategory",
    "RiskControl",
    "RiskCriteria",
    "RiskSystem",
    "RoleAssignment",
    "RoleCompetence",
    "SchemaInfo",
    "SoaEntry",
    "SoaVersion",
    "Training",
    "schema",
]
