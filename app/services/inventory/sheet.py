"""The inventory and its impact assessments as workbook sheets."""

from __future__ import annotations

import dataclasses

from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.inventory import impact
from app.services.inventory import service as inventory
from app.services.workbook.areas import (
    Area,
    Child,
    Column,
    Matcher,
    Row,
    changed,
    same,
    spec_columns,
)
from app.services.workbook.cells import text_of

# inventory


def _load_systems(ef: EngagementFile) -> dict[str, Row]:
    names = list(inventory.FIELDS)
    return {s.id: {n: getattr(s, n) for n in names} for s in inventory.list_systems(ef)}


def _save_system(ef: EngagementFile, system_id: str | None, row: Row, before: Row | None) -> str:
    if before is None:
        return inventory.create_system(ef, {k: v for k, v in row.items() if k in inventory.FIELDS})
    assert system_id is not None
    inventory.update_system(ef, system_id, changed(before, row, inventory.EDITABLE))
    return system_id


def _create_systems(
    ef: EngagementFile, new: list[tuple[str | None, Row]], write: bool
) -> list[str | FieldError]:
    """New systems as _save_system adds them one by one."""
    rows = [{k: v for k, v in row.items() if k in inventory.FIELDS} for _, row in new]
    return inventory.create_many(ef, rows, write)


_match_system = same("name")


INVENTORY = Area(
    kind="inventory",
    signature=frozenset({"name", "role", "ai_act_tier", "stage", "intended_use"}),
    entity=inventory.ENTITY,
    sheet="AI systems",
    noun="AI system",
    columns=(
        Column("id", "ID", width=12, synonyms=("system id", "ai system id", "asset id")),
        *spec_columns(
            inventory.FIELDS,
            {
                "name": (
                    "ai system",
                    "system name",
                    "system",
                    "ai system name",
                    "application",
                    "tool name",
                    "tool",
                    "ai tool",
                    "model name",
                    "solution",
                ),
                "description": ("purpose", "summary"),
                "business_owner": ("owner", "system owner", "accountable owner"),
                "role": ("ai role", "organisation role", "organization role"),
                "vendor": ("supplier", "provider", "vendor name", "supplier name", "third party"),
                "intended_use": (
                    "use case",
                    "intended purpose",
                    "used for",
                    "purpose of use",
                    "what it is used for",
                ),
                "ai_act_tier": (
                    "eu ai act",
                    "risk tier",
                    "ai act classification",
                    "risk classification",
                ),
                "stage": ("lifecycle", "status", "lifecycle stage"),
                "deployment_date": (
                    "go-live date",
                    "go live",
                    "go-live",
                    "deployed on",
                    "live since",
                    "deployment",
                    "date deployed",
                    "in use since",
                ),
                "training_data": ("data used", "datasets"),
                "in_scope": ("in aims scope", "scope", "in scope?", "within scope", "aims scope"),
            },
        ),
    ),  # fmt: skip
    load=_load_systems,
    save=_save_system,
    set_deleted=inventory.set_deleted,
    extras="description",
    match=_match_system,
    create_many=_create_systems,
    matched_by="name",
)


# impact assessments

_IMPACT_COLUMNS = tuple(spec_columns(impact.IMPACT_FIELDS, {}))


def _load_assessments(ef: EngagementFile) -> dict[str, Row]:
    return {
        a.id: {
            "id": a.id,
            "system_id": a.system_id,
            **a.values(),
            "impacts": tuple(dataclasses.asdict(i) for i in a.impacts),
        }
        for a in impact.list_assessments(ef)
    }


def _save_assessment(ef: EngagementFile, item_id: str | None, row: Row, before: Row | None) -> str:
    values = {k: row.get(k) for k in impact.FIELDS}
    impacts = [dict(i) for i in row.get("impacts") or ()]  # type: ignore[attr-defined]
    if before is None:
        return impact.create_assessment(ef, text_of(row.get("system_id")), values, impacts, item_id)
    assert item_id is not None
    if row.get("system_id") != before.get("system_id"):
        raise FieldError(
            "system_id", "An assessment stays with its AI system; add a new one for the other."
        )
    impact.update_assessment(ef, item_id, values, impacts)
    return item_id


def _match_assessment(_ef: EngagementFile, items: dict[str, Row]) -> Matcher:
    """The assessment of the same AI system on the same day (the first, if several)."""
    index: dict[tuple[object, object], str] = {}
    for item_id, item in items.items():
        index.setdefault((item.get("system_id"), item.get("assessed_on")), item_id)

    def match(row: Row) -> str | None:
        system, day = text_of(row.get("system_id")), row.get("assessed_on")
        if not system or day is None:
            return None
        return index.get((system, day))

    return match


ASSESSMENTS = Area(
    kind="impact_assessments",
    parent=("inventory", "system_id"),
    signature=frozenset({"assessed_on", "system_id"}),
    entity=impact.ENTITY,
    sheet="Impact assessments",
    noun="impact assessment",
    columns=(
        Column("id", "ID", width=12, synonyms=("assessment id", "aiia id", "ia id")),
        Column(
            "system_id",
            "AI system",
            FieldSpec("system_id", "AI system", "text", required=True),
            12,
            ("system", "ai system id", "system id"),
        ),
        *spec_columns(impact.FIELDS, {"assessed_on": ("assessment date", "date assessed")}),
    ),  # fmt: skip
    load=_load_assessments,
    save=_save_assessment,
    set_deleted=impact.set_deleted,
    extras="result",
    children=(Child("impacts", "Impacts", "Impacts", _IMPACT_COLUMNS),),
    match=_match_assessment,
    matched_by="AI system and date",
)
