"""How slow services report progress: generators yielding (done, total, message) and
returning their result, so the window can show a bar and Cancel closes them."""

from __future__ import annotations

from collections.abc import Generator
from typing import TypeVar

Progress = tuple[int, int, str]
T = TypeVar("T")


def finish(steps: Generator[Progress, None, T]) -> T:
    """Run a progress generator to its end, for callers with nobody to show progress to."""
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]
