"""Files attached to documents, stored inside the engagement in chunks with their SHA-256.

A chunk is one BLOB row (portable SQL, no SQLite blob I/O), so an attachment is written,
read and checked a piece at a time and never wholly in memory. Nothing here runs when the
engagement opens. Slow calls are generators yielding progress (done, total, message): the
window runs them off the UI thread and Cancel closes them, which rolls their transaction back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import os
import re
import stat
import tempfile
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.models import Attachment, AttachmentChunk, Document
from app.services import words
from app.services.engagement import history
from app.services.engagement.errors import AimsError
from app.services.engagement.file import EngagementFile
from app.services.gaps import GapRule
from app.services.progress import Progress

# 4 MiB: memory stays flat (two chunks in flight), and fewer, larger rows store faster
CHUNK = 4 << 20
FIRST = 256 << 10  # a small first chunk: storing starts while the next is hashed
LIMIT = 200 * 1024 * 1024  # larger files are attached only when the user says so
ENTITY = "document"
HASH_MISMATCH = GapRule(
    # minor: one stored copy that changed is a lapse of control over that document, not a
    # failed audit
    "DOC-04", "Attachment no longer matches the SHA-256 recorded when attached", "7.5.3",
    "minor",
    todo="Attach the approved file again from its source and remove the damaged copy "
    "(Documents tab, Attach… and Remove).",
)  # fmt: skip

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10))}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class AttachmentError(AimsError):
    """A file that cannot be attached, opened or exported: what is wrong and what to do."""


class TooLargeError(AttachmentError):
    """Over the limit: the caller asks the user, then attaches with `allow_large`."""

    def __init__(self, path: Path, size: int) -> None:
        super().__init__(
            f"{path.name} is {_megabytes(size)}, over the {_megabytes(LIMIT)} limit for one "
            "attachment. Attach it anyway only if the engagement file may grow by that much "
            "(on the command line: --allow-large)."
        )
        self.size = size


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    document_id: str
    name: str
    media_type: str
    size: int
    sha256: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Mismatch:
    """An attachment whose stored bytes are not those attached."""

    attachment: AttachmentRow
    reason: str

    @property
    def text(self) -> str:
        a = self.attachment
        return f"{a.document_id} {a.name}: {self.reason}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def check_name(name: str) -> str:
    """The file's name as it will be stored and later written out: refused if another system
    could read it as a path or a device."""
    if not name or name in (".", ".."):
        raise AttachmentError("The file has no name; rename it and attach it again.")
    if "/" in name or "\\" in name:
        raise AttachmentError(
            f"'{name}' holds a path separator; rename the file without / or \\ and attach it."
        )
    if _CONTROL.search(name):
        raise AttachmentError(
            f"{name!r} holds control characters; rename the file and attach it again."
        )
    if name.split(".")[0].upper().rstrip() in _RESERVED or name[-1] in ". ":
        raise AttachmentError(
            f"'{name}' is a name Windows cannot use (a device name, or a trailing dot or "
            "space); rename the file and attach it again."
        )
    if len(name.encode("utf-8")) > 255:
        raise AttachmentError(f"'{name[:40]}...' is too long a name; shorten it and attach it.")
    return name


def _source(path: Path, allow_large: bool) -> os.stat_result:
    """The file to attach, checked before it is opened: opening a pipe would block."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise AttachmentError(f"{path} is not there (moved or deleted?).") from None
    except OSError as exc:
        raise AttachmentError(f"{path} cannot be read: {exc.strerror}.") from None
    if stat.S_ISDIR(info.st_mode):
        raise AttachmentError(f"{path} is a folder; attach the files in it one by one.")
    if not stat.S_ISREG(info.st_mode):
        raise AttachmentError(
            f"{path} is not an ordinary file (a pipe, a device or a socket); attach a saved file."
        )
    if info.st_size > LIMIT and not allow_large:
        raise TooLargeError(path, info.st_size)
    return info


def _row(a: Attachment) -> AttachmentRow:
    return AttachmentRow(a.id, a.document_id, a.name, a.media_type, a.size, a.sha256, a.created_at)


