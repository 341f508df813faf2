"""The risk register as a workbook sheet, with its treatment actions on a sheet of their own."""

from __future__ import annotations

import dataclasses
import re

from app.services.engagement import ids
from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.risks import service as risks
from app.services.workbook.areas import (
    Area,
    Child,
    Column,
    Row,
    same,
    spec_columns,
)
from app.services.workbook.cells import control_ref, text_of

# risks


def _systems_cell(value: object) -> str:
    return ", ".join(value) if isinstance(value, tuple) else ""


def _systems_stored(cell: object) -> tuple[str, ...]:
    parts = text_of(cell).replace(";", ",").replace("\n", ",").split(",")
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _controls_cell(value: object) -> str:
    choices = value if isinstance(value, tuple) else ()
    return "\n".join(
        f"{c['control_id']}: {c['reason']}" if c["reason"] else str(c["control_id"])
        for c in choices
    )


def _controls_stored(cell: object) -> tuple[dict[str, str], ...]:
    """One control per line (`A.6.2.4: why`), or several on a line separated by commas."""
    found: list[dict[str, str]] = []
    for line in text_of(cell).splitlines():
        ref, _, reason = line.partition(":")
        refs = [ref] if reason else ref.replace(";", ",").split(",")
        for part in (r for r in refs if r.strip()):
            control = control_ref(part)
            wanted = part.strip()
            if control is None and ids.CLIENT_ID.match(wanted) and re.search(r"\d", wanted):
                control = wanted  # an ID like CP-01 beyond Annex A: the service checks it
            if control is None:
                raise FieldError(
                    "controls", f"'{part.strip()}' is not a control reference like A.6.2.4."
                )
            found.append({"control_id": control, "reason": reason.strip()})
    return tuple(found)


_ACTION_COLUMNS = (
    Column("action", "Action", FieldSpec("action", "Action", "long", required=True), 44),
    Column("owner", "Owner", FieldSpec("owner", "Owner", "text"), 18),
    Column("due_date", "Due date", FieldSpec("due_date", "Due date", "date"), 12),
    Column("done", "Done", FieldSpec("done", "Done", "bool"), 8),
)
_SCORE = {
    "inherent_impact": ("inherent_score", "inherent_level"),
    "residual_impact": ("residual_score", "residual_level"),
}


def _risk_columns() -> list[Column]:
    columns = []
    for column in spec_columns(risks.FIELDS, {
        "title": ("risk", "risk title", "risk name", "threat"),
        "description": ("risk description", "description of risk", "details"),
        "category": ("risk category", "type", "risk type", "domain"),
        "source": ("risk source", "cause", "source of risk"),
        "owner": ("risk owner", "responsible", "accountable"),
        "inherent_likelihood": ("likelihood", "probability", "inherent probability"),
        "inherent_impact": ("impact", "severity", "consequence", "inherent severity"),
        "existing_controls": ("controls "
                              "in place", "current "
                                                   "controls", "existing "
                                                                       "measures", "mitigations"),
        "treatment": ("treatment option", "risk response", "response", "treatment decision"),
        "residual_likelihood": ("residual probability",),
        "residual_impact": ("residual severity", "residual consequence"),
        "assessed_on": ("assessed", "date assessed", "assessment date", "last assessed",
                        "date of assessment"),
        "review_date": ("next review", "review", "review date / status"),
        "status": ("risk status", "state"),
    }):  # fmt: skip
        columns.append(column)
        for key in _SCORE.get(column.key, ()):
            label = key.replace("_", " ").capitalize()
            columns.append(
                Column(
                    key,
                    label,
                    width=10,
                    synonyms=(label.lower(), label.lower().replace("level", "rating")),
                )
            )
    return columns


def _load_risks(ef: EngagementFile) -> dict[str, Row]:
    names = [c.key for c in _risk_columns()]
    return {
        r.id: {
            "id": r.id,
            **{n: getattr(r, n) for n in names},
            "systems": r.systems,
            "controls": tuple(dataclasses.asdict(c) for c in r.controls),
            "actions": tuple(dataclasses.asdict(a) for a in r.actions),
        }
        for r in risks.list_risks(ef)
    }


def _risk_of(row: Row, wanted_id: str | None = None) -> risks.NewRisk:
    """A row as the service takes a risk."""
    return risks.NewRisk(
        {k: row.get(k) for k in risks.FIELDS},
        tuple(str(s) for s in row.get("systems") or ()),  # type: ignore[attr-defined]
        [risks.ControlChoice(**c) for c in row.get("controls") or ()],  # type: ignore[attr-defined]
        [risks.Action(**a) for a in row.get("actions") or ()],  # type: ignore[attr-defined]
        wanted_id,
    )


def _save_risk(ef: EngagementFile, item_id: str | None, row: Row, before: Row | None) -> str:
    risk = _risk_of(row)
    new_id, _ = risks.save_risk(
        ef, item_id if before else None, risk.values, risk.systems, risk.controls, risk.actions,
        wanted_id=None if before else item_id,
    )  # fmt: skip
    return new_id


def _create_risks(
    ef: EngagementFile, new: list[tuple[str | None, Row]], write: bool
) -> list[str | FieldError]:
    return risks.create_many(ef, [_risk_of(row, wanted) for wanted, row in new], write)


RISKS = Area(
    kind="risks",
    signature=frozenset({"title", "inherent_likelihood", "inherent_impact", "treatment"}),
    entity=risks.ENTITY,
    sheet="Risks",
    noun="risk",
    columns=(
        Column("id", "ID", width=10, synonyms=("risk id", "risk ref", "ref", "risk no", "risk #")),
        *_risk_columns(),
        Column(
            "systems",
            "AI systems",
            FieldSpec("systems", "AI systems", "text"),
            16,
            ("ai system", "system", "systems affected", "related ai system"),
            _systems_cell,
            _systems_stored,
        ),
        Column(
            "controls",
            "Annex A controls",
            FieldSpec("controls", "Annex A controls", "long"),
            30,
            ("controls", "annex a control", "iso 42001 control", "control ref", "mapped controls"),
            _controls_cell,
            _controls_stored,
        ),
    ),  # fmt: skip
    load=_load_risks,
    save=_save_risk,
    set_deleted=risks.set_deleted,
    create_many=_create_risks,
    extras="description",
    children=(Child("actions", "Treatment actions", "Treatment actions", _ACTION_COLUMNS),),
    name_from=("title", "description"),
    match=same("title"),
    matched_by="title",
)
