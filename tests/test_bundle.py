"""The PyInstaller bundle builds, opens its window and reads an engagement (house style:
smoke-test the built binary, not the checkout)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bundle_starts_and_opens_window(tmp_path):
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed (pip install -e '.[dev]')")
    dist, work = tmp_path / "dist", tmp_path / "work"  # the checkout's dist/ stays untouched
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    command += ["--distpath", str(dist), "--workpath", str(work), "build.spec"]
    subprocess.run(command, cwd=ROOT, check=True, timeout=900)
    binary = dist / "aims-prep" / "aims-prep"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(binary), *args], env=env, capture_output=True, text=True, timeout=120
        )

    smoke = run("gui", "--smoke")
    assert smoke.returncode == 0, smoke.stderr
    assert "smoke test passed" in smoke.stdout
    demo = tmp_path / "demo.aims"
    assert run("demo", str(demo)).returncode == 0
    assert "Northwind Lending Ltd" in run("status", str(demo)).stdout
