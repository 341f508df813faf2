"""AIMS Prep: ISO/IEC 42001 certification preparation for consultants."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("aims-prep")
except PackageNotFoundError:  # running from a PyInstaller bundle or a bare checkout
    __version__ = "0.1.0"
