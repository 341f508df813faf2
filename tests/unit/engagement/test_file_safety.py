"""Engagement files received from others or left by a crash: planted objects, foreign journals,
WAL mode, planted locks, bad stored values, outputs over inputs, full disks."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from app.cli import main
from app.services.clauses import requirements
from app.services.engagement import journal, schema_objects
from app.services.engagement.errors import ForeignJournalError, ReadOnlyError
from app.services.engagement.file import create_engagement, open_engagement
from tests.conftest import FIXTURES


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _new(path, client="Acme Analytics GmbH"):
    create_engagement(path, client=client).close()
    return path


def _sql(path, *statements):
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def _cli(capsys, *args) -> tuple[int, str]:
    code = main([str(a) for a in args])
    err = capsys.readouterr().err
    return code, err


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    return lines[0]


def _kill_inside_a_write(path, rows: int = 3000) -> None:
    """A process of ours killed in the middle of a large save: a hot journal beside `path`."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from sqlalchemy import text
        from app.services.engagement.file import open_engagement
        ef = open_engagement({str(path)!r})
        with ef.writing() as session:
            session.execute(text("PRAGMA cache_size = 2"))
            for n in range({rows}):
                session.execute(
                    text("INSERT INTO history (at, actor, entity, entity_id, field, old, new) "
                         "VALUES ('2026-01-01 00:00:00', 'k', 'x', :n, 'f', '', :v)"),
                    {{"n": str(n), "v": "x" * 500}},
                )
            session.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=False, cwd=os.getcwd())
    assert journal.hot_journal(path)


# planted database objects


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        ("CREATE TRIGGER wipe AFTER INSERT ON history BEGIN DELETE FROM history; END", "trigger"),
        (
            "CREATE TRIGGER rename AFTER UPDATE ON requirement BEGIN "
            "UPDATE engagement SET client = 'pwned'; END",
            "trigger",
        ),
        ("CREATE VIEW v AS SELECT * FROM history", "view"),
        ("CREATE TABLE stranger (x)", "table"),
        ("CREATE INDEX ix_stranger ON requirement (notes)", "index"),
    ],
)
def test_file_safety_planted_object_opens_read_only_and_runs_nothing(
    tmp_path, capsys, statement, named
):
    path = _new(tmp_path / "client.aims")
    _sql(path, statement)
    before = _digest(path)
    with open_engagement(path) as ef:
        assert ef.read_only and named in ef.read_only_reason
        with pytest.raises(ReadOnlyError, match="did not create"):
            requirements.set_values(ef, "status", {"P-4.1-01": "implemented"})
    csv = tmp_path / "in.csv"
    csv.write_text("Name,Owner\nNew tool,Ann\n")
    code, err = _cli(capsys, "import-xlsx", path, csv)
    assert code == 2 and "did not create" in _one_error_line(err)
    assert _digest(path) == before
    assert _cli(capsys, "status", path)[0] == 0  # still readable


def test_file_safety_trigger_in_old_format_file_blocks_the_upgrade(tmp_path, capsys):
    path = tmp_path / "old.aims"
    shutil.copy(FIXTURES / "schema_v4.aims", path)
    _sql(path, "CREATE TRIGGER t AFTER UPDATE ON schema_info BEGIN DELETE FROM history; END")
    before = _digest(path)
    with pytest.raises(ReadOnlyError, match="must be upgraded.*did not create"):
        open_engagement(path)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "old.aims"
    ]  # no backup copy was written either


# journals


def test_file_safety_read_only_commands_work_right_after_a_crash(tmp_path, capsys):
    path = _new(tmp_path / "client.aims")
    _kill_inside_a_write(path)
    assert _cli(capsys, "status", path) == (0, "")
    assert not journal.hot_journal(path)
    out = tmp_path / "out.xlsx"
    assert _cli(capsys, "export-xlsx", path, "-o", out)[0] == 0 and out.exists()


def test_file_safety_crash_on_read_only_media_is_not_called_damaged(tmp_path, capsys):
    path = _new(tmp_path / "client.aims")
    _kill_inside_a_write(path)
    path.chmod(stat.S_IRUSR)
    try:
        code, err = _cli(capsys, "status", path)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    line = _one_error_line(err)
    assert code == 2 and "rolled back" in line and "not damaged" in line
    assert "damaged (" not in line


