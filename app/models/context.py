"""The context of the organization (4.1, 4.2): issues, interested parties and their
requirements, and the obligations that apply. Deleting marks an item deleted (undo-able)."""

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class ContextIssue(Base):
    """An internal or external issue that bears on the AIMS (4.1)."""

    __tablename__ = "context_issue"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    direction: Mapped[str] = mapped_column(String(20), nullable=False, default="external")
    category: Mapped[str] = mapped_column(String(20), nullable=False, default="other")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    effect: Mapped[str] = mapped_column(Text, nullable=False, default="")
    source: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    risks: Mapped[str] = mapped_column(Text, nullable=False, default="")  # risk IDs
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    review_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class InterestedParty(Base):
    """A party whose needs bear on the AIMS (4.2)."""

    __tablename__ = "interested_party"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    party_type: Mapped[str] = mapped_column(String(20), nullable=False, default="customer")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    contact: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class PartyRequirement(Base):
    """One requirement of an interested party relevant to AI, and whether the AIMS meets it."""

    __tablename__ = "party_requirement"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    requirement: Mapped[str] = mapped_column(String(200), nullable=False)
    party: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # party ID
    addressed: Mapped[str] = mapped_column(String(20), nullable=False, default="undecided")
    how: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class Obligation(Base):
    """A legal, regulatory or contractual requirement that applies to the organization."""

    __tablename__ = "obligation"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="legal")
    jurisdiction: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    systems: Mapped[str] = mapped_column(Text, nullable=False, default="")  # AI system IDs
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="identified")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class ContextFacts(Base):
    """One row: facts of the context as a whole, such as whether climate change was
    considered as an issue."""

    __tablename__ = "context_facts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    climate_change: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    climate_issue: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    climate_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
