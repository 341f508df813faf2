"""The client's own people records, read from the workbooks consultants are usually handed:
a role and accountability register (one row per role and named individual), a RACI matrix
(activities down, people across, R/A/C/I in the cells) and an AI policy acknowledgement log
(one row per person). A sheet is recognised by its headings, wherever it sits in the workbook
and whatever the file is called.

What each brings:
- role register: each named individual as a person, each role as an AIMS role with its
  responsibilities, and the person holding it from the effective date (a "Vacant" role is
  added with nobody holding it); the review date, appointment and reporting line go in the
  holding's notes. A role whose responsibilities say it reports performance to top
  management is marked as the one that does (5.3).
- RACI matrix: each person column as a person (the title in brackets as job title), holding
  a role of that title whose responsibilities list the activities they are accountable (A)
  and responsible (R) for; the one responsible for reporting the AIMS's performance to top
  management marks that role as the reporting one. Consulted and informed are not
  responsibilities and are not kept.
- acknowledgement log: each person, and an acknowledgement of the AI policy (the document
  marked as the AI policy in the document register) at the version and date given, for
  every row acknowledged YES; NO and PENDING rows are counted, not recorded.

Names find their person ignoring case and spacing; a name that matches several people is
reported and its rows are left out, never guessed. Template rows in square brackets
("[Full Name]") are not data. Nothing is written by the preview; `apply` writes everything in
one transaction, each addition with its history line. Authorities (what a role may approve)
are never read from free text: the consultant sets them in People."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AimsRole, Document, Person, PolicyAcknowledgement, RoleAssignment
from app.services import words
from app.services.engagement import history
from app.services.engagement.errors import WorkbookError
from app.services.engagement.file import EngagementFile
from app.services.people import holders
from app.services.people.names import Directory
from app.services.people.spelling import normalized
from app.services.workbook.export import META_SHEET
from app.services.workbook.read import RawSheet, read_workbook

ROLE_REGISTER, RACI, ACKNOWLEDGEMENTS = "role register", "RACI matrix", "acknowledgement log"
_HEADER_ROWS = 30  # headings are looked for in the first rows of a sheet
_HEADING_MAX = 60
_NAME_MAX, _TEXT_MAX = 200, 4000
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_CODES = re.compile(r"^[RACI](\s*/\s*[RACI])*$")
_PERFORMANCE = re.compile(r"report\w*\b.*\bperformance", re.IGNORECASE)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _placeholder(text: str) -> bool:
    """A template's row or column to replace: "[Full Name]", "[Role 3 Name]"."""
    return text.startswith("[") and text.endswith("]")


