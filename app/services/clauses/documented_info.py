"""The index of mandatory documented information: for each entry of the catalog's list, what in
the engagement satisfies it today, or nothing.

Honest by design: an entry counts as satisfied only by something the engagement holds (a
register with rows, an issued SoA, a filled scope statement) or by a checklist point of the
same clause whose evidence field names a document. Areas AIMS Prep does not keep yet say so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.services import words
from app.services.catalog.content import DocumentedInformation, clause_refs
from app.services.pack.data import PackData
from app.services.risks.criteria import DEFAULT

DEFAULT_CRITERIA = " (the app's default scales, not yet adapted to the client)"


def plain(detail: str) -> str:
    """A source's detail without remarks about AIMS Prep itself (for the auditors)."""
    return detail.removesuffix(DEFAULT_CRITERIA)


@dataclass(frozen=True)
class Source:
    item: str  # what satisfies it: a register, a version, a checklist point
    detail: str  # the figures or the evidence named


@dataclass(frozen=True)
class Entry:
    info: DocumentedInformation
    sources: tuple[Source, ...]
    note: str  # where AIMS Prep keeps no register for it yet
    # why it is not required: the SoA excludes every Annex A control it is about
    not_required: str = ""

    @property
    def missing(self) -> bool:
        return not self.sources and not self.not_required

    @property
    def state(self) -> str:
        """As the readiness report's status column says it."""
        return "Not required" if self.not_required else "Missing" if self.missing else "Found"


def _not_required(refs: set[str], excluded: set[str]) -> str:
    """An Annex A control's documentation is required only while the SoA includes it."""
    if refs and all(r.startswith("A.") for r in refs) and refs <= excluded:
        return f"Not required: the SoA excludes {', '.join(sorted(refs))}."
    return ""


def _scope(d: PackData) -> Source | None:
    text = d.details.scope_statement.strip()
    if not text:
        return None
    return Source("Scope statement (engagement details)", words.count(len(text.split()), "word"))


def _risk_register(d: PackData) -> Source | None:
    risk_count = sum(1 for r in d.risks if r.kind == "risk")
    if not d.risks:
        return None
    return Source(
        "Risk register",
        f"{words.count(risk_count, 'risk')} and "
        f"{words.count(len(d.risks) - risk_count, 'opportunity', 'opportunities')}",
    )


def _criteria(d: PackData) -> Source | None:
    c = d.criteria
    figures = (
        f"{len(c.likelihood)} likelihood x {len(c.impact)} impact levels, "
        f"acceptance threshold {c.threshold}"
    )
    if c == DEFAULT:
        if not d.risk_findings.criteria_approved:  # never adapted nor approved: not documented
            return None
        figures += DEFAULT_CRITERIA
    return Source("Risk criteria", figures)


def _treatments(d: PackData) -> Source | None:
    treated = sum(1 for r in d.risks if r.treatment)
    if not treated:
        return None
    return Source(
        "Risk register: treatments decided", f"{words.count(treated, 'risk')} with a treatment"
    )


def _plan(d: PackData) -> Source | None:
    if not d.plan:
        return None
    accepted = sum(1 for r in d.risks if r.accepted_by)
    return Source(
        "Treatment plan",
        f"{words.count(len(d.plan), 'action')}; residual risk accepted on "
        f"{words.count(accepted, 'risk')}",
    )


def _soa(d: PackData) -> Source | None:
    issued = d.soa_issued
    if issued is None:
        return None
    return Source(
        f"Statement of Applicability, version {issued.number}",
        f"issued {issued.issued_on.isoformat()}, approved by {issued.approved_by}",
    )


def _assessments(d: PackData) -> Source | None:
    if not d.assessments:
        return None
    systems = len({a.system_id for a in d.assessments})
    return Source(
        "Impact assessments",
        f"{words.count(len(d.assessments), 'assessment')} of {words.count(systems, 'AI system')}",
    )


# What the engagement's own registers satisfy, by catalog entry.
_REGISTERS: dict[str, Callable[[PackData], Source | None]] = {
    "DI-01": _scope,
    "DI-03": _risk_register,
    "DI-04": _criteria,
    "DI-07": _soa,
    "DI-08": _plan,
    "DI-09": _assessments,
    "DI-15": _risk_register,
    "DI-16": _treatments,
    "DI-17": _assessments,
    "DI-25": _assessments,
}
# Entries that a future area of AIMS Prep will keep; until then only checklist evidence counts.
_NOT_KEPT_YET = {
    "DI-11": "AIMS Prep keeps no competence records yet: only checklist evidence counts here.",
    "DI-12": "AIMS Prep keeps no document register yet: only checklist evidence counts here.",
    "DI-13": "AIMS Prep keeps no document register yet: only checklist evidence counts here.",
}


def index(d: PackData) -> list[Entry]:
    by_ref: dict[str, list[Source]] = {}
    for p in d.points:
        if p.evidence.strip():
            by_ref.setdefault(p.ref, []).append(Source(f"{p.id} {p.title}", p.evidence.strip()))
    excluded = {line.control_id for line in d.soa_draft if line.decision == "excluded"}
    entries = []
    for info in d.catalog.documented_information:
        rule = _REGISTERS.get(info.id)
        found = rule(d) if rule else None
        sources = [found] if found else []
        refs = clause_refs(info.clause)
        for ref in sorted(refs):
            sources.extend(by_ref.get(ref, ()))
        note = _NOT_KEPT_YET.get(info.id, "")
        entries.append(Entry(info, tuple(sources), note, _not_required(refs, excluded)))
    return entries
