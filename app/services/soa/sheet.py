"""The Statement of Applicability as a workbook sheet: a row per Annex A control."""

from __future__ import annotations

from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.soa import service as soa
from app.services.workbook.areas import (
    Area,
    Column,
    Row,
    changed,
    spec_columns,
)
from app.services.workbook.cells import control_ref, text_of

# statement of applicability


def _load_soa(ef: EngagementFile) -> dict[str, Row]:
    summaries = {c.id: c.summary for c in ef.catalog.controls}
    return {
        line.control_id: {
            "id": line.control_id, "objective": line.objective, "title": line.title,
            "summary": summaries.get(line.control_id, ""), **line.values(),
        }
        for line in soa.list_lines(ef)
    }  # fmt: skip


def _save_soa(ef: EngagementFile, control_id: str | None, row: Row, before: Row | None) -> str:
    if control_id is None or before is None:
        raise FieldError(
            "id",
            "The SoA lists the Annex A controls; a row needs a control reference like A.6.2.4.",
        )
    for name, value in changed(before, row, list(soa.FIELDS)).items():
        soa.set_values(ef, name, {control_id: value})
    return control_id


def _control_key(cell: object) -> str:
    return control_ref(cell) or text_of(cell)


SOA = Area(
    kind="soa",
    signature=frozenset({"decision", "justification", "reason_text"}),
    entity=soa.ENTITY,
    sheet="SoA draft",
    noun="control",
    columns=(
        Column(
            "id",
            "Control",
            width=10,
            synonyms=(
                "control id",
                "control ref",
                "annex a ref",
                "annex a control",
                "ref",
                "control no",
            ),
            from_cell=_control_key,
        ),
        Column("objective", "Objective", width=8),
        Column("title", "Title", width=36, synonyms=("control title", "control name", "control")),
        Column("summary", "What the control is about", width=44),  # guidance, read-only
        *spec_columns(
            soa.FIELDS,
            {
                "decision": (
                    "applicable",
                    "applicability",
                    "included",
                    "selected",
                    "applicable?",
                    "included?",
                ),
                "reason_text": ("reason for inclusion", "justification for inclusion", "rationale"),
                "justification": (
                    "justification for exclusion",
                    "exclusion reason",
                    "reason for exclusion",
                ),
                "status": ("implementation status", "implemented", "implementation"),
                "owner": ("control owner", "responsible"),
                "target_date": ("due date", "target", "deadline"),
                "evidence": ("evidence", "evidence reference", "documents", "references"),
            },
        ),
    ),  # fmt: skip
    load=_load_soa,
    save=_save_soa,
    set_deleted=None,
    extras="evidence",
)
