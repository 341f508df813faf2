"""Each area of the engagement as a sheet: its columns, how to read its items as rows and how to
write a row back through the area's own service. Export, import and their tests share this one
description, so a new area joins the workbook by adding an entry to AREAS."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from app.services.clauses import requirements
from app.services.engagement.errors import FieldError
from app.services.engagement.fields import FieldSpec
from app.services.engagement.file import EngagementFile
from app.services.inventory import impact
from app.services.inventory import service as inventory
from app.services.risks import service as risks
from app.services.soa import service as soa
from app.services.workbook.cells import clause_parts, control_ref, text_of, to_stored

Row = dict[str, object]


@dataclass(frozen=True)
class Column:
    """One column: `spec` None means shown for reference and never imported."""

    key: str
    label: str
    spec: FieldSpec | None = None
    width: int = 18
    synonyms: tuple[str, ...] = ()
    to_cell: Callable[[object], object] | None = None
    from_cell: Callable[[object], object] | None = None

    @property
    def editable(self) -> bool:
        return self.spec is not None

    def cell(self, stored: object) -> object:
        """The stored value as the sheet shows it."""
        if self.to_cell is not None:
            return self.to_cell(stored)
        if self.spec is None or stored is None:
            return stored
        if self.spec.kind in ("choice", "bool"):
            return self.spec.label_of(stored)
        return stored

    def stored(self, cell: object) -> object:
        """A cell as the field stores it, or FieldError."""
        if self.from_cell is not None:
            return self.from_cell(cell)
        assert self.spec is not None
        return to_stored(self.spec, cell)

    @property
    def choices(self) -> list[str]:
        """Labels offered in the sheet's drop-down list."""
        if self.spec is None or self.to_cell is not None:
            return []
        if self.spec.kind == "bool":
            return ["Yes", "No"]
        if self.spec.kind == "choice":
            return list(self.spec.choices.values())
        return []


@dataclass(frozen=True)
class Child:
    """Items listed under a parent on a sheet of their own (impacts, treatment actions): the
    parent's row holds them as a tuple of rows under `field`."""

    field: str
    sheet: str
    noun: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Area:
    kind: str
    entity: str  # as the change history names it
    sheet: str
    noun: str
    columns: tuple[Column, ...]  # the first is the ID
    load: Callable[[EngagementFile], dict[str, Row]]
    # (engagement, ID or None for a new item, the whole row, the row before or None) -> ID
    save: Callable[[EngagementFile, str | None, Row, Row | None], str]
    # (engagement, ID, deleted): takes back an add and puts it back; None: rows cannot be added
    set_deleted: Callable[[EngagementFile, str, bool], None] | None
    extras: str  # the long-text field that keeps a foreign workbook's unmapped columns
    children: tuple[Child, ...] = ()
    # a foreign row without a known ID: (engagement, row, current items by ID) -> item ID
    match: Callable[[EngagementFile, Row, dict[str, Row]], str | None] | None = None
    # (name field, long field): a new item from a foreign sheet without a name takes the
    # first sentence of the long field
    name_from: tuple[str, str] | None = None
    matched_by: str = ""  # what `match` compares, as the preview says it

    @property
    def name_field(self) -> str:
        """The field that names an item for a person."""
        keys = [c.key for c in self.columns]
        return next((k for k in ("name", "title", "system_id") if k in keys), self.key.key)

    @property
    def key(self) -> Column:
        return self.columns[0]

    def field_labels(self) -> dict[str, str]:
        labels = {c.key: c.label for c in self.columns}
        labels.update({child.field: child.noun for child in self.children})
        return labels


def _spec_columns(
    fields: Mapping[str, FieldSpec], synonyms: Mapping[str, Sequence[str]]
) -> list[Column]:
    return [
        Column(
            name, spec.label, spec, 44 if spec.kind == "long" else 18, tuple(synonyms.get(name, ()))
        )
        for name, spec in fields.items()
        if name != "id"
    ]


def _changed(before: Row | None, row: Row, names: Sequence[str]) -> dict[str, object]:
    return {n: row[n] for n in names if n in row and (before is None or before.get(n) != row[n])}


def canonical(value: object) -> str:
    """One text per stored value, for fingerprints and comparisons."""
    if isinstance(value, tuple | list):
        return json.dumps(
            [
                canonical(v) if not isinstance(v, dict) else {k: canonical(x) for k, x in v.items()}
                for v in value
            ],
            ensure_ascii=False,
        )
    return text_of(value) if not isinstance(value, bool) else ("yes" if value else "no")


# checklist


