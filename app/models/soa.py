import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class SoaEntry(Base):
    """The Statement of Applicability line of one Annex A control. A control with no row yet
    is undecided: the 38 lines come from the catalog, not from seeded rows."""

    __tablename__ = "soa_entry"

    control_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    decision: Mapped[str] = mapped_column(String(20), nullable=False, default="undecided")
    reason_risk_treatment: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reason_legal: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reason_contractual: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reason_business: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reason_other: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reason_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    justification: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="not_started")
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    target_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    evidence: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Since format 6: how the control is implemented, for the auditors.
    implementation: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")


class SoaVersion(Base):
    """An issued version of the SoA, frozen as JSON: readable whatever is edited later."""

    __tablename__ = "soa_version"

    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    approved_by: Mapped[str] = mapped_column(String(200), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class AdditionalControl(Base):
    """Since format 8: a control beyond Annex A (ISO/IEC 27001, a sector code, the client's
    own) that risk treatments select and the SoA decides on like an Annex A control."""

    __tablename__ = "additional_control"

    id: Mapped[str] = mapped_column(String(20), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    source: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
