"""Start-up: from process start to the main window painted on a large engagement, against a
bare PySide6 process painting one empty window. Both report the moment of their first paint
(the time after that, tearing the process down, is not what a user waits for)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Figure, Run, bench_env, interleaved, run_process

NAME = "startup to painted main window (large engagement)"
RUNS = 7
TARGET_RATIO = 3.0

# The least any PySide6 app pays: interpreter, Qt libraries, platform plugin, one paint.
# Same size as the app's default window so both paint the same area.
FLOOR_SCRIPT = """\
import os, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class FirstPaint(QObject):
    at = None
    def eventFilter(self, watched, event):
        if self.at is None and event.type() == QEvent.Type.Paint:
            self.at = time.time()
        return False

app = QApplication([])
window = QMainWindow()
window.resize(1400, 900)
painted = FirstPaint()
window.installEventFilter(painted)
window.show()
QTimer.singleShot(0, lambda: app.exit(0))
app.exec()
print(f"painted_after_s={painted.at - float(os.environ['AIMS_BENCH_T0']):.4f}")
"""


def _painted_after(run: Run) -> float:
    line = next(x for x in run.output.splitlines() if x.startswith("painted_after_s="))
    return float(line.split("=")[1])


def run() -> list[Figure]:
    from app.services.generator import create_large  # SQLAlchemy: only when this bench runs

    with tempfile.TemporaryDirectory(prefix="aims-bench-") as folder:
        home = Path(folder)
        large = home / "large.aims"
        create_large(large).close()
        env = bench_env(home)

        def timed(cmd: list[str]) -> Run:
            return run_process(cmd, {**env, "AIMS_BENCH_T0": repr(time.time())})

        def project() -> Run:
            result = timed([sys.executable, "app", "gui", "--smoke", str(large)])
            if "smoke test passed" not in result.output:
                raise RuntimeError(f"the smoke run did not pass:\n{result.output}")
            return result

        def floor() -> Run:
            return timed([sys.executable, "-c", FLOOR_SCRIPT])

        project_runs, floor_runs = interleaved(project, floor, RUNS)

    return [
        Figure(
            name=NAME,
            project_s=statistics.median(_painted_after(r) for r in project_runs),
            floor_s=statistics.median(_painted_after(r) for r in floor_runs),
            target_ratio=TARGET_RATIO,
            extra={
                "runs": f"{RUNS} each, median, process start to first paint",
                "whole process": f"{statistics.median(r.seconds for r in project_runs):.3f} s "
                f"(floor {statistics.median(r.seconds for r in floor_runs):.3f} s)",
                "peak RSS": f"{max(r.peak_rss_mb for r in project_runs):.0f} MB "
                f"(floor {max(r.peak_rss_mb for r in floor_runs):.0f} MB)",
            },
        )
    ]
