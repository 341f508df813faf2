"""Engagement files: one SQLite file per client, created, opened, migrated and copied here.

Every edit commits at once in a rollback-journal database with full sync, so a killed process
leaves a file holding every committed edit. A second opener gets the file read-only."""

from __future__ import annotations

import datetime as dt
import errno
import filecmp
import getpass
import os
import secrets
import shutil
import sqlite3
import stat
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, insert, inspect, select, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool, StaticPool

import app
from app.models import Base, CatalogSnapshot, EngagementInfo, RequirementState, SchemaInfo, schema
from app.services.catalog import content as catalog_service
from app.services.catalog.content import Catalog
from app.services.engagement import (
    history,
    journal,
    migrations,
    safe_output,
    schema_objects,
    stored_values,
)
from app.services.engagement.errors import (
    AimsError,
    DamagedFileError,
    FieldError,
    FileMissingError,
    FileWriteError,
    NotAnEngagementError,
    ReadOnlyError,
    RuleError,
    SchemaTooNewError,
)
from app.services.engagement.fields import FieldSpec
from app.services.engagement.lock import WriterLock
from app.services.engagement.writeback import Writeback

SUFFIX = ".aims"
SIZES = {
    "small": "Small (1-50 staff, 1-3 AI systems)",
    "mid": "Mid-size (50-500 staff)",
    "large": "Large enterprise",
}
DETAIL_FIELDS: dict[str, FieldSpec] = {
    f.name: f
    for f in (
        FieldSpec("client", "Client", "text", required=True),
        FieldSpec("size", "Organization size", "choice", SIZES),
        FieldSpec("iso27001", "Holds ISO/IEC 27001", "bool"),
        FieldSpec("iso9001", "Holds ISO 9001", "bool"),
        FieldSpec("consultant", "Consultant", "text"),
        FieldSpec("scope_statement", "Scope statement", "long"),
        # when the AIMS began (format 8): systems live before it may be assessed retroactively
        FieldSpec("aims_started_on", "AIMS began on", "date"),
        FieldSpec("stage1_date", "Target Stage 1 date", "date"),
        # The audit and the document control of the Stage 1 submission (format 6).
        FieldSpec("stage2_date", "Stage 2 audit date", "date"),
        FieldSpec("certification_body", "Certification body", "text"),
        FieldSpec("doc_version", "Document version", "text"),
        FieldSpec("doc_author", "Document author", "text"),
        FieldSpec("doc_reviewer", "Document reviewer", "text"),
        FieldSpec("doc_approver", "Document approver", "text"),
        FieldSpec("doc_date", "Document date", "date"),
    )
}
# Details kept since format 6, read and written by name.
_LATER_DETAILS = (
    "stage2_date", "certification_body", "doc_version", "doc_author", "doc_reviewer",
    "doc_approver", "doc_date", "aims_started_on",
)  # fmt: skip
_SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class Details:
    """The engagement's own facts, as plain values."""

    uid: str
    client: str
    size: str
    iso27001: bool
    iso9001: bool
    scope_statement: str
    consultant: str
    stage1_date: dt.date | None
    created_at: dt.datetime
    stage2_date: dt.date | None = None
    certification_body: str = ""
    doc_version: str = ""
    doc_author: str = ""
    doc_reviewer: str = ""
    doc_approver: str = ""
    doc_date: dt.date | None = None
    aims_started_on: dt.date | None = None


def current_actor() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


