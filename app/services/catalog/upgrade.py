"""Moving an engagement to a newer catalog: always previewed, never silent, nothing lost.

Points the new catalog drops are retired (kept with the client's work), never deleted."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select

from app.models import CatalogSnapshot, RequirementState
from app.services.catalog.content import Catalog, Clause, Point
from app.services.engagement import history
from app.services.engagement.errors import CatalogError
from app.services.engagement.file import EngagementFile


@dataclass(frozen=True)
class Reworded:
    point_id: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class UpgradePreview:
    from_version: str
    to_version: str
    added: tuple[Point, ...]
    retired: tuple[Point, ...]
    retired_with_work: tuple[str, ...]
    reworded: tuple[Reworded, ...]
    # clauses whose title, ISO 27001 title or guidance changed (point_id holds the clause ID)
    clauses_changed: tuple[Reworded, ...] = ()

    @property
    def has_changes(self) -> bool:
        return self.from_version != self.to_version or bool(
            self.added or self.retired or self.reworded or self.clauses_changed
        )

    def as_text(self) -> str:
        lines = [f"Catalog {self.from_version} -> {self.to_version}"]
        lines += [f"  + {p.id} ({p.ref}) {p.title}" for p in self.added]
        for p in self.retired:
            kept = " (the client's work on it is kept)" if p.id in self.retired_with_work else ""
            lines.append(f"  - {p.id} ({p.ref}) {p.title}: retired{kept}")
        lines += [f"  ~ {r.point_id}: {_changed(r.fields)}" for r in self.reworded]
        lines += [f"  ~ clause {r.point_id}: {_changed(r.fields)}" for r in self.clauses_changed]
        if not self.has_changes:
            lines.append("  nothing changes")
        return "\n".join(lines)


# what a changed field is called in the preview
_FIELD_WORDS = {
    "documented_information": "whether documented information is mandatory",
    "common_gap": "common gap",
    "article": "article reference",
    "iso27001_title": "ISO 27001 title",
    "iso27001_reuse": "ISO 27001 reuse note",
}


def _changed(names: tuple[str, ...]) -> str:
    return ", ".join(_FIELD_WORDS.get(n, n) for n in names) + " changed"


def _diff(before: object, after: object, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(n for n in names if getattr(before, n) != getattr(after, n))


def _version_key(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return (0,)


def preview(ef: EngagementFile, new: Catalog) -> UpgradePreview:
    old = ef.catalog
    if _version_key(new.version) < _version_key(old.version):
        raise CatalogError(
            f"The catalog offered ({new.version}) is older than the one this engagement "
            f"uses ({old.version}); nothing to upgrade."
        )
    old_points, new_points = old.point_by_id, new.point_by_id
    retired = tuple(p for pid, p in old_points.items() if pid not in new_points)
    with ef.reading() as session:
        worked = {
            s.id
            for s in session.scalars(
                select(RequirementState).where(RequirementState.id.in_([p.id for p in retired]))
            )
            if s.status != "not_started" or s.owner or s.notes or s.evidence or s.due_date
        }
    point_fields = tuple(f.name for f in fields(Point))
    reworded = [
        Reworded(pid, _diff(old_points[pid], point, point_fields))
        for pid, point in new_points.items()
        if pid in old_points and old_points[pid] != point
    ]
    clause_fields = tuple(f.name for f in fields(Clause))
    clauses_changed = tuple(
        Reworded(cid, _diff(old.clause_by_id[cid], clause, clause_fields))
        for cid, clause in new.clause_by_id.items()
        if cid in old.clause_by_id and old.clause_by_id[cid] != clause
    )
    return UpgradePreview(
        from_version=old.version,
        to_version=new.version,
        added=tuple(p for pid, p in new_points.items() if pid not in old_points),
        retired=retired,
        retired_with_work=tuple(sorted(worked)),
        reworded=tuple(reworded),
        clauses_changed=clauses_changed,
    )


def apply(ef: EngagementFile, new: Catalog) -> UpgradePreview:
    """Apply in one transaction what `preview` shows."""
    plan = preview(ef, new)
    if not plan.has_changes:
        return plan
    with ef.writing() as session:
        now = history.now()
        session.add(CatalogSnapshot(version=new.version, content=new.raw, installed_at=now))
        for point in plan.added:
            existing = session.get(RequirementState, point.id)
            if existing is not None:  # a point retired earlier comes back with its work
                existing.retired = False
            else:
                session.add(RequirementState(id=point.id, status="not_started", retired=False))
            history.record(
                session, ef.actor, "requirement", point.id, "catalog", None, "added", now
            )
        for point in plan.retired:
            state = session.get(RequirementState, point.id)
            if state is not None:
                state.retired = True
            history.record(
                session, ef.actor, "requirement", point.id, "catalog", None, "retired", now
            )
        history.record(
            session,
            ef.actor,
            "engagement",
            "1",
            "catalog_version",
            plan.from_version,
            new.version,
            now,
        )
    ef.catalog = new
    return plan
