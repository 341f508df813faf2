"""UI state kept between runs (QSettings): recent files, window geometry, and the
consultant's name for new engagements."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class UiSettings:
    def __init__(self) -> None:
        self._s = QSettings()

    def recent_files(self) -> list[Path]:
        value = self._s.value("recent_files", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [Path(p) for p in items if p]

    def add_recent(self, path: Path) -> None:
        path = path.resolve()
        items = [p for p in self.recent_files() if p != path]
        self._s.setValue("recent_files", [str(p) for p in [path, *items][:MAX_RECENT]])

    def remove_recent(self, path: Path) -> None:
        items = [p for p in self.recent_files() if p != path.resolve()]
        self._s.setValue("recent_files", [str(p) for p in items])

    def geometry(self) -> QByteArray | None:
        value = self._s.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, value: QByteArray) -> None:
        self._s.setValue("window/geometry", value)

    def consultant(self) -> str:
        """Who made the last engagement on this computer: the next one is theirs too."""
        value = self._s.value("consultant", "")
        return value if isinstance(value, str) else ""

    def set_consultant(self, name: str) -> None:
        self._s.setValue("consultant", name.strip())
