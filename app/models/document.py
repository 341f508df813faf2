"""Documented information (7.5): the document register and the files attached to it, kept
inside the engagement so it stays one portable file."""

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Document(Base):
    """One document or record of the AIMS, identified and controlled (7.5.2, 7.5.3)."""

    __tablename__ = "document"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="procedure")
    version: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    author: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    classification: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="draft")
    effective_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    approved_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    approver_role: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    approved_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    review_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    next_review: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    retention: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    location: Mapped[str] = mapped_column(Text, nullable=False, default="")  # path or URL
    supersedes: Mapped[str] = mapped_column(Text, nullable=False, default="")  # document ID
    points: Mapped[str] = mapped_column(Text, nullable=False, default="")  # checklist point IDs
    controls: Mapped[str] = mapped_column(Text, nullable=False, default="")  # control IDs
    systems: Mapped[str] = mapped_column(Text, nullable=False, default="")  # AI system IDs
    risks: Mapped[str] = mapped_column(Text, nullable=False, default="")  # risk IDs
    assessments: Mapped[str] = mapped_column(Text, nullable=False, default="")  # assessment IDs
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # The AI policy (5.2): one document of kind policy, approved by top management,
    # communicated within the organization and available to interested parties as decided.
    ai_policy: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    communicated_to: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    communicated_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    communicated_how: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    available_to_parties: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class Attachment(Base):
    """A file attached to a document. Its bytes are in `attachment_chunk`, read only when the
    file is opened, exported or verified: opening the engagement never loads them."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("document.id"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    media_type: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    chunks: Mapped[int] = mapped_column(Integer, nullable=False)
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class AttachmentChunk(Base):
    """One piece of an attachment's bytes (portable SQL: a BLOB per row, no SQLite blob I/O)."""

    __tablename__ = "attachment_chunk"

    attachment_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("attachment.id"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class RequiredDocument(Base):
    """The consultant's link from one entry of the standard's mandatory documented information
    to the documents that satisfy it; the product never guesses it from free text."""

    __tablename__ = "required_document"

    entry: Mapped[str] = mapped_column(String(40), primary_key=True)
    documents: Mapped[str] = mapped_column(Text, nullable=False, default="")  # document IDs
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
