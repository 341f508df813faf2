"""The Excel round trip on the large generated engagement (5,000 systems, 10,000 assessments,
20,000 risks, the checklist and the SoA).

Export against raw openpyxl write-only writing the same cells (target at most 1.5x); import
(reading, comparing and the trial run, of an unchanged export) against a raw python-calamine
read of the same file (target at most 3x). Each side runs in its own process, interleaved, so
the peak memory printed is its own."""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from bench.common import Figure, Run, bench_env, interleaved, run_process

RUNS = 3


FLOORS = {
    "export": "openpyxl write-only writing the same cells",
    "import": "python-calamine read of every sheet",
}


def _peak(runs: list[Run]) -> str:
    return f"{max(r.peak_rss_mb for r in runs):.0f} MB"


def _seconds(run: Run) -> float:
    return float(
        next(line for line in run.output.splitlines() if line.startswith("SECONDS=")).split("=")[1]
    )


def run() -> list[Figure]:
    from app.services.generator import create_large
    from app.services.workbook.export import export_workbook

    with tempfile.TemporaryDirectory(prefix="aims-bench-") as folder:
        home = Path(folder)
        env = bench_env(home)
        engagement = home / "large.aims"
        workbook = home / "large.xlsx"
        ef = create_large(engagement)
        try:
            for _ in export_workbook(ef, workbook):
                pass
        finally:
            ef.close()

        def probe(mode: str):
            return lambda: run_process(
                [
                    sys.executable,
                    "bench.workbook_probe",
                    mode,
                    str(engagement),
                    str(workbook),
                ],
                env,
                timeout=900,
            )

        figures = []
        for name, project, floor, target in (
            ("export the large engagement to a workbook", "export", "export-floor", 1.5),
            (
                "import the unchanged workbook (read and compare)",
                "import",
                "import-floor",
                3.0,
            ),
        ):
            project_runs, floor_runs = interleaved(probe(project), probe(floor), RUNS)
            figures.append(Figure(
                name=name,
                project_s=statistics.median(_seconds(r) for r in project_runs),
                floor_s=statistics.median(_seconds(r) for r in floor_runs),
                target_ratio=target,
                extra={
                    "floor": FLOORS[project],
                    "peak memory": f"project {_peak(project_runs)}, floor {_peak(floor_runs)}",
                    "workbook": f"{workbook.stat().st_size / 2**20:.1f} MB",
                },
            ))  # fmt: skip
    return figures
