"""The AI system inventory: every AI system of the client, with who owns it, where it came
from, what it does, its data and oversight, and whether it is in scope."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from app.models import AISystem, HistoryEntry, Risk, RiskSystem
from app.services.engagement import bulk, history, ids
from app.services.engagement.errors import FieldError, RuleError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile

ENTITY = "ai_system"
ROLES = {
    "developer": "Developer / provider",
    "deployer": "Deployer / user",
    "both": "Developer and deployer",
}
SOURCES = {
    "in_house": "Built in-house",
    "vendor": "Bought from a vendor",
    "embedded": "Embedded in a third-party tool",
    "acquired": "Acquired through M&A",
}
# Systems the client did not build: the ones auditors find missing from a narrow scope.
THIRD_PARTY = ("vendor", "embedded")
OUTSIDE_BUILT = ("vendor", "embedded", "acquired")
TIERS = {
    "unclassified": "Not yet classified",
    "prohibited": "Prohibited",
    "high": "High risk",
    "limited": "Limited risk",
    "minimal": "Minimal risk",
}
STAGES = {
    "design": "Design",
    "development": "Development",
    "verification": "Verification",
    "deployed": "Deployed",
    "monitoring": "Monitoring",
    "decommissioned": "Decommissioned",
}
LIVE_STAGES = ("deployed", "monitoring")
BEFORE_LIVE = ("design", "development", "verification")
# What an impact assessment was made on: a change to any of these makes it out of date. A move
# between stages is not one (going from deployed to monitoring changes nothing assessed).
MATERIAL = (
    "training_data", "inference_data", "data_provenance", "vendor", "source", "intended_use",
    "affected_parties", "consequential", "human_oversight",
)  # fmt: skip

FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in (
        FieldSpec("id", "ID", "text"),
        FieldSpec("name", "Name", "text", required=True),
        FieldSpec("description", "Description", "long"),
        FieldSpec("business_owner", "Business owner", "text"),
        FieldSpec("role", "Organization's role", "choice", ROLES),
        FieldSpec("source", "Source", "choice", SOURCES),
        FieldSpec("vendor", "Vendor", "text"),
        FieldSpec("intended_use", "Intended use", "long"),
        FieldSpec("foreseeable_misuse", "Foreseeable misuse", "long"),
        FieldSpec("affected_parties", "Who is affected", "long"),
        FieldSpec("consequential", "Makes or supports consequential decisions", "bool"),
        FieldSpec("ai_act_tier", "EU AI Act risk tier", "choice", TIERS),
        FieldSpec("ai_act_note", "EU AI Act note", "long"),
        FieldSpec("stage", "Lifecycle stage", "choice", STAGES),
        FieldSpec("deployment_date", "Deployment date", "date"),
        FieldSpec("training_data", "Training data", "long"),
        FieldSpec("inference_data", "Inference data", "long"),
        FieldSpec("data_provenance", "Data provenance", "long"),
        FieldSpec("data_quality", "Data quality notes", "long"),
        FieldSpec("bias_checks", "Bias checks done", "long"),
        FieldSpec("human_oversight", "Human oversight", "long"),
        FieldSpec("in_scope", "In scope", "bool"),
        FieldSpec("out_of_scope_reason", "Reason for leaving out of scope", "long"),
    )
}
EDITABLE = tuple(name for name in FIELDS if name != "id")


@dataclass(frozen=True)
class SystemRow:
    id: str
    name: str
    description: str
    business_owner: str
    role: str
    source: str
    vendor: str
    intended_use: str
    foreseeable_misuse: str
    affected_parties: str
    consequential: bool
    ai_act_tier: str
    ai_act_note: str
    stage: str
    deployment_date: dt.date | None
    training_data: str
    inference_data: str
    data_provenance: str
    data_quality: str
    bias_checks: str
    human_oversight: str
    in_scope: bool
    out_of_scope_reason: str
    changed_at: dt.date | None
    deleted: bool

    @property
    def third_party(self) -> bool:
        return self.source in THIRD_PARTY


_ROW_FIELDS = tuple(f.name for f in dataclasses.fields(SystemRow))


def _row(system: AISystem) -> SystemRow:
    return SystemRow(*(getattr(system, name) for name in _ROW_FIELDS))


def list_systems(ef: EngagementFile, include_deleted: bool = False) -> list[SystemRow]:
    columns = [getattr(AISystem, name) for name in _ROW_FIELDS]
    query = select(*columns).order_by(AISystem.id)
    if not include_deleted:
        query = query.where(AISystem.deleted.is_(False))
    with ef.reading() as session:
        return [SystemRow(*r) for r in session.execute(query)]


def get_system(ef: EngagementFile, system_id: str) -> SystemRow:
    with ef.reading() as session:
        system = session.get(AISystem, system_id)
        if system is None:
            raise FieldError("id", f"There is no AI system {system_id}.")
        return _row(system)


def _check_consistency(values: Mapping[str, object], today: dt.date) -> None:
    """Rules across fields, checked on the system as it would be after the change."""
    deployed = values.get("deployment_date")
    if values.get("stage") in LIVE_STAGES and isinstance(deployed, dt.date) and deployed > today:
        raise RuleError(
            "deployment_date",
            f"A system in the {STAGES[str(values['stage'])].lower()} stage cannot have been "
            f"deployed on {deployed.isoformat()}, a date in the future. Enter the date it went "
            "live, or set the stage to one before deployment.",
            ("stage", "deployment_date"),
        )


def _defaults() -> dict[str, object]:
    values: dict[str, object] = {
        name: False if spec.kind == "bool" else None if spec.kind == "date" else ""
        for name, spec in FIELDS.items()
        if name != "id"
    }
    values.update(role="deployer", source="in_house", ai_act_tier="unclassified")
    values.update(stage="design", in_scope=True)
    return values


def next_id(ef: EngagementFile) -> str:
    """AIS-001, AIS-002...: never reuses an ID, not even one of a deleted system."""
    with ef.reading() as session:
        return ids.next_free_id(session, AISystem, "AIS", 3)


def coerce(field: str, value: object) -> object:
    spec = FIELDS.get(field)
    if spec is None or field == "id":
        raise FieldError(field, f"'{field}' cannot be edited on an AI system.")
    return spec.coerce(value)


def _checked_new(values: Mapping[str, object], today: dt.date) -> tuple[dict[str, object], str]:
    """A new system's fields as stored, and the client's own ID ("" for none)."""
    wanted = str(values.get("id") or "").strip()
    fields = {k: coerce(k, v) for k, v in values.items() if k != "id"}
    if "name" not in fields:
        raise FieldError("name", "Name cannot be blank.")
    merged = {**_defaults(), **fields}
    _check_consistency(merged, today)
    if wanted:
        ids.check_client_id(wanted)
    return merged, wanted


def _used(system_id: str) -> FieldError:
    return FieldError("id", f"The ID {system_id} is already used; choose another.")


def create_system(ef: EngagementFile, values: Mapping[str, object]) -> str:
    """Add a system; `values` may carry an ID of the client's own, otherwise one is given."""
    merged, wanted = _checked_new(values, dt.date.today())
    system_id = wanted or next_id(ef)
    with ef.writing() as session:
        if session.get(AISystem, system_id) is not None:
            raise _used(system_id)
        session.add(AISystem(id=system_id, created_at=history.now(), deleted=False, **merged))
        history.record(session, ef.actor, ENTITY, system_id, "created", None, merged["name"])
    return system_id


