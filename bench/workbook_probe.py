"""One measured step of the workbook benchmark, in a fresh process (so its peak memory is its
own): `python -m bench.workbook_probe MODE ENGAGEMENT WORKBOOK`; prints SECONDS=..."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(mode: str, engagement: Path, workbook: Path) -> None:
    if mode == "export":
        from app.services.engagement.file import open_engagement
        from app.services.workbook.export import export_workbook

        with open_engagement(engagement, read_only=True) as ef:
            start = time.perf_counter()
            for _ in export_workbook(ef, workbook.with_name("project.xlsx")):
                pass
    elif mode == "export-floor":
        import python_calamine
        from openpyxl import Workbook

        # the same cells, read before the clock starts
        book = python_calamine.CalamineWorkbook.from_path(str(workbook))
        sheets = [(n, book.get_sheet_by_name(n).to_python()) for n in book.sheet_names]
        start = time.perf_counter()
        wb = Workbook(write_only=True)
        for name, rows in sheets:
            ws = wb.create_sheet(name)
            for row in rows:
                ws.append(row)
        wb.save(workbook.with_name("floor.xlsx"))
    elif mode == "import":
        from app.services.engagement.file import open_engagement
        from app.services.workbook.importer import build_plan

        with open_engagement(engagement) as ef:
            start = time.perf_counter()
            plan = build_plan(ef, workbook)
            assert plan.changes == 0 and plan.errors == 0, plan.to_json(False)
    elif mode == "import-floor":
        from bench.common import read_with_calamine

        start = time.perf_counter()
        read_with_calamine(workbook)
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(f"SECONDS={time.perf_counter() - start:.4f}")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
