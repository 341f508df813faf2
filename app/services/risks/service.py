"""The AI risk register (6.1.2, 6.1.3, 8.2, 8.3): risks and opportunities, scored against the
engagement's criteria, treated with Annex A controls and actions, accepted by their owners."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from app.models import (
    AISystem,
    HistoryEntry,
    Impact,
    ImpactAssessment,
    Risk,
    RiskAction,
    RiskCategory,
    RiskControl,
    RiskCriteria,
    RiskSystem,
)
from app.services import words
from app.services.engagement import bulk, history, ids
from app.services.engagement.errors import FieldError, RuleError
from app.services.engagement.fields import FieldSpec, coercer
from app.services.engagement.file import EngagementFile
from app.services.risks.criteria import DEFAULT, Criteria, validate
from app.services.soa import additional

ENTITY = "risk"
KINDS = {"risk": "Risk", "opportunity": "Opportunity"}
TREATMENTS = {
    "": "Not decided",
    "modify": "Modify (reduce)",
    "avoid": "Avoid",
    "share": "Share (transfer)",
    "retain": "Retain (accept)",
}
STATUSES = {
    "open": "Open",
    "in_treatment": "In treatment",
    "monitored": "Monitored",
    "closed": "Closed",
}

FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in (
        FieldSpec("kind", "Kind", "choice", KINDS),
        FieldSpec("title", "Title", "text", required=True),
        FieldSpec("description", "Description (cause, event, consequence)", "long"),
        FieldSpec("category", "Category", "text"),
        FieldSpec("source", "Risk source", "text"),
        FieldSpec("affected_parties", "Affected parties", "long"),
        FieldSpec("owner", "Risk owner", "text"),
        FieldSpec(
            "inherent_likelihood", "Inherent likelihood", "int", low=1, high=10, scale="likelihood"
        ),
        FieldSpec("inherent_impact", "Inherent impact", "int", low=1, high=10, scale="impact"),
        FieldSpec("existing_controls", "Existing controls", "long"),
        FieldSpec("treatment", "Treatment", "choice", TREATMENTS),
        FieldSpec(
            "residual_likelihood", "Residual likelihood", "int", low=1, high=10, scale="likelihood"
        ),
        FieldSpec("residual_impact", "Residual impact", "int", low=1, high=10, scale="impact"),
        FieldSpec("residual_comment", "Why the residual is higher", "long"),
        FieldSpec("accepted_by", "Residual risk accepted by", "text"),
        FieldSpec("accepted_on", "Accepted on", "date"),
        FieldSpec("acceptance_comment", "Acceptance comment", "long"),
        FieldSpec("assessed_on", "Assessed on", "date"),
        FieldSpec("review_date", "Review date", "date"),
        FieldSpec("status", "Status", "choice", STATUSES),
    )
}
EDITABLE = tuple(FIELDS)
_LINK_FIELDS = ("category", "systems", "controls", "actions")
CHUNK = 1_000
_OPTIONAL_INTS = ("residual_likelihood", "residual_impact")
# A risk given no rating starts at the bottom of both scales (1 x 1, the lowest band): rated,
# so it sits on the heat map and in the register's order, for the consultant to raise.
_NEW_RATING = {"inherent_likelihood": 1, "inherent_impact": 1}


@dataclass(frozen=True)
class ControlChoice:
    control_id: str
    reason: str


@dataclass(frozen=True)
class Action:
    action: str
    owner: str
    due_date: dt.date | None
    done: bool


@dataclass(frozen=True)
class RiskRow:
    id: str
    kind: str
    title: str
    description: str
    category: str
    source: str
    affected_parties: str
    owner: str
    inherent_likelihood: int
    inherent_impact: int
    inherent_score: int
    inherent_level: str
    existing_controls: str
    treatment: str
    residual_likelihood: int | None
    residual_impact: int | None
    residual_score: int | None
    residual_level: str
    residual_comment: str
    accepted_by: str
    accepted_on: dt.date | None
    acceptance_comment: str
    assessed_on: dt.date | None
    review_date: dt.date | None
    status: str
    systems: tuple[str, ...] = ()
    controls: tuple[ControlChoice, ...] = ()
    actions: tuple[Action, ...] = ()

    @property
    def current_score(self) -> int:
        """What is left after treatment, or the inherent score before any."""
        return self.residual_score if self.residual_score is not None else self.inherent_score

    def values(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in EDITABLE}


# criteria


def criteria_version(ef: EngagementFile) -> int:
    """The version of the criteria in force (1 as created; each change adds one): an approval
    names the version it approved."""
    with ef.reading() as session:
        row = session.get(RiskCriteria, 1)
        return row.version if row is not None else 1


def get_criteria(ef: EngagementFile) -> Criteria:
    with ef.reading() as session:
        row = session.get(RiskCriteria, 1)
        content = row.content if row is not None else None
    return Criteria.from_json(content) if content is not None else DEFAULT


def change_criteria(
    ef: EngagementFile, new: Criteria, batch: int = 2_000
) -> Iterator[tuple[int, int, str]]:
    """Save new criteria and re-score every risk, in one transaction: cancelled (the generator
    closed) before the end, nothing changes. Yields progress (done, total, message)."""
    validate(new)
    with ef.writing() as session:
        row = session.get(RiskCriteria, 1)
        old_json = row.content if row is not None else DEFAULT.to_json()
        too_high = session.scalar(
            select(func.count())
            .select_from(Risk)
            .where(Risk.deleted.is_(False))
            .where(
                (Risk.inherent_likelihood > len(new.likelihood))
                | (Risk.inherent_impact > len(new.impact))
                | (Risk.residual_likelihood > len(new.likelihood))
                | (Risk.residual_impact > len(new.impact))
            )
        )
        if too_high:
            raise FieldError(
                "likelihood",
                f"{words.count(too_high, 'risk')} {'is' if too_high == 1 else 'are'} rated "
                "above the new scales; re-rate them first.",
            )
        _check_impacts_fit(session, new)
        if row is None:
            session.add(RiskCriteria(id=1, version=1, content=new.to_json()))
        else:
            row.version += 1
            row.content = new.to_json()
        history.record(
            session, ef.actor, ENTITY + "_criteria", "1", "criteria", old_json, new.to_json()
        )
        yield from _rescore(session, new, batch)


def _check_impacts_fit(session: Session, new: Criteria) -> None:
    """The impacts of impact assessments are rated on the same scales: none may be left above."""
    over = session.scalar(
        select(func.count())
        .select_from(Impact)
        .join(ImpactAssessment, ImpactAssessment.id == Impact.assessment_id)
        .where(ImpactAssessment.deleted.is_(False))
        .where((Impact.severity > len(new.impact)) | (Impact.likelihood > len(new.likelihood)))
    )
    if over:
        raise FieldError(
            "impact",
            f"{words.count(over, 'impact')} of impact assessments {'is' if over == 1 else 'are'} "
            "rated above the new scales; re-rate them first (Inventory tab).",
        )


def _rescore(session: Session, criteria: Criteria, batch: int) -> Iterator[tuple[int, int, str]]:
    rows = session.execute(
        select(
            Risk.id,
            Risk.inherent_likelihood,
            Risk.inherent_impact,
            Risk.residual_likelihood,
            Risk.residual_impact,
        )
    ).all()
    total = len(rows)
    statement = (
        update(Risk)
        .where(Risk.id == bindparam("rid"))
        .values(
            inherent_score=bindparam("i_score"),
            inherent_level=bindparam("i_level"),
            residual_score=bindparam("r_score"),
            residual_level=bindparam("r_level"),
        )
    )
    yield 0, total, "Re-scoring risks"
    for start in range(0, total, batch):
        params = []
        for rid, il, ii, rl, ri in rows[start : start + batch]:
            i_score = criteria.score(il, ii)
            r_score = criteria.score(rl, ri) if rl is not None and ri is not None else None
            params.append(
                {
                    "rid": rid,
                    "i_score": i_score,
                    "i_level": criteria.level(i_score),
                    "r_score": r_score,
                    "r_level": criteria.level(r_score) if r_score else "",
                }
            )
        session.connection().execute(statement, params)
        yield min(start + batch, total), total, "Re-scoring risks"


# categories


@dataclass(frozen=True)
class Category:
    id: int
    name: str
    taxonomy: str
    attribution: str
    ai_specific: bool
    classified: bool = True  # someone decided ai_specific (a typed or imported one is asked)

    @property
    def kind_text(self) -> str:
        if not self.classified:
            return "not classified yet"
        return "AI-specific" if self.ai_specific else "not AI-specific"


def list_categories(ef: EngagementFile) -> list[Category]:
    """Live categories (merged ones are gone), seeded taxonomies first."""
    with ef.reading() as session:
        rows = session.scalars(
            select(RiskCategory).where(RiskCategory.merged_into.is_(None)).order_by(RiskCategory.id)
        )
        return [
            Category(c.id, c.name, c.taxonomy, c.attribution, c.ai_specific, c.classified)
            for c in rows
        ]


def category_named(ef: EngagementFile, name: str) -> Category | None:
    """The live category of that name (case-insensitive; a merged one leads to where it went)."""
    with ef.reading() as session:
        found = session.scalar(
            select(RiskCategory).where(func.lower(RiskCategory.name) == name.strip().lower())
        )
        while found is not None and found.merged_into is not None:
            found = session.get_one(RiskCategory, found.merged_into)
        if found is None:
            return None
        return Category(found.id, found.name, found.taxonomy, found.attribution,
                        found.ai_specific, found.classified)  # fmt: skip


def classify_category(
    ef: EngagementFile, category_id: int, ai_specific: bool, classified: bool = True
) -> tuple[bool, bool]:
    """Decide whether a category is AI-specific; returns (ai_specific, classified) as they were,
    for undo (which passes classified False to put an unasked category back)."""
    with ef.writing() as session:
        category = session.get(RiskCategory, category_id)
        if category is None:
            raise FieldError("category", "That category no longer exists.")
        old = (category.ai_specific, category.classified)
        category.ai_specific, category.classified = ai_specific, classified
        if old != (ai_specific, classified):
            history.record(
                session, ef.actor, "risk_category", str(category_id), "AI-specific",
                _kind(*old), _kind(ai_specific, classified),
            )  # fmt: skip
    return old


def _kind(ai_specific: bool, classified: bool) -> str:
    return Category(0, "", "", "", ai_specific, classified).kind_text


def _category_id(session: Session, name: str) -> int | None:
    """The category of that name (case-insensitive), created when it is new; merged ones lead
    to the category they were merged into."""
    name = name.strip()
    if not name:
        return None
    found = session.scalar(
        select(RiskCategory).where(func.lower(RiskCategory.name) == name.lower())
    )
    if found is None:
        found = RiskCategory(name=name, taxonomy="engagement", attribution="", ai_specific=False)
        session.add(found)
        session.flush()
    while found.merged_into is not None:
        found = session.get_one(RiskCategory, found.merged_into)
    return found.id


def rename_category(ef: EngagementFile, category_id: int, name: str) -> str:
    name = name.strip()
    if not name:
        raise FieldError("name", "A category needs a name.")
    with ef.writing() as session:
        category = session.get_one(RiskCategory, category_id)
        clash = session.scalar(
            select(RiskCategory.id).where(
                func.lower(RiskCategory.name) == name.lower(), RiskCategory.id != category_id
            )
        )
        if clash is not None:
            raise FieldError("name", f"There is already a category called {name}; merge instead.")
        old = category.name
        category.name = name
        history.record(session, ef.actor, "risk_category", str(category_id), "name", old, name)
    return old


def merge_category(ef: EngagementFile, source_id: int, target_id: int) -> list[str]:
    """Move every risk of one category into another; returns the risks moved (for undo)."""
    if source_id == target_id:
        raise FieldError("category", "Choose a different category to merge into.")
    with ef.writing() as session:
        source = session.get_one(RiskCategory, source_id)
        target = session.get_one(RiskCategory, target_id)
        moved = list(session.scalars(select(Risk.id).where(Risk.category_id == source_id)))
        session.execute(
            update(Risk).where(Risk.category_id == source_id).values(category_id=target_id)
        )
        source.merged_into = target_id
        history.record(
            session, ef.actor, "risk_category", str(source_id), "merged into", None, target.name
        )
    return moved


# risks


_DEFAULTS = {"kind": "risk", "status": "open", "treatment": ""}


def _field(name: str, spec: FieldSpec, scale: str, coerce: Callable[[object], object],
           given: object, scales: Mapping[str, int]) -> object:  # fmt: skip
    """One field as _check reads it: its default when not given, then its stored form."""
    raw = given or _DEFAULTS.get(name, given)
    if raw is None or raw == "":
        if name in _NEW_RATING:
            raw = _NEW_RATING[name]
        elif name in _OPTIONAL_INTS:
            return None
    top = scales[scale]
    if top and isinstance(raw, int) and not isinstance(raw, bool) and raw < 1:
        raise FieldError(name, f"{spec.label} must be from 1 to {top}, not {raw}.")
    return coerce(raw)


_REFUSED = object()  # a field that cannot be left empty


def _when_empty(name: str, spec: FieldSpec, scale: str, given: object) -> object:
    """What a field left empty (None or "") is checked to: the same on every row, whatever
    the criteria (only a rating below 1 is measured against them)."""
    try:
        return _field(name, spec, scale, spec.coerce, given, {scale: 0})
    except FieldError:
        return _REFUSED


# each field once, as _check reads it: (name, spec, the scale it is rated on or "", its
# coercion (spec.coerce, quicker over the many rows of an import), what it is when None,
# and when "")
_CHECKED = tuple(
    (
        name,
        spec,
        scale,
        coercer(spec),
        _when_empty(name, spec, scale, None),
        _when_empty(name, spec, scale, ""),
    )
    for name, spec in FIELDS.items()
    for scale in [name.split("_")[-1] if name.split("_")[-1] in ("likelihood", "impact") else ""]
)


def _check(values: Mapping[str, object], criteria: Criteria) -> dict[str, object]:
    checked: dict[str, object] = {}
    scales = {"likelihood": len(criteria.likelihood), "impact": len(criteria.impact), "": 0}
    for name, spec, scale, coerce, if_none, if_blank in _CHECKED:
        given = values.get(name)
        if given and not (scale and isinstance(given, int) and given < 1):
            checked[name] = coerce(given)  # what _field does with it, in fewer steps
        elif given is None and if_none is not _REFUSED:
            checked[name] = if_none
        elif given == "" and if_blank is not _REFUSED:
            checked[name] = if_blank
        else:
            checked[name] = _field(name, spec, scale, coerce, given, scales)
    for name in ("inherent_likelihood", "inherent_impact", *_OPTIONAL_INTS):
        value = checked[name]
        top = scales[name.split("_")[1]]
        if isinstance(value, int) and value > top:
            raise FieldError(name, f"{FIELDS[name].label} must be from 1 to {top}, not {value}.")
    rl, ri = checked["residual_likelihood"], checked["residual_impact"]
    if (rl is None) != (ri is None):
        missing = "residual_impact" if ri is None else "residual_likelihood"
        raise RuleError(
            missing,
            "Rate both residual likelihood and residual impact, or neither.",
            _OPTIONAL_INTS,
        )
    inherent = criteria.score(
        int(str(checked["inherent_likelihood"])), int(str(checked["inherent_impact"]))
    )
    residual = criteria.score(rl, ri) if isinstance(rl, int) and isinstance(ri, int) else 0
    if residual > inherent and not str(checked["residual_comment"]).strip():
        raise RuleError(
            "residual_comment",
            "The residual risk is higher than the inherent one: say why in the comment.",
            ("inherent_likelihood", "inherent_impact", *_OPTIONAL_INTS, "residual_comment"),
        )
    acceptance = ("accepted_by", "accepted_on")
    if checked["accepted_on"] is not None and not checked["accepted_by"]:
        raise RuleError(
            "accepted_by", "Say who accepted the residual risk, or clear the date.", acceptance
        )
    if checked["accepted_by"] and checked["accepted_on"] is None:
        raise RuleError("accepted_on", "Enter the date the residual risk was accepted.", acceptance)
    return checked


def _check_links(
    catalog_controls: set[str],
    controls: Sequence[ControlChoice],
    actions: Sequence[Action],
) -> None:
    seen: set[str] = set()
    for choice in controls:
        if choice.control_id not in catalog_controls:
            raise FieldError(
                "controls",
                f"'{choice.control_id}' is not an Annex A control (like A.6.2.4), nor an "
                "additional control of the SoA.",
            )
        if choice.control_id in seen:
            raise FieldError("controls", f"{choice.control_id} is chosen twice; keep one line.")
        seen.add(choice.control_id)
    for number, action in enumerate(actions, start=1):
        if not action.action.strip():
            raise FieldError("actions", f"Action {number} needs a description.")


def _stored(
    checked: Mapping[str, object], criteria: Criteria, session: Session
) -> dict[str, object]:
    """Field values as the table holds them: category by ID, scores and levels derived."""
    category_id = _category_id(session, str(checked["category"] or ""))
    return _scored(checked, criteria, category_id)


def _scored(
    checked: Mapping[str, object], criteria: Criteria, category_id: int | None
) -> dict[str, object]:
    values = {k: v for k, v in checked.items() if k != "category"}
    values["category_id"] = category_id
    i_score = criteria.score(
        int(str(checked["inherent_likelihood"])), int(str(checked["inherent_impact"]))
    )
    values["inherent_score"], values["inherent_level"] = i_score, criteria.level(i_score)
    rl, ri = checked["residual_likelihood"], checked["residual_impact"]
    r_score = criteria.score(rl, ri) if isinstance(rl, int) and isinstance(ri, int) else None
    values["residual_score"] = r_score
    values["residual_level"] = criteria.level(r_score) if r_score else ""
    return values


def _write_links(
    session: Session,
    risk_id: str,
    systems: Sequence[str],
    controls: Sequence[ControlChoice],
    actions: Sequence[Action],
    new: bool = False,
) -> None:
    """The risk's links as given; a new risk has none to remove (three statements fewer a
    row: an import of many new risks spent almost half its time on them)."""
    for model in () if new else (RiskSystem, RiskControl, RiskAction):
        session.execute(delete(model).where(model.risk_id == risk_id))
    session.add_all(RiskSystem(risk_id=risk_id, system_id=s) for s in dict.fromkeys(systems))
    session.add_all(
        RiskControl(risk_id=risk_id, control_id=c.control_id, reason=c.reason) for c in controls
    )
    session.add_all(
        RiskAction(
            risk_id=risk_id,
            position=n,
            action=a.action,
            owner=a.owner,
            due_date=a.due_date,
            done=a.done,
        )
        for n, a in enumerate(actions)
    )


def _links_text(
    systems: Sequence[str], controls: Sequence[ControlChoice], actions: Sequence[Action]
) -> str:
    return " | ".join(
        [
            "systems: " + ", ".join(systems),
            "controls: " + "; ".join(f"{c.control_id} ({c.reason})" for c in controls),
            "actions: "
            + "; ".join(
                f"{a.action} / {a.owner} / {a.due_date} / {'done' if a.done else 'open'}"
                for a in actions
            ),
        ]
    )


def next_id(ef: EngagementFile) -> str:
    with ef.reading() as session:
        return ids.next_free_id(session, Risk, "R", 3)


def save_risk(
    ef: EngagementFile,
    risk_id: str | None,
    values: Mapping[str, object],
    systems: Sequence[str] = (),
    controls: Sequence[ControlChoice] = (),
    actions: Sequence[Action] = (),
    wanted_id: str | None = None,
) -> tuple[str, RiskRow | None]:
    """Create (risk_id None) or replace a risk and its links in one transaction. A new risk
    may keep an ID of the client's own (`wanted_id`); otherwise one is given.
    Returns its ID and the risk as it was before (None when new), for undo."""
    criteria = get_criteria(ef)
    checked = _check(values, criteria)
    _check_links(additional.control_ids(ef), controls, actions)
    before = get_risk(ef, risk_id) if risk_id else None
    if wanted_id:
        ids.check_client_id(wanted_id)
    new_id = risk_id or wanted_id or next_id(ef)
    with ef.writing() as session:
        if before is None and session.get(Risk, new_id) is not None:
            raise FieldError("id", f"The ID {new_id} is already used; choose another.")
        stored = _stored(checked, criteria, session)
        unknown = [s for s in systems if session.get(AISystem, s) is None]
        if unknown:
            raise FieldError("systems", f"No AI system {', '.join(unknown)} in the inventory.")
        if before is None:
            session.add(Risk(id=new_id, deleted=False, **stored))
            session.flush()
            history.record(session, ef.actor, ENTITY, new_id, "created", None, checked["title"])
        else:
            risk = session.get_one(Risk, new_id)
            for name, value in checked.items():
                if getattr(before, name) != value:
                    history.record(
                        session, ef.actor, ENTITY, new_id, name, getattr(before, name), value
                    )
            for name, value in stored.items():
                setattr(risk, name, value)
        old_links = _links_text(before.systems, before.controls, before.actions) if before else ""
        new_links = _links_text(systems, controls, actions)
        if old_links != new_links:
            history.record(session, ef.actor, ENTITY, new_id, "links", old_links or None, new_links)
        _write_links(session, new_id, systems, controls, actions, new=before is None)
    return new_id, before


@dataclass(frozen=True)
class NewRisk:
    """One risk for `create_many`: what `save_risk` takes for a new one."""

    values: Mapping[str, object]
    systems: Sequence[str] = ()
    controls: Sequence[ControlChoice] = ()
    actions: Sequence[Action] = ()
    wanted_id: str | None = None


def create_many(
    ef: EngagementFile, new: Sequence[NewRisk], write: bool = True
) -> list[str | FieldError]:
    """Add many new risks in one transaction (an import of 200,000 rows): each is checked
    exactly as `save_risk` checks a new one, refused with the same error, given the same ID
    and the same history, and the valid ones are inserted in chunks of plain rows instead of
    one object and one flush each. Returns, for each, its ID or the error refusing it
    (nothing of a refused risk is written). With `write` False (a trial run whose changes
    are thrown away, when nothing after it needs the risks) every check is made and every ID
    given, and the risks are not inserted."""
    criteria = get_criteria(ef)
    catalog_controls = additional.control_ids(ef)
    found: list[str | FieldError] = []
    at = history.now()  # one transaction: one moment for its history
    with ef.writing() as session:
        session.flush()  # the IDs and systems of items added before, in the same transaction
        free = ids.FreeIds(session, Risk, "R", 3)
        systems_known = set(session.scalars(select(AISystem.id)))
        categories: dict[str, int | None] = {}
        batch = bulk.Inserts(session)
        for model in (Risk, RiskSystem, RiskControl, RiskAction, HistoryEntry):
            batch.add(model)  # in this order: a risk before the rows naming it
        for item in new:
            try:
                checked = _check(item.values, criteria)
                if item.controls or item.actions:
                    _check_links(catalog_controls, item.controls, item.actions)
                if item.wanted_id:
                    ids.check_client_id(item.wanted_id)
                new_id = item.wanted_id or free.next()
                if new_id in free.taken:
                    raise FieldError("id", f"The ID {new_id} is already used; choose another.")
                unknown = [s for s in item.systems if s not in systems_known]
                if unknown:
                    raise FieldError(
                        "systems", f"No AI system {', '.join(unknown)} in the inventory."
                    )
            except FieldError as exc:
                found.append(exc)
                continue
            name = str(checked["category"] or "").strip()
            if name not in categories:  # looked up (or added) as save_risk does, once a name
                batch.flush()
                categories[name] = _category_id(session, name)
            free.take(new_id)
            if write:
                stored = _scored(checked, criteria, categories[name])
                _add_rows(batch, ef.actor, new_id, checked, stored, item, at)
            found.append(new_id)
        batch.flush()
    return found


_NO_LINKS = _links_text((), (), ())


def _add_rows(rows: bulk.Inserts, actor: str, risk_id: str, checked: Mapping[str, object],
              stored: dict[str, object], item: NewRisk, at: dt.datetime) -> None:  # fmt: skip
    """A new risk, its links and its history as save_risk writes them, as plain rows."""
    stored["id"], stored["deleted"] = risk_id, False  # a dict of its own: not copied again
    rows.add(Risk, stored)
    links = _NO_LINKS
    if item.systems or item.controls or item.actions:
        links = _links_text(item.systems, item.controls, item.actions)
        rows.add(
            RiskSystem,
            *({"risk_id": risk_id, "system_id": s} for s in dict.fromkeys(item.systems)),
        )
        rows.add(
            RiskControl,
            *(
                {"risk_id": risk_id, "control_id": c.control_id, "reason": c.reason}
                for c in item.controls
            ),
        )
        rows.add(
            RiskAction,
            *(
                {
                    "risk_id": risk_id,
                    "position": n,
                    "action": a.action,
                    "owner": a.owner,
                    "due_date": a.due_date,
                    "done": a.done,
                }
                for n, a in enumerate(item.actions)
            ),
        )
    rows.add(
        HistoryEntry,
        history.entry(actor, ENTITY, risk_id, "created", None, checked["title"], at),
        history.entry(actor, ENTITY, risk_id, "links", None, links, at),
    )
    rows.item_done()


def restore(ef: EngagementFile, row: RiskRow) -> None:
    """Put a risk back as it was (undo of an edit)."""
    save_risk(ef, row.id, row.values(), row.systems, row.controls, row.actions)


def set_deleted(ef: EngagementFile, risk_id: str, deleted: bool) -> None:
    ef.set_deleted(Risk, ENTITY, risk_id, deleted, "risk")


def list_risks(ef: EngagementFile, risk_id: str | None = None, links: bool = True) -> list[RiskRow]:
    """Live risks by ID, with their systems, controls and actions unless `links` is False
    (counting gaps needs none of them)."""
    fields = [f.name for f in dataclasses.fields(RiskRow) if f.name not in _LINK_FIELDS]
    # Plain columns, fetched in chunks: a window waiting on this (on another thread) gets a
    # turn between chunks instead of after one long fetch.
    query = (
        select(*(getattr(Risk, name) for name in fields), RiskCategory.name)
        .outerjoin(RiskCategory, Risk.category_id == RiskCategory.id)
        .where(Risk.deleted.is_(False))
        .order_by(Risk.id)
        .execution_options(yield_per=CHUNK)
    )
    if risk_id is not None:
        query = query.where(Risk.id == risk_id)
    with ef.reading() as session:
        systems: dict[str, list[str]] = {}
        controls: dict[str, list[ControlChoice]] = {}
        actions: dict[str, list[Action]] = {}
        for rid, system_id in (
            session.execute(_links(RiskSystem, risk_id, "system_id")) if links else ()
        ):
            systems.setdefault(rid, []).append(system_id)
        for rid, control_id, reason in (
            session.execute(_links(RiskControl, risk_id, "control_id", "reason")) if links else ()
        ):
            controls.setdefault(rid, []).append(ControlChoice(control_id, reason))
        action_rows = _links(RiskAction, risk_id, "action", "owner", "due_date", "done")
        for rid, *action in (
            session.execute(action_rows.order_by(RiskAction.position)) if links else ()
        ):
            actions.setdefault(rid, []).append(Action(*action))
        rows = []
        for *values, category in session.execute(query):
            row = dict(zip(fields, values, strict=True))
            rid = row["id"]
            rows.append(
                RiskRow(
                    **row,
                    category=category or "",
                    systems=tuple(systems.get(rid, ())),
                    controls=tuple(
                        sorted(controls.get(rid, ()), key=lambda c: _control_key(c.control_id))
                    ),
                    actions=tuple(actions.get(rid, ())),
                )
            )
    return rows


def _links(
    model: type[RiskSystem] | type[RiskControl] | type[RiskAction], risk_id: str | None, *names: str
) -> Any:
    """(risk_id, *names) rows of a link table, of one risk or all, in chunks."""
    query = select(model.risk_id, *(getattr(model, n) for n in names))
    query = query.execution_options(yield_per=CHUNK)
    return query.where(model.risk_id == risk_id) if risk_id else query


def _control_key(control_id: str) -> tuple[object, ...]:
    """Annex A controls in their order, then the controls beyond Annex A by ID."""
    parts = control_id.removeprefix("A.").split(".")
    if control_id.startswith("A.") and all(p.isdigit() for p in parts):
        return (0, *(int(p) for p in parts))
    return (1, *words.natural(control_id))


def get_risk(ef: EngagementFile, risk_id: str) -> RiskRow:
    rows = list_risks(ef, risk_id)
    if not rows:
        raise FieldError("id", f"There is no risk {risk_id}.")
    return rows[0]


def history_of(ef: EngagementFile, risk_id: str, limit: int = 500) -> list[history.Change]:
    with ef.reading() as session:
        return history.for_entity(session, ENTITY, risk_id, limit)


def unmerge_category(ef: EngagementFile, source_id: int, risk_ids: Sequence[str]) -> None:
    """Undo of a merge: the category comes back with the risks it had."""
    with ef.writing() as session:
        source = session.get_one(RiskCategory, source_id)
        source.merged_into = None
        session.execute(update(Risk).where(Risk.id.in_(risk_ids)).values(category_id=source_id))
        history.record(
            session, ef.actor, "risk_category", str(source_id), "merged into", "undone", None
        )
