"""The large registers in the window: how long the window freezes while a tab opens, sorts,
filters (and, for risks, redraws the heat map): target never over 100 ms; and memory.
Inventory: 5,000 AI systems and 10,000 impact assessments. Risks: 20,000 risks."""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

from bench.common import Figure, bench_env, run_process

RUNS = 3
LIMIT_S = 0.100


def run() -> list[Figure]:
    from app.services.generator import create_large

    with tempfile.TemporaryDirectory(prefix="aims-bench-") as folder:
        home = Path(folder)
        large = home / "large.aims"
        create_large(large, systems=5_000, assessments=10_000, risk_count=20_000).close()
        env = bench_env(home)
        figures = []
        for tab, label in (("inventory", "inventory (5,000 systems)"), ("risks", "risks (20,000)")):
            probe = [sys.executable, "bench.ui_probe", str(large), tab]
            run_process(probe, env)  # warm-up: page cache and .pyc files
            reports = []
            peaks: list[float] = []
            for _ in range(RUNS):
                result = run_process(probe, env)
                line = next(x for x in result.output.splitlines() if x.startswith("{"))
                reports.append(json.loads(line))  # Qt's own notices share the output
                peaks.append(result.peak_rss_mb)
            figures += [
                Figure(
                    name=f"{label}: longest freeze, {action}",
                    project_s=statistics.median(r["blocked_s"][action] for r in reports),
                    floor_s=None,
                    limit_s=LIMIT_S,
                    extra={"runs": f"{RUNS}, median", "peak RSS": f"{max(peaks):.0f} MB"}
                    if i == 0
                    else {},
                )
                for i, action in enumerate(reports[0]["blocked_s"])
            ]
    return figures