def _date(value: object) -> dt.date | None:
    """A date as clients write it: a date cell, 2026-06-30, 30 June 2026, June 2026 (the
    first of the month)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    found = re.fullmatch(r"(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?,?\s+(\d{4})", text)
    if found and found.group(2)[:3].lower() in _MONTHS:
        day = int(found.group(1) or 1)
        try:
            return dt.date(int(found.group(3)), _MONTHS[found.group(2)[:3].lower()], day)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Layout:
    kind: str
    sheet: str
    header_row: int  # 0-based
    columns: dict[str, int]  # our name -> column


def _find(headers: Sequence[str], *needles: str) -> int | None:
    """The first column whose heading holds every word of one of `needles` (a heading is
    short: a long text holding the words is a data cell, not a heading)."""
    for needle in needles:
        wanted = needle.split()
        for i, heading in enumerate(headers):
            if len(heading) <= _HEADING_MAX and all(w in heading for w in wanted):
                return i
    return None


def _recognise(sheet: RawSheet) -> Layout | None:
    for r, row in enumerate(sheet.rows[:_HEADER_ROWS]):
        headers = [_text(c).casefold() for c in row]
        name = _find(headers, "named individual", "full name", "holder", "name")
        role = _find(headers, "aims role", "role")
        if (
            name is not None
            and role is not None
            and name != role
            and _find(headers, "responsibilit", "effective", "status") is not None
        ):
            cols = {"name": name, "role": role}
            keyed: tuple[tuple[str, tuple[str, ...]], ...] = (
                ("ref", ("ref",)), ("organisation", ("organisation", "organization")),
                ("appointment", ("appointment",)), ("reports_to", ("reports to",)),
                ("from", ("effective", "from", "start")), ("review", ("review",)),
                ("status", ("status",)), ("responsibilities", ("responsibilit",)),
            )  # fmt: skip
            for key, needles in keyed:
                found = _find(headers, *needles)
                if found is not None and found not in (name, role):
                    cols[key] = found
            return Layout(ROLE_REGISTER, sheet.name, r, cols)
        acknowledged = _find(headers, "acknowledged", "acknowledgement", "receipt")
        if name is not None and acknowledged is not None and acknowledged != name:
            cols = {"name": name, "acknowledged": acknowledged}
            keyed = (
                ("team", ("organisation", "organization", "team", "department")),
                ("title", ("role", "title")), ("version", ("version",)),
                ("date", ("date",)), ("method", ("method", "how")),
                ("evidence", ("evidence",)),
            )  # fmt: skip
            for key, needles in keyed:
                found = _find(headers, *needles)
                if found is not None and found not in cols.values():
                    cols[key] = found
            return Layout(ACKNOWLEDGEMENTS, sheet.name, r, cols)
        activity = _find(headers, "activity", "activities", "task")
        if activity is not None and _raci_cells(sheet, r, activity):
            clause = _find(headers, "clause", "ref")
            cols = {"activity": activity, **({"clause": clause} if clause is not None else {})}
            return Layout(RACI, sheet.name, r, cols)
    return None


def _raci_cells(sheet: RawSheet, header: int, activity: int) -> bool:
    """Whether the rows below the headings hold R/A/C/I codes right of the activity."""
    return any(
        _CODES.match(_text(c).upper())
        for row in sheet.rows[header + 1 : header + 12]
        for c in row[activity + 1 :]
    )


@dataclass
class Plan:
    """What an import of the client's records would add (nothing is written yet)."""

    source: str
    layouts: list[Layout] = field(default_factory=list)
    # name -> person ID, "" for a person to add; a name's normalized form is the key
    people: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # normalized -> as first written
    person_fields: dict[str, dict[str, str]] = field(default_factory=dict)  # for new people
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> candidates
    roles: dict[str, str] = field(default_factory=dict)  # normalized title -> ID, "" if new
    role_titles: dict[str, str] = field(default_factory=dict)
    role_fields: dict[str, dict[str, object]] = field(default_factory=dict)  # for new roles
    # (role key, person key, from, notes)
    holdings: list[tuple[str, str, dt.date | None, str]] = field(default_factory=list)
    # (person key, version, date, how, evidence, notes)
    acknowledgements: list[tuple[str, str, dt.date | None, str, str, str]] = field(
        default_factory=list
    )
    policy: str = ""  # the AI policy's document ID
    not_acknowledged: list[str] = field(default_factory=list)  # "Toru (PENDING)"
    skipped: list[str] = field(default_factory=list)  # rows left out, with why
    # what `apply` added, (entity, ID), for undo and redo
    added: list[tuple[str, str]] = field(default_factory=list)

    @property
    def new_people(self) -> list[str]:
        return [self.names[k] for k, pid in self.people.items() if not pid]

    @property
    def matched_people(self) -> list[str]:
        return [f"{self.names[k]} = {pid}" for k, pid in self.people.items() if pid]

    @property
    def new_roles(self) -> list[str]:
        return [self.role_titles[k] for k, rid in self.roles.items() if not rid]

    @property
    def has_changes(self) -> bool:
        return bool(self.new_people or self.new_roles or self.holdings or self.acknowledgements)

    def as_text(self, applied: bool = False) -> str:
        found = ", ".join(f"{lay.kind} (sheet “{lay.sheet}”)" for lay in self.layouts)
        verb = "Added" if applied else "Would add"
        lines = [f"{self.source}: {found}."]
        lines.append(
            f"People: {words.count(len(self.new_people), 'new person', 'new people')}"
            + (f" ({', '.join(self.new_people)})" if self.new_people else "")
            + f"; {len(self.matched_people)} already in People"
            + (f" ({', '.join(self.matched_people)})" if self.matched_people else "")
        )
        for name, candidates in self.ambiguous.items():
            lines.append(
                f"Ambiguous: “{name}” matches {len(candidates)} people "
                f"({', '.join(candidates)}); its rows are left out. Tell them apart in People "
                "and import again."
            )
        lines.append(
            f"Roles: {words.count(len(self.new_roles), 'new role')}"
            + (f" ({', '.join(self.new_roles)})" if self.new_roles else "")
        )
        reporting = [self.role_titles[k] for k, f in self.role_fields.items()
                     if f.get("reports_performance")]  # fmt: skip
        if reporting:
            lines.append(
                "Reports the AIMS's performance to top management: " + ", ".join(reporting)
            )
        for role, person, start, _notes in self.holdings:
            since = f" from {start.isoformat()}" if start else ""
            lines.append(f"{verb} holder: {self.names[person]} as {self.role_titles[role]}{since}")
        for person, version, on, how, _evidence, _notes in self.acknowledgements:
            when = on.isoformat() if on else "no date"
            lines.append(
                f"{verb} acknowledgement: {self.names[person]} of the AI policy "
                f"{version or '(no version given)'} on {when}" + (f" by {how}" if how else "")
            )
        if self.acknowledgements and not self.policy:
            lines.append(
                "No document is marked as the AI policy in the document register: the "
                "acknowledgements name no document until one is."
            )
        if self.not_acknowledged:
            lines.append("Not acknowledged (not recorded): " + ", ".join(self.not_acknowledged))
        lines += [f"Left out: {why}" for why in self.skipped]
        if not self.has_changes:
            lines.append("Nothing to add: People already holds all of it.")
        return "\n".join(lines)


