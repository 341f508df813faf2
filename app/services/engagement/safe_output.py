"""Files the app writes for the user (workbooks, packs, copies): never onto an input, written
under a temporary name beside the target and moved in place, and nothing left behind.

A temporary file carries the writing process's number, so a later run can tell a leftover of a
killed process from a file another process is still writing, and removes it."""

from __future__ import annotations

import errno
import os
import re
import shutil
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from app.services.engagement.errors import FileWriteError
from app.services.engagement.lock import WriterLock

_SQLITE_MAGIC = b"SQLite format 3\x00"
_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.partial(-journal)?$")


def temp_path_for(target: Path) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.partial")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process there
        return _alive_on_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # alive, someone else's
        return True
    return True


def _alive_on_windows(pid: int) -> bool:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def sweep(folder: Path) -> list[Path]:
    """Remove what killed writers left in `folder`; returns what was removed."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        match = _TEMP.match(name)
        if match and not _alive(int(match["pid"])):
            with suppress(OSError):
                os.unlink(folder / name)
                removed.append(folder / name)
    return removed


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output(target: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output path that would destroy something: an input of this run, an
    engagement or any database, a file open for editing, a folder."""
    for source in inputs:
        if _same_file(target, source) or target.resolve() == Path(source).resolve():
            raise FileWriteError(
                f"{target} is the engagement itself; choose another name for the output."
            )
    if target.is_dir():
        raise FileWriteError(f"{target} is a folder; give a file name.")
    if not target.parent.is_dir():
        raise FileWriteError(f"The folder {target.parent} does not exist; nothing was written.")
    if not target.exists():
        return
    if not target.is_file():
        raise FileWriteError(f"{target} is not a plain file; choose another name.")
    try:
        with open(target, "rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise FileWriteError(f"{target} cannot be replaced: {exc.strerror}") from exc
    if head == _SQLITE_MAGIC:
        raise FileWriteError(
            f"{target.name} is an engagement file (or another database); AIMS Prep never "
            "writes over one. Choose another name."
        )
    lock = WriterLock(target.resolve())
    if lock.path.exists():
        if not lock.acquire():
            raise FileWriteError(
                f"{target.name} cannot be replaced: {lock.refusal}; choose another name."
            )
        lock.release()


def _umask_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def replacing(target: Path, inputs: Iterable[Path] = ()) -> Iterator[Path]:
    """A temporary path beside `target` for the caller to write; moved onto the target when
    the block ends, removed when it fails or is cancelled. The result follows the user's
    umask, like any file they save."""
    target = Path(target)
    check_output(target, inputs)
    sweep(target.parent)
    temp = temp_path_for(target)
    try:
        temp.open("wb").close()
    except OSError as exc:
        raise FileWriteError(
            f"Cannot write {target}: {exc.strerror or exc}. Choose another folder."
        ) from exc
    try:
        yield temp
        os.chmod(temp, _umask_mode())
        os.replace(temp, target)
    except OSError as exc:
        raise FileWriteError(f"Cannot write {target}: {disk_message(exc, target.parent)}") from exc
    finally:
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            with suppress(OSError):
                leftover.unlink()


def disk_message(exc: BaseException, folder: Path | None = None) -> str:
    """What went wrong writing, in words; a full disk said plainly, also when SQLite reports
    only what it tripped over afterwards ("no such savepoint")."""
    text = str(getattr(exc, "orig", None) or exc)
    full = getattr(exc, "errno", None) == errno.ENOSPC or "disk is full" in text
    if not full and folder is not None:
        with suppress(OSError):
            full = shutil.disk_usage(folder).free < 256 * 1024
    if full or "No space" in text:
        return "the disk is full. Nothing was changed; free some space and try again"
    return getattr(exc, "strerror", None) or text
