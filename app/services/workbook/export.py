"""Export the engagement as a workbook for the client: one sheet per table, an Instructions
sheet, reference sheets, and a hidden metadata sheet holding what each row was at export time
(so an import can tell the client's edits from changes made in the app since)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import secrets
import time
from collections.abc import Iterator
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet._writer import ALL_TEMP_FILES, WorksheetWriter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection

import app
from app.services.engagement import safe_output
from app.services.engagement.errors import FileWriteError
from app.services.engagement.file import EngagementFile
from app.services.gaps import SEVERITIES, SEVERITY_MEANING
from app.services.readiness import catalogue
from app.services.risks import service as risks
from app.services.soa import service as soa
from app.services.workbook.areas import Column
from app.services.workbook.read import column_letter
from app.services.workbook.tables import Items, Table, fingerprint, row_digest, tables

META_SHEET = "_aims"
LISTS_SHEET = "Lists"
FORMAT = "aims-prep-workbook"
FORMAT_VERSION = 1
_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
_LOCKED_FILL = PatternFill("solid", fgColor="E8EBEF")
_PROGRESS_EVERY = 2_000


def guarded(cell: Cell) -> Cell:
    """The one guard every written cell passes: text that starts with "=" stays text, never
    a formula (a client's or consultant's name included)."""
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _styled_sheet(wb: Workbook, title: str) -> Any:
    """A write-only sheet; every sheet of the export is made here. Its rows are styled cells
    or plain values, each through `guarded`. openpyxl recognises a styled cell by first
    failing to store it as a value (and formatting an error message): handing the cells
    straight to the writer saves about a third of the export. Its temporary file is put
    beside the workbook being written (see _TempFiles), never in a shared temp folder."""
    ws = wb.create_sheet(title)

    def cells_of(values: list[object], row_idx: int) -> Iterator[Cell]:
        for col_idx, value in enumerate(values, 1):
            cell = value if isinstance(value, Cell) else WriteOnlyCell(ws, value)
            cell.column, cell.row = col_idx, row_idx
            yield guarded(cell)

    def get_writer() -> None:
        if ws._writer is None:
            ws._writer = WorksheetWriter(ws, out=wb._aims_temp.new(".sheet.xml"))
            ws._writer.write_top()

    ws._values_to_row = cells_of
    ws._get_writer = get_writer
    return ws


class _Styles:
    """One prototype cell per look; data cells copy its style array, which is much cheaper
    than setting font, fill and protection on each of a million cells."""

    def __init__(self, ws: object) -> None:
        self.ws = ws
        self._ids: dict[int, int] = {}  # prototype -> its style's index in the workbook
        self.header = self.make(font=Font(bold=True, color="FFFFFF"), fill=_HEADER_FILL,
                                 alignment=Alignment(wrap_text=True, vertical="top"))  # fmt: skip
        self.locked = self.make(fill=_LOCKED_FILL, alignment=Alignment(vertical="top"))
        self.locked_wrap = self.make(
            fill=_LOCKED_FILL, alignment=Alignment(wrap_text=True, vertical="top")
        )
        self.free = self.make(
            protection=Protection(locked=False), alignment=Alignment(vertical="top")
        )
        self.free_wrap = self.make(
            protection=Protection(locked=False), alignment=Alignment(wrap_text=True, vertical="top")
        )
        self.free_date = self.make(
            protection=Protection(locked=False),
            alignment=Alignment(vertical="top"),
            number_format="yyyy-mm-dd",
        )

    def make(self, **attrs: object) -> Cell:
        cell = WriteOnlyCell(self.ws)
        for name, value in attrs.items():
            setattr(cell, name, value)
        return cell

    def cell(self, proto: Cell, value: object) -> Cell:
        cell = _Cell(self.ws, 1, 1)
        if isinstance(value, dt.date | dt.time | dt.timedelta):
            cell._style = copy(proto._style)  # a date may set its own number format
            cell.value = value
            cell.shared_id = None
        else:  # other values leave the style alone: share it, and its index in the workbook
            cell._style = proto._style
            cell.value = value
            cell.shared_id = self._ids.get(id(proto))
            if cell.shared_id is None:
                cell.shared_id = self._ids[id(proto)] = super(_Cell, cell).style_id
        return guarded(cell)


class _Cell(Cell):  # type: ignore[misc]  # openpyxl has no types
    """A cell whose style index is known already: the writer asks for it once per cell, and
    looking it up means hashing the style each time (a tenth of a large export)."""

    __slots__ = ("shared_id",)

    @property
    def style_id(self) -> int:
        if self.shared_id is None:
            return int(super().style_id)
        return int(self.shared_id)


def export_workbook(ef: EngagementFile, destination: Path) -> Iterator[tuple[int, int, str]]:
    """Write the workbook; yields (done, total, what) as it goes. Written to temporary files
    beside the destination and moved into place at the end, so a failure leaves no half file
    (and leftovers of an earlier export killed midway are removed first)."""
    safe_output.check_output(Path(destination), [ef.path])
    temp = _TempFiles(destination)
    temp.remove_leftovers()
    items = Items(ef)
    all_tables = list(tables())
    total = sum(len(t.rows(items[t.kind])) for t in all_tables) or 1
    wb = Workbook(write_only=True)
    wb._aims_temp = temp
    try:
        yield from _write_all(wb, ef, items, all_tables, total)
        yield total, total, "Saving"
        _save(wb, destination)
    finally:  # done, cancelled (GeneratorExit) or failed: no temporary files left behind
        _discard(wb)
        temp.remove_own()


class _TempFiles:
    """openpyxl's temporary file of each sheet, beside the target (never in a shared temp
    folder), named as safe_output names temporary outputs (`.NAME.xlsx.TOKEN.PID.partial`),
    so what an export killed midway left is removed by the next run's sweep."""

    def __init__(self, destination: Path) -> None:
        self.folder = destination.parent
        self.name = destination.name
        self.made: list[Path] = []

    def new(self, suffix: str) -> str:
        """A new empty file of this export (`suffix` says what it holds)."""
        for _ in range(100):
            token = f"{suffix.strip('.').replace('.', '-')}-{secrets.token_hex(4)}"
            path = self.folder / f".{self.name}.{token}.{os.getpid()}.partial"
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            except FileExistsError:
                continue
            except OSError as exc:
                raise FileWriteError(
                    f"Nothing can be saved in {self.folder}: "
                    f"{safe_output.disk_message(exc, self.folder)}."
                ) from exc
            self.made.append(path)
            ALL_TEMP_FILES.append(str(path))  # openpyxl removes these at exit, and expects it
            return str(path)
        raise FileWriteError(f"Nothing can be saved in {self.folder}: too many temporary files.")

    def remove_own(self) -> None:
        for path in self.made:
            path.unlink(missing_ok=True)
            with contextlib.suppress(ValueError):
                ALL_TEMP_FILES.remove(str(path))
        self.made.clear()

    def remove_leftovers(self) -> None:
        """What killed writers left beside the target (and the `.export-*.xlsx` of older
        versions, once an hour old: those carry no process number)."""
        safe_output.sweep(self.folder)
        hour_ago = time.time() - 3600
        for path in self.folder.glob(".export-*.xlsx"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < hour_ago:
                    path.unlink()


def _write_all(
    wb: Workbook, ef: EngagementFile, items: Items, all_tables: list[Table], total: int
) -> Iterator[tuple[int, int, str]]:
    meta = _meta_rows(ef)
    lists = _Lists()
    scales = _scales(ef)
    _instructions(wb, ef, all_tables)
    done = 0
    for table in all_tables:
        yield done, total, table.sheet
        for written in _write_table(wb, table, items[table.kind], lists, meta, done, scales):
            if written % _PROGRESS_EVERY == 0:
                yield written, total, table.sheet
            done = written
    _criteria_sheet(wb, ef)
    _issued_soa_sheet(wb, ef)
    _gap_rules_sheet(wb, ef)
    lists.write(wb)
    meta_ws = _styled_sheet(wb, META_SHEET)
    meta_ws.sheet_state = "veryHidden"
    for row in meta:
        meta_ws.append(row)


def _discard(wb: Workbook) -> None:
    """Close the sheets of a workbook that was not saved (openpyxl keeps each write-only
    sheet in a temporary file until the save); _TempFiles then deletes the files."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        for generator in (getattr(ws, "_rows", None), getattr(writer, "xf", None)):
            if generator is not None:  # the rows, then the file they are written into
                with contextlib.suppress(Exception):  # a sheet half written or already closed
                    generator.close()


def _meta_rows(ef: EngagementFile) -> list[list[object]]:
    return [
        ["format", FORMAT, FORMAT_VERSION],
        ["engagement", ef.details.uid],
        ["client", ef.details.client],
        ["exported_at", dt.datetime.now().replace(microsecond=0).isoformat()],
        ["app_version", app.__version__],
        ["catalog", ef.catalog.version],
    ]


class _Lists:
    """Choice lists on a hidden sheet: a drop-down pointing at a range has no length limit."""

    def __init__(self) -> None:
        self.columns: dict[tuple[str, ...], int] = {}

    def formula(self, choices: list[str]) -> str:
        key = tuple(choices)
        index = self.columns.setdefault(key, len(self.columns))
        letter = column_letter(index)
        return f"{LISTS_SHEET}!${letter}$1:${letter}${len(choices)}"

    def write(self, wb: Workbook) -> None:
        ws = _styled_sheet(wb, LISTS_SHEET)
        ws.sheet_state = "hidden"
        columns = list(self.columns)
        for r in range(max((len(c) for c in columns), default=0)):
            ws.append([c[r] if r < len(c) else None for c in columns])


def _width(column: Column) -> int:
    """Wide enough for the longest word of the column's title (the title wraps)."""
    return max(column.width, max(len(w) for w in column.label.split()) + 3)


def _scales(ef: EngagementFile) -> dict[str, tuple[int, int]]:
    """The range of each rating column: a risk's from the engagement's criteria."""
    criteria = risks.get_criteria(ef)
    return {
        "inherent_likelihood": (1, len(criteria.likelihood)),
        "residual_likelihood": (1, len(criteria.likelihood)),
        "inherent_impact": (1, len(criteria.impact)),
        "residual_impact": (1, len(criteria.impact)),
        # an impact assessment's impacts are rated on the same scales
        "severity": (1, len(criteria.impact)),
        "likelihood": (1, len(criteria.likelihood)),
    }


def _validation(column: Column, lists: _Lists, scales: dict[str, tuple[int, int]]) -> Any:
    """The drop-down list, date or whole-number check of an editable column, or None."""
    spec = column.spec
    common = {"allow_blank": True, "showErrorMessage": True, "errorTitle": column.label}
    if column.choices:
        return DataValidation(
            type="list", formula1=lists.formula(column.choices), **common,
            error=f"Pick one of the values in the list for {column.label}.",
        )  # fmt: skip
    if spec is None or column.to_cell is not None:
        return None
    if spec.kind == "date":
        return DataValidation(
            type="date", operator="between", formula1="2", formula2="2958465", **common,
            error=f"{column.label}: type a date, as YYYY-MM-DD (for example 2027-03-31).",
        )  # fmt: skip
    if spec.kind == "int":
        low, high = scales.get(column.key, (spec.low, spec.high))
        if high > low:
            return DataValidation(
                type="whole", operator="between", formula1=str(low), formula2=str(high),
                **common, error=f"{column.label}: type a whole number from {low} to {high}.",
            )  # fmt: skip
    if spec.kind == "number":
        return DataValidation(
            type="decimal", operator="between", formula1="-1E+300", formula2="1E+300",
            **common, error=f"{column.label}: type a number, with a point for decimals.",
        )  # fmt: skip
    return None


_PRINT_ROWS = 100_000  # rows a register's print area covers, data or not


def _print_setup(ws: Any, last_col: str, last_row: int, one_page: bool = False) -> None:
    """Landscape, one page wide (one page in all for `one_page`), the heading row on every
    page, the sheet's name and page numbers in the footer. The print area is the sheet's
    columns, whole: rows the client adds below the data are printed too (spreadsheet
    programs print the rows in use)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = not one_page
    # not down to the sheet's last row: LibreOffice would save that as whole columns, which
    # other programs (openpyxl among them) cannot read back
    ws.print_area = f"A1:{last_col}{last_row if one_page else max(last_row, _PRINT_ROWS)}"
    if not one_page:
        ws.print_title_rows = "1:1"
    ws.oddFooter.center.text = "&A, page &P of &N"


def _write_table(
    wb: Workbook, table: Table, items: dict[str, dict[str, object]], lists: _Lists,
    meta: list[list[object]], done: int, scales: dict[str, tuple[int, int]],
) -> Iterator[int]:  # fmt: skip
    ws = _styled_sheet(wb, table.sheet)
    styles = _Styles(ws)
    columns = table.columns
    locked_keys = set(table.id_keys) | {c.key for c in columns if not c.editable}
    protos = []
    for index, column in enumerate(columns):
        # each column's own style is what a new row below the data gets: editable columns
        # stay editable on every row of the sheet, and rows the client inserts too
        dimension = ws.column_dimensions[column_letter(index)]
        dimension.width = _width(column)
        kind = column.spec.kind if column.spec else ""
        if column.key in locked_keys:
            proto = styles.locked_wrap if column.width > 30 else styles.locked
        elif kind == "date":
            proto = styles.free_date
        else:
            proto = styles.free_wrap if column.width > 30 else styles.free
        protos.append(proto)
        if table.area.set_deleted is not None or column.key in locked_keys:
            dimension._style = copy(proto._style)
        # else: the checklist and the SoA list what the catalog holds; no row can be added
        # there, so the cells below them stay locked (a stray row would block the import)
    rows = table.rows(items)
    last_row = max(len(rows) + 1, 2)
    last_col = column_letter(len(columns) - 1)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{last_col}{last_row}"
    _print_setup(ws, last_col, last_row)
    ws.protection = SheetProtection(
        sheet=True, formatCells=False, formatColumns=False, formatRows=False,
        insertRows=False, deleteRows=False, sort=False, autoFilter=False,
    )  # fmt: skip
    for index, column in enumerate(columns):
        validation = None if column.key in locked_keys else _validation(column, lists, scales)
        if validation is not None:
            letter = column_letter(index)
            validation.add(f"{letter}2:{letter}1048576")
            ws.data_validations.append(validation)
    wrapped = [(i, _width(c)) for i, c in enumerate(columns) if c.width > 30]
    _fit_height(ws, 1, [(c.label, _width(c)) for c in columns])
    ws.append([styles.cell(styles.header, c.label) for c in columns])
    meta.append(["sheet", table.sheet, table.kind, table.child.field if table.child else "",
                 "|".join(c.key for c in columns)])  # fmt: skip
    for number, (key, row) in enumerate(rows.items(), start=2):
        values = [row.get(c.key) for c in columns]
        shown = [c.cell(v) for c, v in zip(columns, values, strict=True)]
        _fit_height(ws, number, [(shown[i], width) for i, width in wrapped])
        ws.append([styles.cell(p, v) for p, v in zip(protos, shown, strict=True)])
        prints = " ".join(fingerprint(v) for v in values)
        meta.append(["row", table.sheet, number, key, prints, row_digest(shown)])
        done += 1
        yield done


_LINE_PT = 15
_MOST_LINES = 10  # a longer text shows its first lines; the cell holds it all


def _fit_height(ws: Any, row: int, cells: list[tuple[object, int]]) -> None:
    """Give a row the height its wrapped text needs: spreadsheet programs do not all fit
    rows to their text when they open a file."""
    lines = 1
    for text, width in cells:
        if isinstance(text, str) and len(text) > width:
            per_line = max(1, int(width * 1.1))
            found = sum(-(-len(part) // per_line) or 1 for part in text.split("\n"))
            lines = max(lines, found)
    if lines > 1:
        ws.row_dimensions[row].height = _LINE_PT * min(lines, _MOST_LINES)


INSTRUCTIONS = (
    "White cells can be edited. Grey cells are locked: IDs and line numbers, the standard's "
    "titles and the guidance for you (the question to ask, the typical evidence, what a "
    "control is about), and scores the app computes. Edits of grey cells are not imported.",
    "Cells with a small arrow offer a list: pick a value from it. Dates are checked (type "
    "them as YYYY-MM-DD, for example 2027-03-31, so no one has to guess the order of day and "
    "month), and so are ratings (a whole number on the scale of the Risk criteria sheet).",
    "To add an item (an AI system, an impact assessment, a risk, an issue, an interested party, "
    "a requirement, an obligation): type it in any empty row below the last one, or insert a "
    "row. Leave the grey ID empty: the app gives the new item its ID "
    "when the workbook comes back. Checklist and SoA draft rows come from the standard: "
    "rows cannot be added there.",
    "To add an impact or a treatment action: in the first column, type the ID of its "
    "assessment or risk (or the risk's title, a risk added in this workbook included) and "
    "leave No. empty. A risk or an impact assessment can name AI systems by ID or by name, a "
    "system added on the AI systems sheet of this workbook included.",
    "Sending the same workbook back twice does not add its new rows twice: a new row with the "
    "name (or title) of an item already in the engagement is taken as that item.",
    "You can filter (the arrows in the headings), resize columns and rows, and insert rows. "
    "Rows cannot be deleted, because their grey cells are locked: to drop an item, say so in "
    "its notes; the consultant decides. (A row deleted anyway deletes nothing in the "
    "engagement: the consultant is told.)",
    "The sheets are protected, without a password, against editing grey cells by mistake: "
    "please leave the protection on, do not rename sheets or column headings, and send the "
    "file back as it is (.xlsx).",
)


def _instructions(wb: Workbook, ef: EngagementFile, all_tables: list[Table]) -> None:
    ws = _styled_sheet(wb, "Instructions")
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 100
    styles = _Styles(ws)
    title = styles.make(font=Font(bold=True, size=14))
    bold = styles.make(font=Font(bold=True), alignment=Alignment(vertical="top"))
    wrap = styles.make(alignment=Alignment(wrap_text=True, vertical="top"))
    rows: list[list[object]] = [
        [styles.cell(title, f"AIMS Prep workbook: {ef.details.client}")],
        [styles.cell(bold, "Exported on"), dt.date.today().isoformat()],
        [styles.cell(bold, "Consultant"), ef.details.consultant],
    ]
    if ef.details.scope_statement:
        scope = ef.details.scope_statement
        rows.append([styles.cell(bold, "Scope"), styles.cell(wrap, scope)])
        _fit_height(ws, len(rows), [(scope, 100)])
    rows.append([])
    for line in INSTRUCTIONS:
        rows.append(["", styles.cell(wrap, line)])
        _fit_height(ws, len(rows), [(line, 100)])
    rows += [[], [styles.cell(bold, "Sheet"), styles.cell(bold, "What it holds")]]
    for table in all_tables:
        what = (
            f"{table.child.noun} of each {table.area.noun}"
            if table.child
            else f"One row per {table.area.noun}"
        )
        rows.append([table.sheet, what])
    rows.append(["Risk criteria", "The scales and levels the risks are rated with (for reference)"])
    rows.append(["SoA issued", "The last issued Statement of Applicability (for reference)"])
    rows.append([styles.cell(wrap, GAP_RULES_SHEET), styles.cell(wrap, GAP_RULES_NOTE)])
    _fit_height(ws, len(rows), [(GAP_RULES_NOTE, 100)])
    _print_setup(ws, "B", len(rows), one_page=True)
    for row in rows:
        ws.append(row)
    ws.protection = SheetProtection(sheet=True)


def _reference_sheet(
    wb: Workbook,
    title: str,
    header: list[str],
    rows: list[list[object]],
    widths: list[int],
    fit: bool = False,
) -> None:
    """A locked sheet for reference; `fit` gives each row the height its wrapped text needs."""
    ws = _styled_sheet(wb, title)
    styles = _Styles(ws)
    for index, width in enumerate(widths):
        ws.column_dimensions[column_letter(index)].width = width
    ws.freeze_panes = "A2"
    _print_setup(ws, column_letter(len(header) - 1), len(rows) + 1)
    ws.append([styles.cell(styles.header, h) for h in header])
    for number, row in enumerate(rows, start=2):
        if fit:
            _fit_height(ws, number, list(zip(row, widths, strict=False)))
        ws.append([styles.cell(styles.locked_wrap, v) for v in row])
    ws.protection = SheetProtection(sheet=True)


CRITERIA_SHEET = "Risk criteria"
CRITERIA_HEADER = ["Scale", "Value", "Label", "Meaning"]


def criteria_rows(ef: EngagementFile) -> list[list[object]]:
    """The criteria as the reference sheet lists them (the import compares against these)."""
    criteria = risks.get_criteria(ef)
    rows: list[list[object]] = []
    for scale, levels in (("Likelihood", criteria.likelihood), ("Impact", criteria.impact)):
        rows.extend(
            [scale, n, level.label, level.description] for n, level in enumerate(levels, start=1)
        )
    low = 1
    for band in criteria.bands:
        rows.append(["Level", f"{low}-{band.upto}", band.name, "Scores in this range"])
        low = band.upto + 1
    meaning = "Scores above this need treatment before they can be accepted"
    rows.append(["Acceptance", criteria.threshold, "Threshold", meaning])
    return rows


def _criteria_sheet(wb: Workbook, ef: EngagementFile) -> None:
    rows = criteria_rows(ef)
    _reference_sheet(wb, CRITERIA_SHEET, CRITERIA_HEADER, rows, [14, 10, 20, 60])


def _issued_soa_sheet(wb: Workbook, ef: EngagementFile) -> None:
    issued = soa.last_issued(ef)
    header = ["Control", "Title", *(spec.label for spec in soa.FIELDS.values())]
    if issued is None:
        rows: list[list[object]] = [
            ["", "No version of the Statement of Applicability has been issued yet."]
        ]
    else:
        rows = [
            [
                f"Version {issued.number}",
                f"issued {issued.issued_on.isoformat()}, approved by {issued.approved_by}",
            ]
        ]
        rows.extend(
            [
                line.control_id,
                line.title,
                *(
                    spec.label_of(getattr(line, n))
                    if spec.kind in ("choice", "bool")
                    else getattr(line, n)
                    for n, spec in soa.FIELDS.items()
                ),
            ]
            for line in issued.lines
        )
    _reference_sheet(wb, "SoA issued", header, rows, [10, 36, *([16] * len(soa.FIELDS))])


GAP_RULES_SHEET = "Gap rules"
GAP_RULES_HEADER = ["Rule", "Gap", "Clause or control", "Severity", "What to do"]
_GAP_RULES_WIDTHS = [22, 40, 30, 13, 62]
GAP_RULES_NOTE = (
    "The checks the consultant runs on the engagement, the gaps an auditor would raise, each "
    "with what to do to close it (for reference). Severity: "
    + "; ".join(f"{SEVERITIES[key]} = {SEVERITY_MEANING[key].lower()}" for key in SEVERITIES)
    + "."
)


def gap_rule_rows(ef: EngagementFile) -> list[list[object]]:
    """Every rule of the catalogue, the audit-failing gaps first, as the sheet lists them."""
    return [
        [
            rule.id,
            rule.title,
            f"{rule.ref} {ef.catalog.ref_title(rule.ref)}".strip(),
            SEVERITIES[rule.severity],
            rule.todo,
        ]
        for rule in catalogue.RULES
    ]


def _gap_rules_sheet(wb: Workbook, ef: EngagementFile) -> None:
    rows = gap_rule_rows(ef)
    _reference_sheet(wb, GAP_RULES_SHEET, GAP_RULES_HEADER, rows, _GAP_RULES_WIDTHS, fit=True)


def _save(wb: Workbook, destination: Path) -> None:
    # Zipped in memory, then written in one go: a full disk then fails a plain write, not
    # the zip writer half-way (whose unclosed archive would complain again when collected).
    buffer = io.BytesIO()
    wb.save(buffer)
    with safe_output.replacing(destination) as temp, open(temp, "wb") as handle:
        handle.write(buffer.getbuffer())
