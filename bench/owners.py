"""Owners become people, at scale: 5,000 people and the large generated engagement (5,000 AI
systems, 10,000 impact assessments, 20,000 risks, 1,000 items in each context register) whose
owners, assessors, approvers and acceptors all name people, a fifth of them typed in another
case or spacing. Every tab still opens, sorts and filters within the 100 ms freeze limit, and
matching the owners of every area to people runs off the UI thread: the longest freeze while
it runs, against the same limit."""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from bench.common import Figure, bench_env, run_process

RUNS = 3
LIMIT_S = 0.100
PEOPLE = 5_000


def _probe(module: str, path: Path, mode: str, env: dict[str, str]) -> tuple[dict, float]:
    result = run_process([sys.executable, module, str(path), mode], env)
    line = next(x for x in result.output.splitlines() if x.startswith("{"))
    return json.loads(line), result.peak_rss_mb


def run() -> list[Figure]:
    from app.services.generator import create_large, draw_owners_from_people

    with tempfile.TemporaryDirectory(prefix="aims-bench-") as folder:
        home = Path(folder)
        source = home / "people.aims"
        ef = create_large(source, systems=5_000, assessments=10_000, risk_count=20_000)
        items = draw_owners_from_people(ef, PEOPLE)
        ef.close()
        env = bench_env(home)
        figures: list[Figure] = []
        probes = (
            ("bench.ui_probe", "inventory", "inventory"),
            ("bench.ui_probe", "risks", "risks"),
            ("bench.owners_probe", "people", "people"),
            ("bench.owners_probe", "owner_field", "risks' owner field"),
            ("bench.owners_probe", "delete", "people"),
        )
        for module, mode, label in probes:
            _probe(module, source, mode, env)  # warm-up: page cache and .pyc files
            reports = [_probe(module, source, mode, env) for _ in range(RUNS)]
            first = reports[0][0]
            if not first["blocked_s"]:
                print(f"  {label}: no register to open yet, skipped", file=sys.stderr)
                continue
            figures += [
                Figure(
                    name=f"{label} with {PEOPLE:,} people: longest freeze, {action}",
                    project_s=statistics.median(r["blocked_s"][action] for r, _ in reports),
                    floor_s=None,
                    limit_s=LIMIT_S,
                    extra={
                        "runs": f"{RUNS}, median",
                        "rows": f"{first['rows']:,}",
                        "peak RSS": f"{max(p for _, p in reports):.0f} MB",
                    }  # fmt: skip
                    if i == 0
                    else {},
                )
                for i, action in enumerate(first["blocked_s"])
            ]
        matches = []
        for n in range(RUNS + 1):  # each run on a fresh copy: a matched file has nothing to do
            copy = home / f"match-{n}.aims"
            shutil.copyfile(source, copy)
            report, _peak = _probe("bench.owners_probe", copy, "match", env)
            if n:  # the first is the warm-up
                matches.append(report)
        action = next(iter(matches[0]["blocked_s"]))
        figures.append(
            Figure(
                name=f"longest freeze while owners of {items:,} items are matched to people",
                project_s=statistics.median(r["blocked_s"][action] for r in matches),
                floor_s=None,
                limit_s=LIMIT_S,
                extra={
                    "runs": f"{RUNS}, median",
                    "matching took": f"{statistics.median(r['took_s'] for r in matches):.2f} s",
                    "progress updates": str(matches[0]["progress_updates"]),
                    "respelled": f"{matches[0]['respelled']:,} items",
                },
            )
        )
    return figures
