import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class AISystem(Base):
    """One AI system of the client, in scope or not. Deleting marks it deleted (undo-able)."""

    __tablename__ = "ai_system"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    business_owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    role: Mapped[str] = mapped_column(String(20), nullable=False, default="deployer")
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="in_house")
    vendor: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    intended_use: Mapped[str] = mapped_column(Text, nullable=False, default="")
    foreseeable_misuse: Mapped[str] = mapped_column(Text, nullable=False, default="")
    affected_parties: Mapped[str] = mapped_column(Text, nullable=False, default="")
    consequential: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    ai_act_tier: Mapped[str] = mapped_column(String(20), nullable=False, default="unclassified")
    ai_act_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    stage: Mapped[str] = mapped_column(String(20), nullable=False, default="design")
    deployment_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    training_data: Mapped[str] = mapped_column(Text, nullable=False, default="")
    inference_data: Mapped[str] = mapped_column(Text, nullable=False, default="")
    data_provenance: Mapped[str] = mapped_column(Text, nullable=False, default="")
    data_quality: Mapped[str] = mapped_column(Text, nullable=False, default="")
    bias_checks: Mapped[str] = mapped_column(Text, nullable=False, default="")
    human_oversight: Mapped[str] = mapped_column(Text, nullable=False, default="")
    in_scope: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    out_of_scope_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # When a material field (data, vendor, intended use, oversight...) last changed: an
    # assessment older than this is out of date.
    changed_at: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class ImpactAssessment(Base):
    """An AI system impact assessment (6.1.4 / 8.4, A.5)."""

    __tablename__ = "impact_assessment"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    system_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("ai_system.id"), nullable=False, index=True
    )
    assessed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    assessor: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    trigger: Mapped[str] = mapped_column(String(20), nullable=False, default="initial")
    treatment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    result: Mapped[str] = mapped_column(Text, nullable=False, default="")
    approved_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    approved_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class Impact(Base):
    """One impact found by an assessment, on individuals or groups, or on society."""

    __tablename__ = "impact"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    assessment_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("impact_assessment.id"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    scope: Mapped[str] = mapped_column(String(20), nullable=False, default="individuals")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    severity: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    likelihood: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
