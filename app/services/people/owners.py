"""Owners become people: every field in every area that names a person by text (an owner, an
assessor, an approver, an acceptor, a verifier), matched to the People register.

A name matches a person ignoring case and spacing (app/services/people/names.py). Matching
rewrites the stored text to the person's own spelling; the history keeps what was typed before.
A name two people share is ambiguous: reported, never guessed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Table, bindparam, func, insert, select, true, update
from sqlalchemy.orm import Session

from app.models import (
    AISystem,
    Approval,
    CompetenceVerification,
    ContextIssue,
    CorrectiveAction,
    Document,
    EngagementInfo,
    HistoryEntry,
    ImpactAssessment,
    Improvement,
    Measurement,
    Nonconformity,
    Objective,
    Obligation,
    Person,
    RequirementState,
    ReviewAction,
    Risk,
    RiskAction,
    SoaEntry,
    SoaVersion,
)
from app.services import words
from app.services.engagement import history, ids
from app.services.engagement.errors import FieldError
from app.services.engagement.file import EngagementFile
from app.services.people.names import Directory
from app.services.people.spelling import normalized
from app.services.progress import Progress

PERSON_ENTITY = "person"
PERSON_PREFIX = "PER"
PERSON_ID_WIDTH = 3
_BATCH = 5_000


@dataclass(frozen=True)
class OwnerField:
    """One field naming a person by text. `entity` and `key` say how the history names the
    item (a risk action is part of its risk: its changes are the risk's, `history_field`)."""

    model: type[Any]
    column: str
    area: str  # as the window's tabs say it: "Risks"
    label: str  # as a person says the field: "risk owner"
    entity: str
    key: str = "id"
    history_field: str = ""  # the field's name in the history (default: the column)

    @property
    def table(self) -> Table:
        table: Table = self.model.__table__
        return table

    @property
    def recorded_as(self) -> str:
        return self.history_field or self.column

    def live(self) -> ColumnElement[bool]:
        """Which rows are items a consultant still sees (deleted and retired ones are not)."""
        c = self.table.c
        if "deleted" in c:
            return c.deleted.is_(False)
        if "retired" in c:
            return c.retired.is_(False)
        if self.model is RiskAction:
            live_risks = select(Risk.id).where(Risk.deleted.is_(False))
            return c.risk_id.in_(live_risks)
        return true()


def _f(model: type[Any], column: str, area: str, label: str, entity: str = "", **kw: str) -> Any:
    return OwnerField(model, column, area, label, entity or str(model.__tablename__), **kw)


# The one list of every owner-like field of every area.
FIELDS: tuple[OwnerField, ...] = (
    _f(RequirementState, "owner", "Clauses", "point owner"),
    _f(ContextIssue, "owner", "Context", "issue owner"),
    _f(Obligation, "owner", "Context", "obligation owner"),
    _f(AISystem, "business_owner", "Inventory", "business owner"),
    _f(ImpactAssessment, "assessor", "Inventory", "impact assessor"),
    _f(ImpactAssessment, "approved_by", "Inventory", "impact assessment approver"),
    _f(Risk, "owner", "Risks", "risk owner"),
    _f(Risk, "accepted_by", "Risks", "residual risk acceptor"),
    _f(
        RiskAction,
        "owner",
        "Risks",
        "action owner",
        "risk",
        key="risk_id",
        history_field="action owner",
    ),  # fmt: skip
    _f(Approval, "approved_by", "Risks", "approver", key="subject"),
    _f(SoaEntry, "owner", "SoA", "control owner", "soa", key="control_id"),
    _f(SoaVersion, "approved_by", "SoA", "SoA version approver", key="number"),
    _f(Document, "author", "Documents", "document author"),
    _f(Document, "owner", "Documents", "document owner"),
    _f(Document, "approved_by", "Documents", "document approver"),
    _f(EngagementInfo, "doc_approver", "Engagement", "pack approver", "engagement"),
    _f(CompetenceVerification, "verified_by", "People", "verifier"),
    _f(Objective, "owner", "Evaluation", "objective owner"),
    _f(Measurement, "measured_by", "Evaluation", "measured by"),
    _f(Nonconformity, "owner", "Evaluation", "nonconformity owner"),
    _f(Nonconformity, "effectiveness_by", "Evaluation", "effectiveness reviewer"),
    _f(CorrectiveAction, "owner", "Evaluation", "corrective action owner"),
    _f(Improvement, "owner", "Evaluation", "improvement owner"),
    _f(ReviewAction, "owner", "Evaluation", "review action owner"),
)


# Field names that name a person wherever a form shows them.
PERSON_FIELD_NAMES = frozenset(f.column for f in FIELDS)


def field_of(model: type[Any], column: str) -> OwnerField | None:
    """The owner field of a model's column (None: that column names no person)."""
    return next((f for f in FIELDS if f.model is model and f.column == column), None)


@dataclass(frozen=True)
class Named:
    """A name as the items spell it, and how many items name it."""

    name: str
    items: int
    candidates: tuple[str, ...] = ()  # for an ambiguous name: the people it may be (IDs)


@dataclass
class MatchReport:
    """What re-matching owners found and did."""

    matched: list[Named] = field(default_factory=list)  # people named, by their own spelling
    respelled: int = 0  # items whose text was rewritten to the person's spelling
    unknown: list[Named] = field(default_factory=list)  # names that are no person yet
    ambiguous: list[Named] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # people added (their IDs), with add_new
    items: int = 0  # items naming someone, walked

    def summary(self) -> str:
        lines = [
            f"{words.count(self.items, 'item')} name someone: "
            f"{words.count(len(self.matched), 'person', 'people')} matched, "
            f"{words.count(self.respelled, 'item')} respelled as the person spells it."
        ]
        if self.added:
            lines.append(f"Added {words.count(len(self.added), 'person', 'people')} to People.")
        if self.unknown:
            lines.append(
                f"{words.count(len(self.unknown), 'name')} {_are(len(self.unknown))} no person "
                "yet: "
                + ", ".join(
                    f"{n.name} ({words.count(n.items, 'item')})" for n in self.unknown[:20]
                )  # fmt: skip
                + (", …" if len(self.unknown) > 20 else "")
            )
        if self.ambiguous:
            lines.append(
                f"{words.count(len(self.ambiguous), 'name')} {_are(len(self.ambiguous))} "
                "shared by several people, left as typed: "
                + ", ".join(
                    f"{n.name} ({words.count(n.items, 'item')}; {', '.join(n.candidates)})"
                    for n in self.ambiguous[:20]
                )
            )
        return "\n".join(lines)


def _are(n: int) -> str:
    return "is" if n == 1 else "are"


def _values(session: Session, f: OwnerField) -> dict[str, int]:
    """Each distinct text of a field among live items, with how many items carry it."""
    col = f.table.c[f.column]
    query = select(col, func.count()).where(f.live(), col != "").group_by(col)
    return {str(value): int(n) for value, n in session.execute(query) if str(value).strip()}


def _rewrite(
    session: Session, f: OwnerField, spelled: Mapping[str, str], actor: str, at: dt.datetime
) -> int:
    """Give every live item whose field holds a key of `spelled` the value it maps to, with
    history. One pass over the table, then updates by primary key (a name per person would
    otherwise scan the table once per person)."""
    spelled = {old: new for old, new in spelled.items() if old != new}
    if not spelled:
        return 0
    table = f.table
    row_key = next(iter(table.primary_key.columns))
    col, key = table.c[f.column], table.c[f.key]
    rows = session.execute(select(row_key, key, col).where(f.live(), col != "")).all()
    params, entries = [], []
    for pk, item, old in rows:
        new = spelled.get(old)
        if new is not None:
            params.append({"pk": pk, "value": new})
            entries.append(history.entry(actor, f.entity, str(item), f.recorded_as, old, new, at))
    if not params:
        return 0
    query = update(table).where(row_key == bindparam("pk")).values({f.column: bindparam("value")})
    connection = session.connection()
    for b in range(0, len(params), _BATCH):
        connection.execute(query, params[b : b + _BATCH])
        connection.execute(insert(HistoryEntry), entries[b : b + _BATCH])
    return len(params)


def add_people(session: Session, names: Iterable[str], actor: str) -> list[str]:
    """Add a person for each name (as spelled), with history; returns their IDs."""
    made = ids.FreeIds(session, Person, PERSON_PREFIX, PERSON_ID_WIDTH)
    at = history.now()
    rows, entries = [], []
    for name in names:
        pid = made.next()
        made.take(pid)
        rows.append(
            {
                "id": pid,
                "name": name,
                "job_title": "",
                "department": "",
                "email": "",
                "kind": "internal",
                "status": "active",
                "left_on": None,
                "notes": "",
                "deleted": False,
                "created_at": at,
            }  # fmt: skip
        )
        entries.append(history.entry(actor, PERSON_ENTITY, pid, "created", None, name, at))
    if rows:
        session.execute(insert(Person), rows)
        session.execute(insert(HistoryEntry), entries)
    return [str(r["id"]) for r in rows]


def match_owners(
    ef: EngagementFile, add_new: bool = False
) -> Generator[Progress, None, MatchReport]:
    """Walk every owner field of every area: a name naming one person is rewritten to the
    person's spelling; names that are no person yet are reported (and added as people with
    `add_new`), names shared by several people are reported and left as typed. One
    transaction: cancelled (the generator closed) before the end, nothing changes."""
    report = MatchReport()
    with ef.writing() as session:
        directory = Directory(session)
        at = history.now()
        total = len(FIELDS) * 2
        yield 0, total, "Reading owners…"
        found: list[dict[str, int]] = []
        for n, f in enumerate(FIELDS, start=1):
            found.append(_values(session, f))
            yield n, total, f"Reading {f.label}s…"
        by_key: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for values in found:
            for value, count in values.items():
                by_key[directory.key_of(value)][value] += count
                report.items += count
        unknown = {k: v for k, v in by_key.items() if not directory.by_name.get(k)}
        if add_new and unknown:
            # the spelling most items use (first seen on a tie) names the new person
            most = [max(v.items(), key=lambda kv: kv[1])[0] for v in unknown.values()]
            report.added = add_people(session, [" ".join(s.split()) for s in most], ef.actor)
            directory = Directory(session)  # (a name of a role in brackets stays as typed)
        matched: dict[str, int] = defaultdict(int)
        for key, spellings in by_key.items():
            candidates = directory.by_name.get(key, [])
            count = sum(spellings.values())
            shown = max(spellings.items(), key=lambda kv: kv[1])[0]
            if len(candidates) == 1:
                matched[directory.names[candidates[0]]] += count
            elif candidates:
                report.ambiguous.append(Named(shown, count, tuple(candidates)))
            else:
                report.unknown.append(Named(shown, count))
        for n, (f, values) in enumerate(zip(FIELDS, found, strict=True), start=len(FIELDS) + 1):
            spelled: dict[str, str] = {}
            for value in values:
                candidates = directory.by_name.get(directory.key_of(value), [])
                if len(candidates) == 1 and directory.names[candidates[0]] != value:
                    spelled[value] = directory.names[candidates[0]]
            report.respelled += _rewrite(session, f, spelled, ef.actor, at)
            yield n, total, f"Matching {f.label}s…"
        report.matched = sorted((Named(k, v) for k, v in matched.items()), key=_by_name)
        report.unknown.sort(key=_by_name)
        report.ambiguous.sort(key=_by_name)
    return report


def _by_name(n: Named) -> str:
    return normalized(n.name)


@dataclass(frozen=True)
class Spelling:
    """How a typed name is saved: the person's spelling when it names one person (`person`
    their ID), else as typed with its spacing tidied; `candidates` when several share it."""

    text: str
    person: str = ""
    candidates: tuple[str, ...] = ()
    people: int = 0  # how many people the engagement has

    @property
    def new(self) -> bool:
        return bool(self.text) and not self.candidates


def spelling(ef: EngagementFile, name: str) -> Spelling:
    text = " ".join(str(name or "").split())
    if not text:
        return Spelling("")
    with ef.reading() as session:
        directory = Directory(session)
    found, people = tuple(directory.by_name.get(directory.key_of(text), ())), len(directory.names)
    if len(found) == 1:
        return Spelling(directory.names[found[0]], found[0], found, people)
    return Spelling(text, "", found, people)


class NameMatcher:
    """Owner names of many rows (an import) matched to people, each distinct text once: a
    name of one person takes the person's spelling; a new name takes the spelling it was first
    seen with, so two spellings of one newcomer make one person; a name several people share
    stays as typed."""

    PERSON, NEW, AMBIGUOUS = "person", "new", "ambiguous"

    def __init__(self, session: Session) -> None:
        self.directory = Directory(session)
        self._seen: dict[str, tuple[str, str]] = {}
        self._new: dict[str, str] = {}  # normalized -> the spelling first seen

    def spelled(self, value: str) -> tuple[str, str]:
        """(the text to store, PERSON, NEW or AMBIGUOUS)."""
        found = self._seen.get(value)
        if found is None:
            key = self.directory.key_of(value)
            ids = self.directory.by_name.get(key, ())
            tidy = " ".join(value.split())
            if len(ids) == 1:
                found = (self.directory.names[ids[0]], self.PERSON)
            elif ids:
                found = (tidy, self.AMBIGUOUS)
            else:
                found = (self._new.setdefault(key, tidy), self.NEW)
            self._seen[value] = found
        return found

    def candidates(self, value: str) -> tuple[str, ...]:
        return tuple(self.directory.by_name.get(self.directory.key_of(value), ()))


def rename_references(
    session: Session, old: str, new: str, actor: str, at: dt.datetime | None = None
) -> dict[str, int]:
    """A person renamed: every owner field naming them by the old name (any case or
    spacing) takes the new one, with history. Returns the items changed per area. Call it in
    the transaction that renames the person."""
    key, new = normalized(old), " ".join(new.split())
    if not key or not new or normalized(new) == key and new == old:
        return {}
    moment = at or history.now()
    changed: dict[str, int] = defaultdict(int)
    directory = Directory(session)
    directory.by_name.setdefault(key, [])  # the old name, as "Name (role)" finds it
    for f in FIELDS:
        spelled = {v: new for v in _values(session, f) if directory.key_of(v) == key}
        count = _rewrite(session, f, spelled, actor, moment)
        if count:
            changed[f.area] += count
    return dict(changed)


def follow_rename(
    session: Session, item_id: str, old: object, new: object, actor: str
) -> dict[str, int]:
    """A person renamed (and no other person goes by the old name): every owner field naming
    them follows. Returns the items changed per area."""
    if old == new:
        return {}
    others = [pid for pid in Directory(session).by_name.get(normalized(old), ()) if pid != item_id]
    if others:  # the old name still names someone: which items were whose cannot be told
        return {}
    return rename_references(session, str(old), str(new), actor)


def owned_by_item(ef: EngagementFile, model: type[Any], item_id: str) -> dict[str, int]:
    """What a person (any other item: nothing) owns by name, per area, as deleting them would
    leave it: items naming them in an owner, assessor, approver or acceptor field."""
    if model is not Person:
        return {}
    with ef.reading() as session:
        person = session.get(Person, item_id)
        if person is None:
            return {}
        others = [
            p for p in Directory(session).by_name.get(normalized(person.name), ()) if p != item_id
        ]
        return {} if others else owned_by(session, person.name)


def owned_by(session: Session, name: str) -> dict[str, int]:
    """How many live items each area has whose owner-like fields name `name` (any case or
    spacing): what deleting the person would leave naming nobody."""
    key = normalized(name)
    counts: dict[str, int] = defaultdict(int)
    if not key:
        return {}
    directory = Directory(session)
    directory.by_name.setdefault(key, [])
    for f in FIELDS:
        for value, n in _values(session, f).items():
            if directory.key_of(value) == key:
                counts[f.area] += n
    return dict(counts)


def owned_text(counts: Mapping[str, int]) -> str:
    """ "12 items in Risks, 3 items in Inventory" (largest first)."""
    parts = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{words.count(n, 'item')} in {area}" for area, n in parts)


def names(ef: EngagementFile) -> list[str]:
    """Every live person's name, sorted as a person reads them (for completers and filters)."""
    with ef.reading() as session:
        rows = session.scalars(select(Person.name).where(Person.deleted.is_(False)))
        return sorted({str(n) for n in rows}, key=normalized)


def check_person_name(name: str) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise FieldError("name", "A person needs a name.")
    return name


def add_person(ef: EngagementFile, name: str) -> str:
    """Add one person by name (a new owner typed in a form); returns their ID."""
    name = check_person_name(name)
    with ef.writing() as session:
        found = Directory(session).match(name)
        if found.candidates:
            raise FieldError(
                "name", f"{name} is already in People ({', '.join(found.candidates)})."
            )
        return add_people(session, [name], ef.actor)[0]
