"""Every item of a register with every field, for `aims-prep list`: the same rows the workbook
sheet holds, as JSON objects (ID first) or as a tab-separated table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.services import registry, words
from app.services.engagement.errors import AimsError
from app.services.engagement.file import EngagementFile
from app.services.workbook.areas import Area


def counts(ef: EngagementFile) -> list[dict[str, Any]]:
    """Every register: the name to give `list`, its sheet's name and how many items it holds."""
    return [
        {"register": a.kind, "sheet": a.sheet, "items": len(a.load(ef))} for a in registry.AREAS
    ]


def counts_text(found: list[dict[str, Any]]) -> str:
    width = max(len(r["register"]) for r in found)
    return "\n".join(f"{r['register']:<{width}}  {r['items']:>7,}  {r['sheet']}" for r in found)


def area(name: str) -> Area:
    wanted = name.strip().lower().replace("-", "_")
    for a in registry.AREAS:
        if wanted in (a.kind, a.sheet.lower().replace(" ", "_")):
            return a
    known = ", ".join(a.kind for a in registry.AREAS)
    raise AimsError(f"There is no register '{name}'. Registers: {known}.")


def _plain(value: object) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def items(ef: EngagementFile, name: str) -> list[dict[str, Any]]:
    """Each item as an object keyed by field name, `id` first, in ID order."""
    chosen = area(name)
    keys = [c.key for c in chosen.columns] + [c.field for c in chosen.children]
    rows = chosen.load(ef)
    return [
        {key: _plain(row.get(key)) for key in keys}
        for _id, row in sorted(rows.items(), key=lambda kv: words.natural(kv[0]))
    ]


def as_text(name: str, found: list[dict[str, Any]]) -> str:
    """A header of labels, then a line per item; fields tab-separated, line breaks flattened."""
    chosen = area(name)
    labels = chosen.field_labels()
    keys = [c.key for c in chosen.columns] + [c.field for c in chosen.children]

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return "; ".join(cell(v) for v in value)
        if isinstance(value, dict):
            return ", ".join(f"{k}={cell(v)}" for k, v in value.items())
        return " ".join(str(value).split())

    lines = ["\t".join(labels.get(k, k) for k in keys)]
    labelled = ("choice", "choices", "number")
    choices = {c.key: c.spec for c in chosen.columns if c.spec and c.spec.kind in labelled}

    def shown(key: str, value: object) -> str:  # a choice by its label, as the sheet shows it
        return choices[key].label_of(value) if key in choices else cell(value)

    lines += ["\t".join(shown(k, row[k]) for k in keys) for row in found]
    return "\n".join(lines)
