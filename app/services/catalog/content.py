"""The catalog of what ISO/IEC 42001 asks: clauses, checklist points, Annex A controls.

The bundled catalog is validated against its JSON Schema when loaded; a copy is stored in each
engagement file, and that copy is parsed strictly (a damaged copy raises CatalogError)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from app import paths
from app.services.catalog import reference
from app.services.engagement.errors import CatalogError

T = TypeVar("T")


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    parent: str | None
    assessable: bool
    summary: str
    iso27001_title: str | None
    iso27001_reuse: str


@dataclass(frozen=True)
class Point:
    """One checklist point: what to check at a clause or control, and how to ask about it."""

    id: str
    ref: str
    title: str
    requirement: str
    question: str
    evidence: str
    documented_information: bool
    common_gap: str | None
    article: str | None


@dataclass(frozen=True)
class ControlObjective:
    id: str
    title: str
    aim: str


@dataclass(frozen=True)
class Control:
    id: str
    objective: str
    group_title: str | None
    title: str
    summary: str
    evidence: str
    documentation: str


@dataclass(frozen=True)
class NamedRef:
    id: str
    name: str


@dataclass(frozen=True)
class DocumentedInformation:
    id: str
    clause: str
    what: str
    kind: str
    artefact: str
    stage1_priority: str | None


@dataclass(frozen=True)
class Catalog:
    version: str
    standard: str
    clauses: tuple[Clause, ...]
    points: tuple[Point, ...]
    objectives: tuple[ControlObjective, ...]
    controls: tuple[Control, ...]
    annex_c_objectives: tuple[NamedRef, ...]
    annex_c_risk_sources: tuple[NamedRef, ...]
    documented_information: tuple[DocumentedInformation, ...]
    raw: str = field(repr=False, compare=False)

    @cached_property
    def clause_by_id(self) -> dict[str, Clause]:
        return {c.id: c for c in self.clauses}

    @cached_property
    def control_by_id(self) -> dict[str, Control]:
        return {c.id: c for c in self.controls}

    @cached_property
    def point_by_id(self) -> dict[str, Point]:
        return {p.id: p for p in self.points}

    def ref_title(self, ref: str) -> str:
        """Title of a clause or control ID, as shown next to the ID."""
        if ref in self.clause_by_id:
            return self.clause_by_id[ref].title
        if ref in self.control_by_id:
            return self.control_by_id[ref].title
        return ""

    def top_title(self, key: str) -> str:
        """A clause (4..10) or an Annex A objective as a heading names it: 'Clause 6
        Planning', 'A.6 ...'."""
        if key.startswith("A."):
            found = {o.id: o.title for o in self.objectives}.get(key, "")
            return f"{key} {found}".strip()
        return f"Clause {key} {self.ref_title(key)}".strip()

    def top_clause(self, ref: str) -> str:
        """The clause 4..10 a point belongs to, or the Annex A objective ('A.6') for a control."""
        if ref.startswith("A."):
            return ".".join(ref.split(".")[:2])
        return ref.split(".")[0]


_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "bool": (bool,),
    "str | None": (str, type(None)),
}


def _build(cls: type[T], data: Any) -> T:
    """A catalog record, with every field of the type it should have (a stored catalog comes
    from a file that may be damaged or hostile)."""
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__} is not an object")
    for f in fields(cls):  # type: ignore[arg-type]
        if not isinstance(data.get(f.name), _TYPES[str(f.type)]):
            raise TypeError(f"{cls.__name__}.{f.name} has the wrong type")
    return cls(**data)


def _parse(text: str) -> Catalog:
    data = json.loads(text)
    return Catalog(
        version=str(data["catalog_version"]),
        standard=str(data["standard"]),
        clauses=tuple(_build(Clause, c) for c in data["clauses"]),
        points=tuple(_build(Point, p) for p in data["requirements"]),
        objectives=tuple(_build(ControlObjective, o) for o in data["control_objectives"]),
        controls=tuple(_build(Control, c) for c in data["controls"]),
        annex_c_objectives=tuple(_build(NamedRef, o) for o in data["annex_c"]["objectives"]),
        annex_c_risk_sources=tuple(_build(NamedRef, o) for o in data["annex_c"]["risk_sources"]),
        documented_information=tuple(
            _build(DocumentedInformation, d) for d in data["documented_information"]
        ),
        raw=text,
    )