class EngagementFile:
    """An open engagement file. Services take it as their first argument."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        lock: WriterLock | None,
        read_only_reason: str,
        actor: str,
    ) -> None:
        self.path = path
        self.engine = engine
        self._lock = lock
        self.read_only_reason = read_only_reason
        self.actor = actor
        info = os.stat(path)
        self._identity = (info.st_dev, info.st_ino)
        with engine.connect() as conn:
            self._stamp = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
        self.catalog: Catalog = _load_catalog(engine, path)
        self.details: Details = _load_details(engine, path)
        # The write transaction open on this thread, if any: services called inside it join it,
        # so a workbook import of many items is one transaction (and sees its own writes).
        self._open = threading.local()
        # Told after every committed write (on the thread that wrote): the window's status
        # bar says "saved" only then.
        self.on_commit: list[Callable[[], None]] = []
        # syncs a long write's pages behind it (attachments); closed with the file
        self.writeback = Writeback(path)

    @property
    def read_only(self) -> bool:
        return bool(self.read_only_reason)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        outer: Session | None = getattr(self._open, "session", None)
        if outer is not None:
            yield outer
            return
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except DBAPIError as exc:
            if "decode" in str(exc.orig).lower():  # text that is not UTF-8
                what = f"text that is not UTF-8 ({exc.orig})"
                raise stored_values.unreadable(self.path, what) from exc
            raise _damaged(self.path, exc) from exc
        except (ValueError, TypeError) as exc:  # a stored value the columns cannot hold
            with self.engine.connect() as conn:
                found = stored_values.diagnose(conn, schema().sorted_tables, self.path)
            raise found or stored_values.unreadable(self.path, str(exc)) from exc

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error. Inside
        another `writing()` on the same thread it joins that transaction."""
        outer: Session | None = getattr(self._open, "session", None)
        if outer is not None:
            yield outer
            return
        if self.read_only:
            raise ReadOnlyError(f"This engagement is open read-only: {self.read_only_reason}")
        self._check_still_there()
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                # Page 1 first in every journal: it carries the file's stamp (see _stamp).
                session.connection().exec_driver_sql(f"PRAGMA user_version = {self._stamp}")
                self._open.session = session
                try:
                    yield session
                finally:
                    self._open.session = None
        except DBAPIError as exc:
            raise FileWriteError(
                f"The change could not be saved to {self.path}: "
                f"{safe_output.disk_message(exc, self.path.parent)}"
            ) from exc
        except OSError as exc:
            raise FileWriteError(
                f"The change could not be saved to {self.path}: "
                f"{safe_output.disk_message(exc, self.path.parent)}"
            ) from exc
        for hook in list(self.on_commit):
            hook()

    def _check_still_there(self) -> None:
        """The file is where it was opened, and still the same file: a file put in its place
        (a workbook exported over it, a restored backup) is not written into."""
        try:
            info = os.stat(self.path)
        except OSError:
            raise FileWriteError(
                f"{self.path} is no longer there (moved, deleted, or its drive removed). "
                "Nothing was saved; use File > Save a Copy As to keep what is on screen."
            ) from None
        if (info.st_dev, info.st_ino) != self._identity:
            raise FileWriteError(
                f"{self.path} was replaced by another file since it was opened. Nothing was "
                "saved; use File > Save a Copy As to keep what is on screen."
            )

    def set_deleted(
        self, model: type[Any], entity: str, key: str, deleted: bool, what: str
    ) -> None:
        """Delete (or bring back) an item; it stays in the file, so undo and history keep
        working and its ID is never given to another."""
        with self.writing() as session:
            item = session.get(model, key)
            if item is None:
                raise FieldError("id", f"There is no {what} {key}.")
            if item.deleted != deleted:
                item.deleted = deleted
                history.record(session, self.actor, entity, key, "deleted", not deleted, deleted)

    def update_details(self, **changes: Any) -> dict[str, object]:
        """Change the engagement's own facts (client, scope, Stage 1 date...), with history;
        every value is checked first, and the old values come back (for undo)."""
        checked = {}
        for name, value in changes.items():
            spec = DETAIL_FIELDS.get(name)
            if spec is None:
                raise FieldError(name, f"'{name}' is not a field of the engagement")
            checked[name] = spec.coerce(value)
        old: dict[str, object] = {}
        with self.writing() as session:
            info = session.get_one(EngagementInfo, 1)
            _check_stages(
                checked.get("stage1_date", info.stage1_date),
                checked.get("stage2_date", info.stage2_date),
                "stage2_date" if "stage2_date" in checked else "stage1_date",
            )
            for name, value in checked.items():
                if getattr(info, name) != value:
                    old[name] = getattr(info, name)
                    setattr(info, name, value)
                    history.record(session, self.actor, "engagement", "1", name, old[name], value)
        self.details = _load_details(self.engine, self.path)
        return old

    def save_copy(self, destination: Path, overwrite: bool = False) -> None:
        """A consistent copy of the open file, written to a temporary name then moved in place.
        An existing file is replaced only when asked, and never one open for editing."""
        destination = Path(destination)
        if destination.resolve() == self.path.resolve() or (
            destination.exists() and os.path.samefile(destination, self.path)
        ):
            raise FileWriteError("Choose a different name: that is the file already open.")
        if destination.exists():
            if not overwrite:
                raise FileWriteError(f"{destination} already exists; choose another name.")
            lock = WriterLock(destination.resolve())
            if not lock.acquire():
                raise FileWriteError(
                    f"{destination.name} cannot be replaced: {lock.refusal}; choose another name."
                )
            lock.release()
        if not destination.parent.is_dir():
            raise FileWriteError(f"The folder {destination.parent} does not exist.")
        safe_output.sweep(destination.parent)
        temp = safe_output.temp_path_for(destination)
        try:
            raw = self.engine.raw_connection()
            try:
                target = sqlite3.connect(temp)
                try:
                    raw.driver_connection.backup(target)  # type: ignore[union-attr]
                finally:
                    target.close()
            finally:
                raw.close()
            os.replace(temp, destination)
        except (OSError, sqlite3.Error) as exc:
            raise FileWriteError(
                f"Could not write a copy to {destination}: {safe_output.disk_message(exc)}"
            ) from exc
        finally:
            for leftover in (temp, journal.journal_path(temp)):
                with suppress(OSError):
                    leftover.unlink()

    @contextmanager
    def trial_copy(self) -> Iterator[EngagementFile]:
        """The engagement copied into memory, writable, for a trial run whose changes are
        thrown away (an import's preview): the file itself is never written, so a preview
        killed half-way leaves nothing to roll back."""
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        try:
            raw = self.engine.raw_connection()
            try:
                raw.driver_connection.backup(memory)  # type: ignore[union-attr]
            finally:
                raw.close()
            engine = _configured(create_engine("sqlite://", creator=lambda: memory,
                                               poolclass=StaticPool))  # fmt: skip
            copy = EngagementFile(self.path, engine, None, "", self.actor)
            copy.writeback.close()  # in memory: nothing to sync, and never this file's descriptor
            try:
                yield copy
            finally:
                engine.dispose()
        finally:
            memory.close()

    def close(self) -> None:
        self.engine.dispose()
        self.writeback.close()  # after the connections: its descriptor holds no lock of theirs
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> EngagementFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _check_stages(stage1: object, stage2: object, changed: str) -> None:
    """Stage 2 is audited after Stage 1, never before: the later of the two dates typed is
    the one refused."""
    if isinstance(stage1, dt.date) and isinstance(stage2, dt.date) and stage2 < stage1:
        raise RuleError(
            changed,
            f"The Stage 2 audit ({stage2.isoformat()}) comes after Stage 1 "
            f"({stage1.isoformat()}), not before: change one of the two dates.",
            ("stage1_date", "stage2_date"),
        )