def attach(
    ef: EngagementFile, document_id: str, path: Path, allow_large: bool = False
) -> Generator[Progress, None, AttachmentRow]:
    """Store one file under a document, in one transaction: a file that vanishes, cannot be
    read or changes while it is read leaves nothing stored."""
    path = Path(path)
    name = check_name(path.name)
    info = _source(path, allow_large)
    with ef.writing() as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.deleted:
            raise AttachmentError(f"There is no document {document_id}; add it first.")
        attachment = Attachment(
            document_id=document_id,
            name=name,
            media_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
            size=0,
            sha256="",
            chunks=0,
            deleted=False,
            created_at=history.now(),
        )
        session.add(attachment)
        session.flush()
        digest = hashlib.sha256()
        done = seq = 0
        store = insert(AttachmentChunk)
        connection = session.connection()
        try:
            with open(path, "rb") as handle, ThreadPoolExecutor(1) as reader:
                opened = os.fstat(handle.fileno())
                if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
                    raise _changed(path)
                # The next chunk is read and hashed on a second thread while this one is
                # stored: hashlib and SQLite both let go of the GIL for their work.
                ahead = reader.submit(_read_hashed, handle, digest, FIRST)
                while chunk := ahead.result():
                    ahead = reader.submit(_read_hashed, handle, digest, CHUNK)
                    connection.execute(
                        store, {"attachment_id": attachment.id, "seq": seq, "data": chunk}
                    )
                    ef.writeback.nudge()  # the disk takes the chunks as they come
                    seq += 1
                    done += len(chunk)
                    yield done, info.st_size, f"Attaching {name}"
                after = os.fstat(handle.fileno())
        except OSError as exc:
            raise AttachmentError(
                f"{path} could not be read ({exc.strerror}); nothing was attached."
            ) from None
        if done != info.st_size or (after.st_size, after.st_mtime_ns) != (
            info.st_size,
            info.st_mtime_ns,
        ):
            raise _changed(path)
        attachment.size, attachment.sha256, attachment.chunks = done, digest.hexdigest(), seq
        history.record(session, ef.actor, ENTITY, document_id, "attachment", None, name)
        return _row(attachment)


def _read_hashed(handle: BinaryIO, digest: Any, size: int) -> bytes:
    """The file's next `size` bytes, added to its digest (empty at the end)."""
    chunk = handle.read(size)
    digest.update(chunk)
    return chunk


def _changed(path: Path) -> AttachmentError:
    return AttachmentError(
        f"{path} changed while it was being attached; nothing was attached. Attach it again "
        "once it is saved and closed."
    )


def list_attachments(ef: EngagementFile, document_id: str | None = None) -> list[AttachmentRow]:
    """The live attachments (of one document, or all), without their bytes."""
    with ef.reading() as session:
        query = select(Attachment).where(Attachment.deleted.is_(False))
        if document_id is not None:
            query = query.where(Attachment.document_id == document_id)
        return [_row(a) for a in session.scalars(query.order_by(Attachment.id))]


def totals(ef: EngagementFile) -> tuple[int, int]:
    """How many live attachments there are and their bytes, without reading them."""
    with ef.reading() as session:
        count, size = session.execute(
            select(func.count(), func.coalesce(func.sum(Attachment.size), 0)).where(
                Attachment.deleted.is_(False)
            )
        ).one()
        return int(count), int(size)


def set_deleted(ef: EngagementFile, attachment_id: int, deleted: bool) -> None:
    """Remove (or bring back) an attachment; its bytes stay, so undo can restore it."""
    with ef.writing() as session:
        a = session.get(Attachment, attachment_id)
        if a is None:
            raise AttachmentError(f"There is no attachment {attachment_id}.")
        if a.deleted != deleted:
            a.deleted = deleted
            old, new = (a.name, None) if deleted else (None, a.name)
            history.record(session, ef.actor, ENTITY, a.document_id, "attachment", old, new)


class _DamagedError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _chunks(session: Session, a: AttachmentRow, chunks: int) -> Iterator[bytes]:
    """The stored bytes in order, a chunk at a time; a missing or damaged piece is _DamagedError."""
    seen = session.scalar(
        select(func.count())
        .select_from(AttachmentChunk)
        .where(AttachmentChunk.attachment_id == a.id)
    )
    if seen != chunks:
        raise _DamagedError(f"{words.count(chunks, 'piece')} stored, {seen} found")
    for seq in range(chunks):
        data = session.scalar(
            select(AttachmentChunk.data).where(
                AttachmentChunk.attachment_id == a.id, AttachmentChunk.seq == seq
            )
        )
        if not isinstance(data, bytes):
            raise _DamagedError(f"piece {seq + 1} of {chunks} is missing")
        yield data


def _checked(session: Session, a: AttachmentRow) -> Iterator[bytes]:
    """The stored bytes, checked against the size and SHA-256 recorded when attached: the last
    piece is given only once the whole file is known to match."""
    chunks = session.scalar(select(Attachment.chunks).where(Attachment.id == a.id)) or 0
    digest = hashlib.sha256()
    size = 0
    held: bytes | None = None
    for data in _chunks(session, a, chunks):
        digest.update(data)
        size += len(data)
        if held is not None:
            yield held
        held = data
    if size != a.size:
        raise _DamagedError(f"{a.size:,} bytes were attached and {size:,} are stored")
    if digest.hexdigest() != a.sha256:
        raise _DamagedError("the stored bytes no longer match the SHA-256 recorded when attached")
    if held is not None:
        yield held


