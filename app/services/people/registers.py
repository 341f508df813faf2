"""The People area's registers, described: everything generic about them comes from here.

People are named by ID (PER-001) inside the area: a role holder, a training, a verification
and an acknowledgement each link to their person. The rules spanning registers (a holder
without verified competence, a role nobody holds, ...) are worked out in competence.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    AimsRole,
    CompetenceVerification,
    Document,
    Person,
    PolicyAcknowledgement,
    RoleAssignment,
    RoleCompetence,
    Training,
)
from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec
from app.services.people import competence, owners
from app.services.people.names import AUTHORITIES
from app.services.people.spelling import normalized
from app.services.registers.description import Link, Register, Rule

KINDS = {"internal": "Internal", "contractor": "Contractor", "vendor": "Vendor staff"}
STATUSES = {"active": "Active", "left": "Left"}
COMPETENCE_KINDS = {"education": "Education", "training": "Training", "experience": "Experience"}
METHODS = {
    "assessment": "Assessment",
    "observation": "Observation",
    "certification": "Certification",
    "interview": "Interview",
    "review": "Review of work",
}
RESULTS = {"competent": "Competent", "not_yet": "Not yet competent"}
# which starting role a role began as ("" for the consultant's own), kept when it is renamed
TEMPLATES = {
    "": "None (a role of our own)",
    "top_management": "Top management",
    "aims_lead": "AIMS lead",
    "risk_owner": "AI risk owner",
    "impact_approver": "Impact assessment approver",
    "internal_auditor": "Internal auditor",
    "data_steward": "Data steward",
    "system_owner": "AI system owner",
}

_EVIDENCE = Link("evidence", "document", Document, "title")


def _today() -> dt.date:
    return dt.date.today()


# checks across fields, run when an item is saved
def _check_person(session: Session, values: dict[str, object], item_id: str) -> None:
    """The same person twice: the same name (case and spacing aside) and the same e-mail."""
    name, email = normalized(values["name"]), normalized(values["email"])
    rows = session.execute(
        select(Person.id, Person.name, Person.email).where(
            Person.deleted.is_(False), Person.id != item_id
        )
    )
    for other, other_name, other_email in rows:
        if normalized(other_name) == name and normalized(other_email) == email:
            with_email = f" with the e-mail {other_email}" if email else " with no e-mail"
            raise FieldError(
                "name",
                f"{other} is already {other_name}{with_email}. Open {other} instead, or give "
                "this person's own e-mail if they are someone else.",
            )


def _check_holding(_session: Session, values: dict[str, object], _item_id: str) -> None:
    start, end = values["from_date"], values["to_date"]
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        raise FieldError(
            "to_date",
            f"Held until {end.isoformat()} is before held from {start.isoformat()}: "
            "give an end on or after the start, or leave it blank while they hold the role.",
        )


def _check_verification(session: Session, values: dict[str, object], _item_id: str) -> None:
    on = values["verified_on"]
    if isinstance(on, dt.date) and on > _today():
        raise FieldError(
            "verified_on",
            f"{on.isoformat()} is in the future: record a verification once it has been made.",
        )
    training = session.get(Training, str(values["training"])) if values["training"] else None
    if training is None:
        return
    if values["person"] and training.person and training.person != values["person"]:
        raise FieldError(
            "training",
            f"{training.id} is the training of {training.person}, not of {values['person']}: "
            "pick a training of the person verified, or leave it blank.",
        )
    if isinstance(on, dt.date) and training.taken_on is not None and on < training.taken_on:
        raise FieldError(
            "verified_on",
            f"{on.isoformat()} is before the training {training.id} "
            f"({training.taken_on.isoformat()}) it verifies: give the date of the "
            "verification, on or after the training.",
        )


def _check_training(session: Session, values: dict[str, object], item_id: str) -> None:
    """A training moved after a verification that follows it would leave that one first."""
    on = values["taken_on"]
    if not item_id or not isinstance(on, dt.date):
        return
    query = select(CompetenceVerification.id, CompetenceVerification.verified_on).where(
        CompetenceVerification.training == item_id,
        CompetenceVerification.deleted.is_(False),
        CompetenceVerification.verified_on < on,
    )
    earlier = session.execute(query).first()
    if earlier is not None:
        verification, verified_on = earlier
        raise FieldError(
            "taken_on",
            f"{verification} verified this training on {verified_on}, before "
            f"{on.isoformat()}: give the day the training was taken, or change {verification}.",
        )


def _check_acknowledgement(session: Session, values: dict[str, object], _item_id: str) -> None:
    """The document is an AI policy; a version left blank is that document's version."""
    on = values["acknowledged_on"]
    if isinstance(on, dt.date) and on > _today():
        raise FieldError("acknowledged_on", f"{on.isoformat()} is in the future.")
    doc = session.get(Document, str(values["document"])) if values["document"] else None
    if doc is None:
        return
    if not doc.ai_policy:
        raise FieldError(
            "document",
            f"{doc.id} {doc.title} is not marked as the AI policy in the document register: "
            "pick the AI policy, or mark the document as the AI policy first.",
        )
    if not str(values["version"]).strip():
        values["version"] = doc.version


