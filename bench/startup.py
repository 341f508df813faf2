"""Start-up to a painted main window on a large engagement, against a bare PySide6 window."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bench.common import Figure, Run, bench_env, interleaved, median_seconds, run_process

NAME = "startup to painted main window (large engagement)"
RUNS = 7
TARGET_RATIO = 3.0

# The least any PySide6 app pays: interpreter, Qt libraries, platform plugin, one paint.
# Same size as the app's default window so both paint the same area.
FLOOR_SCRIPT = """\
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication([])
window = QMainWindow()
window.resize(1400, 900)
window.show()
QTimer.singleShot(0, lambda: app.exit(0))
app.exec()
"""


def run() -> list[Figure]:
    from app.services.generator import create_large  # SQLAlchemy: only when this bench runs

    with tempfile.TemporaryDirectory(prefix="aims-bench-") as folder:
        home = Path(folder)
        large = home / "large.aims"
        create_large(large).close()
        env = bench_env(home)

        def project() -> Run:
            result = run_process([sys.executable, "app", "gui", "--smoke", str(large)], env)
            if "smoke test passed" not in result.output:
                raise RuntimeError(f"the smoke run did not pass:\n{result.output}")
            return result

        def floor() -> Run:
            return run_process([sys.executable, "-c", FLOOR_SCRIPT], env)

        project_runs, floor_runs = interleaved(project, floor, RUNS)

    return [
        Figure(
            name=NAME,
            project_s=median_seconds(project_runs),
            floor_s=median_seconds(floor_runs),
            target_ratio=TARGET_RATIO,
            extra={
                "runs": f"{RUNS} each, median",
                "peak RSS": f"{max(r.peak_rss_mb for r in project_runs):.0f} MB "
                f"(floor {max(r.peak_rss_mb for r in floor_runs):.0f} MB)",
            },
        )
    ]
