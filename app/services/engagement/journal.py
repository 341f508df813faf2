"""An interrupted save left beside an engagement file: finish it, or say exactly why not.

SQLite rolls a hot journal back on the next write open, and refuses a read-only open until
then ("attempt to write a readonly database"), which is no sign of damage. A journal is
played back only once it is known to belong to this file: another file's journal laid beside
it would overwrite pages with foreign ones. A file switched to WAL keeps edits in `-wal`; it
is put back into a rollback journal, so the `.aims` alone holds every committed edit."""

from __future__ import annotations

import os
import sqlite3
import struct
from pathlib import Path
from urllib.parse import quote

from app.services.engagement.errors import DamagedFileError, ForeignJournalError

_JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
# Header bytes that a write transaction never changes, compared between the journal's copy
# of page 1 and the file's: everything but the change counter, page count, freelist, schema
# cookie and version-valid-for fields.
_STABLE = [(0, 24), (44, 92), (96, 100)]


def journal_path(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _header(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(100)


def is_wal(path: Path) -> bool:
    """The file is in write-ahead-log mode (format bytes 18 and 19 are 2)."""
    header = _header(path)
    return len(header) >= 20 and (header[18] == 2 or header[19] == 2)


def hot_journal(path: Path) -> bool:
    """A journal with a valid header lies beside the file: an interrupted save (or a
    stranger's journal). An empty or zeroed journal is no transaction and SQLite ignores it."""
    journal = journal_path(path)
    try:
        with open(journal, "rb") as handle:
            return handle.read(8) == _JOURNAL_MAGIC
    except OSError:
        return False


def pending(path: Path) -> bool:
    """Something must be finished before the file can be read on its own."""
    return hot_journal(path) or is_wal(path) or wal_path(path).exists()


def check_journal_belongs(path: Path) -> None:
    """Refuse a journal that is not this file's, before SQLite could play it back."""
    journal = journal_path(path)
    db_header = _header(path)
    db_size = path.stat().st_size
    page_size = int.from_bytes(db_header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    data = journal.read_bytes()
    problem = _journal_problem(data, db_header, db_size, page_size)
    if problem:
        raise ForeignJournalError(
            f"{path.name} has an unfinished save beside it ({journal.name}) that does not "
            f"belong to it ({problem}); it may have been copied in with another file. Nothing "
            f"was opened or changed. Move {journal.name} out of the folder, then open "
            f"{path.name} again."
        )


def _journal_problem(data: bytes, db_header: bytes, db_size: int, page_size: int) -> str:
    if len(data) < 28:
        return "it is cut short"
    records, _nonce, initial_pages, sector, journal_page = struct.unpack(">IIIII", data[8:28])
    if journal_page != page_size:
        return f"its page size is {journal_page}, the file's {page_size}"
    if initial_pages * page_size > db_size:
        return f"it would grow the file from {db_size:,} to {initial_pages * page_size:,} bytes"
    if not 512 <= sector <= 65536:
        return "its header is not valid"
    record_size = page_size + 8
    available = (len(data) - sector) // record_size
    count = available if records in (0, 0xFFFFFFFF) else min(records, available)
    for n in range(count):
        start = sector + n * record_size
        page_no = int.from_bytes(data[start : start + 4], "big")
        if page_no < 1 or page_no > initial_pages:
            return f"it names page {page_no} of a file of {initial_pages} pages"
        if n == 0 and page_no == 1:
            # Every write of ours journals page 1 first (it stamps the file's user_version),
            # so its copy must carry this file's stamp and the rest of its stable header.
            image = data[start + 4 : start + 4 + 100]
            # an unstamped file (made before stamps) gets its stamp in this very write
            if image[60:64] == bytes(4):
                image = image[:60] + db_header[60:64] + image[64:]
            if any(image[a:b] != db_header[a:b] for a, b in _STABLE):
                return "its copy of the file's first page is another file's"
    return ""


def finish(path: Path) -> None:
    """Roll back an interrupted save and leave WAL mode, with the writer's lock held by the
    caller. A journal is checked first; SQLite does the rest on a write open."""
    if hot_journal(path):
        check_journal_belongs(path)
    uri = f"file:{quote(str(path.resolve()))}?mode=rw"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=5, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode = DELETE").fetchone()
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise DamagedFileError(
            f"{path.name} had an unfinished save that could not be rolled back ({exc}). "
            "Open a backup copy, or the copy AIMS Prep wrote beside it before an upgrade."
        ) from exc
    for leftover in (wal_path(path), path.with_name(path.name + "-shm")):
        if leftover.exists() and not leftover.stat().st_size:
            os.unlink(leftover)