# 8 KiB pages for new files (SQLite's default is 4 KiB): a large write such as an attachment
# is half as many pages to write (attaching 100 MB went from about 2x reading and hashing it to
# 1.7x); an empty engagement is a few hundred KB larger. Existing files keep their size.
PAGE_SIZE = 8192


def _connect(path: Path, mode: str) -> Engine:
    """An engine on the file (mode "ro", "rw" or "rwc"), by URI so no character of the path
    is read as URL syntax."""
    uri = f"file:{quote(str(path.resolve()))}?mode={mode}"

    def creator() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=5, check_same_thread=False)

    # A queue pool hands each thread its own connection for the length of a session; the
    # default for a "sqlite://" URL (one connection per thread, five at most) closes another
    # thread's connection once more threads have used it.
    return _configured(create_engine("sqlite://", creator=creator, poolclass=QueuePool))


def _configured(engine: Engine) -> Engine:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Transactions are begun explicitly (below), so that schema changes in a migration
        # step roll back with the rest of the step; pysqlite would commit them on its own.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        # A rollback journal (not WAL) keeps the engagement one self-contained file.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _damaged(path: Path, exc: Exception) -> AimsError:
    text = str(exc).lower()
    if "not a database" in text or "file is encrypted" in text:
        return NotAnEngagementError(f"{path.name} is not an AIMS Prep engagement file.")
    return DamagedFileError(
        f"{path.name} is damaged ({exc.__class__.__name__}: {getattr(exc, 'orig', exc)}). "
        "Open a backup copy, or the copy AIMS Prep wrote beside it before an upgrade."
    )


