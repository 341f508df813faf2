"""What every benchmark shares: the Figure it reports and the timing helpers.

Absolute times on this machine drift by tens of percent between runs, so a figure is the ratio
of the project's time to a floor measured in the same run, with both sides interleaved."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Figure:
    """A ratio against a floor measured in the same run; or, where an issue sets an absolute
    limit (the window may freeze at most 100 ms), a time against that limit (floor_s None)."""

    name: str
    project_s: float
    floor_s: float | None
    target_ratio: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)
    limit_s: float = 0.0

    @property
    def ratio(self) -> float | None:
        return self.project_s / self.floor_s if self.floor_s else None

    @property
    def ok(self) -> bool:
        ratio = self.ratio
        return self.project_s <= self.limit_s if ratio is None else ratio <= self.target_ratio


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss_mb: float
    output: str


def run_process(
    cmd: Sequence[str], env: Mapping[str, str] | None = None, timeout: float = 300
) -> Run:
    """Wall time and peak memory of one fresh Python process; raises if it fails.

    `cmd` is [python, MODULE or "-c", ...]: it runs under bench.peak, which prints the
    process's own peak memory at exit."""
    with tempfile.TemporaryFile() as out:  # a file, not a pipe: nothing to drain while waiting
        start = time.perf_counter()
        proc = subprocess.Popen(
            [cmd[0], "-m", "bench.peak", *cmd[1:]],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
        )
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        seconds = time.perf_counter() - start
        out.seek(0)
        output = out.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{output}")
    peaks = [line for line in output.splitlines() if line.startswith("PEAK_RSS_MB=")]
    return Run(seconds=seconds, peak_rss_mb=float(peaks[-1].split("=")[1]), output=output)


def interleaved(
    project: Callable[[], Run], floor: Callable[[], Run], runs: int
) -> tuple[list[Run], list[Run]]:
    """Alternate project and floor (and which goes first) so drift hits both sides alike.
    One discarded warm-up each fills the page cache and the .pyc files."""
    project_runs, floor_runs = interleaved_all([project, floor], runs)
    return project_runs, floor_runs


def interleaved_all(measures: Sequence[Callable[[], Run]], runs: int) -> list[list[Run]]:
    """`interleaved` for any number of sides: each round runs every side once, the order
    turning from round to round so no side always runs first (or right after another)."""
    for measure in measures:
        measure()  # the warm-up: page cache and .pyc files
    results: list[list[Run]] = [[] for _ in measures]
    order = list(range(len(measures)))
    for i in range(runs):
        turn = order[i % len(order) :] + order[: i % len(order)]
        for k in reversed(turn) if (i // len(order)) % 2 else turn:
            results[k].append(measures[k]())
    return results


def median_seconds(runs: Sequence[Run]) -> float:
    return statistics.median(r.seconds for r in runs)


def bench_env(home: Path) -> dict[str, str]:
    """Offscreen Qt, and settings and data folders in a temp dir so a run neither reads nor
    changes the user's own recent files or window geometry.

    Bytecode is always cached (in the temp dir, not the checkout): an installed app or a
    bundle has .pyc files, and with PYTHONDONTWRITEBYTECODE set every run would recompile
    the app's modules and time the compiler. The warm-up run fills the cache."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_DATA_HOME"] = str(home / "data")
    return env


def read_with_calamine(workbook: Path) -> None:
    """The floor of every import figure: python-calamine reading each sheet of the file."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(workbook))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)
