"""One measured step of the foreign-import benchmark, in a fresh process:
`python -m bench.foreign_import_probe MODE ENGAGEMENT WORKBOOK`; prints SECONDS=..."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path


def main(mode: str, engagement: Path, workbook: Path) -> None:
    if mode == "import":
        from app.services.engagement.file import open_engagement
        from app.services.workbook.importer import apply, build_plan

        target = engagement.with_name("imported.aims")  # a fresh copy each run
        shutil.copyfile(engagement, target)
        with open_engagement(target) as ef:
            start = time.perf_counter()
            plan = build_plan(ef, workbook)
            assert plan.errors == 0, plan.to_json(False)
            apply(ef, plan)
        target.unlink()
    elif mode == "floor":
        from bench.common import read_with_calamine

        start = time.perf_counter()
        read_with_calamine(workbook)
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(f"SECONDS={time.perf_counter() - start:.4f}")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
