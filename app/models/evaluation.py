"""Evaluation and improvement: AI objectives and their measurements (6.2, 9.1), the internal
audit programme, audits and their checklist lines (9.2), management reviews (9.3),
nonconformities with their corrective actions (10.2) and opportunities for improvement
(10.1). Items name each other by ID; owners name a person as the other areas do."""

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Objective(Base):
    """An AI objective (6.2) with what measures it and how often it is evaluated (9.1)."""

    __tablename__ = "objective"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    level: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    measure: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    numeric: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    target: Mapped[float | None] = mapped_column(Float, nullable=True)
    # "at_least" or "at_most": which side of the target is on track
    direction: Mapped[str] = mapped_column(String(20), nullable=False, default="at_least")
    unit: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    resources: Mapped[str] = mapped_column(Text, nullable=False, default="")
    evaluation: Mapped[str] = mapped_column(Text, nullable=False, default="")  # how evaluated
    interval_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    documents: Mapped[str] = mapped_column(Text, nullable=False, default="")  # document IDs
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class Measurement(Base):
    """One measurement of an objective: the value as typed, and its number when numeric."""

    __tablename__ = "measurement"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    objective: Mapped[str] = mapped_column(String(40), nullable=False, default="", index=True)
    measured_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    value: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    number: Mapped[float | None] = mapped_column(Float, nullable=True)
    measured_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class AuditProgramme(Base):
    """The internal audit programme (9.2.2): its period and what it must cover in it."""

    __tablename__ = "audit_programme"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    period_from: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    period_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    frequency: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    methods: Mapped[str] = mapped_column(Text, nullable=False, default="")
    responsibilities: Mapped[str] = mapped_column(Text, nullable=False, default="")
    clauses: Mapped[str] = mapped_column(Text, nullable=False, default="")  # clause IDs
    controls: Mapped[str] = mapped_column(Text, nullable=False, default="")  # control IDs
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class Audit(Base):
    """One internal audit: its plan, scope, auditors and report."""

    __tablename__ = "audit"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    programme: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    planned_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    actual_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="planned")
    clauses: Mapped[str] = mapped_column(Text, nullable=False, default="")  # clause IDs
    controls: Mapped[str] = mapped_column(Text, nullable=False, default="")  # control IDs
    systems: Mapped[str] = mapped_column(Text, nullable=False, default="")  # AI system IDs
    sites: Mapped[str] = mapped_column(Text, nullable=False, default="")
    criteria: Mapped[str] = mapped_column(Text, nullable=False, default="")
    lead_auditor: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # person
    team: Mapped[str] = mapped_column(Text, nullable=False, default="")  # person IDs
    report: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # document ID
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class AuditLine(Base):
    """One line of an audit's checklist: a clause point or control, and what was found."""

    __tablename__ = "audit_line"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    audit: Mapped[str] = mapped_column(String(40), nullable=False, default="", index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    ref: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # point or control
    title: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    result: Mapped[str] = mapped_column(String(20), nullable=False, default="not_audited")
    auditor: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # person ID
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    evidence: Mapped[str] = mapped_column(Text, nullable=False, default="")  # document IDs
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class Nonconformity(Base):
    """A nonconformity (10.2) from its source to its closure, with the effectiveness review."""

    __tablename__ = "nonconformity"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="internal_audit")
    source_ref: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    ref: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # clause/control
    grade: Mapped[str] = mapped_column(String(20), nullable=False, default="minor")
    raised_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    correction: Mapped[str] = mapped_column(Text, nullable=False, default="")
    root_cause: Mapped[str] = mapped_column(Text, nullable=False, default="")
    root_cause_method: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    similar: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="open")
    effectiveness_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    effectiveness_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    effective: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    effectiveness_note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class CorrectiveAction(Base):
    """An action taken against a nonconformity's cause: who, by when, and when done."""

    __tablename__ = "corrective_action"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    action: Mapped[str] = mapped_column(String(200), nullable=False)
    nonconformity: Mapped[str] = mapped_column(String(40), nullable=False, default="", index=True)
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    done_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class Improvement(Base):
    """An opportunity for continual improvement (10.1) and what was decided about it."""

    __tablename__ = "improvement"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="internal_audit")
    source_ref: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    decision: Mapped[str] = mapped_column(String(20), nullable=False, default="undecided")
    decided_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class ManagementReview(Base):
    """A management review (9.3): who attended, and its outputs. Its inputs are rows of
    `review_input`, its actions rows of `review_action`."""

    __tablename__ = "management_review"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    held_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    attendees: Mapped[str] = mapped_column(Text, nullable=False, default="")  # person IDs
    decisions: Mapped[str] = mapped_column(Text, nullable=False, default="")  # improvement
    changes: Mapped[str] = mapped_column(Text, nullable=False, default="")  # need for change
    resources: Mapped[str] = mapped_column(Text, nullable=False, default="")
    minutes: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # document ID
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class ReviewInput(Base):
    """One of the inputs a management review considers, with notes and links."""

    __tablename__ = "review_input"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    review: Mapped[str] = mapped_column(String(40), nullable=False, default="", index=True)
    topic: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    links: Mapped[str] = mapped_column(Text, nullable=False, default="")  # item IDs
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class ReviewAction(Base):
    """An action a management review decided: the next review picks up its status."""

    __tablename__ = "review_action"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    action: Mapped[str] = mapped_column(String(200), nullable=False)
    review: Mapped[str] = mapped_column(String(40), nullable=False, default="", index=True)
    owner: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    done_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
