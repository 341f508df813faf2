"""The checklist in the pack: each clause's points with status, owner, due date and evidence."""

from __future__ import annotations

from reportlab.platypus import (
    Flowable,
)

from app.services import words
from app.services.clauses import requirements
from app.services.pack import charts as pack_charts
from app.services.pack import settings as pack_settings
from app.services.pack.blocks import (
    CUT_NOTE,
    Ctx,
    Spec,
    field_columns,
    field_values,
)
from app.services.pack.style import (
    Column,
)

# checklist


def checklist_section(c: Ctx) -> list[Flowable]:
    d = c.data
    out = [*c.h1(pack_settings.SECTIONS["checklist"])]
    if not d.points:
        return [*out, c.p("The checklist holds no points.", c.st.alert)]
    applicable = [p for p in d.points if p.applicable]
    excluded = len(d.points) - len(applicable)
    out.append(
        c.p(
            f"{words.count(len(d.points), 'point')}, "
            + ", ".join(
                f"{sum(1 for p in applicable if p.status == s)} {label.lower()}"
                for s, label in requirements.STATUS_LABELS.items()
            )
            + (f", {excluded} not applicable (excluded in the SoA)" if excluded else "")
            + ". A point under an Annex A control shows the status of the control's SoA line. "
            + CUT_NOTE
        )
    )
    fields = requirements.FIELDS
    spec: list[Spec] = [("status", 1.3), ("owner", 1.8), ("due_date", 1.1), ("evidence", 2.7)]
    columns = [Column("Point", 1.2), Column("Title", 2.3), *field_columns(fields, spec)]
    by_clause: dict[str, list[requirements.PointRow]] = {}
    for p in d.points:
        by_clause.setdefault(p.clause, []).append(p)
    for clause in sorted(by_clause, key=pack_charts.clause_order):
        out += c.h2(pack_charts.clause_title(d.catalog, clause))
        rows = ([p.id, p.title, p.status_label, *field_values(p, fields, spec[1:])]
                for p in by_clause[clause])  # fmt: skip
        out += c.table(columns, rows)
    return out
