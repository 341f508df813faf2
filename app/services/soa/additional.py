"""Controls beyond Annex A (6.1.3 asks whether other controls are needed): one from ISO/IEC
27001, a sector code or the client's own policy, with an ID of its own, a title and where it
comes from. Risk treatments select them and the SoA decides on them like an Annex A control;
deleting one marks it deleted, so undo and the history keep working."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AdditionalControl
from app.services import words
from app.services.engagement import history, ids
from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.workbook.cells import control_ref

ENTITY = "soa"  # its history is the history of its SoA line
# what a control imported from a client's SoA says of its source when the sheet says nothing
IMPORTED_SOURCE = "The client's SoA workbook"


@dataclass(frozen=True)
class Additional:
    id: str
    title: str
    source: str
    deleted: bool = False


def list_additional(ef: EngagementFile, deleted: bool = False) -> list[Additional]:
    """The live additional controls (every one, deleted too, when `deleted`), by ID as a
    person counts."""
    query = select(AdditionalControl)
    if not deleted:
        query = query.where(AdditionalControl.deleted.is_(False))
    with ef.reading() as session:
        rows = [Additional(r.id, r.title, r.source, r.deleted) for r in session.scalars(query)]
    return sorted(rows, key=lambda r: words.natural(r.id))


def control_ids(ef: EngagementFile) -> set[str]:
    """Every control a risk treatment may select and the SoA lists: Annex A and the live
    additional ones."""
    return set(ef.catalog.control_by_id) | {a.id for a in list_additional(ef)}


def choices(ef: EngagementFile) -> dict[str, str]:
    """Control ID -> "ID title", Annex A first, for a form's list of controls."""
    found = {c.id: f"{c.id} {c.title}" for c in ef.catalog.controls}
    found.update({a.id: f"{a.id} {a.title} ({a.source})" for a in list_additional(ef)})
    return found


def _text(values: Mapping[str, object], name: str, label: str, limit: int) -> str:
    value = " ".join(str(values.get(name) or "").split())
    if not value:
        raise FieldError(name, f"Give the additional control a {label}.")
    if len(value) > limit:
        raise FieldError(name, f"The {label} is {len(value)} characters long; keep it to {limit}.")
    return value


def _check_id(ef: EngagementFile, wanted: object) -> str:
    control_id = str(wanted or "").strip()
    if not control_id:
        raise FieldError("id", "Give the additional control an ID, for example CP-01.")
    annex = control_ref(control_id)
    if control_id in ef.catalog.control_by_id or annex in ef.catalog.control_by_id:
        raise FieldError(
            "id",
            f"{annex or control_id} is an Annex A control; an additional control needs an ID "
            "of its own, for example 27001-A.5.15 or CP-01.",
        )
    if annex is not None:  # A.6.2.9: a slip in an Annex A reference, or another standard's
        raise FieldError(
            "id",
            f"{control_id} reads like an Annex A reference but is none; give a control beyond "
            "Annex A an ID that says where it comes from, for example 27001-A.5.15 or CP-01.",
        )
    if not ids.CLIENT_ID.match(control_id) or len(control_id) > 20:
        raise FieldError(
            "id",
            f"'{control_id}' is not a usable ID: up to 20 letters, digits, '.', '-' or '_'.",
        )
    return control_id


def add(ef: EngagementFile, values: Mapping[str, object]) -> str:
    """A new additional control from `id`, `title` and `source`; an ID deleted before comes
    back with the new title and source. Returns its ID."""
    control_id = _check_id(ef, values.get("id"))
    title = _text(values, "title", "title", 200)
    source = _text(values, "source", "source (where the control comes from)", 200)
    with ef.writing() as session:
        row = session.get(AdditionalControl, control_id)
        if row is not None and not row.deleted:
            raise FieldError(
                "id", f"There is already an additional control {control_id} ({row.title})."
            )
        query = select(AdditionalControl).where(
            func.lower(AdditionalControl.id) == control_id.lower(),
            AdditionalControl.id != control_id,
            AdditionalControl.deleted.is_(False),
        )
        twin = session.scalars(query).first()
        if twin is not None:  # CP-01 and cp-01 would read as one control to anybody
            raise FieldError(
                "id", f"There is already an additional control {twin.id} ({twin.title})."
            )
        if row is None:
            row = AdditionalControl(
                id=control_id, title=title, source=source, created_at=history.now()
            )
            session.add(row)
            history.record(session, ef.actor, ENTITY, control_id, "additional control", None, title)
        else:
            _write(session, ef.actor, row, {"title": title, "source": source})
            row.deleted = False
            history.record(session, ef.actor, ENTITY, control_id, "deleted", True, False)
    return control_id


def _write(session: Session, actor: str, row: AdditionalControl, new: Mapping[str, str]) -> None:
    for name, value in new.items():
        previous = getattr(row, name)
        if previous != value:
            setattr(row, name, value)
            history.record(session, actor, ENTITY, row.id, name, previous, value)


def update(ef: EngagementFile, control_id: str, values: Mapping[str, object]) -> dict[str, str]:
    """Change the title and source of an additional control (its ID stays: risks and the SoA
    name it); returns the old values, for undo."""
    title = _text(values, "title", "title", 200)
    source = _text(values, "source", "source (where the control comes from)", 200)
    with ef.writing() as session:
        row = session.get(AdditionalControl, control_id)
        if row is None or row.deleted:
            raise FieldError("id", f"There is no additional control {control_id}.")
        old = {"title": row.title, "source": row.source}
        _write(session, ef.actor, row, {"title": title, "source": source})
    return old


def set_deleted(ef: EngagementFile, control_id: str, deleted: bool) -> None:
    """Delete (or bring back) an additional control. Refused while a live risk's treatment
    selects it: the risk would name a control that is gone."""
    if deleted:
        # The risk models load here, not with the SoA: the checklist loads it on the first page.
        from app.models import Risk, RiskControl

        query = (
            select(Risk.id)
            .join(RiskControl, RiskControl.risk_id == Risk.id)
            .where(RiskControl.control_id == control_id, Risk.deleted.is_(False))
            .order_by(Risk.id)
        )
        with ef.reading() as session:
            selecting = list(session.scalars(query))
        if selecting:
            raise FieldError(
                "id",
                f"{control_id} is selected by the treatment of "
                f"{words.plural(len(selecting), 'risk')} {', '.join(selecting)}; take it out "
                "of the treatment first.",
            )
    ef.set_deleted(AdditionalControl, ENTITY, control_id, deleted, "additional control")