@pytest.mark.parametrize("same_size", [True, False])
def test_file_safety_foreign_journal_is_refused_untouched(tmp_path, capsys, same_size):
    mine = _new(tmp_path / "mine.aims")
    other = tmp_path / "other" / "other.aims"
    other.parent.mkdir()
    _new(other, "Other Client")
    if not same_size:
        columns = "at, actor, entity, entity_id, field, old, new"
        _sql(other, f"INSERT INTO history ({columns}) SELECT {columns} FROM history")
    _kill_inside_a_write(other, rows=4000 if same_size else 8000)
    shutil.move(journal.journal_path(other), journal.journal_path(mine))
    before, journal_before = _digest(mine), _digest(journal.journal_path(mine))
    with pytest.raises(ForeignJournalError, match="does not belong to it"):
        open_engagement(mine)
    code, err = _cli(capsys, "status", mine)
    assert code == 2 and "does not belong" in _one_error_line(err)
    assert _digest(mine) == before
    assert _digest(journal.journal_path(mine)) == journal_before


def test_file_safety_kill_while_an_old_file_gets_its_stamp_is_rolled_back(tmp_path, capsys):
    """A file from before the stamp (user_version 0) is stamped by its first write: the
    journal's copy of page 1 then holds no stamp while the file's does. Seen in CI as "does
    not belong to it" after a kill during an upgrade."""
    path = _new(tmp_path / "old.aims")
    _sql(path, "PRAGMA user_version = 0")
    script = textwrap.dedent(
        f"""
        import os, signal, sqlite3
        c = sqlite3.connect({str(path)!r}, isolation_level=None)
        c.execute("PRAGMA cache_size = 2")
        c.execute("BEGIN")
        c.execute("PRAGMA user_version = 424242")
        for n in range(3000):
            c.execute("INSERT INTO history (at, actor, entity, entity_id, field, old, new) "
                      "VALUES ('2026-01-01 00:00:00', 'k', 'x', ?, 'f', '', ?)", (n, "x" * 500))
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=False)
    assert journal.hot_journal(path)
    with open(path, "r+b") as handle:  # as the commit leaves it once page 1 is written
        handle.seek(60)
        handle.write((424242).to_bytes(4, "big"))
    assert _cli(capsys, "status", path) == (0, "")
    assert not journal.hot_journal(path)
    with sqlite3.connect(path) as c:
        assert c.execute("SELECT count(*) FROM history WHERE actor = 'k'").fetchone() == (0,)


def test_file_safety_own_journal_is_rolled_back_on_open(tmp_path):
    path = _new(tmp_path / "client.aims")
    _kill_inside_a_write(path)
    with open_engagement(path) as ef, ef.reading() as session:
        from sqlalchemy import text

        assert session.execute(text("SELECT count(*) FROM history WHERE actor='k'")).scalar() == 0
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


# WAL


def _leave_in_wal(path, client: str) -> None:
    """A process that switched the file to WAL, committed an edit and died: the edit lives
    in -wal only."""
    script = textwrap.dedent(
        f"""
        import os, signal, sqlite3
        c = sqlite3.connect({str(path)!r})
        c.execute("PRAGMA journal_mode = WAL")
        c.execute("UPDATE engagement SET client = ?", ({client!r},))
        c.commit()
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    subprocess.run([sys.executable, "-c", script], check=False)
    assert journal.wal_path(path).exists()


def test_file_safety_wal_file_is_put_back_into_one_file(tmp_path):
    path = _new(tmp_path / "client.aims")
    _leave_in_wal(path, "Edited In WAL")
    with open_engagement(path, read_only=True) as ef:
        assert ef.details.client == "Edited In WAL"
    assert not journal.wal_path(path).exists()
    assert not path.with_name(path.name + "-shm").exists()
    assert not journal.is_wal(path)
    copy = tmp_path / "alone" / "copy.aims"
    copy.parent.mkdir()
    shutil.copy(path, copy)  # the .aims alone holds the edit now
    with open_engagement(copy, read_only=True) as ef:
        assert ef.details.client == "Edited In WAL"


def test_file_safety_wal_on_read_only_media_says_what_to_do(tmp_path, capsys):
    path = _new(tmp_path / "client.aims")
    _leave_in_wal(path, "Edited In WAL")
    path.chmod(stat.S_IRUSR)
    try:
        code, err = _cli(capsys, "status", path)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert code == 2 and "writable folder" in _one_error_line(err)


# locks


def test_file_safety_planted_lock_symlink_truncates_nothing(tmp_path, capsys):
    path = _new(tmp_path / "client.aims")
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me")
    (tmp_path / ".client.aims.lock").unlink()
    (tmp_path / ".client.aims.lock").symlink_to(victim)
    before = _digest(path)
    with open_engagement(path) as ef:
        assert ef.read_only and "is a link" in ef.read_only_reason
        with pytest.raises(ReadOnlyError, match="is a link"):
            requirements.set_values(ef, "status", {"P-4.1-01": "implemented"})
    assert victim.read_text() == "keep me" and _digest(path) == before


def test_file_safety_hard_link_lets_no_second_writer_in(tmp_path):
    path = _new(tmp_path / "client.aims")
    other = tmp_path / "same-file.aims"
    os.link(path, other)
    with open_engagement(path) as first, open_engagement(other) as second:
        assert first.read_only and second.read_only
        assert "hard link" in second.read_only_reason


# bad stored values


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        ("UPDATE engagement SET stage1_date = 'someday'", "Target Stage 1 date, is 'someday'"),
        ("UPDATE engagement SET client = X'00ff10'", "Client, is binary data"),
        ("UPDATE engagement SET client = CAST(X'c328ff' AS TEXT)", "Client, is text that is not"),
        ("UPDATE engagement SET created_at = 'yesterday'", "created at, is 'yesterday'"),
        ("UPDATE engagement SET size = 'huge'", "organization size, is 'huge'"),
        ("UPDATE schema_info SET version = 0", "format number is 0"),
        ("UPDATE schema_info SET version = -1", "format number is -1"),
        ("UPDATE schema_info SET version = 'abc'", "format number is 'abc'"),
    ],
)
def test_file_safety_bad_stored_value_is_named_in_one_line(tmp_path, capsys, statement, words):
    path = _new(tmp_path / "client.aims")
    _sql(path, statement)
    before = _digest(path)
    for command in (["status", path], ["upgrade-catalog", path, "--apply"]):
        code, err = _cli(capsys, *command)
        line = _one_error_line(err)
        assert code == 2 and "holds a value this version cannot read" in line
        assert words in line
    assert _digest(path) == before


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        ("'red', NULL", "ccent colour"),
        ("'', X'89504e470d0a1a0a0000'", "Client logo"),
        ("'', 'text, not an image'", "Client logo"),
    ],
)
def test_file_safety_bad_pack_setting_is_named(tmp_path, capsys, statement, words):
    path = _new(tmp_path / "client.aims")
    assert (
        main(["export-pack", str(path), "-o", str(tmp_path / "a.pdf"), "--sections", "scope"]) == 0
    )
    _sql(path, "INSERT OR REPLACE INTO pack_settings (id, confidentiality, accent, logo, "
               f"sections, paper) VALUES (1, '', {statement}, '', 'a4')")  # fmt: skip
    code, err = _cli(capsys, "export-pack", path, "-o", tmp_path / "b.pdf")
    line = _one_error_line(err)
    assert code == 2 and "cannot read" in line and words in line
    assert not (tmp_path / "b.pdf").exists()