def create_many(
    ef: EngagementFile, new: Sequence[Mapping[str, object]], write: bool = True
) -> list[str | FieldError]:
    """Add many systems in one transaction (an import): each checked, refused and numbered
    exactly as `create_system` does one, with the same history; the valid ones inserted in
    chunks of plain rows. Returns, for each, its ID or the error refusing it. With `write`
    False (a trial run thrown away, that nothing after needs) nothing is inserted."""
    today = dt.date.today()
    found: list[str | FieldError] = []
    with ef.writing() as session:
        session.flush()
        free = ids.FreeIds(session, AISystem, "AIS", 3)
        rows = bulk.Inserts(session)
        for model in (AISystem, HistoryEntry):
            rows.add(model)
        for values in new:
            try:
                merged, wanted = _checked_new(values, today)
                system_id = wanted or free.next()
                if system_id in free.taken:
                    raise _used(system_id)
            except FieldError as exc:
                found.append(exc)
                continue
            free.take(system_id)
            found.append(system_id)
            if write:
                at = history.now()
                rows.add(AISystem, {"id": system_id, "created_at": at, "deleted": False, **merged})
                rows.add(HistoryEntry, history.entry(ef.actor, ENTITY, system_id, "created",
                                                     None, merged["name"], at))  # fmt: skip
                rows.item_done()
        rows.flush()
    return found


