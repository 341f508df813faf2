"""The one place that knows where files live: a checkout, an installed wheel or a
PyInstaller bundle for bundled data; platformdirs for the user's own data."""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "AIMS Prep"
APP_SLUG = "aims-prep"
ORG_NAME = "AIMS Prep"


def _data_roots() -> list[Path]:
    roots: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        roots.append(Path(bundle))
    roots.append(Path(__file__).resolve().parent.parent)  # checkout or editable install
    roots.append(Path(sys.prefix) / "share" / APP_SLUG)  # wheel data-files
    return roots


def bundled(relative: str) -> Path:
    """Path of a file shipped with the app, e.g. 'data/catalog.json' or 'resources/icon.png'."""
    for root in _data_roots():
        candidate = root / relative
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"{relative} is missing from this installation")


def catalog_path() -> Path:
    return bundled("data/catalog.json")


def catalog_schema_path() -> Path:
    return bundled("data/catalog.schema.json")


def font_path(name: str) -> Path:
    """A font shipped in resources/fonts (DejaVu Sans: embedded in every PDF the app writes)."""
    return bundled(f"resources/fonts/{name}")


def user_data_dir() -> Path:
    from platformdirs import user_data_path

    path = user_data_path(APP_SLUG, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def error_log_path() -> Path:
    """Where errors that escaped the window are written (what failed, with its traceback)."""
    return user_data_dir() / "errors.log"


def demo_engagement_path() -> Path:
    return user_data_dir() / "Demo - Northwind Lending.aims"