# outputs that would destroy inputs


@pytest.mark.parametrize("command", ["export-xlsx", "export-pack"])
def test_file_safety_output_onto_an_engagement_is_refused(tmp_path, capsys, command):
    path = _new(tmp_path / "client.aims")
    other = _new(tmp_path / "other.aims", "Other")
    link = tmp_path / "link.aims"
    os.symlink(path, link)
    before, other_before = _digest(path), _digest(other)
    for target in (path, link, other):
        code, err = _cli(capsys, command, path, "-o", target)
        line = _one_error_line(err)
        assert code == 2 and ("engagement" in line)
    assert _digest(path) == before and _digest(other) == other_before


def test_file_safety_output_onto_a_file_open_for_editing_is_refused(tmp_path, capsys):
    path = _new(tmp_path / "client.aims")
    out = tmp_path / "client.pdf"
    out.write_bytes(b"%PDF-1.4 an older pack")
    with open_engagement(out.with_name("client.aims")):
        pass
    with open_engagement(path):
        code, err = _cli(capsys, "export-pack", path, "-o", path)
    assert code == 2


def test_file_safety_window_stops_writing_once_the_file_is_replaced(tmp_path):
    from app.services.engagement.errors import FileWriteError

    path = _new(tmp_path / "client.aims")
    with open_engagement(path) as ef:
        replacement = tmp_path / "replacement"
        replacement.write_bytes(b"PK\x03\x04 a workbook")
        os.replace(replacement, path)
        with pytest.raises(FileWriteError, match="replaced"):
            requirements.set_values(ef, "status", {"P-4.1-01": "implemented"})
    assert path.read_bytes() == b"PK\x03\x04 a workbook"