def _load_points(ef: EngagementFile) -> dict[str, Row]:
    guidance = {p.id: p for p in ef.catalog.points}
    return {
        p.id: {"id": p.id, "clause": p.clause, "ref": p.ref, "title": p.title,
               "question": guidance[p.id].question if p.id in guidance else "",
               "typical_evidence": guidance[p.id].evidence if p.id in guidance else "",
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
    for name, value in _changed(before, row, list(requirements.FIELDS)).items():
        requirements.set_values(ef, name, {point_id: value})
    return point_id


def _match_point(ef: EngagementFile, row: Row, _items: dict[str, Row]) -> str | None:
    """A client's row by clause number (4.1, Clause 4.1, 6.1.2 a) in the Ref or the Clause
    column) or by clause title (British or American spelling): the first checklist point of
    that clause."""
    clauses = {c.id for c in ef.catalog.clauses}
    numbers = [clause_parts(row.get(name)) for name in ("ref", "clause")]
    ref = next((n[0] for n in numbers if n is not None and n[0] in clauses), None)
    text = text_of(row.get("ref")).removeprefix("Clause").strip()
    if ref is None:
        wanted = _loose(text)
        ref = next((c.id for c in ef.catalog.clauses if wanted and _loose(c.title) in wanted), None)
    return next((p.id for p in ef.catalog.points if p.ref == ref), None)


def _loose(text: str) -> str:
    return " ".join(text.lower().replace("organis", "organiz").split())


REQUIREMENTS = Area(
    kind="requirements",
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
        # guidance for the client, read-only: never imported
        Column("question", "Question to ask", width=44),
        Column("typical_evidence", "Typical evidence", width=40),
        *_spec_columns(
            requirements.FIELDS,
            {
                "status": ("implementation status", "state", "progress"),
                "owner": ("responsible", "accountable", "assigned to"),
                "due_date": ("due", "target date", "deadline", "next review date", "review date"),
                "evidence": ("evidence to request", "evidence reference", "artefact", "artifact"),
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


# inventory


def _load_systems(ef: EngagementFile) -> dict[str, Row]:
    names = list(inventory.FIELDS)
    return {s.id: {n: getattr(s, n) for n in names} for s in inventory.list_systems(ef)}


def _save_system(ef: EngagementFile, system_id: str | None, row: Row, before: Row | None) -> str:
    if before is None:
        return inventory.create_system(ef, {k: v for k, v in row.items() if k in inventory.FIELDS})
    assert system_id is not None
    inventory.update_system(ef, system_id, _changed(before, row, inventory.EDITABLE))
    return system_id


def _same(field: str) -> Callable[[EngagementFile, Row, dict[str, Row]], str | None]:
    """A matcher: the item whose `field` reads the same (case and spacing aside)."""

    def match(_ef: EngagementFile, row: Row, items: dict[str, Row]) -> str | None:
        wanted = " ".join(text_of(row.get(field)).lower().split())
        if not wanted:
            return None
        return next(
            (
                i
                for i, s in items.items()
                if " ".join(text_of(s.get(field)).lower().split()) == wanted
            ),
            None,
        )

    return match


_match_system = _same("name")


INVENTORY = Area(
    kind="inventory",
    entity=inventory.ENTITY,
    sheet="AI systems",
    noun="AI system",
    columns=(
        Column("id", "ID", width=12, synonyms=("system id", "ai system id", "asset id")),
        *_spec_columns(
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
    matched_by="name",
)


# impact assessments

_IMPACT_COLUMNS = tuple(_spec_columns(impact.IMPACT_FIELDS, {}))


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


def _match_assessment(_ef: EngagementFile, row: Row, items: dict[str, Row]) -> str | None:
    system, day = text_of(row.get("system_id")), row.get("assessed_on")
    if not system or day is None:
        return None
    return next(
        (
            i
            for i, a in items.items()
            if a.get("system_id") == system and a.get("assessed_on") == day
        ),
        None,
    )


ASSESSMENTS = Area(
    kind="impact_assessments",
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
        *_spec_columns(impact.FIELDS, {"assessed_on": ("assessment date", "date assessed")}),
    ),  # fmt: skip
    load=_load_assessments,
    save=_save_assessment,
    set_deleted=impact.set_deleted,
    extras="result",
    children=(Child("impacts", "Impacts", "Impacts", _IMPACT_COLUMNS),),
    match=_match_assessment,
    matched_by="AI system and date",
)


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
    for column in _spec_columns(risks.FIELDS, {
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


def _save_risk(ef: EngagementFile, item_id: str | None, row: Row, before: Row | None) -> str:
    values = {k: row.get(k) for k in risks.FIELDS}
    systems = tuple(str(s) for s in row.get("systems") or ())  # type: ignore[attr-defined]
    controls = [risks.ControlChoice(**c) for c in row.get("controls") or ()]  # type: ignore[attr-defined]
    actions = [risks.Action(**a) for a in row.get("actions") or ()]  # type: ignore[attr-defined]
    new_id, _ = risks.save_risk(
        ef, item_id if before else None, values, systems, controls, actions,
        wanted_id=None if before else item_id,
    )  # fmt: skip
    return new_id


RISKS = Area(
    kind="risks",
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
    extras="description",
    children=(Child("actions", "Treatment actions", "Treatment actions", _ACTION_COLUMNS),),
    name_from=("title", "description"),
    match=_same("title"),
    matched_by="title",
)


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
    for name, value in _changed(before, row, list(soa.FIELDS)).items():
        soa.set_values(ef, name, {control_id: value})
    return control_id


def _control_key(cell: object) -> str:
    return control_ref(cell) or text_of(cell)


SOA = Area(
    kind="soa",
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
        *_spec_columns(
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

AREAS: tuple[Area, ...] = (REQUIREMENTS, INVENTORY, ASSESSMENTS, RISKS, SOA)
AREA_BY_KIND = {area.kind: area for area in AREAS}
# Kinds the importer recognises that have no register in the engagement yet.
KINDS_WITHOUT_REGISTER = {
    "documents": (
        "document",
        "document title",
        "document id",
        "version",
        "approved by",
        "retention",
    ),
    "people": (
        "named individual",
        "role",
        "employee",
        "training",
        "competence",
        "reports to",
        "acknowledged",
    ),
}
