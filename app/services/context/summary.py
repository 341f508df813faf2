"""What `status` says of the context: the registers' own counts and the climate answer."""

from __future__ import annotations

from typing import Any

from app.models import AISystem
from app.services import words
from app.services.context import climate
from app.services.context.registers import OBLIGATIONS, REGISTERS
from app.services.engagement.file import EngagementFile
from app.services.registers import service as register


def summary(ef: EngagementFile) -> dict[str, Any]:
    counts: dict[str, Any] = {}
    for reg in REGISTERS:
        counts.update(register.counts(reg, register.list_items(ef, reg)))
    counts["climate_change_considered"] = climate.get(ef).considered
    return counts


def as_text(data: dict[str, Any]) -> str:
    climate_text = "considered" if data["climate_change_considered"] else "NOT considered"
    return (
        f"Context:     {words.count(data['issues'], 'issue')}, "
        f"{words.count(data['interested_parties'], 'interested party', 'interested parties')} "
        f"with {words.count(data['party_requirements'], 'requirement')} "
        f"({data['requirements_undecided']} undecided), "
        f"{words.count(data['obligations'], 'obligation')} "
        f"({data['obligations_without_owner']} without owner); climate change {climate_text}"
    )


def obligations_of(ef: EngagementFile, system_id: str) -> list[tuple[str, str]]:
    """(ID, title) of the obligations that name an AI system: the inventory shows them beside
    the system's EU AI Act tier."""
    return [
        (item.id, str(item.values["title"]))
        for reg, item in register.linked_to(ef, AISystem, system_id)
        if reg is OBLIGATIONS
    ]
