"""AI system impact assessments (6.1.4, 8.4, A.5.2-A.5.5): when, by whom, why, what impacts
on individuals and on society, what was decided, and who approved it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select

from app.models import AISystem, Impact, ImpactAssessment
from app.services.engagement import history, ids
from app.services.engagement.errors import FieldError, RuleError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.risks import service as risks
from app.services.risks.criteria import Criteria

ENTITY = "impact_assessment"
TRIGGERS = {
    "initial": "Initial",
    "significant_change": "Significant change",
    "periodic": "Periodic review",
    # done after the fact for a system already live when the AIMS began
    "retroactive": "Retroactive (live before the AIMS began)",
}
SCOPES = {"individuals": "Individuals or groups", "society": "Society"}

FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in (
        FieldSpec("assessed_on", "Date", "date", required=True),
        FieldSpec("assessor", "Assessor", "text"),
        FieldSpec("trigger", "Trigger", "choice", TRIGGERS),
        FieldSpec("treatment", "Treatment decided", "long"),
        FieldSpec("result", "Result", "long"),
        FieldSpec("approved_by", "Approved by", "text"),
        FieldSpec("approved_on", "Approved on", "date"),
    )
}
IMPACT_FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in (
        FieldSpec("scope", "Impact on", "choice", SCOPES),
        FieldSpec("description", "Impact", "long", required=True),
        # rated on the engagement's risk criteria: the impact and likelihood scales
        FieldSpec("severity", "Severity", "int", low=1, high=10, scale="impact", required=True),
        FieldSpec(
            "likelihood", "Likelihood", "int", low=1, high=10, scale="likelihood", required=True
        ),
    )
}


@dataclass(frozen=True)
class ImpactRow:
    scope: str
    description: str
    severity: int
    likelihood: int


@dataclass(frozen=True)
class AssessmentRow:
    id: str
    system_id: str
    assessed_on: dt.date
    assessor: str
    trigger: str
    treatment: str
    result: str
    approved_by: str
    approved_on: dt.date | None
    impacts: tuple[ImpactRow, ...]

    def values(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in FIELDS}

    @property
    def approved(self) -> bool:
        return bool(self.approved_by.strip()) and self.approved_on is not None

    @property
    def missing(self) -> list[str]:
        """What it lacks to be a finished assessment: impacts, a result, a treatment."""
        return [
            what
            for what, there in (
                ("impacts", self.impacts),
                ("result", self.result.strip()),
                ("treatment", self.treatment.strip()),
            )
            if not there
        ]

    @property
    def done(self) -> bool:
        """Approved, with impacts, a result and a treatment: only such an assessment counts."""
        return self.approved and not self.missing


def _check(values: Mapping[str, object], today: dt.date) -> dict[str, object]:
    raw = {**values, "trigger": values.get("trigger") or "initial"}
    out = {name: spec.coerce(raw.get(name)) for name, spec in FIELDS.items()}
    assessed = out["assessed_on"]
    if not isinstance(assessed, dt.date):
        raise FieldError("assessed_on", "Enter the date of the assessment (YYYY-MM-DD).")
    if assessed > today:
        raise FieldError(
            "assessed_on",
            f"{assessed.isoformat()} is in the future: record an assessment once it is done.",
        )
    approved_on = out["approved_on"]
    if approved_on is not None and not out["approved_by"]:
        raise RuleError(
            "approved_by",
            "Say who approved it, or clear the approval date.",
            ("approved_by", "approved_on"),
        )
    if isinstance(approved_on, dt.date) and approved_on < assessed:
        raise RuleError(
            "approved_on",
            "The approval cannot come before the assessment itself.",
            ("assessed_on", "approved_on"),
        )
    return out


def scale_of(criteria: Criteria, field: str) -> tuple[str, ...]:
    """The labels of the levels a severity or likelihood is rated on, lowest first."""
    levels = criteria.impact if IMPACT_FIELDS[field].scale == "impact" else criteria.likelihood
    return tuple(level.label for level in levels)


def _check_impacts(
    impacts: Sequence[Mapping[str, object]], criteria: Criteria
) -> list[dict[str, object]]:
    specs = {  # the ratings' ranges as the engagement's scales have them
        name: dataclasses.replace(spec, high=len(scale_of(criteria, name))) if spec.scale else spec
        for name, spec in IMPACT_FIELDS.items()
    }
    checked = []
    for number, impact in enumerate(impacts, start=1):
        try:
            item = {name: spec.coerce(impact.get(name)) for name, spec in specs.items()}
        except FieldError as exc:
            field = f"impacts.{number}.{exc.field}"
            raise FieldError(field, f"Impact {number}: {exc.message}") from None
        checked.append(item)
    return checked


def next_id(ef: EngagementFile) -> str:
    with ef.reading() as session:
        return ids.next_free_id(session, ImpactAssessment, "IA", 4)


def _write_impacts(session: object, assessment_id: str, impacts: list[dict[str, object]]) -> None:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    session.execute(delete(Impact).where(Impact.assessment_id == assessment_id))
    for position, item in enumerate(impacts):
        session.add(Impact(assessment_id=assessment_id, position=position, **item))


def _impacts_text(impacts: Sequence[Mapping[str, object]]) -> str:
    return "; ".join(
        f"{SCOPES.get(str(i['scope']), i['scope'])}: {i['description']} "
        f"(severity {i['severity']}, likelihood {i['likelihood']})"
        for i in impacts
    )


def create_assessment(
    ef: EngagementFile,
    system_id: str,
    values: Mapping[str, object],
    impacts: Sequence[Mapping[str, object]] = (),
    assessment_id: str | None = None,
) -> str:
    checked = _check(values, dt.date.today())
    checked_impacts = _check_impacts(impacts, risks.get_criteria(ef))
    if assessment_id:
        ids.check_client_id(assessment_id)
    new_id = assessment_id or next_id(ef)
    with ef.writing() as session:
        system = session.get(AISystem, system_id)
        if system is None or system.deleted:
            raise FieldError("system_id", f"There is no AI system {system_id}.")
        if session.get(ImpactAssessment, new_id) is not None:
            raise FieldError("id", f"The ID {new_id} is already used; choose another.")
        session.add(ImpactAssessment(id=new_id, system_id=system_id, deleted=False, **checked))
        session.flush()
        _write_impacts(session, new_id, checked_impacts)
        history.record(session, ef.actor, ENTITY, new_id, "created", None, system_id)
        history.record(session, ef.actor, "ai_system", system_id, "impact assessment", None, new_id)
    return new_id


def update_assessment(
    ef: EngagementFile,
    assessment_id: str,
    values: Mapping[str, object],
    impacts: Sequence[Mapping[str, object]],
) -> AssessmentRow:
    """Replace an assessment's fields and impacts; returns it as it was (for undo)."""
    checked = _check(values, dt.date.today())
    checked_impacts = _check_impacts(impacts, risks.get_criteria(ef))
    before = get_assessment(ef, assessment_id)
    with ef.writing() as session:
        assessment = session.get_one(ImpactAssessment, assessment_id)
        for name, value in checked.items():
            if getattr(assessment, name) != value:
                history.record(
                    session, ef.actor, ENTITY, assessment_id, name, getattr(assessment, name), value
                )
                setattr(assessment, name, value)
        old_text = _impacts_text([i.__dict__ for i in before.impacts])
        new_text = _impacts_text(checked_impacts)
        if old_text != new_text:
            _write_impacts(session, assessment_id, checked_impacts)
            history.record(session, ef.actor, ENTITY, assessment_id, "impacts", old_text, new_text)
    return before


