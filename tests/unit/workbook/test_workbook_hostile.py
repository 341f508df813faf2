"""Hostile and broken workbooks given to `aims-prep import-xlsx`: each is refused with one
`error:` line saying what is wrong and what to do, and the engagement file is never changed.

Every input is built at run time in tmp_path (zip bombs, entity bombs, truncated and disguised
files, edited exports of our own); nothing here is a checked-in binary fixture."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.services.engagement.errors import WorkbookError
from app.services.workbook.read import MAX_CELL, read_workbook
from tests.conftest import require_tool

MiB = 1 << 20
SHEET1 = "xl/worksheets/sheet1.xml"
LAUGHS = (
    b'<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n'
        % (n, (b"&lol%s;" % (str(n - 1).encode() if n > 1 else b"")) * 10)
        for n in range(1, 10)
    )
    + b"]>\n"
)


# the engagements and workbooks every case starts from


@dataclass(frozen=True)
class Base:
    demo: Path  # the demo engagement (closed)
    export: Path  # the demo exported by the app
    other_export: Path  # another engagement's export
    plain: Path  # a client's own small workbook, saved by openpyxl
    bomb: Path  # an .xlsx whose first sheet is 300 MB of zeros


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Base:
    from app.services.demo import create_demo
    from app.services.engagement.file import create_engagement
    from app.services.workbook.export import export_workbook

    folder = tmp_path_factory.mktemp("hostile")
    demo, export = folder / "demo.aims", folder / "demo.xlsx"
    with create_demo(demo) as ef:
        for _ in export_workbook(ef, export):
            pass
    other, other_export = folder / "other.aims", folder / "other.xlsx"
    with create_engagement(other, client="Other Client Ltd", size="small") as ef:
        for _ in export_workbook(ef, other_export):
            pass
    plain = folder / "plain.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Risks"
    ws.append(["Risk ID", "Title", "Likelihood", "Impact", "Treatment"])
    ws.append(["R-1", "Model drift", 3, 4, "Reduce"])
    ws.append(["R-2", "Biased training data", 2, 5, "Accept"])
    wb.save(plain)
    bomb = folder / "bomb.xlsx"
    _zeros_sheet(plain, bomb, 300 * MiB)
    return Base(demo, export, other_export, plain, bomb)


@pytest.fixture
def engagement(base, tmp_path) -> Path:
    """A copy of the demo engagement, closed, for one test to import into."""
    path = tmp_path / "client.aims"
    shutil.copyfile(base.demo, path)
    return path


# building the inputs


def _rewrite(src: Path, dest: Path, changes: dict[str, Callable[[bytes], bytes] | None]) -> Path:
    """A copy of the zip at `src` with some members transformed (or, for None, dropped)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        assert set(changes) <= set(zin.namelist()), "no such member"
        for info in zin.infolist():
            data = zin.read(info)
            change = changes.get(info.filename, lambda b: b)
            if change is None:
                continue
            zout.writestr(info.filename, change(data))
    return dest


def _zeros_sheet(src: Path, dest: Path, size: int) -> Path:
    """`src` with its first sheet replaced by `size` bytes (whole MiB) of zeros, deflated.

    Deflating 300 MB takes seconds, so one MiB is deflated once, ending in a full flush (which
    makes the next block independent of it), and that block is repeated: the same stream zlib
    would write, in milliseconds. It goes in as a stored member, then the headers are patched
    to say deflated, with the real CRC and size."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    chunk = bytes(MiB)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = size // MiB
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == SHEET1:
                zout.writestr(
                    SHEET1, block * count + compressor.flush(), compress_type=zipfile.ZIP_STORED
                )
            else:
                zout.writestr(info.filename, zin.read(info))
    _patch_header(dest, SHEET1, method=zipfile.ZIP_DEFLATED, crc=crc, size=count * MiB)
    return dest


def _after_declaration(prefix: bytes) -> Callable[[bytes], bytes]:
    """Put `prefix` (a DTD) after the XML declaration of a member, where a DTD goes."""

    def change(data: bytes) -> bytes:
        if data.startswith(b"<?xml"):
            end = data.index(b"?>") + 2
            return data[:end] + b"\n" + prefix + data[end:]
        return prefix + data

    return change


def _laughs_in_cell(data: bytes) -> bytes:
    """The billion laughs DTD and a reference to its last entity in the first text cell."""
    data = _after_declaration(LAUGHS)(data)
    start = data.index(b"<t>") + 3
    end = data.index(b"</t>", start)
    return data[:start] + b"&lol9;" + data[end:]


def _dimension(ref: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        start = data.index(b'<dimension ref="') + len(b'<dimension ref="')
        end = data.index(b'"', start)
        return data[:start] + ref + data[end:]

    return change


def _patch_header(
    path: Path, member: str, *, method: int | None = None, crc: int | None = None,
    size: int | None = None,
) -> None:  # fmt: skip
    """Rewrite the compression method, CRC and uncompressed size `member` declares, in its
    local and its central header (a member small enough to need no zip64 fields)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for magic, name_at, fields in (
        (b"PK\x03\x04", 30, (8, 14, 22)),
        (b"PK\x01\x02", 46, (10, 16, 24)),
    ):
        at = data.index(magic)
        while data[at + name_at : at + name_at + len(name)] != name:
            at = data.index(magic, at + 4)
        for offset, value, form in zip(
            fields, (method, crc, size), ("<H", "<I", "<I"), strict=True
        ):
            if value is not None:
                struct.pack_into(form, data, at + offset, value)
    path.write_bytes(bytes(data))


