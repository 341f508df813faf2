"""`make bench`: run every benchmark (or those named on the command line) and print one table.

Each figure carries its own verdict (ok or OVER) in the table."""

from __future__ import annotations

import importlib
import sys

from bench.common import Figure

# A new benchmark is a module here with `run() -> list[Figure]`.
MODULES = (
    "startup",
    "inventory",
    "rescore",
    "workbook",
    "foreign_import",
    "pack",
    "documents",
    "owners",
    "audits",
    "reviews",
    "dashboard",
)


def _cells(f: Figure) -> tuple[str, ...]:
    if f.floor_s is None:
        return (f.name, f"{f.project_s * 1000:.0f} ms", "-", "-", f"<= {f.limit_s * 1000:.0f} ms")
    return (
        f.name,
        f"{f.project_s:.3f} s",
        f"{f.floor_s:.3f} s",
        f"{f.ratio:.2f}",
        f"<= {f.target_ratio:.1f}x",
    )


def table(figures: list[Figure]) -> str:
    header = ("figure", "project", "floor", "ratio", "target", "verdict")
    rows = [(*_cells(f), "ok" if f.ok else "OVER") for f in figures]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for f, row in zip(figures, rows, strict=True):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        lines.extend(f"    {key}: {value}" for key, value in f.extra.items())
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    names = argv or list(MODULES)
    unknown = sorted(set(names) - set(MODULES))
    if unknown:
        print(f"error: unknown benchmark {', '.join(unknown)} (known: {', '.join(MODULES)})")
        return 2
    figures: list[Figure] = []
    for name in names:
        print(f"running {name}...", file=sys.stderr, flush=True)
        figures.extend(importlib.import_module(f"bench.{name}").run())
    print(table(figures))
    return 0  # the verdict column tells; a slow machine is not a failed command


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