def update_system(
    ef: EngagementFile, system_id: str, changes: Mapping[str, object]
) -> dict[str, object]:
    """Change fields of one system in one transaction; returns the old values (for undo).

    Editing a MATERIAL field (data, vendor, intended use, who is affected...) marks the system
    changed today (its assessment is then out of date); undo passes the old `changed_at` back
    explicitly."""
    coerced = {
        k: (parse_changed_at(v) if k == "changed_at" else coerce(k, v)) for k, v in changes.items()
    }
    today = dt.date.today()
    old: dict[str, object] = {}
    with ef.writing() as session:
        system = session.get(AISystem, system_id)
        if system is None or system.deleted:
            raise FieldError("id", f"There is no AI system {system_id}.")
        current = {name: getattr(system, name) for name in _ROW_FIELDS}
        merged = {**current, **coerced}
        _check_consistency(merged, today)
        material = any(k in MATERIAL and coerced[k] != current[k] for k in coerced)
        if material and "changed_at" not in coerced:
            coerced["changed_at"] = today
        for name, value in coerced.items():
            if current[name] != value:
                old[name] = current[name]
                setattr(system, name, value)
                if name != "changed_at":
                    history.record(session, ef.actor, ENTITY, system_id, name, current[name], value)
    return old


def parse_changed_at(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    raise FieldError("changed_at", "changed_at must be a date")


def duplicate_system(ef: EngagementFile, system_id: str) -> str:
    source = get_system(ef, system_id)
    values = {name: getattr(source, name) for name in EDITABLE}
    values["name"] = f"{source.name} (copy)"[:200]
    return create_system(ef, values)


def set_deleted(ef: EngagementFile, system_id: str, deleted: bool) -> None:
    ef.set_deleted(AISystem, ENTITY, system_id, deleted, "AI system")


def history_of(ef: EngagementFile, system_id: str, limit: int = 500) -> list[history.Change]:
    with ef.reading() as session:
        return history.for_entity(session, ENTITY, system_id, limit)


@dataclass(frozen=True)
class LinkedRisk:
    """A risk of the register (not an opportunity) naming a system, as the rules need it."""

    risk_id: str
    system_id: str
    inherent_score: int
    live: bool  # not closed


def linked_risks(ef: EngagementFile, system_id: str | None = None) -> list[LinkedRisk]:
    """The risks naming each system (or one system), read without the rest of the register."""
    query = (
        select(RiskSystem.risk_id, RiskSystem.system_id, Risk.inherent_score, Risk.status)
        .join(Risk, Risk.id == RiskSystem.risk_id)
        .where(Risk.deleted.is_(False), Risk.kind == "risk")
        .order_by(RiskSystem.risk_id)
    )
    if system_id is not None:
        query = query.where(RiskSystem.system_id == system_id)
    with ef.reading() as session:
        return [
            LinkedRisk(risk_id, system, score, status != "closed")
            for risk_id, system, score, status in session.execute(query)
        ]
