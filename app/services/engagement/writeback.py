"""Pushing a long write's pages to disk while it is still being written.

SQLite syncs the engagement once, at commit. A write of hundreds of megabytes (an attachment)
then waits at the end for the disk to take all of it, with the disk idle until then. Asking
for a sync on a second thread as the pages are written lets the disk work alongside, and the
commit's own sync waits only for the last pages. Order and durability stay SQLite's: a sync
of the file is something the system could have done at any moment anyway.
"""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

# fsync where the system has no fdatasync (macOS); both let go of the GIL
_SYNC = getattr(os, "fdatasync", os.fsync)


class Writeback:
    """`with Writeback(path) as behind:` then `behind.nudge()` after each piece written."""

    def __init__(self, path: Path) -> None:
        try:
            self._fd: int | None = os.open(path, os.O_RDONLY)
        except OSError:
            self._fd = None  # then the commit alone syncs, as always
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="writeback")
        self._pending: Future[None] | None = None

    def __enter__(self) -> Writeback:
        return self

    def nudge(self) -> None:
        """Start a sync of what is written so far, unless one is still running."""
        if self._fd is not None and (self._pending is None or self._pending.done()):
            self._pending = self._pool.submit(self._sync, self._fd)

    @staticmethod
    def _sync(fd: int) -> None:
        # only a head start (Windows will not sync a read-only handle): the commit syncs
        with contextlib.suppress(OSError):
            _SYNC(fd)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pool.shutdown(wait=True)  # the descriptor is closed only once no sync uses it
        if self._fd is not None:
            os.close(self._fd)
