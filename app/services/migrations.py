"""Schema versions of engagement files and the steps between them.

Each step takes a connection at version N and leaves it at N + 1; the caller runs each step in
its own transaction after writing a backup copy of the file. A released version's step is never
edited afterwards: tests open a fixture file of every released version."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

CURRENT_VERSION = 1

Step = Callable[[Connection], None]

# from-version -> step to from-version + 1
STEPS: dict[int, Step] = {}


def steps_from(version: int) -> list[tuple[int, Step]]:
    return [(v, STEPS[v]) for v in range(version, CURRENT_VERSION)]
