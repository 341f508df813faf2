"""Import a workbook: our own export coming back from the client, or any workbook of theirs.

`build_plan` reads and compares without writing; `apply` writes the plan in one transaction
(a trial run of it on a copy of the engagement in memory, thrown away, is how the preview
learns every refusal the services would give without writing to the file); `undo` puts
everything back in one step. Rows the client deleted are reported and never deleted; a field
changed both in the workbook and in the app since the export is a conflict the user
settles."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from app.models import Person
from app.services import words
from app.services.engagement import bulk, history, ids
from app.services.engagement.errors import FieldError, WorkbookError
from app.services.engagement.fields import coercer
from app.services.engagement.file import EngagementFile
from app.services.people import owners
from app.services.people.names import Directory
from app.services.registry import AREA_BY_KIND, AREAS
from app.services.risks import service as risks
from app.services.workbook.areas import Area, Column, Matcher, Row, canonical, loosely
from app.services.workbook.cells import clause_parts, plain, text_of
from app.services.workbook.export import (
    CRITERIA_HEADER,
    CRITERIA_SHEET,
    FORMAT,
    FORMAT_VERSION,
    GAP_RULES_SHEET,
    LISTS_SHEET,
    META_SHEET,
    criteria_rows,
)
from app.services.workbook.layout import (
    Layout,
    apply_saved,
    detect,
    headers_at,
    is_data_row,
)
from app.services.workbook.read import RawSheet, read_workbook
from app.services.workbook.tables import (
    NUMBER,
    PARENT,
    Items,
    Table,
    child_key,
    fingerprint,
    row_digest,
    tables,
)

REFERENCE_SHEETS = {
    "Instructions", CRITERIA_SHEET, "SoA issued", GAP_RULES_SHEET, LISTS_SHEET, META_SHEET,
}  # fmt: skip
EXTRAS_HEADING = "From the client's workbook:"


@dataclass
class Issue:
    row: int
    column: str
    message: str


@dataclass
class Change:
    label: str
    old: str
    new: str
    field: str = ""  # the field's key


@dataclass
class RowPlan:
    row: int
    key: str | None  # the table's key of an existing row; None for a new item
    item_id: str | None  # the item's ID (a client's own ID for a new one), if any
    values: Row  # what the import sets: changed fields, or every given field of a new item
    shown: list[Change] | None = None  # the changes as the preview shows them (see `changes`)
    failed: bool = False  # refused by the trial run
    # a new item's columns: its changes are each field it is given, made from `values` when
    # first asked for (a preview shows the first few thousand of 200,000 new rows)
    columns: dict[str, Column] | None = field(default=None, repr=False)
    named_by: str = ""  # the field naming a new item, shown even when not editable

    @property
    def changes(self) -> list[Change]:
        if self.shown is None:
            self.shown = _given(self.columns or {}, self.values, self.named_by)
        return self.shown


@dataclass
class Conflict:
    row: int
    key: str
    field: str
    label: str
    workbook: object
    app: object
    take_workbook: bool = False  # the user's pick; the app's value stays by default


@dataclass
class SheetPlan:
    sheet: str
    kind: str
    header_row: int
    table: Table | None = None
    layout: Layout | None = None
    rows: int = 0
    added: list[RowPlan] = field(default_factory=list)
    updated: list[RowPlan] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    raw: RawSheet | None = None  # the cells, for a mapping the user corrects
    foreign: bool = False  # a sheet of the client's own, read through a mapping
    # (row, field) -> why the cell could not be read, quoting it: a service refusing the row
    # for that field (then missing) is told in these words, not as a blank
    unread: dict[tuple[int, str], str] = field(default_factory=dict)
    # (row, message) of the errors told so far, and how many of `errors` that covers: a
    # refusal is told once, found in one look-up (200,000 refusals must not scan each other)
    _told: set[tuple[int, str]] = field(default_factory=set, repr=False)
    # risk categories new to the engagement -> whether the consultant ticked them AI-specific
    # in the preview (None: not asked, as on the command line); applying the import records
    # the answers, and a category not asked about stays to be classified
    new_categories: dict[str, bool | None] = field(default_factory=dict)
    _told_upto: int = field(default=0, repr=False)

    @property
    def header_said(self) -> str:
        """Where the headings were read, as the preview says it."""
        return f"header row {self.header_row}" if self.header_row else "no header row found"

    def tell(self, issue: Issue) -> None:
        """Add an error unless that row has it already."""
        for told in self.errors[self._told_upto :]:
            self._told.add((told.row, told.message))
        if (issue.row, issue.message) not in self._told:
            self.errors.append(issue)
            self._told.add((issue.row, issue.message))
        self._told_upto = len(self.errors)

    def to_json(self) -> dict[str, object]:
        issue = dataclasses.asdict
        return {
            "sheet": self.sheet,
            "kind": self.kind,
            "header_row": self.header_row,
            "rows": self.rows,
            "added": sum(1 for r in self.added if not r.failed),
            "updated": sum(1 for r in self.updated if not r.failed),
            "unchanged": self.unchanged,
            "conflicts": len(self.conflicts),
            "errors": [issue(e) for e in self.errors],
            "warnings": [issue(w) for w in self.warnings],
            "changes": [
                {"row": r.row, "id": r.key or r.item_id, "field": c.field, "old": c.old,
                 "new": c.new}
                for r in (*self.added, *self.updated) if not r.failed
                for c in r.changes
            ],
            "conflict_values": [
                {"row": c.row, "id": c.key, "field": c.field, "ours": self._shown(c.field, c.app),
                 "theirs": self._shown(c.field, c.workbook)}
                for c in self.conflicts
            ],
        }  # fmt: skip

    def _shown(self, name: str, value: object) -> str:
        column = (
            next((c for c in self.table.columns if c.key == name), None) if self.table else None
        )
        return _show(column, value) if column is not None else text_of(value)


@dataclass
class Plan:
    path: Path
    own: bool
    sheets: list[SheetPlan]
    # owner names that are no person yet -> the rows naming them: added to People when the
    # import is applied (those of rows actually imported)
    new_people: dict[str, list[RowPlan]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # of the workbook, not of one sheet

    @property
    def errors(self) -> int:
        return sum(len(s.errors) for s in self.sheets)

    @property
    def changes(self) -> int:
        return sum(1 for s in self.sheets for r in (*s.added, *s.updated) if not r.failed) + sum(
            1 for s in self.sheets for c in s.conflicts if c.take_workbook
        )

    def to_json(self, applied: bool) -> dict[str, object]:
        return {
            "applied": applied,
            "warnings": list(self.warnings),
            "sheets": [s.to_json() for s in self.sheets],
        }

    def take(self, theirs: bool) -> None:
        """Settle every conflict: the workbook's value (theirs) or the app's (ours)."""
        for sheet in self.sheets:
            for conflict in sheet.conflicts:
                conflict.take_workbook = theirs


# reading the plan


def build_plan(
    ef: EngagementFile, path: Path, mapping: dict[str, dict[str, object]] | None = None,
    layouts: dict[str, Layout] | None = None, trial: bool = True,
) -> Plan:  # fmt: skip
    """What importing `path` would change. `mapping` (a saved named mapping) and `layouts`
    (the user's corrections) override what is detected on foreign sheets. The trial run
    (`try_out`) finds the rows the services would refuse, for a preview; an import applied
    straight after may go without it: `apply` makes the same checks, tells the refused rows
    on the plan the same way and writes nothing when one is refused."""
    with bulk.no_cycle_collection():
        return _build_plan(ef, path, mapping, layouts, trial)


def _build_plan(
    ef: EngagementFile, path: Path, mapping: dict[str, dict[str, object]] | None,
    layouts: dict[str, Layout] | None, trial: bool,
) -> Plan:  # fmt: skip
    sheets = read_workbook(path)
    by_name = {s.name: s for s in sheets}
    current = Items(ef)
    meta = by_name.get(META_SHEET)
    plans: list[SheetPlan | _SheetReader] = []
    own_sheets: set[str] = set()
    new_systems: dict[str, str] = {}  # AI systems added by this import: lower-case name -> name
    if meta is not None:
        export = _read_meta(meta, path.name)
        _check_engagement(ef, export.info, path.name)
        changed = _changed_since(ef, export.info.get("exported_at", ""))
        for sheet_name, table in export.entries:
            own_sheets.add(sheet_name)
            raw = by_name.get(sheet_name)
            if raw is None:
                missing = SheetPlan(sheet_name, table.kind, 0, table)
                message = (
                    f"The sheet '{sheet_name}' is missing from the workbook (renamed or "
                    "deleted?); nothing of it was imported."
                )
                missing.errors.append(Issue(0, "", message))
                plans.append(missing)
                continue
            headers = headers_at(raw, 1)
            labels = {c.label: c.key for c in table.columns}
            columns = {i: labels[h] for i, h in enumerate(headers) if h in labels}
            layout = Layout(table.kind, 1, headers, columns)
            baseline = export.baseline.get(sheet_name, {})
            plans.append(
                _SheetReader(ef, raw, table, layout, current, baseline, changed, new_systems)
            )
        criteria = by_name.get(CRITERIA_SHEET)
        if criteria is not None and _criteria_edited(ef, criteria):
            plans.append(_criteria_not_imported(criteria))
    for raw in sheets:
        if raw.name in own_sheets or raw.name in REFERENCE_SHEETS or raw.hidden:
            continue
        found = (layouts or {}).get(raw.name)
        if found is None and mapping and raw.name in mapping:
            found = apply_saved(raw, mapping[raw.name])
        layout = found or detect(raw)
        area_table = next((t for t in tables() if t.kind == layout.kind and not t.child), None)
        if area_table is None:
            plans.append(_unrecognised(raw, layout))
            continue
        plans.append(_SheetReader(ef, raw, area_table, layout, current, None, set(), new_systems))
    hidden = [r.name for r in sheets if r.hidden and r.name not in REFERENCE_SHEETS | own_sheets]
    if not plans and hidden:
        raise WorkbookError(
            f"Nothing was imported from {path.name}: every sheet with cells in it is hidden, "
            "and hidden sheets are never imported. Unhide the sheets to import in your "
            "spreadsheet program (right-click a sheet tab > Unhide), save, and import again."
        )
    # the inventory first: a risk may name an AI system added on another sheet of the import
    readers = [r for r in plans if isinstance(r, _SheetReader)]
    for reader in sorted(readers, key=lambda r: r.table.kind != "inventory"):
        reader.read()
    sheet_plans = [p.plan if isinstance(p, _SheetReader) else p for p in plans]
    plan = Plan(path, meta is not None, sheet_plans)
    plan.warnings = [
        f"The sheet '{name}' is hidden and is left out: unhide it in your "
        "spreadsheet program and import again to include it."
        for name in hidden
    ]
    _match_people(ef, plan)
    if trial:
        try_out(ef, plan)
    return plan


def try_out(ef: EngagementFile, plan: Plan) -> None:
    """The trial run: the plan applied to a copy in memory, thrown away. Every row the
    services refuse is told on the plan, beside the cells that could not be read."""
    if plan.changes:
        with ef.trial_copy() as copy:
            apply(copy, plan, commit=False, skip_invalid=True)


def _match_people(ef: EngagementFile, plan: Plan) -> None:
    """Owners, assessors, approvers and acceptors of the imported rows matched to People: a
    person's name takes the person's spelling, a new name is told (and added when applied),
    a name several people share is told and left as typed, never guessed."""
    with ef.reading() as session:
        matcher = owners.NameMatcher(session)
    person_fields = owners.PERSON_FIELD_NAMES
    for sheet in plan.sheets:
        columns = [c for c in sheet.table.columns if c.key in person_fields] if sheet.table else []
        if not columns:
            continue
        new_here: dict[str, int] = {}
        for rows, added in ((sheet.added, True), (sheet.updated, False)):
            for row in rows:
                for column in columns:
                    value = row.values.get(column.key)
                    if type(value) is not str or not value:
                        continue
                    text, kind = matcher.spelled(value)
                    if text != value:
                        _respell(row, column.key, text, added)
                    if kind == matcher.NEW:
                        plan.new_people.setdefault(text, []).append(row)
                        new_here[text] = new_here.get(text, 0) + 1
                    elif kind == matcher.AMBIGUOUS:
                        people = ", ".join(matcher.candidates(value))
                        sheet.warnings.append(Issue(row.row, column.label, (
                            f"'{text}' names several people ({people}): kept as typed, matched "
                            "to nobody; make their names differ in People."
                        )))  # fmt: skip
        for conflict in sheet.conflicts:
            if conflict.field in person_fields and isinstance(conflict.workbook, str):
                conflict.workbook = matcher.spelled(conflict.workbook)[0] or conflict.workbook
        unchanged = [r for r in sheet.updated if not r.values]
        if unchanged:  # only the spelling differed from the person's
            sheet.updated = [r for r in sheet.updated if r.values]
            sheet.unchanged += len(unchanged)
        if new_here:
            names = ", ".join(
                f"{name} ({words.count(n, 'row')})" for name, n in sorted(new_here.items())[:20]
            )
            sheet.warnings.append(Issue(0, "", (
                f"{words.count(len(new_here), 'name')} {'is' if len(new_here) == 1 else 'are'} "
                f"no person yet, added to People when imported: {names}"
                + (", …" if len(new_here) > 20 else "")
            )))  # fmt: skip


def _respell(row: RowPlan, key: str, text: str, added: bool) -> None:
    """A name set to the person's spelling; a change that was only the spelling is none."""
    row.values[key] = text
    if added or row.shown is None:
        return
    for change in list(row.shown):
        if change.field == key:
            if change.old == text:
                row.shown.remove(change)
                del row.values[key]
            else:
                change.new = text


def _add_new_people(session: Session, ef: EngagementFile, plan: Plan) -> list[str]:
    """The new names of the rows imported, as people (unless someone added them since);
    returns their IDs."""
    directory = Directory(session)
    wanted = [
        name
        for name, rows in plan.new_people.items()
        if any(not r.failed for r in rows) and not directory.match(name).candidates
    ]
    return owners.add_people(session, wanted, ef.actor)


def _criteria_edited(ef: EngagementFile, raw: RawSheet) -> bool:
    """The reference sheet of risk criteria no longer lists the engagement's criteria."""
    rows: list[list[object]] = [list(CRITERIA_HEADER), *criteria_rows(ef)]
    expected = [[text_of(v) for v in row] for row in rows]
    found = [[text_of(v) for v in row[:4]] for row in raw.rows if any(text_of(v) for v in row)]
    return found != expected


def _criteria_not_imported(raw: RawSheet) -> SheetPlan:
    plan = SheetPlan(raw.name, "risks", 1, raw=raw)
    plan.rows = max(0, len(raw.rows) - 1)
    message = (
        "This sheet differs from the engagement's risk criteria. Criteria are not imported "
        "from a workbook, because changing them re-scores every risk: change them in the app "
        "(Risks > Criteria…)."
    )
    plan.warnings.append(Issue(0, "", message))
    return plan


def _unrecognised(raw: RawSheet, layout: Layout) -> SheetPlan:
    plan = SheetPlan(raw.name, layout.kind, layout.header_row, None, layout, raw=raw)
    plan.foreign = True
    width = len(layout.headers) or 1
    plan.rows = sum(
        1 for r in range(layout.header_row, len(raw.rows)) if is_data_row(raw, r, width)
    )
    what = (
        "the engagement has no register for it yet"
        if layout.kind != "unknown"
        else "it was not recognised as any area (correct the mapping to import it)"
    )
    plan.warnings.append(Issue(0, "", f"Nothing imported from this sheet: {what}."))
    return plan


@dataclass(frozen=True)
class Exported:
    """What the hidden sheet says of the export: each row as it was then."""

    row: int
    prints: dict[str, str]  # fingerprint of each field's stored value
    digest: str  # of the row's cells as written


@dataclass
class _Meta:
    info: dict[str, str] = field(default_factory=dict)
    entries: list[tuple[str, Table]] = field(default_factory=list)
    baseline: dict[str, dict[str, Exported]] = field(default_factory=dict)  # sheet -> key -> row


def _read_meta(meta: RawSheet, name: str) -> _Meta:
    found = _Meta()
    keys_of: dict[str, list[str]] = {}
    by_kind = {(t.kind, t.child.field if t.child else ""): t for t in tables()}
    try:
        for cells in meta.rows:
            texts = [c if type(c) is str else text_of(c) for c in cells] + [""] * 6
            tag = texts[0]
            if tag == "row":
                prints = dict(zip(keys_of[texts[1]], texts[4].split(" "), strict=True))
                exported = Exported(int(texts[2]), prints, texts[5])
                found.baseline.setdefault(texts[1], {})[texts[3]] = exported
            elif tag == "sheet":
                table = by_kind.get((texts[2], texts[3]))
                if table is not None:
                    found.entries.append((texts[1], table))
                    keys_of[texts[1]] = texts[4].split("|")
            elif tag:
                found.info[tag] = texts[1]
                if tag == "format":
                    found.info["format_version"] = texts[2]
    except (KeyError, ValueError) as exc:
        raise WorkbookError(
            f"{name}: the hidden sheet that ties it to the engagement "
            f"is damaged ({exc}). Export a fresh workbook."
        ) from None
    if found.info.get("format") != FORMAT:
        raise WorkbookError(
            f"{name} has a sheet named {META_SHEET} that this app "
            "did not write; rename that sheet and import again."
        )
    version = found.info.get("format_version", "0") or "0"
    if not version.isdigit():
        raise WorkbookError(
            f"{name}: the hidden sheet that ties it to the engagement is damaged (format "
            f"version '{version}'). Export a fresh workbook."
        )
    if int(version) > FORMAT_VERSION:
        raise WorkbookError(
            f"{name} was exported by a newer version of AIMS Prep; update the app to import it."
        )
    return found


def _check_engagement(ef: EngagementFile, info: dict[str, str], name: str) -> None:
    if info.get("engagement") != ef.details.uid:
        raise WorkbookError(
            f"{name} was exported from another engagement "
            f"(client: {info.get('client') or 'unknown'}). "
            "Open that engagement to import it."
        )


def _changed_since(ef: EngagementFile, exported_at: str) -> set[tuple[str, str]] | None:
    """Items changed in the app since the export; None when the time is unreadable (then
    every row is compared field by field)."""
    try:
        since = dt.datetime.fromisoformat(exported_at)
    except ValueError:
        return None
    with ef.reading() as session:
        return history.changed_since(session, since)


class _SheetReader:
    """Reads one sheet of the workbook into a SheetPlan."""

    def __init__(
        self, ef: EngagementFile, raw: RawSheet, table: Table, layout: Layout, current: Items,
        baseline: dict[str, Exported] | None, changed: set[tuple[str, str]] | None,
        new_systems: dict[str, str],
    ) -> None:  # fmt: skip
        self.ef, self.raw, self.table, self.layout = ef, raw, table, layout
        self.new_systems = new_systems
        self.current = current
        self.baseline = baseline  # None: a foreign sheet
        self.foreign = baseline is None
        self.changed = changed
        self.plan = SheetPlan(raw.name, table.kind, layout.header_row, table, layout, raw=raw)
        self.plan.foreign = baseline is None
        self.columns = table.by_key
        self.seen: dict[str, int] = {}
        self.present: set[str] = set()  # keys on the sheet, rows with errors included
        position = {key: index for index, key in layout.columns.items()}
        # where each column of the export is now (the client may have moved columns)
        found = [position.get(c.key) for c in table.columns]
        self.order: list[int] | None = None if None in found else found  # type: ignore[assignment]
        self._categories: set[str] | None = None
        self._systems: dict[str, str] | None = None
        self._match: Matcher | None = None
        self._by_name: dict[str, list[str]] | None = None
        self._by_line: dict[tuple[str, str], str] | None = None
        self._read: list[tuple[int, str, Column, bool, Callable[[object], object] | None]] | None
        self._read = None
        # columns whose cells go to the notes of a new item: unmapped ones with a heading, and
        # on a foreign sheet the client's own guidance matched to ours, which is never read
        guidance = {c.key for c in table.columns if c.guidance}
        self._extras = [
            i
            for i, heading in enumerate(layout.headers)
            if heading
            and (i not in layout.columns or (self.foreign and layout.columns[i] in guidance))
        ]

    @property
    def rows_now(self) -> dict[str, Row]:
        return self.table.rows(self.current[self.table.kind])

    def read(self) -> SheetPlan:
        rows_now: dict[str, Row] | None = None
        foreign, width, rows = self.foreign, len(self.layout.headers), self.raw.rows
        for index in range(self.layout.header_row, len(rows)):
            cells = rows[index]
            if foreign and not is_data_row(self.raw, index, width):
                continue
            if not foreign and all(c == "" or c is None for c in cells):
                continue
            self.plan.rows += 1
            if self._untouched(cells, index + 1):
                continue
            rows_now = rows_now if rows_now is not None else self.rows_now
            self._read_row(cells, index + 1, rows_now)
        for key, exported in sorted((self.baseline or {}).items(), key=lambda kv: kv[1].row):
            if key not in self.present and key in (rows_now or self.rows_now):
                self.plan.warnings.append(Issue(exported.row, "", self._deleted(key)))
        return self.plan

    def _deleted(self, key: str) -> str:
        area, child = self.table.area, self.table.child
        if child is None:
            what = f"The row of {area.noun} {key}"
        else:
            parent, number = key.rsplit("#", 1)
            what = f"{child.noun} line {number} of {area.noun} {parent}"
        return (
            f"{what} was deleted from the workbook; it stays in the engagement (delete it in "
            "the app if that was meant)."
        )

    def _untouched(self, cells: list[object], number: int) -> bool:
        """Our own row, its cells as exported, of an item not changed in the app since."""
        if self.baseline is None or self.changed is None or self.order is None:
            return False
        width = len(cells)
        row = [cells[i] if i < width else None for i in self.order]
        key = self._key_of(row)
        exported = self.baseline.get(key)
        if exported is None or key in self.seen:  # a second row of the same item is an error
            return False
        if (self.table.area.entity, key.split("#")[0]) in self.changed:
            return False
        if row_digest(row) != exported.digest:
            return False
        self.present.add(key)
        self.seen[key] = number
        self.plan.unchanged += 1
        return True

    def _key_of(self, row: list[object]) -> str:
        """The key of a row given in the export's column order."""
        if self.table.child is None:
            return text_of(row[0])
        number = plain(row[1])
        return child_key(text_of(row[0]), number if isinstance(number, int) else 0)

    def _read_row(self, cells: list[object], number: int, rows_now: dict[str, Row]) -> None:
        plan, table, kind, child = self.plan, self.table, self.table.kind, self.table.child
        errors = len(plan.errors)
        values, given, unread = self._parse(cells, number)
        if self.baseline is not None:  # for the rows of the export deleted from the sheet
            self.present.add(_raw_key(table, given))
        if len(plan.errors) > errors:  # a cell of this row could not be read
            return
        if child is not None:
            self._parent_by_name(values)
        elif kind == "impact_assessments" and values.get("system_id"):
            values["system_id"] = self._system_named(text_of(values["system_id"]))
        key, item_id = _identify(table, values, given, rows_now, self.foreign, plan, number,
                                 self._matcher(rows_now), self._lines(rows_now))  # fmt: skip
        if key is None and item_id == "":
            return
        if key is None and item_id and self.baseline and item_id in self.baseline:
            message = (
                f"{table.area.noun} {item_id} was deleted in the app since the export; the "
                "row was not imported."
            )
            plan.warnings.append(Issue(number, table.columns[0].label, message))
            return
        if key is not None:
            if key in self.seen:
                message = (
                    f"This row is about {table.area.noun} {key}, like row {self.seen[key]}; "
                    "only one row per item can be imported."
                )
                plan.errors.append(Issue(number, table.columns[0].label, message))
                return
            self.seen[key] = number
        now = rows_now.get(key or "")
        if self.foreign:
            if kind == "requirements":  # "6.1.2 a)": the list item goes to the notes
                unread |= {
                    i for i, name in self.layout.columns.items()
                    if name in ("ref", "clause") and (parts := clause_parts(given.get(name)))
                    and parts[1]
                }  # fmt: skip
            _keep_extras(table, self.layout, cells, unread, values, now, self._extras)
        if child is None and table.area.settle is not None:
            table.area.settle(values, now)
        if kind == "risks" and child is None:
            self._check_risk(values, now, number)
        if key is None:
            _name_new_item(table, values)
            if kind == "inventory" and child is None:
                if text_of(values.get("vendor")) and "source" not in values:
                    values["source"] = "vendor"  # a vendor is named: unless said, bought in
                name = text_of(values.get("name"))
                if name:
                    self.new_systems.setdefault(name.lower(), name)
            # a new SoA control's title is read, not edited: shown all the same
            named_by = table.area.name_field
            plan.added.append(
                RowPlan(number, None, item_id, values, columns=self.columns, named_by=named_by)
            )
            return
        exported = (self.baseline or {}).get(key)
        _compare(plan, table, key, item_id, values, rows_now[key], exported, number)

    def _matcher(self, rows_now: dict[str, Row]) -> Matcher | None:
        """The area's matcher of rows to items, made once for the sheet (rows_now is read
        once per sheet)."""
        if self._match is None and self.table.area.match is not None:
            self._match = self.table.area.match(self.ef, rows_now)
        return self._match

    def _lines(self, rows_now: dict[str, Row]) -> dict[tuple[str, str], str]:
        """A child sheet's lines by (parent, text read loosely) -> the first such line's key."""
        if self._by_line is None:
            self._by_line = {}
            child = self.table.child
            if child is not None:
                text_key = next(c.key for c in child.columns if c.spec and c.spec.kind == "long")
                for key, row in rows_now.items():
                    wanted = (key.rsplit("#", 1)[0], loosely(row.get(text_key)))
                    self._by_line.setdefault(wanted, key)
        return self._by_line

    def _parent_by_name(self, values: Row) -> None:
        """A line may name its item by name or title instead of ID: an item already in the
        engagement gets its ID here; one added by this import is found when it is saved."""
        parent = text_of(values.get(PARENT))
        items = self.current[self.table.kind]
        if not parent or parent in items:
            return
        if self._by_name is None:
            field = self.table.area.name_field
            self._by_name = {}
            for item_id, item in items.items():
                self._by_name.setdefault(loosely(item.get(field)), []).append(item_id)
        found = self._by_name.get(loosely(parent), [])
        if len(found) == 1:
            values[PARENT] = found[0]

    def _readers(self) -> list[tuple[int, str, Column, bool, Callable[[object], object] | None]]:
        """Each mapped column once for the sheet: (index, field, column, whether an empty
        cell leaves the field out, how its text is read: None for a column not imported)."""
        if self._read is None:
            self._read = []
            key = self.table.area.key.key
            for col, name in self.layout.columns.items():
                column = self.columns[name]
                skip_blank = self.foreign or _blank_is_unset(column)
                readable = column.editable or column.from_cell is not None
                read = _reader(column) if readable else text_of if name == key else None
                self._read.append((col, name, column, skip_blank, read))
        return self._read

    def _parse(self, cells: list[object], number: int) -> tuple[Row, Row, set[int]]:
        """(values read, cells as given, columns that could not be read)."""
        values: Row = {}
        given: Row = {}
        unread: set[int] = set()
        uncached = self.raw.uncached
        width = len(cells)
        for col, name, column, skip_blank, read in self._readers():
            cell = cells[col] if col < width else None
            if uncached and (number - 1, col) in uncached:  # it reads empty, but is not
                message = (
                    "A formula whose result was not saved in the file, so it cannot be read; "
                    "the engagement's value is kept. Open the workbook in a spreadsheet "
                    "program, save it, and import it again."
                )
                self.plan.warnings.append(Issue(number, column.label, message))
                unread.add(col)
                continue
            given[name] = cell
            if read is None or (skip_blank and _blank(cell)):
                continue
            try:
                values[name] = read(cell)
            except FieldError as exc:
                if not self.foreign:
                    self.plan.errors.append(Issue(number, column.label, exc.message))
                    continue
                typed = plain(cell)
                if isinstance(typed, str) and re.fullmatch(r"-?\d{1,9}", typed):
                    typed = int(typed)
                if isinstance(typed, int) and not isinstance(typed, bool):
                    values[name] = typed  # out of range: the service says the engagement's own
                    continue
                # a client's own sheet: the cell is kept in the notes, the row still goes in
                message = f"{exc.message} Kept in the notes instead."
                self.plan.warnings.append(Issue(number, column.label, message))
                self.plan.unread[(number, name)] = exc.message
                unread.add(col)
        return values, given, unread

    def _systems_known(self) -> dict[str, str]:
        if self._systems is None:
            self._systems = {  # AI systems by lower-case ID and name
                text_of(s.get(k)).lower(): i
                for i, s in self.current["inventory"].items()
                for k in ("name", "id")
            }
        return self._systems

    def _system_named(self, named: str) -> str:
        """An assessment's AI system by ID or by name, one added by this import included;
        a name found nowhere stays as typed (the service then says there is no such system)."""
        known = self._systems_known()
        if named.lower() in known:
            return known[named.lower()]
        if named.lower() in self.new_systems:
            return NEW_SYSTEM + self.new_systems[named.lower()]
        return named

    def _check_risk(self, values: Row, now: Row | None, number: int) -> None:
        if self._categories is None:
            self._categories = {c.name.lower() for c in risks.list_categories(self.ef)}
        _resolve_systems(self._systems_known(), self.new_systems, values, now, self.plan, number)
        category = text_of(values.get("category"))
        assert self._categories is not None
        if category and category.lower() not in self._categories:
            self._categories.add(category.lower())
            self.plan.new_categories[category] = None
            message = (
                f"'{category}' is a new risk category; it will be added to the engagement's "
                "categories."
            )
            self.plan.warnings.append(Issue(number, "Category", message))


def _given(columns: dict[str, Column], values: Row, named_by: str = "") -> list[Change]:
    """A new item's changes: each field it is given, as the sheet shows it."""
    shown = []
    for k, v in values.items():
        column = columns.get(k)
        told = column is not None and (column.editable or k == named_by)
        text = _show(column, v) if column is not None and told else ""
        if column is not None and text:
            shown.append(Change(column.label, "", text, k))
    return shown


def _raw_key(table: Table, given: Row) -> str:
    """The key a row names, before it is checked (a number column typed over reads as 0)."""
    if table.child is None:
        return text_of(given.get(table.area.key.key))
    number = text_of(given.get(NUMBER))
    return child_key(text_of(given.get(PARENT)), int(number) if number.isdigit() else 0)


def _identify(
    table: Table, values: Row, given: Row, rows_now: dict[str, Row], foreign: bool,
    plan: SheetPlan, number: int, match: Matcher | None, lines: dict[tuple[str, str], str],
) -> tuple[str | None, str | None]:  # fmt: skip
    """(key of the existing row, item ID). A key of None is a new item, with the client's own
    ID or None; (None, "") means the row was refused (the error is on the plan)."""
    if table.child is not None:
        parent = text_of(values.get(PARENT))
        position = values.get(NUMBER)
        if not parent:
            plan.errors.append(
                Issue(
                    number,
                    table.columns[0].label,
                    f"Say which {table.area.noun} this row belongs to.",
                )
            )
            return None, ""
        key = child_key(parent, int(str(position))) if position else None
        if key is None:
            key = _same_line(table, parent, values, lines)
            if key is not None:
                message = (
                    f"No. left empty: taken as line {key.rsplit('#', 1)[1]} of {parent}, "
                    "which reads the same (imported before?), not added again."
                )
                plan.warnings.append(Issue(number, NUMBER_LABEL, message))
        return (key if key in rows_now else None), parent
    id_key = table.area.key.key
    item_id = text_of(values.pop(id_key, ""))
    if item_id and item_id in rows_now:
        return item_id, item_id
    can_add = table.area.set_deleted is not None
    if match is not None and (foreign or (can_add and not item_id)):
        matched = match({**given, **values})
        if matched is not None:
            if not foreign:  # our own sheet: a new row of an item already there
                name = text_of(rows_now[matched].get(table.area.name_field))
                message = (
                    f"No ID: taken as {table.area.noun} {matched} ({short(name)}), which has "
                    f"the same {table.area.matched_by} (imported before?), not added again."
                )
                plan.warnings.append(Issue(number, table.area.key.label, message))
            return matched, matched
    if item_id and not ids.CLIENT_ID.match(item_id):
        plan.warnings.append(
            Issue(
                number,
                table.area.key.label,
                f"'{item_id}' cannot be kept as an ID (letters, "
                "digits, '.', '-', '_' only); a new ID is given.",
            )
        )
        item_id = ""
    return None, item_id or None


NUMBER_LABEL = "No."


def _same_line(
    table: Table, parent: str, values: Row, lines: dict[tuple[str, str], str]
) -> str | None:
    """The key of the parent's line whose text is the same as this new line's."""
    assert table.child is not None
    text_key = next(c.key for c in table.child.columns if c.spec and c.spec.kind == "long")
    wanted = loosely(values.get(text_key))
    return lines.get((parent, wanted)) if wanted else None


def _show(column: Column, value: object) -> str:
    """A value as the preview shows it: as the sheet would."""
    if isinstance(value, str) and value.startswith(NEW_SYSTEM):
        return f"{value.removeprefix(NEW_SYSTEM)} (added by this import)"
    if isinstance(value, tuple) and any(str(v).startswith(NEW_SYSTEM) for v in value):
        value = tuple(
            f"{str(v).removeprefix(NEW_SYSTEM)} (added by this import)"
            if str(v).startswith(NEW_SYSTEM)
            else v
            for v in value
        )
    shown = column.cell(value)
    return text_of(shown) if not isinstance(shown, tuple) else canonical(shown)


def _compare(
    plan: SheetPlan, table: Table, key: str, item_id: str | None, values: Row, now: Row,
    base: Exported | None, number: int,
) -> None:  # fmt: skip
    columns = table.by_key
    changes: Row = {}
    shown: list[Change] = []
    prints = base.prints if base else {}
    for name, value in values.items():
        column = columns.get(name)
        if column is None or not column.editable or name == PARENT:
            continue
        old = now.get(name)
        if canonical(value) == canonical(old):
            continue
        if name in prints:
            if fingerprint(value) == prints[name]:
                continue  # the client left it; the app changed it since: the app's value stays
            if fingerprint(old) != prints[name]:
                plan.conflicts.append(Conflict(number, key, name, column.label, value, old))
                continue
        changes[name] = value
        shown.append(Change(column.label, _show(column, old), _show(column, value), name))
    if changes:
        plan.updated.append(RowPlan(number, key, item_id, changes, shown))
    else:
        plan.unchanged += 1


def _name_new_item(table: Table, values: Row) -> None:
    """A client's register often has no title column: the first sentence of the description
    names the new item (the description itself is kept whole)."""
    if table.child is not None or table.area.name_from is None:
        return
    name, source = table.area.name_from
    text = text_of(values.get(source))
    if not text_of(values.get(name)) and text:
        first = re.split(r"(?<=[.!?:])\s|\n", text, maxsplit=1)[0].rstrip(".:")
        values[name] = first if len(first) <= 120 else first[:119].rstrip() + "…"


def _blank(cell: object) -> bool:
    """text_of(cell) == "", without making the text of a number."""
    if type(cell) is str:
        return not cell.strip()
    return cell is None or (type(cell) not in (int, float) and text_of(cell) == "")


def _reader(column: Column) -> Callable[[object], object]:
    """`column.stored`, quicker over a sheet's many rows: a text field's cell is read as its
    text, and a rating, choice, yes/no or date is read once per distinct cell (the results
    are never lists or dicts a row could change)."""
    spec = column.spec
    if column.from_cell is not None or spec is None:
        return column.stored
    if spec.kind in ("text", "long", "ids"):
        coerce = coercer(spec)
        return lambda cell: coerce(text_of(cell))
    return bulk.once_per_value(column.stored)


def _blank_is_unset(column: object) -> bool:
    """An emptied drop-down or number leaves the value as it is (new items get defaults);
    an emptied text or date clears it."""
    spec = getattr(column, "spec", None)
    return spec is not None and spec.kind in ("choice", "bool", "int")


def _keep_extras(table: Table, layout: Layout, cells: list[object], unread: set[int],
                 values: Row, now: Row | None, unmapped: list[int]) -> None:  # fmt: skip
    """Cells of unmapped columns (`unmapped`: those with a heading) and ones that could not
    be read go into the area's notes field, once: a client's cell is never dropped."""
    headers = layout.headers
    found = (
        sorted({*unmapped, *(i for i in unread if i < len(headers) and headers[i])})
        if unread
        else unmapped
    )
    width = len(cells)
    extras = [f"{headers[i]}: {text}" for i in found if i < width and (text := text_of(cells[i]))]
    if not extras or table.child is not None:
        return
    target = table.area.extras
    block = "\n".join([EXTRAS_HEADING, *extras])
    text = text_of(values.get(target, (now or {}).get(target, "")))
    if block not in text:
        values[target] = f"{text}\n\n{block}".strip()


NEW_SYSTEM = "\x00new AI system\x00"  # in a risk's systems: one added by the same import


def _resolve_systems(
    by_name: dict[str, str], new: dict[str, str], values: Row, now: Row | None,
    plan: SheetPlan, number: int,
) -> None:  # fmt: skip
    """AI systems named in a risk row by ID or by name, or added on the inventory sheet of
    the same import (linked once it has its ID); ones found nowhere are kept in the
    description and reported, and the row goes in."""
    named = values.get("systems")
    if not isinstance(named, tuple) or not named:
        return
    found = [
        by_name[n.lower()] if n.lower() in by_name else NEW_SYSTEM + new[n.lower()]
        for n in named
        if n.lower() in by_name or n.lower() in new
    ]
    unknown = [n for n in named if n.lower() not in by_name and n.lower() not in new]
    values["systems"] = tuple(dict.fromkeys(found))
    if unknown:
        plan.warnings.append(
            Issue(
                number,
                "AI systems",
                f"{', '.join(unknown)}: not in the AI system inventory. Kept in the "
                "risk's description; add the system to the inventory and link it.",
            )
        )
        note = (
            f"AI systems named in the client's workbook, not in the inventory: {', '.join(unknown)}"
        )
        text = text_of(values.get("description", (now or {}).get("description", "")))
        if note not in text:
            values["description"] = f"{text}\n\n{note}".strip()


# writing


class _RollbackError(Exception):
    pass


class RefusedError(WorkbookError):
    """Rows a service refused while the plan was applied (told on the plan's sheets);
    nothing was written."""


# (area kind, item ID, the item before (None: added by the import), the item as saved); a
# person the import added for a new name is ("person", person ID, None, {})
UndoStep = tuple[str, str, Row | None, Row]
PERSON_ENTITY = owners.PERSON_ENTITY


def apply(
    ef: EngagementFile, plan: Plan, commit: bool = True, skip_invalid: bool = False
) -> list[UndoStep]:
    """Write the plan in one transaction. With errors (known before or found now) nothing is
    written unless `skip_invalid`; then the valid rows go in. Returns the undo steps."""
    with bulk.no_cycle_collection():
        return _apply(ef, plan, commit, skip_invalid)


def _apply(ef: EngagementFile, plan: Plan, commit: bool, skip_invalid: bool) -> list[UndoStep]:
    if commit and plan.errors and not skip_invalid:
        raise WorkbookError(
            f"{words.count(plan.errors, 'row')} {'has' if plan.errors == 1 else 'have'} "
            "errors; nothing was imported. "
            "Fix them in the workbook, or import only the valid rows."
        )
    steps: list[UndoStep] = []
    try:
        with ef.writing() as session:
            current = Items(ef)
            added_systems: dict[str, str] = {}  # name -> ID of the systems this import adds
            for number, area in enumerate(AREAS):
                if not _touches(area, plan):
                    continue  # nothing to save: its items are not even read
                # new items of an area that adds many at once, in their order: (row, where
                # it comes from, why it cannot be saved (None: it can)); saved at the end
                new: list[
                    tuple[str | None, Row, list[tuple[SheetPlan, RowPlan]], FieldError | None]
                ] = []
                for item_id, row, before, origins in _targets(area, plan, current[area.kind]):
                    bulk = before is None and area.create_many is not None
                    try:
                        row = _link_new_systems(row, added_systems)
                        if bulk:
                            new.append((item_id, row, origins, None))
                            continue
                        with session.begin_nested():
                            new_id = area.save(ef, item_id, row, before)
                        steps.append((area.kind, new_id, before, row))
                        if area.kind == "inventory" and before is None:
                            added_systems[text_of(row.get("name"))] = new_id
                    except FieldError as exc:
                        if bulk:
                            new.append((item_id, row, origins, exc))
                        else:
                            _refused(area, exc, origins)
                if new:
                    # a trial run inserts them only when a later area may name them
                    write = commit or any(_touches(later, plan) for later in AREAS[number + 1 :])
                    _create_many(ef, area, new, steps, added_systems, write)
            if commit and plan.errors and not skip_invalid:  # refused only now, by a service
                raise RefusedError(
                    f"{words.count(plan.errors, 'row')} "
                    f"{'was' if plan.errors == 1 else 'were'} refused while importing; "
                    "nothing was imported. "
                    "Fix them in the workbook, or import only the valid rows."
                )
            if not commit:
                raise _RollbackError
            # first in the steps: undone after the rows naming them, redone before them
            people = _add_new_people(session, ef, plan)
            steps[:0] = [(PERSON_ENTITY, person, None, {}) for person in people]
            _classify_new_categories(ef, plan)
    except _RollbackError:
        return []
    return steps


def _classify_new_categories(ef: EngagementFile, plan: Plan) -> None:
    """The categories the import added, AI-specific or not as the consultant ticked them in
    the preview (asked there, so decided)."""
    for sheet in plan.sheets:
        for name, ai_specific in sheet.new_categories.items():
            found = risks.category_named(ef, name)
            if ai_specific is not None and found is not None and not found.classified:
                risks.classify_category(ef, found.id, ai_specific)


def _create_many(
    ef: EngagementFile, area: Area,
    new: list[tuple[str | None, Row, list[tuple[SheetPlan, RowPlan]], FieldError | None]],
    steps: list[UndoStep], added_systems: dict[str, str], write: bool,
) -> None:  # fmt: skip
    """The new items of an area saved by its service all at once; each refusal is told on
    its row, in the rows' order, as saving them one by one would."""
    assert area.create_many is not None
    valid = [(item_id, row) for item_id, row, _, refused in new if refused is None]
    saved = iter(area.create_many(ef, valid, write))
    for _, row, origins, refused in new:
        found = refused or next(saved)
        if isinstance(found, FieldError):
            _refused(area, found, origins)
            continue
        steps.append((area.kind, found, None, row))
        if area.kind == "inventory":
            added_systems[text_of(row.get("name"))] = found


def _touches(area: Area, plan: Plan) -> bool:
    """The plan has rows for the area (failed ones included: a conservative answer)."""
    return any(
        s.table is not None and s.table.area is area and (s.added or s.updated or s.conflicts)
        for s in plan.sheets
    )


def _link_new_systems(row: Row, added: dict[str, str]) -> Row:
    """A risk's systems, or an assessment's system, with those added by the same import
    given their new IDs."""

    def linked(field: str, system: str) -> str:
        if not system.startswith(NEW_SYSTEM):
            return system
        name = system.removeprefix(NEW_SYSTEM)
        if name not in added:
            raise FieldError(
                field,
                f"The AI system {name} was not added, so this row cannot name it; fix that "
                "row of the AI systems sheet first.",
            )
        return added[name]

    systems, system = row.get("systems"), row.get("system_id")
    if not systems and not system:
        return row  # nothing to link: the row as it is (it is not changed after)
    found = dict(row)
    if isinstance(systems, tuple):
        found["systems"] = tuple(linked("systems", str(s)) for s in systems)
    if isinstance(system, str):
        found["system_id"] = linked("system_id", system)
    return found


def _refused(area: Area, exc: FieldError, origins: list[tuple[SheetPlan, RowPlan]]) -> None:
    labels = area.field_labels()
    sheet, row = origins[0]
    row.failed = True
    name = exc.field.split(".")[0]
    message = sheet.unread.get((row.row, name), exc.message)  # what the client typed
    column = labels.get(name, "")
    if message != exc.message:  # the row is refused, so the cell is not kept in the notes
        sheet.warnings = [
            w for w in sheet.warnings if not (w.row == row.row and w.column == column)
        ]
    sheet.tell(Issue(row.row, column, message))


def _targets(
    area: Area, plan: Plan, now: dict[str, Row]
) -> Iterator[tuple[str | None, Row, Row | None, list[tuple[SheetPlan, RowPlan]]]]:
    """Each item the plan touches, as the whole row to save: the area's sheet and its child
    sheets (impacts, actions) merged, and conflicts the user settled for the workbook."""
    sheets = [s for s in plan.sheets if s.table is not None and s.table.area is area]
    touched: dict[str, tuple[Row, list[tuple[SheetPlan, RowPlan]]]] = {}
    added: list[tuple[str | None, Row, list[tuple[SheetPlan, RowPlan]]]] = []
    new_by_id: dict[str, Row] = {}
    new_by_name: dict[str, Row] = {}  # items added by the import, by name or title
    name_field = area.name_field
    indexed = 0  # of `added`, how many are in new_by_name (indexed when a line names one)

    def item(item_id: str) -> tuple[Row, list[tuple[SheetPlan, RowPlan]]] | None:
        nonlocal indexed
        if item_id in new_by_id:
            return new_by_id[item_id], []
        if item_id not in now:
            for _, values, _ in added[indexed:]:
                new_by_name.setdefault(loosely(values.get(name_field)), values)
            indexed = len(added)
        if item_id not in now and loosely(item_id) in new_by_name:
            return new_by_name[loosely(item_id)], []
        if item_id not in now:
            return None
        return touched.setdefault(item_id, (dict(now[item_id]), []))

    for sheet in (s for s in sheets if s.table and s.table.child is None):
        for row in (r for r in sheet.updated if not r.failed):
            found = item(str(row.key))
            assert found is not None
            found[0].update(row.values)
            found[1].append((sheet, row))
        for conflict in (c for c in sheet.conflicts if c.take_workbook):
            found = item(conflict.key)
            if found is not None:
                found[0][conflict.field] = conflict.workbook
                found[1].append((sheet, RowPlan(conflict.row, conflict.key, conflict.key, {})))
        for row in (r for r in sheet.added if not r.failed):
            values = dict(row.values)
            added.append((row.item_id, values, [(sheet, row)]))
            if row.item_id:
                new_by_id[row.item_id] = values
    for sheet in (s for s in sheets if s.table and s.table.child is not None):
        assert sheet.table is not None and sheet.table.child is not None
        name = sheet.table.child.field
        settled = [
            RowPlan(c.row, c.key, c.key.split("#")[0], {c.field: c.workbook})
            for c in sheet.conflicts
            if c.take_workbook
        ]
        for row in (r for r in (*sheet.updated, *settled, *sheet.added) if not r.failed):
            parent = item(str(row.item_id))
            if parent is None:
                row.failed = True
                sheet.errors.append(
                    Issue(
                        row.row,
                        sheet.table.columns[0].label,
                        f"There is no {area.noun} {row.item_id}.",
                    )
                )
                continue
            children = [dict(c) for c in parent[0].get(name) or ()]  # type: ignore[attr-defined]
            fields = {k: v for k, v in row.values.items() if k not in (PARENT, NUMBER)}
            if row.key is None:  # a new line: the fields left empty take their empty value
                children.append({**_empty_child(sheet.table.child.columns), **fields})
            else:
                position = int(row.key.rsplit("#", 1)[1]) - 1
                children[position] = {**children[position], **fields}
            parent[0][name] = tuple(children)
            parent[1].append((sheet, row))
    for item_id, (whole, origins) in touched.items():
        yield item_id, whole, now[item_id], origins
    for wanted, values, origins in added:
        yield wanted, values, None, origins


def _empty_child(columns: tuple[Column, ...]) -> Row:
    """What a new line's empty cells mean: no text, no date, not done, the first choice (as
    a line added in the app). Numbers have no empty value; the service asks for them."""
    empty: Row = {}
    for column in columns:
        spec = column.spec
        if spec is None or spec.kind == "int":
            continue
        if spec.kind == "choice":
            empty[column.key] = next(iter(spec.choices))
        else:
            empty[column.key] = {"date": None, "bool": False}.get(spec.kind, "")
    return empty


def undo(ef: EngagementFile, steps: list[UndoStep]) -> None:
    """Put back every item an import touched, in one transaction: added items (and the people
    added for new names) are deleted softly, so their IDs stay taken and a redo brings them
    back as they were."""
    with ef.writing():
        current = Items(ef)
        for kind, item_id, before, _ in reversed(steps):
            if kind == PERSON_ENTITY:
                ef.set_deleted(Person, PERSON_ENTITY, item_id, True, "person")
                continue
            area = AREA_BY_KIND[kind]
            if before is None:
                assert area.set_deleted is not None
                area.set_deleted(ef, item_id, True)
            else:
                area.save(ef, item_id, before, current[kind].get(item_id))


def redo(ef: EngagementFile, steps: list[UndoStep]) -> None:
    """The import again, after an undo: added items come back, changed ones are saved again."""
    with ef.writing():
        current = Items(ef)
        for kind, item_id, before, saved in steps:
            if kind == PERSON_ENTITY:
                ef.set_deleted(Person, PERSON_ENTITY, item_id, False, "person")
                continue
            area = AREA_BY_KIND[kind]
            if before is None:
                assert area.set_deleted is not None
                area.set_deleted(ef, item_id, False)
            else:
                area.save(ef, item_id, saved, current[kind].get(item_id))


def mapping_of(plan: Plan) -> dict[str, object]:
    """The mapping the plan read the client's own sheets with, as a --mapping file holds it;
    each sheet also lists the fields its area offers (ignored when the file is read)."""
    sheets: dict[str, object] = {}
    for sheet in plan.sheets:
        if not sheet.foreign or sheet.layout is None:
            continue
        layout = sheet.layout.to_json()
        table = sheet.table
        columns = table.columns if table else ()
        layout["fields"] = {
            c.key: c.label for c in columns if c.editable or (table and c is table.area.key)
        }
        sheets[sheet.sheet] = layout
    return {"sheets": sheets}


def as_text(plan: Plan, applied: bool) -> str:
    """The preview (or the result) for a terminal: each sheet, then what would change."""
    lines = [f"{'Imported' if applied else 'Would import'} {plan.path.name}"
             f" ({'our own export' if plan.own else 'a workbook from outside'}):"]  # fmt: skip
    lines += [f"  warning: {w}" for w in plan.warnings]
    for sheet in plan.sheets:
        data = sheet.to_json()
        lines.append(
            f"  {sheet.sheet} [{sheet.kind}, {sheet.header_said}]: "
            f"{words.count(sheet.rows, 'row')}, "
            f"{data['added']} new, {data['updated']} changed, {sheet.unchanged} unchanged, "
            f"{words.count(len(sheet.conflicts), 'conflict')}, "
            f"{words.count(len(sheet.errors), 'error')}"
        )
        for row in (r for r in (*sheet.added, *sheet.updated) if not r.failed):
            what = (f"new {row.item_id}" if row.item_id else "new") if row.key is None else row.key
            for change in row.changes[:12]:
                lines.append(
                    f"    row {row.row} ({what}) {change.label}: "
                    f"{short(change.old)} -> {short(change.new)}"
                )
        for c in sheet.conflicts:
            lines.append(
                f"    conflict row {c.row} ({c.key}) {c.label}: "
                f"workbook {short(text_of(c.workbook))!r}, "
                f"app {short(text_of(c.app))!r} "
                f"({'the workbook' if c.take_workbook else 'the app'}'s value is kept)"
            )
        for e in sheet.errors:
            message = e.message.removeprefix(f"{e.column}: ")  # the column is named once
            lines.append(f"    error{_where(e)}: {message}")
        for w in sheet.warnings:
            lines.append(f"    warning{_where(w)}: {w.message}")
    return "\n".join(lines)


def _where(issue: Issue) -> str:
    """ " row 3, Owner" for a cell, "" for the sheet as a whole (row 0, no column)."""
    parts = [f"row {issue.row}"] if issue.row else []
    parts += [issue.column] if issue.column else []
    return " " + ", ".join(parts) if parts else ""


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
