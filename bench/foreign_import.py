"""Importing a client's own sheet of new risks (20,000 and 200,000 rows, an .xlsx written by
openpyxl) into the demo engagement, against a python-calamine read of the same file (target
at most 3x).

The import is what `aims-prep import-xlsx` does: the package checks, reading, the plan, and
the write in one transaction with the services' checks (an import applied at once has no
trial run; the preview's would add about a fifth). Each side runs in its
own process, interleaved (bench.common.interleaved); the 200,000-row size runs once a side,
after no warm-up, because one import of it takes minutes."""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from bench.common import Figure, Run, bench_env, interleaved, run_process

SIZES = ((20_000, 3), (200_000, 1))  # (rows, runs a side)


def write_sheet(path: Path, rows: int) -> None:
    """A risk register as a client keeps it: their own headings, no IDs."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Risk register")
    ws.append(["Risk", "Description", "Likelihood", "Impact", "Treatment", "Risk owner"])
    treatments = ("Reduce", "Accept", "Transfer")
    for n in range(rows):
        description = f"Cause {n}, event and consequence of it."
        ws.append([f"Client risk {n}", description, 1 + n % 5, 1 + n % 4, treatments[n % 3],
                   f"Owner {n % 40}"])  # fmt: skip
    wb.save(path)


def _seconds(run: Run) -> float:
    line = next(line for line in run.output.splitlines() if line.startswith("SECONDS="))
    return float(line.split("=")[1])


def run() -> list[Figure]:
    from app.services.demo import create_demo

    figures = []
    with tempfile.TemporaryDirectory(prefix="aims-bench-") as folder:
        home = Path(folder)
        env = bench_env(home)
        demo = home / "demo.aims"
        create_demo(demo).close()
        for rows, runs in SIZES:
            workbook = home / f"risks-{rows}.xlsx"
            write_sheet(workbook, rows)

            def probe(mode: str, workbook: Path = workbook):
                return lambda: run_process(
                    [sys.executable, "bench.foreign_import_probe", mode, str(demo), str(workbook)],
                    env,
                    timeout=7200,
                )

            if runs > 1:
                project_runs, floor_runs = interleaved(probe("import"), probe("floor"), runs)
            else:
                project_runs, floor_runs = [probe("import")()], [probe("floor")()]
            floor_s = statistics.median(_seconds(r) for r in floor_runs)
            store_s = statistics.median(_seconds(probe("store")()) for _ in range(runs))
            figures.append(Figure(
                name=f"import a client's sheet of {rows:,} new risks",
                project_s=statistics.median(_seconds(r) for r in project_runs),
                floor_s=floor_s,
                target_ratio=3.0,
                extra={
                    "floor": "python-calamine read of the same file",
                    "storing alone": f"{store_s / floor_s:.2f}x the floor: the same rows and "
                    "their history as plain inserts, nothing read or checked",
                    "peak memory": f"project {max(r.peak_rss_mb for r in project_runs):.0f} MB, "
                    f"floor {max(r.peak_rss_mb for r in floor_runs):.0f} MB",
                    "workbook": f"{workbook.stat().st_size / 2**20:.1f} MB",
                },
            ))  # fmt: skip
    return figures