# temporary files and modes


def test_file_safety_leftovers_of_a_killed_export_go_on_the_next_run(tmp_path, capsys):
    path = _new(tmp_path / "client.aims")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    for name in (f".pack.pdf.{dead}.partial", f".copy.aims.{dead}.partial-journal"):
        (tmp_path / name).write_bytes(b"client data")
    assert _cli(capsys, "status", path)[0] == 0
    assert not [p.name for p in tmp_path.iterdir() if ".partial" in p.name]


def test_file_safety_outputs_follow_the_umask(tmp_path, capsys):
    path = _new(tmp_path / "client.aims")
    old = os.umask(0o022)
    try:
        assert main(["export-xlsx", str(path), "-o", str(tmp_path / "a.xlsx")]) == 0
        assert (
            main(["export-pack", str(path), "-o", str(tmp_path / "a.pdf"), "--sections", "scope"])
            == 0
        )
    finally:
        os.umask(old)
    for name in ("a.xlsx", "a.pdf"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644


def test_file_safety_upgrade_backup_is_written_once(tmp_path, monkeypatch):
    from app.services.engagement import migrations

    path = tmp_path / "old.aims"
    shutil.copy(FIXTURES / "schema_v4.aims", path)

    def broken(conn):
        raise sqlite3.OperationalError("disk I/O error")

    real = migrations.steps_from
    monkeypatch.setattr(migrations, "steps_from", lambda v: [(v, broken)])
    for _ in range(2):
        with pytest.raises(Exception, match="could not be upgraded"):
            open_engagement(path)
    monkeypatch.setattr(migrations, "steps_from", real)
    with open_engagement(path):
        pass
    names = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert names == ["old (before upgrade from v4).aims", "old.aims"]


# small ones


def test_file_safety_pipes_devices_and_loops_are_named(tmp_path, capsys):
    fifo = tmp_path / "pipe.aims"
    os.mkfifo(fifo)
    assert "not a regular file" in _one_error_line(_cli(capsys, "status", fifo)[1])
    assert "not a regular file" in _one_error_line(_cli(capsys, "status", "/dev/null")[1])
    loop = tmp_path / "loop.aims"
    loop.symlink_to(loop)
    assert "loop" in _one_error_line(_cli(capsys, "status", loop)[1])


def test_file_safety_path_with_a_newline_gives_one_line(tmp_path, capsys):
    code, err = _cli(capsys, "status", tmp_path / "two\nlines.aims")
    assert code == 2 and "two\\nlines" in _one_error_line(err)


def test_file_safety_status_of_an_old_file_names_the_upgrade(tmp_path, capsys):
    path = tmp_path / "old.aims"
    shutil.copy(FIXTURES / "schema_v4.aims", path)
    line = _one_error_line(_cli(capsys, "status", path)[1])
    assert "older AIMS Prep (file format 4)" in line and "upgraded" in line
    assert "as asked" not in line


def test_file_safety_status_piped_into_head_ends_quietly(tmp_path):
    path = _new(tmp_path / "client.aims")
    run = subprocess.run(
        f"{sys.executable} -m app status --json {path} | head -c 1",
        shell=True, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr


def test_file_safety_overlong_details_are_refused_at_entry(tmp_path, capsys):
    code, err = _cli(
        capsys, "new", tmp_path / "a.aims", "--client", "X", "--consultant", "y" * 20_000
    )
    assert code == 2 and "at most" in _one_error_line(err)
    assert not (tmp_path / "a.aims").exists()


def _image(kind: str) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.effect_noise((300, 200), 60).convert("RGB").save(out, kind)
    return out.getvalue()


def _png_with_corrupt_stream() -> bytes:
    """Every chunk whole and its checksum right, the compressed pixels garbage."""
    import struct
    import zlib

    data = bytearray(_image("PNG"))
    at = data.index(b"IDAT") - 4
    length = struct.unpack(">I", data[at : at + 4])[0]
    body = at + 8
    data[body + 10 : body + length] = bytes(length - 10)
    crc = zlib.crc32(bytes(data[at + 4 : body + length]))
    data[body + length : body + length + 4] = struct.pack(">I", crc)
    return bytes(data)


@pytest.mark.parametrize(
    "broken",
    [_png_with_corrupt_stream(), _image("JPEG")[: len(_image("JPEG")) // 2]],
    ids=["png-corrupt-stream", "jpeg-cut-in-half"],
)
def test_file_safety_corrupt_logo_is_refused_when_chosen(new_file, broken):
    from app.services.engagement.errors import FieldError
    from app.services.pack import settings as pack_settings

    with pytest.raises(FieldError, match="damaged or cut short"):
        pack_settings.update(new_file, logo=broken)
    assert pack_settings.get(new_file).logo is None


@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs to fill up (root mounts it; elsewhere the test is skipped)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode:
        if os.environ.get("REQUIRE_EXTERNAL_TOOLS") == "1" and os.geteuid() == 0:
            pytest.fail(f"cannot mount a tmpfs: {done.stderr.decode()}")
        pytest.skip("mounting a small tmpfs needs root")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.parametrize("free_kb", [0, 8, 48])
def test_file_safety_full_disk_says_so_and_changes_nothing(small_disk, tmp_path, free_kb):
    from app.services.demo import create_demo

    create_demo(tmp_path / "demo.aims").close()
    path = small_disk / "e.aims"
    shutil.copy(tmp_path / "demo.aims", path)
    (small_disk / "in.csv").write_text("Name,Owner\nNew tool A,Ann\nNew tool B,Bob\n")
    before = _digest(path)
    avail = shutil.disk_usage(small_disk).free // 1024
    with open(small_disk / "fill", "wb") as fill, contextlib.suppress(OSError):
        fill.write(bytes(max(avail - free_kb, 0) * 1024))
    commands = [
        ["import-xlsx", path, small_disk / "in.csv"],
        ["export-pack", path, "-o", small_disk / "p.pdf"],
        ["export-xlsx", path, "-o", small_disk / "w.xlsx"],
        ["copy", path, small_disk / "c.aims"],
    ]
    for command in commands:
        run = subprocess.run([sys.executable, "-m", "app", *map(str, command)],
                             capture_output=True, text=True, check=False)  # fmt: skip
        assert run.returncode in (0, 2) and "Traceback" not in run.stderr, run.stderr
        if run.returncode == 2:
            assert "disk is full" in _one_error_line(run.stderr)
            assert not os.path.exists(command[-1]) or command[0] == "import-xlsx"
        if command[0] == "import-xlsx" and run.returncode == 2:
            assert _digest(path) == before
    leftovers = [
        p.name for p in small_disk.iterdir() if ".partial" in p.name or "journal" in p.name
    ]
    assert leftovers == []


@pytest.mark.parametrize(
    ("statement", "words"),
    [
        ("UPDATE ai_system SET deployment_date = 'soon'", "AI system AIS-001, deployment date"),
        ("UPDATE risk SET title = X'00ff'", "risk R-001, title, is binary data"),
    ],
)
def test_file_safety_bad_value_in_a_register_is_named_with_its_item(
    tmp_path, capsys, statement, words
):
    from app.services.demo import create_demo

    path = tmp_path / "demo.aims"
    create_demo(path).close()
    _sql(path, statement + " WHERE rowid = (SELECT min(rowid) FROM " + statement.split()[1] + ")")
    before = _digest(path)
    code, err = _cli(capsys, "export-xlsx", path, "-o", tmp_path / "o.xlsx")
    line = _one_error_line(err)
    assert code == 2 and "cannot read" in line and words in line
    assert _digest(path) == before and not (tmp_path / "o.xlsx").exists()


def test_file_safety_known_names_are_those_of_the_models():
    """The names checked on every open without loading the models (schema_objects)."""
    assert (set(schema_objects.TABLES), set(schema_objects.INDEXES)) == schema_objects.of_models()


def test_file_safety_a_table_missing_from_the_known_names_is_still_ours(tmp_path, monkeypatch):
    path = _new(tmp_path / "client.aims")
    monkeypatch.setattr(schema_objects, "TABLES", schema_objects.TABLES - {"approval"})
    with open_engagement(path) as ef:
        assert not ef.read_only