def preview(ef: EngagementFile, path: Path) -> Plan:
    """What importing the workbook at `path` would add; WorkbookError when it holds none of
    the layouts (or is no workbook at all). Writes nothing."""
    sheets = read_workbook(Path(path))
    plan = Plan(Path(path).name)
    plan.layouts = [lay for lay in (_recognise(s) for s in sheets) if lay is not None]
    if not plan.layouts:
        raise WorkbookError(
            f"{Path(path).name} has no sheet with the headings of a role register (AIMS Role, "
            "Named Individual, ...), a RACI matrix (Activity, then one column per person with "
            "R, A, C or I) or an AI policy acknowledgement log (Full Name, Acknowledged?, ...). "
            "Nothing was imported."
        )
    by_name = {s.name: s for s in sheets}
    with ef.reading() as session:
        reader = _Reader(session, plan)
        for layout in plan.layouts:
            reader.read(layout, by_name[layout.sheet])
    return plan


class _Reader:
    def __init__(self, session: Session, plan: Plan) -> None:
        self.session, self.plan = session, plan
        self.directory = Directory(session)
        policy = session.execute(
            select(Document.id, Document.version)
            .where(Document.ai_policy.is_(True), Document.deleted.is_(False))
            .order_by(Document.id)
        ).first()
        self.plan.policy, self.policy_version = (
            (str(policy[0]), str(policy[1])) if policy else ("", "")
        )

    def person(self, name: str, where: str, **fields: str) -> str | None:
        """The key of the person a name names (to add, or found); None when left out."""
        if len(name) > _NAME_MAX:
            self.plan.skipped.append(f"{where}: a name longer than {_NAME_MAX} characters")
            return None
        key = normalized(name)
        if key in self.plan.people:
            return key
        if name in self.plan.ambiguous or key in {normalized(n) for n in self.plan.ambiguous}:
            return None
        match = self.directory.match(name)
        if match.ambiguous:
            self.plan.ambiguous[name] = match.candidates
            return None
        self.plan.people[key], self.plan.names[key] = match.person, name
        if not match.person:
            self.plan.person_fields[key] = {k: v[:_NAME_MAX] for k, v in fields.items() if v}
        return key

    def role(self, title: str, **fields: object) -> str:
        key = normalized(title)
        if key not in self.plan.roles:
            self.plan.roles[key] = holders.find_role(self.session, title)
            self.plan.role_titles[key] = title
            self.plan.role_fields[key] = dict(fields)
        else:  # the same role on several rows: its responsibilities gathered
            old = self.plan.role_fields[key]
            for name, value in fields.items():
                if isinstance(value, str) and value and value not in str(old.get(name, "")):
                    old[name] = f"{old.get(name, '')}\n{value}".strip()
                elif value is True:
                    old[name] = True
        return key

    def hold(self, role: str, person: str, start: dt.date | None, notes: str) -> None:
        pid, rid = self.plan.people[person], self.plan.roles[role]
        if any(h[0] == role and h[1] == person for h in self.plan.holdings):
            return
        if pid and rid and holders.holds(self.session, rid, pid):
            return  # already recorded
        self.plan.holdings.append((role, person, start, notes))

    def read(self, layout: Layout, sheet: RawSheet) -> None:
        {ROLE_REGISTER: self._roles, RACI: self._raci, ACKNOWLEDGEMENTS: self._acks}[layout.kind](
            layout, sheet
        )

    def _cells(self, layout: Layout, row: list[object]) -> dict[str, object]:
        return {k: row[c] if c < len(row) else None for k, c in layout.columns.items()}

    def _roles(self, layout: Layout, sheet: RawSheet) -> None:
        for number, row in enumerate(sheet.rows[layout.header_row + 1 :], layout.header_row + 2):
            cell = self._cells(layout, row)
            title, name = _text(cell["role"]), _text(cell["name"])
            if not title or _placeholder(title) or _placeholder(name):
                continue
            where = f"{sheet.name} row {number}"
            duties = _text(cell.get("responsibilities"))[:_TEXT_MAX]
            role = self.role(
                title[:_NAME_MAX], responsibilities=duties,
                reports_performance=bool(_PERFORMANCE.search(duties)),
            )  # fmt: skip
            status = _text(cell.get("status")).casefold()
            if not name or name.casefold() == "vacant" or status == "vacant":
                continue  # a role nobody holds: added, with no holder
            person = self.person(name, where, department=_text(cell.get("organisation")))
            if person is None:
                continue
            notes = "; ".join(
                f"{label} {_text(cell.get(key))}"
                for key, label in (("ref", "Client ref"), ("appointment", "Appointment"),
                                   ("reports_to", "Reports to"), ("review", "Review by"))
                if _text(cell.get(key))
            )  # fmt: skip
            self.hold(role, person, _date(cell.get("from")), f"From {self.plan.source}: {notes}")

    def _raci(self, layout: Layout, sheet: RawSheet) -> None:
        header = sheet.rows[layout.header_row]
        activity = layout.columns["activity"]
        for column in range(activity + 1, len(header)):
            heading = str(header[column] or "").strip()
            if not heading or _placeholder(" ".join(heading.split())):
                continue
            titled = re.fullmatch(r"([^()]+?)\s*\((.*)\)", _text(heading))
            name = titled.group(1) if titled else _text(heading)
            title = (titled.group(2).strip() if titled else "") or f"{name} (RACI)"
            duties: dict[str, list[str]] = {"A": [], "R": []}
            for row in sheet.rows[layout.header_row + 1 :]:
                what = _text(row[activity]) if activity < len(row) else ""
                code = _text(row[column]).upper() if column < len(row) else ""
                if not what or _placeholder(what) or not _CODES.match(code):
                    continue
                clause = layout.columns.get("clause")
                ref = _text(row[clause]) if clause is not None and clause < len(row) else ""
                for letter in {c.strip() for c in code.split("/")} & {"A", "R"}:
                    duties[letter].append(f"{ref} {what}".strip())
            if not duties["A"] and not duties["R"]:
                continue
            text = "\n".join(
                f"{label}: " + "; ".join(items)
                for label, items in (("Accountable for", duties["A"]),
                                     ("Responsible for", duties["R"]))
                if items
            )  # fmt: skip
            reporting = any(_PERFORMANCE.search(d) for d in duties["A"] + duties["R"])
            person = self.person(name, f"{sheet.name} column {column + 1}", job_title=title)
            if person is None:
                continue
            role = self.role(title[:_NAME_MAX], responsibilities=text[:_TEXT_MAX],
                             reports_performance=reporting)  # fmt: skip
            self.hold(role, person, None, f"From {self.plan.source} (RACI matrix)")

    def _acks(self, layout: Layout, sheet: RawSheet) -> None:
        for number, row in enumerate(sheet.rows[layout.header_row + 1 :], layout.header_row + 2):
            cell = self._cells(layout, row)
            name = _text(cell["name"])
            if not name or _placeholder(name):
                continue
            answer = _text(cell["acknowledged"])
            if not answer:
                continue  # a summary line below the log
            where = f"{sheet.name} row {number}"
            person = self.person(
                name, where, job_title=_text(cell.get("title")),
                department=_text(cell.get("team")),
            )  # fmt: skip
            if person is None:
                continue
            if answer.casefold() not in ("yes", "y", "true", "1") and _date(answer) is None:
                self.plan.not_acknowledged.append(f"{name} ({answer})")
                continue
            raw_date = _text(cell.get("date"))
            on = _date(cell.get("date")) or _date(answer)
            version = self._version(_text(cell.get("version"))[:_NAME_MAX])
            if self._known_ack(person, version):
                continue
            notes = f"From {self.plan.source}" + (f"; dated “{raw_date}”" if raw_date else "")
            self.plan.acknowledgements.append(
                (person, version, on, _text(cell.get("method"))[:_NAME_MAX],
                 _text(cell.get("evidence"))[:_TEXT_MAX], notes)
            )  # fmt: skip

    def _version(self, given: str) -> str:
        """The policy's own spelling of its version when the log writes the same one
        differently ("v1.0" for 1.0), so the acknowledgement reads as of that version."""

        def bare(v: str) -> str:
            return re.sub(r"^(version|ver\.?|v)\s*", "", v.strip().casefold())

        same = self.policy_version and bare(given) == bare(self.policy_version)
        return self.policy_version if same else given

    def _known_ack(self, person: str, version: str) -> bool:
        pid = self.plan.people[person]
        if not pid:
            return any(a[0] == person and a[1] == version for a in self.plan.acknowledgements)
        return (
            self.session.scalar(
                select(PolicyAcknowledgement.id).where(
                    PolicyAcknowledgement.person == pid,
                    PolicyAcknowledgement.version == version,
                    PolicyAcknowledgement.deleted.is_(False),
                )
            )
            is not None
        )


