"""Pushing a long write's pages to disk while it is still being written.

SQLite syncs the engagement once, at commit. A write of hundreds of megabytes (an attachment)
then waits at the end for the disk to take all of it, with the disk idle until then. Asking
for a sync on a second thread as the pages are written lets the disk work alongside, and the
commit's own sync waits only for the last pages. Order and durability stay SQLite's: a sync
of the file is something the system could have done at any moment anyway.

The descriptor synced is opened once and closed only with the engagement, after SQLite's
connections: closing any descriptor of a file drops every POSIX lock the process holds on it,
SQLite's included, so one closed during a transaction would let another process read the
half-written file, or roll it back as if this one had died.
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

# fsync where the system has no fdatasync (macOS); both let go of the GIL
_SYNC = getattr(os, "fdatasync", os.fsync)


class Writeback:
    """One per open engagement: `nudge()` after each piece of a long write, `close()` once
    the engagement's connections are closed."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._guard = threading.Lock()
        self._fd: int | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None
        self._closed = False

    def nudge(self) -> None:
        """Start a sync of what is written so far, unless one is still running."""
        with self._guard:
            if self._closed or (self._pending is not None and not self._pending.done()):
                return
            if self._pool is None or self._fd is None:
                try:
                    self._fd = os.open(self._path, os.O_RDONLY)
                except OSError:
                    self._closed = True  # then the commit alone syncs, as always
                    return
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="writeback")
            self._pending = self._pool.submit(self._sync, self._fd)

    @staticmethod
    def _sync(fd: int) -> None:
        # only a head start (Windows will not sync a read-only handle): the commit syncs
        with contextlib.suppress(OSError):
            _SYNC(fd)

    def close(self) -> None:
        with self._guard:
            self._closed = True
            pool, fd, self._pool, self._fd = self._pool, self._fd, None, None
        if pool is not None:
            pool.shutdown(wait=True)  # the descriptor is closed only once no sync uses it
        if fd is not None:
            os.close(fd)