def _found(key: str) -> Callable[[Session], Mapping[str, Sequence[str]]]:
    """The `findings` of one register: its items' gaps from the area's analysis."""

    def findings(session: Session) -> Mapping[str, Sequence[str]]:
        return competence.analyse(session, _today()).by_register[key]

    return findings


PEOPLE = Register(
    key="people",
    title="People",
    noun="person",
    plural="people",
    clause="7.2",
    model=Person,
    prefix="PER",
    fields=(
        FieldSpec("name", "Name", "text", required=True),
        FieldSpec("job_title", "Job title", "text"),
        FieldSpec("department", "Department", "text"),
        FieldSpec("email", "E-mail", "text"),
        FieldSpec("kind", "Internal or external", "choice", KINDS),
        FieldSpec("status", "Active or left", "choice", STATUSES),
        FieldSpec("left_on", "Left on", "date"),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("name", "job_title", "department", "kind", "status"),
    filters=("kind", "status"),
    signature=("job_title", "department", "email"),
    rules=(
        Rule(
            competence.NO_ACKNOWLEDGEMENT.id,
            competence.NO_ACKNOWLEDGEMENT.title,
            competence.NO_ACKNOWLEDGEMENT.ref,
            competence.NO_ACKNOWLEDGEMENT.severity,
            todo=competence.NO_ACKNOWLEDGEMENT.todo,
            counted_as="policy_unacknowledged",
        ),
    ),
    pack_columns=("name", "job_title", "department", "kind", "status"),
    synonyms={
        "name": ("person", "full name", "employee", "staff member"),
        "job_title": ("title", "position", "job"),
        "email": ("email", "e-mail address", "email address"),
        "department": ("team", "function", "business unit"),
    },
    empty_text=(
        "<h3>No people yet</h3><p>Add the people who hold AIMS roles, own items, approve or "
        "accept: staff, contractors and vendor staff.</p>"
    ),
    check=_check_person,
    findings=_found("people"),
    renamed=owners.follow_rename,
)

ROLES = Register(
    key="roles",
    title="AIMS roles (5.3)",
    noun="role",
    plural="roles",
    clause="5.3",
    model=AimsRole,
    prefix="ROLE",
    id_width=2,
    fields=(
        FieldSpec("title", "Role", "text", required=True),
        FieldSpec("responsibilities", "Responsibilities", "long"),
        FieldSpec("authorities", "Authorities", "choices", AUTHORITIES),
        FieldSpec(
            "reports_performance", "Reports the AIMS's performance to top management", "bool"
        ),
        FieldSpec("top_management", "Top management", "bool"),
        FieldSpec("template", "Began as the starting role", "choice", TEMPLATES),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("title", "authorities", "reports_performance", "top_management"),
    signature=("responsibilities", "authorities"),
    rules=(
        Rule(
            competence.UNHELD.id,
            competence.UNHELD.title,
            competence.UNHELD.ref,
            competence.UNHELD.severity,
            todo=competence.UNHELD.todo,
            counted_as="roles_unassigned",
        ),
    ),
    pack_columns=("title", "responsibilities", "authorities", "reports_performance"),
    counted_as="roles",
    synonyms={"title": ("role", "role title", "aims role"), "authorities": ("authority",)},
    empty_text=(
        "<h3>No AIMS roles yet</h3><p>Add the roles of the AIMS with what each is responsible "
        "for and may decide, or start from the usual set.</p>"
    ),
    findings=_found("roles"),
)

HOLDERS = Register(
    key="role_holders",
    title="Role holders",
    noun="role holder",
    plural="role holders",
    clause="5.3",
    model=RoleAssignment,
    prefix="RH",
    fields=(
        FieldSpec("role", "Role", "ids", required=True),
        FieldSpec("person", "Person", "ids", required=True),
        FieldSpec("from_date", "Holds it from", "date"),
        FieldSpec("to_date", "Held until", "date"),
        FieldSpec("communicated", "How it was communicated", "text"),
        FieldSpec("evidence", "Evidence documents", "ids"),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("role", "person", "from_date", "to_date"),
    signature=("from_date", "to_date", "communicated"),
    links=(
        Link("role", "role", AimsRole, "title", many=False),
        Link("person", "person", Person, "name", many=False),
        _EVIDENCE,
    ),
    rules=(
        Rule(
            competence.UNVERIFIED.id,
            competence.UNVERIFIED.title,
            competence.UNVERIFIED.ref,
            competence.UNVERIFIED.severity,
            todo=competence.UNVERIFIED.todo,
            counted_as="holders_unverified",
        ),
        Rule(
            competence.HOLDER_GONE.id,
            competence.HOLDER_GONE.title,
            competence.HOLDER_GONE.ref,
            competence.HOLDER_GONE.severity,
            todo=competence.HOLDER_GONE.todo,
        ),
    ),
    pack_columns=("role", "person", "from_date", "to_date", "communicated"),
    counted_as="role_holders",
    synonyms={"person": ("holder", "name", "role holder"), "from_date": ("from", "start")},
    empty_text="<h3>No role holders yet</h3><p>Say who holds each AIMS role, and since when.</p>",
    check=_check_holding,
    findings=_found("role_holders"),
)

ROLE_COMPETENCES = Register(
    key="role_competences",
    title="Required competence (7.2)",
    noun="required competence",
    plural="required competences",
    clause="7.2",
    model=RoleCompetence,
    prefix="RC",
    fields=(
        FieldSpec("competence", "Competence", "text", required=True),
        FieldSpec("role", "Role", "ids", required=True),
        FieldSpec("kind", "Education, training or experience", "choice", COMPETENCE_KINDS),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("competence", "role", "kind"),
    filters=("kind",),
    signature=("competence",),
    links=(Link("role", "role", AimsRole, "title", many=False),),
    pack_columns=("competence", "role", "kind"),
    counted_as="required_competences",
    sheet="Required competence",
    empty_text=(
        "<h3>No required competence yet</h3><p>For each role, say what it requires: "
        "education, training or experience.</p>"
    ),
)

TRAINING = Register(
    key="training",
    title="Training (7.2)",
    noun="training",
    plural="trainings",
    clause="7.2",
    model=Training,
    prefix="TRN",
    fields=(
        FieldSpec("course", "Course", "text", required=True),
        FieldSpec("person", "Person", "ids", required=True),
        FieldSpec("provider", "Provider", "text"),
        FieldSpec("taken_on", "Taken on", "date"),
        FieldSpec("competences", "Competences it addresses", "ids"),
        FieldSpec("evidence", "Evidence documents", "ids"),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("course", "person", "provider", "taken_on"),
    signature=("course", "provider"),
    links=(
        Link("person", "person", Person, "name", many=False),
        Link("competences", "required competence", RoleCompetence, "competence"),
        _EVIDENCE,
    ),
    rules=(
        Rule(
            competence.TRAINING_UNVERIFIED.id,
            competence.TRAINING_UNVERIFIED.title,
            competence.TRAINING_UNVERIFIED.ref,
            competence.TRAINING_UNVERIFIED.severity,
            todo=competence.TRAINING_UNVERIFIED.todo,
            counted_as="training_unverified",
        ),
    ),
    pack_columns=("course", "person", "provider", "taken_on"),
    synonyms={"course": ("training", "course title"), "taken_on": ("date", "completed on")},
    empty_text="<h3>No training yet</h3><p>Record the training each person took.</p>",
    check=_check_training,
    findings=_found("training"),
)

VERIFICATIONS = Register(
    key="verifications",
    title="Competence verifications (7.2)",
    noun="verification",
    plural="verifications",
    clause="7.2",
    model=CompetenceVerification,
    prefix="VER",
    fields=(
        FieldSpec("title", "What was verified", "text", required=True),
        FieldSpec("person", "Person", "ids", required=True),
        FieldSpec("competences", "Competences verified", "ids"),
        FieldSpec("training", "Training it follows", "ids"),
        FieldSpec("method", "Method", "choice", METHODS),
        FieldSpec("verified_by", "Verified by", "text"),
        FieldSpec("verified_on", "Verified on", "date"),
        FieldSpec("result", "Result", "choice", RESULTS),
        FieldSpec("evidence", "Evidence documents", "ids"),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("title", "person", "method", "verified_on", "result"),
    filters=("method", "result"),
    signature=("method", "verified_by", "result"),
    links=(
        Link("person", "person", Person, "name", many=False),
        Link("competences", "required competence", RoleCompetence, "competence"),
        Link("training", "training", Training, "course", many=False),
        _EVIDENCE,
    ),
    pack_columns=("title", "person", "method", "verified_by", "verified_on", "result"),
    sheet="Verifications",
    empty_text=(
        "<h3>No verifications yet</h3><p>Record how each person was found competent for "
        "what their role requires: an assessment, an observation, a certificate, an "
        "interview or a review of their work.</p>"
    ),
    check=_check_verification,
)

ACKNOWLEDGEMENTS = Register(
    key="acknowledgements",
    title="Policy acknowledgements (7.3)",
    noun="acknowledgement",
    plural="acknowledgements",
    clause="7.3",
    model=PolicyAcknowledgement,
    prefix="ACK",
    fields=(
        FieldSpec("person", "Person", "ids", required=True),
        FieldSpec("document", "AI policy", "ids", required=True),
        FieldSpec("version", "Version acknowledged", "text"),
        FieldSpec("acknowledged_on", "Acknowledged on", "date"),
        FieldSpec("how", "How", "text"),
        FieldSpec("evidence", "Evidence documents", "ids"),
        FieldSpec("notes", "Notes", "long"),
    ),
    columns=("person", "document", "version", "acknowledged_on", "how"),
    signature=("acknowledged_on", "how"),
    links=(
        Link("person", "person", Person, "name", many=False),
        Link("document", "document", Document, "title", many=False),
        _EVIDENCE,
    ),
    pack_columns=("person", "document", "version", "acknowledged_on", "how"),
    sheet="Policy acknowledgements",
    empty_text=(
        "<h3>No acknowledgements yet</h3><p>Record each role holder's acknowledgement of the "
        "AI policy's current version.</p>"
    ),
    check=_check_acknowledgement,
)

REGISTERS: tuple[Register, ...] = (
    PEOPLE,
    ROLES,
    HOLDERS,
    ROLE_COMPETENCES,
    TRAINING,
    VERIFICATIONS,
    ACKNOWLEDGEMENTS,
)
