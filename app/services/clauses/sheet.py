"""The checklist as a workbook sheet: a row per point, the catalog's guidance beside it."""

from __future__ import annotations

from app.services.clauses import requirements
from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.workbook.areas import (
    Area,
    Column,
    Matcher,
    Row,
    changed,
    spec_columns,
)
from app.services.workbook.cells import clause_parts, text_of

# checklist


def _load_points(ef: EngagementFile) -> dict[str, Row]:
    guidance = {p.id: p for p in ef.catalog.points}
    return {
        p.id: {"id": p.id, "clause": p.clause, "ref": p.ref, "title": p.title,
               "question": guidance[p.id].question if p.id in guidance else "",
               "typical_evidence": guidance[p.id].evidence if p.id in guidance else "",
               # clause points always apply; a point under an excluded control does not
               "applies": "" if p.applicable else requirements.NOT_APPLICABLE,
               **{name: getattr(p, name) for name in requirements.FIELDS}}
        for p in requirements.list_points(ef)
        if not p.retired
    }  # fmt: skip


def _save_point(ef: EngagementFile, point_id: str | None, row: Row, before: Row | None) -> str:
    if point_id is None or before is None:
        raise FieldError(
            "id",
            "The checklist comes from the catalog, so a row cannot be added. Put its text in "
            "the notes of the point it belongs to.",
        )
    for name, value in changed(before, row, list(requirements.FIELDS)).items():
        requirements.set_values(ef, name, {point_id: value})
    return point_id


def _match_point(ef: EngagementFile, _items: dict[str, Row]) -> Matcher:
    """A client's row by clause number (4.1, Clause 4.1, 6.1.2 a) in the Ref or the Clause
    column) or by clause title (British or American spelling): the first checklist point of
    that clause."""
    clauses = {c.id for c in ef.catalog.clauses}
    titles = [(c.id, _loose(c.title)) for c in ef.catalog.clauses]
    first_point: dict[str, str] = {}
    for point in ef.catalog.points:
        first_point.setdefault(point.ref, point.id)

    def match(row: Row) -> str | None:
        numbers = [clause_parts(row.get(name)) for name in ("ref", "clause")]
        ref = next((n[0] for n in numbers if n is not None and n[0] in clauses), None)
        text = text_of(row.get("ref")).removeprefix("Clause").strip()
        if ref is None:
            wanted = _loose(text)
            ref = next((i for i, title in titles if wanted and title in wanted), None)
        return first_point.get(ref) if ref is not None else None

    return match


def _loose(text: str) -> str:
    return " ".join(text.lower().replace("organis", "organiz").split())


REQUIREMENTS = Area(
    kind="requirements",
    signature=frozenset({"ref", "status", "due_date"}),
    entity=requirements.ENTITY,
    sheet="Checklist",
    noun="checklist point",
    columns=(
        Column("id", "ID", width=12, synonyms=("point id", "requirement id")),
        Column("clause", "Clause", width=8),
        Column(
            "ref",
            "Ref",
            width=8,
            synonyms=(
                "sub-clause",
                "subclause",
                "clause ref",
                "clause no",
                "section",
                "clause / control",
                "clause",
            ),
        ),
        Column("title", "Point", width=40, synonyms=("requirement", "clause title")),
        # guidance for the client, read-only: never imported (a client's own guidance
        # columns match them, so a clause register is recognised and its text kept as notes)
        Column(
            "question", "Question to ask", width=44, synonyms=("audit question",), guidance=True
        ),
        Column(
            "typical_evidence",
            "Typical evidence",
            width=40,
            synonyms=("evidence to request", "evidence required", "expected evidence"),
            guidance=True,
        ),
        Column("applies", "Applies", width=20, guidance=True),
        *spec_columns(
            requirements.FIELDS,
            {
                "status": ("implementation status", "state", "progress"),
                "owner": ("responsible", "accountable", "assigned to"),
                # a review date is not when work is due; evidence to request is not evidence
                "due_date": ("due", "target date", "deadline"),
                "evidence": ("evidence reference", "artefact", "artifact"),
                "notes": ("comments", "comment", "remarks", "observations"),
            },
        ),
    ),  # fmt: skip
    load=_load_points,
    save=_save_point,
    set_deleted=None,
    extras="notes",
    match=_match_point,
)
