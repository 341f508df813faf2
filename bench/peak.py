"""Run a module (`python -m bench.peak MODULE ARGS...`) or code (`-c CODE`) and print its
peak memory when it exits.

The kernel's high-water mark of this process's own memory (VmHWM) starts afresh at exec;
getrusage's ru_maxrss does not, and after a fork from a large parent it reports the parent."""

from __future__ import annotations

import atexit
import runpy
import sys


def peak_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _report() -> None:
    sys.stdout.flush()
    print(f"PEAK_RSS_MB={peak_rss_mb():.1f}", flush=True)


if __name__ == "__main__":
    atexit.register(_report)
    target, args = sys.argv[1], sys.argv[2:]
    if target == "-c":
        sys.argv = ["-c", *args[1:]]
        exec(compile(args[0], "<bench>", "exec"), {"__name__": "__main__"})
    else:
        sys.argv = [target, *args]
        runpy.run_module(target, run_name="__main__", alter_sys=True)
