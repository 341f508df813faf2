"""Pushing a long write's pages to disk behind it: a head start, never a condition, and never
at the cost of SQLite's locks."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

from app.services.documents import attachments
from app.services.documents.register import DOCUMENTS
from app.services.engagement.file import create_engagement, open_engagement
from app.services.engagement.writeback import Writeback
from app.services.progress import finish
from app.services.registers import service as register


def test_a_file_that_cannot_be_synced_is_left_to_the_commit(tmp_path: Path) -> None:
    behind = Writeback(tmp_path / "not-there.aims")
    behind.nudge()  # nothing to sync, nothing raised
    behind.close()


def test_a_new_engagement_stores_a_large_attachment_whole(tmp_path: Path) -> None:
    source = tmp_path / "scan.bin"
    source.write_bytes(bytes(range(256)) * (9 << 12))  # 9 MiB: three chunks, synced behind
    path = tmp_path / "e.aims"
    with create_engagement(path, client="Client", size="small") as ef:
        doc = register.create(ef, DOCUMENTS, {"title": "Scan"})
        stored = finish(attachments.attach(ef, doc, source))
    with open_engagement(path, read_only=True) as ef:
        [row] = attachments.list_attachments(ef, doc)
        assert (row.size, row.sha256) == (9 << 20, hashlib.sha256(source.read_bytes()).hexdigest())
        assert row == stored
        assert finish(attachments.verify(ef)) == []


def _can_read(path: Path) -> bool:
    """Whether another process can read the file now (it cannot while a write holds it)."""
    probe = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], timeout=0)\n"
        "try:\n"
        "    c.execute('select count(*) from sqlite_master').fetchone()\n"
        "except sqlite3.OperationalError:\n"
        "    sys.exit(1)\n"
    )
    return subprocess.run([sys.executable, "-c", probe, str(path)], check=False).returncode == 0


def test_the_sync_keeps_sqlites_locks_while_a_write_holds_the_file(tmp_path: Path) -> None:
    """Closing any descriptor of a file drops the process's POSIX locks on it: the one synced
    stays open until the engagement closes, so a write in progress stays exclusive."""
    path = tmp_path / "e.aims"
    with create_engagement(path, client="Client", size="small") as ef:
        ef.writeback.nudge()  # opened while nothing is locked
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("PRAGMA cache_size = 1")  # pages spill: the file is locked exclusively
        writer.execute("BEGIN")
        writer.execute("CREATE TABLE filler (data BLOB)")
        writer.execute("INSERT INTO filler VALUES (zeroblob(1000000))")
        assert not _can_read(path)
        for _ in range(3):
            ef.writeback.nudge()
        assert not _can_read(path)  # still held: no descriptor of the file was closed
        writer.execute("ROLLBACK")
        writer.close()
    assert _can_read(path)
