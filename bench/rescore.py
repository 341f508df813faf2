"""Re-scoring 20,000 risks after a change of criteria (what the Criteria dialog runs, off the
UI thread) against the least it could cost: one Core update of the same rows with the same
new scores and levels, in one transaction. Target: at most 2x."""

from __future__ import annotations

import dataclasses
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import Figure

RUNS = 5
TARGET = 2.0
RISKS = 20_000


def run() -> list[Figure]:
    from sqlalchemy import bindparam, select, update

    from app.models import Risk
    from app.services.generator import create_large
    from app.services.risks import service as risks
    from app.services.risks.criteria import DEFAULT, Band

    variants = [
        dataclasses.replace(DEFAULT, bands=(Band("Low", 6), Band("High", 25)), threshold=6),
        dataclasses.replace(DEFAULT, bands=(Band("Low", 3), Band("Mid", 12), Band("Top", 25))),
    ]

    def floor(ef, criteria) -> float:
        start = time.perf_counter()
        with ef.engine.begin() as conn:
            rows = conn.execute(
                select(
                    Risk.id,
                    Risk.inherent_likelihood,
                    Risk.inherent_impact,
                    Risk.residual_likelihood,
                    Risk.residual_impact,
                )
            ).all()
            params = []
            for rid, il, ii, rl, ri in rows:
                score = il * ii
                residual = rl * ri if rl is not None and ri is not None else None
                params.append(
                    {
                        "rid": rid,
                        "s": score,
                        "l": criteria.level(score),
                        "rs": residual,
                        "rl": criteria.level(residual) if residual else "",
                    }
                )
            conn.execute(
                update(Risk)
                .where(Risk.id == bindparam("rid"))
                .values(
                    inherent_score=bindparam("s"),
                    inherent_level=bindparam("l"),
                    residual_score=bindparam("rs"),
                    residual_level=bindparam("rl"),
                ),
                params,
            )
        return time.perf_counter() - start

    def project(ef, criteria) -> float:
        start = time.perf_counter()
        for _ in risks.change_criteria(ef, criteria):
            pass
        return time.perf_counter() - start

    with tempfile.TemporaryDirectory(prefix="aims-bench-") as folder:
        ef = create_large(
            Path(folder) / "risks.aims", history_rows=0, systems=50, assessments=0, risk_count=RISKS
        )
        try:
            project_times, floor_times = [], []
            for n in range(RUNS + 1):  # the first round warms up
                criteria = variants[n % 2]
                if n % 2:  # alternate which goes first, so drift hits both alike
                    p, f = project(ef, criteria), floor(ef, criteria)
                else:
                    f, p = floor(ef, criteria), project(ef, criteria)
                if n:
                    project_times.append(p)
                    floor_times.append(f)
        finally:
            ef.close()
    return [
        Figure(
            name=f"re-score {RISKS:,} risks after a criteria change",
            project_s=statistics.median(project_times),
            floor_s=statistics.median(floor_times),
            target_ratio=TARGET,
            extra={
                "runs": f"{RUNS} each, interleaved, median",
                "floor": "one Core update of the same rows",
            },
        )
    ]