def apply(ef: EngagementFile, path: Path) -> Plan:
    """Import the workbook: everything the preview lists, in one transaction (all or
    nothing), each addition with its history line. Returns the plan as applied."""
    plan = preview(ef, path)
    with ef.writing() as session:
        people, roles = dict(plan.people), dict(plan.roles)  # the plan stays as previewed
        for key, pid in plan.people.items():
            if not pid:
                people[key] = holders.add_person(
                    session, ef.actor, plan.names[key], **plan.person_fields.get(key, {})
                )
                plan.added.append(("person", people[key]))
        for key, rid in plan.roles.items():
            fields = plan.role_fields[key]
            if not rid:
                roles[key] = holders.add_role(session, ef.actor, plan.role_titles[key], **fields)
            elif fields.get("reports_performance"):
                role = session.get(AimsRole, rid)
                if role is not None and not role.reports_performance:
                    role.reports_performance = True
                    history.record(session, ef.actor, "aims_role", rid, "reports_performance",
                                   False, True)  # fmt: skip
        for role_key, person_key, start, notes in plan.holdings:
            hid = holders.add_holding(session, ef.actor, roles[role_key],
                                      people[person_key], start, None, notes)  # fmt: skip
            plan.added.append(("role_assignment", hid))
        for person_key, version, on, how, evidence, notes in plan.acknowledgements:
            aid = holders.add_acknowledgement(session, ef.actor, people[person_key],
                                              plan.policy, version, on, how, evidence,
                                              notes)  # fmt: skip
            plan.added.append(("policy_acknowledgement", aid))
    return plan