def validate(data: Any) -> None:
    """Check a catalog document against data/catalog.schema.json."""
    import jsonschema  # imported here: only catalog loading needs it, not start-up

    schema = json.loads(paths.catalog_schema_path().read_text(encoding="utf-8"))
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "top level"
        raise CatalogError(f"The catalog is not valid at {where}: {exc.message}") from exc


def clause_refs(clause: str) -> set[str]:
    """'A.7.2-A.7.6' -> A.7.2 ... A.7.6; '7.5.2-7.5.3' and 'A.5.2 / A.5.3' likewise."""
    refs: set[str] = set()
    for part in clause.split("/"):
        part = part.strip()
        if "-" not in part:
            refs.add(part)
            continue
        first, last = (p.strip() for p in part.split("-", 1))
        prefix, low = first.rsplit(".", 1) if "." in first else ("", first)
        high = last.rsplit(".", 1)[-1]
        if low.isdigit() and high.isdigit():
            refs.update(f"{prefix}.{n}" for n in range(int(low), int(high) + 1))
        else:
            refs.update((first, last))
    return refs


def check_ids(cat: Catalog) -> None:
    """Refuse a catalog that names a clause or control ISO/IEC 42001 does not have, or gives two
    points one ID: every engagement's checklist and SoA hang on these IDs."""
    clauses, controls = reference.CLAUSE_IDS, reference.CONTROL_IDS
    named: list[tuple[str, str, frozenset[str]]] = []
    for i, c in enumerate(cat.clauses):
        named.append((f"clauses/{i}/id", c.id, clauses))
        if c.parent is not None:
            named.append((f"clauses/{i}/parent", c.parent, clauses))
    for i, p in enumerate(cat.points):
        named.append((f"requirements/{i} ({p.id})", p.ref, clauses | controls))
    for i, o in enumerate(cat.objectives):
        named.append((f"control_objectives/{i}/id", o.id, reference.OBJECTIVE_IDS))
    for i, k in enumerate(cat.controls):
        named.append((f"controls/{i}/id", k.id, controls))
        named.append((f"controls/{i}/objective", k.objective, reference.OBJECTIVE_IDS))
    for i, d in enumerate(cat.documented_information):
        for ref in sorted(clause_refs(d.clause)):
            named.append((f"documented_information/{i} ({d.id})", ref, clauses | controls))
    for where, ref, real in named:
        if ref not in real:
            kind = "control" if ref.startswith("A.") else "clause"
            raise CatalogError(
                f"The catalog is not valid at {where}: it names {kind} {ref}, which "
                "ISO/IEC 42001:2023 does not have."
            )
    seen: set[str] = set()
    for p in cat.points:
        if p.id in seen:
            raise CatalogError(f"The catalog gives two checklist points the ID {p.id}.")
        seen.add(p.id)


def load_file(path: Path) -> Catalog:
    """Load and validate a catalog file (the bundled one, or a newer one for an upgrade)."""
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except FileNotFoundError as exc:
        raise CatalogError(f"Catalog file not found: {path}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError(f"Catalog file {path} cannot be read as JSON: {exc}") from exc
    validate(data)
    cat = _parse(text)
    check_ids(cat)
    return cat


def load_bundled() -> Catalog:
    return load_file(paths.catalog_path())


def from_snapshot(text: str) -> Catalog:
    """Parse the catalog copy stored in an engagement file."""
    try:
        return _parse(text)
    except (ValueError, KeyError, TypeError) as exc:
        raise CatalogError(
            "The catalog stored in this engagement file is damaged; "
            "restore the file from a backup copy."
        ) from exc
