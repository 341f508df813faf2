"""The certification plan's milestones as the consultant set them (format 10). A milestone
with no row follows the plan computed from the organization's size; a row keeps a planned date
typed over it, or the day the milestone was reached."""

import datetime as dt

from sqlalchemy import Date, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Milestone(Base):
    __tablename__ = "milestone"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)  # "stage1", "internal_audit"
    planned_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # None: computed
    done_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
