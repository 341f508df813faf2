"""The Stage 1 pack of the large generated engagement (5,000 AI systems, 10,000 impact
assessments, 20,000 risks), its readiness report (the larger kind: every section, with the
gaps), written by `aims-prep export-pack` in a fresh process, against a floor measured in the
same run: raw reportlab platypus rendering the same table rows (taken from the pack itself) as
plain tables split in chunks of 500, in the same embedded font, on portrait or landscape
pages as the pack puts them.
Target: at most 1.5x. Peak memory of both is printed."""

from __future__ import annotations

import pickle
import sys
import tempfile
from pathlib import Path

from bench.common import Figure, Run, bench_env, interleaved, median_seconds, run_process

RUNS = 3
TARGET = 1.5


def _dump_rows(large: Path, rows_path: Path) -> int:
    """Every table row of the pack as the pack lays it out (wrapped text, same widths)."""
    from reportlab.platypus import Table

    from app.services.engagement.file import open_engagement
    from app.services.pack import build as pack
    from app.services.pack import data as pack_data
    from app.services.pack import settings as pack_settings
    from app.services.progress import finish

    with open_engagement(large, read_only=True) as ef:
        data = finish(pack_data.load(ef))
    portrait, wide = (size[0] - 2 * pack._MARGIN_X for size in pack.paper_sizes("a4"))
    story = pack.flowables(data, tuple(pack_settings.SECTIONS), portrait, "readiness", wide)
    registers = [
        (list(t._colWidths), [list(map(str, row)) for row in t._cellvalues],
         sum(t._colWidths) > portrait + 1)
        for t in story
        if isinstance(t, Table) and len(t._cellvalues[0]) > 2  # the registers, not fact blocks
    ]  # fmt: skip
    with open(rows_path, "wb") as fh:
        pickle.dump(registers, fh)
    return sum(len(rows) - 1 for _, rows, _ in registers)


def run() -> list[Figure]:
    from app.services.generator import create_large

    with tempfile.TemporaryDirectory(prefix="aims-bench-") as folder:
        home = Path(folder)
        large = home / "large.aims"
        create_large(large).close()
        rows_path = home / "rows.pickle"
        row_count = _dump_rows(large, rows_path)
        env = bench_env(home)

        def project() -> Run:
            out = str(home / "pack.pdf")
            command = ["app", "export-pack", str(large), "-o", out, "--kind", "readiness"]
            return run_process([sys.executable, *command], env)

        def floor() -> Run:
            out = str(home / "floor.pdf")
            return run_process([sys.executable, "bench.pack_floor", str(rows_path), out, "a4"], env)

        project_runs, floor_runs = interleaved(project, floor, RUNS)
        pages = project_runs[-1].output.split("(")[-1].split(" pages")[0]
    return [
        Figure(
            name="Stage 1 pack of the large engagement",
            project_s=median_seconds(project_runs),
            floor_s=median_seconds(floor_runs),
            target_ratio=TARGET,
            extra={
                "runs": f"{RUNS} each, interleaved, median",
                "size": f"{pages} pages, {row_count:,} table rows",
                "peak RSS": f"project {max(r.peak_rss_mb for r in project_runs):.0f} MB, "
                f"floor {max(r.peak_rss_mb for r in floor_runs):.0f} MB",
                "floor": "plain platypus tables of the same rows, chunks of 500, same font",
            },
        )
    ]
