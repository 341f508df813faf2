import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class SchemaInfo(Base):
    """One row: the schema version of the file, so newer files are refused and older migrated."""

    __tablename__ = "schema_info"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    written_by: Mapped[str] = mapped_column(String(40), nullable=False)


class EngagementInfo(Base):
    """One row: who the client is and what the engagement is about."""

    __tablename__ = "engagement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), nullable=False)
    client: Mapped[str] = mapped_column(String(200), nullable=False)
    size: Mapped[str] = mapped_column(String(10), nullable=False)
    iso27001: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    iso9001: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    scope_statement: Mapped[str] = mapped_column(Text, nullable=False, default="")
    consultant: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    stage1_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
    # Since format 6: the audit and the document control of the pack handed to the auditors.
    certification_body: Mapped[str] = mapped_column(
        String(200), nullable=False, default="", server_default=""
    )
    stage2_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    doc_version: Mapped[str] = mapped_column(
        String(40), nullable=False, default="", server_default=""
    )
    doc_author: Mapped[str] = mapped_column(
        String(200), nullable=False, default="", server_default=""
    )
    doc_reviewer: Mapped[str] = mapped_column(
        String(200), nullable=False, default="", server_default=""
    )
    doc_approver: Mapped[str] = mapped_column(
        String(200), nullable=False, default="", server_default=""
    )
    doc_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Since format 8: when the AIMS began; a system live before it may be assessed afterwards.
    aims_started_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class CatalogSnapshot(Base):
    """The catalog the engagement works with, kept inside the file so it never shifts silently."""

    __tablename__ = "catalog_snapshot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(40), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    installed_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class Approval(Base):
    """Since format 8: a sign-off by designated management of one subject of the AIMS (the risk
    criteria, the risk treatment plan, ...). `subject_version` ties it to the version approved,
    so a later change reads as unapproved."""

    __tablename__ = "approval"

    subject: Mapped[str] = mapped_column(String(40), primary_key=True)
    approved_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    role: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    approved_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    subject_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
