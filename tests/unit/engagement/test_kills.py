"""Kill the program at random moments of every kind of write and check, after each kill, that
the file is whole, the write all-or-nothing, read-only commands work at once and no temporary
file outlives the next run."""

from __future__ import annotations

import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from app import paths
from app.services.engagement import journal
from app.services.generator import create_large
from tests.conftest import FIXTURES

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]

KILLS_PER_KIND = 10  # five kinds: 50 kills


def _start(*args):
    return subprocess.Popen(
        [sys.executable, "-m", "app", *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _run(*args) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _timed(*args) -> float:
    start = time.monotonic()
    done = _run(*args)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - start


def _kill_at_random(rng: random.Random, duration: float, *args) -> bool:
    """Start a command and kill it at a random moment of its usual run; True when the
    command had already finished."""
    process = _start(*args)
    try:
        process.wait(timeout=rng.uniform(0.05, duration))
        return True
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return False


def _integrity(path) -> str:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        connection.close()


def _count(path, sql: str) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(connection.execute(sql).fetchone()[0])
    finally:
        connection.close()


def _after_kill(folder, path) -> dict:
    """What every kill must leave: a readable file, read-only commands that work (this is
    also the next run), and no temporary file left once it has run."""
    status = _run("status", path, "--json")
    assert status.returncode == 0, status.stderr
    assert "Traceback" not in status.stderr
    assert _integrity(path) == "ok"
    leftovers = [p.name for p in folder.iterdir() if ".partial" in p.name]
    assert leftovers == [], leftovers
    assert not journal.hot_journal(path)  # rolled back (an empty journal may stay: no save)
    return json.loads(status.stdout)


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kills")
    path = folder / "base.aims"
    create_large(
        path, history_rows=60_000, systems=2_000, assessments=2_000, risk_count=4_000
    ).close()
    return path


def test_kills_during_import_are_all_or_nothing(large, tmp_path):
    rng = random.Random(11)
    path = tmp_path / "e.aims"
    csv = tmp_path / "new.csv"
    csv.write_text(
        "Name,Owner,Used for\n"
        + "".join(f"Killed tool {n},Owner {n},Scoring {n}\n" for n in range(600))
    )
    shutil.copy(large, path)
    before = _count(path, "SELECT count(*) FROM ai_system")
    duration = _timed("import-xlsx", path, csv)
    for _ in range(KILLS_PER_KIND):
        shutil.copy(large, path)
        _kill_at_random(rng, duration, "import-xlsx", path, csv)
        _after_kill(tmp_path, path)
        assert _count(path, "SELECT count(*) FROM ai_system") in (before, before + 600)


def test_kills_during_catalog_upgrade_are_all_or_nothing(large, tmp_path):
    rng = random.Random(12)
    data = json.loads(paths.catalog_path().read_text())
    data["catalog_version"] = "2099.1"
    for point in data["requirements"]:
        point["question"] = "Reworded: " + point["question"]
    catalog = tmp_path / "newer.json"
    catalog.write_text(json.dumps(data))
    path = tmp_path / "e.aims"
    shutil.copy(large, path)
    duration = _timed("upgrade-catalog", path, "--catalog", catalog, "--apply")
    for _ in range(KILLS_PER_KIND):
        shutil.copy(large, path)
        _kill_at_random(rng, duration, "upgrade-catalog", path, "--catalog", catalog, "--apply")
        status = _after_kill(tmp_path, path)
        assert status["catalog_version"] in ("2026.2", "2099.1")


def test_kills_during_schema_upgrade_leave_either_format(tmp_path):
    rng = random.Random(13)
    old = tmp_path / "old-large.aims"
    shutil.copy(FIXTURES / "schema_v4.aims", old)
    connection = sqlite3.connect(old)
    connection.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000) "
        "INSERT INTO history (at, actor, entity, entity_id, field, old, new) "
        "SELECT '2026-01-01 00:00:00', 'gen', 'requirement', 'P-4.1-01', 'notes', "
        "printf('%0200d', i), printf('%0200d', i) FROM n"
    )
    connection.commit()
    connection.close()
    original = old.read_bytes()
    work = tmp_path / "work"
    work.mkdir()
    path = work / "e.aims"
    path.write_bytes(original)
    duration = _timed("upgrade-catalog", path, "--apply")
    for _ in range(KILLS_PER_KIND):
        for leftover in work.iterdir():
            leftover.unlink()
        path.write_bytes(original)
        _kill_at_random(rng, duration, "upgrade-catalog", path, "--apply")
        status = _run("status", path)
        assert status.returncode in (0, 2) and "Traceback" not in status.stderr
        if status.returncode == 2:  # not yet upgraded: said so, never "damaged"
            assert "must be upgraded" in status.stderr and "damaged" not in status.stderr
        assert _integrity(path) == "ok"
        backups = [p for p in work.iterdir() if "before upgrade" in p.name]
        assert all(b.read_bytes() == original for b in backups)
        assert len(backups) <= 1
        assert [p.name for p in work.iterdir() if ".partial" in p.name] == []


@pytest.mark.parametrize(
    ("command", "suffix"),
    [("export-xlsx", "xlsx"), ("export-pack", "pdf")],
)
def test_kills_during_exports_leave_the_old_output_or_the_new(large, tmp_path, command, suffix):
    rng = random.Random(14)
    path = tmp_path / "e.aims"
    shutil.copy(large, path)
    out = tmp_path / f"out.{suffix}"
    pack = ["--kind", "readiness", "--sections", "scope,checklist,inventory"]
    extra = pack if command == "export-pack" else []
    duration = _timed(command, path, "-o", out, *extra)
    complete = out.read_bytes()
    for _ in range(KILLS_PER_KIND):
        _kill_at_random(rng, duration, command, path, "-o", out, *extra)
        _after_kill(tmp_path, path)
        assert out.stat().st_size > len(complete) // 2  # the old one, or a whole new one
        assert out.read_bytes()[:4] in (b"PK\x03\x04", b"%PDF")
