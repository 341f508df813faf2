"""SQLAlchemy models of an engagement file. Portable SQL only: no SQLite-specific types."""

from app.models.base import Base
from app.models.context import (
    ContextFacts,
    ContextIssue,
    InterestedParty,
    Obligation,
    PartyRequirement,
)
from app.models.document import Attachment, AttachmentChunk, Document, RequiredDocument
from app.models.engagement import Approval, CatalogSnapshot, EngagementInfo, SchemaInfo
from app.models.history import HistoryEntry
from app.models.inventory import AISystem, Impact, ImpactAssessment
from app.models.pack import PackSettings
from app.models.requirement import RequirementState
from app.models.risk import Risk, RiskAction, RiskCategory, RiskControl, RiskCriteria, RiskSystem
from app.models.soa import AdditionalControl, SoaEntry, SoaVersion

__all__ = [
    "AISystem",
    "AdditionalControl",
    "Approval",
    "Attachment",
    "AttachmentChunk",
    "Impact",
    "ImpactAssessment",
    "Base",
    "CatalogSnapshot",
    "ContextFacts",
    "ContextIssue",
    "Document",
    "EngagementInfo",
    "HistoryEntry",
    "InterestedParty",
    "Obligation",
    "PartyRequirement",
    "PackSettings",
    "RequiredDocument",
    "RequirementState",
    "Risk",
    "RiskAction",
    "RiskCategory",
    "RiskControl",
    "RiskCriteria",
    "RiskSystem",
    "SchemaInfo",
    "SoaEntry",
    "SoaVersion",
]