def _edit_export(base: Base, dest: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(base.export)
    edit(wb)
    wb.save(dest)
    return dest


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _column(ws, label: str) -> int:
    """1-based column of a header on row 1."""
    return next(c.column for c in ws[1] if c.value == label)


def _refused(capsys, engagement: Path, workbook: Path, *options: str) -> tuple[str, str]:
    """Run the import; assert exit 2, one `error:` line, no traceback, the file unchanged.
    Returns (stdout, the error line)."""
    before = _sha(engagement)
    code = main(["import-xlsx", str(engagement), str(workbook), *options])
    out, err = capsys.readouterr()
    assert code == 2, (code, out, err)
    assert "Traceback" not in out + err
    assert err.startswith("error: "), err
    assert len(err.strip().splitlines()) == 1, err
    assert _sha(engagement) == before, "the engagement file was changed"
    return out, err.strip()


# 1-6, 9: workbooks refused as a whole


def _bomb(base: Base, tmp: Path) -> Path:
    return base.bomb


def _bomb_declared_huge(base: Base, tmp: Path) -> Path:
    """A 1 MiB sheet whose headers declare almost 4 GiB."""
    path = _zeros_sheet(base.plain, tmp / "declared.xlsx", MiB)
    _patch_header(path, SHEET1, size=0xFFFF_FF00)
    return path


def _bomb_declared_small(base: Base, tmp: Path) -> Path:
    """300 MiB of zeros whose headers declare 1,000 bytes (the CRC is the real one)."""
    path = _zeros_sheet(base.plain, tmp / "lying.xlsx", 300 * MiB)
    _patch_header(path, SHEET1, size=1_000)
    return path


def _bomb_declared_small_crc(base: Base, tmp: Path) -> Path:
    """The same, with the CRC of the first 1,000 bytes: the zip itself looks consistent."""
    path = _zeros_sheet(base.plain, tmp / "lying.xlsx", 300 * MiB)
    _patch_header(path, SHEET1, crc=zlib.crc32(bytes(1_000)), size=1_000)
    return path


def _laughs(member: str) -> Callable[[Base, Path], Path]:
    def build(base: Base, tmp: Path) -> Path:
        return _rewrite(base.plain, tmp / "laughs.xlsx", {member: _after_declaration(LAUGHS)})

    return build


def _laughs_cell(base: Base, tmp: Path) -> Path:
    return _rewrite(base.plain, tmp / "laughs.xlsx", {SHEET1: _laughs_in_cell})


def _laughs_beyond_first_chunk(base: Base, tmp: Path) -> Path:
    """The DTD after 2 MiB of whitespace: still a legal XML prolog."""
    pad = b" " * (2 * MiB)

    def change(data: bytes) -> bytes:
        return _laughs_in_cell(data).replace(b"<!DOCTYPE", pad + b"<!DOCTYPE", 1)

    return _rewrite(base.plain, tmp / "laughs.xlsx", {SHEET1: change})


def _doctype_after_2mib_unused(base: Base, tmp: Path) -> Path:
    def change(data: bytes) -> bytes:
        return _after_declaration(b" " * (2 * MiB) + LAUGHS)(data)

    return _rewrite(base.plain, tmp / "dtd.xlsx", {SHEET1: change})


def _truncated(base: Base, tmp: Path) -> Path:
    data = base.export.read_bytes()
    path = tmp / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _bytes(name: str, data: bytes) -> Callable[[Base, Path], Path]:
    def build(base: Base, tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    return build


def _zip_of_text(base: Base, tmp: Path) -> Path:
    path = tmp / "notes.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", "not a workbook")
    return path


def _many_rows(base: Base, tmp: Path) -> Path:
    return _rewrite(base.plain, tmp / "rows.xlsx", {SHEET1: _dimension(b"A1:B999999")})


def _many_columns(base: Base, tmp: Path) -> Path:
    return _rewrite(base.plain, tmp / "columns.xlsx", {SHEET1: _dimension(b"A1:ZZZ10")})


def _csv_cell(length: int) -> Callable[[Base, Path], Path]:
    def build(base: Base, tmp: Path) -> Path:
        path = tmp / "risks.csv"
        path.write_text(f"Title,Description\nModel drift,ok\nBias,{'x' * length}\n", "utf-8")
        return path

    return build


def _missing(base: Base, tmp: Path) -> Path:
    return tmp / "missing.xlsx"


def _folder(base: Base, tmp: Path) -> Path:
    path = tmp / "folder.xlsx"
    path.mkdir()
    return path


_RNG = random.Random(42)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(_RNG.randrange(256) for _ in range(200))
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_PAD = OLE + bytes(4096)
ENCRYPTED = OLE + bytes(1024) + "EncryptedPackage".encode("utf-16-le") + bytes(1024)
CORRUPT = b"PK\x03\x04" + bytes(_RNG.randrange(256) for _ in range(4096))


def _bug(reason: str):
    return pytest.mark.xfail(strict=True, reason=f"BUG: {reason}")


WHOLE = [
    # (id, builder, fragments the error line must hold)
    ("zip-bomb", _bomb, ["zip bomb", "saved again as .xlsx"]),
    ("zip-bomb-declared-4gb", _bomb_declared_huge, ["zip bomb"]),
    ("zip-bomb-declared-small", _bomb_declared_small, ["lying.xlsx", "again"]),
    ("zip-bomb-declared-small-crc", _bomb_declared_small_crc, ["lying.xlsx", "again"]),
    ("laughs-sheet", _laughs(SHEET1), ["declares XML entities", "sheet Risks", "unsafe"]),
    ("laughs-workbook", _laughs("xl/workbook.xml"), ["declares XML entities", "xl/workbook.xml"]),
    ("laughs-cell", _laughs_cell, ["declares XML entities", "sheet Risks"]),
    ("laughs-after-2mib", _laughs_beyond_first_chunk, ["laughs.xlsx", "declares XML entities"]),
    ("doctype-after-2mib", _doctype_after_2mib_unused, ["declares XML entities"]),
    ("truncated", _truncated, ["damaged", "truncated", "send it again"]),
    ("corrupt", _bytes("corrupt.xlsx", CORRUPT), ["damaged", "send it again"]),
    ("empty", _bytes("empty.xlsx", b""), ["the file is empty"]),
    ("text", _bytes("notes.xlsx", b"Risk register\nR-1,drift\n"), ["not a workbook", ".xlsx"]),
    ("png", _bytes("photo.xlsx", PNG), ["not a workbook", "Save it as .xlsx"]),
    ("zip-not-workbook", _zip_of_text, ["notes.xlsx", "save it again as .xlsx"]),
    ("xls", _bytes("legacy.xls", OLE_PAD), ["old-style .xls", "save it as .xlsx"]),
    ("encrypted", _bytes("locked.xlsx", ENCRYPTED), ["password", "remove the password"]),
    ("dimension-rows", _many_rows, ["999,999 rows", "250,000 rows", "Remove unused rows"]),
    ("dimension-columns", _many_columns, ["18,278 columns", "500 columns"]),
    ("csv-cell", _csv_cell(MAX_CELL + 1), ["row 3", "column B", "32,767"]),
    ("csv-cell-100k", _csv_cell(100_000), ["row 3", "column B", "32,767"]),
    ("csv-nul", _bytes("nul.csv", b"Title,Owner\nDrift,\x00Ann\n"), ["nul.csv", "plain text"]),
    ("missing", _missing, ["does not exist"]),
    ("folder", _folder, ["is a folder"]),
]
_BUGS: dict[str, str] = {}  # bugs found by this corpus, fixed


@pytest.mark.parametrize(
    ("build", "fragments"),
    [pytest.param(b, f, id=i, marks=[_bug(_BUGS[i])] if i in _BUGS else []) for i, b, f in WHOLE],
)
def test_hostile_workbook_is_refused(base, engagement, tmp_path, capsys, build, fragments):
    workbook = build(base, tmp_path)
    _, err = _refused(capsys, engagement, workbook)
    for fragment in fragments:
        assert fragment.lower() in err.lower(), (fragment, err)


def test_bomb_is_refused_before_any_sheet_is_parsed(base, monkeypatch):
    import python_calamine

    class NoParsing:
        @staticmethod
        def from_path(*args, **kwargs):
            pytest.fail("the workbook was handed to the parser")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", NoParsing)
    for bomb in (base.bomb, _bomb_declared_huge(base, base.bomb.parent)):
        with pytest.raises(WorkbookError, match="zip bomb"):
            read_workbook(bomb)


@pytest.mark.parametrize(("ref", "what"), [("A1:B999999", "rows"), ("A1:ZZZ10", "columns")])
def test_too_big_sheet_is_named_as_the_user_sees_it(base, tmp_path, ref, what):
    path = _rewrite(base.plain, tmp_path / "big.xlsx", {SHEET1: _dimension(ref.encode())})
    with pytest.raises(WorkbookError) as caught:
        read_workbook(path)
    assert what in caught.value.message
    assert "Risks" in caught.value.message


# 7: our own export, edited by the client


def _set(
    sheet: str, label: str, value: object, row: int = 2
) -> Callable[[openpyxl.Workbook], None]:
    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb[sheet]
        ws.cell(row, _column(ws, label)).value = value

    return edit


def _duplicate_row(wb: openpyxl.Workbook) -> None:
    ws = wb["AI systems"]
    ws.append([c.value for c in ws[2]])


ROW_ERRORS = [
    # (id, edit, sheet, row (None: the last), column, fragments of the message)
    ("duplicate-id", _duplicate_row, "AI systems", None, "ID", ["like row 2", "only one row"]),
    ("control-a99", _set("Risks", "Annex A controls", "A.99.9"), "Risks", 2, "Annex A controls",
     ["A.99.9"]),
    ("control-b1", _set("Risks", "Annex A controls", "B.1"), "Risks", 2, "Annex A controls",
     ["'B.1'", "A.6.2.4"]),
    ("likelihood-42", _set("Risks", "Inherent likelihood", 42), "Risks", 2, "Inherent likelihood",
     ["42"]),
    ("date-impossible", _set("AI systems", "Deployment date", "2027-02-30"), "AI systems", 2,
     "Deployment date", ["2027-02-30", "is not a date", "has 28 days"]),
    ("date-ambiguous", _set("AI systems", "Deployment date", "05/06/2027"), "AI systems", 2,
     "Deployment date", ["05 June 2027", "06 May 2027", "YYYY-MM-DD"]),
    ("number-typed-over", _set("Treatment actions", "No.", "first"), "Treatment actions", 2,
     "No.", ["'first'", "leave it empty for a new row"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("edit", "sheet", "row", "column", "fragments"),
    [pytest.param(*case[1:], id=case[0]) for case in ROW_ERRORS],
)
def test_bad_row_in_own_export_is_refused_and_named(
    base, engagement, tmp_path, capsys, edit, sheet, row, column, fragments
):
    workbook = _edit_export(base, tmp_path / "back.xlsx", edit)
    if row is None:
        row = openpyxl.load_workbook(workbook, read_only=True)[sheet].max_row
    out, err = _refused(capsys, engagement, workbook, "--json")
    assert "in the workbook; nothing was imported" in err and "--skip-invalid" in err
    data = json.loads(out)
    assert data["applied"] is False
    errors = {s["sheet"]: s["errors"] for s in data["sheets"]}
    assert [e["row"] for e in errors[sheet]] == [row], errors[sheet]
    assert errors[sheet][0]["column"] == column
    for fragment in fragments:
        assert fragment in errors[sheet][0]["message"], errors[sheet][0]
    assert not any(e for name, found in errors.items() if name != sheet for e in found)


def test_bad_row_is_named_in_the_text_preview_too(base, engagement, tmp_path, capsys):
    workbook = _edit_export(
        base, tmp_path / "back.xlsx", _set("Risks", "Inherent likelihood", 42, row=3)
    )
    out, _ = _refused(capsys, engagement, workbook)
    assert "error row 3, Inherent likelihood:" in out


def test_a_row_only_the_service_refuses_is_told_alike_with_or_without_a_preview(
    engagement, tmp_path, capsys
):
    """Applied at once, the import has no trial run: its own checks find the same refusal,
    tell it on the same row and write nothing."""
    sheet = tmp_path / "risks.csv"
    sheet.write_text(
        "Risk,Likelihood,Impact,Treatment,Residual likelihood,Residual impact\n"
        "Fine one,2,2,Reduce,1,1\n"
        "Worse after,2,2,Reduce,5,5\n"  # a rule across fields: says why in the comment
    )
    preview, _ = _refused(capsys, engagement, sheet, "--dry-run", "--json")
    applied, err = _refused(capsys, engagement, sheet, "--json")
    assert json.loads(applied) == json.loads(preview)
    [error] = json.loads(applied)["sheets"][0]["errors"]
    assert error["row"] == 3 and "higher than the inherent one" in error["message"]
    assert "nothing was imported" in err


def _meta(value: object, cell: str = "C1") -> Callable[[openpyxl.Workbook], None]:
    def edit(wb: openpyxl.Workbook) -> None:
        wb["_aims"][cell] = value

    return edit


OWN_WHOLE = [
    ("newer-version", _meta(99), ["newer version", "update the app"]),
    ("version-not-a-number", _meta("two"), ["Export a fresh workbook"]),
    ("not-our-meta", _meta("someone-else", "B1"), ["did not write", "rename that sheet"]),
    ("meta-row-damaged", _meta("not-a-number", "C8"), ["damaged", "Export a fresh workbook"]),
]
_OWN_BUGS: dict[str, str] = {}  # bugs found by this corpus, fixed


@pytest.mark.parametrize(
    ("edit", "fragments"),
    [
        pytest.param(e, f, id=i, marks=[_bug(_OWN_BUGS[i])] if i in _OWN_BUGS else [])
        for i, e, f in OWN_WHOLE
    ],
)
def test_tampered_own_export_is_refused(base, engagement, tmp_path, capsys, edit, fragments):
    workbook = _edit_export(base, tmp_path / "back.xlsx", edit)
    _, err = _refused(capsys, engagement, workbook)
    for fragment in fragments:
        assert fragment in err, (fragment, err)


def test_export_of_another_engagement_is_refused(base, engagement, capsys):
    _, err = _refused(capsys, engagement, base.other_export)
    assert "another engagement" in err and "Other Client Ltd" in err
    assert "Open that engagement" in err


def test_skip_invalid_imports_the_valid_rows_and_reports_the_bad(
    base, engagement, tmp_path, capsys
):
    from app.services.engagement.file import open_engagement
    from app.services.inventory import service as inventory
    from app.services.risks import service as risks

    def edit(wb: openpyxl.Workbook) -> None:
        _set("Risks", "Inherent likelihood", 42)(wb)
        _set("AI systems", "Name", "Renamed by the client")(wb)

    workbook = _edit_export(base, tmp_path / "back.xlsx", edit)
    ws = openpyxl.load_workbook(workbook, read_only=True)
    system_id, risk_id = ws["AI systems"]["A2"].value, ws["Risks"]["A2"].value
    with open_engagement(engagement, read_only=True) as ef:
        likelihood = next(r for r in risks.list_risks(ef) if r.id == risk_id).inherent_likelihood
    code = main(["import-xlsx", str(engagement), str(workbook), "--skip-invalid", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""
    data = json.loads(out)
    assert set(data) == {"applied", "warnings", "sheets"} and data["applied"] is True
    keys = {"sheet", "kind", "header_row", "rows", "added", "updated", "unchanged", "conflicts",
            "errors", "warnings", "changes", "conflict_values"}  # fmt: skip
    for sheet in data["sheets"]:
        assert set(sheet) == keys
        assert all(set(e) == {"row", "column", "message"} for e in sheet["errors"])
        assert all(set(w) == {"row", "column", "message"} for w in sheet["warnings"])
    by_name = {s["sheet"]: s for s in data["sheets"]}
    assert by_name["AI systems"]["updated"] == 1 and by_name["AI systems"]["errors"] == []
    assert by_name["AI systems"]["kind"] == "inventory" and by_name["AI systems"]["header_row"] == 1
    [error] = by_name["Risks"]["errors"]
    assert error["row"] == 2 and error["column"] == "Inherent likelihood"
    assert by_name["Risks"]["updated"] == 0
    with open_engagement(engagement, read_only=True) as ef:
        system = next(s for s in inventory.list_systems(ef) if s.id == system_id)
        risk = next(r for r in risks.list_risks(ef) if r.id == risk_id)
    assert system.name == "Renamed by the client"
    assert risk.inherent_likelihood == likelihood


# 8: a mapping file that cannot be used


MAPPINGS = [
    ("not-json", "{sheets: nope", ["MAP.json", "cannot be used"]),
    ("a-list", "[1, 2]", ["MAP.json", "cannot be used", "sheets"]),
    ("no-sheets", '{"layouts": {}}', ["MAP.json", "cannot be used", "sheets"]),
    ("sheets-a-list", '{"sheets": []}', ["MAP.json", "'sheets' must map"]),
    ("header-row-text", '{"sheets": {"Risks": {"header_row": "first"}}}', ["MAP.json", "first"]),
    ("columns-a-list", '{"sheets": {"Risks": {"columns": []}}}', ["MAP.json", "'columns' must"]),
    ("unknown-field",
     '{"sheets": {"Risks": {"kind": "risks", "header_row": 1, "columns": {"Title": "nope"}}}}',
     ["MAP.json", "nope"]),
    ("missing", None, ["MAP.json", "does not exist"]),
]  # fmt: skip
_MAPPING_BUGS: dict[str, str] = {}  # bugs found by this corpus, fixed


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        pytest.param(t, f, id=i, marks=[_bug(_MAPPING_BUGS[i])] if i in _MAPPING_BUGS else [])
        for i, t, f in MAPPINGS
    ],
)
def test_unusable_mapping_is_refused(base, engagement, tmp_path, capsys, text, fragments):
    mapping = tmp_path / "MAP.json"
    if text is not None:
        mapping.write_text(text, "utf-8")
    _, err = _refused(capsys, engagement, base.plain, "--mapping", str(mapping))
    for fragment in fragments:
        assert fragment in err, (fragment, err)


# 10: files that killed or hung the process, packages that are not valid, messages that said
# nothing; each run as a user runs it (a separate process, killed if it does not end in time)

ROOT = Path(__file__).resolve().parents[3]
BOUND = 90  # seconds; every case ends in a few, a hang or a runaway read does not end at all


def _cli(*args: str, timeout: float = BOUND) -> subprocess.CompletedProcess[str]:
    """`python -m app ARGS` in its own process; a hang fails the test instead of the suite."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        return subprocess.run(
            [sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True,
            text=True, timeout=timeout, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"`{' '.join(args)}` did not end within {timeout} s")


def _refused_by_cli(engagement: Path, workbook: Path, *options: str) -> str:
    """The import in its own process: exit 2, one `error:` line, no traceback, the
    engagement's bytes unchanged. Returns the error line."""
    before = _sha(engagement)
    done = _cli("import-xlsx", str(engagement), str(workbook), *options)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.startswith("error: "), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert _sha(engagement) == before, "the engagement file was changed"
    return done.stderr.strip()


def _sheet_xml(change: Callable[[bytes], bytes]) -> Callable[[Base, Path], Path]:
    def build(base: Base, tmp: Path) -> Path:
        return _rewrite(base.plain, tmp / "far.xlsx", {SHEET1: change})

    return build


def _cell_at(ref: bytes) -> Callable[[bytes], bytes]:
    """One more cell, at `ref`, the declared dimension left as it was (it understates)."""
    row = re.match(rb"[A-Z]+(\d+)", ref)
    assert row is not None

    def change(data: bytes) -> bytes:
        cell = b'<row r="%s"><c r="%s" t="n"><v>1</v></c></row>' % (row[1], ref)
        return data.replace(b"</sheetData>", cell + b"</sheetData>")

    return change


def _before_end(xml: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        return data.replace(b"</sheetData>", xml + b"</sheetData>")

    return change


def _utf16(member: str, bom: bool) -> Callable[[Base, Path], Path]:
    """A part re-encoded as UTF-16 (with a byte-order mark, or only the XML declaration
    saying so), with the billion laughs in its prolog."""

    def change(data: bytes) -> bytes:
        text = _after_declaration(LAUGHS)(data).decode()
        if not text.startswith("<?xml"):
            text = '<?xml version="1.0" encoding="UTF-16"?>\n' + text
        text = re.sub(r'encoding="[^"]*"', 'encoding="UTF-16"', text, count=1)
        return text.encode("utf-16" if bom else "utf-16-le")

    def build(base: Base, tmp: Path) -> Path:
        return _rewrite(base.plain, tmp / "utf16.xlsx", {member: change})

    return build


def _doubled(base: Base, tmp: Path) -> Path:
    """A second copy of the sheet under the same name, with other cells (the copy a reader
    that takes the last one would import)."""
    path = tmp / "twice.xlsx"
    shutil.copyfile(base.plain, path)
    data = zipfile.ZipFile(base.plain).read(SHEET1).replace(b"Model drift", b"Planted row")
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(path, "a") as archive:
        archive.writestr(SHEET1, data)
    return path


def _climbing(member: str) -> Callable[[Base, Path], Path]:
    def build(base: Base, tmp: Path) -> Path:
        path = tmp / "climb.xlsx"
        shutil.copyfile(base.plain, path)
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr(member, b"<x/>")
        return path

    return build


def _fifo(base: Base, tmp: Path) -> Path:
    path = tmp / "risks.xlsx"
    os.mkfifo(path)
    return path


def _link_to(target: str, name: str) -> Callable[[Base, Path], Path]:
    def build(base: Base, tmp: Path) -> Path:
        path = tmp / name
        path.symlink_to(target)
        return path

    return build


def _sparse(base: Base, tmp: Path) -> Path:
    """201 MB that take no room on disk."""
    path = tmp / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(201 * MiB)
    return path


def _hidden_sheets(base: Base, tmp: Path) -> Path:
    wb = openpyxl.load_workbook(base.plain)
    other = wb.create_sheet("Notes")
    other["A1"] = "Some notes"
    wb.save(tmp / "two.xlsx")  # openpyxl refuses to save with every sheet hidden; Excel not

    def hide(data: bytes) -> bytes:
        return data.replace(b'state="visible"', b'state="hidden"')

    return _rewrite(tmp / "two.xlsx", tmp / "hidden.xlsx", {"xl/workbook.xml": hide})


def test_a_hidden_sheet_beside_visible_ones_is_named_as_left_out(engagement, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Risk register"
    ws.append(["Risk", "Likelihood", "Impact", "Treatment"])
    ws.append(["Chatbot gives wrong advice", 3, 4, "Reduce"])
    old = wb.create_sheet("Old risks")
    old.append(["Risk", "Likelihood", "Impact", "Treatment"])
    old.append(["Retired model drifts", 2, 2, "Accept"])
    old.sheet_state = "hidden"
    wb.save(tmp_path / "risks.xlsx")
    before = _sha(engagement)
    preview = _cli("import-xlsx", str(engagement), str(tmp_path / "risks.xlsx"), "--dry-run")
    assert preview.returncode == 0 and _sha(engagement) == before
    assert "  warning: The sheet 'Old risks' is hidden and is left out" in (preview.stdout)
    done = _cli("import-xlsx", str(engagement), str(tmp_path / "risks.xlsx"), "--json")
    data = json.loads(done.stdout)
    assert done.returncode == 0 and [s["sheet"] for s in data["sheets"]] == ["Risk register"]
    assert data["sheets"][0]["added"] == 1 and "'Old risks' is hidden" in data["warnings"][0]
    titles = [r["title"] for r in _read_back(engagement)["risks"]]
    assert "Chatbot gives wrong advice" in titles and "Retired model drifts" not in titles


def _libreoffice(build: Callable[[Base, Path], Path], suffix: str) -> Callable[[Base, Path], Path]:
    """The workbook `build` makes, opened and saved again by LibreOffice."""

    def again(base: Base, tmp: Path) -> Path:
        source = build(base, tmp)
        out = tmp / "lo"
        out.mkdir()
        subprocess.run(
            [require_tool("soffice"), "--headless", f"-env:UserInstallation=file://{tmp}/lo-profile",
             "--convert-to", suffix.lstrip("."), "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        return out / f"{source.stem}{suffix}"

    return again


FAR_CELL = _sheet_xml(_cell_at(b"XFD1048576"))
ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _ods(rows: str) -> Callable[[Base, Path], Path]:
    """An OpenDocument spreadsheet, as LibreOffice writes one (repeat counts included), with
    a sheet Risks of a header row and `rows` after it."""

    def cell(text: str) -> str:
        return (
            f'<table:table-cell office:value-type="string"><text:p>{text}</text:p>'
            "</table:table-cell>"
        )

    header = "".join(cell(t) for t in ("Title", "Likelihood", "Impact"))
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
        'office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Risks">'
        f"<table:table-row>{header}</table:table-row>"
        f"<table:table-row>{cell('Model drift')}{cell('3')}{cell('4')}</table:table-row>"
        f"{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )

    def build(base: Base, tmp: Path) -> Path:
        path = tmp / "far.ods"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
            )
            archive.writestr("content.xml", content)
            archive.writestr("META-INF/manifest.xml", manifest)
        return path

    return build


ODS_VALUE = (
    '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
    "</table:table-cell>"
)

BOUNDED = [
    # (id, builder, fragments the error line must hold)
    ("far-cell", FAR_CELL, ["sheet Risks", "row 1,048,576", "column XFD", "250,000 rows"]),
    ("far-column", _sheet_xml(_cell_at(b"XFD2")), ["column XFD", "500 columns"]),
    ("far-row-only", _sheet_xml(_cell_at(b"A300000")), ["row 300,000", "250,000 rows"]),
    ("grid-too-big", _sheet_xml(_cell_at(b"SF12000")), ["12,000 rows by 500 columns",
                                                       "5,000,000 cells"]),
    ("far-cell-prefixed", _sheet_xml(_before_end(
        b'<x:row xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'r="900000"><x:c r="XFD900000"><x:v>1</x:v></x:c></x:row>')), ["row 900,000"]),
    ("far-cell-newline", _sheet_xml(_before_end(b'<row r="3"><c\nr="XFD3"><v>1</v></c></row>')),
     ["column XFD"]),
    ("cells-without-reference", _sheet_xml(_before_end(
        b'<row r="3">' + b'<c t="n"><v>1</v></c>' * 600 + b"</row>")),
     ["column SG", "500 columns"]),
    ("ods-far-row", _ods('<table:table-row table:number-rows-repeated="1048573">'
                         f'<table:table-cell/></table:table-row><table:table-row>{ODS_VALUE}'
                         "</table:table-row>"), ["far.ods", "sheet Risks", "row 1,048,576"]),
    ("ods-far-column", _ods('<table:table-row><table:table-cell table:number-columns-repeated='
                            f'"16383"/>{ODS_VALUE}</table:table-row>'),
     ["far.ods", "column XFD", "500 columns"]),
    ("ods-repeated-rows", _ods('<table:table-row table:number-rows-repeated="20000">'
                               f'{ODS_VALUE * 300}</table:table-row>'), ["5,000,000 cells"]),
    ("csv-grid-too-big", _bytes("wide.csv", b"Title,Likelihood\n" + (b"," * 499 + b"\n") * 10_100),
     ["wide.csv", "10,001 rows by 500 columns", "5,000,000 cells"]),
    ("fifo", _fifo, ["risks.xlsx", "named pipe", "not a workbook file"]),
    ("dev-zero-as-csv", _link_to("/dev/zero", "zero.csv"), ["zero.csv", "a device"]),
    ("dev-zero-as-xlsx", _link_to("/dev/zero", "zero.xlsx"), ["zero.xlsx", "a device"]),
    ("link-loop", _link_to("loop.xlsx", "loop.xlsx"), ["loop"]),
    ("over-200mb", _sparse, ["huge.csv", "201 MB", "200 MB"]),
    ("member-twice", _doubled, ["two parts named 'xl/worksheets/sheet1.xml'", "save it again"]),
    ("member-climbs-out", _climbing("../../evil.xml"), ["'../../evil.xml'", "outside"]),
    ("member-climbs-inside", _climbing("xl/../../evil.xml"), ["outside", "unsafe"]),
    ("member-absolute", _climbing("/etc/evil.xml"), ["'/etc/evil.xml'", "outside"]),
    ("laughs-utf16-bom", _utf16(SHEET1, bom=True), ["declares XML entities", "sheet Risks"]),
    ("laughs-utf16-declared", _utf16(SHEET1, bom=False), ["declares XML entities"]),
    ("laughs-utf16-types", _utf16("[Content_Types].xml", bom=True),
     ["declares XML entities", "[Content_Types].xml"]),
    ("empty-csv", _bytes("empty.csv", b""), ["empty.csv", "the file is empty"]),
    ("empty-xlsx", _bytes("empty.xlsx", b""), ["empty.xlsx", "the file is empty"]),
    ("blank-csv", _bytes("blank.csv", b"\xef\xbb\xbf\r\n \r\n"), ["the file is empty"]),
    ("all-sheets-hidden", _hidden_sheets, ["hidden.xlsx", "every sheet", "hidden", "unhide"]),
]  # fmt: skip


@pytest.mark.parametrize(("build", "fragments"), [pytest.param(b, f, id=i) for i, b, f in BOUNDED])
def test_hostile_file_is_refused_in_time(base, engagement, tmp_path, build, fragments):
    workbook = build(base, tmp_path)
    for options in ((), ("--dry-run",)):
        err = _refused_by_cli(engagement, workbook, *options)
        for fragment in fragments:
            assert fragment.lower() in err.lower(), (fragment, err)


# 11: a preview never writes, even killed half-way

PREVIEW_KILLS = 20


@pytest.mark.slow
@pytest.mark.timeout(1500)  # twenty previews and forty read-only commands, each a process
def test_preview_killed_at_random_moments_leaves_the_file_as_it_was(tmp_path):
    from app.services.generator import create_large

    path = tmp_path / "large.aims"
    create_large(
        path, history_rows=20_000, systems=1_000, assessments=1_000, risk_count=2_000
    ).close()
    path_sha = _sha(path)
    risks = json.loads(_cli("status", str(path), "--json", timeout=300).stdout)["risks"]["total"]
    workbook = tmp_path / "new risks.csv"
    workbook.write_text(
        "Risk,Likelihood,Impact,Treatment,Owner\n"
        + "".join(f"Killed preview risk {n},3,4,Reduce,Owner {n % 9}\n" for n in range(1_500)),
        "utf-8",
    )
    command = [sys.executable, "-m", "app", "import-xlsx", str(path), str(workbook), "--dry-run"]
    start = time.monotonic()
    whole = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    duration = time.monotonic() - start  # how long a preview runs here, to kill inside it
    assert whole.returncode == 0, whole.stderr
    assert "1500 new" in whole.stdout
    rng = random.Random(15)
    killed = 0
    for _ in range(PREVIEW_KILLS):
        preview = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            preview.wait(timeout=rng.uniform(0.1, duration))
        except subprocess.TimeoutExpired:
            preview.send_signal(signal.SIGKILL)
            preview.wait()
            killed += 1
        assert _sha(path) == path_sha, "a preview wrote to the engagement"
        assert not path.with_name(path.name + "-journal").exists()
        status = _cli("status", str(path), "--json", timeout=300)
        assert status.returncode == 0 and "Traceback" not in status.stderr, status.stderr
        assert json.loads(status.stdout)["risks"]["total"] == risks
        out = tmp_path / "after.xlsx"
        export = _cli("export-xlsx", str(path), "-o", str(out), timeout=300)
        assert export.returncode == 0 and "Traceback" not in export.stderr, export.stderr
        assert _sha(path) == path_sha, "a read-only command wrote to the engagement"
    assert killed >= PREVIEW_KILLS // 2, f"only {killed} previews were still running when killed"


# 12: a number the client typed that cannot be read is quoted, not shown as 'None'


def test_unreadable_number_is_quoted_as_typed(engagement, tmp_path):
    workbook = tmp_path / "ratings.csv"
    workbook.write_text(
        "Risk,Likelihood,Impact,Treatment\n"
        'Drift,very high,3,Reduce\nBias,0,3,Reduce\nLeak,-1,3,Reduce\nOutage,"4,5",3,Reduce\n'
        'Fine,"4,0",3,Reduce\n',
        "utf-8",
    )
    _refused_by_cli(engagement, workbook)
    for options in ((), ("--dry-run",)):  # the preview's trial run finds the same
        done = _cli("import-xlsx", str(engagement), str(workbook), "--json", *options)
        [sheet] = json.loads(done.stdout)["sheets"]
        errors = {e["row"]: e["message"] for e in sheet["errors"]}
        assert errors == {
            3: "Inherent likelihood must be from 1 to 5, not 0.",
            4: "Inherent likelihood must be from 1 to 5, not -1.",
        }
        # a rating that is no number: the row goes in unrated, the cell kept in the notes
        warnings = {w["row"]: w["message"] for w in sheet["warnings"]}
        assert warnings == {
            2: "Inherent likelihood: 'very high' is not a whole number. Kept in the notes instead.",
            5: "Inherent likelihood: '4,5' is not a whole number. Kept in the notes instead.",
        }
        assert "None" not in done.stdout
        assert sheet["added"] == 3  # "4,0" is 4


def test_a_yes_no_cell_given_as_a_rating_is_quoted_not_a_traceback(engagement, tmp_path):
    """A TRUE cell in a rating column (a boolean to the reader, and 1 to Python): the row
    goes in unrated with the cell kept in the notes; the preview said so, and the import did
    not end in a traceback."""
    workbook = tmp_path / "flags.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Risk register"
    ws.append(["Risk", "Likelihood", "Impact", "Treatment"])
    ws.append(["Drift", True, 3, "Reduce"])
    wb.save(workbook)
    for options in (("--dry-run",), ()):
        done = _cli("import-xlsx", str(engagement), str(workbook), "--json", *options)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        [sheet] = json.loads(done.stdout)["sheets"]
        assert [(w["row"], w["message"]) for w in sheet["warnings"]] == [
            (2, "Inherent likelihood: 'TRUE' is not a whole number. Kept in the notes instead.")
        ]
        assert sheet["added"] == 1 and sheet["errors"] == []


def test_window_preview_does_not_write_to_the_open_file(engagement, tmp_path):
    """The window previews with the engagement open for editing: the trial run goes to a
    copy in memory, and the file (its bytes and its modification time) stays as it was."""
    from app.services.engagement.file import open_engagement
    from app.services.workbook.importer import build_plan

    workbook = tmp_path / "new.csv"
    workbook.write_text(
        "Risk,Likelihood,Impact\n" + "".join(f"Risk {n},{1 + n % 7},3\n" for n in range(50)),
        "utf-8",
    )
    from sqlalchemy import event

    with open_engagement(engagement) as ef:
        before = (_sha(engagement), os.stat(engagement).st_mtime_ns)
        statements: list[str] = []
        event.listen(ef.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        plan = build_plan(ef, workbook)
        reads = ("SELECT", "BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")
        writes = [s for s in statements if not s.upper().startswith(reads) or "=" in s[:40]]
        assert writes == [], writes[:3]  # not even a write rolled back
        assert (_sha(engagement), os.stat(engagement).st_mtime_ns) == before
        assert not engagement.with_name(engagement.name + "-journal").exists()
    [sheet] = plan.sheets
    # the trial run refused the ratings above the engagement's 5 levels, and only those
    assert [r.row for r in sheet.added if r.failed] == [n + 2 for n in range(50) if n % 7 >= 5]


# 13: client layouts that were refused


def _read_back(engagement: Path) -> dict[str, list[dict[str, object]]]:
    from app.services.clauses import requirements
    from app.services.engagement.file import open_engagement
    from app.services.risks import service as risks

    with open_engagement(engagement, read_only=True) as ef:
        return {
            "risks": [dataclasses.asdict(r) for r in risks.list_risks(ef)],
            "points": [dataclasses.asdict(p) for p in requirements.list_points(ef)],
        }


def _imported(engagement: Path, workbook: Path) -> str:
    done = _cli("import-xlsx", str(engagement), str(workbook))
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr and done.stderr == ""
    return done.stdout


def _clauses_sheet(base: Base, tmp: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ISO 42001 gap analysis"
    ws.append(["Clause", "Requirement", "Status", "Owner"])
    ws.append(["6.1.2 a)", "Risk assessment criteria", "In progress", "Priya Risk"])
    ws.append(["6.1.3 d)", "Statement of applicability", "Done", "Sam SoA"])
    ws.append(["Clause 4.1", "Context of the organisation", "Done", "Cleo Context"])
    wb.save(tmp / "clauses.xlsx")
    return tmp / "clauses.xlsx"


@pytest.mark.parametrize(
    "build", [_clauses_sheet, _libreoffice(_clauses_sheet, ".xlsx")], ids=["openpyxl", "lo"]
)
def test_clause_reference_with_list_item_matches_the_clause(base, engagement, tmp_path, build):
    _imported(engagement, build(base, tmp_path))
    points = _read_back(engagement)["points"]
    first = {ref: next(p for p in points if p["ref"] == ref) for ref in ("6.1.2", "6.1.3", "4.1")}
    assert first["6.1.2"]["owner"] == "Priya Risk"
    assert "Clause: 6.1.2 a)" in first["6.1.2"]["notes"]
    assert first["6.1.3"]["owner"] == "Sam SoA" and first["6.1.3"]["status"] == "implemented"
    assert "Clause: 6.1.3 d)" in first["6.1.3"]["notes"]
    assert first["4.1"]["owner"] == "Cleo Context"
    assert "Clause:" not in first["4.1"]["notes"]  # nothing beside the number to keep


def _two_row_header(base: Base, tmp: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Risk register"
    ws.append(["Risk ID", "Title", "Inherent risk", None, "Treatment"])
    ws.append([None, None, "Likelihood", "Impact", None])
    for cells in ("A1:A2", "B1:B2", "C1:D1", "E1:E2"):
        ws.merge_cells(cells)
    ws.append(["CR-1", "Model drift", 3, 4, "Reduce"])
    ws.append(["CR-2", "Biased training data", 2, 5, "Accept"])
    wb.save(tmp / "two rows.xlsx")
    return tmp / "two rows.xlsx"


@pytest.mark.parametrize(
    "build",
    [_two_row_header, *(_libreoffice(_two_row_header, suffix) for suffix in (".xlsx", ".ods"))],
    ids=["openpyxl", "lo-xlsx", "lo-ods"],
)  # fmt: skip
def test_two_row_header_with_merged_headings_is_one_header(base, engagement, tmp_path, build):
    out = _imported(engagement, build(base, tmp_path))
    assert "header row 2" in out and "2 new" in out, out
    found = {r["id"]: r for r in _read_back(engagement)["risks"]}
    assert found["CR-1"]["title"] == "Model drift"
    assert (found["CR-1"]["inherent_likelihood"], found["CR-1"]["inherent_impact"]) == (3, 4)
    assert found["CR-2"]["treatment"] == "retain"
    assert "Likelihood" not in found  # the second header row is not a risk


CSV_TEXT = (
    "Risk;Likelihood;Impact;Treatment;Description\r\n"
    "Dérive du modèle;4,0;3;Reduce;Coût élevé, à revoir\r\n"
    "Biais des données;2;5,0;Accept;« anciennes » données\r\n"
)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("european.csv", CSV_TEXT.encode("cp1252")),
        ("powershell.csv", CSV_TEXT.replace(";", ",").replace("4,0", "4")
         .replace("5,0", "5").replace("élevé, à", "élevé à").encode("utf-16")),
        ("utf16-be.csv", CSV_TEXT.encode("utf-16-be")),
    ],
    ids=["semicolons-cp1252", "utf16-bom", "utf16-be-no-bom"],
)  # fmt: skip
def test_european_and_utf16_csv_are_read(engagement, tmp_path, name, data):
    workbook = tmp_path / name
    workbook.write_bytes(data)
    out = _imported(engagement, workbook)
    assert "2 new" in out, out
    found = {r["title"]: r for r in _read_back(engagement)["risks"]}
    drift = found["Dérive du modèle"]
    assert (drift["inherent_likelihood"], drift["inherent_impact"]) == (4, 3)
    assert drift["description"].startswith("Coût élevé")
    assert found["Biais des données"]["inherent_impact"] == 5
    assert found["Biais des données"]["description"] == "« anciennes » données"


def test_a_sheet_not_recognised_is_told_without_a_row_zero(engagement, tmp_path, capsys):
    sheet = tmp_path / "colours.csv"
    sheet.write_text("Colour,Shape\nred,round\n")
    assert main(["import-xlsx", str(engagement), str(sheet), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "[unknown, no header row found]" in out
    assert "    warning: Nothing imported from this sheet" in out
    assert "row 0" not in out