def verify(
    ef: EngagementFile, attachments: Iterable[AttachmentRow] | None = None
) -> Generator[Progress, None, list[Mismatch]]:
    """Re-read every stored attachment and compare it with its recorded size and SHA-256."""
    rows = list(attachments) if attachments is not None else list_attachments(ef)
    total = sum(a.size for a in rows)
    done = 0
    found: list[Mismatch] = []
    with ef.reading() as session:
        for a in rows:
            try:
                for data in _checked(session, a):
                    done += len(data)
                    yield done, total, f"Checking {a.name}"
            except _DamagedError as exc:
                found.append(Mismatch(a, exc.reason))
    return found


def safe_name(a: AttachmentRow) -> str:
    """A name to write the file under that stays inside the folder whatever the file holds
    (an engagement file may come from anywhere): the document's ID, then the stored name."""
    name = _CONTROL.sub("", a.name).replace("/", "_").replace("\\", "_").strip(" .")
    stem = name.split(".")[0].upper()
    if not name or stem in _RESERVED:
        name = f"_{name or 'attachment'}"
    doc = re.sub(r"[^A-Za-z0-9_.-]", "_", a.document_id)
    return f"{doc} {name}"[:200]


def _free_path(folder: Path, name: str) -> Path:
    target = folder / name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    n = 2
    while target.exists() or target.is_symlink():
        target = folder / (f"{stem} ({n}).{suffix}" if suffix else f"{stem} ({n})")
        n += 1
    return target


def _write(session: Session, a: AttachmentRow, target: Path) -> Iterator[int]:
    """Write one attachment to a new file (never over one); a mismatch removes it again."""
    try:
        handle = open(target, "xb")  # noqa: SIM115  (closed below; "x": never replaces a file)
    except OSError as exc:
        raise AttachmentError(f"{target} could not be written: {exc.strerror}.") from None
    try:
        with handle:
            for data in _checked(session, a):
                handle.write(data)
                yield len(data)
    except BaseException:
        target.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Exported:
    written: tuple[Path, ...]
    failed: tuple[Mismatch, ...]

    def as_text(self) -> str:
        lines = [f"Wrote {words.count(len(self.written), 'attachment')}."]
        lines += [f"Not written, {m.text}" for m in self.failed]
        return "\n".join(lines)


def export(
    ef: EngagementFile, folder: Path, attachments: Iterable[AttachmentRow] | None = None
) -> Generator[Progress, None, Exported]:
    """Write attachments (all by default) into `folder`: names made safe, never outside it,
    never over an existing file; one that fails its check is left out and reported."""
    folder = Path(folder)
    if not folder.is_dir():
        raise AttachmentError(f"{folder} is not a folder; choose or create one.")
    rows = list(attachments) if attachments is not None else list_attachments(ef)
    total = sum(a.size for a in rows)
    done = 0
    written: list[Path] = []
    failed: list[Mismatch] = []
    base = folder.resolve()
    with ef.reading() as session:
        for a in rows:
            target = _free_path(base, safe_name(a))
            if target.parent != base:  # cannot happen with a safe name; never trust it
                raise AttachmentError(f"'{a.name}' would be written outside {folder}.")
            try:
                for size in _write(session, a, target):
                    done += size
                    yield done, total, f"Writing {target.name}"
            except _DamagedError as exc:
                failed.append(Mismatch(a, exc.reason))
                continue
            written.append(target)
    return Exported(tuple(written), tuple(failed))


def open_copy(ef: EngagementFile, attachment_id: int) -> Generator[Progress, None, Path]:
    """A checked copy of one attachment in a new temporary folder, for the system's viewer."""
    with ef.reading() as session:
        found = session.get(Attachment, attachment_id)
        if found is None or found.deleted:
            raise AttachmentError(f"There is no attachment {attachment_id}.")
        row = _row(found)
    folder = Path(tempfile.mkdtemp(prefix="aims-prep-"))
    target = folder / safe_name(row)
    with ef.reading() as session:
        try:
            done = 0
            for size in _write(session, row, target):
                done += size
                yield done, row.size, f"Opening {row.name}"
        except _DamagedError as exc:
            folder.rmdir()
            raise AttachmentError(
                f"{row.document_id} {row.name} cannot be opened: {exc.reason}. Attach the "
                "file again from its original."
            ) from None
    return target
