"""People, AIMS roles, competence and awareness (5.3, 7.2, 7.3, A.3.2). Items link to each
other by ID (a role holder names a role and a person); owners in the other areas name a person
by the text a person would recognise (see app/services/people/owners.py)."""

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class Person(Base):
    """Someone inside or outside the organization who holds a role, owns items or approves."""

    __tablename__ = "person"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    job_title: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    department: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    email: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="internal")
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="active")
    left_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class AimsRole(Base):
    """A role of the AIMS with its responsibilities and authorities (5.3, A.3.2)."""

    __tablename__ = "aims_role"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    responsibilities: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # authority keys, comma separated: "accept_risk, approve_impact_assessment"
    authorities: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # the role that reports the AIMS's performance to top management (5.3 b)
    reports_performance: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    top_management: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # which of the starting roles it began as ("" for the consultant's own): survives renaming
    template: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class RoleAssignment(Base):
    """A person holding a role, from a date and until one (open-ended when blank)."""

    __tablename__ = "role_assignment"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # role ID
    person: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # person ID
    from_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    to_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    communicated: Mapped[str] = mapped_column(Text, nullable=False, default="")  # how, evidence
    evidence: Mapped[str] = mapped_column(Text, nullable=False, default="")  # document IDs
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class RoleCompetence(Base):
    """One competence a role requires (7.2 a): education, training or experience."""

    __tablename__ = "role_competence"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    competence: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # role ID
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="training")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class Training(Base):
    """Training a person took (7.2 c), with its evidence."""

    __tablename__ = "training"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    course: Mapped[str] = mapped_column(String(200), nullable=False)
    person: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # person ID
    provider: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    taken_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    competences: Mapped[str] = mapped_column(Text, nullable=False, default="")  # competence IDs
    evidence: Mapped[str] = mapped_column(Text, nullable=False, default="")  # document IDs
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class CompetenceVerification(Base):
    """How someone made sure a person is competent for what a role requires (7.2 b, d)."""

    __tablename__ = "competence_verification"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    person: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # person ID
    competences: Mapped[str] = mapped_column(Text, nullable=False, default="")  # competence IDs
    training: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # training ID
    method: Mapped[str] = mapped_column(String(20), nullable=False, default="assessment")
    verified_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    verified_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    result: Mapped[str] = mapped_column(String(20), nullable=False, default="competent")
    evidence: Mapped[str] = mapped_column(Text, nullable=False, default="")  # document IDs
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)


class PolicyAcknowledgement(Base):
    """A person's acknowledgement of a version of the AI policy (7.3)."""

    __tablename__ = "policy_acknowledgement"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    person: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # person ID
    document: Mapped[str] = mapped_column(String(40), nullable=False, default="")  # policy ID
    version: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    acknowledged_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    how: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    evidence: Mapped[str] = mapped_column(Text, nullable=False, default="")
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
