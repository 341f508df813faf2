"""One writer per engagement file, across windows and processes.

An OS lock on a sidecar file: the OS drops it when the holder dies, so a crash never leaves a
file locked. The sidecar holds who has the file, for the read-only banner of the second opener.
Locking the database file itself would clash with SQLite's own byte-range locks on Windows."""

from __future__ import annotations

import errno
import getpass
import json
import os
import socket
import stat
import sys
from pathlib import Path
from typing import IO


def lock_path_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _try_lock(handle: IO[str]) -> bool:
    handle.seek(0)  # Windows locks bytes from the current position: always lock byte 0
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class WriterLock:
    """Held while a window may write the file; `holder` describes who else has it."""

    def __init__(self, path: Path) -> None:
        self.path = lock_path_for(path)
        self._handle: IO[str] | None = None
        self.holder = ""
        self.problem = ""  # why the lock file itself cannot be used (a planted link)

    def acquire(self) -> bool:
        try:
            handle = _open_regular(self.path)
        except OSError as exc:
            self.problem = (
                "the disk is full, so its lock file cannot be written"
                if exc.errno == errno.ENOSPC
                else f"its lock file cannot be written here ({exc.strerror})"
            )
            return False
        except LockFileError as exc:
            self.problem = str(exc)
            return False
        if not _try_lock(handle):
            handle.seek(0)
            self.holder = _describe(handle.read())
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        info = {"user": getpass.getuser(), "host": socket.gethostname(), "pid": os.getpid()}
        try:
            handle.write(json.dumps(info))
            handle.flush()
        except OSError:  # a full disk: the lock is held all the same, only unsigned
            pass
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        try:
            handle.seek(0)
            handle.truncate()
        finally:
            # Closing drops the OS lock. The sidecar stays: unlinking it could let a third
            # opener lock a new file while a second still holds the unlinked one.
            handle.close()

    @property
    def refusal(self) -> str:
        """Why acquire() failed, as the end of a sentence about the file."""
        return self.problem or f"it is open for editing by {self.holder}"

    @property
    def held(self) -> bool:
        return self._handle is not None


class LockFileError(Exception):
    """The lock's place holds something other than a plain file of its own."""


def _open_regular(path: Path) -> IO[str]:
    """The lock file, never through a link: a symlink planted as the lock would make the
    truncate below empty the file it points to."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except OSError as exc:
        if path.is_symlink() or exc.errno == errno.ELOOP:
            raise LockFileError(
                f"its lock file {path.name} is a link; remove it and open the file again"
            ) from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
        os.close(fd)
        raise LockFileError(
            f"its lock file {path.name} is not a plain file of its own; remove it and open "
            "the file again"
        )
    return open(fd, "r+", encoding="utf-8")  # noqa: SIM115 - held open on purpose


def _describe(text: str) -> str:
    try:
        info = json.loads(text)
        return f"{info['user']} on {info['host']} (process {info['pid']})"
    except (ValueError, KeyError, TypeError):
        return "another window or program"
