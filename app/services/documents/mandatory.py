"""The standard's mandatory documented information as a checklist the consultant answers: for
each entry, the documents of the register that satisfy it, linked by hand. Nothing is guessed
from free text. A few register facts are the documented information itself (an issued SoA,
approved risk criteria, impact assessments on record) and count, saying which; an entry whose
every Annex A control the SoA excludes is not required."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    Document,
    ImpactAssessment,
    RequiredDocument,
    SoaEntry,
    SoaVersion,
)
from app.services import words
from app.services.catalog.content import DocumentedInformation, clause_refs
from app.services.documents.register import STATUSES
from app.services.engagement import approvals, history
from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.gaps import GapRule
from app.services.registers.service import split_ids
from app.services.risks import service as risks

MISSING = GapRule(
    "DOC-05", "Mandatory documented information with no document linked", "7.5.1", "major",
    todo="Write or find the document and link it to the entry (Documents tab, Required by "
    "the standard).",
)  # fmt: skip
ENTITY = "required_document"


@dataclass(frozen=True)
class LinkedDocument:
    id: str
    title: str
    status: str


@dataclass(frozen=True)
class RequiredEntry:
    info: DocumentedInformation
    documents: tuple[LinkedDocument, ...]  # linked by the consultant, live ones only
    facts: tuple[str, ...]  # register facts that are this documented information
    excluded: tuple[str, ...]  # its Annex A controls, when the SoA excludes every one
    note: str

    @property
    def in_force(self) -> tuple[LinkedDocument, ...]:
        """The linked documents that are approved (a draft is not yet the documented
        information; a superseded or withdrawn one no longer is)."""
        return tuple(d for d in self.documents if d.status == "approved")

    @property
    def state(self) -> str:
        if self.excluded:
            return "not_required"
        if self.in_force or self.facts:
            return "satisfied"
        return "draft_only" if any(d.status == "draft" for d in self.documents) else "missing"

    @property
    def state_text(self) -> str:
        if self.excluded:
            return f"Not required: control excluded ({', '.join(self.excluded)})"
        found = [
            f"{d.id} {d.title}" + ("" if d.status == "approved" else f" ({STATUSES[d.status]})")
            for d in self.documents
        ] + list(self.facts)
        if not found:
            return "Missing: no document linked"
        return ("Only a draft: " if self.state == "draft_only" else "") + "; ".join(found)


def _facts(ef: EngagementFile) -> dict[str, str]:
    """Entry ID -> the register fact that is that documented information, where there is one."""
    found: dict[str, str] = {}
    version = risks.criteria_version(ef)
    approval = approvals.get(ef, "risk_criteria")
    if approval is not None and approval.holds_for(version):
        found["DI-04"] = f"Risk criteria version {version}, approved by {approval.text()}"
    with ef.reading() as session:
        issued = session.scalar(select(func.max(SoaVersion.number)))
        if issued:
            found["DI-07"] = f"Issued SoA, version {issued}"
        approved = session.scalar(
            select(func.count())
            .select_from(ImpactAssessment)
            .where(ImpactAssessment.deleted.is_(False), ImpactAssessment.approved_on.is_not(None))
        )
        if approved:
            found["DI-17"] = f"{words.count(approved, 'approved impact assessment')} on record"
    return found


def _excluded_controls(refs: set[str], excluded: set[str]) -> tuple[str, ...]:
    """The entry's Annex A controls if the SoA excludes all of them, else nothing."""
    controls = sorted(r for r in refs if r.startswith("A."))
    if controls and len(controls) == len(refs) and set(controls) <= excluded:
        return tuple(controls)
    return ()


def list_entries(ef: EngagementFile) -> list[RequiredEntry]:
    facts = _facts(ef)
    with ef.reading() as session:
        links = {r.entry: r for r in session.scalars(select(RequiredDocument))}
        excluded = set(
            session.scalars(select(SoaEntry.control_id).where(SoaEntry.decision == "excluded"))
        )
        wanted = {i for link in links.values() for i in split_ids(link.documents)}
        docs, newer = _linked_documents(session, wanted)
    entries = []
    for info in ef.catalog.documented_information:
        link = links.get(info.id)
        named = split_ids(link.documents if link else "")
        linked = list(dict.fromkeys(docs[_newest(i, newer)] for i in named if i in docs))
        entries.append(
            RequiredEntry(
                info,
                tuple(linked),
                (facts[info.id],) if info.id in facts else (),
                _excluded_controls(clause_refs(info.clause), excluded),
                link.note if link else "",
            )
        )
    return entries


def _linked_documents(
    session: Session, named: set[str]
) -> tuple[dict[str, LinkedDocument], dict[str, str]]:
    """The live documents the links name and the approved versions superseding them, followed
    until none is newer: only what the entries show, not the whole register (the dashboard
    counts the entries on a register of thousands of documents). Returns the documents by ID
    and, for each superseded one, its newest approved successor's ID."""
    d = Document.__table__.c
    docs: dict[str, LinkedDocument] = {}
    newer: dict[str, str] = {}
    wanted: set[str] = set(named)
    while wanted:
        rows = session.execute(
            select(d.id, d.title, d.status).where(d.deleted.is_(False), d.id.in_(wanted))
        )
        docs.update({i: LinkedDocument(i, title, status) for i, title, status in rows})
        successors = session.execute(
            select(d.id, d.supersedes)
            .where(d.deleted.is_(False), d.status == "approved", d.supersedes.in_(wanted))
            .order_by(d.id)
        ).all()
        newer.update({old: i for i, old in successors})
        wanted = {str(i) for i, _old in successors} - docs.keys()
    return docs, newer


def _newest(doc_id: str, newer: Mapping[str, str]) -> str:
    """A linked document, or the newest approved version superseding it (a link made to
    version 1 is kept by version 2 once that is approved)."""
    seen = {doc_id}
    while doc_id in newer and newer[doc_id] not in seen:
        doc_id = newer[doc_id]
        seen.add(doc_id)
    return doc_id


def set_documents(ef: EngagementFile, entry_id: str, document_ids: Sequence[str]) -> str:
    """Link the documents that satisfy one entry (replacing the links it had); returns the
    old links, for undo."""
    known = {i.id for i in ef.catalog.documented_information}
    if entry_id not in known:
        raise FieldError("entry", f"There is no mandatory entry {entry_id}.")
    wanted = list(dict.fromkeys(i.strip() for i in document_ids if i.strip()))
    with ef.writing() as session:
        live = set(
            session.scalars(
                select(Document.id).where(Document.deleted.is_(False), Document.id.in_(wanted))
            )
        )
        missing = [i for i in wanted if i not in live]
        if missing:
            raise FieldError(
                "documents", f"There is no document {', '.join(missing)}; add it first."
            )
        row = session.get(RequiredDocument, entry_id)
        old = row.documents if row is not None else ""
        new = ", ".join(wanted)
        if row is None:
            session.add(RequiredDocument(entry=entry_id, documents=new, note=""))
        else:
            row.documents = new
        if old != new:
            history.record(session, ef.actor, ENTITY, entry_id, "documents", old, new)
    return old


def counts(entries: Sequence[RequiredEntry]) -> Mapping[str, int]:
    """A draft-only entry is missing too (not yet documented information), and counted apart."""
    states = [e.state for e in entries]
    return {
        "mandatory_total": len(entries),
        "mandatory_missing": states.count("missing") + states.count("draft_only"),
        "mandatory_draft_only": states.count("draft_only"),
        "mandatory_not_required": states.count("not_required"),
    }