def set_deleted(ef: EngagementFile, assessment_id: str, deleted: bool) -> None:
    ef.set_deleted(ImpactAssessment, ENTITY, assessment_id, deleted, "impact assessment")


def list_assessments(ef: EngagementFile, system_id: str | None = None) -> list[AssessmentRow]:
    """Live assessments (of one system, or all), oldest first. Read as plain columns, not as
    model objects: on a large inventory this is what every refresh of its gaps waits for."""
    a, i = ImpactAssessment, Impact
    query = select(
        a.id, a.system_id, a.assessed_on, a.assessor, a.trigger, a.treatment, a.result,
        a.approved_by, a.approved_on,
    ).where(a.deleted.is_(False))  # fmt: skip
    impact_query = select(i.assessment_id, i.scope, i.description, i.severity, i.likelihood)
    impact_query = impact_query.order_by(i.assessment_id, i.position)
    if system_id is not None:
        query = query.where(a.system_id == system_id)
        impact_query = impact_query.join(a, i.assessment_id == a.id).where(a.system_id == system_id)
    with ef.reading() as session:
        impacts: dict[str, list[ImpactRow]] = {}
        for aid, scope, description, severity, likelihood in session.execute(impact_query):
            impacts.setdefault(aid, []).append(ImpactRow(scope, description, severity, likelihood))
        rows = [
            AssessmentRow(*values, impacts=tuple(impacts.get(values[0], ())))
            for values in session.execute(query)
        ]
    return sorted(rows, key=lambda r: (r.assessed_on, r.id))


def get_assessment(ef: EngagementFile, assessment_id: str) -> AssessmentRow:
    with ef.reading() as session:
        system_id = session.scalar(
            select(ImpactAssessment.system_id).where(ImpactAssessment.id == assessment_id)
        )
    if system_id is None:
        raise FieldError("id", f"There is no impact assessment {assessment_id}.")
    for row in list_assessments(ef, system_id):
        if row.id == assessment_id:
            return row
    raise FieldError("id", f"Impact assessment {assessment_id} was deleted.")
