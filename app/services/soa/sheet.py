"""The Statement of Applicability as a workbook sheet: a row per Annex A control, then one per
control beyond Annex A. A client's SoA often has one justification column for both decisions
and "N/A" as the status of an excluded control: both are read as the client meant them."""

from __future__ import annotations

from dataclasses import replace

from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.soa import additional
from app.services.soa import service as soa
from app.services.workbook.areas import (
    Area,
    Column,
    Row,
    canonical,
    changed,
    spec_columns,
)
from app.services.workbook.cells import control_ref, text_of, to_stored

# statement of applicability


def _load_soa(ef: EngagementFile) -> dict[str, Row]:
    summaries = {c.id: c.summary for c in ef.catalog.controls}
    return {
        line.control_id: {
            "id": line.control_id, "objective": line.objective, "title": line.title,
            "summary": summaries.get(line.control_id, ""), **line.values(),
            "source": line.source,
        }
        for line in soa.list_lines(ef)
    }  # fmt: skip


def _save_soa(ef: EngagementFile, control_id: str | None, row: Row, before: Row | None) -> str:
    if before is None:  # a row of a control the SoA does not list: one beyond Annex A
        if not control_id or not text_of(row.get("title")):
            raise FieldError(
                "id",
                "A row of the SoA needs a control: an Annex A reference like A.6.2.4, or the "
                "ID and title of a control beyond Annex A (for example CP-01).",
            )
        source = text_of(row.get("source")) or additional.IMPORTED_SOURCE
        control_id = additional.add(
            ef, {"id": control_id, "title": row.get("title"), "source": source}
        )
    assert control_id is not None  # an existing row always has its control
    for name, value in changed(before, row, list(soa.FIELDS)).items():
        soa.set_values(ef, name, {control_id: value})
    return control_id


# the texts of a client's sheet for the status of a control it does not implement
_NOT_APPLICABLE = {"n/a", "na", "n.a.", "not applicable", "-", "none"}
_STATUS_WORDS = {"in progress": "partial", "ongoing": "partial", "not implemented": "not_started"}


def _status(cell: object) -> object:
    """'N/A' (an excluded control's status on many a client's sheet) is not started; the
    rest as any choice is read."""
    word = text_of(cell).lower()
    if word in _NOT_APPLICABLE:
        return "not_started"
    return _STATUS_WORDS.get(word) or to_stored(soa.FIELDS["status"], cell)


def _settle(values: Row, now: Row | None) -> None:
    """One justification column for both decisions: the text given where the other decision's
    text belongs, with that one left empty, is moved to where the decision needs it (an
    exclusion's justification, an inclusion's reason). A text that only stayed as exported is
    not moved."""
    now = now or {}
    decision = values.get("decision") or now.get("decision")
    wrong, right = {
        "excluded": ("reason_text", "justification"),
        "included": ("justification", "reason_text"),
    }.get(str(decision), ("", ""))
    if not wrong or not text_of(values.get(wrong)) or text_of(values.get(right)):
        return
    if canonical(values[wrong]) == canonical(now.get(wrong)):
        return
    values[right] = values.pop(wrong)


def _control_key(cell: object) -> str:
    return control_ref(cell) or text_of(cell)


def _with_status(columns: list[Column]) -> list[Column]:
    return [replace(c, from_cell=_status) if c.key == "status" else c for c in columns]


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
        # read for a new control beyond Annex A; Annex A titles come from the catalog
        Column(
            "title",
            "Title",
            width=36,
            synonyms=("control title", "control name", "control"),
            from_cell=text_of,
        ),
        Column("summary", "What the control is about", width=44),  # guidance, read-only
        *_with_status(
            spec_columns(
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
                    "reason_text": (
                        "reason for inclusion",
                        "justification for inclusion",
                        "rationale",
                        # one column for both decisions: settled by the decision (_settle)
                        "justification",
                        "reason",
                        "reason for inclusion/exclusion",
                        "justification for inclusion/exclusion",
                        "reason for inclusion or exclusion",
                        "justification for inclusion or exclusion",
                        "inclusion/exclusion reason",
                        "reason for selection",
                        "justification for selection",
                    ),
                    "justification": (
                        "justification for exclusion",
                        "exclusion reason",
                        "reason for exclusion",
                    ),
                    "status": ("implementation status", "implemented", "implementation", "status"),
                    "owner": ("control owner", "responsible"),
                    "target_date": ("due date", "target", "deadline"),
                    "evidence": ("evidence", "evidence reference", "documents", "references"),
                },
            )
        ),
        # last, so the columns of workbooks exported before it stay where they were
        Column(
            "source",
            "Source (beyond Annex A)",
            width=24,
            from_cell=text_of,
            synonyms=("source", "origin", "framework", "standard", "control source"),
        ),
    ),  # fmt: skip
    load=_load_soa,
    save=_save_soa,
    set_deleted=additional.set_deleted,  # takes back a control beyond Annex A an import added
    extras="implementation",  # never evidence: unread columns would pass SOA-05
    settle=_settle,
)
