import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models import inventory  # noqa: F401  (risk_system's key names its ai_system table)
from app.models.base import Base


class RiskCriteria(Base):
    """One row: the scales, level bands and acceptance threshold, as JSON (versioned)."""

    __tablename__ = "risk_criteria"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)


class RiskCategory(Base):
    """The engagement's own list of risk categories, seeded from public taxonomies."""

    __tablename__ = "risk_category"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    taxonomy: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    attribution: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    ai_specific: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    merged_into: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("risk_category.id"), nullable=True
    )
    # Since format 8: someone decided `ai_specific` (a typed or imported category is asked).
    classified: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="0"
    )


class Risk(Base):
    """A risk (or an opportunity, 6.1.1) with its scores, treatment and acceptance.

    Scores and levels are stored, not only derived, so the register sorts and filters by them
    and a change of criteria is one visible re-scoring step."""

    __tablename__ = "risk"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="risk")
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    category_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("risk_category.id"), nullable=True, index=True
    )
    source: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    affected_parties: Mapped[str] = mapped_column(Text, nullable=False, default="")
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    inherent_likelihood: Mapped[int] = mapped_column(Integer, nullable=False)
    inherent_impact: Mapped[int] = mapped_column(Integer, nullable=False)
    inherent_score: Mapped[int] = mapped_column(Integer, nullable=False)
    inherent_level: Mapped[str] = mapped_column(String(40), nullable=False)
    existing_controls: Mapped[str] = mapped_column(Text, nullable=False, default="")
    treatment: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    residual_likelihood: Mapped[int | None] = mapped_column(Integer, nullable=True)
    residual_impact: Mapped[int | None] = mapped_column(Integer, nullable=True)
    residual_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    residual_level: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    residual_comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    accepted_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    accepted_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    acceptance_comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    review_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Since format 8: when the risk was last assessed (8.2: at planned intervals).
    assessed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="open")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class RiskSystem(Base):
    __tablename__ = "risk_system"

    risk_id: Mapped[str] = mapped_column(String(40), ForeignKey("risk.id"), primary_key=True)
    system_id: Mapped[str] = mapped_column(String(40), ForeignKey("ai_system.id"), primary_key=True)


class RiskControl(Base):
    """An Annex A control selected to treat a risk, and why."""

    __tablename__ = "risk_control"

    risk_id: Mapped[str] = mapped_column(String(40), ForeignKey("risk.id"), primary_key=True)
    control_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")


class RiskAction(Base):
    """A treatment action other than a control: who does what by when."""

    __tablename__ = "risk_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    risk_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("risk.id"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    action: Mapped[str] = mapped_column(Text, nullable=False)
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    done: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
