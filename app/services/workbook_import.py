"""Import a workbook: our own export coming back from the client, or any workbook of theirs.

`build_plan` reads and compares without writing; `apply` writes the plan in one transaction
(a trial run of it, rolled back, is how the preview learns every refusal the services would
give); `undo` puts everything back in one step. Rows the client deleted are reported and
never deleted; a field changed both in the workbook and in the app since the export is a
conflict the user settles."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from app.services import ids, inventory, risks
from app.services.cell_values import text_of
from app.services.engagement_file import EngagementFile
from app.services.errors import FieldError, WorkbookError
from app.services.sheet_areas import AREA_BY_KIND, AREAS, Area, Row, canonical
from app.services.sheet_layout import (
    Layout,
    apply_saved,
    detect,
    headers_at,
    is_data_row,
)
from app.services.workbook_export import FORMAT, FORMAT_VERSION, LISTS_SHEET, META_SHEET
from app.services.workbook_read import RawSheet, read_workbook
from app.services.workbook_tables import (
    NUMBER,
    PARENT,
    Table,
    child_key,
    fingerprint,
    load_all,
    tables,
)

REFERENCE_SHEETS = {"Instructions", "Risk criteria", "SoA issued", LISTS_SHEET, META_SHEET}
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


@dataclass
class RowPlan:
    row: int
    key: str | None  # the table's key of an existing row; None for a new item
    item_id: str | None  # the item's ID (a client's own ID for a new one), if any
    values: Row  # what the import sets: changed fields, or every given field of a new item
    changes: list[Change] = field(default_factory=list)
    failed: bool = False  # refused by the trial run


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
        }


@dataclass
class Plan:
    path: Path
    own: bool
    sheets: list[SheetPlan]

    @property
    def errors(self) -> int:
        return sum(len(s.errors) for s in self.sheets)

    @property
    def changes(self) -> int:
        return sum(1 for s in self.sheets for r in (*s.added, *s.updated) if not r.failed) + sum(
            1 for s in self.sheets for c in s.conflicts if c.take_workbook
        )

    def to_json(self, applied: bool) -> dict[str, object]:
        return {"applied": applied, "sheets": [s.to_json() for s in self.sheets]}


# reading the plan


def build_plan(
    ef: EngagementFile, path: Path, mapping: dict[str, dict[str, object]] | None = None,
    layouts: dict[str, Layout] | None = None,
) -> Plan:  # fmt: skip
    """What importing `path` would change. `mapping` (a saved named mapping) and `layouts`
    (the user's corrections) override what is detected on foreign sheets."""
    sheets = read_workbook(path)
    by_name = {s.name: s for s in sheets}
    current = load_all(ef)
    meta = by_name.get(META_SHEET)
    plans: list[SheetPlan] = []
    own_sheets: set[str] = set()
    if meta is not None:
        info, entries, baseline = _read_meta(meta, path.name)
        _check_engagement(ef, info, path.name)
        for sheet_name, table in entries:
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
            layout = Layout(
                table.kind, 1, headers, {i: labels[h] for i, h in enumerate(headers) if h in labels}
            )
            plans.append(_plan_sheet(ef, raw, table, layout, current, baseline.get(sheet_name, {})))
    for raw in sheets:
        if raw.name in own_sheets or raw.name in REFERENCE_SHEETS or raw.hidden:
            continue
        found = (layouts or {}).get(raw.name)
        if found is None and mapping and raw.name in mapping:
            found = apply_saved(raw, mapping[raw.name])
        layout = found or detect(raw)
        area_table = next((t for t in tables() if t.kind == layout.kind and not t.child), None)
        if area_table is None:
            unknown = SheetPlan(raw.name, layout.kind, layout.header_row, None, layout)
            unknown.rows = sum(
                1
                for r in range(layout.header_row, len(raw.rows))
                if is_data_row(raw, r, len(layout.headers) or 1)
            )
            what = (
                "the engagement has no register for it yet"
                if layout.kind != "unknown"
                else "it was not recognised as any area (correct the mapping to import it)"
            )
            unknown.warnings.append(Issue(0, "", f"Nothing imported from this sheet: {what}."))
            plans.append(unknown)
            continue
        plans.append(_plan_sheet(ef, raw, area_table, layout, current, None))
    plan = Plan(path, meta is not None, plans)
    if not ef.read_only:  # the trial run, rolled back: the services' own checks
        apply(ef, plan, commit=False, skip_invalid=True)
    return plan


Baseline = dict[str, tuple[int, dict[str, str]]]  # key -> (row at export, fingerprint by field)


def _read_meta(
    meta: RawSheet, name: str
) -> tuple[dict[str, str], list[tuple[str, Table]], dict[str, Baseline]]:
    info: dict[str, str] = {}
    entries: list[tuple[str, Table]] = []
    keys_of: dict[str, list[str]] = {}
    baseline: dict[str, Baseline] = {}
    by_kind = {(t.kind, t.child.field if t.child else ""): t for t in tables()}
    try:
        for cells in meta.rows:
            texts = [text_of(c) for c in cells] + [""] * 5
            tag = texts[0]
            if tag == "sheet":
                table = by_kind.get((texts[2], texts[3]))
                if table is not None:
                    entries.append((texts[1], table))
                    keys_of[texts[1]] = texts[4].split("|")
            elif tag == "row":
                keys = keys_of[texts[1]]
                prints = dict(zip(keys, texts[4].split(" "), strict=True))
                baseline.setdefault(texts[1], {})[texts[3]] = (int(texts[2]), prints)
            elif tag:
                info[tag] = texts[1]
                if tag == "format":
                    info["format_version"] = texts[2]
    except (KeyError, ValueError) as exc:
        raise WorkbookError(
            f"{name}: the hidden sheet that ties it to the engagement "
            f"is damaged ({exc}). Export a fresh workbook."
        ) from None
    if info.get("format") != FORMAT:
        raise WorkbookError(
            f"{name} has a sheet named {META_SHEET} that this app "
            "did not write; rename that sheet and import again."
        )
    version = info.get("format_version", "0") or "0"
    if not version.isdigit():
        raise WorkbookError(
            f"{name}: the hidden sheet that ties it to the engagement is damaged (format "
            f"version '{version}'). Export a fresh workbook."
        )
    if int(version) > FORMAT_VERSION:
        raise WorkbookError(
            f"{name} was exported by a newer version of AIMS Prep; update the app to import it."
        )
    return info, entries, baseline


def _check_engagement(ef: EngagementFile, info: dict[str, str], name: str) -> None:
    if info.get("engagement") != ef.details.uid:
        raise WorkbookError(
            f"{name} was exported from another engagement "
            f"(client: {info.get('client') or 'unknown'}). "
            "Open that engagement to import it."
        )


def _plan_sheet(
    ef: EngagementFile, raw: RawSheet, table: Table, layout: Layout,
    current: dict[str, dict[str, Row]], baseline: Baseline | None,
) -> SheetPlan:  # fmt: skip
    plan = SheetPlan(raw.name, table.kind, layout.header_row, table, layout)
    foreign = baseline is None
    columns = {c.key: c for c in table.columns}
    rows_now = table.rows(current[table.kind])
    width = len(layout.headers)
    seen: dict[str, int] = {}
    present: set[str] = set()  # keys on the sheet, rows with errors included
    categories = (
        {c.name.lower() for c in risks.list_categories(ef)} if table.kind == "risks" else set()
    )
    for index in range(layout.header_row, len(raw.rows)):
        if not is_data_row(raw, index, width):
            continue
        plan.rows += 1
        number = index + 1
        cells = raw.rows[index]
        values: Row = {}
        given: Row = {}
        unread: set[int] = set()
        for col, name in layout.columns.items():
            cell = cells[col] if col < len(cells) else None
            given[name] = cell
            column = columns[name]
            if text_of(cell) == "" and (foreign or _blank_is_unset(column)):
                continue
            if not column.editable and column.from_cell is None and name != table.area.key.key:
                continue
            try:
                values[name] = (
                    column.stored(cell) if column.editable or column.from_cell else text_of(cell)
                )
            except FieldError as exc:
                if not foreign:
                    plan.errors.append(Issue(number, column.label, exc.message))
                    continue
                # a client's own sheet: the cell is kept in the notes, the row still goes in
                plan.warnings.append(
                    Issue(number, column.label, f"{exc.message} Kept in the notes instead.")
                )
                unread.add(col)
        present.add(_raw_key(table, given))
        if any(e.row == number for e in plan.errors):
            continue
        key, item_id = _identify(ef, table, values, given, rows_now, foreign, plan, number)
        if key is None and item_id == "":
            continue
        if key is not None:
            if key in seen:
                plan.errors.append(
                    Issue(
                        number,
                        table.columns[0].label,
                        f"This row is about {table.area.noun} {key}, like row "
                        f"{seen[key]}; only one row per item can be imported.",
                    )
                )
                continue
            seen[key] = number
        if foreign:
            _keep_extras(table, layout, cells, unread, values, rows_now.get(key or ""))
        if table.kind == "risks" and table.child is None:
            _resolve_systems(ef, values, rows_now.get(key or ""), plan, number)
            category = text_of(values.get("category"))
            if category and category.lower() not in categories:
                categories.add(category.lower())
                plan.warnings.append(
                    Issue(
                        number,
                        "Category",
                        f"'{category}' is a new risk category; it will "
                        "be added to the engagement's categories.",
                    )
                )
        if key is None:
            _name_new_item(table, values)
            plan.added.append(
                RowPlan(
                    number,
                    None,
                    item_id,
                    values,
                    [
                        Change(columns[k].label, "", _show(columns[k], v))
                        for k, v in values.items()
                        if k in columns and columns[k].editable and _show(columns[k], v)
                    ],
                )
            )
            continue
        _compare(
            plan, table, key, item_id, values, rows_now[key], (baseline or {}).get(key), number
        )
    if baseline is not None:
        for key, (row, _) in sorted(baseline.items(), key=lambda kv: kv[1][0]):
            if key not in present and key in rows_now:
                plan.warnings.append(
                    Issue(
                        row,
                        "",
                        f"The row of {table.area.noun} {key} was deleted from the workbook; it "
                        "stays in the engagement (delete it in the app if that was meant).",
                    )
                )
    return plan


def _raw_key(table: Table, given: Row) -> str:
    if table.child is None:
        return text_of(given.get(table.area.key.key))
    return child_key(text_of(given.get(PARENT)), int(text_of(given.get(NUMBER)) or 0))


def _identify(
    ef: EngagementFile, table: Table, values: Row, given: Row, rows_now: dict[str, Row],
    foreign: bool, plan: SheetPlan, number: int,
) -> tuple[str | None, str | None]:  # fmt: skip
    """(key of the existing row, item ID): key None means a new item; ("", None)... refused."""
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
        return (key if key in rows_now else None), parent
    id_key = table.area.key.key
    item_id = text_of(values.pop(id_key, ""))
    if item_id and item_id in rows_now:
        return item_id, item_id
    if foreign and table.area.match is not None:
        matched = table.area.match(ef, {**given, **values})
        if matched is not None:
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


def _show(column: object, value: object) -> str:
    from app.services.sheet_areas import Column

    assert isinstance(column, Column)
    shown = column.cell(value)
    return text_of(shown) if not isinstance(shown, tuple) else canonical(shown)


def _compare(
    plan: SheetPlan, table: Table, key: str, item_id: str | None, values: Row, now: Row,
    base: tuple[int, dict[str, str]] | None, number: int,
) -> None:  # fmt: skip
    columns = {c.key: c for c in table.columns}
    changes: Row = {}
    shown: list[Change] = []
    prints = base[1] if base else {}
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
        shown.append(Change(column.label, _show(column, old), _show(column, value)))
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


def _blank_is_unset(column: object) -> bool:
    """An emptied drop-down or number leaves the value as it is (new items get defaults);
    an emptied text or date clears it."""
    spec = getattr(column, "spec", None)
    return spec is not None and spec.kind in ("choice", "bool", "int")


def _keep_extras(table: Table, layout: Layout, cells: list[object], unread: set[int],
                 values: Row, now: Row | None) -> None:  # fmt: skip
    """Cells of unmapped columns (and ones that could not be read) go into the area's notes
    field, once: a client's cell is never dropped."""
    extras = [
        f"{layout.headers[i]}: {text_of(c)}"
        for i, c in enumerate(cells)
        if (i not in layout.columns or i in unread)
        and i < len(layout.headers)
        and layout.headers[i]
        and text_of(c)
    ]
    if not extras or table.child is not None:
        return
    target = table.area.extras
    block = "\n".join([EXTRAS_HEADING, *extras])
    text = text_of(values.get(target, (now or {}).get(target, "")))
    if block not in text:
        values[target] = f"{text}\n\n{block}".strip()


def _resolve_systems(
    ef: EngagementFile, values: Row, now: Row | None, plan: SheetPlan, number: int
) -> None:
    """AI systems named in a risk row by ID or by name; ones not in the inventory are kept in
    the description and reported, and the row goes in."""
    named = values.get("systems")
    if not isinstance(named, tuple) or not named:
        return
    systems = inventory.list_systems(ef)
    by_name = {s.name.lower(): s.id for s in systems} | {s.id.lower(): s.id for s in systems}
    found = [by_name[n.lower()] for n in named if n.lower() in by_name]
    unknown = [n for n in named if n.lower() not in by_name]
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


UndoStep = tuple[str, str, Row | None]  # (area kind, item ID, the item before; None if added)


def apply(
    ef: EngagementFile, plan: Plan, commit: bool = True, skip_invalid: bool = False
) -> list[UndoStep]:
    """Write the plan in one transaction. With errors (known before or found now) nothing is
    written unless `skip_invalid`; then the valid rows go in. Returns the undo steps."""
    if commit and plan.errors and not skip_invalid:
        raise WorkbookError(
            f"{plan.errors} rows have errors; nothing was imported. "
            "Fix them in the workbook, or import only the valid rows."
        )
    steps: list[UndoStep] = []
    try:
        with ef.writing() as session:
            current = load_all(ef)
            for area in AREAS:
                for item_id, row, before, origins in _targets(area, plan, current[area.kind]):
                    try:
                        with session.begin_nested():
                            new_id = area.save(ef, item_id, row, before)
                        steps.append((area.kind, new_id, before))
                    except FieldError as exc:
                        _refused(area, exc, origins)
            if not commit or (plan.errors and not skip_invalid):
                raise _RollbackError
    except _RollbackError:
        return []
    return steps


def _refused(area: Area, exc: FieldError, origins: list[tuple[SheetPlan, RowPlan]]) -> None:
    labels = area.field_labels()
    sheet, row = origins[0]
    row.failed = True
    if not any(e.row == row.row and e.message == exc.message for e in sheet.errors):
        column = labels.get(exc.field.split(".")[0], "")
        sheet.errors.append(Issue(row.row, column, exc.message))


def _targets(
    area: Area, plan: Plan, now: dict[str, Row]
) -> Iterator[tuple[str | None, Row, Row | None, list[tuple[SheetPlan, RowPlan]]]]:
    """Each item the plan touches, as the whole row to save: the area's sheet and its child
    sheets (impacts, actions) merged, and conflicts the user settled for the workbook."""
    sheets = [s for s in plan.sheets if s.table is not None and s.table.area is area]
    touched: dict[str, tuple[Row, list[tuple[SheetPlan, RowPlan]]]] = {}
    added: list[tuple[str | None, Row, list[tuple[SheetPlan, RowPlan]]]] = []
    new_by_id: dict[str, Row] = {}

    def item(item_id: str) -> tuple[Row, list[tuple[SheetPlan, RowPlan]]] | None:
        if item_id in new_by_id:
            return new_by_id[item_id], []
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
            if row.key is None:
                children.append(fields)
            else:
                position = int(row.key.rsplit("#", 1)[1]) - 1
                children[position] = {**children[position], **fields}
            parent[0][name] = tuple(children)
            parent[1].append((sheet, row))
    for item_id, (whole, origins) in touched.items():
        yield item_id, whole, now[item_id], origins
    for wanted, values, origins in added:
        yield wanted, values, None, origins


def undo(ef: EngagementFile, steps: list[UndoStep]) -> None:
    """Put back every item an import touched, in one transaction."""
    with ef.writing():
        current = load_all(ef)
        for kind, item_id, before in reversed(steps):
            area = AREA_BY_KIND[kind]
            if before is None:
                assert area.remove is not None
                area.remove(ef, item_id)
            else:
                area.save(ef, item_id, before, current[kind].get(item_id))


def as_text(plan: Plan, applied: bool) -> str:
    """The preview (or the result) for a terminal: each sheet, then what would change."""
    lines = [f"{'Imported' if applied else 'Would import'} {plan.path.name}"
             f" ({'our own export' if plan.own else 'a workbook from outside'}):"]  # fmt: skip
    for sheet in plan.sheets:
        data = sheet.to_json()
        lines.append(
            f"  {sheet.sheet} [{sheet.kind}, header row {sheet.header_row}]: {sheet.rows} rows, "
            f"{data['added']} new, {data['updated']} changed, {sheet.unchanged} unchanged, "
            f"{len(sheet.conflicts)} conflicts, {len(sheet.errors)} errors"
        )
        for row in (r for r in (*sheet.added, *sheet.updated) if not r.failed):
            what = "new" if row.key is None else str(row.key)
            for change in row.changes[:12]:
                lines.append(
                    f"    row {row.row} ({what}) {change.label}: "
                    f"{short(change.old)} -> {short(change.new)}"
                )
        for c in sheet.conflicts:
            lines.append(
                f"    conflict row {c.row} ({c.key}) {c.label}: "
                f"workbook {short(text_of(c.workbook))!r}, "
                f"app {short(text_of(c.app))!r} (the app's value is kept)"
            )
        for e in sheet.errors:
            lines.append(f"    error row {e.row}{', ' + e.column if e.column else ''}: {e.message}")
        for w in sheet.warnings:
            lines.append(
                f"    warning row {w.row}{', ' + w.column if w.column else ''}: {w.message}"
            )
    return "\n".join(lines)


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