_MODELS: dict[str, type[Person | AimsRole | RoleAssignment | PolicyAcknowledgement]] = {
    "person": Person, "aims_role": AimsRole, "role_assignment": RoleAssignment,
    "policy_acknowledgement": PolicyAcknowledgement}  # fmt: skip
# a workbook bigger than this is no people record: the window's import then reads it once only
RECORDS_MAX_BYTES = 10 * 1024 * 1024


def set_deleted(ef: EngagementFile, added: Sequence[tuple[str, str]], deleted: bool) -> None:
    """Undo (True) or redo (False) of an import: what it added marked deleted, or back."""
    with ef.writing() as session:
        for entity, item_id in added:
            row: Any = session.get(_MODELS[entity], item_id)
            if row is not None and row.deleted != deleted:
                row.deleted = deleted
                history.record(session, ef.actor, entity, item_id, "deleted", not deleted, deleted)


def recognised(path: Path) -> bool:
    """Whether the workbook holds one of the people layouts (False for a big workbook, and
    for one this app cannot read: the workbook import says why)."""
    try:
        if Path(path).stat().st_size > RECORDS_MAX_BYTES:
            return False
        sheets = read_workbook(Path(path))
        if any(s.name == META_SHEET for s in sheets):
            return False  # a workbook this app exported: the workbook import takes it back
        return any(_recognise(s) is not None for s in sheets)
    except (OSError, WorkbookError):
        return False
