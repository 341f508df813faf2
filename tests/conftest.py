"""Test set-up: Qt offscreen before any Qt import, and every settings or data folder in tmp."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
_HOME = Path(tempfile.mkdtemp(prefix="aims-test-home-"))
os.environ["XDG_DATA_HOME"] = str(_HOME / "data")
os.environ["XDG_CONFIG_HOME"] = str(_HOME / "config")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_sessionfinish(session, exitstatus) -> None:
    shutil.rmtree(_HOME, ignore_errors=True)


def require_tool(name: str) -> str:
    """Path of an external tool; skip without it on a laptop, fail in CI."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("REQUIRE_EXTERNAL_TOOLS") == "1":
        pytest.fail(f"{name} is required (REQUIRE_EXTERNAL_TOOLS=1) but not installed")
    pytest.skip(f"{name} is not installed")


@pytest.fixture(scope="session")
def external_tool():
    """require_tool for tests in any folder (a sub-folder's conftest shadows this module)."""
    return require_tool


@pytest.fixture
def new_file(tmp_path):
    """A fresh engagement, open for editing, closed after the test."""
    from app.services.engagement.file import create_engagement

    ef = create_engagement(tmp_path / "client.aims", client="Acme Analytics GmbH", size="small")
    yield ef
    ef.close()


@pytest.fixture
def demo_file(tmp_path):
    from app.services.demo import create_demo

    ef = create_demo(tmp_path / "demo.aims")
    yield ef
    ef.close()
