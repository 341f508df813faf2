"""One measured step of the foreign-import benchmark, in a fresh process:
`python -m bench.foreign_import_probe MODE ENGAGEMENT WORKBOOK`; prints SECONDS=...

MODE is `import` (what import-xlsx does), `floor` (a python-calamine read of the workbook) or
`store` (the rows the import adds, inserted as plain rows: a bound no import can beat)."""

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
            plan = build_plan(ef, workbook, trial=False)  # as import-xlsx applies at once
            assert plan.errors == 0, plan.to_json(False)
            apply(ef, plan)
        target.unlink()
    elif mode == "store":  # what storing the rows costs alone: plain inserts, no checks
        rows = int(workbook.stem.rsplit("-", 1)[1])  # risks-20000.xlsx
        target = engagement.with_name("stored.aims")
        shutil.copyfile(engagement, target)
        start = time.perf_counter()
        _store(target, rows)
        target.unlink()
    elif mode == "floor":
        from bench.common import read_with_calamine

        start = time.perf_counter()
        read_with_calamine(workbook)
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(f"SECONDS={time.perf_counter() - start:.4f}")


def _store(path: Path, rows: int) -> None:
    """The risks the import adds and their two history lines each, as one executemany per
    table in one transaction, synced as the engagement is."""
    import datetime as dt
    import sqlite3

    treatments = ("reduce", "accept", "transfer")
    risks = [
        (f"R-{n + 1:06d}", "risk", f"Client risk {n}", f"Cause {n}, event and consequence of it.",
         f"Owner {n % 40}", 1 + n % 5, 1 + n % 4, (1 + n % 5) * (1 + n % 4), "Medium",
         treatments[n % 3], "", "", "", "", "", "", "", "open", 0)
        for n in range(rows)
    ]  # fmt: skip
    at = dt.datetime.now().isoformat(" ")
    lines = [
        (at, "Bench", "risk", risk[0], field, None, new)
        for risk in risks
        for field, new in (("created", risk[2]), ("links", ""))
    ]
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO risk (id, kind, title, description, owner, inherent_likelihood, "
        "inherent_impact, inherent_score, inherent_level, treatment, source, affected_parties, "
        "existing_controls, residual_level, residual_comment, accepted_by, acceptance_comment, "
        "status, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        risks,
    )
    connection.executemany(
        "INSERT INTO history (at, actor, entity, entity_id, field, old, new) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        lines,
    )
    connection.execute("COMMIT")
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
