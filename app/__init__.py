"""AIMS Prep: ISO/IEC 42001 certification preparation for consultants."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Looked up on first use only: reading package metadata costs tens of ms at start-up.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("aims-prep")
        except PackageNotFoundError:  # a bare checkout that was never installed
            return "0.0.0+unknown"
    raise AttributeError(name)
