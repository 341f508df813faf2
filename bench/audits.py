"""The internal audit at scale (issue 18): 2,000 audits of 200 checklist lines each (400,000
lines, Core inserts) added to the large engagement; the Evaluation tab's Audits and Audit
lines tabs open, sort and filter within the window's 100 ms freeze limit."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from sqlalchemy import insert

from bench.common import Figure, bench_env
from bench.documents import LIMIT_S, _freezes

AUDITS, LINES_EACH = 2_000, 200


def add_audits(path: Path, audits: int = AUDITS, lines_each: int = LINES_EACH) -> None:
    from app.models import Audit, AuditLine
    from app.services.engagement.file import open_engagement
    from app.services.evaluation.audits import RESULTS, line_id

    refs = None
    now = dt.datetime.now()
    results = list(RESULTS)
    with open_engagement(path) as ef:
        refs = [p.id for p in ef.catalog.points] + [c.id for c in ef.catalog.controls]
        with ef.writing() as session:
            session.execute(
                insert(Audit),
                [
                    {"id": f"AUD-{n:04d}", "title": f"Generated audit {n}", "programme": "",
                     "status": "done" if n % 3 else "planned", "clauses": "", "controls": "",
                     "systems": "", "sites": "", "criteria": "", "lead_auditor": "", "team": "",
                     "report": "", "notes": "", "deleted": False, "created_at": now,
                     "planned_on": dt.date(2026, 1, 1) + dt.timedelta(days=n % 300),
                     "actual_on": dt.date(2026, 1, 2) + dt.timedelta(days=n % 300) if n % 3
                     else None}
                    for n in range(1, audits + 1)
                ],
            )  # fmt: skip
            for n in range(1, audits + 1):
                audit = f"AUD-{n:04d}"
                session.execute(
                    insert(AuditLine),
                    [
                        {"id": line_id(audit, k), "audit": audit, "position": k,
                         "ref": refs[k % len(refs)], "title": f"Generated line {k}",
                         "result": results[(n + k) % len(results)], "auditor": "",
                         "notes": "", "evidence": "", "deleted": False, "created_at": now}
                        for k in range(1, lines_each + 1)
                    ],
                )  # fmt: skip


def run(small: bool = False) -> list[Figure]:
    from app.services.generator import create_large

    with tempfile.TemporaryDirectory(prefix="aims-bench-") as folder:
        home = Path(folder)
        env = bench_env(home)
        path = home / "audits.aims"
        if small:
            create_large(path, history_rows=1_000, systems=10, assessments=0, risk_count=10,
                         context_items=10).close()  # fmt: skip
        else:
            create_large(path).close()
        add_audits(path)
        label = f"evaluation ({AUDITS:,} audits, {AUDITS * LINES_EACH:,} lines)"
        return _freezes(label, env, str(path), "audits")


if __name__ == "__main__":
    for f in run(small="--small" in sys.argv):
        print(f"{f.name}: {f.project_s * 1000:.1f} ms (limit {LIMIT_S * 1000:.0f} ms)")
