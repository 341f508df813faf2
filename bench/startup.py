"""Start-up: from process start to the main window painted on the demo engagement, with the
bytecode caches warm as on a user's machine (bench_env; one warm-up run each), against two
floors measured in the same run. Every process reports the moment of its first paint (the time
after that, tearing the process down, is not what a user waits for).

- The stack floor (target 1.2x): PySide6 and SQLAlchemy's ORM imported, the checklist rows of
  the same file read through a mapped class and painted in a tree in a window of the app's
  size. No app on this stack can start in less; the gap is what the app itself adds.
- The bare floor (informational, target 4x): one empty PySide6 window; what the whole stack
  (SQLAlchemy, the catalog, the engagement file) costs on top of Qt.

Neither floor holds off the garbage collector while starting, as the app's gui command does
(app/cli.py): a floor doing so paints about a tenth sooner."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Figure, Run, bench_env, interleaved_all, run_process

RUNS = 7
TARGET_STACK = 1.2
# Informational: what the whole stack costs on top of Qt. The stack floor alone is about 3.1x
# an empty window (SQLAlchemy's import is most of it), so 1.2x that floor is about 3.7x; 4x
# leaves the run-to-run noise, and no room for loading more than the first page.
TARGET_BARE = 4.0

_FIRST_PAINT = """\
import os, time
from PySide6.QtCore import QEvent, QObject, QTimer

class FirstPaint(QObject):
    at = None
    def eventFilter(self, watched, event):
        if self.at is None and event.type() == QEvent.Type.Paint:
            self.at = time.time()
        return False

def report(app, window):
    painted = FirstPaint()
    window.installEventFilter(painted)
    window.show()
    QTimer.singleShot(0, lambda: app.exit(0))
    app.exec()
    print(f"painted_after_s={painted.at - float(os.environ['AIMS_BENCH_T0']):.4f}")
"""

# The least any PySide6 app pays: interpreter, Qt libraries, platform plugin, one paint.
# Same size as the app's default window so both paint the same area.
BARE_SCRIPT = (
    _FIRST_PAINT
    + """\
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication([])
window = QMainWindow()
window.resize(1400, 900)
report(app, window)
"""
)

# The least an app on this stack pays to show an engagement: the ORM, one mapped class, the
# checklist's rows of the same file, a tree of them in the window.
STACK_SCRIPT = (
    # SQLAlchemy first: once PySide6 is imported its import hook slows every later import.
    """\
import sys
from sqlalchemy import String, Text, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Session, mapped_column
"""
    + _FIRST_PAINT
    + """\
from PySide6.QtWidgets import QApplication, QMainWindow, QTreeWidget, QTreeWidgetItem

class Base(DeclarativeBase):
    pass

class Point(Base):
    __tablename__ = "requirement"  # columns without annotations: this code runs from -c
    id = mapped_column(String(40), primary_key=True)
    status = mapped_column(String(20))
    owner = mapped_column(String(200))
    notes = mapped_column(Text)

engine = create_engine(f"sqlite:///{sys.argv[1]}")
with Session(engine) as session:
    rows = [(p.id, p.status, p.owner, p.notes) for p in session.scalars(select(Point))]
if not rows:
    raise SystemExit("no rows read")

app = QApplication([])
window = QMainWindow()
tree = QTreeWidget()
tree.setHeaderLabels(["Point", "Status", "Owner", "Notes"])
tree.addTopLevelItems([QTreeWidgetItem(list(row)) for row in rows])
window.setCentralWidget(tree)
window.resize(1400, 900)
report(app, window)
"""
)


def _painted_after(run: Run) -> float:
    line = next(x for x in run.output.splitlines() if x.startswith("painted_after_s="))
    return float(line.split("=")[1])


def _median(runs: list[Run]) -> float:
    return statistics.median(_painted_after(r) for r in runs)


def run() -> list[Figure]:
    from app.services.demo import create_demo  # SQLAlchemy: only when this bench runs

    with tempfile.TemporaryDirectory(prefix="aims-bench-") as folder:
        home = Path(folder)
        demo = home / "demo.aims"
        create_demo(demo).close()
        env = bench_env(home)

        def timed(cmd: list[str]) -> Run:
            return run_process(cmd, {**env, "AIMS_BENCH_T0": repr(time.time())})

        def project() -> Run:
            result = timed([sys.executable, "app", "gui", "--smoke", str(demo)])
            if "smoke test passed" not in result.output:
                raise RuntimeError(f"the smoke run did not pass:\n{result.output}")
            return result

        def stack() -> Run:
            return timed([sys.executable, "-c", STACK_SCRIPT, str(demo)])

        def bare() -> Run:
            return timed([sys.executable, "-c", BARE_SCRIPT])

        project_runs, stack_runs, bare_runs = interleaved_all([project, stack, bare], RUNS)

    app_s = _median(project_runs)
    whole = statistics.median(r.seconds for r in project_runs)
    return [
        Figure(
            name="startup to painted window (demo) vs PySide6 + SQLAlchemy ORM tree",
            project_s=app_s,
            floor_s=_median(stack_runs),
            target_ratio=TARGET_STACK,
            extra={
                "runs": f"{RUNS} each, interleaved, median, process start to first paint, "
                ".pyc warm",
                "whole process": f"{whole:.3f} s "
                f"(floor {statistics.median(r.seconds for r in stack_runs):.3f} s)",
                "peak RSS": f"{max(r.peak_rss_mb for r in project_runs):.0f} MB "
                f"(floor {max(r.peak_rss_mb for r in stack_runs):.0f} MB)",
            },
        ),
        Figure(
            name="startup to painted window (demo) vs bare PySide6 window",
            project_s=app_s,
            floor_s=_median(bare_runs),
            target_ratio=TARGET_BARE,
            extra={"runs": "the same app runs as above"},
        ),
    ]
