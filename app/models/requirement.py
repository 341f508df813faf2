import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class RequirementState(Base):
    """The client's progress on one checklist point; the point's text lives in the catalog."""

    __tablename__ = "requirement"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="not_started")
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    evidence: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # A point dropped by a catalog upgrade is kept, so the client's work on it is never lost.
    retired: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