def _check_header(path: Path) -> None:
    """Cheap checks before SQLite sees the file: is it a database, is it cut short."""
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileMissingError(
                f"{path} is a link that leads back to itself (a loop); open the file itself."
            ) from None
        if path.is_symlink():
            raise FileMissingError(
                f"{path} is a link to a file that is no longer there; open the file itself."
            ) from None
        raise FileMissingError(
            f"{path} does not exist. It may have been moved, renamed, or on a drive that "
            "is no longer connected."
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise NotAnEngagementError(f"{path} is a folder, not an engagement file.")
    if not stat.S_ISREG(info.st_mode):
        raise NotAnEngagementError(
            f"{path} is not a regular file (a pipe or a device); open an engagement file."
        )
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise FileMissingError(f"{path} cannot be read: {exc.strerror}") from exc
    if not header.startswith(_SQLITE_MAGIC):
        raise NotAnEngagementError(
            f"{path.name} is not an AIMS Prep engagement file (it is not a database at all)."
        )
    if len(header) < 100:
        raise DamagedFileError(f"{path.name} is cut short: the file is truncated.")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    header_count_valid = header[24:28] == header[92:96]
    if header_count_valid and page_count and size < page_size * page_count:
        raise DamagedFileError(
            f"{path.name} is truncated ({size:,} of {page_size * page_count:,} bytes); "
            "it was probably cut off while copying. Open a complete copy."
        )


def _schema_version(engine: Engine, path: Path) -> int:
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("schema_info"):
                raise NotAnEngagementError(
                    f"{path.name} is a database, but not an AIMS Prep engagement file."
                )
            version = conn.exec_driver_sql("SELECT version FROM schema_info").scalar()
            # Every format has these: a file without them is damaged, and is refused before
            # anything (an upgrade, a backup copy) is written for it.
            missing = {"engagement", "catalog_snapshot", "requirement"} - set(
                inspect(conn).get_table_names()
            )
    except DBAPIError as exc:
        raise _damaged(path, exc) from exc
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise stored_values.unreadable(
            path, f"its file format number is {version!r}, which no AIMS Prep writes"
        )
    number = version
    if missing:
        raise DamagedFileError(
            f"{path.name} is missing parts of an engagement; the file is damaged."
        )
    return number


def backup_path_for(path: Path, version: int) -> Path:
    candidate = path.with_name(f"{path.stem} (before upgrade from v{version}){path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(
            f"{path.stem} (before upgrade from v{version}, {n}){path.suffix}"
        )
        n += 1
    return candidate


def _write_backup(path: Path, version: int) -> Path:
    """The copy of the file as it was, written under a temporary name and renamed, so a kill
    or a full disk never leaves a cut-off "before upgrade" copy; an identical copy from an
    earlier try is used again instead of a second one."""
    existing = path.with_name(f"{path.stem} (before upgrade from v{version}){path.suffix}")
    if existing.is_file() and filecmp.cmp(existing, path, shallow=False):
        return existing
    backup = backup_path_for(path, version)
    temp = safe_output.temp_path_for(backup)
    try:
        shutil.copy2(path, temp)
        os.replace(temp, backup)
    except OSError as exc:
        with suppress(OSError):
            temp.unlink()
        raise FileWriteError(
            f"{path.name} must be upgraded, but no backup copy could be written beside it "
            f"({safe_output.disk_message(exc)}); the file was not changed."
        ) from exc
    return backup


def _migrate(engine: Engine, path: Path, version: int) -> None:
    backup = _write_backup(path, version)
    try:
        for from_version, step in migrations.steps_from(version):
            with engine.begin() as conn:
                stamp = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
                conn.exec_driver_sql(f"PRAGMA user_version = {stamp}")  # page 1 first
                step(conn)
                conn.execute(
                    update(SchemaInfo).values(version=from_version + 1, written_by=app.__version__)
                )
    except (SQLAlchemyError, sqlite3.Error) as exc:
        raise FileWriteError(
            f"{path.name} could not be upgraded from format {version} "
            f"({safe_output.disk_message(exc)}). "
            f"A copy of it as it was is at {backup.name}."
        ) from exc


# The catalog and the details are read through Core on every open: the window's first page
# then paints before the ORM's first query sets up every mapper.
def _load_catalog(engine: Engine, path: Path) -> Catalog:
    snapshots = CatalogSnapshot.__table__.c
    with engine.connect() as conn:
        content = conn.execute(
            select(snapshots.content).order_by(snapshots.id.desc()).limit(1)
        ).first()
    if content is None:
        raise DamagedFileError("The engagement file holds no catalog; the file is damaged.")
    if not isinstance(content.content, str):
        raise stored_values.unreadable(path, "its catalog is binary data, not text")
    return catalog_service.from_snapshot(content.content)


def _load_details(engine: Engine, path: Path) -> Details:
    table = Base.metadata.tables["engagement"]
    with engine.connect() as conn:
        labels = {name: spec.label for name, spec in DETAIL_FIELDS.items()}
        stored_values.check_rows(conn, table, path, "the engagement details", labels)
        info = conn.execute(select(table).where(table.c.id == 1)).first()
    if info is None:
        raise DamagedFileError("The engagement file holds no engagement record.")
    if info.size not in SIZES:
        raise stored_values.unreadable(
            path, f"the engagement details, organization size, is {info.size[:40]!r}"
        )
    return Details(
        info.uid,
        info.client,
        info.size,
        info.iso27001,
        info.iso9001,
        info.scope_statement,
        info.consultant,
        info.stage1_date,
        info.created_at,
        **{name: getattr(info, name) for name in _LATER_DETAILS},
    )


def open_engagement(
    path: Path | str,
    *,
    read_only: bool = False,
    actor: str | None = None,
) -> EngagementFile:
    """Open a file for editing, or read-only when asked, when the disk or another writer says so.

    Raises a typed AimsError for any file that cannot be opened; the file is never changed then
    (but for finishing a save a crash interrupted, which SQLite would do on any write open).
    """
    path = Path(path)
    _check_header(path)
    safe_output.sweep(path.parent)
    reason = "opened read-only as asked" if read_only else ""
    writable = _writable(path)
    if not reason:
        reason = writable
    if not reason and path.stat().st_nlink > 1:
        reason = (
            "it has more than one name on disk (a hard link), so AIMS Prep cannot tell "
            "whether it is open for editing under another name"
        )
    lock: WriterLock | None = None
    if not reason:
        lock = WriterLock(path.resolve())  # one lock however the file is reached (symlinks)
        if not lock.acquire():
            reason = lock.refusal
            lock = None
    try:
        _finish_interrupted_save(path, lock, writable)
        found = schema_objects.foreign_objects(path)
    except AimsError:
        if lock is not None:
            lock.release()
        raise
    except sqlite3.DatabaseError as exc:
        if lock is not None:
            lock.release()
        raise _damaged(path, exc) from exc
    if found:
        if lock is not None:
            lock.release()
            lock = None
        reason = schema_objects.read_only_reason(found)
    engine = _connect(path, "ro" if reason else "rw")
    try:
        version = _schema_version(engine, path)
        if version > migrations.CURRENT_VERSION:
            raise SchemaTooNewError(
                f"{path.name} was saved by a newer AIMS Prep (file format {version}; this "
                f"version reads up to {migrations.CURRENT_VERSION}). Install the newer AIMS "
                "Prep to open it; the file was not changed."
            )
        if version < migrations.CURRENT_VERSION:
            if read_only and not found:
                raise ReadOnlyError(
                    f"{path.name} is from an older AIMS Prep (file format {version}) and must "
                    f"be upgraded to format {migrations.CURRENT_VERSION} before it can be "
                    "read. Open it once for editing (a copy as it was is kept beside it); "
                    "the file was not changed."
                )
            if reason:
                raise ReadOnlyError(
                    f"{path.name} is from an older AIMS Prep and must be upgraded before use, "
                    f"but {reason}. Open it where it can be written."
                )
            _migrate(engine, path, version)
        if not reason:
            _stamp_file(engine)
        return EngagementFile(path, engine, lock, reason, actor or current_actor())
    except AimsError:
        engine.dispose()
        if lock is not None:
            lock.release()
        raise
    except (SQLAlchemyError, sqlite3.Error) as exc:
        engine.dispose()
        if lock is not None:
            lock.release()
        raise _damaged(path, exc) from exc


def _writable(path: Path) -> str:
    """Why the file cannot be written where it is, or "" when it can."""
    # The mode bit too: an administrator may write anywhere, but a file marked read-only
    # was marked so on purpose.
    if not os.access(path, os.W_OK) or not path.stat().st_mode & stat.S_IWUSR:
        return "the file is read-only on disk"
    # SQLite writes a journal beside the file, and a backup copy goes there before an upgrade.
    if not os.access(path.resolve().parent, os.W_OK):
        return "its folder is read-only"
    return ""


def _finish_interrupted_save(path: Path, lock: WriterLock | None, unwritable: str) -> None:
    """A crash during a save leaves a journal (or a WAL) that SQLite rolls back on the next
    write open. A read-only open finishes it too, when no writer holds the file, so that read-
    only commands work right after a crash; a writer's journal is its own business."""
    if not journal.pending(path):
        return
    if lock is not None:
        journal.finish(path)
        return
    probe = WriterLock(path.resolve())
    if not unwritable and probe.acquire():
        try:
            journal.finish(path)
        finally:
            probe.release()
        return
    if not unwritable:  # another writer holds the file: its journal is its own to finish
        return
    if journal.hot_journal(path):
        journal.check_journal_belongs(path)
    raise ReadOnlyError(
        f"A save of {path.name} was interrupted (a crash or a removed drive), and it will be "
        f"rolled back the next time the file is opened where it can be written, but "
        f"{unwritable}. Copy {path.name} together with the files beside it named "
        f"{path.name}-journal or -wal to a writable folder and open it there. The file is not "
        "damaged."
    )


def _stamp_file(engine: Engine) -> None:
    """Give the file its own number in the header (SQLite's user_version), once. Every write
    sets it again first, so each journal starts with a copy of page 1 that names its file."""
    with engine.connect() as conn:
        if conn.exec_driver_sql("PRAGMA user_version").scalar():
            return
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA user_version = {secrets.randbelow(2**31 - 1) + 1}")


def create_engagement(
    path: Path | str,
    *,
    client: str,
    size: str = "mid",
    iso27001: bool = False,
    iso9001: bool = False,
    scope_statement: str = "",
    consultant: str = "",
    stage1_date: dt.date | None = None,
    catalog: Catalog | None = None,
    actor: str | None = None,
    **later: object,
) -> EngagementFile:
    """Write a new engagement file and open it. Built under a temporary name, so a failure
    never leaves a half-made file behind. `later` takes the other details by name (the
    certification body, the document control...)."""
    path = Path(path)
    unknown = sorted(set(later) - set(_LATER_DETAILS))
    if unknown:
        raise FieldError(unknown[0], f"'{unknown[0]}' is not a field of the engagement")
    later = {name: DETAIL_FIELDS[name].coerce(value) for name, value in later.items()}
    client = str(DETAIL_FIELDS["client"].coerce(client))
    size = str(DETAIL_FIELDS["size"].coerce(size))
    consultant = str(DETAIL_FIELDS["consultant"].coerce(consultant))
    scope_statement = str(DETAIL_FIELDS["scope_statement"].coerce(scope_statement))
    if path.exists():
        raise FileWriteError(f"{path} already exists; choose another name or open it instead.")
    if not path.parent.is_dir():
        raise FileWriteError(f"The folder {path.parent} does not exist.")
    # The risk area seeds every new file; loaded here, not when a file is opened.
    from app.services.risks import criteria as risk_criteria
    from app.services.risks import seed as risk_seed

    catalog = catalog or catalog_service.load_bundled()
    actor = actor or current_actor()
    temp = path.with_name(f".{path.name}.partial")
    try:
        temp.unlink(missing_ok=True)
        engine = _connect(temp, "rwc")
        try:
            with engine.connect() as conn:  # before the first table: fixed from then on
                conn.exec_driver_sql(f"PRAGMA page_size = {PAGE_SIZE}")
            schema().create_all(engine)
            _stamp_file(engine)
            now = history.now()
            with Session(engine) as session, session.begin():
                session.add(
                    SchemaInfo(id=1, version=migrations.CURRENT_VERSION, written_by=app.__version__)
                )
                session.add(
                    EngagementInfo(
                        id=1,
                        uid=str(uuid.uuid4()),
                        client=client.strip(),
                        size=size,
                        iso27001=iso27001,
                        iso9001=iso9001,
                        scope_statement=scope_statement,
                        consultant=consultant,
                        stage1_date=stage1_date,
                        created_at=now,
                        **later,
                    )
                )
                session.add(
                    CatalogSnapshot(version=catalog.version, content=catalog.raw, installed_at=now)
                )
                session.execute(
                    insert(RequirementState),
                    [
                        {
                            "id": p.id,
                            "status": "not_started",
                            "owner": "",
                            "notes": "",
                            "evidence": "",
                            "retired": False,
                        }
                        for p in catalog.points
                    ],
                )
                history.record(
                    session, actor, "engagement", "1", "created", None, client.strip(), now
                )
                risk_seed.seed(session.connection(), risk_criteria.DEFAULT.to_json())
                risk_seed.mark_seeded_classified(session.connection())
        finally:
            engine.dispose()
        os.replace(temp, path)
    except (OSError, SQLAlchemyError) as exc:
        with suppress(OSError):
            temp.unlink()
        raise FileWriteError(f"Could not create {path}: {safe_output.disk_message(exc)}") from exc
    return open_engagement(path, actor=actor)
